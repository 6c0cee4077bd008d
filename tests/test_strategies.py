"""The shared strategies draw only what the model accepts, by the model's own rules.

A strategy that can draw a value the model refuses makes the tests that use it fail by chance
(two task names that differ in case or in an invisible character are one name to the model).
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import PROFILE, examples
from strategies import names, role_assessments

from aijri_core.model import clean_name, name_key

#: Names that differ as strings (and after casefold()) but not by the model's key.
LOOK_ALIKES = ["0", "0\u200b", "\u200b0", "Ops", "OPS", "a b", "A\u00a0b", "a\u2003B", "Zoë", "Zoe\u0308", "x"]


@given(a=role_assessments(min_tasks=2, max_tasks=3, name_strategy=st.sampled_from(LOOK_ALIKES)))
def test_task_names_are_unique_by_the_models_key(a):
    keys = [name_key(t.name) for t in a.tasks]
    assert len(set(keys)) == len(keys)


@given(name=names(alphabet=string.ascii_letters + " \t\u00a0\u200b\ufeff\u2060e\u0301"))
def test_names_are_drawn_as_the_model_keeps_them(name):
    assert name and name == clean_name(name)


# ---------------------------------------------------------------- the profiles (tests/conftest.py)


@settings(max_examples=300)
@given(st.integers())
def test_an_own_example_count_is_scaled_by_the_profile(x):
    assert isinstance(x, int)


def test_the_profile_scales_a_tests_own_example_count(request):
    """conftest's hook reaches hypothesis's settings on each test: a quick run takes at most 10
    examples, a nightly run 10 times as many, ci and dev the test's own count."""
    probe = test_an_own_example_count_is_scaled_by_the_profile
    if not any(item.obj is probe for item in request.session.items):
        pytest.skip("the probe test was not collected in this run")
    assert probe._hypothesis_internal_use_settings.max_examples == examples(300)
    assert examples(300) == {"quick": 10, "nightly": 3000}.get(PROFILE, 300)
    if PROFILE == "ci":
        assert probe._hypothesis_internal_use_settings.derandomize
        assert probe._hypothesis_internal_use_settings.database is None
