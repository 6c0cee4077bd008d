"""Chart builders: the figures carry the core's numbers, titles, axis labels and the one zone palette."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aijri_core import Scenario, bundled_role, figures, score, set_value
from aijri_core.figures import ZONE_COLOURS, composite_steps
from aijri_core.figures._base import _wrap
from aijri_core.methodology import DEFAULT, Zone
from aijri_core.scoring import breakdown

BASE = bundled_role("ai-infrastructure-engineer")


def _title(fig: go.Figure) -> str:
    figures.validate(fig)  # every builder's output passes plotly's own validation
    return fig.layout.title.text or ""


def _has_hover(fig: go.Figure) -> bool:
    return all(t.hovertemplate for t in fig.data)


def _axis_titles(fig: go.Figure) -> tuple[str, str]:
    return (fig.layout.xaxis.title.text or "", fig.layout.yaxis.title.text or "")


def test_zone_palette_is_one_colour_per_zone():
    assert set(ZONE_COLOURS) == set(Zone)
    assert len(set(ZONE_COLOURS.values())) == 3
    assert figures.zone_colour("green") == figures.zone_colour(Zone.GREEN)


def test_zone_bands_follow_the_methodology():
    assert figures.zone_bands(DEFAULT) == [(Zone.RED, 0.0, 25.0), (Zone.YELLOW, 25.0, 48.0), (Zone.GREEN, 48.0, 100.0)]
    m = DEFAULT.with_changes(green_threshold=60, yellow_threshold=30)
    assert figures.zone_bands(m) == [(Zone.RED, 0.0, 30.0), (Zone.YELLOW, 30.0, 60.0), (Zone.GREEN, 60.0, 100.0)]


def test_score_scale_marks_score_baseline_and_comparators():
    fig = figures.score_scale_figure(46.4, baseline=49.1, comparators=BASE.comparators)
    role = fig.data[-1]
    assert list(role.x) == [46.4]
    assert role.marker.color == ZONE_COLOURS[Zone.YELLOW]
    baseline = [t for t in fig.data if t.mode == "lines"][0]
    assert list(baseline.x) == [49.1, 49.1]
    comps = fig.data[0]
    assert sorted(comps.x) == sorted(c.score for c in BASE.comparators)
    assert ZONE_COLOURS[Zone.RED] in comps.marker.color  # DevOps Engineer 10.7
    assert "46.4" in _title(fig) and "YELLOW" in _title(fig)
    assert _axis_titles(fig)[0] and _has_hover(fig)
    assert len(fig.layout.shapes) >= 3  # the three zone bands (+ threshold lines)


def test_score_scale_widens_for_unclamped_scores():
    fig = figures.score_scale_figure(109.7, methodology=DEFAULT.with_changes(clamp=False))
    assert fig.layout.xaxis.range[1] > 109.7


def test_composite_steps_rebuild_the_seed_score():
    s = score(BASE)
    b = breakdown(BASE)
    steps = composite_steps(b)
    assert [st["label"] for st in steps] == ["Task resistance", "x evidence", "x barriers", "x growth", "Score"]
    # TR 3.45 alone: (3.45 - 0.54) / 7.93 x 100 = 36.70 points
    assert steps[0]["value"] == pytest.approx((3.45 - 0.54) / 7.93 * 100)
    assert sum(st["value"] for st in steps[:4]) == pytest.approx(s.score_unclamped)
    assert steps[4]["raw"] == pytest.approx(4.4339, abs=5e-5)
    fig = figures.composite_waterfall(b)
    assert list(fig.data[0].y) == pytest.approx([st["value"] for st in steps])
    assert "49.1" in fig.data[0].text[-1]
    assert _axis_titles(fig)[1] and _title(fig) and _has_hover(fig)


def test_tornado_figure_carries_the_tornado_rows():
    from aijri_core.analyses import tornado

    result = tornado(set_value(BASE, "growth", 0))
    fig = figures.tornado_figure(result)
    low, high = fig.data
    rows = list(result.rows)[::-1]
    assert list(low.y) == [r.label for r in rows]
    assert np.asarray(low.base) + np.asarray(low.x) == pytest.approx([r.score_low for r in rows])
    assert np.asarray(high.base) + np.asarray(high.x) == pytest.approx([r.score_high for r in rows])
    for trace, end in ((low, "low"), (high, "high")):
        widths = trace.marker.line.width
        for r, w, colour in zip(rows, widths, trace.marker.color, strict=True):
            assert (w > 0) == getattr(r, f"crosses_{end}")  # crossing bars are outlined
            assert colour == ZONE_COLOURS[getattr(r, f"zone_{end}")]
    assert _axis_titles(fig)[0] and _title(fig) and _has_hover(fig)


def test_zone_map_figure_draws_zones_boundaries_and_the_role():
    from aijri_core.analyses import zone_map

    result = zone_map(BASE)
    fig = figures.zone_map_figure(result)
    areas = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in areas] == ["RED", "YELLOW", "GREEN"]
    assert [t.fillcolor for t in areas] == [figures.ZONE_FILL_COLOURS[z] for z in (Zone.RED, Zone.YELLOW, Zone.GREEN)]
    # every grid cell lies in the area of its own zone: the green area starts at the green boundary
    green = areas[2]
    for row, e in enumerate(result.evidence_total):
        xs = [x for x, y in zip(green.x, green.y, strict=True) if y == e]
        start = min(xs)
        assert all(code == 2 for code in result.zone_code[row][result.task_resistance > start + 1e-9])
        assert all(code < 2 for code in result.zone_code[row][result.task_resistance < start - 1e-9])
    lines = [t for t in fig.data if t.mode == "lines" and not t.fill]
    assert len(lines) == len(result.boundaries)
    for line, (_, xs) in zip(lines, sorted(result.boundaries.items(), reverse=True), strict=True):
        assert np.allclose(np.asarray(line.x, dtype=float), xs, equal_nan=True)
    role = fig.data[-1]
    assert list(role.x) == pytest.approx([score(BASE).task_resistance])
    assert list(role.y) == [5]
    assert all(_axis_titles(fig)) and _has_hover(fig)


def test_histogram_figure_shows_every_draw():
    from aijri_core.analyses.uncertainty import monte_carlo

    mc = monte_carlo(BASE, n=5_000, seed=3)
    fig = figures.histogram_figure(mc)
    bars = fig.data[0]
    assert sum(bars.y) == pytest.approx(100.0)
    centre_zones = [c for c in bars.marker.color]
    assert set(centre_zones) <= set(ZONE_COLOURS.values())
    assert all(_axis_titles(fig)) and "p = 0.3" in _title(fig) and _has_hover(fig)
    imp = figures.importance_figure(mc.importance)
    assert set(imp.data[0].x) <= {float(i.rank_correlation) for i in mc.importance}
    assert _axis_titles(imp)[0] and _has_hover(imp)


def test_attribution_waterfall_adds_up():
    from aijri_core.analyses.attribution import attribute

    sc = Scenario(name="s", changes={"growth": 2, "evidence:wage_trends": -1, "barrier:union": 2})
    att = attribute(BASE, sc)
    fig = figures.attribution_waterfall(att)
    y = list(fig.data[0].y)
    assert y[0] == pytest.approx(att.base_score) and y[-1] == pytest.approx(att.scenario_score)
    assert y[0] + sum(y[1:-1]) == pytest.approx(att.scenario_score)
    assert fig.data[0].measure[-1] == "total"
    by_knob = figures.attribution_waterfall(att, by="knobs")
    assert len(by_knob.data[0].y) == len(att.knobs) + 2
    assert _axis_titles(fig)[1] and _has_hover(fig)


def test_trajectory_figure_draws_each_path_over_the_bands():
    paths = {"Career": [("Junior", 38.0), ("Mid", 49.1), ("Senior", 60.2)], "Market": [("2026", 49.1), ("2028", 44.0)]}
    fig = figures.trajectory_figure(paths, baseline=49.1)
    lines = [t for t in fig.data if t.mode and "lines" in t.mode]
    assert [t.name for t in lines] == ["Career", "Market"]
    assert list(lines[0].y) == [38.0, 49.1, 60.2]
    # steps aligned by step number, one panel per path with its own step labels
    assert list(lines[0].x) == [0, 1, 2] and list(lines[1].x) == [0, 1]
    assert (lines[0].xaxis, lines[1].xaxis) == ("x", "x2")
    assert list(fig.layout.xaxis.ticktext) == ["Junior", "Mid", "Senior"]
    assert list(fig.layout.xaxis2.ticktext) == ["2026", "2028"]
    assert fig.layout.yaxis.range == fig.layout.yaxis2.range
    # zones only as bands and marker rings; line colours are never zone colours
    zone_colours = set(ZONE_COLOURS.values())
    assert list(lines[0].marker.line.color) == [ZONE_COLOURS[Zone.YELLOW], ZONE_COLOURS[Zone.GREEN], ZONE_COLOURS[Zone.GREEN]]
    assert all(t.line.color not in zone_colours and t.marker.color == "white" for t in lines)
    assert len({t.line.color for t in lines}) == 2
    # every panel named after its path in full, in the line's colour; no second, cut label at the line's end
    for t in lines:
        named = [a for a in fig.layout.annotations if a.text == f"<b>{t.name}</b>"]
        assert len(named) == 1 and named[0].font.color == t.line.color
    assert not [a for a in fig.layout.annotations if a.xref in ("x", "x2")]
    # the legend is what is drawn: the rings' zone colours, no entry for a line it does not show
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == ["GREEN (48+)", "YELLOW (25 to 48)", "RED (below 25)"]
    assert [t.marker.line.color for t in legend] == [ZONE_COLOURS[z] for z in (Zone.GREEN, Zone.YELLOW, Zone.RED)]
    assert all(_axis_titles(fig)) and _has_hover(fig)


def test_trajectory_panels_wrap_into_rows():
    paths = {f"Path {i}": [("a", 40.0 + i), ("b", 50.0)] for i in range(5)}
    fig = figures.trajectory_figure(paths)
    assert fig.layout.xaxis4.domain[0] == fig.layout.xaxis.domain[0]  # 3 per row: the 4th starts row 2
    assert fig.layout.yaxis4.domain[1] < fig.layout.yaxis.domain[0]
    assert fig.layout.height > figures.trajectory_figure({"p": paths["Path 0"]}).layout.height


def _every_figure() -> list[go.Figure]:
    """One figure of every builder."""
    from aijri_core.analyses import break_even, spider, tornado, zone_map
    from aijri_core.analyses.attribution import attribute
    from aijri_core.analyses.uncertainty import monte_carlo

    mc = monte_carlo(BASE, n=2_000, seed=1)
    curves = ["growth", "task:GPU cluster & training infrastructure management:share"]
    return [
        figures.score_scale_figure(49.1, 46.4, BASE.comparators),
        figures.composite_waterfall(breakdown(BASE)),
        figures.tornado_figure(tornado(BASE, mode="range")),
        figures.zone_map_figure(zone_map(BASE)),
        figures.attribution_waterfall(attribute(BASE, Scenario(name="s", changes={"growth": 2}))),
        figures.trajectory_figure({"p": [("a", 40.0), ("b", 50.0)]}, baseline=49.1),
        figures.histogram_figure(mc),
        figures.importance_figure(mc.importance),
        figures.response_curves_figure(spider(BASE), curves, break_even(BASE), score(BASE).score),
        figures.trajectory_figure({f"Path {i}": [("Baseline", 49.1), ("Takes on AI platform cost work", 57.5),
                                                ("Hands monitoring to the platform team", 44.0)] for i in range(4)},
                                 baseline=49.1),
    ]


def _font_sizes(node, where: str = "") -> list[tuple[str, float]]:
    """(path, size) of every font size a figure sets (text, ticks, titles, legend, labels, hover)."""
    out: list[tuple[str, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}"
            if key.endswith("font") and isinstance(value, dict) and value.get("size") is not None:
                sizes = value["size"] if isinstance(value["size"], list | tuple) else [value["size"]]
                out += [(path, float(v)) for v in sizes]
            out += _font_sizes(value, path)
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            out += _font_sizes(value, f"{where}[{i}]")
    return out


def test_every_chart_text_is_at_least_11_px():
    for fig in _every_figure():
        sizes = _font_sizes(fig.to_plotly_json())
        assert sizes, "the builders set their font sizes"
        small = [(path, v) for path, v in sizes if v < 11]
        assert not small, (fig.layout.title.text, small)
    assert figures.FONT["size"] >= 11  # the base font every text without its own size takes


def test_the_theme_is_a_valid_plotly_template():
    # plotly checks every property name and value: a typo or a wrong value raises.
    template = go.layout.Template(figures.TEMPLATE)
    assert template.layout.font.family == '"Source Sans", sans-serif'
    assert template.layout.xaxis.gridcolor == template.layout.yaxis.gridcolor


def test_every_figure_carries_the_one_theme():
    """The look travels with the figure: the app, the report and the tests draw the same chart
    (and plotly's or Streamlit's default template never stands in for it)."""
    expected = go.layout.Template(figures.TEMPLATE).to_plotly_json()
    for fig in _every_figure():
        assert fig.layout.template.to_plotly_json() == expected, fig.layout.title.text


def test_every_builder_passes_plotly_validation():
    figs = _every_figure()
    for fig in figs:
        checked = figures.validate(fig)  # raises on any property plotly does not know
        assert checked.layout.title.text == fig.layout.title.text
        assert fig.to_json()


def test_tornado_labels_never_overlap():
    """An end that cannot move (a barrier at 0) or lands on the current score draws no label;
    two ends on the same side show only the farther one's label."""
    from aijri_core.analyses import tornado

    result = tornado(BASE)
    fig = figures.tornado_figure(result)
    low, high = fig.data
    rows = list(result.rows)[::-1]
    union = rows.index(next(r for r in rows if r.knob_id == "barrier:union"))
    assert rows[union].low_value == rows[union].base_value == 0  # the seed has no union barrier
    assert low.text[union] == "" and high.text[union] == f"{rows[union].score_high:.1f}"
    for r, lt, ht in zip(rows, low.text, high.text, strict=True):
        d_low, d_high = r.score_low - result.base_score, r.score_high - result.base_score
        assert (lt != "") <= (d_low != 0) and (ht != "") <= (d_high != 0)
        if lt and ht:
            assert d_low * d_high < 0  # labels on opposite sides of the current score
        if d_low and r.low_value != r.base_value and d_low * d_high <= 0:
            assert lt.startswith(f"{r.score_low:.1f}")
    assert "current 49.1" in [a.text for a in fig.layout.annotations]


def test_tornado_shows_the_largest_swings_first_and_says_when_none_cross():
    from aijri_core.analyses import tornado

    result = tornado(BASE)
    fig = figures.tornado_figure(result, max_rows=figures.TORNADO_TOP_ROWS)
    shown = list(fig.data[0].y)
    assert shown == [r.label for r in result.rows[: figures.TORNADO_TOP_ROWS]][::-1]
    assert f"15 largest of {len(result.rows)}" in fig.layout.title.subtitle.text
    assert list(fig.layout.yaxis.tickvals) == shown  # the full label stays the category (hover)
    # each name in full, never cut, on lines of at most 34 characters (plotly shows "&amp;" as "&")
    for label, tick in zip(shown, fig.layout.yaxis.ticktext, strict=True):
        lines = html.unescape(tick).split("<br>")
        assert " ".join(lines) == label and "\u2026" not in tick
        assert all(len(x) <= 34 for x in lines), lines
    assert max(len(html.unescape(t).split("<br>")) for t in fig.layout.yaxis.ticktext) == 2
    assert any("&amp;" in t for t in fig.layout.yaxis.ticktext)  # the seed's "GPU cluster & ..."
    far = tornado(set_value(set_value(BASE, "growth", 2), "evidence:job_postings", 2))  # ~57: far from 48
    assert not any(r.crosses for r in far.rows)
    assert "no single input changes the zone" in figures.tornado_figure(far).layout.title.subtitle.text.lower()
    n = sum(1 for r in result.rows if r.crosses)
    assert n and f"({n} input" in figures.tornado_figure(result).layout.title.subtitle.text


def test_short_label_keeps_the_part_after_the_colon():
    assert figures.short_label("Barrier: Union / collective bargaining") == "Barrier: Union / collective bargaining"
    short = figures.short_label("GPU cluster & training infrastructure management: time %")
    assert short.endswith("\u2026: time %") and short.startswith("GPU cluster") and len(short) <= 40


def test_attribution_waterfall_zooms_on_the_change_and_labels_zero_parts_0():
    from aijri_core.analyses.attribution import attribute

    att = attribute(BASE, Scenario(name="s", changes={"growth": 2}))  # growth alone: +2.66 (49.1 -> 51.8)
    fig = figures.attribution_waterfall(att)
    bars = fig.data[0]
    parts = list(att.groups)
    assert [float(p.contribution) for p in parts if abs(p.contribution) >= 0.005] == pytest.approx([att.change])
    assert list(bars.text[1:-1]) == ["0" if abs(p.contribution) < 0.005 else f"{p.contribution:+.2f}" for p in parts]
    assert bars.text[1:-1].count("0") == len(parts) - 1
    y0, y1 = fig.layout.yaxis.range
    assert 30 < y0 < att.base_score and att.scenario_score < y1 < 70  # not 0..60
    assert bars.totals.marker.color == figures.TOTAL_GREY
    assert bars.totals.marker.color not in ZONE_COLOURS.values() and bars.totals.marker.color != figures.ACCENT


def test_trajectory_step_labels_wrap_and_names_are_shown_as_written():
    long = "Browser: growth +2, postings 0"
    fig = figures.trajectory_figure({"<b>p</b>": [("Baseline", 49.1), (long, 57.5)]}, baseline=49.1)
    assert [c[0] for c in fig.data[0].customdata] == ["Baseline", long]  # the hover keeps the full label
    wrapped = fig.layout.xaxis.ticktext[1]
    assert "<br>" in wrapped and wrapped.replace("<br>", " ") == long
    assert fig.layout.xaxis.tickangle == 0
    assert any(a.text == "<b>&lt;b&gt;p&lt;/b&gt;</b>" for a in fig.layout.annotations)  # a name is text, not markup
    # a long path name is shown in full (wrapped), never cut
    name = "Alex: towards platform economics and a second long part of the name"
    title = figures.trajectory_figure({name: [("Start", 49.1), ("Year 1", 50.9)]}).layout.annotations[0].text
    assert "\u2026" not in title and title.removeprefix("<b>").removesuffix("</b>").replace("<br>", " ") == name
    assert _wrap("a" * 40, 10) == "a" * 9 + "\u2026"


@given(st.lists(st.text(alphabet="abc &()/", min_size=1, max_size=12).map(str.strip).filter(bool), min_size=1,
                max_size=12), st.sampled_from(["", ": score", ": time %"]), st.integers(12, 40))
@example(["a", "aa", "aaaaa", "aaaaaaaaaaaa"], ": score", 23)  # the colon alone would overflow the full line
def test_row_labels_wrap_whole_and_are_never_cut(words, part, width):
    from aijri_core.figures._base import label_lines

    label = " ".join(" ".join(words).split()) + part
    lines = label_lines(label, width)
    assert " ".join(lines) == label  # nothing cut, nothing added
    for line in lines:  # a line passes the width only when it is one word (with its ": part")
        assert len(line) <= width or " " not in line.removesuffix(part).strip(), lines


def test_comparator_labels_sit_on_boxes_above_the_lines():
    fig = figures.score_scale_figure(49.1, baseline=46.4, comparators=BASE.comparators)
    boxed = {a.text: a for a in fig.layout.annotations if a.bgcolor}
    assert set(boxed) == {f"{c.title} {c.score:.1f}" for c in BASE.comparators} | {"baseline 46.4"}
    dots = fig.data[0]
    for x, y in zip(dots.x, dots.y, strict=True):  # each label under its own dot
        assert any(a.x == x and a.y == y for a in boxed.values())


def test_importance_colours_are_not_the_zone_colours():
    from aijri_core.analyses.uncertainty import monte_carlo

    imp = figures.importance_figure(monte_carlo(BASE, n=2_000, seed=2).importance)
    assert not set(imp.data[0].marker.color) & set(ZONE_COLOURS.values())


def test_names_in_chart_titles_and_labels_are_text_not_markup():
    """plotly reads a few HTML tags in its text: a role's or a path's name is escaped wherever
    a chart shows it (title, labels, hover), so it shows as typed."""
    name = "Lead <b>ops</b> & <a href='x'>link</a>"
    esc = "Lead &lt;b&gt;ops&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;"
    fig = figures.score_scale_figure(49.1, comparators=[(name, 30.0)], label=name,
                              title=f"{name}: 49.1 among related roles")
    assert fig.layout.title.text == f"{esc}: 49.1 among related roles"
    assert [a.text for a in fig.layout.annotations if a.text.startswith("Lead")] == [f"{esc} 30.0"]
    assert any(esc in (tr.hovertemplate or "") for tr in fig.data)
    assert not any("<b>ops" in (tr.hovertemplate or "") or "<b>ops" in str(tr.customdata) for tr in fig.data)
    default = figures.score_scale_figure(49.1, label=name)
    assert default.layout.title.text.startswith(f"{esc} on the 0-100 scale")
    path = figures.trajectory_figure({name: [("start", 40.0), ("2028", 50.0)]}, title=f"{name}: score at each step")
    assert path.layout.title.text == f"{esc}: score at each step"
    # names broken into tick lines: each line is text, and a name's own "<br>" is not a break
    step = "a<br>b & <i>c</i>"
    path = figures.trajectory_figure({"p": [(step, 40.0), ("x", 50.0)]})
    assert path.layout.xaxis.ticktext[0].replace("<br>", " ") == "a&lt;br&gt;b &amp; &lt;i&gt;c&lt;/i&gt;"
    from aijri_core.analyses.attribution import attribute

    task = BASE.tasks[0]
    odd = BASE.model_copy(update={"tasks": [task.model_copy(update={"name": "<b>ops</b> & co"}), *BASE.tasks[1:]]})
    att = attribute(odd, Scenario(name="s", changes={"task:<b>ops</b> & co:score": task.score + 1}))
    ticks = list(figures.attribution_waterfall(att, by="knobs").data[0].x)
    assert any(t.replace("<br>", " ").startswith("&lt;b&gt;ops&lt;/b&gt; &amp; co") for t in ticks), ticks
    assert not any("<b>ops" in t for t in ticks)
    assert "&lt;b&gt;ops&lt;/b&gt; &amp; co: score" in figures.attribution_waterfall(att, by="knobs").data[0].customdata
    # an input's name in the uncertainty ranking and the response curves (legend, hover)
    from aijri_core.analyses import monte_carlo, spider

    kid = "task:<b>ops</b> & co:score"
    imp = figures.importance_figure(monte_carlo(odd, n=500, seed=1).importance, top=30)
    assert "&lt;b&gt;ops&lt;/b&gt; &amp; co: score" in list(imp.data[0].y)
    sp = spider(odd)
    curves = figures.response_curves_figure(sp, [kid])
    assert curves.data[0].name == "&lt;b&gt;ops&lt;/b&gt; &amp; co: score"
    texts = [str(v) for tr in (*imp.data, *curves.data)
             for v in (tr.name, tr.hovertemplate, tr.y if tr.orientation == "h" else None)]
    assert not any("<b>ops" in t for t in texts)
