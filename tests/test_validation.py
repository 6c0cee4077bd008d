"""Every kind of bad assessment input gives one clear line naming the field and what is allowed."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aijri_core import AIJRIError, AssessmentError, load_assessment, parse_assessment_json
from aijri_core.io import MAX_JSON_DEPTH, MAX_UPLOAD_BYTES, assessment_to_json


@pytest.fixture(scope="module")
def seed_data(seed_path) -> dict:
    return json.loads(seed_path.read_text(encoding="utf-8"))


def error_for(data) -> str:
    """The message of the AssessmentError that parsing ``data`` raises (a dict is dumped to JSON)."""
    text = json.dumps(data) if isinstance(data, dict | list) else data
    with pytest.raises(AssessmentError) as info:
        parse_assessment_json(text)
    message = str(info.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def changed(data: dict, path: tuple, value) -> dict:
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


def without(data: dict, path: tuple) -> dict:
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return out


# --- shares -------------------------------------------------------------------------------


@pytest.mark.parametrize("first_share", [35, 23.9, 26.5, 0])
def test_shares_outside_100_plus_minus_1(seed_data, first_share):
    total = 75 + first_share
    msg = error_for(changed(seed_data, ("tasks", 0, "time_share"), first_share))
    assert "time shares" in msg
    assert f"sum to {total:g}%" in msg
    assert "100% (+/- 1)" in msg


@pytest.mark.parametrize("first_share", [24, 26, 24.5, 25.99])
def test_shares_within_100_plus_minus_1_are_accepted(seed_data, first_share):
    a = parse_assessment_json(json.dumps(changed(seed_data, ("tasks", 0, "time_share"), first_share)))
    assert a.tasks[0].time_share == first_share


def test_negative_share(seed_data):
    msg = error_for(changed(seed_data, ("tasks", 0, "time_share"), -5))
    assert msg.startswith("assessment: tasks[0].time_share: -5 is not valid")
    assert "allowed: a percentage from 0 to 100" in msg


def test_share_above_100(seed_data):
    msg = error_for(changed(seed_data, ("tasks", 2, "time_share"), 150))
    assert "tasks[2].time_share: 150" in msg
    assert "0 to 100" in msg


# --- task scores --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 6, 2.5, -1, True, "high", None])
def test_task_score_out_of_range_or_not_whole(seed_data, bad):
    msg = error_for(changed(seed_data, ("tasks", 1, "score"), bad))
    assert "tasks[1].score" in msg
    assert "allowed: a whole number from 1 to 5" in msg


def test_whole_float_score_is_accepted(seed_data):
    a = parse_assessment_json(json.dumps(changed(seed_data, ("tasks", 1, "score"), 3.0)))
    assert a.tasks[1].score == 3
    assert isinstance(a.tasks[1].score, int)


# --- evidence, barriers, growth, protective -----------------------------------------------


def test_unknown_evidence_key(seed_data):
    msg = error_for(changed(seed_data, ("evidence", "hype_index"), 1))
    assert "evidence" in msg
    assert "'hype_index'" in msg
    # the allowed keys are named
    for key in ("job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus"):
        assert key in msg


def test_unknown_top_level_key(seed_data):
    msg = error_for(changed(seed_data, ("colour",), "blue"))
    assert "'colour'" in msg
    assert "tasks" in msg and "growth_correlation" in msg


def test_unknown_task_key(seed_data):
    msg = error_for(changed(seed_data, ("tasks", 3, "weight"), 2))
    assert "tasks[3]" in msg and "'weight'" in msg
    assert "time_share" in msg


@pytest.mark.parametrize("barrier", ["regulatory", "physical_presence", "union", "liability", "cultural"])
def test_missing_barrier(seed_data, barrier):
    msg = error_for(without(seed_data, ("barriers", barrier)))
    assert f"barriers.{barrier}: missing" in msg
    assert "allowed: a whole number from 0 to 2" in msg


@pytest.mark.parametrize(
    ("path", "value", "allowed"),
    [
        (("evidence", "wage_trends"), 3, "a whole number from -2 to +2"),
        (("evidence", "job_postings"), -3, "a whole number from -2 to +2"),
        (("barriers", "liability"), 3, "a whole number from 0 to 2"),
        (("barriers", "union"), -1, "a whole number from 0 to 2"),
        (("growth_correlation",), 3, "a whole number from -2 to +2"),
        (("growth_correlation",), 1.5, "a whole number from -2 to +2"),
        (("protective", "embodied_physicality"), 4, "a whole number from 0 to 3"),
        (("published", "zone"), "Blue", "one of Green, Yellow, Red"),
        (("tasks", 0, "mode"), "replaced", "one of augmentation, displacement, not_involved"),
    ],
)
def test_out_of_range_ratings(seed_data, path, value, allowed):
    msg = error_for(changed(seed_data, path, value))
    field = ".".join(str(p) for p in path).replace(".0.", "[0].")
    assert field in msg
    assert f"allowed: {allowed}" in msg


def test_missing_growth_and_title(seed_data):
    msg = error_for(without(seed_data, ("growth_correlation",)))
    assert "growth_correlation: missing" in msg and "-2 to +2" in msg
    msg = error_for(without(seed_data, ("title",)))
    assert "title: missing" in msg


# --- task list ----------------------------------------------------------------------------


def test_duplicate_task_names(seed_data):
    data = copy.deepcopy(seed_data)
    data["tasks"][1]["name"] = data["tasks"][0]["name"]
    msg = error_for(data)
    assert msg.startswith("assessment: tasks:")
    assert "duplicate task name 'GPU cluster & training infrastructure management'" in msg
    assert "[{" not in msg  # the message names the task, it does not dump the list
    assert len(msg) < 300


def test_duplicate_task_names_ignore_case(seed_data):
    data = copy.deepcopy(seed_data)
    data["tasks"][1]["name"] = data["tasks"][0]["name"].upper()
    assert "duplicate task name" in error_for(data)


def test_empty_task_list(seed_data):
    msg = error_for(changed(seed_data, ("tasks",), []))
    assert "tasks" in msg
    assert "allowed: a list of 1 to 40 tasks" in msg


def test_too_many_tasks(seed_data):
    tasks = [{"name": f"t{i}", "time_share": 2, "score": 2} for i in range(50)]
    msg = error_for(changed(seed_data, ("tasks",), tasks))
    assert "tasks" in msg and "1 to 40" in msg


def test_blank_task_name(seed_data):
    msg = error_for(changed(seed_data, ("tasks", 0, "name"), "   "))
    assert "tasks[0].name" in msg


# --- NaN and infinities -------------------------------------------------------------------


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    ("path", "field", "allowed"),
    [
        (("tasks", 0, "time_share"), "tasks[0].time_share", "a percentage from 0 to 100"),
        (("tasks", 4, "score"), "tasks[4].score", "a whole number from 1 to 5"),
        (("evidence", "company_actions"), "evidence.company_actions", "a whole number from -2 to +2"),
        (("barriers", "cultural"), "barriers.cultural", "a whole number from 0 to 2"),
        (("growth_correlation",), "growth_correlation", "a whole number from -2 to +2"),
    ],
)
def test_non_finite_numbers_name_the_field(seed_data, constant, path, field, allowed):
    marker = "__NONFINITE__"
    text = json.dumps(changed(seed_data, path, marker)).replace(f'"{marker}"', constant)
    msg = error_for(text)
    assert field in msg
    assert f"allowed: {allowed}" in msg


def test_non_finite_published_score(seed_data):
    text = json.dumps(changed(seed_data, ("published", "score"), "__X__")).replace('"__X__"', "NaN")
    msg = error_for(text)
    assert "published.score" in msg


# --- files: not JSON, empty, binary, nested, oversized ------------------------------------


def test_non_json_file(tmp_path):
    path = tmp_path / "role.json"
    path.write_text("title: AI Infrastructure Engineer\n", encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        load_assessment(path)
    msg = str(info.value)
    assert msg.startswith("role.json: not valid JSON at line 1, column 1")


def test_truncated_json_names_line_and_column(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(AssessmentError, match=r"^cut\.json: not valid JSON at line \d+, column \d+"):
        load_assessment(path)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    with pytest.raises(AssessmentError, match=r"^empty\.json: the file is empty$"):
        load_assessment(path)


def test_json_that_is_not_an_object():
    for text in ("[1, 2]", "42", '"role"', "null"):
        msg = error_for(text)
        assert "expected a JSON object" in msg


def test_binary_file(tmp_path):
    path = tmp_path / "blob.json"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(AssessmentError) as info:
        load_assessment(path)
    assert str(info.value).startswith("blob.json: ")
    assert "allowed:" in str(info.value)


def test_utf8_with_byte_order_mark_is_accepted(seed_path, seed_role, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + seed_path.read_bytes())
    assert load_assessment(path) == seed_role


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 200_000])
def test_deeply_nested_json(depth):
    text = '{"title": ' + "[" * depth + "]" * depth + "}"
    msg = error_for(text)
    assert "nested too deeply" in msg
    assert f"at most {MAX_JSON_DEPTH} levels" in msg


def test_oversized_file(tmp_path, seed_data):
    data = copy.deepcopy(seed_data)
    data["tasks"][0]["rationale"] = "x" * (MAX_UPLOAD_BYTES + 10)
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        load_assessment(path)
    msg = str(info.value)
    assert msg.startswith("huge.json: ")
    assert "too large" in msg
    assert f"at most {MAX_UPLOAD_BYTES:,} bytes" in msg


def test_oversized_bytes_and_text():
    with pytest.raises(AssessmentError, match="too large"):
        parse_assessment_json(b" " * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(AssessmentError, match="too large"):
        parse_assessment_json(" " * (MAX_UPLOAD_BYTES + 1))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(AssessmentError, match="no such file"):
        load_assessment(tmp_path / "absent.json")
    with pytest.raises(AssessmentError, match="is a folder"):
        load_assessment(tmp_path)


def test_errors_are_value_errors():
    # Callers that only know ValueError still catch every user error.
    assert issubclass(AssessmentError, AIJRIError)
    assert issubclass(AIJRIError, ValueError)


# --- fuzz: mutated valid files give a valid assessment or one AssessmentError -------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=300)
@given(data=st.data())
def test_mutated_files_never_crash(seed_role, data):
    base = json.loads(assessment_to_json(seed_role))
    paths = [p for p in _paths(base) if p]
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["replace", "delete"]))
    mutated = without(base, path) if action == "delete" else changed(base, path, data.draw(JSON_VALUES))
    text = json.dumps(mutated, allow_nan=True)
    try:
        a = parse_assessment_json(text)
    except AssessmentError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("assessment: ")
    else:
        # whatever was accepted is finite and writes back as strict JSON
        assert json.dumps(a.to_json_dict(), allow_nan=False)
        assert json.loads(assessment_to_json(a))["title"] == a.title


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(blob):
    try:
        parse_assessment_json(blob)
    except AssessmentError as exc:
        assert "\n" not in str(exc)
