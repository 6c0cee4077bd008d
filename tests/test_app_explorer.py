"""AppTest tests of the Explorer page: every number it shows is the core's number."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pandas as pd
import pytest
from app_helpers import (
    assert_no_exception,
    chart_spec,
    decode_array,
    error_texts,
    lock_switch,
    metric_value,
    new_app,
    open_page,
    score_text,
    share_is_set,
    shown,
    store_path,  # noqa: F401 - fixture
    task_headings,
    zone_markdown,
)

from aijri_core import apply_changes, bundled_role, knobs, score, set_value, values
from aijri_core.analyses import break_even, tornado
from aijri_core.methodology import DEFAULT

SLUG = "ai-infrastructure-engineer"
ROLE_KEY = f"bundled:{SLUG}"
GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"
COLLAB = "Cross-functional collaboration (ML/DS/SWE teams)"


@pytest.fixture
def base():
    return bundled_role(SLUG)


@pytest.fixture
def app(store_path):  # noqa: F811
    at = new_app().run()
    assert_no_exception(at)
    return at


def _state_assessment(at, base):
    """The assessment the app holds (baseline + its recorded changes)."""
    from aijri_core import apply_changes

    return apply_changes(base, at.session_state["aijri.changes"])


def test_opens_on_the_seed_role_at_49_1_green_transforming(app):
    assert score_text(app) == "49.1"
    assert "GREEN (Transforming)" in zone_markdown(app)
    assert metric_value(app, "To GREEN line (48)") == "+1.1"
    assert metric_value(app, "To YELLOW line (25)") == "+24.1"
    assert dict(app.query_params) == {}  # the bare address already describes this state: left as it is
    assert not error_texts(app)
    app.slider(key="knob:growth").set_value(2).run()
    assert dict(app.query_params) == {"role": ROLE_KEY, "growth": "2"}


def test_every_knob_has_a_slider_at_its_baseline_value(app, base):
    for kid, v in values(base).items():
        assert app.slider(key=f"knob:{kid}").value == pytest.approx(v)


@pytest.mark.parametrize(
    ("knob_id", "value", "hand_checked"),
    [
        (f"task:{COLLAB}:score", 3, "48.3"),  # +1 on the 5% task: 48.3 GREEN
        ("task:Cost management & GPU resource economics:score", 4, "47.5"),  # +1 on a 10% task: YELLOW
        ("evidence:job_postings", 0, "47.2"),  # any evidence -1: 47.2 YELLOW
        ("barrier:liability", 0, "48.0"),  # liability 1 -> 0: 48.0 stays GREEN
        ("growth", 0, "46.4"),  # growth 1 -> 0: 46.4 YELLOW
        ("growth", 2, "51.8"),  # growth +2: 51.8 GREEN (Accelerated)
    ],
)
def test_each_kind_of_slider_shows_the_cores_score(app, base, knob_id, value, hand_checked):
    app.slider(key=f"knob:{knob_id}").set_value(value).run()
    assert_no_exception(app)
    expected = score(set_value(base, knob_id, value))
    assert score_text(app) == f"{expected.score:.1f}" == hand_checked
    assert expected.zone_text in zone_markdown(app)
    delta = metric_value(app, "To GREEN line (48)")
    assert delta == f"{expected.score - DEFAULT.green_threshold:+.1f}"


def test_share_slider_rescales_the_other_share_sliders(app, base):
    kid = f"task:{SERVING}:share"
    app.slider(key=f"knob:{kid}").set_value(40.0).run()
    assert_no_exception(app)
    expected = set_value(base, kid, 40.0)
    assert score_text(app) == f"{score(expected).score:.1f}"
    for k in knobs(base):
        if k.kind == "share":
            assert app.slider(key=f"knob:{k.id}").value == pytest.approx(values(expected)[k.id])
    shares = [app.slider(key=f"knob:{k.id}").value for k in knobs(base) if k.kind == "share"]
    assert sum(shares) == pytest.approx(100.0)
    # the state and the link carry the one share the user set; the others follow from the rule
    assert app.session_state["aijri.changes"] == {kid: 40.0}
    assert {k: v for k, v in app.query_params.items() if k != "role"} == {"t2.share": "40"}


def test_moves_accumulate_and_match_the_core(app, base):
    moves = [("growth", 2), (f"task:{GPU}:score", 3), (f"task:{GPU}:share", 10.0), ("barrier:regulatory", 2)]
    expected = base
    for kid, v in moves:
        app.slider(key=f"knob:{kid}").set_value(v).run()
        expected = set_value(expected, kid, v)
        assert score_text(app) == f"{score(expected).score:.1f}"
    assert values(_state_assessment(app, base)) == pytest.approx(values(expected))


def test_reset_returns_to_the_baseline(app, base):
    app.slider(key="knob:growth").set_value(-2).run()
    assert score_text(app) != "49.1"
    app.button(key="reset_baseline").click().run()
    assert score_text(app) == "49.1"
    assert app.slider(key="knob:growth").value == base.growth_correlation
    assert app.session_state["aijri.changes"] == {}


def _tornado_rows_from_chart(spec):
    low, high = spec["data"][0], spec["data"][1]
    labels = list(low["y"])
    base_low = decode_array(low["base"])
    x_low, x_high = decode_array(low["x"]), decode_array(high["x"])
    return labels, [b + x for b, x in zip(base_low, x_low, strict=True)], [
        b + x for b, x in zip(decode_array(high["base"]), x_high, strict=True)]


@pytest.mark.parametrize("mode", ["step", "range"])
def test_tornado_chart_data_equals_the_cores_tornado(app, base, mode):
    from aijri_core.figures import TORNADO_TOP_ROWS

    if mode == "range":
        app.button_group(key="tornado_mode").set_value("range").run()
    app.slider(key="knob:growth").set_value(0).run()
    current = set_value(base, "growth", 0)
    expected = tornado(current, mode=mode)
    assert len(expected.rows) > TORNADO_TOP_ROWS  # the seed role has 25 inputs
    spec = chart_spec(app, "chart_tornado")
    assert ("full range" in spec["layout"]["title"]["text"]) == (mode == "range")
    # By default the largest swings only; the chart lists the largest swing last (drawn on top).
    for n_rows in (TORNADO_TOP_ROWS, len(expected.rows)):
        labels, lows, highs = _tornado_rows_from_chart(spec)
        rows = list(expected.rows)[:n_rows][::-1]
        assert len(labels) == n_rows
        assert labels == [r.label for r in rows]
        assert lows == pytest.approx([r.score_low for r in rows], abs=1e-9)
        assert highs == pytest.approx([r.score_high for r in rows], abs=1e-9)
        app.toggle(key="tornado_all").set_value(True).run()
        spec = chart_spec(app, "chart_tornado")


def _open_tab(at, label: str):
    """Open one of the Explorer's analysis tabs (only the open one is drawn)."""
    at.session_state["aijri.analysis"] = label  # the state the picker mirrors (keys.ANALYSIS)
    return at.run()


#: A column only each of the Explorer's tables has (AppTest does not expose a table's key).
TABLE_COLUMN = {"break_even_table": "Move", "break_even_others": "Why not", "goal_table": "Value needed"}


class _HtmlTable(HTMLParser):
    """The header and the rows of the text of each <table> of an st.html body (cells as text)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None


def _html_tables(at) -> list[pd.DataFrame]:
    out = []
    for h in at.get("html"):
        parser = _HtmlTable()
        parser.feed(h.proto.body)
        out += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables]
    return out


def _table(at, key: str):
    """The DataFrame of the Explorer's table drawn with this key (an HTML table gives its texts)."""
    found = [d.value for d in [*at.dataframe, *at.table] if TABLE_COLUMN[key] in d.value.columns]
    found += [t for t in _html_tables(at) if TABLE_COLUMN[key] in t.columns]
    assert len(found) == 1, f"{len(found)} tables with column {TABLE_COLUMN[key]!r}"
    return found[0]


def test_break_even_table_lists_the_cores_zone_changes_smallest_move_first(app, base):
    table = _table(app, "break_even_table")
    be = break_even(base)
    expected = [r for r in be.rows if r.status == "changes_zone"]
    assert list(table["Input"]) == [r.label for r in expected]
    assert list(table["Score then"]) == [f"{r.score:.1f}" for r in expected]
    # rating steps first (one step each here), then share points from the smallest move up
    assert list(table["Move"])[:6] == ["up +1 step"] * 6
    points = [float(m.split()[1]) for m in table["Move"] if m.endswith("points")]
    assert [abs(p) for p in points] == sorted(abs(p) for p in points)
    assert points[0] == pytest.approx(-9.8)  # GPU time 25 -> 15.2 (hand-checked: 47.9 YELLOW)
    easiest = app.get("markdown")
    text = " ".join(shown(md.value) for md in easiest if "Easiest change of zone" in md.value)
    assert f"{be.easiest.label} up to 3" in text and "45.1 YELLOW" in text
    # the easiest row, and only it, is highlighted
    body = next(h.proto.body for h in app.get("html") if "<table" in h.proto.body)
    assert body.count('class="highlight"') == 1
    assert body.split('class="highlight"', 1)[1].split("</tr>", 1)[0].startswith("><td>" + html.escape(be.easiest.label))


def test_inputs_at_their_limit_are_listed_as_such(app, base):
    assert not [d for d in app.dataframe if "Why not" in d.value.columns]  # drawn only when opened
    app.session_state["break_even_more"] = True  # the expander opened
    app.run()
    others = _table(app, "break_even_others")
    why = dict(zip(zip(others["Input"], others["Direction"], strict=True), others["Why not"], strict=True))
    # company actions is at +2 already, the barriers at 0 cannot go lower
    assert why[("Evidence: Company actions", "up")] == "at its limit"
    assert why[("Barrier: Regulatory / licensing", "down")] == "at its limit"
    assert why[("Barrier: Liability / accountability", "up")] == "cannot change the zone"
    assert sum(1 for v in why.values() if v == "at its limit") == 5


# ------------------------------------------------------------------ goal seek


def test_goal_seek_defaults_to_the_nearest_zone_line_and_applies_its_answer(app, base):
    from aijri_core.analyses import goal_seek

    assert not app.get("number_input")  # the tab is closed: nothing of it is drawn
    _open_tab(app, "Goal seek")

    assert app.number_input(key="goal_target").value == 48.0  # 49.1 is nearest to the GREEN line
    app.selectbox(key="goal_knob").set_value(f"task:{CUDA}:share").run()
    row = goal_seek(base, 48.0, f"task:{CUDA}:share").rows[0]
    assert row.reachable and row.direction == "down" and row.value == pytest.approx(3.99)  # break-even: 3.9
    answer = " ".join(shown(md.value) for md in app.markdown if f"{CUDA}: time %" in shown(md.value) and "gives" in md.value)
    assert f"down to **{row.value:.2f}** gives {row.score:.1f} {row.zone.label}" in answer
    app.button(key="goal_apply").click().run()
    assert_no_exception(app)
    applied = apply_changes(base, {f"task:{CUDA}:share": row.value})
    assert app.session_state["aijri.changes"] == {f"task:{CUDA}:share": row.value}
    assert score_text(app) == f"{score(applied).score:.1f}" == f"{row.score:.1f}"
    assert score(applied).score < 48.0  # the answer is past the target
    app.button(key="undo").click().run()
    assert score_text(app) == "49.1"


def test_goal_seek_to_a_typed_target_or_says_it_cannot(app, base):
    from aijri_core.analyses import goal_seek

    _open_tab(app, "Goal seek")

    app.number_input(key="goal_target").set_value(60.0).run()
    app.selectbox(key="goal_knob").set_value("growth").run()
    assert_no_exception(app)
    answer = " ".join(shown(md.value) for md in app.markdown if "AI growth correlation" in md.value)
    assert "cannot reach it within the range" in answer
    assert not app.get("button") or all(b.key != "goal_apply" for b in app.button)
    app.session_state["goal_more"] = True  # the expander opened
    app.run()
    table = _table(app, "goal_table")
    expected = goal_seek(base, 60.0).rows
    assert list(table["Input"]) == [r.label for r in expected]
    assert list(table["Value needed"]) == [
        (f"{r.value:.2f}" if r.knob_id.endswith(":share") else f"{r.value:g}") if r.reachable else r.text
        for r in expected]
    # a target the score is above: the first values that drop the role below it
    app.number_input(key="goal_target").set_value(30.0).run()
    app.selectbox(key="goal_knob").set_value(f"task:{GPU}:score").run()
    row = goal_seek(base, 30.0, f"task:{GPU}:score").rows[0]
    answer = " ".join(shown(md.value) for md in app.markdown if f"{GPU}: score" in shown(md.value) and "**" in md.value)
    assert (f"up to **{row.value:g}**" in answer) if row.reachable else (row.text in answer)


def test_charts_follow_the_sliders(app, base):
    app.slider(key="knob:evidence:company_actions").set_value(-2).run()
    current = set_value(base, "evidence:company_actions", -2)
    s = score(current)
    waterfall = chart_spec(app, "chart_waterfall")["data"][0]
    steps = decode_array(waterfall["y"])
    assert sum(steps[:4]) == pytest.approx(s.score_unclamped)
    assert steps[4] == pytest.approx(s.score_unclamped)
    scale = chart_spec(app, "chart_scale")
    role_point = scale["data"][-1]
    assert decode_array(role_point["x"]) == [s.score]
    zmap = chart_spec(app, "chart_zone_map")
    role = zmap["data"][-1]
    assert decode_array(role["x"]) == pytest.approx([s.task_resistance])
    assert decode_array(role["y"]) == pytest.approx([s.evidence_total])


def test_link_restores_role_changes_and_method(store_path):  # noqa: F811
    base = bundled_role(SLUG)
    at = new_app({"role": ROLE_KEY, "growth": "2", "ev.wage_trends": "-1", "m.green_threshold": "52"}).run()
    assert_no_exception(at)
    changed = set_value(set_value(base, "growth", 2), "evidence:wage_trends", -1)
    m = DEFAULT.with_changes(green_threshold=52)
    expected = score(changed, m)
    assert score_text(at) == f"{expected.score:.1f}"
    assert expected.zone_text in zone_markdown(at)
    assert at.slider(key="knob:growth").value == 2
    assert not error_texts(at)
    # the caption under the score says what differs from the published assessment
    captions = [shown(c.value) for c in at.main.caption]
    assert ("Published with the assessment: 49.1 GREEN (Transforming), before your changes. Your changes: "
            "2 inputs changed; the method is changed (Methodology page).") in captions, captions
    only_method = new_app({"role": ROLE_KEY, "m.green_threshold": "52"}).run()
    assert any(shown(c.value).endswith("No input changed yet; the method is changed (Methodology page).")
               for c in only_method.main.caption)


@pytest.mark.parametrize(
    "query",
    [
        {"role": ROLE_KEY, "growth": "7"},
        {"role": ROLE_KEY, "t99.score": "3"},
        {"role": ROLE_KEY, "t1.share": "abc"},
        {"role": "bundled:no-such-role"},
        {"role": ROLE_KEY, "m.yellow_threshold": "90"},
        {"role": ROLE_KEY, "growth": ["1", "2"]},
    ],
)
def test_tampered_link_shows_one_message_and_the_baseline(store_path, query):  # noqa: F811
    at = new_app(query).run()
    assert_no_exception(at)
    errors = error_texts(at)
    assert len(errors) == 1 and "link" in errors[0]
    assert score_text(at) == "49.1"
    assert at.session_state["aijri.changes"] == {}


def test_an_internal_error_shows_one_message_not_a_traceback(store_path, monkeypatch):  # noqa: F811
    from aijri_ui import cached

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.delenv("AIJRI_RAISE")
    monkeypatch.setattr(cached, "tornado_figure", broken)
    at = new_app().run()
    assert not at.exception
    errors = error_texts(at)
    assert len(errors) == 1 and "internal error" in errors[0] and "a bug" not in errors[0]
    assert score_text(at) == "49.1"  # what was drawn before the failure stays


def test_stale_share_values_sent_with_another_move_are_ignored(app, base):
    """A browser that has not drawn a share move yet sends the old shares with its next move."""
    from aijri_core import apply_changes

    kid = f"task:{GPU}:share"
    app.slider(key=f"knob:{kid}").set_value(26.0).run()
    moved = set_value(base, kid, 26.0)
    for k in knobs(base):  # what the slow browser still shows: the baseline shares
        if k.kind == "share" and k.id != kid:
            app.slider(key=f"knob:{k.id}").set_value(values(base)[k.id])
    app.slider(key="knob:barrier:regulatory").set_value(1).run()
    assert_no_exception(app)
    expected = apply_changes(moved, {"barrier:regulatory": 1})
    assert score_text(app) == f"{score(expected).score:.1f}"
    assert values(_state_assessment(app, base)) == pytest.approx(values(expected), abs=1e-9)
    # once the browser shows the new shares, moving one of them is a real move again (GPU stays set)
    serving = f"task:{SERVING}:share"
    app.slider(key=f"knob:{serving}").set_value(20.0).run()
    both = apply_changes(base, {kid: 26.0, serving: 20.0, "barrier:regulatory": 1})
    assert values(_state_assessment(app, base)) == pytest.approx(values(both), abs=1e-9)


def test_the_moves_a_user_made_are_counted_under_the_score_and_in_other_pages_sidebar(app, base):
    """Four slider moves read as four changes: the rescaled time shares are not counted. The Explorer
    says so under its score, the other pages in the sidebar."""
    moves = [("growth", 2), ("evidence:job_postings", 2), (f"task:{GPU}:share", 30), ("barrier:union", 1)]
    for kid, v in moves:
        app.slider(key=f"knob:{kid}").set_value(v).run()
    assert len(app.session_state["aijri.changes"]) == 4  # the share the user set, not the rescaled ones
    # the Explorer says so under its score (a move reruns only the page's fragment, not the sidebar)
    captions = [shown(c.value) for c in app.main.caption]
    assert any("Your changes: 4 inputs changed (time shares rebalanced)." in c for c in captions), captions
    assert not [c for c in app.sidebar.caption if "changed" in shown(c.value)]  # the sidebar names only the store
    app.slider(key=f"knob:task:{GPU}:score").set_value(3).run()
    assert any("Your changes: 5 inputs changed" in c for c in (shown(c.value) for c in app.main.caption))
    # a second share set is a sixth input (each share the user sets counts, as each is kept)
    app.slider(key=f"knob:task:{base.tasks[4].name}:share").set_value(5).run()
    assert len(app.session_state["aijri.changes"]) == 6
    assert any("Your changes: 6 inputs changed" in c for c in (shown(c.value) for c in app.main.caption))
    # the other pages say it in the sidebar
    open_page(app, "scenarios")
    assert any("6 inputs changed" in c for c in (shown(c.value) for c in app.sidebar.caption))


# ------------------------------------------------------------------ shares the user set stay put

CUDA = "CUDA/NCCL performance optimisation & debugging"
COST = "Cost management & GPU resource economics"


def _shares(at) -> dict[str, float]:
    return {k.target: at.slider(key=f"knob:{k.id}").value for k in knobs(bundled_role(SLUG)) if k.kind == "share"}


def test_a_share_the_user_set_stays_when_another_share_moves(app, base):
    app.slider(key=f"knob:task:{CUDA}:share").set_value(25.0).run()
    app.slider(key=f"knob:task:{COST}:share").set_value(20.0).run()
    assert_no_exception(app)
    shares = _shares(app)
    assert shares[CUDA] == 25.0 and shares[COST] == 20.0
    # the five tasks nobody set share the other 55% in their baseline proportions (25:20:15:10:5)
    assert shares[GPU] == pytest.approx(55 * 25 / 75) and shares[COLLAB] == pytest.approx(55 * 5 / 75)
    assert sum(shares.values()) == pytest.approx(100.0)
    expected = apply_changes(base, {f"task:{CUDA}:share": 25.0, f"task:{COST}:share": 20.0})
    assert score_text(app) == f"{score(expected).score:.1f}"


def test_a_share_move_is_limited_by_the_shares_the_user_set(app, base):
    """With 60% set elsewhere, a third share can take at most 40%; a message says why."""
    app.slider(key=f"knob:task:{CUDA}:share").set_value(30.0).run()
    app.slider(key=f"knob:task:{COST}:share").set_value(30.0).run()
    app.slider(key=f"knob:task:{GPU}:share").set_value(70.0).run()
    assert_no_exception(app)
    assert _shares(app)[GPU] == 40.0 and _shares(app)[CUDA] == 30.0
    warnings = [shown(w.value) for w in app.warning]
    assert any("at most 40.0%" in w and CUDA in w and COST in w for w in warnings), warnings
    assert not error_texts(app)


def test_locking_a_share_pins_it_and_unlocking_releases_it(app, base):
    assert task_headings(app)[COLLAB] == f"**{COLLAB}**" and not share_is_set(app, COLLAB)
    lock_switch(app, COLLAB).set_value(True).run()
    assert share_is_set(app, COLLAB)  # its slider says so ("5.0 (set)")
    # the name is unchanged: the open details (a popover known by its label) stay open
    assert task_headings(app)[COLLAB] == f"**{COLLAB}**"
    app.slider(key=f"knob:task:{GPU}:share").set_value(45.0).run()
    assert _shares(app)[COLLAB] == 5.0  # locked: it keeps its 5%
    assert task_headings(app)[GPU] == f"**{GPU}** *(changed)*" and share_is_set(app, GPU)
    # every task but one pinned: that one cannot move, and the message says why
    for t in base.tasks:
        if t.name not in (GPU, COLLAB, SERVING):
            lock_switch(app, t.name).set_value(True).run()
    before = _shares(app)[SERVING]
    app.slider(key=f"knob:task:{SERVING}:share").set_value(before + 5).run()
    assert _shares(app)[SERVING] == pytest.approx(before)
    assert any("every other task's share is set or locked" in shown(w.value) for w in app.warning)
    lock_switch(app, COLLAB).set_value(False).run()
    assert not share_is_set(app, COLLAB)
    assert f"task:{COLLAB}:share" not in app.session_state["aijri.changes"]


# ------------------------------------------------------------------ undo, redo, links


def test_undo_and_redo_step_through_the_moves(app, base):
    moves = [("growth", 2), (f"task:{GPU}:share", 30.0), ("barrier:union", 1)]
    states = [base]
    for kid, v in moves:
        app.slider(key=f"knob:{kid}").set_value(v).run()
        states.append(set_value(states[-1], kid, v))
    for expected in reversed(states[:-1]):
        app.button(key="undo").click().run()
        assert_no_exception(app)
        assert score_text(app) == f"{score(expected).score:.1f}"
        assert values(_state_assessment(app, base)) == pytest.approx(values(expected))
        assert app.slider(key="knob:growth").value == expected.growth_correlation
    assert app.button(key="undo").disabled
    for expected in states[1:3]:
        app.button(key="redo").click().run()
        assert values(_state_assessment(app, base)) == pytest.approx(values(expected))
    # a new move after undo: the undone future is gone
    app.slider(key="knob:evidence:wage_trends").set_value(2).run()
    assert app.button(key="redo").disabled
    app.button(key="undo").click().run()
    assert values(_state_assessment(app, base)) == pytest.approx(values(states[2]))


def test_undo_keeps_at_least_50_steps_and_takes_back_a_reset(app, base):
    values_walk = [(i % 5) - 2 for i in range(1, 61)]  # growth -1, 0, 1, 2, -2, ... (60 moves)
    for v in values_walk:
        app.slider(key="knob:growth").set_value(v).run()
    app.button(key="reset_baseline").click().run()
    app.button(key="undo").click().run()
    assert app.slider(key="knob:growth").value == values_walk[-1]
    for expected in reversed(values_walk[-51:-1]):
        app.button(key="undo").click().run()
        assert app.slider(key="knob:growth").value == expected
    assert_no_exception(app)


def test_link_carries_only_what_the_user_set_and_reopens_to_the_same_numbers(app, base):
    app.slider(key=f"knob:task:{CUDA}:share").set_value(22.0).run()
    app.slider(key=f"knob:task:{GPU}:score").set_value(3).run()
    link = dict(app.query_params.items())
    assert link == {"role": ROLE_KEY, "t4.share": "22", "t1.score": "3"}
    other = new_app(link).run()
    assert_no_exception(other)
    mine, theirs = _state_assessment(app, base), _state_assessment(other, base)
    assert values(theirs) == values(mine)  # exactly, not approximately
    assert score(theirs).score == score(mine).score
    assert score_text(other) == score_text(app) == f"{score(mine).score:.1f}"


def test_back_in_the_browser_brings_back_the_state_of_that_link(app, base, monkeypatch):
    """A Back press reruns the app with the older link: its state is shown again."""
    from aijri_ui import state

    app.slider(key="knob:growth").set_value(2).run()
    first = dict(app.query_params.items())
    app.slider(key="knob:barrier:union").set_value(2).run()
    assert app.query_params["bar.union"] == "2"
    monkeypatch.setattr(state, "_history_navigation", lambda: True)
    app.query_params.clear()
    app.query_params.update(first)
    app.run()
    assert_no_exception(app)
    expected = set_value(base, "growth", 2)
    assert score_text(app) == f"{score(expected).score:.1f}"
    assert app.slider(key="knob:barrier:union").value == 0
    assert app.session_state["aijri.changes"] == {"growth": 2}


# ------------------------------------------------------------------ response curves


def test_response_curves_are_the_cores_spider_with_its_break_even_points(app, base):
    from aijri_core.analyses import spider

    app.slider(key="knob:growth").set_value(0).run()
    current = set_value(base, "growth", 0)
    picked = ["growth", f"task:{CUDA}:share", "barrier:liability"]
    _open_tab(app, "Response curves")
    app.multiselect(key="curve_knobs").set_value(picked).run()
    assert_no_exception(app)
    spec = chart_spec(app, "chart_curves")
    import plotly.graph_objects as go

    go.Figure(spec)  # every property is one plotly knows
    curves = [d for d in spec["data"] if d.get("mode") == "lines+markers"]
    assert len(curves) == 3
    points = spider(current).rows
    flips = [r for r in break_even(current).rows if r.reachable]
    for trace, kid in zip(curves, picked, strict=True):
        mine = sorted((p for p in points if p.knob_id == kid), key=lambda p: p.value)
        assert decode_array(trace["y"]) == pytest.approx([p.score for p in mine])
        lo, hi = mine[0].value, mine[-1].value
        assert decode_array(trace["x"]) == pytest.approx([(p.value - lo) / (hi - lo) * 100 for p in mine])
        group = [d for d in spec["data"] if d.get("legendgroup") == trace["legendgroup"]]
        now = [d for d in group if d["name"].endswith(": now")][0]
        assert decode_array(now["y"]) == pytest.approx([score(current).score])
        diamonds = [d for d in group if d["name"].endswith(": zone changes")]
        expected = [r for r in flips if r.knob_id == kid]
        assert len(diamonds) == (1 if expected else 0)
        if expected:
            assert decode_array(diamonds[0]["y"]) == pytest.approx([r.score for r in expected])
    # growth 0 -> 1 puts the role back in GREEN: its diamond sits at +1 (3/4 of -2..+2)
    growth_flip = [d for d in spec["data"] if d["name"] == "AI growth correlation: zone changes"][0]
    assert decode_array(growth_flip["x"]) == [75.0]


def test_at_most_six_response_curves(app, base):
    _open_tab(app, "Response curves")
    app.multiselect(key="curve_knobs").set_value([k.id for k in knobs(base)][:6]).run()
    assert len([d for d in chart_spec(app, "chart_curves")["data"] if d.get("mode") == "lines+markers"]) == 6
    assert app.multiselect(key="curve_knobs").max_selections == 6


def test_a_tornado_click_puts_that_inputs_curve_first(monkeypatch):
    """The click event of a tornado bar names the bar's input by its row label."""
    from aijri_ui import state
    from aijri_ui.views import explorer_state

    label, kid = f"{COST}: score", f"task:{COST}:score"
    default = ["growth", "barrier:union", "evidence:wage_trends", f"task:{GPU}:score", f"task:{CUDA}:score",
               f"task:{GPU}:share"]
    fake = {"chart_tornado": {"click": [label]}}  # what aijri_ui.plot's click trigger holds
    monkeypatch.setattr(state.st, "session_state", fake)
    explorer_state.on_tornado_select("chart_tornado", {label: kid}, default)
    assert fake["aijri.curves"] == [kid, *default[:5]]  # first, and the oldest beyond six is dropped
    assert fake["aijri.analysis"] == "Response curves"  # and the curves' tab opens
    explorer_state.on_tornado_select("chart_tornado", {label: kid}, default)
    assert fake["aijri.curves"] == [kid, *default[:5]]  # clicking it again does not repeat it


# ------------------------------------------------------------------ Uncertainty settings in the link


def test_uncertainty_settings_live_in_the_link(store_path):  # noqa: F811
    from app_helpers import open_page

    from aijri_core.analyses import monte_carlo

    at = new_app({"role": ROLE_KEY, "mc.p": "0.5", "mc.n": "10000", "mc.seed": "7"})
    open_page(at, "uncertainty")
    assert_no_exception(at)
    assert (at.slider(key="mc_p").value, at.select_slider(key="mc_n").value, at.number_input(key="mc_seed").value) \
        == (0.5, 10_000, 7)
    mc = monte_carlo(bundled_role(SLUG), n=10_000, p=0.5, seed=7)
    assert {m.label: m.value for m in at.metric}["GREEN"] == f"{mc.p_green:.0%}"
    at.slider(key="mc_jitter").set_value(0.35).run()
    assert dict(at.query_params) == {"role": ROLE_KEY, "mc.p": "0.5", "mc.n": "10000", "mc.seed": "7",
                                     "mc.jitter": "0.35"}
    at.slider(key="mc_p").set_value(0.3).run()  # back to the default: out of the link
    assert "mc.p" not in dict(at.query_params)


def test_the_analyses_hold_the_shares_the_user_set(app, base):
    """A tornado or break-even on the current inputs moves only the tasks whose share is not set."""
    app.slider(key=f"knob:task:{CUDA}:share").set_value(25.0).run()
    current = apply_changes(base, {f"task:{CUDA}:share": 25.0})
    held = break_even(current, pinned=[CUDA])
    free = break_even(current)
    table = _table(app, "break_even_table")
    expected = [r for r in held.rows if r.status == "changes_zone"]
    assert list(table["Input"]) == [r.label for r in expected]
    assert list(table["Score then"]) == [f"{r.score:.1f}" for r in expected]
    # holding CUDA at 25% changes the answers of the other shares (this is not the unpinned table)
    assert [(r.label, r.value) for r in expected] != [(r.label, r.value) for r in free.rows if r.status == "changes_zone"]
    spec = chart_spec(app, "chart_tornado")
    labels, lows, highs = _tornado_rows_from_chart(spec)
    rows = {r.label: r for r in tornado(current, pinned=[CUDA]).rows}
    assert lows == pytest.approx([rows[lb].score_low for lb in labels])
    assert highs == pytest.approx([rows[lb].score_high for lb in labels])


def test_a_stale_lock_switch_sent_with_another_move_is_ignored(app, base):
    """After a share move the server turns that task's lock on; a browser that has not drawn it yet
    sends the switch as off with its next move, which must not free the share."""
    kid, score_id = f"task:{GPU}:share", f"task:{GPU}:score"
    # the task is already changed, so its name stays the same and its open details stay open
    app.slider(key=f"knob:{score_id}").set_value(3).run()
    assert lock_switch(app, GPU).value is False  # the task's details are open: its lock is drawn
    heading = task_headings(app)[GPU]
    app.slider(key=f"knob:{kid}").set_value(26.0).run()
    assert task_headings(app)[GPU] == heading
    assert lock_switch(app, GPU).value is True
    lock_switch(app, GPU).set_value(False)  # what the slow browser still shows
    for k in knobs(base):
        if k.kind == "share" and k.id != kid:
            app.slider(key=f"knob:{k.id}").set_value(values(base)[k.id])
    app.slider(key="knob:barrier:regulatory").set_value(1).run()
    assert app.session_state["aijri.changes"] == {score_id: 3, kid: 26.0, "barrier:regulatory": 1}
    # alone, switching the lock off is the user's own move
    lock_switch(app, GPU).set_value(False).run()
    assert app.session_state["aijri.changes"] == {score_id: 3, "barrier:regulatory": 1}


def test_changes_that_add_a_task_are_kept_in_the_state(monkeypatch, base):
    """A scenario that adds a task names knobs the baseline does not have: the state keeps them."""
    from aijri_ui import keys, state

    fake = {keys.ROLE: ROLE_KEY, keys.BASE_JSON: base.model_dump_json(), keys.CHANGES: {}}
    monkeypatch.setattr(state.st, "session_state", fake)
    wanted = {"growth": 2, "task:Prompt tooling:share": 10.0, "task:Prompt tooling:score": 4}
    state.set_changes(wanted)
    assert fake[keys.CHANGES] == wanted
    assert [t.name for t in apply_changes(base, fake[keys.CHANGES]).tasks][-1] == "Prompt tooling"


# ------------------------------------------------------------------ a reshaped role in the Explorer and its link

NEW = "AI platform cost engineering"
MONITORING = "Monitoring, observability & incident response"


def test_a_path_step_that_adds_a_task_opens_in_the_explorer_with_its_sliders_and_link(app, base):
    from app_helpers import PAGES, open_page

    open_page(app, "scenarios")
    app.text_input(key="builder_new_task").set_value(NEW)
    app.number_input(key="builder_new_share").set_value(20.0)
    app.number_input(key="builder_new_score").set_value(2)
    app.button(key="builder_add_task").click().run()
    app.button(key="builder_add").click().run()
    app.selectbox(key="builder_drop_task").set_value(MONITORING)
    app.button(key="builder_drop").click().run()
    app.button(key="builder_open").click().run()  # the step being edited: the task added, monitoring removed
    assert_no_exception(app)
    changes = {f"task:{NEW}:share": 20.0, f"task:{NEW}:score": 2, f"task:{MONITORING}:remove": 1}
    assert app.session_state["aijri.changes"] == changes
    expected = score(apply_changes(base, changes))
    # hand-checked: without monitoring the others weigh 225/90 = 2.5 and fill 80%, the new task 20% x 2:
    # 2.5 x 0.8 + 0.4 = 2.4, TR 3.6: (3.6 x 1.2852 - 0.54) / 7.93 = 51.53 -> 51.5
    assert score_text(app) == f"{expected.score:.1f}" == "51.5"
    assert not [shown(w.value) for w in app.warning if "not shown" in w.value]
    # the added task has its sliders (score, share) and its lock; the removed task has none
    assert app.slider(key=f"knob:task:{NEW}:score").value == 2
    assert app.slider(key=f"knob:task:{NEW}:share").value == pytest.approx(20.0)
    assert task_headings(app)[NEW] == f"**{NEW}** *(added)*"
    assert share_is_set(app, NEW)  # an added task's share is always set
    keys = {s.key for s in app.slider}
    assert not [k for k in keys if MONITORING in k]
    assert [c for c in app.caption if shown(c.value).startswith(f"Removed from the role: {MONITORING}.")]
    # and the link carries it, in words
    assert dict(app.query_params) == {"role": ROLE_KEY, "t6.remove": "1", "n1.name": NEW, "n1.share": "20",
                                      "n1.score": "2"}
    # its sliders move it like any other task (AppTest reruns the page it last switched to: the Explorer)
    app.switch_page(PAGES["explorer"]).run()
    assert lock_switch(app, NEW).value is True  # and its lock says so
    app.slider(key=f"knob:task:{NEW}:score").set_value(4).run()
    assert_no_exception(app)
    assert app.session_state["aijri.changes"][f"task:{NEW}:score"] == 4
    assert dict(app.query_params)["n1.score"] == "4"
    moved = score(apply_changes(base, {**changes, f"task:{NEW}:score": 4}))
    assert score_text(app) == f"{moved.score:.1f}"
    app.slider(key=f"knob:task:{NEW}:share").set_value(30.0).run()
    assert dict(app.query_params)["n1.share"] == "30"
    lock_switch(app, NEW).set_value(False).run()  # unlocking cannot drop the added task
    assert app.session_state["aijri.changes"][f"task:{NEW}:share"] == 30.0
    assert [shown(i.value) for i in app.info if "always set" in i.value]
    # an added task's response curve can be picked, and the link names it by its n number
    _open_tab(app, "Response curves")
    app.multiselect(key="curve_knobs").set_value([f"task:{NEW}:score", "growth"]).run()
    assert dict(app.query_params)["curves"] == "n1.score,growth"
    assert len([d for d in chart_spec(app, "chart_curves")["data"] if d.get("mode") == "lines+markers"]) == 2


def test_a_link_that_reshapes_the_role_opens_it(store_path, base):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "n1.name": NEW, "n1.share": "20", "n1.score": "2", "n1.mode": "displacement",
                  "t6.remove": "1", "t1.mode": "not_involved"}).run()
    assert_no_exception(at)
    assert not error_texts(at)
    changes = {f"task:{NEW}:share": 20.0, f"task:{NEW}:score": 2, f"task:{NEW}:mode": 1,
               f"task:{MONITORING}:remove": 1, f"task:{GPU}:mode": 2}
    assert at.session_state["aijri.changes"] == changes
    assert score_text(at) == f"{score(apply_changes(base, changes)).score:.1f}"
    assert at.slider(key=f"knob:task:{NEW}:score").value == 2
    assert not [s.key for s in at.slider if MONITORING in s.key]


def test_a_bad_reshaping_link_shows_one_message_and_the_baseline(store_path):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "n1.name": NEW, "n1.share": "20"}).run()
    assert_no_exception(at)
    errors = error_texts(at)
    assert len(errors) == 1 and "n1.score is missing" in errors[0]
    assert score_text(at) == "49.1" and at.session_state["aijri.changes"] == {}


def test_response_curve_picks_live_in_the_link(store_path, base):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "curves": "growth,t4.share"}).run()
    assert_no_exception(at)
    _open_tab(at, "Response curves")
    assert at.multiselect(key="curve_knobs").value == ["growth", f"task:{CUDA}:share"]
    assert len([d for d in chart_spec(at, "chart_curves")["data"] if d.get("mode") == "lines+markers"]) == 2
    at.multiselect(key="curve_knobs").set_value(["barrier:liability", "growth"]).run()
    assert dict(at.query_params) == {"role": ROLE_KEY, "curves": "bar.liability,growth"}
    at.multiselect(key="curve_knobs").set_value([]).run()
    assert "curves" not in dict(at.query_params)
    bad = new_app({"role": ROLE_KEY, "curves": "growth,growth"}).run()
    assert len(error_texts(bad)) == 1 and "given twice" in error_texts(bad)[0]


def test_a_set_share_slider_hides_its_min_and_max_labels(app, base):
    """The "(set)" format would show on the slider's min and max labels too ("0.0 (set)", "100.0 (set)")."""
    from aijri_ui.components import key_class

    app.slider(key=f"knob:task:{GPU}:share").set_value(30).run()
    styles = [e.proto.body for e in app.get("html") if "stSliderTickBar" in e.proto.body]
    assert len(styles) == 1
    assert f".{key_class(f'knob:task:{GPU}:share')} [data-testid=\"stSliderTickBar\"]" in styles[0]
    assert key_class("knob:task:A & b/c:share") == "st-key-knob-task-A---b-c-share"


def test_a_locked_derived_share_is_held_and_linked_with_the_fewest_decimals_that_show_the_same(app, base):
    """Locking a share the rule derived holds it as the shortest decimal that shows the same
    score, zone and shares; the link carries exactly that, and reopens to exactly that state."""
    app.slider(key=f"knob:task:{GPU}:share").set_value(2.0).run()
    app.slider(key=f"knob:task:{SERVING}:share").set_value(5.0).run()
    derived = _shares(app)[COLLAB]
    assert derived == 93 * 5 / 55  # hand-checked: 93% left for 15+15+10+10+5 = 55 points, COLLAB has 5: 8.4545...
    before = score_text(app)
    lock_switch(app, COLLAB).set_value(True).run()
    assert_no_exception(app)
    # 8.5 shows the same (the others: 84.5 x 15/50 = 25.35 -> 25.4 as 25.36 did; 16.9 as 16.91 did)
    assert app.session_state["aijri.changes"][f"task:{COLLAB}:share"] == 8.5
    assert score_text(app) == before
    link = dict(app.query_params)
    assert link["t7.share"] == "8.5"
    assert all(len(v) <= 4 for k, v in link.items() if k.endswith(".share")), link
    again = new_app(link).run()
    assert_no_exception(again)
    assert again.session_state["aijri.changes"] == app.session_state["aijri.changes"]
    assert score_text(again) == before
    assert dict(again.query_params) == link


def test_a_link_with_response_curves_opens_on_them(store_path):  # noqa: F811
    at = new_app({"role": "bundled:ai-infrastructure-engineer", "curves": "growth"}).run()
    assert_no_exception(at)
    assert at.session_state["analysis_tabs"] == "Response curves"


@pytest.mark.parametrize(("word", "label"), [("goal", "Goal seek"), ("curves", "Response curves"),
                                             ("breakeven", "What it takes to change zone")])
def test_a_link_keeps_the_analysis_shown(store_path, word, label):  # noqa: F811
    """The analysis picked travels in the link (``analysis=``, only when not the link's default) and
    a link opens on it; with curves named the default is the response curves, else the break-even."""
    at = new_app({"role": ROLE_KEY}).run()
    at.segmented_control(key="analysis_tabs").set_value(label).run()
    assert_no_exception(at)
    link = dict(at.query_params)
    assert link.get("analysis") == (None if word == "breakeven" else word)
    again = new_app(link).run()
    assert_no_exception(again)
    assert not error_texts(again)
    assert again.session_state["analysis_tabs"] == label
    # with curves picked, the curves are the link's default and the break-even is written
    if word == "curves":
        at.multiselect(key="curve_knobs").set_value(["growth"]).run()
        at.segmented_control(key="analysis_tabs").set_value("Goal seek").run()
        assert dict(at.query_params)["analysis"] == "goal"
        at.segmented_control(key="analysis_tabs").set_value("What it takes to change zone").run()
        assert dict(at.query_params) == {"role": ROLE_KEY, "curves": "growth", "analysis": "breakeven"}
        opened = new_app(dict(at.query_params)).run()
        assert opened.session_state["analysis_tabs"] == "What it takes to change zone"


def test_a_link_with_a_wrong_analysis_names_the_allowed_ones(store_path):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "growth": "2", "analysis": "tornado"}).run()
    assert_no_exception(at)
    assert any("analysis='tornado'" in t and "allowed: breakeven, goal, curves" in t for t in error_texts(at))
    assert at.session_state["aijri.changes"] == {}


_ALL_REMOVED = {f"t{i}.remove": "1" for i in range(1, 8)}
_SOLO = {"n1.name": "Solo", "n1.share": "100", "n1.score": "2"}


@pytest.mark.parametrize(
    ("query", "tasks"),
    [
        ({**_ALL_REMOVED, **_SOLO}, ["Solo"]),  # every task removed, one added in their place
        ({k: v for k, v in _ALL_REMOVED.items() if k != "t1.remove"}, [GPU]),  # one task kept
        ({**{k: v for k, v in _ALL_REMOVED.items() if k != "t1.remove"}, **_SOLO, "n1.share": "40"}, [GPU, "Solo"]),
    ],
    ids=["solo", "one-kept", "one-kept-one-added"],
)
def test_every_reshaped_role_is_drawn_whole(store_path, base, query, tasks):  # noqa: F811
    """A link that leaves one task (or adds one in place of all) shows the score, every slider
    and every chart: a one-task role has no share slider, and the share the link set stays a pin."""
    at = new_app({"role": ROLE_KEY, **query}).run()
    assert_no_exception(at)
    assert not error_texts(at)
    current = apply_changes(base, at.session_state["aijri.changes"])
    assert [t.name for t in current.tasks] == tasks
    # hand-checked: one task of score 2 at 100% (GPU, or the added one): TR 4, (4 x 1.2852 - 0.54) / 7.93 = 58.0;
    # GPU (2) at 60% and Solo (2) at 40%: the same
    assert score_text(at) == "58.0" == f"{score(current).score:.1f}"
    assert {s.key for s in at.slider} == {f"knob:{kid}" for kid in values(current)}
    for key in ("chart_scale", "chart_waterfall", "chart_tornado", "chart_zone_map"):
        assert chart_spec(at, key)["data"], key
    for tab in ("Goal seek", "Response curves"):
        _open_tab(at, tab)
        assert_no_exception(at)
        assert not error_texts(at), tab
    curves = [f"task:{n}:score" for n in tasks]
    at.multiselect(key="curve_knobs").set_value([*curves, "growth"]).run()
    assert_no_exception(at)
    assert not error_texts(at)
    assert len([d for d in chart_spec(at, "chart_curves")["data"] if d.get("mode") == "lines+markers"]) == len(curves) + 1
    # the only task's score moves as any other knob: 3 on every task at 100% -> TR 3, (3 x 1.2852 - 0.54) / 7.93 = 41.8
    for name in tasks:
        at.slider(key=f"knob:task:{name}:score").set_value(3).run()
    assert_no_exception(at)
    assert not error_texts(at)
    assert score_text(at) == "41.8"
