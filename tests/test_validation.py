"""Every kind of bad assessment input gives one clear line naming the field and what is allowed."""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import changed, methodologies, names, role_assessments

from aijri_core import AIJRIError, AssessmentError, load_assessment, parse_assessment_json
from aijri_core.cli import build_parser, main
from aijri_core.errors import describe_validation_error
from aijri_core.formats.scenarios_csv import CSVFormatError, scenarios_from_csv
from aijri_core.io import MAX_JSON_DEPTH, MAX_UPLOAD_BYTES, assessment_to_json
from aijri_core.knobs import knobs
from aijri_core.methodology import DEFAULT, Methodology
from aijri_core.model import (
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    PROTECTIVE_PRINCIPLES,
    SCALES,
    RoleAssessment,
    Scale,
    Scenario,
    Task,
    clean_name,
    name_key,
    parse_number,
)
from aijri_core.scoring import score
from aijri_core.urlstate import UrlStateError, decode_state

SEED_SLUG = "ai-infrastructure-engineer"


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


def _cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    import contextlib
    import io as _io

    out, err = _io.StringIO(), _io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


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


# --- strict types: no booleans, no numbers written as text --------------------------------


def _numeric_paths(data: dict) -> list[tuple]:
    """Every numeric field of an assessment (its path in the JSON)."""
    out: list[tuple] = []
    for i, _ in enumerate(data["tasks"]):
        out += [("tasks", i, "time_share"), ("tasks", i, "score")]
    out += [("evidence", d) for d in EVIDENCE_DIMENSIONS]
    out += [("barriers", b) for b in BARRIERS]
    out += [("protective", p) for p in PROTECTIVE_PRINCIPLES]
    out += [("growth_correlation",), ("published", "score")]
    out += [("comparators", i, "score") for i, _ in enumerate(data.get("comparators") or [])]
    return out


def _scale_of(path: tuple) -> Scale:
    key = {"time_share": "share", "growth_correlation": "growth", "evidence": "evidence", "barriers": "barrier",
           "protective": "protective", "published": "published", "comparators": "published"}
    if path[0] == "tasks":
        return SCALES[key.get(path[-1], "score")]
    return SCALES[key[path[0]]]


def _path_text(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + p for i, p in enumerate(path))


@settings(max_examples=300)
@given(data=st.data())
def test_booleans_and_numeric_strings_are_refused_for_every_numeric_field(seed_data, data):
    path = data.draw(st.sampled_from(_numeric_paths(seed_data)))
    target = seed_data
    for part in path:
        target = target[part]
    spelling = data.draw(st.sampled_from([str(target), f" {target}", f"{float(target)}", "1", "0"]))
    bad = data.draw(st.sampled_from([True, False, spelling]))
    msg = error_for(changed(seed_data, path, bad))
    assert msg.startswith(f"assessment: {_path_text(path)}: {bad!r} is not valid"), msg
    assert ("not true/false" if isinstance(bad, bool) else "not text") in msg
    assert msg.endswith(f"allowed: {_scale_of(path).hint}")


@pytest.mark.parametrize(
    ("path", "value", "allowed"),
    [
        (("published", "score"), 150, "a number from 0 to 100"),
        (("published", "score"), -1, "a number from 0 to 100"),
        (("comparators", 0, "score"), 100.5, "a number from 0 to 100"),
        (("tasks", 0, "score"), 6, "a whole number from 1 to 5"),
        (("protective", "embodied_physicality"), 4, "a whole number from 0 to 3"),
    ],
)
def test_the_allowed_range_is_the_one_of_the_field_at_that_path(seed_data, path, value, allowed):
    msg = error_for(changed(seed_data, path, value))
    assert msg.startswith(f"assessment: {_path_text(path)}: {value!r} is not valid")
    assert msg.endswith(f"; allowed: {allowed}")


def test_scenario_change_values_are_numbers_only():
    assert Scenario(name="s", changes={"growth": 1, "task:a:share": 12.5}).changes == {"growth": 1.0, "task:a:share": 12.5}
    for bad in (True, "1", "nan", None, math.inf, math.nan):
        with pytest.raises(ValidationError) as info:
            Scenario(name="s", changes={"growth": bad})
        assert describe_validation_error(info.value).startswith(f"changes.growth: {bad!r} is not valid")


@pytest.mark.parametrize("name", [n for n, f in Methodology.model_fields.items()])
def test_method_parameters_refuse_booleans_and_text(name):
    value = getattr(DEFAULT, name)
    bads = ["1", str(value), 1, 0] if isinstance(value, bool) else [True, False, str(value)]
    for bad in bads:
        with pytest.raises(ValidationError) as info:
            DEFAULT.with_changes(**{name: bad})
        msg = describe_validation_error(info.value)
        assert msg.startswith(f"{name}: {bad!r} is not valid"), msg
        assert "allowed: " in msg


# --- method parameters: every score finite ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("normalisation_span", 1e-300, "a number from 1 to 50"),
        ("normalisation_span", 0, "a number from 1 to 50"),
        ("normalisation_span", 1e300, "a number from 1 to 50"),
        ("task_resistance_ceiling", 1e-300, "a number from 1 to 20"),
        ("evidence_weight", 0.1, "a number from 0 to 0.09"),
        ("growth_weight", 0.5, "a number from 0 to 0.45"),
        ("decimals", 400, "a whole number from 0 to 4"),
    ],
)
def test_method_parameters_outside_realistic_bounds_are_refused(tmp_path, name, value, allowed):
    with pytest.raises(ValidationError) as info:
        DEFAULT.with_changes(**{name: value})
    assert describe_validation_error(info.value).endswith(f"; allowed: {allowed}")
    path = tmp_path / "method.json"
    path.write_text(json.dumps({name: value}), encoding="utf-8")
    code, out, err = _cli("score", "--json", "--methodology", str(path), SEED_SLUG)
    assert (code, out) == (2, "")
    assert err.startswith(f"aijri: error: method.json: {name}: ") and err.endswith(f"allowed: {allowed}\n")


def _extreme_methods() -> list[Methodology]:
    """Every corner of the numeric method parameters' bounds (thresholds and decimals varied too)."""
    corners = []
    numeric = ["task_resistance_ceiling", "evidence_weight", "barrier_weight", "growth_weight",
               "normalisation_offset", "normalisation_span"]
    for bits in range(2 ** len(numeric)):
        changes = {n: Methodology.bounds(n)[(bits >> i) & 1] for i, n in enumerate(numeric)}
        corners.append(DEFAULT.with_changes(**changes, clamp=bool(bits & 1), decimals=bits % 5,
                                            yellow_threshold=[0, 25, 100][bits % 3], green_threshold=100))
    return corners


@settings(max_examples=300)
@given(role=role_assessments(extras=False), m=st.sampled_from(_extreme_methods()) | methodologies())
def test_every_score_is_finite_at_the_bounds_of_the_method(role, m):
    s = score(role, m)
    assert all(math.isfinite(v) for v in (s.score, s.score_unclamped, s.raw, s.task_resistance))


# --- names: NFC, invisible characters at the ends, look-alikes are duplicates -------------

#: Characters that show nothing at the end of a name: spaces of every kind, zero-width
#: characters, the byte-order mark, bidirectional marks, controls and blank fillers.
INVISIBLE = " \t\n\r\x0b\x0c\x1b\x7f\x85\xa0\u1680\u2000\u2007\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029" \
            "\u202f\u205f\u2060\u2066\u2069\u3000\ufeff\u3164\u2800\u00ad"

invisible_runs = st.text(alphabet=INVISIBLE, max_size=4)


@given(name=names(), before=invisible_runs, after=invisible_runs, form=st.sampled_from(["NFC", "NFD"]))
def test_clean_name_removes_invisible_ends_and_normalises(name, before, after, form):
    written = before + unicodedata.normalize(form, name) + after
    assert clean_name(written) == unicodedata.normalize("NFC", name)
    assert clean_name(clean_name(written)) == clean_name(written)
    assert Task(name=written, time_share=100, score=1).name == unicodedata.normalize("NFC", name)
    assert name_key(written) == name_key(name)


@given(
    name=names(alphabet=string.ascii_letters + "éüñÅ "),
    before=invisible_runs,
    after=invisible_runs,
    form=st.sampled_from(["NFC", "NFD"]),
    upper=st.booleans(),
)
def test_two_tasks_that_look_the_same_are_duplicates(seed_data, name, before, after, form, upper):
    twin = before + unicodedata.normalize(form, name.upper() if upper else name) + after
    data = copy.deepcopy(seed_data)
    data["tasks"][0]["name"] = name
    data["tasks"][1]["name"] = twin
    msg = error_for(data)
    assert "duplicate task name" in msg and "each task needs its own name" in msg


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Café", "Cafe\u0301"),  # NFC and NFD
        ("Data entry", "Data entry\u200b"),
        ("Data entry", "\ufeffData entry"),
        ("Data entry", "Data\u00a0entry"),  # a no-break space looks like a space
        ("Data entry", "Data\u200b entry"),  # a zero-width space inside
    ],
)
def test_look_alike_task_names_are_refused(seed_data, first, second):
    data = copy.deepcopy(seed_data)
    data["tasks"][0]["name"] = first
    data["tasks"][1]["name"] = second
    assert "duplicate task name" in error_for(data)


def test_names_are_cleaned_everywhere_a_model_holds_one(seed_data):
    data = copy.deepcopy(seed_data)
    data["title"] = "\u200bAI Infrastructure Engineer\ufeff"
    data["tasks"][0]["name"] = "Cafe\u0301 \x1b"
    a = parse_assessment_json(json.dumps(data))
    assert a.title == "AI Infrastructure Engineer"
    assert a.tasks[0].name == "Café"
    assert a.task("Cafe\u0301") is a.tasks[0]
    s = Scenario(name="\u2060Plan B\u200d", position=" 2028\u200b", trajectory="\ufeffpath")
    assert (s.name, s.position, s.trajectory) == ("Plan B", "2028", "path")
    with pytest.raises(ValidationError):
        Scenario(name="\u200b\ufeff ")


# --- numbers written as text (links, CSV cells) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1.0), ("-2", -2.0), ("+2", 2.0), ("62.5", 62.5), (".5", 0.5), ("5.", 5.0), ("1e-05", 1e-05),
     ("33.333333333333336", 33.333333333333336), (" 4 ", 4.0), ("0", 0.0)],
)
def test_parse_number_reads_plain_ascii_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    ["", " ", "３", "٣", "1_0", "0x10", "nan", "NaN", "inf", "-Infinity", "62,5", "62.5%", "1e999", "25½",
     "2 5", "1.2.3", "--1", "e5", "1e", "true", "١٠", "\u00a01", "1\u200b", "1" * 41, "1e-1000"],
)
def test_parse_number_refuses_everything_else(text):
    with pytest.raises(ValueError, match=r"^is not a (finite )?number"):
        parse_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_what_we_write(x):
    assert parse_number(repr(x)) == x


@given(st.text(max_size=12))
def test_parse_number_accepts_only_what_the_rule_says(text):
    rule = re.fullmatch(r"[ \t]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?[ \t]*", text)
    try:
        value = parse_number(text)
    except ValueError:
        assert rule is None or not math.isfinite(float(text))
    else:
        assert rule is not None and value == float(text)


# --- one table of rating scales -----------------------------------------------------------


def test_the_field_types_and_schema_follow_the_scales():
    schema = RoleAssessment.model_json_schema()
    defs = schema["$defs"]
    checks = [
        (defs["Task"]["properties"]["score"], SCALES["score"]),
        (defs["Task"]["properties"]["time_share"], SCALES["share"]),
        (defs["Evidence"]["properties"]["wage_trends"], SCALES["evidence"]),
        (defs["Barriers"]["properties"]["union"], SCALES["barrier"]),
        (defs["Protective"]["properties"]["embodied_physicality"], SCALES["protective"]),
        (schema["properties"]["growth_correlation"], SCALES["growth"]),
        (defs["PublishedResult"]["properties"]["score"], SCALES["published"]),
        (defs["Comparator"]["properties"]["score"], SCALES["published"]),
    ]
    for prop, scale in checks:
        assert (prop["minimum"], prop["maximum"]) == (scale.min, scale.max)
        assert prop["type"] == ("integer" if scale.integer else "number")
    assert (SCALES["score"].min, SCALES["score"].max) == (1, 5)
    assert SCALES["growth"].range_text == "a whole number from -2 to +2"
    assert SCALES["share"].range_text == "a percentage from 0 to 100"


def test_the_knobs_take_their_ranges_from_the_scales(seed_role):
    ks = knobs(seed_role)
    assert {k.kind for k in ks} == {"score", "share", "evidence", "barrier", "growth"}
    for k in ks:
        scale = SCALES[k.kind]
        assert (k.min, k.max, k.integer, k.range_text) == (scale.min, scale.max, scale.integer, scale.range_text)


# --- no JSON we write holds NaN or Infinity -----------------------------------------------


def _strict_json(text: str) -> object:
    """Parse as strict JSON: NaN, Infinity and numbers that overflow to infinity are errors."""

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    def finite(text):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"number {text} is not finite")
        return value

    return json.loads(text, parse_constant=refuse, parse_float=finite)


def _extreme_role(kind: str) -> dict:
    """Valid roles at the ends of every scale (shares with zeros, totals 99 and 101)."""
    top = kind == "top"
    tasks = [
        {"name": "Alpha", "time_share": 100.0 if top else 0.0, "score": 1 if top else 5},
        {"name": "Beta", "time_share": 0.0, "score": 1 if top else 5},
        {"name": "Gamma", "time_share": 1.0 if top else 99.0, "score": 1 if top else 5},
    ]
    if kind == "single":
        tasks = [{"name": "Only", "time_share": 100, "score": 3}]
    rating = {"top": 2, "bottom": -2, "single": 0}[kind]
    return {
        "title": f"Extreme {kind}",
        "tasks": tasks,
        "evidence": dict.fromkeys(EVIDENCE_DIMENSIONS, rating),
        "barriers": dict.fromkeys(BARRIERS, 2 if top else 0),
        "growth_correlation": rating,
        "protective": dict.fromkeys(PROTECTIVE_PRINCIPLES, 3 if top else 0),
        "published": {"score": 100 if top else 0, "zone": "Green" if top else "Red"},
    }


def _extreme_method_files() -> dict[str, dict]:
    hi = {n: Methodology.bounds(n)[1] for n in ("task_resistance_ceiling", "evidence_weight", "barrier_weight",
                                                "growth_weight", "normalisation_span")}
    return {
        "published": {},
        "largest": {**hi, "normalisation_offset": 0, "normalisation_span": 1, "clamp": False, "decimals": 4,
                    "yellow_threshold": 0, "green_threshold": 0},
        "smallest": {"task_resistance_ceiling": 1, "evidence_weight": 0, "barrier_weight": 0, "growth_weight": 0,
                     "normalisation_offset": 10, "normalisation_span": 50, "clamp": False, "decimals": 0,
                     "yellow_threshold": 100, "green_threshold": 100, "transforming_share": 0},
    }


JSON_COMMANDS = [
    ["score", "--json", "{role}"],
    ["tornado", "--json", "{role}"],
    ["tornado", "--json", "--mode", "range", "{role}"],
    ["breakeven", "--json", "{role}"],
    ["montecarlo", "--json", "--n", "300", "--seed", "1", "{role}"],
    ["montecarlo", "--json", "--n", "300", "--p", "0", "{role}"],
    ["attribute", "--json", "{role}", "{scenario}"],
    ["goalseek", "--json", "{role}"],
    ["goalseek", "--json", "--target", "100", "{role}"],
    ["goalseek", "--json", "--target", "0", "{role}"],
    ["knobs", "--json", "{role}"],
    ["board", "--json", "--n", "300", "{role}"],
]


def _commands_with_json_option() -> set[str]:
    found = set()
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if any("--json" in a.option_strings for a in sub._actions):
                    found.add(name)
    return found


def test_every_json_command_is_in_the_strict_json_test():
    # A new --json command must join JSON_COMMANDS (or the roles/schema test below).
    assert _commands_with_json_option() == {c[0] for c in JSON_COMMANDS} | {"roles"}


@pytest.mark.parametrize("role_kind", ["top", "bottom", "single"])
@pytest.mark.parametrize("method", list(_extreme_method_files()))
def test_every_json_command_writes_strict_json_on_extreme_valid_inputs(tmp_path, role_kind, method):
    role = tmp_path / "role.json"
    role.write_text(json.dumps(_extreme_role(role_kind)), encoding="utf-8")
    scenario = tmp_path / "scenario.json"
    first = "Only" if role_kind == "single" else "Beta"
    scenario.write_text(json.dumps({"name": "s", "changes": {"growth": 2 if role_kind == "bottom" else -2,
                                                             f"task:{first}:score": 3}}), encoding="utf-8")
    method_file = tmp_path / "method.json"
    method_file.write_text(json.dumps(_extreme_method_files()[method]), encoding="utf-8")
    for command in JSON_COMMANDS:
        argv = [a.format(role=role, scenario=scenario) for a in command]
        if command[0] != "knobs":
            argv[1:1] = ["--methodology", str(method_file)]
        code, out, err = _cli(*argv)
        assert (code, err) == (0, ""), (argv, err)
        _strict_json(out)


def test_roles_and_schema_write_strict_json():
    for argv in (["roles", "--json"], ["schema"]):
        code, out, err = _cli(*argv)
        assert (code, err) == (0, "")
        _strict_json(out)


# --- links and CSV cells: ASCII digits, one spelling per knob -----------------------------

#: Spellings of a number that Python's float() or int() accept but the project does not.
LOOK_ALIKE_NUMBERS = ["３", "٣", "١", "1_0", "1_000", " ３ ", "२", "0x1", "nan", "-inf", "Infinity", "1e999", "１.5"]


def _seed_link_resolver(seed_role):
    def resolve(key):
        if key != f"bundled:{SEED_SLUG}":
            raise AIJRIError(f"unknown role {key!r}")
        return seed_role

    return resolve


@pytest.mark.parametrize("param", ["t1.score", "t2.share", "ev.job_postings", "bar.union", "growth", "m.decimals"])
@pytest.mark.parametrize("text", LOOK_ALIKE_NUMBERS)
def test_link_values_are_ascii_numbers_only(seed_role, param, text):
    with pytest.raises(UrlStateError) as info:
        decode_state({"role": f"bundled:{SEED_SLUG}", param: text}, _seed_link_resolver(seed_role), "x")
    assert f"link parameter {param}={text!r} is not a " in str(info.value)


@pytest.mark.parametrize("param", ["t01.score", "t001.score", "t02.share", "t٣.score", "t３.score", "t1_0.score",
                                   "t+1.score", "t 1.score"])
def test_a_task_parameter_has_one_spelling(seed_role, param):
    with pytest.raises(UrlStateError) as info:
        decode_state({"role": f"bundled:{SEED_SLUG}", param: "3"}, _seed_link_resolver(seed_role), "x")
    assert repr(param) in str(info.value)


@given(index=st.integers(1, 7), zeros=st.integers(1, 2), kind=st.sampled_from(["score", "share"]))
def test_only_the_plain_task_number_is_read(seed_role, index, zeros, kind):
    resolve = _seed_link_resolver(seed_role)
    value = "3" if kind == "score" else "10"
    plain = decode_state({f"t{index}.{kind}": value}, resolve, f"bundled:{SEED_SLUG}")
    assert plain.changes  # t<n> is read ...
    with pytest.raises(UrlStateError, match="without leading zeros"):  # ... t0<n> is not
        decode_state({f"t{'0' * zeros}{index}.{kind}": value}, resolve, f"bundled:{SEED_SLUG}")


@pytest.mark.parametrize("text", [*LOOK_ALIKE_NUMBERS, "1 2", "2,5", "25½", "1.5%", "+-1", "true"])
def test_csv_values_are_ascii_numbers_only(seed_role, text):
    data = f'scenario,step,knob,value\r\ns,,growth,"{text}"\r\n'.encode()
    with pytest.raises(CSVFormatError) as info:
        scenarios_from_csv(data, seed_role)
    assert "line 2, column value:" in str(info.value) and "is not a" in str(info.value)


@given(value=st.integers(-2, 2), spelling=st.sampled_from(["{v}", "{v}.0", "+{v}", " {v} ", "{v}e0"]))
def test_csv_values_in_plain_ascii_are_read(seed_role, value, spelling):
    text = spelling.format(v=value).replace("+-", "-")
    data = f"scenario,step,knob,value\r\ns,,growth,{text}\r\n".encode()
    assert scenarios_from_csv(data, seed_role)[0].changes == {"growth": value}
