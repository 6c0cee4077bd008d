"""Shared helpers for the store / document / CSV / report tests.

Strategies here produce *hostile but valid* texts: formula-like names, apostrophes,
quotes, commas, line breaks, pipes, backslashes, Unicode.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

from hypothesis import strategies as st
from strategies import reused

from aijri_core import Scenario, bundled_role
from aijri_core.knobs import KnobId, knobs
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS, MAX_NAME

SEED = "ai-infrastructure-engineer"
#: The published seed document, which lies outside the repository (its text is not ours to ship):
#: AIJRI_SEED_DOC names it, else shared/seed/ beside the clone; tests that need it skip without it.
SEED_DOC = Path(
    os.environ.get("AIJRI_SEED_DOC")
    or Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_9471be76e2adeac9.txt"
)

#: Names that a spreadsheet would run as formulas, or that test our escape character.
TRICKY_NAMES = [
    '=HYPERLINK("http://example.com","click")',
    "-1 task",
    "+44 plan",
    "@SUM(A1:A2)",
    "'quoted",
    "''double",
    "'",
    "=1+1",
    'Comma, "quote" and\nnewline',
    "tab\tinside",
    "pipe | and \\ backslash",
    "**bold** name",
    "Ünïcödé − minus",
]

_TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@reused
def hostile_text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text without NUL/surrogates, stripped like the models strip it."""
    plain = st.text(alphabet=_TEXT_CHARS, min_size=min_size, max_size=max_size).map(str.strip)
    mixed = st.lists(
        st.sampled_from(TRICKY_NAMES) | st.text(alphabet=string.printable, max_size=8), min_size=1, max_size=3
    ).map("".join).map(str.strip)
    out = plain | mixed | st.sampled_from(TRICKY_NAMES)
    if min_size:
        out = out.filter(lambda s: len(s) >= min_size)
    return out.map(lambda s: s[:MAX_NAME].strip()).filter(lambda s: len(s) >= min_size)


@reused
def knob_ids(task_names: list[str] | None = None) -> st.SearchStrategy[str]:
    names = task_names or [t.name for t in bundled_role(SEED).tasks]
    return st.sampled_from(
        [KnobId.task(n, "score").format() for n in names]
        + [KnobId.task(n, "share").format() for n in names]
        + [KnobId("evidence", d).format() for d in EVIDENCE_DIMENSIONS]
        + [KnobId("barrier", b).format() for b in BARRIERS]
        + [KnobId("growth").format()]
    )


def _value_for(knob_id: str) -> st.SearchStrategy[float]:
    if knob_id.endswith(":share"):
        return st.floats(0, 100, allow_nan=False, allow_infinity=False)
    if knob_id.endswith(":score"):
        return st.integers(1, 5).map(float)
    if knob_id.startswith("evidence:") or knob_id == "growth":
        return st.integers(-2, 2).map(float)
    return st.integers(0, 2).map(float)


@reused
@st.composite
def changes(draw, task_names: list[str] | None = None, max_size: int = 6) -> dict[str, float]:
    ids = draw(st.lists(knob_ids(task_names), max_size=max_size, unique=True))
    return {k: draw(_value_for(k)) for k in ids}


@reused
@st.composite
def scenarios(draw, name=None, task_names: list[str] | None = None) -> Scenario:
    return Scenario(
        name=draw(name if name is not None else hostile_text(1, 60).filter(_valid_name)),
        note=draw(hostile_text(0, 80)),
        changes=draw(changes(task_names)),
        position=draw(st.none() | hostile_text(0, 20)),
        trajectory=draw(st.none() | hostile_text(0, 20)),
    )


def _valid_name(text: str) -> bool:
    """The model also strips control characters: a name of only those is empty."""
    try:
        Scenario(name=text)
    except ValueError:
        return False
    return True


@reused
def scenario_lists(max_size: int = 6) -> st.SearchStrategy[list[Scenario]]:
    return st.lists(scenarios(), max_size=max_size, unique_by=lambda s: s.name)


def seed_scenarios() -> list[Scenario]:
    """A few hand-made scenarios on the seed role (checked numbers in the tests)."""
    base = bundled_role(SEED)
    serving = base.tasks[1].name
    return [
        Scenario(name="Evidence cools", note="postings flatten", changes={"evidence:job_postings": 0.0}),
        Scenario(
            name="Serving automated",
            changes={f"task:{serving}:score": 4.0, f"task:{serving}:share": 30.0},
            position="2028",
            trajectory="Managed platforms",
        ),
        Scenario(name="Growth +2", changes={"growth": 2.0}),
    ]


def all_knob_ids() -> list[str]:
    return [k.id for k in knobs(bundled_role(SEED))]
