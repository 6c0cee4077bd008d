"""Text formats shared by every output (CLI tables, documents, the HTML report, the app):
numbers, zones, plain-text tables and the break-even rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .methodology import Zone, publish_round

if TYPE_CHECKING:
    from .analyses.break_even import BreakEvenResult

# ---------------------------------------------------------------- numbers


def fixed(value: float, places: int) -> str:
    """``places`` decimals, rounded half away from zero like published scores: 2.345 -> '2.35'."""
    return f"{publish_round(value, places):.{places}f}"


def trimmed(value: float, places: int = 1) -> str:
    """At most ``places`` decimals, without a trailing '.0': 55.0 -> '55', 12.5 -> '12.5'."""
    text = fixed(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(value: float) -> str:
    """A percentage with one decimal, without a trailing '.0': 55 -> '55%', 12.5 -> '12.5%'."""
    return trimmed(value, 1) + "%"


def signed(value: int) -> str:
    """A whole-number rating with its sign, zero unsigned: 1 -> '+1', -2 -> '-2', 0 -> '0'."""
    return f"{value:+d}" if value else "0"


def signed_fixed(value: float, places: int) -> str:
    """A change with its sign and ``places`` decimals: 1.25 -> '+1.25' (2), -0.5 -> '-0.5' (1)."""
    text = fixed(value, places)
    return text if text.startswith("-") else "+" + text


def shortest(value: float, places: int = 2, most: int = 4) -> str:
    """At least ``places`` decimals, more (up to ``most``) when they carry information:
    1.2 -> '1.20', 4.43394 -> '4.4339', 0.125 -> '0.125'."""
    for d in range(places, most + 1):
        text = f"{value:.{d}f}"
        if abs(float(text) - value) < 1e-9:
            return text
    return fixed(value, most)


def exact(value: float) -> str:
    """A number exactly as stored, read back to the same float: 25.0 -> '25', 0.1 -> '0.1'."""
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def zone_text(zone: Zone, sublabel: str | None) -> str:
    """'GREEN (Transforming)', or just 'YELLOW' without a sub-label."""
    return f"{zone.label} ({sublabel})" if sublabel else zone.label


# ---------------------------------------------------------------- plain-text tables


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool], indent: str = "") -> list[str]:
    """A plain-text table as lines: a header, a rule of dashes, one line per row.

    Columns are as wide as their widest cell; ``right`` says which are right-aligned
    (numbers). Trailing spaces are dropped.
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(str(h)), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(items: Sequence[str]) -> str:
        text = "  ".join(s.rjust(w) if r else s.ljust(w) for s, w, r in zip(items, widths, right, strict=True))
        return (indent + text).rstrip()

    return [line([str(h) for h in headers]), indent + "  ".join("-" * w for w in widths), *(line(r) for r in cells)]


# ---------------------------------------------------------------- break-even rows


@dataclass(frozen=True)
class BreakEvenText:
    """One break-even row as text, the same for the CLI and the app."""

    knob_id: str
    label: str
    direction: str  # "up" or "down"
    reachable: bool
    now: str  # the knob's current value
    value: str  # where the zone changes ("" when not reachable)
    move: str  # the move, signed, with its unit ("+5.0 points", "-1")
    score: str  # the published score there
    zone: str  # the zone there
    status: str  # "changes_zone", "no_change" or "at_limit" (see analyses.break_even)
    status_text: str  # "" when the zone changes, else "cannot change the zone" / "at its limit"

    @property
    def summary(self) -> str:
        """'down to 0 (-1)', 'up to 30.0 (+5.0 points)', 'down: cannot change the zone' or 'down: at its limit'."""
        if not self.reachable:
            return f"{self.direction}: {self.status_text}"
        return f"{self.direction} to {self.value} ({self.move})"


def knob_value(value: float, share: bool) -> str:
    """A knob's value: a time share with one decimal ('30.0'), a rating as a whole number ('-1')."""
    return fixed(value, 1) if share else str(int(round(value)))


def break_even_rows(result: BreakEvenResult, decimals: int) -> list[BreakEvenText]:
    """The break-even rows as text; ``decimals``: the method's published decimals."""
    out = []
    for r in result.rows:
        share = r.knob_id.endswith(":share")
        reached = r.reachable and r.value is not None and r.move is not None
        move = ""
        if reached:
            move = signed_fixed(r.move, 1) + " points" if share else f"{int(round(r.move)):+d}"
        out.append(
            BreakEvenText(
                knob_id=r.knob_id,
                label=r.label,
                direction=r.direction,
                reachable=reached,
                now=knob_value(r.base_value, share),
                value=knob_value(r.value, share) if reached else "",
                move=move,
                score=fixed(r.score, decimals) if reached and r.score is not None else "",
                zone=r.zone.label if reached and r.zone is not None else "",
                status=r.status,
                status_text="" if reached else r.text,
            )
        )
    return out
