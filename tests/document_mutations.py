"""Edits of a valid assessment document that must be refused, for the document tests and the
importer fuzz suite: junk right after a number in a table cell, and a second row or line for a
field that a document gives once.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

#: A table cell that holds one number (with an optional % or /total), as the layout writes it.
NUMBER_CELL_RE = re.compile(r"(?<=\|)( *)([+-]?[0-9]+(?:\.[0-9]+)?)((?:%|/[0-9.]+)? *)(?=\|)")

#: What may follow the digits in a cell that is not a number: a decimal comma (62,5 and 2,9),
#: fractions, digits of other scripts, letters, a second number, words.
NUMBER_JUNK = [",5", ",50", ",9", ",", "\u00bd", "\u00bc", "\u2153", "\u0663", "\uff13", "\u096a", "x", "e", "k",
               "pts", " 3", " approx.", "-", "+", ".5.5", "..", "%%"]  # fmt: skip

#: Lines of a document that give a single-valued field (matched at the start of the line).
SINGLE_VALUED = [
    "| Job Title |",
    "| Seniority Level |",
    "| What This Role Is NOT |",
    "| AI Growth Correlation |",  # the first one: the protective principles table
    "| Sub-label |",
    "Zone:",
    "JobZone Score:",
    "Assessor override:",
    "Published result:",
]


def number_cells(text: str) -> list[tuple[int, re.Match]]:
    """(line number, match) of every cell that holds just a number."""
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        if line.startswith("|"):
            out += [(n, m) for m in NUMBER_CELL_RE.finditer(line)]
    return out


@st.composite
def junk_after_a_number(draw, text: str) -> tuple[str, int, str]:
    """(document, line number, cell as written) with junk right after one number cell's digits."""
    cells = number_cells(text)
    n, m = draw(st.sampled_from(cells))
    junk = draw(st.sampled_from(NUMBER_JUNK))
    lines = text.split("\n")
    line = lines[n - 1]
    lines[n - 1] = line[: m.end(2)] + junk + line[m.end(2) :]
    return "\n".join(lines), n, m[2] + junk + m[3].strip()


def single_valued_lines(text: str) -> list[int]:
    """Indexes (0-based) of the lines that give a single-valued field, first occurrence each."""
    lines = text.split("\n")
    out = []
    for prefix in SINGLE_VALUED:
        hit = next((i for i, line in enumerate(lines) if line.startswith(prefix)), None)
        if hit is not None:
            out.append(hit)
    return out


@st.composite
def duplicated_single_valued(draw, text: str) -> tuple[str, int]:
    """(document, 1-based line of the second copy) with one single-valued row or line given twice
    (the copy goes right after the original, so a table row stays inside its table)."""
    lines = text.split("\n")
    i = draw(st.sampled_from(single_valued_lines(text)))
    lines.insert(i + 1, lines[i])
    return "\n".join(lines), i + 2
