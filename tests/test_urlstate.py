"""URL state: encode -> decode is the identity; tampered links give one UrlStateError."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aijri_core import AIJRIError, bundled_role, changes_between, knobs, set_value
from aijri_core.methodology import DEFAULT
from aijri_core.urlstate import UrlStateError, decode_state, encode_state, knob_param

SLUG = "ai-infrastructure-engineer"
KEY = f"bundled:{SLUG}"
BASE = bundled_role(SLUG)


def resolve(key: str):
    if key != KEY:
        raise AIJRIError(f"{key!r} is not a role")
    return BASE


def test_the_baseline_is_just_the_role():
    assert encode_state(KEY, BASE) == {"role": KEY}
    state = decode_state({"role": KEY}, resolve, KEY)
    assert state.role_key == KEY and state.changes == {} and state.methodology == DEFAULT


def test_no_parameters_mean_the_default_role():
    assert decode_state({}, resolve, KEY).role_key == KEY


def test_readable_parameter_names():
    assert knob_param(BASE, "task:Model serving & inference infrastructure:score") == "t2.score"
    assert knob_param(BASE, "evidence:job_postings") == "ev.job_postings"
    assert knob_param(BASE, "barrier:liability") == "bar.liability"
    assert knob_param(BASE, "growth") == "growth"
    params = encode_state(KEY, BASE, {"growth": 2}, DEFAULT.with_changes(green_threshold=50, clamp=False))
    assert params == {"role": KEY, "growth": "2", "m.green_threshold": "50", "m.clamp": "0"}


INT_KNOBS = [k for k in knobs(BASE) if k.integer]
SHARE_KNOBS = [k for k in knobs(BASE) if k.kind == "share"]


@st.composite
def moved_assessments(draw):
    a = BASE
    for _ in range(draw(st.integers(0, 6))):
        k = draw(st.sampled_from(INT_KNOBS + SHARE_KNOBS))
        if k.integer:
            v = draw(st.integers(int(k.min), int(k.max)))
        else:
            v = round(draw(st.floats(0, 100, allow_nan=False)), draw(st.integers(0, 6)))
        with contextlib.suppress(AIJRIError):  # e.g. the last task with time cannot drop to 0
            a = set_value(a, k.id, v)
    return a


@settings(max_examples=300, deadline=None)
@given(moved_assessments(), st.sampled_from([{}, {"green_threshold": 51.5}, {"clamp": False, "decimals": 2},
                                             {"evidence_weight": 0.05, "yellow_threshold": 20.0}]))
def test_encode_then_decode_is_the_identity(changed, method):
    changes = changes_between(BASE, changed)
    params = encode_state(KEY, BASE, changes, method)
    assert all(isinstance(v, str) for v in params.values())
    state = decode_state(params, resolve, KEY)
    assert state.changes == changes
    assert state.methodology == DEFAULT.with_changes(**method)


def test_decoder_accepts_lists_of_one_value_and_ignores_foreign_parameters():
    state = decode_state({"role": [KEY], "growth": ["0"], "utm_source": "chat"}, resolve, KEY)
    assert state.changes == {"growth": 0}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"role": "bundled:nope"}, "role="),
        ({"growth": "3"}, "growth: 3 is out of range; allowed: a whole number from -2 to +2"),
        ({"growth": "1.5"}, "not a whole number"),
        ({"growth": "nan"}, "not a finite number"),
        ({"growth": ["1", "2"]}, "given 2 times"),
        ({"t0.score": "2"}, "allowed: t1 to t7"),
        ({"t8.share": "2"}, "allowed: t1 to t7"),
        ({"t1.score": "x"}, "is not a number"),
        ({"t1.share": "101"}, "out of range"),
        ({"t1.share": "80", "t2.share": "80"}, "take 160% of the time together; allowed: at most"),
        ({"ev.salary": "1"}, "unknown evidence dimension"),
        ({"bar.weather": "1"}, "unknown barrier"),
        ({"t1.colour": "1"}, "not recognised"),
        ({"m.green_threshold": "20"}, "must not exceed"),
        ({"m.evidence_weight": "5"}, "evidence_weight"),
        ({"m.decimals": "1.5"}, "not a whole number"),
        ({"m.clamp": "perhaps"}, "0 or 1"),
        ({"m.colour": "1"}, "unknown method parameter"),
        ({"growth": "1" * 9000}, "characters long"),
    ],
)
def test_tampered_links_give_one_clear_error(params, fragment):
    with pytest.raises(UrlStateError) as err:
        decode_state({"role": KEY, **params} if "role" not in params else params, resolve, KEY)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["role", "growth", "t1.score", "t3.share", "ev.job_postings", "bar.union",
                                        "m.green_threshold", "m.clamp", "t9.score", "x"]),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3)), max_size=6))
def test_any_link_gives_a_state_or_a_url_state_error(params):
    try:
        state = decode_state(params, resolve, KEY)
    except UrlStateError:
        return
    assert state.role_key == KEY


# ------------------------------------------------------------------ page settings (Uncertainty page)


def test_uncertainty_settings_default_to_the_engine_defaults():
    from aijri_core.analyses.uncertainty import DEFAULT_SHARE_JITTER
    from aijri_core.urlstate import SETTINGS

    assert SETTINGS["mc.jitter"].default == DEFAULT_SHARE_JITTER


def test_settings_travel_in_the_link_and_defaults_stay_out():
    settings = {"mc.p": 0.45, "mc.n": 50_000, "mc.seed": 1, "mc.jitter": 0.2}  # seed and wobble: defaults
    params = encode_state(KEY, BASE, {}, None, settings)
    assert params == {"role": KEY, "mc.p": "0.45", "mc.n": "50000"}
    state = decode_state(params, resolve, KEY)
    assert state.settings == {"mc.p": 0.45, "mc.n": 50_000}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"mc.p": "1.5"}, "mc.p=1.5; allowed: a number from 0 to 1"),
        ({"mc.n": "12345"}, "allowed: one of 10000, 50000, 100000, 200000"),
        ({"mc.seed": "-1"}, "allowed: a whole number from 0 to 2147483647"),
        ({"mc.seed": "2.5"}, "mc.seed=2.5"),
        ({"mc.colour": "1"}, "unknown setting"),
    ],
)
def test_bad_settings_in_a_link_give_one_clear_error(params, fragment):
    with pytest.raises(UrlStateError) as err:
        decode_state({"role": KEY, **params}, resolve, KEY)
    assert fragment in str(err.value)


def test_a_link_names_only_the_shares_the_user_set():
    """The state keeps the user's shares only; the link repeats them as typed, the rest is derived."""
    from aijri_core import apply_changes

    gpu = "task:GPU cluster & training infrastructure management:share"
    params = encode_state(KEY, BASE, {gpu: 30.0, "growth": 2})
    assert params == {"role": KEY, "t1.share": "30", "growth": "2"}
    state = decode_state(params, resolve, KEY)
    assert apply_changes(BASE, state.changes) == apply_changes(BASE, {gpu: 30.0, "growth": 2})
