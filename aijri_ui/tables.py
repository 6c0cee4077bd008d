"""Display tables assembled from core results: no arithmetic here, only the core's numbers laid out."""

from __future__ import annotations

import pandas as pd

from aijri_core import RoleAssessment
from aijri_core.knobs import count_changed_inputs, set_share_tasks
from aijri_core.textfmt import KnobRowText, knob_rows


def changes_text(changes) -> str:
    """E.g. "4 inputs changed (time shares rebalanced)"; "" without changes."""
    if not changes:
        return ""
    n = count_changed_inputs(changes)
    shares = bool(set_share_tasks(changes))
    return f"{n} input{'s' if n != 1 else ''} changed" + (" (time shares rebalanced)" if shares else "")


def break_even_tables(rows: list[KnobRowText]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(moves that change the zone, the other moves) as the Explorer shows them, in the core's order
    (smallest move first: rating steps, then share points); ``rows``: ``textfmt.knob_rows`` of the
    break-even result with the method's decimals, so every text is the CLI's.

    Columns of the first: Input, Now, Move, To, Score then, Zone then; of the second: Input,
    Direction, Why not ("at its limit" or "cannot change the zone").
    """
    flips, others = [], []
    for r in rows:
        if r.reachable:
            flips.append({"Input": r.label, "Now": r.now, "Move": f"{r.direction} {r.move}", "To": r.to,
                          "Score then": r.score, "Zone then": r.zone})
        else:
            others.append({"Input": r.label, "Direction": r.direction, "Why not": r.to})
    return (pd.DataFrame(flips, columns=["Input", "Now", "Move", "To", "Score then", "Zone then"]),
            pd.DataFrame(others, columns=["Input", "Direction", "Why not"]))


def goal_seek_table(result, assessment: RoleAssessment, decimals: int) -> pd.DataFrame:
    """One row per input: now, the value that reaches the target (or why none does), score and zone then
    (texts as the CLI writes them, with the method's ``decimals``)."""
    out = [{"Input": r.label, "Now": r.now, "Direction": r.direction, "Value needed": r.to,
            "Score then": r.score, "Zone then": r.zone}
           for r in knob_rows(result, assessment, decimals, share_places=2)]
    return pd.DataFrame(out, columns=["Input", "Now", "Direction", "Value needed", "Score then", "Zone then"])


def crossing_lines(crossings, target_word: str = "Score") -> list[str]:
    """The continuous view in words: the task resistance / evidence total that reaches each threshold."""
    lines = []
    for c in crossings:
        name = "task resistance" if c.quantity == "task_resistance" else "evidence total"
        if c.reachable and c.value_needed is not None:
            lines.append(f"- {target_word} {c.threshold:g} is reached at {name} {c.value_needed:.2f} "
                         f"(now {c.current:.2f}, a change of {c.gap:+.2f})")
        else:
            lines.append(f"- {target_word} {c.threshold:g} cannot be reached by {name} alone")
    return lines


#: The look of html_table: Streamlit's table look, the highlighted row in a light blue.
TABLE_CSS = ("<style>.aijri-table{border-collapse:collapse;width:100%;font-size:0.875rem}"
             ".aijri-table th,.aijri-table td{padding:0.25rem 0.5rem;text-align:left;"
             "border-bottom:1px solid rgba(49,51,63,0.1)}.aijri-table th{font-weight:600}"
             ".aijri-table tr.highlight{background-color:rgba(37,99,235,0.12);font-weight:600}</style>")


def html_table(df: pd.DataFrame, formats: dict[str, str] | None = None, highlight_first: bool = False) -> str:
    """A static HTML table of ``df`` (no index): one element for the browser instead of one per cell.

    ``formats``: column -> format spec for its values (e.g. ``{"Score then": ".1f"}``);
    ``highlight_first``: the first row stands out. The same frame gives the same text.
    """
    from html import escape

    formats = formats or {}

    def cell(col: str, v) -> str:
        return escape(format(v, formats[col]) if col in formats else str(v))

    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in df.columns)
    rows = []
    for i, rec in enumerate(df.itertuples(index=False)):
        mark = ' class="highlight"' if highlight_first and i == 0 else ""
        rows.append(f"<tr{mark}>" + "".join(f"<td>{cell(c, v)}</td>" for c, v in zip(df.columns, rec, strict=True))
                    + "</tr>")
    return f'{TABLE_CSS}<table class="aijri-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
