"""Text formats shared by every output (CLI tables, documents, the HTML report, the app):
numbers, zones, plain-text tables and the break-even rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .methodology import Zone, publish_round

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


def percent_against(value: float, line: float) -> str:
    """A percentage as :func:`percent` writes it, with more decimals (up to 6) where one
    decimal would put it on the other side of ``line`` (19.96 beside a 20% line: '19.96%',
    not '20%'), so a share printed beside a rule agrees with the rule's verdict."""
    for places in range(1, 7):
        text = trimmed(value, places)
        if (float(text) >= line) == (value >= line):
            return text + "%"
    return exact(value) + "%"


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


def apportion(values: Sequence[float], total: int) -> list[int]:
    """Whole numbers (e.g. tenths of a point) near ``values`` that add up to ``total``, by the
    largest remainder: every value's floor, then one more for the values with the largest
    remainders until the total is reached (one less for the smallest remainders when the floors
    already pass it). Values of exactly 0 stay 0 while any other value can take the difference.
    Used so that rounded parts shown next to their rounded whole add up to it."""
    from fractions import Fraction
    from math import floor

    exact = [Fraction(v) for v in values]
    out = [floor(v) for v in exact]
    if not out:
        return out
    rest = [v - f for v, f in zip(exact, out, strict=True)]
    movable = [i for i, v in enumerate(exact) if v != 0] or list(range(len(out)))
    short = total - sum(out)
    order = sorted(movable, key=lambda i: (-rest[i], i))  # largest remainder first, ties by position
    if short < 0:
        order = order[::-1]
    for k in range(abs(short)):
        out[order[k % len(order)]] += 1 if short > 0 else -1
    return out


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


# ---------------------------------------------------------------- knob rows (break-even, goal seek)


def knob_number(kind: str, value: float, share_places: int = 1) -> str:
    """A knob's value as the sliders show it: a time share with ``share_places`` decimals
    ('30.0'), a rating on a scale with negative values signed ('+1', '0', '-2'), others whole ('3')."""
    from .model import SCALES

    if kind == "share":
        return fixed(value, share_places)
    whole = int(round(value))
    return signed(whole) if SCALES[kind].min < 0 else str(whole)


def move_text(unit: str, move: float) -> str:
    """A move of a knob with its unit: '+5.0 points', '-1 step', '+2 steps'."""
    if unit == "point":
        text = signed_fixed(move, 1)
        return f"{text} point{'' if abs(float(text)) == 1 else 's'}"
    steps = int(round(move))
    return f"{steps:+d} step{'' if abs(steps) == 1 else 's'}"


@dataclass(frozen=True)
class KnobRowText:
    """One break-even or goal-seek row as text, the same in the CLI and the app."""

    knob_id: str
    label: str
    direction: str  # "up" or "down"
    reachable: bool  # the move changes the zone (break-even) or reaches the target (goal seek)
    now: str  # the knob's current value
    to: str  # the value the knob moves to, or why there is none ("cannot change the zone", "at its limit")
    move: str  # the move with its unit ("+5.0 points", "-1 step"); "" when not reachable
    score: str  # the published score there ("" when not reachable)
    zone: str  # the zone there ("" when not reachable)
    row: object  # the analysis row (numbers for tables that format them themselves)


def knob_rows(result, assessment, decimals: int, share_places: int = 1) -> list[KnobRowText]:
    """The rows of a break-even or goal-seek result as text, in the result's order.

    ``assessment`` gives each knob's kind; ``decimals`` is the method's published decimals;
    ``share_places`` the decimals of time shares (break-even moves shares by 0.1 point, goal
    seek by 0.01).
    """
    from .knobs import knobs

    kinds = {k.id: k.kind for k in knobs(assessment)}
    out = []
    for r in result.rows:
        kind = kinds[r.knob_id]
        ok = r.reachable and r.value is not None
        unit = "point" if kind == "share" else "step"
        out.append(
            KnobRowText(
                knob_id=r.knob_id,
                label=r.label,
                direction=r.direction,
                reachable=ok,
                now=knob_number(kind, r.base_value, share_places),
                to=knob_number(kind, r.value, share_places) if ok else r.text,
                move=move_text(unit, r.value - r.base_value) if ok else "",
                score=fixed(r.score, decimals) if ok and r.score is not None else "",
                zone=r.zone.label if ok and r.zone is not None else "",
                row=r,
            )
        )
    return out
