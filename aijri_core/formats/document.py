"""Assessment documents: read (with an arithmetic audit) and write the published layout.

A document is plain text with pipe tables, laid out like the published assessments:

- tables, recognised by the first cell of their header row (any order, other tables and
  prose are ignored): ``Field`` (role definition: Job Title, Seniority Level, What This
  Role Is NOT), ``Principle`` (protective principles, protective total, AI growth
  correlation), ``Task`` (task decomposition: Time %, Score, Weighted, Aug/Disp,
  Rationale; a ``Total`` row), ``Dimension`` (evidence, ``Total``), ``Barrier``
  (barriers, ``Total``), ``Input`` (composite: task resistance and the three modifiers),
  ``Metric`` (sub-label: % of task time at 3+, growth, sub-label), ``Role`` (comparators);
- lines ``Task Resistance Score: ...``, ``Displacement/Augmentation split: ...``,
  ``Raw: ... = x``, ``JobZone Score: ... = x/100``, ``Zone: GREEN ...``,
  ``Assessor override: None | <ZONE> (<sub-label>) — <reason>``,
  ``Published result: none | <score> <ZONE> (<sub-label>)``, ``Confirmed at +1``.

Tolerated: Windows/Mac line ends, a Unicode minus (U+2212), "+1", percent signs, "2/9"
style totals, ``**bold**`` markers, spacing, extra or reordered sections, and cells with
an unescaped ``|`` in the last column.

What is read into the :class:`RoleAssessment`: title, seniority, tasks (name, share,
score, mode, rationale), the evidence, barrier, protective and growth ratings, the
published result (the ``Published result`` line if present, else the stated score, zone
and sub-label), an override, and comparators (a ``Role`` table if present, else other
roles' figures found in the text: "NOT a <Title> (..., scored 68.2 Green Accelerated)" and
"<Title> (43.5)", whose zone then follows from the score; sorted by score, highest first).

Every other figure the document states is *computed*, and :class:`Audit` lists each one
beside what :func:`aijri_core.score` gives, rounded to the decimals the document shows
(half away from zero), so an arithmetic slip in a document is named.

Writing (:func:`render_assessment_document`) uses the same layout as Markdown (``##``
headings, blank lines between blocks), so the file also reads well in a Markdown viewer. Text in table cells is
escaped so that any text survives: ``\\`` -> ``\\\\``, ``|`` -> ``\\|``, ``*`` -> ``\\*``,
line breaks -> ``\\n``/``\\r``; in a sub-label, parentheses as ``\\(``/``\\)``. A cell
holding just ``\\`` is an empty (but present) text. ``parse(render(a)) == a`` for every valid
assessment.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..errors import AssessmentError, describe_validation_error
from ..io import MAX_UPLOAD_BYTES, decode_text
from ..methodology import DEFAULT, SUBLABELS_BY_CODE, Methodology, Zone, publish_round, zone_of
from ..model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    RoleAssessment,
    TaskMode,
)
from ..scoring import score as score_assessment
from ..textfmt import signed


class DocumentError(AssessmentError):
    """A document that cannot be read as an assessment; names the line and what was expected."""


# ---------------------------------------------------------------- audit


@dataclass(frozen=True)
class AuditRow:
    """One figure the document states, next to the figure the method computes."""

    figure: str
    stated: str
    computed: str
    matches: bool
    line: int | None = None


@dataclass(frozen=True)
class Audit:
    """Every stated figure of a document checked against the method."""

    rows: tuple[AuditRow, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.matches for r in self.rows)

    @property
    def mismatches(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if not r.matches)

    def to_df(self):
        import pandas as pd

        return pd.DataFrame(
            [(r.figure, r.stated, r.computed, r.matches, r.line) for r in self.rows],
            columns=["figure", "stated", "computed", "matches", "line"],
        )

    def summary(self) -> str:
        if not self.rows:
            return "the document states no figures to check"
        if self.ok:
            return f"all {len(self.rows)} stated figures match the method"
        bad = self.mismatches
        names = "; ".join(f"{r.figure}: stated {r.stated}, computed {r.computed}" for r in bad[:5])
        return f"{len(bad)} of {len(self.rows)} stated figures differ from the method: {names}"


# ---------------------------------------------------------------- escaping


_ESCAPES = {"\\": "\\", "|": "|", "*": "*", "n": "\n", "r": "\r", "(": "(", ")": ")"}
_UNESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def _esc(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _esc_cell(text: str | None) -> str:
    """A table cell for an optional text: None -> empty, "" -> a lone backslash."""
    if text is None:
        return ""
    return _esc(text) if text else "\\"


def _esc_paren(text: str) -> str:
    return _esc(text).replace("(", "\\(").replace(")", "\\)")


def _unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _ESCAPES.get(m[1], m[0]), text)


def _strip_bold(text: str) -> str:
    """Remove unescaped ``**`` markers (escaped ``\\*`` stay)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
        elif c == "*" and i + 1 < n and text[i + 1] == "*":
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _text(raw: str) -> str | None:
    """The text of a cell: None when empty, "" for a lone backslash."""
    s = raw.strip()
    if not s:
        return None
    if s == "\\":
        return ""
    return _unescape(_strip_bold(s)).strip()


def _plain(raw: str) -> str:
    """A cell or line for matching labels and numbers: no bold, minus sign normalised."""
    return _unescape(_strip_bold(raw)).replace("\u2212", "-").strip()


def _split_row(line: str) -> list[str]:
    """Cells of a pipe-table line, split on unescaped ``|`` (escapes kept for _text)."""
    s = line.strip()
    cells: list[str] = []
    cur: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "":
        cells = cells[:-1]
    return cells


_SEPARATOR_RE = re.compile(r"^\s*:?-+:?\s*$")
_NUMBER_RE = re.compile(r"[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


# ---------------------------------------------------------------- reading helpers


@dataclass
class _Table:
    kind: str
    line: int
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class _Stated:
    figure: str
    text: str  # the number as written (decides the decimals) or a word
    line: int


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
    label = _plain(first_header_cell).lower()
    for word, kind in _TABLE_KINDS:
        if label.startswith(word):
            return kind
    return None


def _number(raw: str, line: int, what: str, expected: str) -> tuple[float, str]:
    """(value, the number as written) of the leading number in a cell or text."""
    s = _plain(raw)
    m = _NUMBER_RE.match(s)
    if m is None:
        raise DocumentError(f"line {line}: {what}: {_short(s) if s else 'empty'} is not a number; expected {expected}")
    written = m[0].replace(" ", "")
    value = float(written)
    if not math.isfinite(value):
        raise DocumentError(f"line {line}: {what}: {_short(s)} is not a finite number; expected {expected}")
    return value, written


def _after_equals(raw: str) -> str:
    s = _plain(raw)
    return s.rsplit("=", 1)[1] if "=" in s else s


def _short(text: str, limit: int = 50) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


_ZONES = {z.value.casefold(): z for z in Zone}
#: Sub-labels the method computes (GREEN only); others are carried as published.
_METHOD_SUBLABELS = {label.casefold() for label in SUBLABELS_BY_CODE if label}
_ZONE_RE = re.compile(r"\s*(green|yellow|red)\b", re.IGNORECASE)


def _zone_and_paren(raw: str) -> tuple[Zone, str | None, str] | None:
    """(zone, sub-label or None, rest) from ``GREEN (Transforming) ...``; None if no zone."""
    s = _strip_bold(raw)
    m = _ZONE_RE.match(s)
    if m is None:
        return None
    zone = _ZONES[m[1].casefold()]
    rest = s[m.end() :]
    stripped = rest.lstrip()
    if not stripped.startswith("("):
        return zone, None, _unescape(rest).strip()
    i = len(rest) - len(stripped) + 1
    buf: list[str] = []
    while i < len(rest):
        c = rest[i]
        if c == "\\" and i + 1 < len(rest):
            buf.append(rest[i : i + 2])
            i += 2
            continue
        if c == ")":
            return zone, _unescape("".join(buf)).strip(), _unescape(rest[i + 1 :]).strip()
        buf.append(c)
        i += 1
    return zone, None, _unescape(rest).strip()  # no closing parenthesis: not a sub-label


def _keyword_key(label: str, table: dict[str, tuple[str, ...]]) -> str | None:
    low = _plain(label).lower()
    for key, words in table.items():
        if any(w in low for w in words):
            return key
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


def _mode(raw: str, line: int) -> TaskMode:
    s = re.sub(r"[\s_-]+", " ", _plain(raw)).upper()
    if not s or s.startswith("AUG"):
        return TaskMode.AUGMENTATION
    if s.startswith("DISP"):
        return TaskMode.DISPLACEMENT
    if s.startswith(("NOT", "NONE", "N/A", "NA")):
        return TaskMode.NOT_INVOLVED
    raise DocumentError(
        f"line {line}: task mode {_short(_plain(raw))}; expected AUGMENTATION, DISPLACEMENT or NOT INVOLVED"
    )


def _fit(cells: list[str], width: int) -> list[str]:
    """Cells padded to the header width; extra cells (an unescaped | in the last column) joined."""
    if len(cells) > width > 0:
        cells = cells[: width - 1] + ["|".join(cells[width - 1 :])]
    return cells + [""] * (width - len(cells))


_CAPWORD_RE = re.compile(r"[A-Z0-9][\w/&.+'-]*$")
_STOP_WORDS = {"The", "A", "An", "And", "Or", "NOT", "Not", "At", "In", "Than", "Below", "Above", "With", "Both"}
_MENTION_RE = re.compile(r"\((\d{1,3}\.\d)\)")
_PAREN_RE = re.compile(r"\(([^()]{0,400})\)")
_SCORED_RE = re.compile(r"\bscored\s+(\d{1,3}(?:\.\d+)?)\s+(Green|Yellow|Red)\b\s*([A-Za-z]+)?\s*$")
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
        self.stated: list[_Stated] = []
        self.locs: dict[tuple, int] = {}
        self.not_text: tuple[int, str] | None = None
        self.stated_score: tuple[float, int] | None = None
        self.stated_zone: tuple[Zone, int] | None = None
        self.stated_sublabel: tuple[Zone | None, str | None, int] | None = None

    # -- structure

    def _collect(self) -> None:
        current: _Table | None = None
        for i, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("|"):
                cells = _split_row(line)
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
                if all(_SEPARATOR_RE.match(c) for c in cells) and cells:
                    continue
                current.rows.append((i, cells))
            else:
                current = None
                if line.strip():
                    self.prose.append((i, line))

    def _state(self, figure: str, text: str, line: int) -> None:
        self.stated.append(_Stated(figure, text, line))

    # -- run

    def run(self) -> tuple[RoleAssessment, Audit]:
        self._collect()
        data: dict = {}
        self._role(data)
        self._tasks(data)
        data["evidence"] = self._ratings("evidence", _EVIDENCE_WORDS, EVIDENCE_LABELS, "-2 to +2", "evidence total")
        data["barriers"] = self._ratings("barriers", _BARRIER_WORDS, BARRIER_LABELS, "0 to 2", "barrier total")
        self._protective(data)
        self._composite()
        self._sublabel_table()
        self._prose(data)
        if "growth_correlation" not in data:
            raise DocumentError(
                "AI growth correlation not found; expected an 'AI Growth Correlation' row (-2 to +2)"
                " in the protective principles table"
            )
        self._comparators(data)
        try:
            assessment = RoleAssessment.model_validate(data)
        except ValidationError as exc:
            raise DocumentError(self._validation_message(exc)) from None
        return assessment, self._audit(assessment)

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
            cells = _fit(cells, max(2, len(table.header)))
            label = _plain(cells[0]).lower()
            value = _text(cells[1])
            if "title" in label:
                data["title"] = value if value is not None else ""
                self.locs[("title",)] = line
            elif "seniority" in label:
                data["seniority"] = value or ""
                self.locs[("seniority",)] = line
            elif re.search(r"\bnot\b", label):
                self.not_text = (line, _plain(cells[1]))
        if "title" not in data:
            raise DocumentError(f"line {table.line}: role definition table has no 'Job Title' row")

    def _tasks(self, data: dict) -> None:
        table = self.tables.get("tasks")
        if table is None:
            raise DocumentError(
                "no task table; expected a table '| Task | Time % | Score (1-5) | Weighted | Aug/Disp | Rationale |'"
            )
        header = [_plain(h).lower() for h in table.header]
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
            missing = "Time %" if c_share is None else "Score (1-5)"
            raise DocumentError(f"line {table.line}: task table has no '{missing}' column")
        tasks = []
        for line, raw_cells in table.rows:
            cells = _fit(raw_cells, width)
            first = _plain(cells[0]).lower()
            if first == "total" and (len(raw_cells) < width or not cells[c_score].strip()):
                full = len(raw_cells) >= width
                share_cell = cells[c_share] if full else (raw_cells[1] if len(raw_cells) > 1 else "")
                weighted_cell = (cells[c_weighted] if c_weighted is not None else "") if full else raw_cells[-1]
                if share_cell.strip():
                    self._state("task time total", _number(share_cell, line, "task time total", "a percentage")[1], line)
                if weighted_cell.strip() and (full or len(raw_cells) > 2):
                    w = _number(weighted_cell, line, "total weighted", "a number")[1]
                    self._state("weighted task score", w, line)
                continue
            name = _text(cells[0])
            if not name:
                raise DocumentError(f"line {line}: task name is empty; expected the task's name in the first column")
            k = len(tasks)
            share = _number(cells[c_share], line, f"task {_short(name)} time %", "a percentage 0-100")[0]
            task_score = _number(cells[c_score], line, f"task {_short(name)} score", "a whole number 1-5")[0]
            task = {
                "name": name,
                "time_share": share,
                "score": task_score,
                "mode": _mode(cells[c_mode], line) if c_mode is not None else TaskMode.AUGMENTATION,
                "rationale": _text(cells[c_rationale]) if c_rationale is not None else None,
            }
            tasks.append(task)
            self.locs[("tasks", k)] = line
            if c_weighted is not None and cells[c_weighted].strip():
                w = _number(cells[c_weighted], line, f"task {_short(name)} weighted", "a number")[1]
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
            raise DocumentError(f"no {title} table; expected a table '| {first} | Score | ... |' with a row per {title}")
        width = max(2, len(table.header))
        header = [_plain(h).lower() for h in table.header]
        c_score = next((j for j, h in enumerate(header) if j and "score" in h), 1)
        out: dict[str, float] = {}
        for line, cells in table.rows:
            cells = _fit(cells, width)
            if _plain(cells[0]).lower().startswith("total"):
                if cells[c_score].strip():
                    self._state(total_name, _number(cells[c_score], line, total_name, "a number")[1], line)
                continue
            key = _keyword_key(cells[0], words)
            if key is None:
                continue
            if key in out:
                raise DocumentError(f"line {line}: {labels[key]} appears twice in the {title} table")
            out[key] = _number(cells[c_score], line, labels[key], f"a whole number {allowed}")[0]
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
                "no protective principles table; expected '| Principle | Score (0-3) | Rationale |' with a row per"
                " principle and an 'AI Growth Correlation' row"
            )
        width = max(2, len(table.header))
        header = [_plain(h).lower() for h in table.header]
        c_score = next((j for j, h in enumerate(header) if j and "score" in h), 1)
        out: dict[str, float] = {}
        for line, cells in table.rows:
            cells = _fit(cells, width)
            label = _plain(cells[0]).lower()
            if "growth" in label:
                data["growth_correlation"] = _number(cells[c_score], line, "AI growth correlation", "a whole number -2 to +2")[0]
                self.locs[("growth_correlation",)] = line
                continue
            if "total" in label:
                if cells[c_score].strip():
                    self._state("protective total", _number(cells[c_score], line, "protective total", "a number")[1], line)
                continue
            key = _keyword_key(cells[0], _PROTECTIVE_WORDS)
            if key is None:
                continue
            if key in out:
                raise DocumentError(f"line {line}: {PROTECTIVE_LABELS[key]} appears twice")
            out[key] = _number(cells[c_score], line, PROTECTIVE_LABELS[key], "a whole number 0-3")[0]
            self.locs[("protective", key)] = line
        missing = [PROTECTIVE_LABELS[k] for k in PROTECTIVE_PRINCIPLES if k not in out]
        if missing:
            raise DocumentError(
                f"line {table.line}: protective principles table: missing {', '.join(missing)}; expected a row each (0-3)"
            )
        data["protective"] = out
        self.locs[("protective",)] = table.line

    def _composite(self) -> None:
        table = self.tables.get("composite")
        if table is None:
            return
        for line, cells in table.rows:
            cells = _fit(cells, 2)
            label = _plain(cells[0]).lower()
            value = cells[1]
            if not value.strip():
                continue
            if "resistance" in label:
                self._state("task resistance", _number(_after_equals(value), line, "task resistance", "a number")[1], line)
            elif "raw" in label:
                self._state("raw", _number(_after_equals(value), line, "raw", "a number")[1], line)
            else:
                for word, name, total in (
                    ("evidence", "evidence modifier", "evidence total"),
                    ("barrier", "barrier modifier", "barrier total"),
                    ("growth", "growth modifier", "growth correlation"),
                ):
                    if word in label:
                        plain = _plain(value)
                        m = re.search(r"\(\s*([+-]?\s*\d+)\s*[x\u00d7*]", plain)
                        if m:
                            self._state(total, m[1].replace(" ", ""), line)
                        self._state(name, _number(_after_equals(value), line, name, "a number")[1], line)
                        break

    def _sublabel_table(self) -> None:
        table = self.tables.get("sublabel")
        if table is None:
            return
        for line, cells in table.rows:
            cells = _fit(cells, 2)
            label = _plain(cells[0]).lower()
            if not cells[1].strip():
                continue
            if "sub" in label and "label" in label:
                self._sublabel_statement(cells[1], line)
            elif "task time" in label or "3+" in label:
                self._state("task time at score 3+", _number(cells[1], line, label, "a percentage")[1], line)
            elif "growth" in label:
                self._state("growth correlation", _number(cells[1], line, "AI growth correlation", "a number")[1], line)

    def _sublabel_statement(self, raw: str, line: int) -> None:
        parsed = _zone_and_paren(raw)
        if parsed is None:
            plain = _plain(raw).lower()
            if plain.startswith(("none", "-", "\u2014", "n/a")):
                self._state("sub-label", "none", line)
                self.stated_sublabel = (None, None, line)
            return
        zone, sub, _ = parsed
        self._state("sub-label", sub if sub else "none", line)
        self.stated_sublabel = (zone, sub, line)

    def _prose(self, data: dict) -> None:
        for line, raw in self.prose:
            s = _plain(raw).lstrip("#>-*\u2022 \t").strip()
            low = s.lower()
            if low.startswith("task resistance") and ":" in s:
                self._state("task resistance", _number(_after_equals(s.split(":", 1)[1]), line, "task resistance", "a number")[1], line)
            elif low.startswith("displacement/augmentation split") or low.startswith("displacement / augmentation"):
                for word, name in (
                    ("displacement", "displacement share"),
                    ("augmentation", "augmentation share"),
                    ("not involved", "not involved share"),
                ):
                    m = re.search(r"([+-]?\d+(?:\.\d+)?)\s*%\s*" + word, s.split(":", 1)[-1], re.IGNORECASE)
                    if m:
                        self._state(name, m[1], line)
            elif re.match(r"raw\s*:", low):
                self._state("raw", _number(_after_equals(s.split(":", 1)[1]), line, "raw", "a number")[1], line)
            elif re.match(r"(jobzone score|aijri score|jobzone composite score|score)\s*:", low):
                value, written = _number(_after_equals(s.split(":", 1)[1]), line, "score", "a number 0-100")
                self._state("score", written, line)
                self.stated_score = (value, line)
            elif re.match(r"zone\s*:", low):
                parsed = _zone_and_paren(s.split(":", 1)[1])
                if parsed is None:
                    raise DocumentError(f"line {line}: zone: expected GREEN, YELLOW or RED")
                self._state("zone", parsed[0].label, line)
                self.stated_zone = (parsed[0], line)
            elif re.match(r"sub-?label\s*:", low):
                self._sublabel_statement(_strip_bold(raw).split(":", 1)[1], line)
            elif re.match(r"confirmed at\s*[+-]?\d", low):
                g = _number(s[len("confirmed at") :], line, "AI growth correlation", "a whole number -2 to +2")
                if "growth_correlation" in data:
                    self._state("growth correlation", g[1], line)
                else:
                    data["growth_correlation"] = g[0]
                    self.locs[("growth_correlation",)] = line
            elif re.match(r"assessor override\s*:", low):
                self._override(data, raw, line)
            elif re.match(r"published result\s*:", low):
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
        body = _strip_bold(raw)
        return body.split(":", 1)[1] if ":" in body else ""

    def _override(self, data: dict, raw: str, line: int) -> None:
        body = self._after_label(raw).strip()
        if not body or _plain(body).lower().startswith("none"):
            data["override"] = None
            return
        parsed = _zone_and_paren(body)
        if parsed is None:
            raise DocumentError(
                f"line {line}: assessor override: expected 'None' or a zone (GREEN, YELLOW, RED),"
                " an optional (sub-label), then '\u2014' and the reason"
            )
        zone, sub, rest = parsed
        reason = re.sub(r"^[\u2014\u2013:-]\s*", "", rest).strip()
        if not reason:
            raise DocumentError(f"line {line}: assessor override: the reason is missing; expected '<ZONE> \u2014 <reason>'")
        data["override"] = {"zone": zone, "sublabel": sub, "reason": reason}
        self.locs[("override",)] = line

    def _published_line(self, data: dict, raw: str, line: int) -> None:
        body = _strip_bold(self._after_label(raw)).strip()
        if not body or _unescape(body).lower().startswith("none"):
            data["published"] = None
            return
        m = _NUMBER_RE.match(body.replace("\u2212", "-"))  # same length: positions carry over
        if m is None:
            raise DocumentError(f"line {line}: published result: expected 'none' or a score 0-100 and a zone")
        value = float(m[0].replace(" ", ""))
        parsed = _zone_and_paren(body[m.end() :])
        if parsed is None:
            raise DocumentError(f"line {line}: published result: expected a zone (GREEN, YELLOW, RED) after the score")
        data["published"] = {"score": value, "zone": parsed[0], "sublabel": parsed[1]}
        self.locs[("published",)] = line

    def _comparators(self, data: dict) -> None:
        table = self.tables.get("comparators")
        if table is not None:
            out = []
            for line, cells in table.rows:
                cells = _fit(cells, 3)
                title = _text(cells[0])
                value = _number(cells[1], line, "comparator score", "a score 0-100")[0]
                parsed = _zone_and_paren(cells[2])
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
                        "zone": _ZONES[scored[2].casefold()],
                        "sublabel": sub,
                    }
                if len(found) >= _MAX_COMPARATORS:
                    break
        for _, raw in self.prose:
            if len(found) >= _MAX_COMPARATORS:
                break
            s = _plain(raw)
            # "<Title> (43.5)" in the commentary: the zone follows from the score
            for m in _MENTION_RE.finditer(s):
                title = _title_before(s[max(0, m.start() - _TITLE_WINDOW) : m.start()])
                if not title or title.casefold() == own or title.casefold() in found:
                    continue
                value = float(m[1])
                found[title.casefold()] = {"title": title, "score": value, "zone": zone_of(value, DEFAULT), "sublabel": None}
                if len(found) >= _MAX_COMPARATORS:
                    break
        if found:
            data["comparators"] = sorted(found.values(), key=lambda c: -c["score"])

    # -- audit

    def _audit(self, a: RoleAssessment) -> Audit:
        s = score_assessment(a, self.m)
        weighted = {f"weighted: {t.name}": w for t, w in zip(a.tasks, s.task_weighted, strict=True)}
        numbers: dict[str, float] = {
            **weighted,
            "task time total": a.share_total,
            "weighted task score": s.weighted_task_score,
            "task resistance": s.task_resistance,
            "displacement share": s.displacement_share,
            "augmentation share": s.augmentation_share,
            "not involved share": s.not_involved_share,
            "evidence total": s.evidence_total,
            "evidence modifier": s.evidence_modifier,
            "barrier total": s.barrier_total,
            "barrier modifier": s.barrier_modifier,
            "growth correlation": s.growth_correlation,
            "growth modifier": s.growth_modifier,
            "raw": s.raw,
            "score": s.score,
            "task time at score 3+": s.share_time_score_3_plus,
            "protective total": s.protective_total,
        }
        words = {"zone": s.zone.label, "sub-label": s.sublabel or "none"}
        rows = []
        for st in sorted(self.stated, key=lambda x: x.line):
            if st.figure == "sub-label" and s.zone is not Zone.GREEN and st.text.casefold() not in _METHOD_SUBLABELS:
                # YELLOW/RED sub-labels ("Urgent", ...) follow no published rule: nothing to recompute
                continue
            if st.figure in words:
                computed = words[st.figure]
                rows.append(AuditRow(st.figure, st.text, computed, st.text.casefold() == computed.casefold(), st.line))
                continue
            value = numbers[st.figure]
            decimals = len(st.text.split(".", 1)[1]) if "." in st.text and "e" not in st.text.lower() else 0
            decimals = min(decimals, 6)
            stated = float(st.text)
            rounded = publish_round(value, decimals)
            matches = abs(rounded - stated) < 10 ** -(decimals + 3)
            rows.append(AuditRow(st.figure, st.text, f"{rounded:.{decimals}f}", matches, st.line))
        return Audit(tuple(rows))


# ---------------------------------------------------------------- render


def _fixed(value: float, decimals: int) -> str:
    """A figure rounded half away from zero to ``decimals`` (what the audit compares)."""
    return f"{publish_round(value, decimals):.{decimals}f}"


def _pct(value: float) -> str:
    text = _fixed(value, 1)
    return text[:-2] if text.endswith(".0") else text


def _num(value: float) -> str:
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)



def _paren(sub: str | None) -> str:
    return "" if sub is None else f" ({_esc_paren(sub)})"


_MODE_WORDS = {
    TaskMode.AUGMENTATION: "AUGMENTATION",
    TaskMode.DISPLACEMENT: "DISPLACEMENT",
    TaskMode.NOT_INVOLVED: "NOT INVOLVED",
}


def render_assessment_document(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> str:
    """The assessment as a document in the published layout (figures computed by the method)."""
    a = assessment
    m = methodology
    s = score_assessment(a, m)
    n_barriers = 2 * len(BARRIERS)
    n_protective = 3 * len(PROTECTIVE_PRINCIPLES)
    out: list[str] = []
    add = out.append

    def heading(text: str) -> None:
        """A markdown heading between blank lines (the parser skips headings and blank lines)."""
        if out:
            add("")
        add(f"## {text}")
        add("")

    def gap() -> None:
        add("")

    heading("Role Definition")
    add("| Field | Value |")
    add("|---|---|")
    add(f"| Job Title | {_esc(a.title)} |")
    add(f"| Seniority Level | {_esc(a.seniority)} |")

    heading("Protective Principles + AI Growth Correlation")
    add("| Principle | Score (0-3) | Rationale |")
    add("|---|---|---|")
    for p in PROTECTIVE_PRINCIPLES:
        add(f"| {PROTECTIVE_LABELS[p]} | {getattr(a.protective, p)} | |")
    add(f"| Protective Total | {s.protective_total}/{n_protective} | |")
    add(f"| AI Growth Correlation | {signed(a.growth_correlation)} | |")

    heading("Task Decomposition")
    add("| Task | Time % | Score (1-5) | Weighted | Aug/Disp | Rationale |")
    add("|---|---|---|---|---|---|")
    for t, w in zip(a.tasks, s.task_weighted, strict=True):
        add(
            f"| {_esc(t.name)} | {_num(t.time_share)}% | {t.score} | {_fixed(w, 2)} | {_MODE_WORDS[t.mode]} |"
            f" {_esc_cell(t.rationale)} |"
        )
    add(f"| Total | {_pct(a.share_total)}% | | {_fixed(s.weighted_task_score, 2)} | | |")
    gap()
    add(
        f"Task Resistance Score: {m.task_resistance_ceiling:.2f} - {_fixed(s.weighted_task_score, 2)}"
        f" = {_fixed(s.task_resistance, 2)}/5.0"
    )
    gap()
    add(
        f"Displacement/Augmentation split: {_pct(s.displacement_share)}% displacement,"
        f" {_pct(s.augmentation_share)}% augmentation, {_pct(s.not_involved_share)}% not involved."
    )

    heading("Evidence Score")
    add("| Dimension | Score (-2 to 2) | Evidence |")
    add("|---|---|---|")
    for d in EVIDENCE_DIMENSIONS:
        add(f"| {EVIDENCE_LABELS[d]} | {signed(getattr(a.evidence, d))} | |")
    add(f"| Total | {signed(s.evidence_total)} | |")

    heading("Barrier Assessment")
    add("| Barrier | Score (0-2) | Rationale |")
    add("|---|---|---|")
    for b in BARRIERS:
        add(f"| {BARRIER_LABELS[b]} | {getattr(a.barriers, b)} | |")
    add(f"| Total | {s.barrier_total}/{n_barriers} | |")

    heading("JobZone Composite Score (AIJRI)")
    add("| Input | Value |")
    add("|---|---|")
    add(f"| Task Resistance Score | {_fixed(s.task_resistance, 2)}/5.0 |")
    add(f"| Evidence Modifier | 1.0 + ({s.evidence_total} x {m.evidence_weight:g}) = {_fixed(s.evidence_modifier, 2)} |")
    add(f"| Barrier Modifier | 1.0 + ({s.barrier_total} x {m.barrier_weight:g}) = {_fixed(s.barrier_modifier, 2)} |")
    add(
        f"| Growth Modifier | 1.0 + ({s.growth_correlation} x {m.growth_weight:g}) = {_fixed(s.growth_modifier, 2)} |"
    )
    gap()
    add(
        f"Raw: {_fixed(s.task_resistance, 2)} x {_fixed(s.evidence_modifier, 2)} x {_fixed(s.barrier_modifier, 2)}"
        f" x {_fixed(s.growth_modifier, 2)} = {_fixed(s.raw, 4)}"
    )
    capped = " (capped to the 0-100 scale)" if s.clamped else ""
    gap()
    add(
        f"JobZone Score: ({_fixed(s.raw, 4)} - {m.normalisation_offset:g}) / {m.normalisation_span:g} x 100"
        f" = {_fixed(s.score, m.decimals)}/100{capped}"
    )
    gap()
    add(
        f"Zone: {s.zone.label} (Green >= {m.green_threshold:g}, Yellow {m.yellow_threshold:g} to below"
        f" {m.green_threshold:g}, Red < {m.yellow_threshold:g})"
    )

    heading("Sub-Label Determination")
    add("| Metric | Value |")
    add("|---|---|")
    add(f"| % of task time scoring {m.transforming_score}+ | {_pct(s.share_time_score_3_plus)}% |")
    add(f"| AI Growth Correlation | {signed(s.growth_correlation)} |")
    add(f"| Sub-label | {s.zone.value}{_paren(s.sublabel)} |")

    gap()
    if a.published is None:
        add("Published result: none")
    else:
        p = a.published
        add(f"Published result: {_num(p.score)} {p.zone.label}{_paren(p.sublabel)}")
    gap()
    if a.override is None:
        add("Assessor override: None (the formula's zone stands)")
    else:
        o = a.override
        add(f"Assessor override: {o.zone.label}{_paren(o.sublabel)} \u2014 {_esc(o.reason)}")

    if a.comparators is not None:
        heading("Comparators")
        add("| Role | Score | Zone |")
        add("|---|---|---|")
        for c in a.comparators:
            add(f"| {_esc(c.title)} | {_num(c.score)} | {c.zone.label}{_paren(c.sublabel)} |")
    return "\n".join(out) + "\n"
