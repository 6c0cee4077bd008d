"""The borderline board: every figure equals the single-role analyses', the library reader
copes with broken files, and `aijri board` prints the documented shapes."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core import apply_changes, break_even, knobs, monte_carlo, score, tornado
from aijri_core.analyses.board import BoardSettings, board
from aijri_core.cli import main
from aijri_core.errors import AIJRIError
from aijri_core.io import save_assessment
from aijri_core.knobs import get_value
from aijri_core.library import read_library
from aijri_core.methodology import DEFAULT, Zone
from aijri_core.model import PublishedResult

FAST = BoardSettings(n=600)


def expected_row(a, m, s: BoardSettings) -> dict:
    """The board's figures for one role from the single-role analyses, as the Explorer and
    `aijri breakeven` / `montecarlo` / `tornado` compute them."""
    sc = score(a, m)
    be = break_even(a, methodology=m)
    e = be.easiest
    mc = monte_carlo(a, n=s.n, p=s.p, share_jitter=s.share_jitter, seed=s.seed, methodology=m)
    top = tornado(a, share_step=s.share_step, methodology=m).rows
    steps = sum(1 for r in be.rows if r.status == "changes_zone" and r.unit == "step" and abs(r.move) == 1)
    return {
        "score": sc.score,
        "zone": sc.zone,
        "sublabel": sc.sublabel,
        "flip": None if e is None else (e.knob_id, e.base_value, e.value, e.score, e.zone),
        "one_step_flips": steps,
        "p_zone_holds": mc.zone_probabilities()[mc.base_zone],
        "top_input": top[0].knob_id if top and top[0].swing > 0 else None,
    }


def row_figures(r) -> dict:
    f = r.easiest_flip
    return {
        "score": r.score,
        "zone": r.zone,
        "sublabel": r.sublabel,
        "flip": None if f is None else (f.knob_id, f.base_value, f.value, f.score, f.zone),
        "one_step_flips": r.one_step_flips,
        "p_zone_holds": r.p_zone_holds,
        "top_input": r.top_input,
    }


@settings(max_examples=25)
@given(st.lists(role_assessments(max_tasks=7, any_total=True), min_size=1, max_size=5))
def test_every_figure_equals_the_single_role_analyses(library):
    pairs = [(f"role{i}", a) for i, a in enumerate(library)]
    b = board(pairs, DEFAULT, FAST)
    assert sorted(r.source for r in b.rows) == sorted(s for s, _ in pairs)
    by_source = dict(pairs)
    for r in b.rows:
        a = by_source[r.source]
        assert row_figures(r) == expected_row(a, DEFAULT, FAST), r.source
        line = min(sorted((DEFAULT.yellow_threshold, DEFAULT.green_threshold)), key=lambda t: abs(r.score - t))
        assert r.line == line and r.distance == pytest.approx(r.score - line, abs=1e-9)
        assert r.borderline == (abs(r.distance) <= FAST.borderline)
    assert [abs(r.distance) for r in b.rows] == sorted(abs(r.distance) for r in b.rows)


def one_step_flips_by_hand(a) -> int:
    """Every rating one step up and down through apply_changes + score (no analysis code)."""
    base = score(a).zone
    count = 0
    for k in knobs(a):
        if not k.integer:
            continue
        v = get_value(a, k.id)
        for w in (v - 1, v + 1):
            if k.min <= w <= k.max and score(apply_changes(a, {k.id: w})).zone != base:
                count += 1
    return count


def test_bundled_role_by_hand(seed_role):
    b = board([("bundled:ai-infrastructure-engineer", seed_role)])
    (r,) = b.rows
    # Seed tables: weighted 2.55, TR 3.45, raw 4.4339 -> 49.1 GREEN (Transforming), 1.1 above the 48 line.
    assert (r.score, r.zone, r.sublabel, r.line, r.distance) == (49.1, Zone.GREEN, "Transforming", 48.0, 1.1)
    assert r.borderline and not r.published_differs
    # Easiest flip: the first task (25% of the time) from score 2 to 3: weighted 2.55 + 0.25 = 2.80,
    # TR 3.20, raw 3.20 x 1.20 x 1.02 x 1.05 = 4.11264, (4.11264 - 0.54) / 7.93 x 100 = 45.05 -> 45.1 YELLOW.
    f = r.easiest_flip
    assert (f.knob_id, f.base_value, f.value, f.score, f.zone) == (
        "task:GPU cluster & training infrastructure management:score", 2.0, 3.0, 45.1, Zone.YELLOW)
    assert r.one_step_flips == one_step_flips_by_hand(seed_role) == 12
    mc = monte_carlo(seed_role, n=10_000, p=0.3, share_jitter=0.2, seed=1)
    assert r.p_zone_holds == mc.p_green
    assert r.top_input == "task:GPU cluster & training infrastructure management:score" and r.top_swing == 8.1


def test_cli_breakeven_agrees_on_the_bundled_role(capsys):
    assert main(["breakeven", "ai-infrastructure-engineer", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["rows"][0]
    assert main(["board", "ai-infrastructure-engineer", "--json"]) == 0
    flip = json.loads(capsys.readouterr().out)["roles"][0]["easiest_flip"]
    assert {k: first[k] for k in flip} == flip


def test_a_role_exactly_on_a_line(seed_role):
    m = DEFAULT.with_changes(green_threshold=49.1)
    (r,) = board([seed_role], m, FAST).rows
    assert (r.score, r.zone, r.line, r.distance, r.borderline) == (49.1, Zone.GREEN, 49.1, 0.0, True)
    assert row_figures(r) == expected_row(seed_role, m, FAST)
    assert r.easiest_flip.zone is Zone.YELLOW


def test_published_score_that_differs_is_flagged(seed_role):
    same = seed_role.model_copy(update={"published": PublishedResult(score=49.1, zone=Zone.GREEN, sublabel="Transforming")})
    other = seed_role.model_copy(update={"published": PublishedResult(score=51.0, zone=Zone.GREEN, sublabel="Transforming")})
    rows = {r.source: r for r in board([("same", same), ("other", other), ("none", seed_role.model_copy(update={"published": None}))], settings=FAST).rows}
    assert not rows["same"].published_differs and rows["other"].published_differs and not rows["none"].published_differs
    assert rows["other"].published_score == 51.0


def test_settings_out_of_range_name_the_field():
    with pytest.raises(AIJRIError, match="borderline"):
        BoardSettings(borderline=-1)
    with pytest.raises(AIJRIError, match="draws"):
        BoardSettings(n=0)


@pytest.fixture
def library(tmp_path, seed_role, root):
    """A folder with a good role, a broken file, a duplicate title, a role whose shares add up
    to 99.5, an assessment document and a file that is not a role."""
    lib = tmp_path / "lib"
    lib.mkdir()
    save_assessment(seed_role, lib / "a.json")
    (lib / "broken.json").write_text("{not json")
    twin = seed_role.model_copy(update={"growth_correlation": 0})
    save_assessment(twin, lib / "twin.json")
    tasks = list(seed_role.tasks)
    tasks[0] = tasks[0].model_copy(update={"time_share": 24.5})
    short = seed_role.model_validate({**seed_role.model_dump(), "tasks": [t.model_dump() for t in tasks], "title": "Short"})
    assert short.share_total == 99.5
    save_assessment(short, lib / "short.json")
    (lib / "doc.txt").write_bytes((root / "tests" / "fixtures" / "seed_like_document.txt").read_bytes())
    (lib / "notes.md").write_text("just some notes\n")
    (lib / "image.png").write_bytes(b"\x89PNG")
    return lib


def test_library_reads_what_it_can(library):
    roles, bad = read_library([str(library), str(library / "a.json"), "ai-infrastructure-engineer", "no-such-thing"])
    sources = [s for s, _ in roles]
    assert sources == [str(library / n) for n in ("a.json", "doc.txt", "short.json", "twin.json")] + [
        "bundled:ai-infrastructure-engineer"]
    assert [u.source for u in bad] == [str(library / "broken.json"), str(library / "notes.md"), "no-such-thing"]
    assert all(u.error and "\n" not in u.error for u in bad)
    b = board(roles, settings=FAST, unreadable=bad)
    titles = [r.title for r in b.rows]
    assert titles.count("AI Infrastructure Engineer") >= 3  # duplicate titles stay separate rows
    by_source = {r.source: r for r in b.rows}
    short = dict(roles)[str(library / "short.json")]
    assert row_figures(by_source[str(library / "short.json")]) == expected_row(short, DEFAULT, FAST)


def test_library_glob(library):
    roles, bad = read_library([str(library / "*.json")])
    assert len(roles) == 3 and len(bad) == 1


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_shape_and_exit_codes(capsys, library):
    code, out, err = run(capsys, "board", str(library), "--json", "--n", "1000")
    assert code == 0
    assert err.count("\n") == 2 and "broken.json" in err and "notes.md" in err
    doc = json.loads(out)
    assert set(doc) == {"roles", "unreadable", "settings"}
    keys = {"title", "seniority", "score", "zone", "sublabel", "distance", "easiest_flip", "one_step_flips",
            "p_zone_holds", "top_input", "borderline", "published_differs", "source"}
    assert all(set(r) == keys for r in doc["roles"]) and len(doc["roles"]) == 4
    flips = [r["easiest_flip"] for r in doc["roles"] if r["easiest_flip"]]
    assert flips and all(set(f) == {"knob_id", "label", "base_value", "value", "score", "zone"} for f in flips)
    assert {u["source"] for u in doc["unreadable"]} == {str(library / "broken.json"), str(library / "notes.md")}
    assert doc["settings"]["n"] == 1000 and doc["settings"]["borderline"] == 2.0

    code, out, err = run(capsys, "board", str(library / "broken.json"))
    assert code == 2 and out == "" and err.count("\n") == 2  # the file's line, then why nothing was made


def test_cli_csv_and_text(capsys, tmp_path, seed_role):
    evil = seed_role.model_copy(update={"title": "=cmd|' /C calc'!A0 \x1b[31mred"})
    save_assessment(evil, tmp_path / "evil.json")
    code, out, err = run(capsys, "board", str(tmp_path / "evil.json"), "ai-infrastructure-engineer", "--csv",
                         "--n", "1000", "--borderline", "1")
    assert code == 0 and err == ""
    df = pd.read_csv(io.StringIO(out))
    assert len(df) == 2 and set(df["distance"]) == {1.1} and not df["borderline"].any()
    assert df["title"].str.startswith("'=").sum() == 1
    code, out, err = run(capsys, "board", str(tmp_path / "evil.json"), "--n", "1000")
    assert code == 0 and "\x1b" not in out and "\\x1b[31mred" in out
    assert "+1.1 to 48" in out


def test_cli_store_roles(capsys, tmp_path, seed_role):
    from aijri_core.store import open_store

    db = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(db).save_role(seed_role.model_copy(update={"title": "Saved one"}), name="mine")
    code, out, _ = run(capsys, "board", "--db", db, "--json", "--n", "1000")
    sources = [r["source"] for r in json.loads(out)["roles"]]
    assert code == 0 and sorted(sources) == ["bundled:ai-infrastructure-engineer", "stored:mine"]


def test_board_figure_names_each_point_by_its_source(seed_role):
    from aijri_core.figures import board_figure, validate

    html = seed_role.model_copy(update={"title": "<b>bold</b> & co"})
    b = board([("bundled:x", seed_role), ("stored:y", html)], settings=FAST)
    fig = validate(board_figure(b)).to_dict()
    ids = [i for trace in fig["data"] for i in trace["ids"]]
    assert sorted(ids) == ["bundled:x", "stored:y"]
    titles = [row[0] for trace in fig["data"] for row in trace["customdata"]]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in titles  # plotly text shows the title as typed
    assert [trace["x"] for trace in fig["data"]] == [[1.1, 1.1]]


def test_a_role_exactly_on_the_yellow_line_by_hand(seed_role):
    """Every task at score 4 (weighted 4.00, TR 2.00), E = 5, B = 0, G = 1: raw 2.00 x 1.20 x 1.00 x
    1.05 = 2.52, (2.52 - 0.54) / 7.93 x 100 = 24.968 -> 25.0, YELLOW on its line (distance 0).
    Raising the first task (25% of the time) to 5: weighted 4.25, TR 1.75, raw 2.205 -> 21.0 RED."""
    data = seed_role.model_dump()
    data["tasks"] = [{**t, "score": 4} for t in data["tasks"]]
    data["barriers"] = {b: 0 for b in data["barriers"]}
    data["published"] = None
    role = type(seed_role).model_validate(data)
    (r,) = board([role], settings=FAST).rows
    assert (r.score, r.zone, r.line, r.distance, r.borderline) == (25.0, Zone.YELLOW, 25.0, 0.0, True)
    f = r.easiest_flip
    assert (f.knob_id, f.base_value, f.value, f.score, f.zone) == (
        "task:GPU cluster & training infrastructure management:score", 4.0, 5.0, 21.0, Zone.RED)
    assert row_figures(r) == expected_row(role, DEFAULT, FAST)


def test_cli_store_that_cannot_be_opened_is_one_line(capsys, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    db = f"sqlite:///{tmp_path / 'file' / 'store.db'}"  # a folder that is a file: the store cannot be made
    code, out, err = run(capsys, "board", "ai-infrastructure-engineer", "--db", db, "--json", "--n", "1000")
    assert code == 0 and err.count("\n") == 1 and err.startswith("aijri: skipped store")
    doc = json.loads(out)
    assert [r["source"] for r in doc["roles"]] == ["bundled:ai-infrastructure-engineer"]
    assert len(doc["unreadable"]) == 1


def test_cli_methodology_changes_the_board(capsys, tmp_path):
    (tmp_path / "m.json").write_text('{"green_threshold": 49.1}')
    code, out, _ = run(capsys, "board", "ai-infrastructure-engineer", "--json", "--n", "1000",
                       "--methodology", str(tmp_path / "m.json"))
    (row,) = json.loads(out)["roles"]
    assert code == 0 and (row["distance"], row["zone"], row["borderline"]) == (0.0, "Green", True)


@settings(max_examples=15)
@given(
    st.lists(role_assessments(max_tasks=9, any_total=True), min_size=1, max_size=4),
    st.sampled_from([(0.3, 0.2), (0.3, 0.0), (0.0, 0.2), (1.0, 2.0)]),
    st.sampled_from([1.0, 1e9]),
)
def test_zone_holds_fast_and_exact_paths_both_equal_monte_carlo(library, p_jitter, band_scale):
    """P(zone holds) equals monte_carlo's whichever path decides a draw: the fast float32 score
    (most draws with the default band) or score_many (every draw with a huge band)."""
    from aijri_core.analyses.board import zone_holds

    p, jitter = p_jitter
    s = BoardSettings(n=9000, p=p, share_jitter=jitter, seed=3)
    zones = [score(a).zone for a in library]
    got = zone_holds(library, zones, s, band_scale=band_scale)
    want = [monte_carlo(a, n=s.n, p=p, share_jitter=jitter, seed=3).zone_probabilities()[z] for a, z in zip(library, zones, strict=True)]
    assert got == want
