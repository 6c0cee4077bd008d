"""Reading and writing assessment files, the bundled data, and the byte-level guards."""

from __future__ import annotations

import io
import json
import math
import os
import re
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from aijri_core.io import (
    MAX_JSON_DIGITS,
    MAX_UPLOAD_BYTES,
    decode_text,
    json_text,
    parse_json_text,
    read_file_bytes,
    read_json_object,
    read_stream_bytes,
)


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


# ---------------------------------------------------------------- only regular files, capped

ROOT = Path(__file__).resolve().parents[1]
SEED = "ai-infrastructure-engineer"


def _aijri(args: list[str], stdin=subprocess.DEVNULL, tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in a child process; the timeout only guards the suite against a hang."""
    env = {**os.environ, "AIJRI_DB": str((tmp_path or Path(tempfile.gettempdir())) / "io-test.sqlite3")}
    return subprocess.run(
        [sys.executable, "-m", "aijri_core.cli", *args],
        cwd=ROOT, stdin=stdin, capture_output=True, text=True, timeout=120, env=env,
    )


def _one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-300:], proc.stderr[-500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aijri: error: "), proc.stderr[-500:]
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def specials(tmp_path):
    """A FIFO (with no writer), a listening socket, a folder and a device."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.listen(1)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    yield {"fifo": (fifo, "pipe (FIFO)"), "socket": (sock_path, "not a regular file"),
           "folder": (folder, "folder"), "device": (Path("/dev/zero"), "device")}
    sock.close()


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder", "device"])
def test_only_regular_files_are_read(specials, kind):
    path, reason = specials[kind]
    # A FIFO without a writer blocks a plain open() forever: read in a daemon thread, so that a
    # reader that waits fails this test instead of hanging the suite.
    outcome: list[object] = []

    def attempt():
        try:
            outcome.append(read_file_bytes(path, "assessment file"))
        except AIJRIError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(60)
    assert outcome, "the reader is still waiting"
    message = str(outcome[0])
    assert isinstance(outcome[0], AIJRIError), outcome[0]
    assert message.startswith(f"{path}: ") and reason in message and "allowed: a regular file" in message


def test_a_symlink_to_a_regular_file_is_read(tmp_path, seed_path):
    link = tmp_path / "role.json"
    link.symlink_to(seed_path)
    assert read_file_bytes(link) == seed_path.read_bytes()


def test_a_file_above_the_cap_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(MAX_UPLOAD_BYTES + 1)
    with pytest.raises(AIJRIError, match=r"^big\.json: 2,097,153 bytes is too large; allowed: at most 2,097,152"):
        read_file_bytes(big)
    exact = tmp_path / "exact.json"
    exact.write_bytes(b" " * MAX_UPLOAD_BYTES)
    assert len(read_file_bytes(exact)) == MAX_UPLOAD_BYTES


class _Endless(io.RawIOBase):
    """A stream that never ends (like /dev/zero) and counts what was taken from it."""

    taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), 65536)
        buffer[:n] = b"{" * n
        self.taken += n
        return n


@pytest.mark.parametrize("cap", [0, 1, 10, 65_537])
def test_a_stream_is_read_up_to_one_byte_past_the_cap(cap):
    stream = _Endless()
    with pytest.raises(AIJRIError, match=rf"^stdin: too large; allowed: at most {cap:,} bytes$"):
        read_stream_bytes(stream, "stdin", cap)
    assert stream.taken == cap + 1
    assert read_stream_bytes(io.BytesIO(b"x" * cap), "stdin", cap) == b"x" * cap


def test_stdin_is_read_through_the_same_reader(monkeypatch):
    stream = _Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream)))
    with pytest.raises(AIJRIError, match=r"^stdin: too large"):
        read_file_bytes("-")
    assert stream.taken <= MAX_UPLOAD_BYTES + 1 + 65536  # the buffered reader reads ahead one chunk


@pytest.mark.parametrize(
    "args",
    [
        ["score", "-"],
        ["score", "--json", "-"],
        ["tornado", "-"],
        ["knobs", "-"],
        ["export-doc", "-"],
        ["import-doc", "-"],
        ["report", "-o", "-", "-"],
        ["score", "--methodology", "-", SEED],
        ["attribute", SEED, "-"],
        ["scenarios", "import", "--role", f"bundled:{SEED}", "-"],
    ],
    ids=lambda a: " ".join(a),
)
def test_every_command_stops_reading_stdin_at_the_cap(args, tmp_path):
    from aijri_core.formats.scenarios_csv import CLI_MAX_BYTES

    with open("/dev/zero", "rb") as zero:
        proc = _aijri(args, stdin=zero, tmp_path=tmp_path)
    # `scenarios import` is made for a team's library: its cap is the command line's own
    cap = CLI_MAX_BYTES if args[:2] == ["scenarios", "import"] else MAX_UPLOAD_BYTES
    _one_line_error(proc, f"stdin: too large; allowed: at most {cap:,} bytes")


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder", "device"])
@pytest.mark.parametrize(
    "args",
    [
        ["score", "{}"],
        ["tornado", "{}"],
        ["import-doc", "{}"],
        ["score", "--methodology", "{}", SEED],
        ["attribute", SEED, "{}"],
        ["report", "--scenarios", "{}", "-o", "-", SEED],
        ["scenarios", "import", "--role", f"bundled:{SEED}", "{}"],
    ],
    ids=lambda a: a[0] if isinstance(a, list) else a,
)
def test_every_command_refuses_what_is_not_a_regular_file(specials, kind, args, tmp_path):
    path, reason = specials[kind]
    proc = _aijri([str(path) if a == "{}" else a for a in args], tmp_path=tmp_path)
    _one_line_error(proc, str(path), reason)


# ---------------------------------------------------------------- JSON readers


@pytest.mark.parametrize(
    ("text", "where", "key"),
    [
        ('{"a": 1, "a": 2}', "top level", "a"),
        ('{"title": "x", "tasks": [{"name": "a"}, {"name": "b", "score": 1, "score": 5}]}', "tasks[1]", "score"),
        ('{"evidence": {"x": {"y": 1, "y": 1}}}', "evidence.x", "y"),
        ('[{"k": 1}, {"k": 1, "k": 1}]', "[1]", "k"),
    ],
)
def test_a_repeated_key_is_refused_naming_the_key_and_where(text, where, key):
    with pytest.raises(AssessmentError) as info:
        parse_json_text(text, "f.json")
    assert str(info.value) == f"f.json: {where}: key {key!r} appears more than once; allowed: each key once"


@given(
    obj=st.recursive(
        st.integers(-5, 5) | st.text(max_size=3),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, min_size=1, max_size=3),
        max_leaves=12,
    ),
    data=st.data(),
)
@settings(max_examples=200)
def test_any_object_with_a_key_written_twice_is_refused(obj, data):
    text = json.dumps(obj)
    assert parse_json_text(text) == obj
    # Write one key of one object a second time (with any value): always refused.
    objects = [m for m in re.finditer(r'\{("(?:[^"\\]|\\.)*"): ', text)]
    if not objects:
        return
    m = data.draw(st.sampled_from(objects))
    doubled = text[: m.end()] + '0, ' + text[m.start() + 1 :]
    with pytest.raises(AssessmentError, match=r"appears more than once; allowed: each key once$"):
        parse_json_text(doubled, "f.json")


def test_every_json_reader_refuses_repeated_keys(tmp_path, seed_path, seed_role):
    text = seed_path.read_text(encoding="utf-8")
    doubled = text.replace('"growth_correlation": ', '"growth_correlation": 2, "growth_correlation": ', 1)
    assert doubled != text
    with pytest.raises(AssessmentError, match=r"^role\.json: top level: key 'growth_correlation' appears more"):
        parse_assessment_json(doubled, "role.json")
    method = tmp_path / "m.json"
    method.write_text('{"green_threshold": 50, "green_threshold": 40}', encoding="utf-8")
    with pytest.raises(AIJRIError, match=r"^m\.json: top level: key 'green_threshold' appears more than once"):
        read_json_object(method, "methodology file", "of methodology fields")


@pytest.mark.parametrize("digits", [MAX_JSON_DIGITS + 1, 4301, 100_000])
def test_an_integer_too_long_is_one_error(digits):
    for sign in ("", "-"):
        with pytest.raises(AssessmentError, match=rf"^f\.json: JSON has a whole number of {digits:,} digits; allowed: at most 100"):
            parse_json_text('{"score": ' + sign + "9" * digits + "}", "f.json")
    assert parse_json_text('{"a": -' + "9" * MAX_JSON_DIGITS + "}")["a"] == -(10**MAX_JSON_DIGITS - 1)


def test_the_cli_gives_one_line_for_an_integer_too_long(tmp_path):
    path = tmp_path / "long.json"
    path.write_text('{"title": "x", "growth_correlation": ' + "1" * 5000 + "}", encoding="utf-8")
    _one_line_error(_aijri(["score", str(path)], tmp_path=tmp_path), "long.json", "5,000 digits")
    method = tmp_path / "m.json"
    method.write_text('{"decimals": ' + "1" * 5000 + "}", encoding="utf-8")
    _one_line_error(_aijri(["score", "--methodology", str(method), SEED], tmp_path=tmp_path), "m.json", "digits")


# ---------------------------------------------------------------- one strict JSON writer


def test_json_text_never_writes_nan_or_infinity():
    for bad in (math.nan, math.inf, -math.inf, np.float64("nan"), np.array([1.0, np.inf])):
        with pytest.raises(ValueError):
            json_text({"x": [bad]})
    assert json.loads(json_text({"a": np.float64(1.5), "b": np.int64(2), "c": np.array([1, 2]), "d": np.bool_(True)})) == {
        "a": 1.5, "b": 2, "c": [1, 2], "d": True}
    assert json_text({"name": "Ingénieur"}, indent=None) == '{"name": "Ingénieur"}'


# ---------------------------------------------------------------- atomic writes


def test_a_symlink_planted_at_a_predictable_name_is_not_followed(tmp_path, seed_role):
    victim = tmp_path / "victim.txt"
    victim.write_text("not ours", encoding="utf-8")
    target = tmp_path / "role.json"
    # The names a writer could have predicted: the old scheme ".<name>.<pid>.tmp" and a few more.
    planted = [tmp_path / f".role.json.{os.getpid()}.tmp", tmp_path / "role.json.tmp", tmp_path / ".role.json.tmp"]
    for p in planted:
        p.symlink_to(victim)
    save_assessment(seed_role, target)
    assert victim.read_text(encoding="utf-8") == "not ours"
    assert load_assessment(target) == seed_role and not target.is_symlink()
    assert all(p.is_symlink() for p in planted)  # left alone
    assert sorted(os.listdir(tmp_path)) == sorted(["victim.txt", "role.json", *(p.name for p in planted)])


def test_the_temporary_file_is_created_exclusively_in_the_target_folder(tmp_path, monkeypatch, seed_role):
    seen = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        seen.append((Path(name).parent, os.fstat(fd).st_nlink))
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    save_assessment(seed_role, tmp_path / "role.json")
    assert seen == [(tmp_path, 1)]


def test_a_rewrite_keeps_the_file_permissions(tmp_path, seed_role):
    path = tmp_path / "role.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    save_assessment(seed_role, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = tmp_path / "new.json"
    save_assessment(seed_role, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
