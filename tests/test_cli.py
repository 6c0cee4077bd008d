"""The `aijri` command line: output, exit codes, and one-line errors (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from aijri_core import AIJRIError, RoleAssessment, cli, score
from aijri_core.cli import build_parser, main
from aijri_core.cli.score import SCORE_JSON_KEYS

ROOT = Path(__file__).resolve().parents[1]
SEED_REL = "data/roles/ai-infrastructure-engineer.json"


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("aijri: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert out == ""


# --- aijri score --------------------------------------------------------------------------


def test_score_prints_the_seed_result(capsys, seed_path):
    code, out, err = run_main(capsys, "score", str(seed_path))
    assert code == 0
    assert err == ""
    assert "49.1 GREEN (Transforming)" in out


def test_score_text_lays_out_every_seed_figure(capsys, seed_path):
    _, out, _ = run_main(capsys, "score", str(seed_path))
    lines = out.splitlines()
    task_lines = [ln for ln in lines if ln.startswith("  ") and ln.rstrip().endswith(("augmentation", "not involved"))]
    assert [line.replace("not involved", "not_involved").split()[-2] for line in task_lines] == [
        "0.50",
        "0.60",
        "0.45",
        "0.30",
        "0.30",
        "0.30",
        "0.10",
    ]
    assert any(line.split()[-1:] == ["2.55"] and line.strip().startswith("Total") for line in lines)
    assert "6.00 - 2.55 = 3.45" in out
    assert "= 1.20" in out and "= 1.02" in out and "= 1.05" in out
    assert "3.45 x 1.20 x 1.02 x 1.05 = 4.4339" in out
    assert "(4.4339 - 0.54) / 7.93 x 100" in out
    assert "Total (E)              +5" in out
    assert "1/10" in out and "2/9" in out
    assert "Task time at score 3+: 55%" in out
    assert "0% displacement, 95% augmentation, 5% not involved" in out
    assert "1.1 points above the threshold at 48" in out
    assert "Published: 49.1 GREEN (Transforming)" in out
    assert "matches" in out
    assert "Override" not in out


def test_score_accepts_a_bundled_slug(capsys):
    code, out, _ = run_main(capsys, "score", "ai-infrastructure-engineer")
    assert code == 0
    assert "49.1 GREEN (Transforming)" in out


def test_score_reads_stdin(capsys, monkeypatch, seed_path):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_path.read_bytes())))
    code, out, _ = run_main(capsys, "score", "-", "--json")
    assert code == 0
    assert json.loads(out)["score"] == 49.1


def test_score_json_keys_and_values(capsys, seed_path, seed_role):
    code, out, _ = run_main(capsys, "score", str(seed_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data)[: len(SCORE_JSON_KEYS)] == [
        "weighted_task_score",
        "task_resistance",
        "evidence_total",
        "evidence_modifier",
        "barrier_total",
        "barrier_modifier",
        "growth_correlation",
        "growth_modifier",
        "raw",
        "score_unclamped",
        "score",
        "clamped",
        "zone",
        "sublabel",
        "final_zone",
        "share_time_score_3_plus",
    ]
    assert data["weighted_task_score"] == pytest.approx(2.55)
    assert data["task_resistance"] == pytest.approx(3.45)
    assert (data["evidence_total"], data["barrier_total"], data["growth_correlation"]) == (5, 1, 1)
    assert round(data["raw"], 4) == 4.4339
    assert data["score"] == 49.1
    assert data["clamped"] is False
    assert (data["zone"], data["sublabel"], data["final_zone"]) == ("Green", "Transforming", "Green")
    assert data["share_time_score_3_plus"] == pytest.approx(55)
    # every figure equals the core's own
    s = score(seed_role).to_json_dict()
    assert {k: data[k] for k in SCORE_JSON_KEYS} == {k: s[k] for k in SCORE_JSON_KEYS}


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_score_shows_an_override_and_the_clamp(capsys, tmp_path, seed_role):
    data = seed_role.to_json_dict()
    data["override"] = {"zone": "Yellow", "reason": "postings are softening"}
    code, out, _ = run_main(capsys, "score", str(_write(tmp_path, "ov.json", data)))
    assert code == 0
    assert "Override: YELLOW (reason: postings are softening)" in out
    assert "Final zone: YELLOW  (formula: GREEN (Transforming))" in out

    top = {
        "title": "Maximum",
        "tasks": [{"name": "t", "time_share": 100, "score": 1}],
        "evidence": dict.fromkeys(
            ["job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus"], 2
        ),
        "barriers": dict.fromkeys(["regulatory", "physical_presence", "union", "liability", "cultural"], 2),
        "growth_correlation": 2,
        "protective": {"embodied_physicality": 0, "deep_interpersonal_connection": 0, "goal_setting_moral_judgment": 0},
    }
    path = _write(tmp_path, "max.json", top)
    code, out, _ = run_main(capsys, "score", str(path))
    assert "109.710 -> capped to 100.0" in out
    assert "Result: 100.0 GREEN (Accelerated)" in out
    code, out, _ = run_main(capsys, "score", str(path), "--json")
    data = json.loads(out)
    assert (data["score"], data["clamped"], round(data["score_unclamped"], 1)) == (100.0, True, 109.7)


def test_score_with_a_methodology_file(capsys, tmp_path, seed_path):
    m = _write(tmp_path, "m.json", {"green_threshold": 50})
    code, out, _ = run_main(capsys, "score", str(seed_path), "--methodology", str(m))
    assert code == 0
    assert "Result: 49.1 YELLOW" in out
    assert "GREEN >= 50" in out
    code, out, _ = run_main(capsys, "score", str(seed_path), "--methodology", str(m), "--json")
    assert json.loads(out)["zone"] == "Yellow"


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ({"green_threshold": 500}, ["m.json", "green_threshold", "500"]),
        ({"greenness": 1}, ["m.json", "unknown field 'greenness'", "green_threshold"]),
        ({"yellow_threshold": 60}, ["m.json", "yellow_threshold"]),
        ([1, 2], ["m.json", "expected a JSON object"]),
        ("{oops", ["m.json", "not valid JSON"]),
    ],
)
def test_bad_methodology_file(capsys, tmp_path, seed_path, content, needles):
    m = _write(tmp_path, "m.json", content)
    assert_one_line_error(*run_main(capsys, "score", str(seed_path), "--methodology", str(m)), *needles)


# --- bad input: one line, exit 2 ----------------------------------------------------------


def test_missing_file(capsys, tmp_path):
    missing = tmp_path / "absent.json"
    assert_one_line_error(*run_main(capsys, "score", str(missing)), "absent.json", "no such file")


def test_unknown_slug(capsys):
    assert_one_line_error(*run_main(capsys, "score", "astronaut"), "astronaut", "no such file")


@pytest.mark.parametrize(
    ("mutate", "needles"),
    [
        (lambda d: d["tasks"][0].update(score=6), ["tasks[0].score", "6", "1 to 5"]),
        (lambda d: d["tasks"][0].update(time_share=60), ["time shares sum to 135%", "100% (+/- 1)"]),
        (lambda d: d["evidence"].update(hype=1), ["evidence", "'hype'", "job_postings"]),
        (lambda d: d["barriers"].pop("union"), ["barriers.union", "missing", "0 to 2"]),
        (lambda d: d.update(tasks=[]), ["tasks", "1 to 40"]),
    ],
)
def test_invalid_assessment(capsys, tmp_path, seed_role, mutate, needles):
    data = seed_role.to_json_dict()
    mutate(data)
    path = _write(tmp_path, "bad.json", data)
    assert_one_line_error(*run_main(capsys, "score", str(path)), "bad.json: ", *needles)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "the file is empty"),
        ("not json", "not valid JSON at line 1, column 1"),
        ('{"title": NaN}', "title"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
)
def test_unreadable_files(capsys, tmp_path, content, needle):
    path = _write(tmp_path, "x.json", content)
    assert_one_line_error(*run_main(capsys, "score", str(path)), needle)


def test_binary_and_oversized_files(capsys, tmp_path):
    blob = tmp_path / "blob.json"
    blob.write_bytes(bytes(range(256)))
    assert_one_line_error(*run_main(capsys, "score", str(blob)), "blob.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 * 1024 * 1024))
    assert_one_line_error(*run_main(capsys, "score", str(big)), "too large", "2,097,152")


def test_a_folder_is_not_a_file(capsys, tmp_path):
    assert_one_line_error(*run_main(capsys, "score", str(tmp_path)), "is a folder")


# --- usage errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["score"], ["score", "a.json", "--colour"], ["roles", "extra"]],
)
def test_usage_errors_exit_2(capsys, argv):
    code, out, err = run_main(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err
    assert "aijri: error: " in err
    assert err.strip().splitlines()[0].startswith("usage: aijri")


def test_help_exits_0(capsys):
    code, out, _ = run_main(capsys, "--help")
    assert code == 0
    for command in ("score", "schema", "roles"):
        assert command in out


# --- aijri schema / roles -----------------------------------------------------------------


def test_schema_is_the_assessment_json_schema(capsys, seed_role):
    code, out, _ = run_main(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == RoleAssessment.model_json_schema()
    assert set(schema["required"]) == {"title", "tasks", "evidence", "barriers", "growth_correlation", "protective"}
    assert schema["additionalProperties"] is False
    defs = schema["$defs"]
    task = defs["Task"]["properties"]
    assert (task["score"]["minimum"], task["score"]["maximum"]) == (1, 5)
    assert (task["time_share"]["minimum"], task["time_share"]["maximum"]) == (0, 100)
    assert (
        defs["Evidence"]["properties"]["wage_trends"]["minimum"],
        defs["Evidence"]["properties"]["wage_trends"]["maximum"],
    ) == (-2, 2)
    assert defs["Barriers"]["properties"]["union"]["maximum"] == 2
    assert defs["Protective"]["properties"]["embodied_physicality"]["maximum"] == 3
    assert (
        schema["properties"]["growth_correlation"]["minimum"],
        schema["properties"]["growth_correlation"]["maximum"],
    ) == (-2, 2)
    # only standard JSON Schema keywords (pydantic writes "ge"/"le" when a range sits after a validator)
    assert '"ge"' not in out and '"le"' not in out


def test_roles_lists_the_bundled_roles(capsys):
    code, out, _ = run_main(capsys, "roles")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("ai-infrastructure-engineer"))
    assert "AI Infrastructure Engineer" in row
    assert "49.1" in row
    assert "GREEN (Transforming)" in row
    code, out, _ = run_main(capsys, "roles", "--json")
    entry = next(r for r in json.loads(out) if r["slug"] == "ai-infrastructure-engineer")
    assert entry == {
        "slug": "ai-infrastructure-engineer",
        "title": "AI Infrastructure Engineer",
        "score": 49.1,
        "zone": "Green",
        "sublabel": "Transforming",
    }


@pytest.mark.parametrize("argv", [["roles"], ["roles", "--json"]])
def test_roles_without_any_role_is_an_error(capsys, monkeypatch, tmp_path, argv):
    monkeypatch.setenv("AIJRI_DATA_DIR", str(tmp_path))
    code, out, err = run_main(capsys, *argv)
    assert_one_line_error(code, out, err, f"no bundled roles in {tmp_path / 'roles'}")


def test_app_passes_options_to_streamlit_and_other_commands_refuse_them(capsys, monkeypatch):
    from aijri_core.cli import score as score_group

    calls = []

    def run_server(*args):  # os.execv(path, argv) on POSIX, subprocess.call(argv) elsewhere
        calls.append(args[-1])
        raise SystemExit(0)  # as if the server ran and stopped

    monkeypatch.setattr(score_group.os, "execv", run_server)
    monkeypatch.setattr(subprocess, "call", run_server)
    with pytest.raises(SystemExit):
        run_main(capsys, "app", "--server.port", "8502", "--server.headless=false")
    (cmd,) = calls
    app = score_group.app_script()
    assert cmd == [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", "8502",
                   "--server.headless=false"]  # fmt: skip
    # Streamlit applies the settings of the .streamlit/config.toml beside the script it runs
    assert (app.parent / ".streamlit" / "config.toml").is_file()
    code, out, err = run_main(capsys, "roles", "--server.port", "8502")
    assert code == 2 and "unrecognized arguments: --server.port 8502" in err


# --- command groups ------------------------------------------------------------------------

ALL_COMMANDS = {
    "score", "schema", "roles",
    "knobs", "tornado", "breakeven", "montecarlo", "sweep", "attribute",
    "import-doc", "export-doc", "scenarios", "report",
}  # fmt: skip


def _subcommands(parser) -> dict:
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_every_command_group_registers_its_commands():
    assert set(_subcommands(build_parser())) >= ALL_COMMANDS


def test_every_subcommand_has_a_handler():
    for name, p in _subcommands(build_parser()).items():
        assert callable(p.get_default("func")), f"subcommand {name!r} sets no func"


def _user_error(args):
    raise AIJRIError("widgets.csv: line 3, column knob: 'x' is unknown; allowed: a knob id")


def _validation_error(args):
    RoleAssessment.model_validate({"title": "t"})


def _ok(args):
    print("group ran", args.value)
    return 0


def _register(subparsers):
    subparsers.add_parser("fail-user").set_defaults(func=_user_error)
    subparsers.add_parser("fail-validation").set_defaults(func=_validation_error)
    p = subparsers.add_parser("ok")
    p.add_argument("value")
    p.set_defaults(func=_ok)


@pytest.fixture
def plugin(monkeypatch):
    """An extra command group whose commands fail in the two ways handlers may fail."""
    group = types.SimpleNamespace(register=_register)
    monkeypatch.setattr(cli, "COMMAND_GROUPS", (*cli.COMMAND_GROUPS, group))


def test_an_added_command_group_runs(capsys, plugin):
    code, out, _ = run_main(capsys, "ok", "7")
    assert code == 0
    assert out == "group ran 7\n"


def test_handler_user_error_is_one_line(capsys, plugin):
    assert_one_line_error(*run_main(capsys, "fail-user"), "widgets.csv: line 3")


def test_handler_validation_error_is_one_line(capsys, plugin):
    assert_one_line_error(*run_main(capsys, "fail-validation"), "tasks: missing")


# --- real processes -----------------------------------------------------------------------


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def test_python_dash_m_scores_the_seed():
    proc = _run([sys.executable, "-m", "aijri_core.cli", "score", SEED_REL])
    assert proc.returncode == 0, proc.stderr
    assert "49.1 GREEN (Transforming)" in proc.stdout


def test_console_script_scores_the_seed_and_fails_cleanly(tmp_path):
    script = Path(sys.executable).parent / "aijri"
    if not script.exists():
        pytest.skip(f"console script not installed at {script} (run `pip install -e .`)")
    proc = _run([str(script), "score", SEED_REL])
    assert proc.returncode == 0, proc.stderr
    assert "49.1 GREEN (Transforming)" in proc.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "tasks": [{"name": "a", "time_share": 100, "score": 0}]}', encoding="utf-8")
    proc = _run([str(script), "score", str(bad)])
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("aijri: error: bad.json: ")
    proc = _run([str(script)])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
