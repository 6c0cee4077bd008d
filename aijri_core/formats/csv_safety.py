"""Spreadsheet-safe CSV text cells (OWASP "CSV injection") that survive a round trip.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage
return as a formula. On export such a text cell gets a leading apostrophe, which every
spreadsheet shows as plain text. Our importer removes exactly one leading apostrophe, so a
cell that really starts with an apostrophe is written with one more (``'x`` -> ``''x``).
Optional texts (a scenario's step or trajectory) use an empty cell for "none" and a lone
apostrophe for "present but empty".

Numbers (knob values, scores) are not text cells and are never prefixed: ``-2`` stays a
number a spreadsheet can add up.
"""

from __future__ import annotations

#: First characters that make a spreadsheet evaluate a cell, plus our escape character.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def guard(text: str) -> str:
    """The cell text to write for ``text`` (prefixes an apostrophe when needed)."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def unguard(cell: str) -> str:
    """The text a cell written by :func:`guard` stands for."""
    return cell[1:] if cell.startswith(ESCAPE) else cell


def guard_optional(text: str | None) -> str:
    """None -> empty cell; "" -> a lone apostrophe; other text as :func:`guard`."""
    if text is None:
        return ""
    if text == "":
        return ESCAPE
    return guard(text)


def unguard_optional(cell: str) -> str | None:
    """The inverse of :func:`guard_optional`."""
    if cell == "":
        return None
    return unguard(cell)


def is_dangerous(cell: str) -> bool:
    """True for a cell a spreadsheet would evaluate as a formula."""
    return cell.startswith(FORMULA_TRIGGERS)
