"""The self-contained HTML report: figures embedded, no network, the seed's numbers."""

from __future__ import annotations

import html
import re

import pytest
from formats_helpers import SEED, seed_scenarios
from plotly.offline import get_plotlyjs

from aijri_core import Scenario, apply, bundled_role, score
from aijri_core.analyses.attribution import attribute
from aijri_core.formats.report import MAX_ATTRIBUTION_CHARTS, render_report_html
from aijri_core.methodology import DEFAULT
from aijri_core.model import Override
from aijri_core.trajectories import bundled_trajectories


@pytest.fixture(scope="module")
def seed():
    return bundled_role(SEED)


@pytest.fixture(scope="module")
def report(seed) -> str:
    return render_report_html(seed, seed_scenarios())


def _plots(text: str) -> int:
    return text.count("Plotly.newPlot(")


def test_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc\s*=", report, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", report, re.IGNORECASE)
    assert report.count(get_plotlyjs()[:500]) == 1  # plotly.js embedded exactly once


def test_contains_the_seed_figures(report, seed):
    s = score(seed)
    assert s.score == 49.1
    assert ">49.1</span>" in report
    assert "GREEN (Transforming)" in report
    assert "Published result: 49.1 GREEN (Transforming)." in report
    for t in seed.tasks:
        assert html.escape(t.name) in report
    assert ">2.55<" in report and ">3.45<" in report and "4.4339" in report
    # score scale, composite waterfall, zone map, tornado, trajectory, 3 attribution waterfalls
    assert _plots(report) == 4 + 1 + 3
    assert "Sensitivity (tornado)" in report and "Zone map" in report


def test_scenarios_and_their_attribution(report, seed):
    items = seed_scenarios()
    for sc in items:
        r = score(apply(seed, sc))
        assert html.escape(sc.name) in report
        assert f">{r.score:.1f}<" in report
    att = attribute(seed, items[2])  # growth +2: all of the change comes from growth
    assert att.groups[3].contribution == pytest.approx(att.change)
    assert f"{att.change:+.3f}" in report
    assert "Trajectories" in report  # one scenario belongs to a trajectory


def test_text_is_escaped(seed):
    a = seed.model_copy(update={"title": "<script>alert(1)</script>", "override": Override(zone="Green", reason="<b>x</b>")})
    out = render_report_html(a, [Scenario(name="<img src=x onerror=alert(1)>", changes={"growth": 0})])
    assert "<script>alert(1)</script>" not in out
    assert "<img src=x" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "Assessor override" in out


def test_without_scenarios_and_with_a_changed_method(seed):
    m = DEFAULT.with_changes(green_threshold=50)
    out = render_report_html(seed, methodology=m)
    assert _plots(out) == 4
    assert "green_threshold = 50" in out
    assert "YELLOW" in out  # 49.1 is below a threshold of 50


def test_bundled_trajectories_and_many_scenarios(seed):
    scen = [s for steps in bundled_trajectories(SEED).values() for s in steps]
    extra = [Scenario(name=f"s{i}", changes={"growth": float(i % 5 - 2)}) for i in range(30)]
    out = render_report_html(seed, scen + extra)
    with_changes = [s for s in (scen + extra)[:MAX_ATTRIBUTION_CHARTS] if s.changes]
    assert _plots(out) == 4 + 1 + len(with_changes)
    assert f"first {MAX_ATTRIBUTION_CHARTS} scenarios" in out


def test_hand_out_has_title_client_note_and_date(seed):
    import datetime

    out = render_report_html(seed, seed_scenarios()[:1], title="Alex <your path>", note="First line.\n\n<b>Next</b>",
                             date=datetime.date(2026, 12, 1))
    assert "<h1>Alex &lt;your path&gt;</h1>" in out
    assert f"{html.escape(seed.title)} - {html.escape(seed.seniority)} - 1 December 2026" in out
    assert '<div class="client-note"><p>First line.</p><p>&lt;b&gt;Next&lt;/b&gt;</p></div>' in out
    # the chosen scenarios come before the technical sections
    assert out.index("<h2>Scenarios</h2>") < out.index("<h2>Breakdown</h2>") < out.index("<h2>Zone map</h2>")


def test_print_rules_and_charts_sized_for_a_page(report):
    from aijri_core.formats.report import FIGURE_WIDTH

    assert "@media print" in report and "break-before: page" in report and "break-inside: avoid" in report
    widths = re.findall(r'"width":\s*(\d+)', report)
    # every chart is drawn at the printable width of an A4 page (186 mm = 703 px), none wider
    assert FIGURE_WIDTH <= 703
    assert widths.count(str(FIGURE_WIDTH)) >= _plots(report)
    assert '"autosize":false' in report.replace(" ", "")


def test_report_of_scenarios_that_reshape_the_role(seed):
    monitoring = seed.tasks[5].name
    items = [Scenario(name="Takes on cost work", changes={"task:AI platform cost engineering:share": 15.0,
                                                          "task:AI platform cost engineering:score": 2.0},
                      trajectory="Client", position="Year 1"),
             Scenario(name="Hands monitoring over", changes={f"task:{monitoring}:remove": 1.0},
                      trajectory="Client", position="Year 2")]
    out = render_report_html(seed, items)
    # hand-checked (see test_trajectories): 50.4 with the added task, 49.9 without monitoring
    assert "<td>Takes on cost work</td><td>Client</td><td>Year 1</td><td class=\"num\">50.4</td>" in out
    assert "<td>Hands monitoring over</td><td>Client</td><td>Year 2</td><td class=\"num\">49.9</td>" in out
    assert "AI platform cost engineering" in out
