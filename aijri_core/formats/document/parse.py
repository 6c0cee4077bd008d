"""Reading a document: tables and lines into a RoleAssessment, stated figures into the audit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from ...errors import AssessmentError, describe_validation_error
from ...io import MAX_UPLOAD_BYTES, decode_text
from ...methodology import DEFAULT, Methodology, Zone, zone_of
from ...model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    SCALES,
    RoleAssessment,
    TaskMode,
    clean_name,
)
from .audit import Audit, Stated, audit_figures
from .cells import (
    PADDING,
    SEPARATOR_RE,
    ZONES,
    DocumentError,
    after_equals,
    cell_number,
    cell_text,
    fit,
    keyword_key,
    leading_number,
    number_at,
    plain_text,
    read_mode,
    short,
    split_row,
    strip_bold,
    unescape,
    zone_and_paren,
)

#: The ranges messages name, from the model's rating scales.
_SHARE, _SCORE, _PROTECTIVE, _PUBLISHED = (SCALES[k].span("-") for k in ("share", "score", "protective", "published"))
_EVIDENCE, _BARRIER, _GROWTH = (SCALES[k].span() for k in ("evidence", "barrier", "growth"))


@dataclass
class _Table:
    kind: str
    line: int
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


_TABLE_KINDS = (
    ("task", "tasks"),
    ("principle", "protective"),
    ("dimension", "evidence"),
    ("evidence", "evidence"),
    ("barrier", "barriers"),
    ("field", "role"),
    ("input", "composite"),
    ("metric", "sublabel"),
    ("role", "comparators"),
    ("comparator", "comparators"),
)


def _table_kind(first_header_cell: str) -> str | None:
    label = plain_text(first_header_cell).lower()
    for word, kind in _TABLE_KINDS:
        if label.startswith(word):
            return kind
    return None


_EVIDENCE_WORDS = {
    "job_postings": ("posting",),
    "company_actions": ("company",),
    "wage_trends": ("wage",),
    "ai_tool_maturity": ("tool", "maturity"),
    "expert_consensus": ("expert", "consensus"),
}
_BARRIER_WORDS = {
    "regulatory": ("regulat", "licens"),
    "physical_presence": ("physical",),
    "union": ("union", "collective"),
    "liability": ("liabil", "accountab"),
    "cultural": ("cultur", "ethic"),
}
_PROTECTIVE_WORDS = {
    "embodied_physicality": ("embodied", "physicality"),
    "deep_interpersonal_connection": ("interpersonal",),
    "goal_setting_moral_judgment": ("goal", "moral"),
}
assert set(_EVIDENCE_WORDS) == set(EVIDENCE_DIMENSIONS)
assert set(_BARRIER_WORDS) == set(BARRIERS)
assert set(_PROTECTIVE_WORDS) == set(PROTECTIVE_PRINCIPLES)

_CAPWORD_RE = re.compile(r"[A-Z0-9][\w/&.+'-]*$")
_STOP_WORDS = {"The", "A", "An", "And", "Or", "NOT", "Not", "At", "In", "Than", "Below", "Above", "With", "Both"}
_MENTION_RE = re.compile(r"\(([0-9]{1,3}\.[0-9])\)")
_PAREN_RE = re.compile(r"\(([^()]{0,400})\)")
_SCORED_RE = re.compile(r"\bscored\s+([0-9]{1,3}(?:\.[0-9]+)?)\s+(Green|Yellow|Red)\b\s*([A-Za-z]+)?\s*$")
_NOT_WORD_RE = re.compile(r"\bNOT\b")
#: Characters before a "(...)" searched for the title it belongs to (keeps the scan linear).
_TITLE_WINDOW = 200
#: Comparators taken from prose at most (the model's limit).
_MAX_COMPARATORS = 200


def _title_before(text: str) -> str | None:
    """The run of capitalised words that ends ``text`` (e.g. "than Platform Engineer" -> "Platform Engineer")."""
    words = text.rstrip().split()
    run: list[str] = []
    for w in reversed(words):
        if _CAPWORD_RE.match(w) and not w.endswith((",", ";", ":")):
            run.append(w)
        else:
            break
    run.reverse()
    while run and run[0] in _STOP_WORDS:
        run.pop(0)
    return " ".join(run) or None


# ---------------------------------------------------------------- parse


def parse_assessment_document(
    text: str | bytes, methodology: Methodology = DEFAULT, what: str = "document"
) -> tuple[RoleAssessment, Audit]:
    """The assessment a document describes, and the audit of the figures it states.

    Raises :class:`DocumentError` (an AIJRIError) naming the line and what was expected.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = decode_text(bytes(text), what)
        except AssessmentError as exc:
            raise DocumentError(str(exc)) from None
    if not isinstance(text, str):
        raise DocumentError(f"{what}: expected text, got {type(text).__name__}")
    if len(text) > MAX_UPLOAD_BYTES:
        raise DocumentError(f"{what}: too large; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise DocumentError(f"{what}: contains NUL characters; allowed: a text file")
    if not text.strip():
        raise DocumentError(f"{what}: the document is empty")
    try:
        return _Parser(text, methodology, what).run()
    except DocumentError as exc:
        msg = str(exc)
        raise DocumentError(msg if msg.startswith(what) else f"{what}: {msg}") from None


class _Parser:
    def __init__(self, text: str, m: Methodology, what: str):
        self.m = m
        self.what = what
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.tables: dict[str, _Table] = {}
        self.prose: list[tuple[int, str]] = []
        self.stated: list[Stated] = []
        self.locs: dict[tuple, int] = {}
        self.not_text: tuple[int, str] | None = None
        self.stated_score: tuple[float, int] | None = None
        self.stated_zone: tuple[Zone, int] | None = None
        self.stated_sublabel: tuple[Zone | None, str | None, int] | None = None
        self.seen_once: dict[str, int] = {}

    # -- structure

    def _collect(self) -> None:
        current: _Table | None = None
        for i, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("|"):
                cells = split_row(line)
                if current is None:
                    kind = _table_kind(cells[0]) if cells else None
                    current = _Table(kind or "", i, cells)
                    if kind:
                        if kind in self.tables:
                            raise DocumentError(
                                f"line {i}: a second {kind} table (the first starts on line {self.tables[kind].line})"
                            )
                        self.tables[kind] = current
                    continue
                if all(SEPARATOR_RE.match(c) for c in cells) and cells:
                    continue
                current.rows.append((i, cells))
            else:
                current = None
                if line.strip():
                    self.prose.append((i, line))

    def _once(self, field: str, line: int) -> None:
        """A single-valued field (job title, AI growth, published result, ...) given a second time is refused."""
        first = self.seen_once.setdefault(field, line)
        if first != line:
            raise DocumentError(f"line {line}: {field} appears twice (first on line {first}); a document gives it once")

    def _state(self, figure: str, text: str, line: int) -> None:
        self.stated.append(Stated(figure, text, line))

    # -- run

    def run(self) -> tuple[RoleAssessment, Audit]:
        self._collect()
        data: dict = {}
        self._role(data)
        self._tasks(data)
        data["evidence"] = self._ratings("evidence", _EVIDENCE_WORDS, EVIDENCE_LABELS, _EVIDENCE, "evidence total")
        data["barriers"] = self._ratings("barriers", _BARRIER_WORDS, BARRIER_LABELS, _BARRIER, "barrier total")
        self._protective(data)
        self._composite()
        self._sublabel_table()
        self._prose(data)
        if "growth_correlation" not in data:
            raise DocumentError(
                f"AI growth correlation not found; expected an 'AI Growth Correlation' row ({_GROWTH})"
                " in the protective principles table"
            )
        self._comparators(data)
        try:
            assessment = RoleAssessment.model_validate(data)
        except ValidationError as exc:
            raise DocumentError(self._validation_message(exc)) from None
        return assessment, audit_figures(assessment, self.stated, self.m)

    def _validation_message(self, exc: ValidationError) -> str:
        loc = tuple(exc.errors(include_url=False)[0].get("loc", ()))
        line = None
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.locs:
                line = self.locs[loc[:n]]
                break
        text = describe_validation_error(exc)
        return f"line {line}: {text}" if line else text

    # -- tables

    def _role(self, data: dict) -> None:
        table = self.tables.get("role")
        if table is None:
            raise DocumentError("no role definition table; expected a table '| Field | Value |' with a 'Job Title' row")
        for line, cells in table.rows:
            cells = fit(cells, max(2, len(table.header)))
            label = plain_text(cells[0]).lower()
            value = cell_text(cells[1])
            if "title" in label:
                self._once("the job title", line)
                data["title"] = clean_name(value) if value is not None else ""
                self.locs[("title",)] = line
            elif "seniority" in label:
                self._once("the seniority level", line)
                data["seniority"] = value or ""
                self.locs[("seniority",)] = line
            elif re.search(r"\bnot\b", label):
                self._once("'What this role is NOT'", line)
                self.not_text = (line, plain_text(cells[1]))
        if "title" not in data:
            raise DocumentError(f"line {table.line}: role definition table has no 'Job Title' row")

    def _tasks(self, data: dict) -> None:
        table = self.tables.get("tasks")
        if table is None:
            raise DocumentError(
                f"no task table; expected a table '| Task | Time % | Score ({_SCORE}) | Weighted | Aug/Disp | Rationale |'"
            )
        header = [plain_text(h).lower() for h in table.header]
        width = len(header)

        def col(*words: str, exclude: tuple[str, ...] = ()) -> int | None:
            for j, h in enumerate(header[1:], start=1):
                if any(w in h for w in words) and not any(x in h for x in exclude):
                    return j
            return None

        c_share = col("time", "%", "share")
        c_score = col("score", exclude=("weight",))
        c_weighted = col("weight")
        c_mode = col("aug", "disp", "mode")
        c_rationale = col("rationale", "reason", "why", "note")
        if c_share is None or c_score is None:
            missing = "Time %" if c_share is None else f"Score ({_SCORE})"
            raise DocumentError(f"line {table.line}: task table has no '{missing}' column")
        tasks = []
        for line, raw_cells in table.rows:
            cells = fit(raw_cells, width)
            first = plain_text(cells[0]).lower()
            if first == "total" and (len(raw_cells) < width or not cells[c_score].strip()):
                full = len(raw_cells) >= width
                share_cell = cells[c_share] if full else (raw_cells[1] if len(raw_cells) > 1 else "")
                weighted_cell = (cells[c_weighted] if c_weighted is not None else "") if full else raw_cells[-1]
                if share_cell.strip():
                    self._state(
                        "task time total", cell_number(share_cell, line, "task time total", "a percentage")[1], line
                    )
                if weighted_cell.strip() and (full or len(raw_cells) > 2):
                    w = cell_number(weighted_cell, line, "total weighted", "a number")[1]
                    self._state("weighted task score", w, line)
                continue
            name = clean_name(cell_text(cells[0]) or "")
            if not name:
                raise DocumentError(f"line {line}: task name is empty; expected the task's name in the first column")
            k = len(tasks)
            share = cell_number(cells[c_share], line, f"task {short(name)} time %", f"a percentage {_SHARE}")[0]
            task_score = cell_number(cells[c_score], line, f"task {short(name)} score", f"a whole number {_SCORE}")[0]
            task = {
                "name": name,
                "time_share": share,
                "score": task_score,
                "mode": read_mode(cells[c_mode], line) if c_mode is not None else TaskMode.AUGMENTATION,
                "rationale": cell_text(cells[c_rationale]) if c_rationale is not None else None,
            }
            tasks.append(task)
            self.locs[("tasks", k)] = line
            if c_weighted is not None and cells[c_weighted].strip():
                w = cell_number(cells[c_weighted], line, f"task {short(name)} weighted", "a number")[1]
                self._state(f"weighted: {name}", w, line)
        if not tasks:
            raise DocumentError(f"line {table.line}: the task table has no tasks")
        data["tasks"] = tasks
        self.locs[("tasks",)] = table.line
        self.locs[()] = table.line  # the only model-level check: the share total

    def _ratings(self, kind: str, words: dict, labels: dict, allowed: str, total_name: str) -> dict:
        table = self.tables.get(kind)
        title = {"evidence": "evidence", "barriers": "barrier"}[kind]
        if table is None:
            first = {"evidence": "Dimension", "barriers": "Barrier"}[kind]
            raise DocumentError(
                f"no {title} table; expected a table '| {first} | Score | ... |' with a row per {title}"
            )
        width = max(2, len(table.header))
        header = [plain_text(h).lower() for h in table.header]
        c_score = next((j for j, h in enumerate(header) if j and "score" in h), 1)
        out: dict[str, float] = {}
        for line, cells in table.rows:
            cells = fit(cells, width)
            if plain_text(cells[0]).lower().startswith("total"):
                if cells[c_score].strip():
                    self._state(total_name, cell_number(cells[c_score], line, total_name, "a number")[1], line)
                continue
            key = keyword_key(cells[0], words)
            if key is None:
                continue
            if key in out:
                raise DocumentError(f"line {line}: {labels[key]} appears twice in the {title} table")
            out[key] = cell_number(cells[c_score], line, labels[key], f"a whole number {allowed}")[0]
            self.locs[(kind, key)] = line
        missing = [labels[k] for k in words if k not in out]
        if missing:
            raise DocumentError(
                f"line {table.line}: {title} table: missing {', '.join(missing)}; expected a row each ({allowed})"
            )
        self.locs[(kind,)] = table.line
        return out

    def _protective(self, data: dict) -> None:
        table = self.tables.get("protective")
        if table is None:
            raise DocumentError(
                f"no protective principles table; expected '| Principle | Score ({_PROTECTIVE}) | Rationale |'"
                " with a row per"
                " principle and an 'AI Growth Correlation' row"
            )
        width = max(2, len(table.header))
        header = [plain_text(h).lower() for h in table.header]
        c_score = next((j for j, h in enumerate(header) if j and "score" in h), 1)
        out: dict[str, float] = {}
        for line, cells in table.rows:
            cells = fit(cells, width)
            label = plain_text(cells[0]).lower()
            if "growth" in label:
                self._once("the AI growth correlation", line)
                data["growth_correlation"] = cell_number(
                    cells[c_score], line, "AI growth correlation", f"a whole number {_GROWTH}"
                )[0]
                self.locs[("growth_correlation",)] = line
                continue
            if "total" in label:
                if cells[c_score].strip():
                    self._state(
                        "protective total", cell_number(cells[c_score], line, "protective total", "a number")[1], line
                    )
                continue
            key = keyword_key(cells[0], _PROTECTIVE_WORDS)
            if key is None:
                continue
            if key in out:
                raise DocumentError(f"line {line}: {PROTECTIVE_LABELS[key]} appears twice")
            out[key] = cell_number(cells[c_score], line, PROTECTIVE_LABELS[key], f"a whole number {_PROTECTIVE}")[0]
            self.locs[("protective", key)] = line
        missing = [PROTECTIVE_LABELS[k] for k in PROTECTIVE_PRINCIPLES if k not in out]
        if missing:
            raise DocumentError(
                f"line {table.line}: protective principles table: missing {', '.join(missing)}; expected a row each ({_PROTECTIVE})"
            )
        data["protective"] = out
        self.locs[("protective",)] = table.line

    def _composite(self) -> None:
        table = self.tables.get("composite")
        if table is None:
            return
        for line, cells in table.rows:
            cells = fit(cells, 2)
            label = plain_text(cells[0]).lower()
            value = cells[1]
            if not value.strip():
                continue
            if "resistance" in label:
                self._state(
                    "task resistance", cell_number(after_equals(value), line, "task resistance", "a number")[1], line
                )
            elif "raw" in label:
                self._state("raw", cell_number(after_equals(value), line, "raw", "a number")[1], line)
            else:
                for word, name, total in (
                    ("evidence", "evidence modifier", "evidence total"),
                    ("barrier", "barrier modifier", "barrier total"),
                    ("growth", "growth modifier", "growth correlation"),
                ):
                    if word in label:
                        plain = plain_text(value)
                        m = re.search(r"\(\s*([+-]?\s*[0-9]+)\s*[x\u00d7*]", plain)
                        if m:
                            self._state(total, m[1].replace(" ", ""), line)
                        self._state(name, cell_number(after_equals(value), line, name, "a number")[1], line)
                        break

    def _sublabel_table(self) -> None:
        table = self.tables.get("sublabel")
        if table is None:
            return
        for line, cells in table.rows:
            cells = fit(cells, 2)
            label = plain_text(cells[0]).lower()
            if not cells[1].strip():
                continue
            if "sub" in label and "label" in label:
                self._sublabel_statement(cells[1], line)
            elif "task time" in label or "3+" in label:
                self._state("task time at score 3+", cell_number(cells[1], line, label, "a percentage")[1], line)
            elif "growth" in label:
                self._state(
                    "growth correlation", cell_number(cells[1], line, "AI growth correlation", "a number")[1], line
                )

    def _sublabel_statement(self, raw: str, line: int) -> None:
        parsed = zone_and_paren(raw)
        if parsed is None:
            plain = plain_text(raw).lower()
            if plain.startswith(("none", "-", "\u2014", "n/a")):
                self._once("the sub-label", line)
                self._state("sub-label", "none", line)
                self.stated_sublabel = (None, None, line)
            return
        zone, sub, _ = parsed
        self._once("the sub-label", line)
        self._state("sub-label", sub if sub else "none", line)
        self.stated_sublabel = (zone, sub, line)

    def _prose(self, data: dict) -> None:
        for line, raw in self.prose:
            s = plain_text(raw).lstrip("#>-*\u2022 \t").strip()
            low = s.lower()
            if low.startswith("task resistance") and ":" in s:
                self._state(
                    "task resistance",
                    leading_number(after_equals(s.split(":", 1)[1]), line, "task resistance", "a number")[1],
                    line,
                )
            elif low.startswith("displacement/augmentation split") or low.startswith("displacement / augmentation"):
                for word, name in (
                    ("displacement", "displacement share"),
                    ("augmentation", "augmentation share"),
                    ("not involved", "not involved share"),
                ):
                    m = re.search(r"(\S+?)\s*%\s*" + word, s.split(":", 1)[-1], re.IGNORECASE)
                    if m:
                        self._state(name, cell_number(m[1], line, name, "a percentage")[1], line)
            elif re.match(r"raw\s*:", low):
                self._state("raw", leading_number(after_equals(s.split(":", 1)[1]), line, "raw", "a number")[1], line)
            elif re.match(r"(jobzone score|aijri score|jobzone composite score|score)\s*:", low):
                self._once("the score line", line)
                value, written = leading_number(after_equals(s.split(":", 1)[1]), line, "score", f"a number {_PUBLISHED}")
                self._state("score", written, line)
                self.stated_score = (value, line)
            elif re.match(r"zone\s*:", low):
                self._once("the zone line", line)
                parsed = zone_and_paren(s.split(":", 1)[1])
                if parsed is None:
                    raise DocumentError(f"line {line}: zone: expected GREEN, YELLOW or RED")
                self._state("zone", parsed[0].label, line)
                self.stated_zone = (parsed[0], line)
            elif re.match(r"sub-?label\s*:", low):
                self._sublabel_statement(strip_bold(raw).split(":", 1)[1], line)
            elif re.match(r"confirmed at\s*[+-]?[0-9]", low):
                g = leading_number(s[len("confirmed at") :], line, "AI growth correlation", f"a whole number {_GROWTH}")
                if "growth_correlation" in data:
                    self._state("growth correlation", g[1], line)
                else:
                    data["growth_correlation"] = g[0]
                    self.locs[("growth_correlation",)] = line
            elif re.match(r"assessor override\s*:", low):
                self._once("the assessor override", line)
                self._override(data, raw, line)
            elif re.match(r"published result\s*:", low):
                self._once("the published result", line)
                self._published_line(data, raw, line)
        if "published" not in data and self.stated_score is not None:
            value, line = self.stated_score
            zone = self.stated_zone[0] if self.stated_zone is not None else None
            sub = None
            if self.stated_sublabel is not None:
                z2, sub, _ = self.stated_sublabel
                zone = zone or z2
            data["published"] = {"score": value, "zone": zone or zone_of(value, self.m), "sublabel": sub}
            self.locs[("published",)] = line

    def _after_label(self, raw: str) -> str:
        body = strip_bold(raw)
        return body.split(":", 1)[1] if ":" in body else ""

    def _override(self, data: dict, raw: str, line: int) -> None:
        body = self._after_label(raw).strip(PADDING)
        if not body or plain_text(body).lower().startswith("none"):
            data["override"] = None
            return
        parsed = zone_and_paren(body)
        if parsed is None:
            raise DocumentError(
                f"line {line}: assessor override: expected 'None' or a zone (GREEN, YELLOW, RED),"
                " an optional (sub-label), then '\u2014' and the reason"
            )
        zone, sub, rest = parsed
        reason = re.sub(r"^[\u2014\u2013:-][ \t]*", "", rest).strip(PADDING)
        if not reason:
            raise DocumentError(
                f"line {line}: assessor override: the reason is missing; expected '<ZONE> \u2014 <reason>'"
            )
        data["override"] = {"zone": zone, "sublabel": sub, "reason": reason}
        self.locs[("override",)] = line

    def _published_line(self, data: dict, raw: str, line: int) -> None:
        body = strip_bold(self._after_label(raw)).strip(PADDING)
        if not body or unescape(body).lower().startswith("none"):
            data["published"] = None
            return
        # the minus sign has the same length as "-": positions carry over to ``body``
        value, _, end = number_at(
            body.replace("\u2212", "-"), line, "published result", f"'none' or a score {_PUBLISHED} and a zone"
        )
        parsed = zone_and_paren(body[end:])
        if parsed is None:
            raise DocumentError(f"line {line}: published result: expected a zone (GREEN, YELLOW, RED) after the score")
        data["published"] = {"score": value, "zone": parsed[0], "sublabel": parsed[1]}
        self.locs[("published",)] = line

    def _comparators(self, data: dict) -> None:
        table = self.tables.get("comparators")
        if table is not None:
            out = []
            for line, cells in table.rows:
                cells = fit(cells, 3)
                title = clean_name(cell_text(cells[0]) or "")
                value = cell_number(cells[1], line, "comparator score", f"a score {_PUBLISHED}")[0]
                parsed = zone_and_paren(cells[2])
                if parsed is None:
                    raise DocumentError(f"line {line}: comparator zone: expected GREEN, YELLOW or RED")
                self.locs[("comparators", len(out))] = line
                out.append({"title": title, "score": value, "zone": parsed[0], "sublabel": parsed[1]})
            data["comparators"] = out
            return
        found: dict[str, dict] = {}
        own = str(data.get("title", "")).casefold()
        if self.not_text is not None:
            _, text = self.not_text
            # "NOT a <Title> (what it does, scored 68.2 Green Accelerated)"
            for m in _PAREN_RE.finditer(text):
                scored = _SCORED_RE.search(m[1])
                if scored is None:
                    continue
                before = text[max(0, m.start() - _TITLE_WINDOW) : m.start()]
                nots = list(_NOT_WORD_RE.finditer(before))
                if not nots:
                    continue
                title = _title_before(before[nots[-1].end() :])
                if title and title.casefold() != own and title.casefold() not in found:
                    sub = scored[3] if scored[3] and scored[3][0].isupper() else None
                    found[title.casefold()] = {
                        "title": title,
                        "score": float(scored[1]),
                        "zone": ZONES[scored[2].casefold()],
                        "sublabel": sub,
                    }
                if len(found) >= _MAX_COMPARATORS:
                    break
        for _, raw in self.prose:
            if len(found) >= _MAX_COMPARATORS:
                break
            s = plain_text(raw)
            # "<Title> (43.5)" in the commentary: the zone follows from the score
            for m in _MENTION_RE.finditer(s):
                title = _title_before(s[max(0, m.start() - _TITLE_WINDOW) : m.start()])
                if not title or title.casefold() == own or title.casefold() in found:
                    continue
                value = float(m[1])
                found[title.casefold()] = {
                    "title": title,
                    "score": value,
                    "zone": zone_of(value, DEFAULT),
                    "sublabel": None,
                }
                if len(found) >= _MAX_COMPARATORS:
                    break
        if found:
            data["comparators"] = sorted(found.values(), key=lambda c: -c["score"])

    # -- audit
