"""`aijri tornado / breakeven / montecarlo / sweep / attribute / knobs` through cli.main."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from aijri_core import attribute, break_even, knobs, monte_carlo, tornado
from aijri_core.analyses import goal_seek
from aijri_core.cli import main

SLUG = "ai-infrastructure-engineer"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tornado_text_json_csv(capsys, seed_role, seed_path):
    code, out, err = run(capsys, "tornado", str(seed_path))
    assert code == 0 and err == ""
    assert "49.1 GREEN" in out
    lines = out.splitlines()
    first = next(line for line in lines if line.startswith("task:GPU cluster"))
    assert "53.2" in first and "45.1*" in first and first.rstrip().endswith("8.1")
    growth = next(line for line in lines if line.startswith("growth"))
    assert "46.4*" in growth and "51.8" in growth

    code, out, _ = run(capsys, "tornado", SLUG, "--json", "--mode", "range")
    doc = json.loads(out)
    expected = tornado(seed_role, mode="range")
    assert doc["mode"] == "range" and doc["base_score"] == 49.1 and doc["base_zone"] == "Green"
    assert [r["knob_id"] for r in doc["rows"]] == [r.knob_id for r in expected.rows]
    assert [r["swing"] for r in doc["rows"]] == [r.swing for r in expected.rows]

    code, out, _ = run(capsys, "tornado", SLUG, "--csv")
    df = pd.read_csv(io.StringIO(out))
    assert list(df["knob_id"]) == [r.knob_id for r in tornado(seed_role).rows]
    assert df.loc[df.knob_id == "growth", "score_low"].item() == 46.4


def test_tornado_json_and_csv_exclusive(capsys):
    code, _, err = run(capsys, "tornado", SLUG, "--json", "--csv")
    assert code == 2 and "not allowed with" in err


def test_breakeven(capsys, seed_role):
    code, out, _ = run(capsys, "breakeven", SLUG)
    assert code == 0
    assert "3.3788" in out and "4.3809" in out  # TR and E where the score would publish as 48.0
    growth_down = next(line for line in out.splitlines() if line.startswith("growth") and " down " in line)
    assert "46.4" in growth_down and "YELLOW" in growth_down
    code, out, _ = run(capsys, "breakeven", SLUG, "--json")
    doc = json.loads(out)
    expected = break_even(seed_role)
    assert len(doc["rows"]) == len(expected.rows)
    row = next(r for r in doc["rows"] if r["knob_id"] == "growth" and r["direction"] == "down")
    assert (row["value"], row["score"], row["zone"]) == (0, 46.4, "Yellow")
    assert doc["crossings"][0]["value_needed"] == pytest.approx(expected.crossings[0].value_needed)


def test_montecarlo(capsys, seed_role):
    code, out, _ = run(capsys, "montecarlo", SLUG, "--n", "5000", "--seed", "3", "--json")
    assert code == 0
    doc = json.loads(out)
    r = monte_carlo(seed_role, n=5000, seed=3)
    assert (doc["p_green"], doc["p_yellow"], doc["p_red"]) == (r.p_green, r.p_yellow, r.p_red)
    assert doc["quantiles"] == {str(q): v for q, v in r.quantiles.items()}
    assert sum(doc["histogram_counts"]) == 5000
    code, out, _ = run(capsys, "montecarlo", SLUG, "--n", "2000", "--p", "0", "--share-jitter", "0")
    assert "P(GREEN) 100.0%" in out and "50%: 49.1" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["montecarlo", SLUG, "--p", "1.5"], "--p 1.5 is out of range"),
        (["montecarlo", SLUG, "--n", "0"], "--n 0 is out of range"),
        (["montecarlo", SLUG, "--n", "ten"], "not a whole number"),
        (["tornado", SLUG, "--share-step", "0"], "share step 0 is out of range"),
        (["sweep", SLUG, "growth", "evidence:nope"], "unknown knob 'evidence:nope'"),
        (["sweep", SLUG, "growth", "growth"], "two different knobs"),
        (["tornado", "no/such/file.json"], "no such file"),
    ],
)
def test_user_errors_are_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("aijri: error:")


def test_sweep(capsys):
    code, out, _ = run(capsys, "sweep", SLUG, "growth", "evidence:ai_tool_maturity")
    assert code == 0
    assert "[49.1G]" in out and "46.4Y" in out
    code, out, _ = run(capsys, "sweep", SLUG, "growth", "evidence:ai_tool_maturity", "--csv")
    df = pd.read_csv(io.StringIO(out))
    assert len(df) == 25
    assert df[(df.x == 1) & (df.y == 0)]["score"].item() == 49.1


def test_attribute(capsys, seed_role, tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"name": "mix", "changes": {"growth": 0, "barrier:liability": 2}}), encoding="utf-8")
    code, out, _ = run(capsys, "attribute", SLUG, str(scenario), "--json")
    assert code == 0
    doc = json.loads(out)
    expected = attribute(seed_role, {"growth": 0, "barrier:liability": 2})
    assert doc["change"] == pytest.approx(expected.change)
    assert sum(p["contribution"] for p in doc["knobs"]) == pytest.approx(doc["change"], abs=1e-9)
    assert [p["key"] for p in doc["groups"]] == ["tasks", "evidence", "barriers", "growth"]
    code, out, _ = run(capsys, "attribute", SLUG, str(scenario))
    assert "49.1 -> 47.5" in out and "barrier:liability" in out

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "changes": {"growth": 7}}), encoding="utf-8")
    code, _, err = run(capsys, "attribute", SLUG, str(bad))
    assert code == 2 and "growth: 7 is out of range" in err
    bad.write_text(json.dumps({"changes": {}}), encoding="utf-8")
    code, _, err = run(capsys, "attribute", SLUG, str(bad))
    assert code == 2 and "bad.json" in err and "name" in err
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "attribute", SLUG, str(bad))
    assert code == 2 and "expected a JSON object" in err


def test_knobs(capsys, seed_role):
    code, out, _ = run(capsys, "knobs", SLUG)
    assert code == 0
    for k in knobs(seed_role):
        assert k.id in out
    assert "a whole number from -2 to +2" in out
    code, out, _ = run(capsys, "knobs", SLUG, "--json")
    doc = json.loads(out)
    assert [d["id"] for d in doc] == [k.id for k in knobs(seed_role)]
    assert next(d for d in doc if d["id"] == "growth")["value"] == 1


def test_goalseek_text_and_json(capsys, seed_role):
    from aijri_core.analyses import goal_seek

    code, out, err = run(capsys, "goalseek", SLUG)
    assert code == 0 and err == ""
    assert "brings the score below 48.0" in out  # default: the nearest zone line
    gpu = next(line for line in out.splitlines() if line.startswith("task:GPU cluster") and ":score" in line)
    assert " up " in gpu and "45.1" in gpu and "YELLOW" in gpu
    assert "at its limit" in out and "cannot reach it within the range" in out
    assert "Task resistance needed: 3.3788" in out

    code, out, _ = run(capsys, "goalseek", SLUG, "--target", "50", "--json")
    doc = json.loads(out)
    expected = goal_seek(seed_role, 50.0)
    assert doc["target"] == 50.0 and doc["seeking"] == "at_least"
    keys = ["knob_id", "label", "direction", "reachable", "value", "score", "zone", "status"]
    assert all(list(r) == keys for r in doc["rows"])
    assert [(r["knob_id"], r["value"], r["score"]) for r in doc["rows"]] == [
        (r.knob_id, r.value, r.score) for r in expected.rows
    ]

    code, out, _ = run(capsys, "goalseek", SLUG, "--target", "48", "--knob", "growth", "--json")
    (row,) = json.loads(out)["rows"]
    assert (row["direction"], row["value"], row["score"], row["zone"]) == ("down", 0, 46.4, "Yellow")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--target", "101"], "--target 101 is out of range; allowed: 0 to 100"),
        (["--target", "x"], "--target 'x' is not a number"),
        (["--target", "50", "--knob", "nope"], "unknown knob 'nope'"),
    ],
)
def test_goalseek_bad_input_is_one_line(capsys, argv, message):
    code, out, err = run(capsys, "goalseek", SLUG, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "result"),
    [
        (["tornado", SLUG, "--mode", "range"], lambda a: tornado(a, mode="range")),
        (["breakeven", SLUG], lambda a: break_even(a)),
        (["goalseek", SLUG, "--target", "30"], lambda a: goal_seek(a, 30.0)),
        (["montecarlo", SLUG, "--n", "2000", "--seed", "3"], lambda a: monte_carlo(a, n=2000, seed=3)),
    ],
    ids=["tornado", "breakeven", "goalseek", "montecarlo"],
)
def test_the_json_is_the_result_s_own_dict(capsys, seed_role, argv, result):
    """The CLI prints what the result gives (``to_dict``), written by the one JSON writer."""
    from aijri_core.io import json_text

    code, out, err = run(capsys, *argv, "--json")
    assert code == 0 and err == ""
    assert out == json_text(result(seed_role).to_dict()) + "\n"


def test_the_attribution_json_is_the_result_s_own_dict(capsys, seed_role, tmp_path):
    from aijri_core import Scenario
    from aijri_core.io import json_text

    scenario = Scenario(name="s", changes={"growth": 2, "evidence:wage_trends": -1})
    path = tmp_path / "s.json"
    path.write_text(scenario.model_dump_json(), encoding="utf-8")
    code, out, _ = run(capsys, "attribute", SLUG, str(path), "--json")
    assert code == 0
    assert out == json_text(attribute(seed_role, scenario).to_dict()) + "\n"
    assert json.loads(out)["groups"][0] == {"key": "tasks", "label": "Tasks (scores and time)", "contribution": 0.0}
