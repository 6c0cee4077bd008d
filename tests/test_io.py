"""Reading and writing assessment files, the bundled data, and the byte-level guards."""

from __future__ import annotations

import json
import os
import stat

import pandas as pd
import pytest

from aijri_core import (
    AIJRIError,
    AssessmentError,
    RoleAssessment,
    Zone,
    assessment_to_json,
    bundled_role,
    bundled_roles,
    data_dir,
    load_assessment,
    parse_assessment_json,
    save_assessment,
    score,
)
from aijri_core.io import decode_text, parse_json_text


def test_bundled_roles_by_slug(seed_role):
    roles = bundled_roles()
    assert "ai-infrastructure-engineer" in roles
    assert list(roles) == sorted(roles)
    assert roles["ai-infrastructure-engineer"] == seed_role
    assert all(isinstance(r, RoleAssessment) for r in roles.values())


def test_unknown_bundled_role_lists_the_known_ones():
    with pytest.raises(AssessmentError) as info:
        bundled_role("astronaut")
    msg = str(info.value)
    assert msg.startswith("role 'astronaut': not a bundled role")
    assert "ai-infrastructure-engineer" in msg


def test_data_dir_is_the_repository_data_folder(root):
    assert data_dir() == root / "data"


def test_data_dir_can_be_overridden(tmp_path, monkeypatch, seed_path):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "copy.json").write_bytes(seed_path.read_bytes())
    monkeypatch.setenv("AIJRI_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    assert list(bundled_roles()) == ["copy"]


def test_data_does_not_depend_on_the_working_directory(tmp_path, monkeypatch, seed_role):
    monkeypatch.chdir(tmp_path)
    assert bundled_role("ai-infrastructure-engineer") == seed_role


def test_comparators_csv_holds_the_published_comparators(root):
    df = pd.read_csv(root / "data" / "comparators.csv")
    assert list(df.columns) == ["title", "score", "zone", "sublabel"]
    got = {row.title: (row.score, row.zone) for row in df.itertuples()}
    assert got["ML/AI Engineer"] == (68.2, "Green")
    assert got["Data Center Technician"] == (67.3, "Green")
    assert got["ML Platform Engineer"] == (47.5, "Yellow")
    assert got["Platform Engineer"] == (43.5, "Yellow")
    assert got["Kubernetes Platform Engineer"] == (42.7, "Yellow")
    assert got["Cloud Engineer"] == (25.3, "Yellow")
    assert got["DevOps Engineer"] == (10.7, "Red")
    assert set(df.zone) <= {z.value for z in Zone}


def test_comparators_in_the_seed_role_agree_with_the_csv(root, seed_role):
    df = pd.read_csv(root / "data" / "comparators.csv").set_index("title")
    for c in seed_role.comparators:
        assert df.loc[c.title, "score"] == c.score
        assert df.loc[c.title, "zone"] == c.zone.value


def test_json_text_leaves_out_empty_optional_keys(seed_role):
    data = json.loads(assessment_to_json(seed_role))
    assert "override" not in data
    assert "rationale" in data["tasks"][0]
    assert data["published"] == {"score": 49.1, "zone": "Green", "sublabel": "Transforming"}
    assert assessment_to_json(seed_role).endswith("}\n")


def test_save_writes_utf8_without_escaping(tmp_path, seed_role):
    data = seed_role.model_dump()
    data["title"] = "Ingénieur IA — infrastructure"
    role = RoleAssessment.model_validate(data)
    path = tmp_path / "fr.json"
    save_assessment(role, path)
    raw = path.read_bytes()
    assert "Ingénieur IA — infrastructure".encode() in raw
    assert load_assessment(path) == role


def test_save_accepts_str_paths_and_overwrites(tmp_path, seed_role):
    path = tmp_path / "role.json"
    path.write_text("old", encoding="utf-8")
    save_assessment(seed_role, str(path))
    assert load_assessment(str(path)) == seed_role
    assert os.listdir(tmp_path) == ["role.json"]


def test_a_failed_save_leaves_the_old_file_intact(tmp_path, seed_role, monkeypatch):
    path = tmp_path / "role.json"
    save_assessment(seed_role, path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    changed = RoleAssessment.model_validate({**seed_role.model_dump(), "title": "Changed"})
    with pytest.raises(AIJRIError, match="role.json: cannot be written"):
        save_assessment(changed, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["role.json"]  # no temporary file left behind


def test_saving_to_a_device_writes_into_it_and_never_replaces_it(seed_role):
    save_assessment(seed_role, "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_scores_survive_a_file_round_trip(tmp_path, seed_role):
    path = tmp_path / "role.json"
    save_assessment(seed_role, path)
    assert score(load_assessment(path)) == score(seed_role)


def test_decode_text_guards():
    assert decode_text(b"\xef\xbb\xbf{}") == "{}"
    with pytest.raises(AssessmentError, match=r"^upload: the file is empty$"):
        decode_text(b"", "upload")
    with pytest.raises(AssessmentError, match=r"^upload: not UTF-8 text \(byte 1\)"):
        decode_text(b"{\xff}", "upload")
    with pytest.raises(AssessmentError, match=r"^upload: contains NUL bytes"):
        decode_text(b"{\x00}", "upload")
    with pytest.raises(AssessmentError, match=r"^upload: 11 bytes is too large; allowed: at most 10 bytes$"):
        decode_text(b"x" * 11, "upload", max_bytes=10)


def test_parse_json_text_messages():
    with pytest.raises(AssessmentError, match=r"^f\.json: not valid JSON at line 2, column 1"):
        parse_json_text('{"a": 1,\n}', "f.json")
    with pytest.raises(AssessmentError, match=r"^f\.json: JSON contains NaN; allowed: finite numbers only$"):
        parse_json_text('{"a": NaN}', "f.json")
    value = parse_json_text('{"a": NaN}', "f.json", allow_nonfinite=True)
    assert value["a"] != value["a"]
    assert parse_json_text('{"a": [1, 2]}') == {"a": [1, 2]}


def test_parse_assessment_json_accepts_text_and_bytes(seed_path, seed_role):
    raw = seed_path.read_bytes()
    assert parse_assessment_json(raw) == seed_role
    assert parse_assessment_json(raw.decode("utf-8")) == seed_role


def test_errors_name_the_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(AssessmentError, match=r"^mine\.json: tasks: missing"):
        load_assessment(path)
