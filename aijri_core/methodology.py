"""The AIJRI method's constants, zones and sub-labels.

Every number of the method lives in :class:`Methodology`; code elsewhere reads it from
an instance (``DEFAULT`` is the published method) and never repeats the literals.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .exact import publish_round_array, publish_round_float, round_floats


class Zone(StrEnum):
    """A zone as written in assessment files."""

    GREEN = "Green"
    YELLOW = "Yellow"
    RED = "Red"

    @property
    def label(self) -> str:
        return self.value.upper()


def strict_number(value: object) -> object:
    """A number as given, refusing true/false and text (``"3"``) before pydantic would convert them."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, str | bytes | bytearray):
        raise ValueError("must be a number, not text")
    return value


def strict_whole_number(value: object) -> object:
    """A whole number as given (3.0 becomes 3), refusing true/false, text and fractions."""
    value = strict_number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a whole number, not NaN or infinity")
        if not value.is_integer():
            raise ValueError(f"must be a whole number, got {value:g}")
        return int(value)
    return value


def strict_flag(value: object) -> object:
    """true or false only (not 1, "yes" or "true")."""
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


#: Strict field types: JSON numbers only (no booleans, no numeric strings), finite.
Number = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(strict_number)]
WholeNumber = Annotated[int, BeforeValidator(strict_whole_number)]
Flag = Annotated[bool, BeforeValidator(strict_flag)]


#: Zone codes used by the vectorised scorer (index into ZONES_BY_CODE).
ZONES_BY_CODE: tuple[Zone, ...] = (Zone.RED, Zone.YELLOW, Zone.GREEN)
#: Sub-label codes used by the vectorised scorer; code 0 means "no sub-label".
SUBLABELS_BY_CODE: tuple[str | None, ...] = (None, "Stable", "Transforming", "Accelerated")


class Methodology(BaseModel):
    """All parameters of the AIJRI formula (defaults: the published method).

    score = (TR * (1 + evidence_weight*E) * (1 + barrier_weight*B) * (1 + growth_weight*G)
             - normalisation_offset) / normalisation_span * 100,  TR = task_resistance_ceiling - weighted
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Bounds keep every multiplier above 0 and the span at least 1, so every score and every
    # analysis built on it is a finite number.
    task_resistance_ceiling: Number = Field(6.00, ge=1, le=20, description="TR = ceiling - weighted task score")
    evidence_weight: Number = Field(0.04, ge=0, le=0.09, description="per point of evidence total E (-10..+10)")
    barrier_weight: Number = Field(0.02, ge=0, le=0.1, description="per point of barrier total B (0..10)")
    growth_weight: Number = Field(0.05, ge=0, le=0.45, description="per point of AI growth correlation G (-2..+2)")
    normalisation_offset: Number = Field(0.54, ge=0, le=10, description="raw value that maps to score 0")
    normalisation_span: Number = Field(7.93, ge=1, le=50, description="raw range that maps to 100 points")
    green_threshold: Number = Field(48.0, ge=0, le=100, description="published score >= this is GREEN")
    yellow_threshold: Number = Field(25.0, ge=0, le=100, description="published score >= this (and below GREEN) is YELLOW")
    transforming_share: Number = Field(20.0, ge=0, le=100, description="% of task time at or above transforming_score")
    transforming_score: WholeNumber = Field(3, ge=1, le=5, description="task score counted as facing significant automation")
    accelerated_growth: WholeNumber = Field(2, ge=-2, le=2, description="growth correlation that makes a GREEN role Accelerated")
    clamp: Flag = Field(True, description="cap the published score to the 0..100 scale")
    share_tolerance: Number = Field(1.0, ge=0, le=10, description="allowed distance of the share total from 100")
    decimals: WholeNumber = Field(1, ge=0, le=4, description="decimals of the published score")

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Methodology:
        if self.yellow_threshold > self.green_threshold:
            raise ValueError(
                f"yellow_threshold ({self.yellow_threshold}) must not exceed green_threshold ({self.green_threshold})"
            )
        return self

    def with_changes(self, **changes: object) -> Methodology:
        """A validated copy with some parameters changed."""
        return Methodology.model_validate({**self.model_dump(), **changes})

    def is_default(self) -> bool:
        return self == DEFAULT

    @staticmethod
    def bounds(name: str) -> tuple[float, float]:
        """(lowest, highest) allowed value of a numeric parameter, both inclusive."""
        lo = hi = None
        for meta in Methodology.model_fields[name].metadata:
            lo = getattr(meta, "ge", lo)
            hi = getattr(meta, "le", hi)
        if lo is None or hi is None:
            raise KeyError(f"{name} is not a numeric method parameter")
        return lo, hi


DEFAULT = Methodology()

#: The score scale (the clamp bounds). Not a method parameter: it defines the index.
SCALE_MIN = 0.0
SCALE_MAX = 100.0


def publish_round(value, decimals: int = 1):
    """Round half away from zero (44.55 -> 44.6), for floats or numpy arrays.

    The rule acts on the decimal value as written (44.55 is 4455/100, not the binary
    float 44.5499999...), in exact arithmetic and without any tolerance: 47.94999997
    rounds to 47.9 (see :mod:`aijri_core.exact`).
    """
    if np.ndim(value) == 0:
        return publish_round_float(float(value), decimals)
    return publish_round_array(np.asarray(value, dtype=float), decimals)


def zone_code(published, m: Methodology = DEFAULT):
    """0 = RED, 1 = YELLOW, 2 = GREEN, from the published (rounded) score.

    Float comparison is exact here: the order of two floats is the order of their values
    as written (their shortest reprs), and a published score is the float of its decimal.
    """
    p = np.asarray(published, dtype=float)
    codes = np.where(p >= m.green_threshold, 2, np.where(p >= m.yellow_threshold, 1, 0))
    return int(codes) if codes.ndim == 0 else codes


def zone_of(published: float, m: Methodology = DEFAULT) -> Zone:
    """The zone of a published score."""
    return ZONES_BY_CODE[zone_code(published, m)]


def publish(score_unclamped, m: Methodology = DEFAULT, *, floats_only: bool = False):
    """(published score, clamped?) from the unclamped score; floats or arrays.

    floats_only: the float path alone, for callers that decide every value near a line
    again themselves (``score_many``); right for every value outside ``exact.BAND``.
    """
    s = np.asarray(score_unclamped, dtype=float)
    if m.clamp:
        capped = np.clip(s, SCALE_MIN, SCALE_MAX)
        clamped = capped != s
    else:
        capped = s
        clamped = np.zeros_like(s, dtype=bool)
    published = round_floats(capped, m.decimals) if floats_only else publish_round(capped, m.decimals)
    if np.ndim(s) == 0:
        return float(published), bool(clamped)
    return published, clamped


def sublabel_code(zone_codes, growth, share_3_plus, m: Methodology = DEFAULT):
    """0 none, 1 Stable, 2 Transforming, 3 Accelerated (GREEN only, checked in that order)."""
    z = np.asarray(zone_codes)
    g = np.asarray(growth)
    s = np.asarray(share_3_plus, dtype=float)
    green = z == 2
    codes = np.where(
        green,
        np.where(g >= m.accelerated_growth, 3, np.where(s >= m.transforming_share, 2, 1)),
        0,
    )
    return int(codes) if codes.ndim == 0 else codes


def thresholds(m: Methodology = DEFAULT) -> tuple[float, float]:
    """(yellow, green) thresholds, ascending."""
    return (m.yellow_threshold, m.green_threshold)
