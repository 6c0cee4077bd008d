"""Reading and writing table cells: escapes, bold markers, labels, numbers, zones, task modes."""

from __future__ import annotations

import math
import re

from ...errors import AssessmentError
from ...methodology import Zone
from ...model import NUMBER_DIGITS, TaskMode


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


#: The units of cell text: an escape pair, a bold marker, or one character.
_UNIT_RE = re.compile(r"\\.|\*\*|.", re.DOTALL)


def strip_bold(text: str) -> str:
    """Remove unescaped ``**`` markers (escaped ``\\*`` stay)."""
    return "".join(u for u in _UNIT_RE.findall(text) if u != "**")


#: The padding a layout puts around cell texts. Only this is trimmed from a text: everything
#: else at its ends is kept for the model, which cleans every text by its own rule (names:
#: ``model.clean_name``; other texts: whitespace at the ends), the same rule as for JSON files,
#: so a text reads back exactly as it was written.
PADDING = " \t"


def cell_text(raw: str) -> str | None:
    """The text of a cell: None when empty, "" for a lone backslash."""
    s = raw.strip(PADDING)
    if not s:
        return None
    if s == "\\":
        return ""
    return unescape(strip_bold(s).strip(PADDING))


def plain_text(raw: str) -> str:
    """A cell or line for matching labels and numbers: no bold, minus sign normalised."""
    return unescape(strip_bold(raw)).replace("\u2212", "-").strip()


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table line, split on unescaped ``|`` (escapes kept for cell_text)."""
    cells: list[str] = []
    cur: list[str] = []
    for unit in _UNIT_RE.findall(line.strip()):
        if unit == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(unit)
    cells.append("".join(cur))
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "":
        cells = cells[:-1]
    return cells


SEPARATOR_RE = re.compile(r"^\s*:?-+:?\s*$")

# ---------------------------------------------------------------- numbers
#
# A number in a document is written with the digits 0-9, an optional sign (+, - or the minus
# sign U+2212), an optional decimal point and exponent: 25, +1, -2, 0.50, 62.5, 1e-05. A table
# cell read as a number holds that number and nothing else, apart from a percent sign and a
# "/total" (25%, 2/9, 3.45/5.0); a decimal comma (62,5), a fraction (25½), other digits or any
# other text in the cell is refused, naming the line and the cell. In a line of text the number
# is followed by a space, punctuation or the end, never by more digits or letters.

_DIGITS = NUMBER_DIGITS  # the model's number pattern: one rule for links, CSV cells and documents
NUMBER_RE = re.compile(r"[+-]?[ \t]*" + _DIGITS, re.ASCII)
_CELL_NUMBER_RE = re.compile(rf"({NUMBER_RE.pattern})[ \t]*%?(?:[ \t]*/[ \t]*{_DIGITS}[ \t]*%?)?", re.ASCII)
_DECIMAL_COMMA_RE = re.compile(r"[0-9],[0-9]")


def _not_a_number(s: str, line: int, what: str, expected: str) -> DocumentError:
    if _DECIMAL_COMMA_RE.search(s):
        why = " (a decimal comma: write a decimal point, e.g. 62.5)"
    elif any(ch.isnumeric() and not ("0" <= ch <= "9") for ch in s):
        why = " (write the digits 0-9: no fractions such as \u00bd, no other scripts' digits)"
    elif s:
        why = " (a number cell holds one number and nothing else; % and /total may follow it)"
    else:
        why = ""
    return DocumentError(f"line {line}: {what}: {short(s) if s else 'empty'} is not a number{why}; expected {expected}")


def _value(written: str, s: str, line: int, what: str, expected: str) -> tuple[float, str]:
    written = written.replace(" ", "").replace("\t", "")
    value = float(written)
    if not math.isfinite(value):
        raise DocumentError(f"line {line}: {what}: {short(s)} is not a finite number; expected {expected}")
    return value, written


def cell_number(raw: str, line: int, what: str, expected: str) -> tuple[float, str]:
    """(value, the number as written) of a table cell that holds a number and nothing else."""
    s = plain_text(raw)
    m = _CELL_NUMBER_RE.fullmatch(s)
    if m is None:
        raise _not_a_number(s, line, what, expected)
    return _value(m[1], s, line, what, expected)


def number_at(text: str, line: int, what: str, expected: str) -> tuple[float, str, int]:
    """(value, the number as written, where it ends) of the number that starts ``text`` (after
    spaces), which words or punctuation may follow but not more digits, letters or a decimal comma."""
    m = NUMBER_RE.match(text, len(text) - len(text.lstrip()))
    rest = text[m.end() :] if m else ""
    if m is None or rest[:1].isalnum() or (rest[:1] in (".", ",") and rest[1:2].isalnum()):
        raise _not_a_number(text.strip(), line, what, expected)
    return (*_value(m[0], text, line, what, expected), m.end())


def leading_number(raw: str, line: int, what: str, expected: str) -> tuple[float, str]:
    """(value, the number as written) of the number that starts a text (see :func:`number_at`)."""
    value, written, _ = number_at(plain_text(raw), line, what, expected)
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
        return zone, None, unescape(rest.strip(PADDING))
    i = len(rest) - len(stripped) + 1
    buf: list[str] = []
    while i < len(rest):
        c = rest[i]
        if c == "\\" and i + 1 < len(rest):
            buf.append(rest[i : i + 2])
            i += 2
            continue
        if c == ")":
            return zone, unescape("".join(buf).strip(PADDING)), unescape(rest[i + 1 :].strip(PADDING))
        buf.append(c)
        i += 1
    return zone, None, unescape(rest.strip(PADDING))  # no closing parenthesis: not a sub-label


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
