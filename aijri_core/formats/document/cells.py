"""Reading and writing table cells: escapes, bold markers, labels, numbers, zones, task modes."""

from __future__ import annotations

import math
import re

from ...errors import AssessmentError
from ...methodology import Zone
from ...model import TaskMode


class DocumentError(AssessmentError):
    """A document that cannot be read as an assessment; names the line and what was expected."""


_ESCAPES = {"\\": "\\", "|": "|", "*": "*", "n": "\n", "r": "\r", "(": "(", ")": ")"}
_UNESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("\n", "\\n").replace("\r", "\\r")


def escape_cell(text: str | None) -> str:
    """A table cell for an optional text: None -> empty, "" -> a lone backslash."""
    if text is None:
        return ""
    return escape(text) if text else "\\"


def escape_paren(text: str) -> str:
    return escape(text).replace("(", "\\(").replace(")", "\\)")


def unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _ESCAPES.get(m[1], m[0]), text)


def strip_bold(text: str) -> str:
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


def cell_text(raw: str) -> str | None:
    """The text of a cell: None when empty, "" for a lone backslash."""
    s = raw.strip()
    if not s:
        return None
    if s == "\\":
        return ""
    return unescape(strip_bold(s)).strip()


def plain_text(raw: str) -> str:
    """A cell or line for matching labels and numbers: no bold, minus sign normalised."""
    return unescape(strip_bold(raw)).replace("\u2212", "-").strip()


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table line, split on unescaped ``|`` (escapes kept for cell_text)."""
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


SEPARATOR_RE = re.compile(r"^\s*:?-+:?\s*$")
NUMBER_RE = re.compile(r"[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def read_number(raw: str, line: int, what: str, expected: str) -> tuple[float, str]:
    """(value, the number as written) of the leading number in a cell or text."""
    s = plain_text(raw)
    m = NUMBER_RE.match(s)
    if m is None:
        raise DocumentError(f"line {line}: {what}: {short(s) if s else 'empty'} is not a number; expected {expected}")
    written = m[0].replace(" ", "")
    value = float(written)
    if not math.isfinite(value):
        raise DocumentError(f"line {line}: {what}: {short(s)} is not a finite number; expected {expected}")
    return value, written


def after_equals(raw: str) -> str:
    s = plain_text(raw)
    return s.rsplit("=", 1)[1] if "=" in s else s


def short(text: str, limit: int = 50) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


ZONES = {z.value.casefold(): z for z in Zone}
_ZONE_RE = re.compile(r"\s*(green|yellow|red)\b", re.IGNORECASE)


def zone_and_paren(raw: str) -> tuple[Zone, str | None, str] | None:
    """(zone, sub-label or None, rest) from ``GREEN (Transforming) ...``; None if no zone."""
    s = strip_bold(raw)
    m = _ZONE_RE.match(s)
    if m is None:
        return None
    zone = ZONES[m[1].casefold()]
    rest = s[m.end() :]
    stripped = rest.lstrip()
    if not stripped.startswith("("):
        return zone, None, unescape(rest).strip()
    i = len(rest) - len(stripped) + 1
    buf: list[str] = []
    while i < len(rest):
        c = rest[i]
        if c == "\\" and i + 1 < len(rest):
            buf.append(rest[i : i + 2])
            i += 2
            continue
        if c == ")":
            return zone, unescape("".join(buf)).strip(), unescape(rest[i + 1 :]).strip()
        buf.append(c)
        i += 1
    return zone, None, unescape(rest).strip()  # no closing parenthesis: not a sub-label


def keyword_key(label: str, table: dict[str, tuple[str, ...]]) -> str | None:
    low = plain_text(label).lower()
    for key, words in table.items():
        if any(w in low for w in words):
            return key
    return None


def read_mode(raw: str, line: int) -> TaskMode:
    s = re.sub(r"[\s_-]+", " ", plain_text(raw)).upper()
    if not s or s.startswith("AUG"):
        return TaskMode.AUGMENTATION
    if s.startswith("DISP"):
        return TaskMode.DISPLACEMENT
    if s.startswith(("NOT", "NONE", "N/A", "NA")):
        return TaskMode.NOT_INVOLVED
    raise DocumentError(
        f"line {line}: task mode {short(plain_text(raw))}; expected AUGMENTATION, DISPLACEMENT or NOT INVOLVED"
    )


def fit(cells: list[str], width: int) -> list[str]:
    """Cells padded to the header width; extra cells (an unescaped | in the last column) joined."""
    if len(cells) > width > 0:
        cells = cells[: width - 1] + ["|".join(cells[width - 1 :])]
    return cells + [""] * (width - len(cells))
