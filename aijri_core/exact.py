"""Decisions at the lines, made in exact arithmetic on the inputs as written.

A number in a file is an exact decimal: ``18.1`` means 181/10, not the binary float nearest
to it. Everything that compares with a line (the published rounding, the zone, the
Transforming share, the clamp) is decided here on :class:`fractions.Fraction` values of the
inputs as written (a float's shortest repr, which reads back to the same float), with the
method's constants taken the same way. No tolerance: a role whose exact score is
47.9499999... publishes 47.9, and 44.55 publishes 44.6.

Floats stay the fast path for bulk work (``score_many``, Monte Carlo, sweeps): a float
result farther than :data:`BAND` from every line is decided the same way by exact
arithmetic (the float error of the formula is orders of magnitude smaller), and anything
inside the band is decided again here (:func:`near_lines`, :func:`decide`), so a bulk
result and a single score never disagree.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .methodology import Methodology

#: Relative width of the band around a line inside which a float result is decided again
#: exactly: |x - line| <= BAND * (1 + |x|). For every valid method the float formula is off
#: by less than 1e-10 score points (raw at most 145, a few dozen roundings of 1.1e-16
#: relative each, a span of at least 1) and the Transforming share by less than 1e-12
#: points, so 1e-9 leaves a wide margin; random results land inside it about once in 10^8.
BAND = 1e-9


def as_written(value) -> Fraction:
    """The exact value of a number as written: ints exactly, floats by their shortest repr
    (``18.1`` -> 181/10), Decimal and decimal text exactly."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a rating is a number, not true/false")
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal | str):
        return Fraction(value)
    return _float_as_written(float(value))


@lru_cache(maxsize=8192)
def _float_as_written(value: float) -> Fraction:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    if value.is_integer():
        return Fraction(int(value))
    return Fraction(repr(value))


#: Decimal arithmetic that is exact or fails: sums and products of decimals are exact
#: decimals, and any rounding (a number with more than 1,000 digits) raises Inexact.
_EXACT = decimal.Context(prec=1000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                         traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero])


#: Rounding to a number of decimals: ROUND_HALF_UP is half away from zero (44.55 -> 44.6).
_ROUNDING = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
_UNITS = tuple(Decimal(1).scaleb(-d) for d in range(0, 16))


@lru_cache(maxsize=8192)
def _float_decimal(value: float) -> Decimal:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))


def publish_round_float(value: float, decimals: int) -> float:
    """A float rounded as the method rounds, on its value as written (NaN and infinities
    stay as they are)."""
    if not math.isfinite(value):
        return value
    rounded = _float_decimal(float(value)).quantize(_UNITS[decimals], rounding=decimal.ROUND_HALF_UP, context=_ROUNDING)
    return float(rounded) + 0.0  # no negative zero


def round_floats(values: np.ndarray, decimals: int) -> np.ndarray:
    """The float path of the rounding: right for every value outside the band of a half unit."""
    factor = 10.0**decimals
    scaled = values * factor
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor + 0.0  # + 0.0: no negative zero


def publish_round_array(values: np.ndarray, decimals: int) -> np.ndarray:
    """An array rounded as :func:`publish_round_float` rounds each value: the float path,
    with every value near a half unit rounded again exactly."""
    out = round_floats(values, decimals)
    for i in np.flatnonzero(_near_half_unit(values, decimals)):
        out.flat[i] = publish_round_float(float(values.flat[i]), decimals)
    return out


#: The band's half width for values of at most 100 in magnitude (clamped scores, shares).
_BAND_100 = BAND * 101.0


def _band(values: np.ndarray) -> float:
    """The band's half width for a whole array: BAND x (1 + the largest magnitude), a bound
    for every element (one number, so the checks below stay a few array operations)."""
    finite = values[np.isfinite(values)]  # NaN marks a variant that could not be made
    if not finite.size:
        return BAND
    top = max(float(finite.max()), -float(finite.min()))
    return BAND * (1.0 + top)


def _near_half_unit(values: np.ndarray, decimals: int, band: float | None = None) -> np.ndarray:
    """True where a value lies within the band of a rounding boundary (x.x5 at one decimal)."""
    factor = 10.0**decimals
    scaled = values * factor
    frac = scaled - np.floor(scaled)  # NaN stays NaN and compares False
    return np.abs(frac - 0.5) <= (_band(values) if band is None else band) * factor


def near(values, line: float) -> np.ndarray:
    """True where a float result lies within the band of ``line``."""
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.abs(v - line) <= BAND * (1.0 + np.abs(v))


# ---------------------------------------------------------------- the method, exactly

def as_decimal(value) -> Decimal:
    """:func:`as_written` as a Decimal (a float's shortest repr is a finite decimal)."""
    if isinstance(value, float):  # numpy floats too (their repr is not a number's)
        return _float_decimal(float(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, np.integer):
        return Decimal(int(value))
    return _float_decimal(float(value))


@dataclass(frozen=True)
class ExactMethod:
    """A Methodology's parameters as exact decimals (each as written)."""

    ceiling: Decimal
    evidence_weight: Decimal
    barrier_weight: Decimal
    growth_weight: Decimal
    offset: Decimal
    span: Decimal
    green: Decimal
    yellow: Decimal
    transforming_share: Decimal
    transforming_score: int
    accelerated_growth: int
    clamp: bool
    decimals: int


@lru_cache(maxsize=256)
def exact_method(m: Methodology) -> ExactMethod:
    """The parameters of ``m`` as exact decimals (cached per method)."""
    return ExactMethod(
        ceiling=as_decimal(m.task_resistance_ceiling),
        evidence_weight=as_decimal(m.evidence_weight),
        barrier_weight=as_decimal(m.barrier_weight),
        growth_weight=as_decimal(m.growth_weight),
        offset=as_decimal(m.normalisation_offset),
        span=as_decimal(m.normalisation_span),
        green=as_decimal(m.green_threshold),
        yellow=as_decimal(m.yellow_threshold),
        transforming_share=as_decimal(m.transforming_share),
        transforming_score=int(m.transforming_score),
        accelerated_growth=int(m.accelerated_growth),
        clamp=bool(m.clamp),
        decimals=int(m.decimals),
    )


@dataclass(frozen=True)
class Decision:
    """What one set of inputs gives at the lines, exactly.

    The score is kept as the exact ratio numerator / denominator of two decimals, the
    share at or above the transforming score as hit / time (percent = 100 hit / time)."""

    published: Fraction  # clamped (if the method clamps) and rounded
    clamped: bool
    zone_code: int  # 0 RED, 1 YELLOW, 2 GREEN
    sublabel_code: int  # 0 none, 1 Stable, 2 Transforming, 3 Accelerated
    numerator: Decimal
    denominator: Decimal
    hit: Decimal
    time: Decimal

    @property
    def score(self) -> float:
        """The published score as a float (the nearest float to the decimal: 47.9)."""
        return float(self.published) + 0.0

    @property
    def unclamped(self) -> Fraction:
        """The score before clamping and rounding."""
        return Fraction(self.numerator) / Fraction(self.denominator)

    @property
    def share_3_plus(self) -> Fraction:
        """Percent of task time at or above the transforming score."""
        return Fraction(self.hit * 100) / Fraction(self.time)


def decide(shares, scores, evidence_total, barrier_total, growth, m: Methodology) -> Decision:
    """Published score, clamp, zone and sub-label of one set of inputs, in exact arithmetic.

    score = ((ceiling - N/T) x modifiers - offset) / span x 100 with N = sum(share x score)
    and T = sum(share), written as X / Y = ((ceiling T - N) x modifiers - offset T) x 100
    / (T span), so that every step is a sum or product of decimals (exact) and the lines
    are compared without dividing."""
    em = exact_method(m)
    level = em.transforming_score
    with decimal.localcontext(_EXACT):
        n = t = hit = Decimal(0)
        for share, sc in zip(shares, scores, strict=True):
            q = as_decimal(share)
            s = as_decimal(sc)
            n += q * s
            t += q
            if s >= level:
                hit += q
        g = as_decimal(growth)
        modifiers = (
            (1 + em.evidence_weight * as_decimal(evidence_total))
            * (1 + em.barrier_weight * as_decimal(barrier_total))
            * (1 + em.growth_weight * g)
        )
        x = ((em.ceiling * t - n) * modifiers - em.offset * t) * 100
        y = t * em.span  # > 0: shares are at least 0 and add up to more than 0, the span is at least 1
        clamped = False
        if em.clamp and x < 0:
            capped_x, clamped = Decimal(0), True
        elif em.clamp and x > 100 * y:
            capped_x, clamped = 100 * y, True
        else:
            capped_x = x
        unit = 10**em.decimals
        whole = (2 * abs(capped_x) * unit + y) // (2 * y)  # floor(|score| x unit + 1/2)
        published = Fraction(int(whole) if capped_x >= 0 else -int(whole), unit)
        zone = 2 if published >= em.green else 1 if published >= em.yellow else 0
        sub = 0
        if zone == 2:
            sub = 3 if g >= em.accelerated_growth else 2 if hit * 100 >= em.transforming_share * t else 1
    return Decision(published, clamped, zone, sub, x, y, hit, t)


def near_lines(unclamped: np.ndarray, share_3_plus: np.ndarray, m: Methodology) -> np.ndarray:
    """True where a float result is too close to a line to be decided in floats: a rounding
    boundary of the published score, the clamp's ends (0 and 100), or the Transforming share."""
    u = np.asarray(unclamped, dtype=float)
    s = np.asarray(share_3_plus, dtype=float)  # 0..100
    if m.clamp:
        out = _near_half_unit(np.clip(u, 0.0, 100.0), m.decimals, _BAND_100)
        out |= np.abs(np.abs(u - 50.0) - 50.0) <= _BAND_100  # |u| or |u - 100| within the band
    else:
        out = _near_half_unit(u, m.decimals)
    out |= np.abs(s - m.transforming_share) <= _BAND_100
    return out


def share_figure(share_3_plus: float, decided: Decision, m: Methodology) -> float:
    """The share figure shown beside the sub-label: the float result, or the exact value
    when the float lies within the band of the Transforming line (so 20 / 18.1 / 37.7 / 24.2
    shows 20.0, not 19.999999999999996)."""
    return float(decided.share_3_plus) if bool(near(share_3_plus, m.transforming_share)) else share_3_plus


def rescaled(values: Iterable, total) -> list[float]:
    """``values`` scaled so that they add up to ``total``, each the float nearest to its exact
    share (0.69 alone scaled to 100 is 100, not 100.00000000000001)."""
    exact = [as_written(v) for v in values]
    whole = sum(exact, Fraction(0))
    target = as_written(total)
    return [float(v * target / whole) for v in exact]


def difference(a, b) -> float:
    """a - b on the values as written, as the nearest float (48.0 - 47.95 is 0.05, where the
    float subtraction gives 0.04999999999999716 and would be shown as 0.0)."""
    return float(as_written(a) - as_written(b)) + 0.0


def exact_sum(values: Iterable) -> Fraction:
    """The exact sum of numbers as written."""
    return sum((as_written(v) for v in values), Fraction(0))
