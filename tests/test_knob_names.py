"""Knob ids find their task however its name is composed: names are compared after NFC
normalisation with invisible characters at the ends removed (the same rule as the model's names)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from aijri_core.io import bundled_role
from aijri_core.knobs import KnobError, apply_changes, get_value, knob
from aijri_core.model import Scenario
from aijri_core.scoring import score

SEED = bundled_role("ai-infrastructure-engineer")
ACCENTED = "Café résumé naïve"  # has precomposed letters, so its NFD spelling differs


def _role_with_accented_task():
    data = SEED.model_dump()
    data["tasks"][0]["name"] = ACCENTED
    return type(SEED).model_validate(data)


ROLE = _role_with_accented_task()
INVISIBLE = ["", "\u200b", "\ufeff", "\u2060", "\u200e"]


@settings(max_examples=60, deadline=None)
@given(
    form=st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]),
    lead=st.sampled_from(INVISIBLE),
    trail=st.sampled_from(INVISIBLE),
    field=st.sampled_from(["score", "share"]),
    value=st.integers(1, 5),
)
def test_any_composition_of_a_task_name_names_the_same_knob(form, lead, trail, field, value):
    spelled = lead + unicodedata.normalize(form, ACCENTED) + trail
    kid = f"task:{spelled}:{field}"
    canonical = f"task:{ACCENTED}:{field}"
    assert knob(ROLE, kid) == knob(ROLE, canonical)
    assert get_value(ROLE, kid) == get_value(ROLE, canonical)
    wanted = value if field == "score" else value * 4.0
    got = score(apply_changes(ROLE, {kid: wanted}))
    expected = score(apply_changes(ROLE, {canonical: wanted}))
    assert got.raw == expected.raw and got.score == expected.score
    # a scenario keeps the id in the form the role uses
    assert list(Scenario(name="s", changes={kid: wanted}).changes) == [canonical]


def test_two_spellings_of_one_input_are_refused():
    nfd = unicodedata.normalize("NFD", ACCENTED)
    changes = {f"task:{ACCENTED}:score": 2, f"task:{nfd}:score": 3}
    with pytest.raises(ValidationError, match="names the same input"):
        Scenario(name="s", changes=changes)
    with pytest.raises(KnobError, match="names the same input"):
        apply_changes(ROLE, changes)


def test_an_nfd_spelling_is_not_read_as_an_added_task():
    nfd = unicodedata.normalize("NFD", ACCENTED)
    changed = apply_changes(ROLE, {f"task:{nfd}:share": 30.0, f"task:{nfd}:score": 4})
    assert [t.name for t in changed.tasks] == [t.name for t in ROLE.tasks]
    assert changed.task(ACCENTED).score == 4
