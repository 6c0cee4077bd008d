"""Scenarios as CSV: a tidy long format (export and import) and a wide summary (export).

Long format, one row per change (knob moved by a scenario)::

    scenario,step,knob,value,note,trajectory

- ``scenario``: the scenario's name (rows of one scenario share it; they may be anywhere in
  the file, the first row fixes the scenario's place in the order).
- ``step``: the scenario's position in its trajectory (e.g. "2028"); empty = none.
- ``knob``: a knob id (``task:<task name>:score``, ``task:<task name>:share``,
  ``evidence:<dimension>``, ``barrier:<barrier>``, ``growth``).
- ``value``: the knob's value, written with full float precision (``repr``) so that
  export -> import gives the same numbers bit for bit.
- ``note``: the scenario's note; ``trajectory``: the trajectory it belongs to, empty = none.
  Both repeat on every row of a scenario; the importer requires them to agree.

A scenario without changes has one row with empty ``knob`` and ``value``. ``scenario``,
``step``, ``knob`` and ``value`` are required columns; ``note`` and ``trajectory`` may be
left out (no note, no trajectory); any other column is an error. Header names are matched
case-insensitively, in any order. A file whose header is separated by ``;`` or tabs
instead of commas (as some spreadsheet locales save it) is read with that separator.

Files are UTF-8 with a byte-order mark (so spreadsheets pick the right encoding), CRLF
line ends, and text cells guarded against formula injection (see :mod:`.csv_safety`); the
importer undoes the guard, so names survive exactly.

The wide summary (:func:`scenarios_summary_csv`) has one row per scenario: ``name, step,
score, zone, sublabel``, then one column per knob of the base role holding the value the
knob takes in that scenario.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import MAX_UPLOAD_BYTES, decode_text
from ..knobs import Knob, apply_changes, knobs, values
from ..methodology import DEFAULT, Methodology
from ..model import BARRIERS, EVIDENCE_DIMENSIONS, MAX_TASKS, RoleAssessment, Scenario
from ..scoring import score
from .csv_safety import guard, guard_optional, unguard, unguard_optional

LONG_COLUMNS = ("scenario", "step", "knob", "value", "note", "trajectory")
REQUIRED_COLUMNS = ("scenario", "step", "knob", "value")
SUMMARY_COLUMNS = ("name", "step", "score", "zone", "sublabel")
#: Most data rows an import accepts (a scenario moves at most ~90 knobs).
MAX_CSV_ROWS = 20_000
ENCODING = "utf-8-sig"
LINE_END = "\r\n"


class CSVFormatError(AIJRIError):
    """A scenario CSV that cannot be read; the message names the line and column."""


def format_value(value: float) -> str:
    """A number as written to CSV: whole numbers without ".0", others with repr() precision."""
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def _writer(buf: io.StringIO):
    return csv.writer(buf, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)


def scenarios_to_csv(scenarios: Iterable[Scenario]) -> bytes:
    """The long CSV (UTF-8 with BOM) of the scenarios, in their order."""
    buf = io.StringIO()
    w = _writer(buf)
    w.writerow(LONG_COLUMNS)
    for s in scenarios:
        meta = (guard(s.name), guard_optional(s.position))
        tail = (guard(s.note), guard_optional(s.trajectory))
        if not s.changes:
            w.writerow((*meta, "", "", *tail))
        for knob_id, value in s.changes.items():
            w.writerow((*meta, guard(knob_id), format_value(value), *tail))
    return buf.getvalue().encode(ENCODING)


def scenarios_summary_csv(
    base: RoleAssessment, scenarios: Iterable[Scenario], methodology: Methodology = DEFAULT
) -> bytes:
    """The wide CSV: per scenario its score, zone, sub-label and every knob's value."""
    m = methodology
    knob_ids = [k.id for k in knobs(base)]
    buf = io.StringIO()
    w = _writer(buf)
    w.writerow((*SUMMARY_COLUMNS, *(guard(k) for k in knob_ids)))
    for s in scenarios:
        changed = apply_changes(base, s.changes)
        result = score(changed, m)
        vals = values(changed)
        w.writerow(
            (
                guard(s.name),
                guard_optional(s.position),
                f"{result.score:.{m.decimals}f}",
                result.zone.label,
                result.sublabel or "",
                *(format_value(vals[k]) for k in knob_ids),
            )
        )
    return buf.getvalue().encode(ENCODING)


# ---------------------------------------------------------------- import


def _syntax_knob(knob_id: str) -> Knob | None:
    """A stand-in knob for range checks when no base role is given (None: not a knob id)."""
    if knob_id == "growth":
        return Knob("growth", "AI growth correlation", "growth", "growth", -2, 2, True, "")
    kind, _, rest = knob_id.partition(":")
    if kind == "evidence" and rest in EVIDENCE_DIMENSIONS:
        return Knob(knob_id, rest, "evidence", "evidence", -2, 2, True, rest)
    if kind == "barrier" and rest in BARRIERS:
        return Knob(knob_id, rest, "barriers", "barrier", 0, 2, True, rest)
    if kind == "task":
        name, _, field = rest.rpartition(":")
        if name.strip() and name == name.strip() and field == "score":
            return Knob(knob_id, name, "tasks", "score", 1, 5, True, name)
        if name.strip() and name == name.strip() and field == "share":
            return Knob(knob_id, name, "tasks", "share", 0, 100, False, name)
    return None


_KNOB_HELP = (
    f"task:<task name>:score, task:<task name>:share, evidence:<{'|'.join(EVIDENCE_DIMENSIONS)}>,"
    f" barrier:<{'|'.join(BARRIERS)}>, growth"
)


class _Pending:
    """One scenario being read: its first line, fields and changes so far."""

    __slots__ = ("line", "name", "position", "note", "trajectory", "changes", "knob_lines")

    def __init__(self, line: int, name: str, position: str | None, note: str, trajectory: str | None):
        self.line = line
        self.name = name
        self.position = position
        self.note = note
        self.trajectory = trajectory
        self.changes: dict[str, float] = {}
        self.knob_lines: dict[str, int] = {}


def _short(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


def scenarios_from_csv(
    data: bytes | str, base: RoleAssessment | None = None, what: str = "CSV file"
) -> list[Scenario]:
    """Scenarios from the long CSV; any problem is one CSVFormatError naming line and column.

    With ``base``, knob ids must be knobs of that role and every scenario must apply to it
    (e.g. changed shares may not exceed 100% together); without it, knob ids and ranges are
    checked by their form alone.
    """
    if isinstance(data, str):
        if len(data) > MAX_UPLOAD_BYTES:
            raise CSVFormatError(f"{what}: too large; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        raise CSVFormatError(f"{what}: expected bytes, got {type(data).__name__}")
    try:
        text = decode_text(bytes(data), what)
    except AIJRIError as exc:
        raise CSVFormatError(str(exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header_line = 1
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CSVFormatError(f"{what}: line {header_line}: not valid CSV ({exc})") from None
    if header is None:
        raise CSVFormatError(f"{what}: the file is empty; expected a header line: {','.join(LONG_COLUMNS)}")
    columns = [h.strip().lower() for h in header]
    while columns and columns[-1] == "":
        columns.pop()
    index = _check_header(columns, what)
    ncols = len(columns)
    base_knobs = {k.id: k for k in knobs(base)} if base is not None else None

    pending: dict[str, _Pending] = {}
    line = 1
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise CSVFormatError(f"{what}: line {start}: not valid CSV ({exc})") from None
        if row is None:
            break
        line = start
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > MAX_CSV_ROWS:
            raise CSVFormatError(
                f"{what}: more than {MAX_CSV_ROWS:,} rows; allowed: at most {MAX_CSV_ROWS:,} rows per import"
            )
        if len(row) > ncols and not any(c.strip() for c in row[ncols:]):
            row = row[:ncols]
        if len(row) != ncols:
            raise CSVFormatError(
                f"{what}: line {line}: {len(row)} cells; expected {ncols} ({', '.join(columns)})"
            )
        _read_row(row, index, line, pending, base_knobs, what)

    if not pending:
        raise CSVFormatError(f"{what}: no scenarios (only a header line)")
    out: list[Scenario] = []
    for p in pending.values():
        try:
            scenario = Scenario(
                name=p.name, note=p.note, changes=p.changes, position=p.position, trajectory=p.trajectory
            )
        except ValidationError as exc:
            raise CSVFormatError(
                describe_validation_error(exc, context=f"{what}: line {p.line}: scenario {_short(p.name)}")
            ) from None
        if base is not None and p.changes:
            try:
                apply_changes(base, scenario.changes)
            except AIJRIError as exc:
                raise CSVFormatError(f"{what}: line {p.line}: scenario {_short(p.name)}: {exc}") from None
            except ValidationError as exc:
                raise CSVFormatError(
                    describe_validation_error(exc, context=f"{what}: line {p.line}: scenario {_short(p.name)}")
                ) from None
        out.append(scenario)
    return out


def _delimiter(text: str) -> str:
    """"," normally; ";" or tab when the header uses that instead (spreadsheets in some locales)."""
    header = text.lstrip().split("\n", 1)[0]
    if "," in header:
        return ","
    for candidate in (";", "\t"):
        if candidate in header:
            return candidate
    return ","


def _check_header(columns: list[str], what: str) -> dict[str, int]:
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
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise CSVFormatError(
            f"{what}: line 1: missing column(s) {', '.join(missing)}; expected columns: {expected}"
            " (note and trajectory may be left out)"
        )
    return seen


def _read_row(
    row: list[str],
    index: dict[str, int],
    line: int,
    pending: dict[str, _Pending],
    base_knobs: dict[str, Knob] | None,
    what: str,
) -> None:
    def cell(col: str) -> str:
        return row[index[col]] if col in index else ""

    where = f"{what}: line {line}"
    name = unguard(cell("scenario")).strip()
    if not name:
        raise CSVFormatError(f"{where}, column scenario: empty; allowed: a scenario name")
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
                raise CSVFormatError(
                    f"{where}, column {col}: scenario {_short(name)} has {_short(mine or '')} here but"
                    f" {_short(theirs or '')} on line {p.line}; every row of one scenario must agree"
                    " (or two scenarios share a name: each needs its own)"
                )
    knob_id = unguard(cell("knob")).strip()
    raw = cell("value").strip()
    if not knob_id and not raw:
        return
    if not knob_id:
        raise CSVFormatError(f"{where}, column knob: empty but value is {_short(raw)}; allowed: {_KNOB_HELP}")
    if not raw:
        raise CSVFormatError(f"{where}, column value: empty for knob {_short(knob_id)}; allowed: a number")
    if base_knobs is not None:
        k = base_knobs.get(knob_id)
        if k is None:
            raise CSVFormatError(f"{where}, column knob: unknown knob {_short(knob_id)} for this role; allowed: {_KNOB_HELP}")
    else:
        k = _syntax_knob(knob_id)
        if k is None:
            raise CSVFormatError(f"{where}, column knob: unknown knob {_short(knob_id)}; allowed: {_KNOB_HELP}")
    try:
        value = float(raw)
    except ValueError:
        raise CSVFormatError(f"{where}, column value: {_short(raw)} is not a number; allowed: {k.range_text}") from None
    if not math.isfinite(value):
        raise CSVFormatError(f"{where}, column value: {_short(raw)} is not a finite number; allowed: {k.range_text}")
    if k.integer and not value.is_integer():
        raise CSVFormatError(f"{where}, column value: {_short(raw)} is not a whole number; allowed: {k.range_text}")
    if value < k.min or value > k.max:
        raise CSVFormatError(f"{where}, column value: {_short(raw)} is out of range; allowed: {k.range_text}")
    if knob_id in p.changes:
        raise CSVFormatError(
            f"{where}, column knob: scenario {_short(name)} sets {_short(knob_id)} again (first on line"
            f" {p.knob_lines[knob_id]}); each knob once per scenario"
        )
    if len(p.changes) >= 2 * MAX_TASKS + 11:
        raise CSVFormatError(f"{where}: scenario {_short(name)} changes too many knobs; allowed: at most {2 * MAX_TASKS + 11}")
    p.changes[knob_id] = value
    p.knob_lines[knob_id] = line
