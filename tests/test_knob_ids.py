"""Knob ids: one type (``KnobId``) reads, writes and canonicalises them, for any task name.

A task's name may hold any text, ':' and markup included; the field is what follows the last
':'. The ids are read nowhere else: the source test below keeps it so.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from formats_helpers import SEED, hostile_text
from hypothesis import given
from hypothesis import strategies as st

from aijri_core import bundled_role
from aijri_core.knobs import (
    KnobId,
    TaskChange,
    apply_changes,
    get_value,
    knob,
    knob_from_id,
    set_share_tasks,
    task_of,
    task_score_id,
    task_share_id,
)
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS, TASK_FIELDS, RoleAssessment, Scenario, clean_name

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
TASK_NAMES = ANY_TEXT | hostile_text(0, 40) | st.sampled_from(["a:score", ":", "task:x:share", "a::", "growth"])


@given(name=TASK_NAMES, field=st.sampled_from(TASK_FIELDS))
def test_a_task_id_reads_back_as_written(name, field):
    k = KnobId.task(name, field)
    text = k.format()
    assert text == f"task:{name}:{field}" == str(k)  # the documented form, independently written
    assert KnobId.parse(text) == k
    assert task_of(text) == k and k.is_task(field)


@given(target=st.sampled_from(EVIDENCE_DIMENSIONS + BARRIERS))
def test_rating_and_growth_ids_read_back(target):
    kind = "evidence" if target in EVIDENCE_DIMENSIONS else "barrier"
    k = KnobId(kind, target)
    assert k.format() == f"{kind}:{target}"
    assert KnobId.parse(k.format()) == k and task_of(k.format()) is None
    assert KnobId.parse("growth") == KnobId("growth") and KnobId("growth").format() == "growth"


@given(text=ANY_TEXT | st.builds(lambda a, b: f"{a}:{b}", ANY_TEXT, ANY_TEXT))
def test_parse_then_format_gives_the_same_text(text):
    parsed = KnobId.parse(text)
    if parsed is not None:
        assert parsed.format() == text
    else:  # none of the forms: not growth, no task field, no rating target
        assert text != "growth"
        assert not (text.startswith("task:") and ":" in text[5:] and not text.endswith(":"))
        assert not (text.startswith(("evidence:", "barrier:")) and text.split(":", 1)[1])


@given(name=TASK_NAMES, field=st.sampled_from(TASK_FIELDS))
def test_the_canonical_form_cleans_the_task_name_once(name, field):
    k = KnobId.task(unicodedata.normalize("NFD", name) + "\u200b", field)
    canon = k.canonical()
    assert canon == KnobId.task(clean_name(name), field)
    assert canon.canonical() == canon


def _role_with_names(names: list[str]) -> RoleAssessment:
    data = bundled_role(SEED).model_dump()
    data["tasks"] = [dict(data["tasks"][0], name=n, time_share=100 / len(names)) for n in names]
    return RoleAssessment.model_validate(data)


def test_names_that_look_like_ids_stay_their_own_tasks():
    # "a:score" and "a": task:a:score:score is the first one's score, task:a:score the second's.
    names = ["a:score", "a", "task:x:share", ":"]
    role = _role_with_names(names)
    for i, name in enumerate(names):
        changed = apply_changes(role, {task_score_id(name): 1 + i})
        assert [t.score for t in changed.tasks] == [1 + i if n == name else role.task(n).score for n in names]
        assert knob(role, task_share_id(name)).target == name
        assert get_value(changed, task_score_id(name)) == 1 + i
    assert set_share_tasks({task_share_id(n): 25.0 for n in names}) == names


@given(name=hostile_text(1, 40).filter(lambda s: s == clean_name(s) and s != ""), field=st.sampled_from(TASK_FIELDS))
def test_knob_from_id_names_the_task_for_any_name(name, field):
    k = knob_from_id(KnobId.task(name, field).format())
    assert k is not None and k.target == name and k.kind == field and k.group == "tasks"
    assert isinstance(k, TaskChange) == (field in ("mode", "remove"))
    assert Scenario(name="s", changes={k.id: 1}).changes == {k.id: 1}


ROOT = Path(__file__).resolve().parent.parent
#: A literal that writes or reads an id's task form ("task:" or a ":<field>" suffix).
_ID_LITERAL = re.compile(r"""["'](?:task:|:(?:score|share|mode|remove)["'])""")


def test_knob_ids_are_read_and_written_in_one_place():
    found = []
    for package in ("aijri_core", "aijri_ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _ID_LITERAL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found and all(f.startswith("aijri_core/model.py:") for f in found), found
