"""Scenarios as CSV, for people and exactly: a long layout (one row per change) and a wide
layout (one row per scenario). Both export and both import; the importer tells them apart
by the header.

Long layout, one row per input a scenario moves::

    role, trajectory, step, scenario, input, knob, value, note

- ``role``: the role's title (for the reader; the importer uses the role it imports into).
- ``trajectory``: the trajectory the scenario belongs to, empty = none.
- ``step``: the scenario's position in its trajectory (e.g. "2028"); empty = none.
- ``scenario``: the scenario's name (rows of one scenario share it; they may be anywhere in
  the file, the first row fixes the scenario's place in the order).
- ``input``: the input's readable label, e.g. "Model serving: time %".
- ``knob``: the input's id (``task:<task name>:score``, ``task:<task name>:share``,
  ``evidence:<dimension>``, ``barrier:<barrier>``, ``growth``). A row may leave ``knob``
  empty and name the input by its label only.
- ``value``: the input's value, with full float precision (``repr``) so that export ->
  import gives the same numbers bit for bit.
- ``note``: the scenario's note.

Trajectory, step and note repeat on every row of a scenario; the importer requires them to
agree. A scenario without changes has one row with empty ``input``, ``knob`` and ``value``.
``scenario`` and ``value`` and one of ``knob`` / ``input`` are required columns; the others
may be left out. The layout written before (``scenario, step, knob, value, note,
trajectory``) is the same format with fewer columns and still imports.

Wide layout, one row per scenario::

    role, trajectory, step, scenario, note, score, zone, sublabel, <input label>, ...

One column per input of the role, holding the value the input takes in that scenario
(time shares rounded to 0.01, the score to the published decimals). On import, score, zone
and sub-label are recomputed (their cells are not read) and the scenario's changes are the
inputs whose value differs from the role's; an empty input cell means "as the role has it".
Shares read back from rounded cells can differ from the exported scenario's by up to
0.01 percentage points; the long layout is the exact one. Every task a scenario keeps or adds
has its share in its cell (a task left alone holds all the time), ``removed`` marks a task of
the role the scenario removes; tasks added come back in the order of their columns.

Header names are matched case-insensitively, in any order; a file separated by ``;`` or
tabs (as some spreadsheet locales save it) is read with that separator, told from the header
read as CSV (a comma inside a quoted name, or unquoted in a ";" file, does not count). Numbers
are written with a decimal point in every layout and separator. Files are UTF-8
with a byte-order mark (so spreadsheets pick the right encoding), CRLF line ends, and text
cells guarded against formula injection (see :mod:`.csv_safety`); the importer undoes the
guard, so names survive exactly.

Import is all or nothing: every bad line is reported (up to :data:`MAX_PROBLEMS`), each
with its line, column, value and the allowed range, and nothing is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import MAX_UPLOAD_BYTES, decode_text
from ..knobs import (
    KNOB_ID_FORMS,
    MODE_CODES,
    Knob,
    KnobId,
    TaskChange,
    apply_changes,
    knob_from_id,
    knobs,
    task_change,
    task_knob,
    task_mode_id,
    task_remove_id,
    values,
)
from ..methodology import DEFAULT, Methodology
from ..model import (
    BARRIER_LABELS,
    EVIDENCE_LABELS,
    MAX_TASKS,
    RoleAssessment,
    Scenario,
    TaskMode,
    parse_number,
)
from ..scoring import score
from .csv_safety import guard, guard_optional, unguard, unguard_optional

LONG_COLUMNS = ("role", "trajectory", "step", "scenario", "input", "knob", "value", "note")
WIDE_COLUMNS = ("role", "trajectory", "step", "scenario", "note", "score", "zone", "sublabel")
#: Wide columns the importer recomputes instead of reading.
WIDE_RESULT_COLUMNS = ("score", "zone", "sublabel")
#: Decimals of time shares in the wide layout.
WIDE_SHARE_DECIMALS = 2
#: Most data rows an import accepts (a scenario moves at most ~90 knobs).
MAX_CSV_ROWS = 20_000
#: Where a file over the app's caps can still be imported (all or nothing, in one transaction).
CLI_IMPORT = "the command line imports larger files: aijri scenarios import FILE.csv --role ROLE_KEY"
#: The command line's caps (100,000 scenarios of five changes make a 47 MB long CSV).
CLI_MAX_BYTES = 256 * 1024 * 1024
CLI_MAX_ROWS = 5_000_000
#: Most problems one failed import lists.
MAX_PROBLEMS = 50
MAX_CHANGES = 2 * MAX_TASKS + 11
ENCODING = "utf-8-sig"
LINE_END = "\r\n"


@dataclass(frozen=True)
class Problem:
    """One bad spot of an imported file: where, what was there, what is allowed."""

    line: int
    column: str
    value: str
    allowed: str
    message: str  # the whole sentence, starting with "line N"


class CSVFormatError(AIJRIError):
    """A scenario CSV that cannot be read. ``problems`` lists every bad spot found (up to
    MAX_PROBLEMS); the message names each one's line and column."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems: list[Problem] = problems or []


def format_value(value: float) -> str:
    """A number as written to CSV: whole numbers without ".0", others with repr() precision."""
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def _writer(buf: io.StringIO):
    return csv.writer(buf, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)


# ---------------------------------------------------------------- knob ids and labels


@lru_cache(maxsize=4096)
def knob_from_label(label: str) -> Knob | None:
    """The knob a readable label names ("Model serving: time %", "Evidence: Wage trends",
    "AI growth correlation"; case-insensitive for the fixed words), or None. Cached by label
    (a frozen answer): an import reads the same few labels on every row."""
    text = label.strip()
    folded = text.casefold()
    if folded == "ai growth correlation":
        return knob_from_id("growth")
    for prefix, labels, kind in (("evidence: ", EVIDENCE_LABELS, "evidence"), ("barrier: ", BARRIER_LABELS, "barrier")):
        if folded.startswith(prefix):
            for key, name in labels.items():
                if folded[len(prefix):].strip() == name.casefold():
                    return knob_from_id(KnobId(kind, key).format())
    for suffix, field in ((": time %", "share"), (": score", "score"), (": mode", "mode"), (": removed", "remove")):
        if folded.endswith(suffix):
            return knob_from_id(KnobId.task(text[: -len(suffix)].strip(), field).format())
    return None


# ---------------------------------------------------------------- export


def write_scenarios_csv(out: BinaryIO, scenarios: Iterable[Scenario], role: str = "") -> int:
    """Write the long CSV (UTF-8 with BOM) of the scenarios to ``out`` as they come (an
    iterator from the store is read once, never held whole); returns how many were written.
    ``role`` is the title written in the role column."""
    text = io.TextIOWrapper(out, encoding=ENCODING, newline="")
    w = _writer(text)
    w.writerow(LONG_COLUMNS)
    role_cell = guard(role)
    id_cells: dict[str, tuple[str, str]] = {}
    count = 0
    for s in scenarios:
        head = (role_cell, guard_optional(s.trajectory), guard_optional(s.position), guard(s.name))
        note = guard(s.note)
        if not s.changes:
            w.writerow((*head, "", "", "", note))
        for knob_id, value in s.changes.items():
            cells = id_cells.get(knob_id)
            if cells is None:  # ids repeat across a library: label and id cells made once each
                k = knob_from_id(knob_id)
                cells = id_cells[knob_id] = (guard(k.label if k is not None else ""), guard(knob_id))
            w.writerow((*head, *cells, format_value(value), note))
        count += 1
    text.flush()
    text.detach()
    return count


def scenarios_to_csv(scenarios: Iterable[Scenario], role: str = "") -> bytes:
    """The long CSV (UTF-8 with BOM) of the scenarios, in their order; ``role`` is the title
    written in the role column."""
    buf = io.BytesIO()
    write_scenarios_csv(buf, scenarios, role)
    return buf.getvalue()


#: A wide cell for a task the scenario removes (in that task's score and time % columns).
REMOVED = "removed"


def _wide_value(k: Knob, value: float) -> str:
    if k.kind == "share":
        return format_value(round(value, WIDE_SHARE_DECIMALS))
    return format_value(value)


class _WideColumns:
    """The wide layout's input columns: the role's knobs, then the score and time % of each task
    a scenario adds, then the mode of each task a scenario adds or sets a mode for (collected
    scenario by scenario, so a stream of scenarios is read once)."""

    def __init__(self, base: RoleAssessment) -> None:
        self.base_knobs = knobs(base)
        self.names = {t.name for t in base.tasks}
        self.added: dict[str, None] = {}
        self.moded: dict[str, None] = {}
        self._by_id: dict[str, Knob | TaskChange | None] = {}  # ids repeat across a library

    def see(self, s: Scenario) -> bool:
        """Note the columns ``s`` needs; True if it reshapes the role (adds, removes or re-modes a task)."""
        reshapes = False
        for kid in s.changes:
            k = self._by_id.get(kid, False)
            if k is False:
                k = self._by_id[kid] = knob_from_id(kid)
            if k is None or k.group != "tasks":
                continue
            if k.target not in self.names and k.kind in ("score", "share"):
                self.added[k.target] = None
            if k.kind == "mode" or (k.target not in self.names and k.kind in ("score", "share")):
                self.moded[k.target] = None
            reshapes = reshapes or k.kind in ("mode", "remove") or k.target not in self.names
        return reshapes

    def extra(self) -> list[Knob | TaskChange]:
        out: list[Knob | TaskChange] = []
        for name in self.added:
            out += [task_knob(name, "score"), task_knob(name, "share")]
        out += [task_change(name, "mode") for name in self.moded]
        return out


def _wide_values(changed: RoleAssessment) -> dict[str, float]:
    """Every input's value in a scenario, each task's time share included (a role left with one
    task has no share knob, but its cell holds the share: 100, or the role's total)."""
    return {**values(changed), **{task_knob(t.name, "share").id: t.time_share for t in changed.tasks}}


def _wide_cell(k: Knob | TaskChange, modes: dict[str, TaskMode], vals: dict[str, float], base_names: set[str]) -> str:
    """A wide cell: the input's value in the scenario (``_wide_values``); "removed" for a task of
    the role the scenario removes; empty for a task another scenario adds. ``modes``: the changed
    role's task modes by name."""
    if isinstance(k, TaskChange):
        mode = modes.get(k.target)
        return mode.value if mode is not None else ""
    if k.id in vals:
        return _wide_value(k, vals[k.id])
    return REMOVED if k.target in base_names else ""


#: Scenarios scored together by the wide export (``scenario_batch.evaluate_scenarios``).
WIDE_BATCH = 5_000


def write_summary_csv(
    out: BinaryIO,
    base: RoleAssessment,
    scenarios: Iterable[Scenario],
    methodology: Methodology = DEFAULT,
    skip_misfits: bool = False,
) -> int:
    """Write the wide CSV to ``out``: per scenario its trajectory, step, note, score, zone,
    sub-label and the value of every input of the role (readable headers; it imports back).

    Scenarios are read once, scored a batch at a time (``evaluate_scenarios``: one array
    computation per batch). The columns of tasks that scenarios add are known only at the
    end, so rows are kept as finished lines until then (a few hundred bytes each), and the
    rare rows that reshape the role keep their inputs to fill those columns. A scenario that
    does not apply to the role raises its error (naming the change), or is left out with
    ``skip_misfits``. Returns the row count.
    """
    from ..scenario_batch import evaluate_scenarios

    m = methodology
    cols = _WideColumns(base)
    base_names = cols.names
    base_modes = {t.name: t.mode for t in base.tasks}
    base_score = score(base, m)
    title = guard(base.title)
    buf = io.StringIO()
    w = _writer(buf)
    lines: list[str] = []
    reshaped: dict[int, tuple[dict[str, TaskMode], dict[str, float]]] = {}
    batch: list[Scenario] = []
    plain_cols = [(k.id, k.kind) for k in cols.base_knobs]  # every base knob is a Knob (no TaskChange)
    kinds = {k.kind: k for k in cols.base_knobs}  # _wide_value reads only the kind
    seen: dict[tuple[str, float], str] = {}

    def flush() -> None:
        for s, r in zip(batch, evaluate_scenarios(base, batch, m, with_values=True), strict=True):
            if isinstance(r, AIJRIError):
                if skip_misfits:
                    continue
                raise r
            vals, modes = r.values, r.modes
            if cols.see(s):  # a reshaped role (rare): its cells from the role itself, every task's share included
                changed = apply_changes(base, s.changes)
                vals, modes = _wide_values(changed), {t.name: t.mode for t in changed.tasks}
                reshaped[len(lines)] = (modes, vals)
            zone, sub = (base_score.zone, base_score.sublabel) if r.overridden else (r.zone, r.sublabel)
            buf.seek(0)
            buf.truncate()
            if all(kid in vals for kid, _ in plain_cols):  # the role's own inputs: cells by value, memoised
                cells = []
                for kid, kind in plain_cols:
                    v = vals[kid]
                    cell = seen.get((kind, v))
                    if cell is None:
                        cell = seen[(kind, v)] = _wide_value(kinds[kind], v)
                    cells.append(cell)
            else:
                cells = [_wide_cell(k, modes, vals, base_names) for k in cols.base_knobs]
            w.writerow((
                title, guard_optional(s.trajectory), guard_optional(s.position), guard(s.name), guard(s.note),
                f"{r.score:.{m.decimals}f}", zone.label, sub or "", *cells,
            ))
            lines.append(buf.getvalue())
        batch.clear()

    for s in scenarios:
        batch.append(s)
        if len(batch) >= WIDE_BATCH:
            flush()
    flush()
    extra = cols.extra()
    text = io.TextIOWrapper(out, encoding=ENCODING, newline="")
    _writer(text).writerow((*WIDE_COLUMNS, *(guard(k.label) for k in (*cols.base_knobs, *extra))))
    if not extra:
        text.writelines(lines)
    else:
        plain = None  # the extra cells of a row that keeps the role's tasks (the same for every such row)
        for i, line in enumerate(lines):
            if i in reshaped:
                modes, vals = reshaped[i]
                cells = [_wide_cell(k, modes, vals, base_names) for k in extra]
            else:
                if plain is None:
                    plain = [_wide_cell(k, base_modes, {}, base_names) if isinstance(k, TaskChange) else ""
                             for k in extra]
                cells = plain
            buf.seek(0)
            buf.truncate()
            w.writerow(cells)
            text.write(line[: -len(LINE_END)] + "," + buf.getvalue())
    text.flush()
    text.detach()
    return len(lines)


def scenarios_summary_csv(
    base: RoleAssessment, scenarios: Iterable[Scenario], methodology: Methodology = DEFAULT
) -> bytes:
    """The wide CSV (see :func:`write_summary_csv`) as bytes."""
    buf = io.BytesIO()
    write_summary_csv(buf, base, scenarios, methodology)
    return buf.getvalue()


# ---------------------------------------------------------------- import


def _short(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


class _Problems:
    """Problems found so far; stops the import once MAX_PROBLEMS are listed."""

    def __init__(self, what: str):
        self.what = what
        self.items: list[Problem] = []

    def add(self, line: int, column: str, value: str, allowed: str, text: str) -> None:
        where = f"line {line}" + (f", column {column}" if column else "")
        message = f"{where}: {text}" + (f"; allowed: {allowed}" if allowed else "")
        self.items.append(Problem(line, column, value, allowed, message))
        if len(self.items) >= MAX_PROBLEMS:
            self.raise_if_any(stopped=True)

    def raise_if_any(self, stopped: bool = False) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda p: p.line)  # in line order (a scenario's own problems are found at its end)
        if len(self.items) == 1:
            raise CSVFormatError(f"{self.what}: {self.items[0].message}", self.items)
        more = f" (the first {MAX_PROBLEMS}; there may be more)" if stopped else ""
        # Numbered, so each problem stays apart where the lines are joined into one (the CLI's error line).
        body = "\n".join(f"  ({i}) {p.message}" for i, p in enumerate(self.items, start=1))
        raise CSVFormatError(
            f"{self.what}: {len(self.items)} problems{more}; nothing imported:\n{body}", self.items
        )


class _Pending:
    """One scenario being read: its first line, fields and changes so far."""

    __slots__ = ("line", "name", "position", "note", "trajectory", "changes", "knob_lines", "cells")

    def __init__(self, line: int, name: str, position: str | None, note: str, trajectory: str | None):
        self.line = line
        self.name = name
        self.position = position
        self.note = note
        self.trajectory = trajectory
        self.changes: dict[str, float] = {}
        self.knob_lines: dict[str, int] = {}
        self.cells: dict[str, tuple[str, str]] = {}  # knob id -> (column, text) where the file sets it


def _rows(data: bytes | str, what: str, max_rows: int = MAX_CSV_ROWS, max_bytes: int = MAX_UPLOAD_BYTES):
    """(header cells, iterator of (line, row)) of a CSV file; file-level problems raise."""
    hint = f" ({CLI_IMPORT})" if max_bytes <= MAX_UPLOAD_BYTES else ""
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise CSVFormatError(f"{what}: too large; allowed: at most {max_bytes:,} bytes{hint}")
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        raise CSVFormatError(f"{what}: expected bytes, got {type(data).__name__}")
    try:
        text = decode_text(bytes(data), what, max_bytes=max_bytes)
    except AIJRIError as exc:
        raise CSVFormatError(str(exc) + (hint if len(data) > max_bytes else "")) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CSVFormatError(f"{what}: line 1: not valid CSV ({exc})") from None
    if header is None:
        raise CSVFormatError(
            f"{what}: the file is empty; expected a header line: {','.join(LONG_COLUMNS)} (or the wide layout)"
        )
    header = [h.strip() for h in header]
    while header and header[-1] == "":
        header.pop()

    def rows():
        count = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader, None)
            except csv.Error as exc:
                raise CSVFormatError(f"{what}: line {start}: not valid CSV ({exc})") from None
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            if count > max_rows:
                raise CSVFormatError(
                    f"{what}: more than {max_rows:,} rows; allowed: at most {max_rows:,} rows per import"
                    + (f" here ({CLI_IMPORT})" if max_rows <= MAX_CSV_ROWS else "")
                )
            if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
                row = row[: len(header)]
            yield start, row

    return header, rows()


def is_wide_header(header: list[str]) -> bool:
    """True for the wide layout's header: a scenario (or name) column and no knob/value columns."""
    cols = {h.strip().lower() for h in header}
    return bool(cols & {"scenario", "name"}) and not cols & {"knob", "value", "input"}


def scenarios_from_csv(
    data: bytes | str,
    base: RoleAssessment | None = None,
    what: str = "CSV file",
    max_rows: int = MAX_CSV_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> list[Scenario]:
    """Scenarios from either CSV layout (told apart by the header).

    Any problem raises one CSVFormatError listing every bad line (see ``.problems``). With
    ``base``, inputs must be inputs of that role and every scenario must apply to it (e.g.
    changed shares may not exceed 100% together); without it, knob ids and ranges are
    checked by their form alone. The wide layout needs ``base`` (its cells are full values,
    and a change is a value that differs from the role's).
    """
    header, rows = _rows(data, what, max_rows, max_bytes)
    if is_wide_header(header):
        if base is None:
            raise CSVFormatError(f"{what}: a wide CSV (one row per scenario) can only be read against a role")
        return _read_wide(header, rows, base, what)
    return _read_long(header, rows, base, what)


#: Separators a CSV may use (spreadsheets in decimal-comma locales save with ";").
DELIMITERS = (",", ";", "\t")


def _delimiter(text: str) -> str:
    """The file's separator, read from the header as CSV (quoted cells are one cell whatever
    they hold): the candidate that gives a scenario (or name) column, else the one that gives
    the most cells; "," when they tie."""

    def header(delimiter: str) -> list[str]:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            return next((row for row in reader if any(c.strip() for c in row)), [])
        except csv.Error:
            return []

    def fit(delimiter: str) -> tuple[bool, int]:
        cells = header(delimiter)
        return any(c.strip().lower() in ("scenario", "name") for c in cells), len(cells)

    return max(DELIMITERS, key=fit)  # max keeps the first of equals: ","


def _check_long_header(columns: list[str], what: str) -> dict[str, int]:
    expected = ",".join(LONG_COLUMNS)
    if not columns:
        raise CSVFormatError(f"{what}: line 1: empty header; expected columns: {expected}")
    seen: dict[str, int] = {}
    for i, c in enumerate(columns):
        if c in seen:
            raise CSVFormatError(f"{what}: line 1: column {c!r} appears twice; expected columns: {expected}")
        seen[c] = i
    unknown = [c for c in columns if c not in LONG_COLUMNS]
    if unknown:
        names = ", ".join(_short(c, 30) for c in unknown[:5])
        raise CSVFormatError(f"{what}: line 1: unknown column(s) {names}; expected columns: {expected}")
    missing = [c for c in ("scenario", "value") if c not in seen]
    if "knob" not in seen and "input" not in seen:
        missing.append("knob")
    if missing:
        raise CSVFormatError(
            f"{what}: line 1: missing column(s) {', '.join(missing)}; expected columns: {expected}"
            " (role, trajectory, step, input and note may be left out)"
        )
    return seen


def _reshaping(knob_id: str) -> Knob | TaskChange | None:
    """A task input that is not a knob of the role but reshapes it (a task added by its score and
    share, a mode, a task removed); whether it fits the role is checked when the scenario is applied."""
    k = knob_from_id(knob_id)
    return k if k is not None and k.group == "tasks" else None


_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+", re.ASCII)


def _number(problems: _Problems, line: int, column: str, raw: str, k: Knob) -> float | None:
    """The cell as a value of knob ``k``, or None after adding the problem."""
    try:
        value = parse_number(raw)
    except ValueError as exc:
        hint = " (decimals are written with a point, e.g. 12.5)" if _DECIMAL_COMMA.fullmatch(raw.strip()) else ""
        problems.add(line, column, raw, k.range_text, f"{_short(raw)} {exc}{hint}")
        return None
    if k.integer and not value.is_integer():
        problems.add(line, column, raw, k.range_text, f"{_short(raw)} is not a whole number")
        return None
    if value < k.min or value > k.max:
        problems.add(line, column, raw, k.range_text, f"{_short(raw)} is out of range")
        return None
    return value


def _finish(pending: Iterable[_Pending], base: RoleAssessment | None, problems: _Problems) -> list[Scenario]:
    """Validate the scenarios read (and apply them to ``base``); every problem is listed.

    Whether each applies is asked of ``evaluate_scenarios`` (all at once); a scenario it
    refuses is applied alone again, so its problem is told in ``apply_changes``' own words."""
    from ..scenario_batch import evaluate_scenarios

    read: list[tuple[_Pending, Scenario | ValidationError]] = []
    for p in pending:
        try:
            read.append((p, Scenario(
                name=p.name, note=p.note, changes=p.changes, position=p.position, trajectory=p.trajectory
            )))
        except ValidationError as exc:
            read.append((p, exc))
    refused: set[int] = set()
    if base is not None:
        checked = [sc for _, sc in read if isinstance(sc, Scenario) and sc.changes]
        results = evaluate_scenarios(base, checked)
        refused = {id(sc) for sc, r in zip(checked, results, strict=True) if isinstance(r, AIJRIError)}
    out: list[Scenario] = []
    for p, scenario in read:  # problems in line order
        where = f"scenario {_short(p.name)}"
        if isinstance(scenario, ValidationError):
            problems.add(p.line, "", p.name, "", describe_validation_error(scenario, context=where))
            continue
        if id(scenario) in refused:
            try:
                apply_changes(base, scenario.changes)
            except AIJRIError as exc:
                _add_change_problem(problems, p, where, str(exc), base.title)
                continue
            except ValidationError as exc:
                problems.add(p.line, "", p.name, "", describe_validation_error(exc, context=where))
                continue
        out.append(scenario)
    problems.raise_if_any()
    return out


_TASK_ID = re.compile(r"'?task:(.+?):(score|share|mode|remove)\b'?")
_TASK_WORDS = {"score": "score", "share": "time %", "mode": "mode", "remove": "removed"}


def _in_words(text: str) -> str:
    """A message of the core in the file's words: input ids as the labels the layouts use
    (the share id of a task X becomes 'X: time %'), 'knob' as 'input', without the list of id forms."""
    text = text.split("; knobs are task:<task name>")[0]
    text = _TASK_ID.sub(lambda m: repr(f"{m.group(1)}: {_TASK_WORDS[m.group(2)]}"), text)
    return text.replace("unknown knob", "unknown input")


def _add_change_problem(problems: _Problems, p: _Pending, where: str, message: str, role: str) -> None:
    """A scenario whose changes do not apply to the role: the problem on the line and in the column
    of the change it names (the first one the message mentions), in the file's words."""
    named = [kid for kid in sorted(p.cells, key=len, reverse=True) if repr(kid) in message or kid in message]
    kid = min(named, key=lambda k: message.find(k)) if named else None
    column, written = p.cells[kid] if kid else ("", "")
    text, _, allowed = _in_words(message).replace("the role has no task", f"{role!r} has no task").partition("; allowed: ")
    how = re.search(r" \(to add it, (.*)\)$", text)
    if how:
        text, allowed = text[:how.start()], how.group(1)
    problems.add(p.knob_lines.get(kid, p.line) if kid else p.line, column, written, allowed, f"{where}: {text}")


def _read_long(header: list[str], rows, base: RoleAssessment | None, what: str) -> list[Scenario]:
    columns = [h.lower() for h in header]
    index = _check_long_header(columns, what)
    ncols = len(columns)
    base_knobs = {k.id: k for k in knobs(base)} if base is not None else None
    base_labels = {k.label.casefold(): k for k in knobs(base)} if base is not None else None
    problems = _Problems(what)
    pending: dict[str, _Pending] = {}
    for line, row in rows:
        if len(row) != ncols:
            problems.add(line, "", "", f"{ncols} cells ({', '.join(columns)})", f"{len(row)} cells")
            continue
        _read_long_row(row, index, line, pending, base_knobs, base_labels, problems)
    if not pending and not problems.items:
        raise CSVFormatError(f"{what}: no scenarios (only a header line)")
    return _finish(pending.values(), base, problems)


def _read_long_row(
    row: list[str],
    index: dict[str, int],
    line: int,
    pending: dict[str, _Pending],
    base_knobs: dict[str, Knob] | None,
    base_labels: dict[str, Knob] | None,
    problems: _Problems,
) -> None:
    def cell(col: str) -> str:
        return row[index[col]] if col in index else ""

    name = unguard(cell("scenario")).strip()
    if not name:
        problems.add(line, "scenario", "", "a scenario name", "empty")
        return
    position = unguard_optional(cell("step"))
    note = unguard(cell("note"))
    trajectory = unguard_optional(cell("trajectory")) if "trajectory" in index else None
    p = pending.get(name)
    if p is None:
        p = pending[name] = _Pending(line, name, position, note, trajectory)
    else:
        for col, mine, theirs in (
            ("step", position, p.position),
            ("note", note, p.note),
            ("trajectory", trajectory, p.trajectory),
        ):
            if (mine or "").strip() != (theirs or "").strip() or (mine is None) != (theirs is None):
                problems.add(
                    line, col, mine or "", f"{_short(theirs or '')} as on line {p.line}",
                    f"scenario {_short(name)} has {_short(mine or '')} here but {_short(theirs or '')} on line"
                    f" {p.line}; every row of one scenario must agree (or two scenarios share a name: each needs"
                    " its own)",
                )
                return
    knob_id = unguard(cell("knob")).strip()
    label = unguard(cell("input")).strip()
    raw = cell("value").strip()
    if not knob_id and not label and not raw:
        return
    column = "knob"
    if knob_id:
        k = base_knobs.get(knob_id) if base_knobs is not None else None
        if k is None:
            k = _reshaping(knob_id) if base_knobs is not None else knob_from_id(knob_id)
        if k is None:
            problems.add(line, "knob", knob_id, KNOB_ID_FORMS,
                         f"unknown knob {_short(knob_id)}" + (" for this role" if base_knobs is not None else ""))
            return
        by_label = knob_from_label(label) if label else None
        if by_label is not None and by_label.id.casefold() != knob_id.casefold():
            problems.add(line, "input", label, f"the label of {_short(knob_id)}: {_short(k.label)}",
                         f"{_short(label)} names another input than knob {_short(knob_id)}")
            return
    elif label:
        column = "input"
        k = base_labels.get(label.casefold()) if base_labels is not None else None
        if k is None:
            by_form = knob_from_label(label)
            k = by_form if base_labels is None else (_reshaping(by_form.id) if by_form is not None else None)
        if k is None:
            problems.add(line, "input", label, "an input of the role, e.g. 'AI growth correlation'",
                         f"unknown input {_short(label)}" + (" for this role" if base_labels is not None else ""))
            return
        knob_id = k.id
    else:
        problems.add(line, "knob", "", KNOB_ID_FORMS, f"empty but value is {_short(raw)}")
        return
    if not raw:
        problems.add(line, "value", "", k.range_text, f"empty for {column} {_short(knob_id if column == 'knob' else label)}")
        return
    value = _number(problems, line, "value", raw, k)
    if value is None:
        return
    if knob_id in p.changes:
        problems.add(line, column, knob_id, "each input once per scenario",
                     f"scenario {_short(name)} sets {_short(knob_id)} again (first on line {p.knob_lines[knob_id]})")
        return
    if len(p.changes) >= MAX_CHANGES:
        problems.add(line, "", "", f"at most {MAX_CHANGES}", f"scenario {_short(name)} changes too many knobs")
        return
    p.changes[knob_id] = value
    p.knob_lines[knob_id] = line
    p.cells[knob_id] = (column, knob_id if column == "knob" else label)


def _unrounded(shares: dict[str, float], n_tasks: int) -> dict[str, float]:
    """Every share the row gives, pinned. When the row gives all of them, the rounding error
    of their total is spread evenly, so each share is within 0.01 of the one exported (a
    proportional rescale would move the largest share most)."""
    if len(shares) < n_tasks:
        return shares
    excess = (sum(shares.values()) - 100.0) / len(shares)
    if abs(excess) > 10 ** -WIDE_SHARE_DECIMALS:
        return shares  # not a rounding error: the share rule scales the split itself
    return {kid: max(0.0, v - excess) for kid, v in shares.items()}


def _set_shares(base: RoleAssessment, changes: dict[str, float], shares: dict[str, float],
                n_tasks: int) -> dict[str, float]:
    """The time shares of a wide row that are the scenario's own changes: a share the share rule
    derives from the others is not a change. The share rule keeps the tasks a scenario does not
    set in their old proportions, so the largest group of the role's tasks whose written shares
    are one multiple of the role's (to the file's rounding) are the derived ones; the others, and
    the shares of added tasks, are set. That choice is then checked: the rule must derive every
    share not set as written (to the file's decimals, exactly); if it does not, the share
    furthest off is set too, until it does. When every share ends up set, they are all pinned
    (``_unrounded``)."""
    base_vals = values(base)
    own = {kid: v for kid, v in shares.items() if kid in base_vals}
    half = 10 ** -WIDE_SHARE_DECIMALS / 2
    best: set[str] = set()
    for ref, v in own.items():
        if base_vals[ref] <= 0:
            continue
        ratio = v / base_vals[ref]
        # both written shares are rounded: the ratio read from ``ref`` is off by up to half / its base share
        group = {kid for kid, w in own.items()
                 if abs(w - ratio * base_vals[kid]) <= half * (1 + base_vals[kid] / base_vals[ref]) + 1e-9}
        if len(group) > len(best):
            best = group
    chosen = {kid: v for kid, v in shares.items() if kid not in best}
    for _ in range(len(shares) + 1):
        try:
            derived = values(apply_changes(base, {**changes, **chosen}))
        except AIJRIError:  # the scenario does not apply: _finish names the problem
            return _unrounded(shares, n_tasks)
        off = {kid: abs(derived[kid] - v) if kid in derived else float("inf") for kid, v in shares.items()
               if kid not in chosen and (kid not in derived or round(derived[kid], WIDE_SHARE_DECIMALS) != v)}
        if not off:
            break
        worst = max(off, key=lambda kid: (off[kid], -list(shares).index(kid)))
        chosen[worst] = shares[worst]
    if len(chosen) >= n_tasks:
        return _unrounded(shares, n_tasks)
    return chosen


def _mode_code(raw: str) -> int | None:
    """A mode cell: the mode's name (as exported) or its number 0, 1, 2; None if neither."""
    text = raw.strip().casefold().replace(" ", "_")
    for i, m in enumerate(MODE_CODES):
        if text in (m.value, str(i)):
            return i
    return None


def _read_wide(header: list[str], rows, base: RoleAssessment, what: str) -> list[Scenario]:
    role_knobs = knobs(base)
    by_label = {k.label.casefold(): k for k in role_knobs}
    by_id = {k.id: k for k in role_knobs}
    fixed: dict[str, int] = {}
    inputs: list[tuple[int, Knob | TaskChange]] = []
    seen: set[str] = set()
    unknown = []
    for i, h in enumerate(header):
        low = h.lower()
        low = "scenario" if low == "name" else low
        key = low if low in WIDE_COLUMNS else None
        label = unguard(h)  # a label guarded against formulas on export (a task named "=x")
        k = None if key else (by_label.get(label.casefold()) or by_id.get(label))
        if k is None and not key:  # a task the scenarios add, or a task's mode
            by_form = knob_from_label(label) or knob_from_id(label)
            k = by_form if by_form is not None and by_form.group == "tasks" and by_form.kind != "remove" else None
        mark = key or (k.id if k else h)
        if mark in seen:
            raise CSVFormatError(f"{what}: line 1: column {h!r} appears twice; each input once")
        seen.add(mark)
        if key:
            fixed[key] = i
        elif k is not None:
            inputs.append((i, k))
        else:
            unknown.append(h)
    if unknown:
        names = ", ".join(_short(c, 40) for c in unknown[:5])
        raise CSVFormatError(
            f"{what}: line 1: unknown column(s) {names}; allowed: {', '.join(WIDE_COLUMNS)} and the inputs of"
            f" {base.title!r} by label (e.g. {role_knobs[0].label!r}), or a task to add ('<task>: score',"
            " '<task>: time %', '<task>: mode')"
        )
    base_vals = values(base)
    base_modes = {t.name: MODE_CODES.index(t.mode) for t in base.tasks}
    problems = _Problems(what)
    pending: dict[str, _Pending] = {}
    for line, row in rows:
        if len(row) != len(header):
            problems.add(line, "", "", f"{len(header)} cells", f"{len(row)} cells")
            continue

        def cell(col: str, row=row) -> str:
            return row[fixed[col]] if col in fixed else ""

        name = unguard(cell("scenario")).strip()
        if not name:
            problems.add(line, "scenario", "", "a scenario name", "empty")
            continue
        if name in pending:
            problems.add(line, "scenario", name, "one row per scenario",
                         f"scenario {_short(name)} appears again (first on line {pending[name].line})")
            continue
        p = _Pending(line, name, unguard_optional(cell("step")), unguard(cell("note")),
                     unguard_optional(cell("trajectory")))
        shares: dict[str, float] = {}
        removed: set[str] = set()
        added: set[str] = set()
        for i, k in inputs:
            raw = row[i].strip()
            if not raw:
                continue
            if k.kind in ("score", "share") and k.target in base_modes and raw.casefold() == REMOVED:
                removed.add(k.target)
                continue
            if isinstance(k, TaskChange):  # a mode column
                code = _mode_code(raw)
                if code is None:
                    problems.add(line, header[i], raw, ", ".join(m.value for m in MODE_CODES), f"{_short(raw)} is not a mode")
                elif code != base_modes.get(k.target, 0):
                    p.changes[k.id] = code
                continue
            value = _number(problems, line, header[i], raw, k)
            if value is None:
                continue
            if k.target and k.target not in base_modes:
                added.add(k.target)
            p.cells[k.id] = (header[i], raw)
            if k.kind == "share":
                shares[k.id] = value
            elif k.id not in base_vals or value != base_vals[k.id]:
                p.changes[k.id] = value
        for task in removed:
            for kid in (task_knob(task, "score").id, task_knob(task, "share").id, task_mode_id(task)):
                p.changes.pop(kid, None)
                shares.pop(kid, None)
            p.changes[task_remove_id(task)] = 1
        moved = {kid: v for kid, v in shares.items()
                 if kid not in base_vals or v != round(base_vals[kid], WIDE_SHARE_DECIMALS)}
        if moved or removed:
            p.changes.update(_set_shares(base, p.changes, shares, len(base.tasks) - len(removed) + len(added)))
        pending[name] = p
    if not pending and not problems.items:
        raise CSVFormatError(f"{what}: no scenarios (only a header line)")
    return _finish(pending.values(), base, problems)
