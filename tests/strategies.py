"""Hypothesis strategies for valid AIJRI inputs, shared by the test files.

Import as ``from strategies import role_assessments`` (pytest puts tests/ on sys.path).

Every value these strategies produce passes the models' validation, by the model's own rules:
names are already in the form ``model.clean_name`` keeps, task names are unique by
``model.name_key`` (the key the model compares them with: case, whitespace kind, invisible
characters), shares are in 0..100 and sum to 100 +/- 1, ratings are whole numbers in range.
A strategy that drew a value the model refuses would fail the test that uses it by chance.
"""

from __future__ import annotations

import copy
import functools
import string
from collections.abc import Callable

from hypothesis import strategies as st

from aijri_core.methodology import DEFAULT, Methodology, Zone
from aijri_core.model import (
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    MAX_NAME,
    PROTECTIVE_PRINCIPLES,
    Barriers,
    Comparator,
    Evidence,
    Override,
    Protective,
    PublishedResult,
    RoleAssessment,
    Task,
    TaskMode,
    clean_name,
    name_key,
)

#: Characters for generated names: readable, plus the punctuation real task names use.
NAME_CHARS = string.ascii_letters + string.digits + " &/-(),.'"

#: Rating ranges (inclusive) of the model; kept here so strategies stay valid by construction.
TASK_SCORE = (1, 5)
EVIDENCE_RANGE = (-2, 2)
BARRIER_RANGE = (0, 2)
GROWTH_RANGE = (-2, 2)
PROTECTIVE_RANGE = (0, 3)


def reused(factory: Callable[..., st.SearchStrategy]) -> Callable[..., st.SearchStrategy]:
    """A strategy factory that gives the same strategy object for the same (hashable) arguments.

    Hypothesis validates a strategy the first time it draws from it; a composite that builds
    its inner strategies anew on every draw pays that again for each example (most of the time
    of the slowest properties). Arguments that cannot be hashed build a new strategy."""
    cached = functools.cache(factory)

    @functools.wraps(factory)
    def get(*args, **kwargs):
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError:
            return factory(*args, **kwargs)
        return cached(*args, **kwargs)

    return get


def changed(data: dict, path: tuple, value: object) -> dict:
    """A deep copy of JSON-like ``data`` with the value at ``path`` (keys and list indexes) replaced."""
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


@reused
def names(max_size: int = 40, alphabet: str | st.SearchStrategy[str] = NAME_CHARS) -> st.SearchStrategy[str]:
    """Non-empty names as the models keep them (``clean_name``: NFC, no invisible characters at the ends)."""
    return (
        st.text(alphabet=alphabet, min_size=1, max_size=min(max_size, MAX_NAME))
        .map(clean_name)
        .filter(bool)
    )


@reused
def free_text(max_size: int = 120) -> st.SearchStrategy[str]:
    """Any printable text (Unicode included), stripped, possibly empty."""
    return st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
        max_size=max_size,
    ).map(str.strip)


@reused
@st.composite
def shares(draw, k: int, allow_zero: bool = True, decimals: int | None = 1, any_total: bool = False) -> list[float]:
    """k time shares in percent, each 0..100, summing to 100 (+/- rounding < 1).

    Drawn as integer weights normalised to 100, optionally rounded to ``decimals``.
    ``any_total``: the total is instead anywhere the model allows (99..101, in tenths,
    added task by task as the model adds it), shares in tenths of a point.
    """
    low = 0 if allow_zero else 1
    weights = draw(st.lists(st.integers(low, 100), min_size=k, max_size=k).filter(lambda w: sum(w) > 0))
    total = sum(weights)
    if any_total:
        return _tenths_with_total(weights, draw(st.integers(990, 1010)))
    out = [w * 100.0 / total for w in weights]
    if decimals is not None:
        out = [round(v, decimals) for v in out]
    return out


def _tenths_with_total(weights: list[int], tenths: int) -> list[float]:
    """Shares in tenths of a point, in proportion to ``weights``, summing to ``tenths``/10
    (capped so every share is at most 100 and the added-up total within 100 +/- 1)."""
    k = len(weights)
    tenths = min(tenths, 1000 * k)
    raw = [w * tenths / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    by_fraction = sorted(range(k), key=lambda j: raw[j] - parts[j], reverse=True)
    for j in by_fraction[: tenths - sum(parts)]:
        parts[j] += 1
    for j in range(k):  # a share above 100 gives its excess to the next task
        excess = parts[j] - 1000
        if excess > 0:
            parts[j] -= excess
            parts[(j + 1) % k] += excess
    out = [p / 10 for p in parts]
    while True:  # the model adds task by task; float noise must not push it past 99..101
        added = 0.0
        for v in out:
            added += v
        if abs(added - 100.0) <= DEFAULT.share_tolerance:
            return out
        j = max(range(k), key=lambda i: out[i])
        out[j] = round(out[j] + (-0.1 if added > 100 else 0.1), 1)


@reused
@st.composite
def task_lists(
    draw,
    min_tasks: int = 1,
    max_tasks: int = 8,
    name_strategy: st.SearchStrategy[str] | None = None,
    allow_zero_share: bool = True,
    rationale: bool = True,
    any_total: bool = False,
) -> list[Task]:
    """Valid task lists: names unique by the model's key (``name_key``), shares summing to 100,
    scores 1..5, any mode. A ``name_strategy`` may draw raw text: names are cleaned (and empty
    ones dropped) by the model's rule first."""
    k = draw(st.integers(min_tasks, max_tasks))
    task_names = draw(_task_names(k, name_strategy))
    task_shares = draw(shares(k, allow_zero=allow_zero_share, any_total=any_total))
    tasks = []
    for name, share in zip(task_names, task_shares, strict=True):
        tasks.append(
            Task(
                name=name,
                time_share=share,
                score=draw(_TASK_SCORES),
                mode=draw(_MODES),
                rationale=draw(_rationales()) if rationale else None,
            )
        )
    return tasks


_TASK_SCORES = st.integers(*TASK_SCORE)
_MODES = st.sampled_from(list(TaskMode))


@reused
def _task_names(k: int, name_strategy: st.SearchStrategy[str] | None) -> st.SearchStrategy[list[str]]:
    raw = names() if name_strategy is None else name_strategy.map(clean_name).filter(bool)
    return st.lists(raw, min_size=k, max_size=k, unique_by=name_key)


@reused
def _rationales() -> st.SearchStrategy[str | None]:
    return st.none() | free_text()


@reused
def evidence() -> st.SearchStrategy[Evidence]:
    return st.builds(Evidence, **{d: st.integers(*EVIDENCE_RANGE) for d in EVIDENCE_DIMENSIONS})


@reused
def barriers() -> st.SearchStrategy[Barriers]:
    return st.builds(Barriers, **{b: st.integers(*BARRIER_RANGE) for b in BARRIERS})


@reused
def protective() -> st.SearchStrategy[Protective]:
    return st.builds(Protective, **{p: st.integers(*PROTECTIVE_RANGE) for p in PROTECTIVE_PRINCIPLES})


@reused
def growth() -> st.SearchStrategy[int]:
    return st.integers(*GROWTH_RANGE)


@reused
def published_results() -> st.SearchStrategy[PublishedResult]:
    return st.builds(
        PublishedResult,
        score=st.integers(0, 1000).map(lambda v: v / 10),
        zone=st.sampled_from(list(Zone)),
        sublabel=st.none() | st.sampled_from(["Transforming", "Stable", "Accelerated", "Urgent", "Moderate"]),
    )


@reused
def overrides() -> st.SearchStrategy[Override]:
    return st.builds(
        Override,
        zone=st.sampled_from(list(Zone)),
        sublabel=st.none() | st.sampled_from(["Transforming", "Stable", "Accelerated"]),
        reason=names(max_size=80),
    )


@reused
def comparators() -> st.SearchStrategy[Comparator]:
    return st.builds(
        Comparator,
        title=names(),
        score=st.integers(0, 1000).map(lambda v: v / 10),
        zone=st.sampled_from(list(Zone)),
        sublabel=st.none() | st.sampled_from(["Transforming", "Stable", "Accelerated"]),
    )


@functools.cache
def _extras() -> tuple[st.SearchStrategy, ...]:
    """A role's optional parts: published result, override, comparators."""
    return st.none() | published_results(), st.none() | overrides(), st.none() | st.lists(comparators(), max_size=3)


@reused
@st.composite
def role_assessments(
    draw,
    min_tasks: int = 1,
    max_tasks: int = 8,
    extras: bool = True,
    name_strategy: st.SearchStrategy[str] | None = None,
    allow_zero_share: bool = True,
    any_total: bool = False,
) -> RoleAssessment:
    """Valid RoleAssessments. ``extras`` adds optional published/override/comparators/rationales;
    ``any_total``: share totals anywhere the model allows (99..101), not only 100."""
    return RoleAssessment(
        title=draw(names()),
        seniority=draw(free_text(60)) if extras else "",
        tasks=draw(
            task_lists(
                min_tasks,
                max_tasks,
                name_strategy=name_strategy,
                allow_zero_share=allow_zero_share,
                rationale=extras,
                any_total=any_total,
            )
        ),
        evidence=draw(evidence()),
        barriers=draw(barriers()),
        growth_correlation=draw(growth()),
        protective=draw(protective()),
        published=draw(_extras()[0]) if extras else None,
        override=draw(_extras()[1]) if extras else None,
        comparators=draw(_extras()[2]) if extras else None,
    )


@reused
@st.composite
def methodologies(draw) -> Methodology:
    """Valid Methodology variants around the published one (thresholds ordered)."""
    yellow = draw(st.integers(0, 600).map(lambda v: v / 10))
    green = draw(st.integers(int(yellow * 10), 1000).map(lambda v: v / 10))
    return DEFAULT.with_changes(
        task_resistance_ceiling=draw(st.sampled_from([6.0, 5.5, 6.5, 7.0])),
        evidence_weight=draw(st.integers(0, 90).map(lambda v: v / 1000)),
        barrier_weight=draw(st.integers(0, 100).map(lambda v: v / 1000)),
        growth_weight=draw(st.integers(0, 100).map(lambda v: v / 1000)),
        normalisation_offset=draw(st.sampled_from([0.54, 0.0, 1.0])),
        normalisation_span=draw(st.sampled_from([7.93, 8.47, 10.0])),
        green_threshold=green,
        yellow_threshold=yellow,
        transforming_share=draw(st.integers(0, 100)),
        transforming_score=draw(st.integers(1, 5)),
        accelerated_growth=draw(st.integers(-2, 2)),
        clamp=draw(st.booleans()),
        decimals=draw(st.integers(0, 2)),
    )
