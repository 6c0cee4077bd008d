"""Every range comes from the model's rating scales and the method: change every constant of the
method and every analysis and page follows (the zone map's axis, break-even's "reachable", the
formula on the Methodology page, the sliders); change the rating scales and the texts follow."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from app_helpers import (
    ROOT,
    assert_no_exception,
    chart_spec,
    decode_array,
    new_app,
    open_page,
    shown,
    store_path,  # noqa: F401 - fixture
)

from aijri_core import bundled_role, knobs, score
from aijri_core.analyses.break_even import break_even
from aijri_core.analyses.zone_map import zone_map
from aijri_core.methodology import DEFAULT, Methodology
from aijri_core.model import RoleAssessment
from aijri_core.scoring import score_extremes, task_resistance_range
from aijri_core.textfmt import fixed
from aijri_core.urlstate import encode_state

SLUG = "ai-infrastructure-engineer"
BASE = bundled_role(SLUG)

#: Every constant of the method moved off its published value (ceiling 6 -> 9: TR from 4 to 8).
CHANGED = Methodology(
    task_resistance_ceiling=9, evidence_weight=0.05, barrier_weight=0.03, growth_weight=0.06,
    normalisation_offset=0.5, normalisation_span=12.0, green_threshold=60, yellow_threshold=30,
    transforming_share=25, transforming_score=4, accelerated_growth=1, clamp=False, share_tolerance=2.0, decimals=2,
)
TR_LOW, TR_HIGH = 4.0, 8.0  # 9 - 5 and 9 - 1: the ceiling less the ends of the task-score scale


def test_the_changed_method_changes_every_constant():
    assert [f for f in Methodology.model_fields if getattr(CHANGED, f) == getattr(DEFAULT, f)] == []


def test_task_resistance_range_follows_the_ceiling():
    assert task_resistance_range(DEFAULT) == (1.0, 5.0)
    assert task_resistance_range(CHANGED) == (TR_LOW, TR_HIGH)


def test_the_zone_map_covers_the_method_s_task_resistance():
    z = zone_map(BASE, CHANGED)
    assert (z.task_resistance.min(), z.task_resistance.max()) == (TR_LOW, TR_HIGH)
    assert z.role_task_resistance == pytest.approx(6.45)  # 9 - 2.55, inside the map (it was off the old 1..5)
    assert list(z.evidence_total) == list(range(-10, 11))
    for line in z.boundaries.values():
        inside = line[np.isfinite(line)]
        assert ((inside >= TR_LOW) & (inside <= TR_HIGH)).all()


def test_break_even_judges_task_resistance_against_the_method_s_range():
    s = score(BASE, CHANGED)
    rest = s.evidence_modifier * s.barrier_modifier * s.growth_modifier
    crossings = [c for c in break_even(BASE, CHANGED).crossings if c.quantity == "task_resistance"]
    assert [c.threshold for c in crossings] == [60.0, 30.0]
    for c in crossings:
        # the unclamped score that publishes as the threshold at 2 decimals: threshold - 0.005
        needed = ((c.threshold - 0.005) / 100 * 12.0 + 0.5) / rest
        assert c.reachable == (TR_LOW <= needed <= TR_HIGH)
        if c.reachable:
            assert c.value_needed == pytest.approx(needed)
    # GREEN needs TR 5.64: outside 1..5, inside 4..8
    assert crossings[0].reachable and 5 < crossings[0].value_needed < TR_HIGH
    assert not crossings[1].reachable


def _extreme_role(best: bool) -> RoleAssessment:
    data = BASE.model_dump()
    data["tasks"] = [dict(data["tasks"][0], time_share=100.0, score=1 if best else 5)]
    data["evidence"] = {k: 2 if best else -2 for k in data["evidence"]}
    data["barriers"] = {k: 2 if best else 0 for k in data["barriers"]}
    data["growth_correlation"] = 2 if best else -2
    return RoleAssessment.model_validate(data)


@pytest.mark.parametrize("m", [DEFAULT, CHANGED])
def test_score_extremes_are_the_scores_of_the_extreme_roles(m):
    ends = score_extremes(m)
    for row, best in ((0, False), (1, True)):
        assert float(ends.score_unclamped[row]) == pytest.approx(score(_extreme_role(best), m).score_unclamped)


def _link(m: Methodology) -> dict:
    return encode_state(f"bundled:{SLUG}", BASE, methodology=m)


def test_the_methodology_page_follows_every_constant(store_path):  # noqa: F811
    at = open_page(new_app(_link(CHANGED)), "methodology")
    assert_no_exception(at)
    formula = at.main.get("code")[0].value
    for text in ("(1..5)", "TR  = 9 - weighted", "1 + 0.05 x E   (E -10..+10)", "1 + 0.03 x B   (B 0..10)",
                 "1 + 0.06 x G   (G -2..+2)", "(raw - 0.5) / 12 x 100", "rounded to 2 decimal(s)",
                 "GREEN if score >= 60", "YELLOW if score >= 30", "Accelerated if G >= +1", "at least 25% of",
                 "task time scores 4 or more"):
        assert text in formula, (text, formula)
    assert "capped" not in formula  # clamp off
    best = score(_extreme_role(True), CHANGED).score_unclamped
    worst = score(_extreme_role(False), CHANGED).score_unclamped
    page = " ".join(shown(md.value) for md in at.markdown)
    # in the method's decimals (2 here), as every score the page writes
    assert f"score {fixed(worst, 2)}; the best give" in page and f"score **{fixed(best, 2)}**" in page
    assert f"score **{fixed(score(BASE, CHANGED).score, 2)} GREEN" in page


def test_the_explorer_s_sliders_and_zone_map_follow(store_path):  # noqa: F811
    at = new_app(_link(CHANGED)).run()
    assert_no_exception(at)
    for k in knobs(BASE):
        slider = at.slider(key=f"knob:{k.id}")
        assert (slider.min, slider.max) == (k.scale.min, k.scale.max), k.id
    assert chart_spec(at, "chart_zone_map")["layout"]["xaxis"]["title"]["text"] == "task resistance TR (4-8)"
    role = chart_spec(at, "chart_zone_map")["data"][-1]
    assert decode_array(role["x"]) == pytest.approx([6.45])
    areas = [decode_array(d["x"]) for d in chart_spec(at, "chart_zone_map")["data"] if d.get("fill") == "toself"]
    xs = [x for area in areas for x in area]
    assert (min(xs), max(xs)) == pytest.approx((TR_LOW, TR_HIGH))


# A second interpreter with other rating scales: the scales are read when the modules load, so the
# check runs before anything else of the project is imported.
_OTHER_SCALES = textwrap.dedent(
    """
    import json, dataclasses
    import aijri_core.model as model
    for key, lo, hi in (("score", 0, 9), ("evidence", -3, 3), ("barrier", 0, 4), ("growth", -4, 4),
                        ("protective", 0, 5)):
        model.SCALES[key] = dataclasses.replace(model.SCALES[key], min=lo, max=hi)
    from aijri_core import bundled_role
    from aijri_core.analyses.zone_map import zone_map
    from aijri_core.formats import report
    from aijri_core.formats.document import parse
    from aijri_core.scoring import breakdown, task_resistance_range
    from aijri_ui import components
    role = bundled_role("ai-infrastructure-engineer")
    z = zone_map(role)
    print(json.dumps({
        "tr": task_resistance_range(),
        "zone_map": [z.task_resistance.min(), z.task_resistance.max(), z.evidence_total.min(), z.evidence_total.max()],
        "titles": components.GROUP_TITLES,
        "parse": [parse._SCORE, parse._EVIDENCE, parse._BARRIER, parse._GROWTH, parse._PROTECTIVE],
        "report": report._breakdown(breakdown(role)),
    }))
    """
)


def test_the_rating_scales_are_read_from_one_table():
    out = subprocess.run([sys.executable, "-c", _OTHER_SCALES], capture_output=True, text=True, cwd=ROOT, check=True)
    got = json.loads(out.stdout)
    assert got["tr"] == [6 - 9, 6 - 0]
    assert got["zone_map"] == [6 - 9, 6 - 0, -15, 15]
    assert "each -3 to +3, total E from -15 to +15" in got["titles"]["evidence"]
    assert "each 0 to 4, total B from 0 to 20" in got["titles"]["barriers"]
    assert "(-4 to +4;" in got["titles"]["growth"]
    assert got["parse"] == ["0-9", "-3 to +3", "0 to 4", "-4 to +4", "0-5"]
    for heading in ("Score (0-9)", "Evidence (-3 to +3)", "Barrier (0 to 4)", "Protective principle (0 to 5)"):
        assert heading in got["report"]


def test_the_method_s_own_bounds_and_texts_match_the_rating_scales():
    """methodology.py sits below model.py (the scales import it), so it writes these ranges itself:
    they must stay those of the scales."""
    from aijri_core.model import SCALES, span_text, total_range

    task, growth = SCALES["score"], SCALES["growth"]
    assert Methodology.bounds("transforming_score") == (task.min, task.max)
    assert Methodology.bounds("accelerated_growth") == (growth.min, growth.max)
    fields = Methodology.model_fields
    assert f"({span_text(*total_range('evidence'), '..')})" in fields["evidence_weight"].description
    assert f"({span_text(*total_range('barrier'), '..')})" in fields["barrier_weight"].description
    assert f"({span_text(growth.min, growth.max, '..')})" in fields["growth_weight"].description
    assert SCALES["published"].span("..") in fields["clamp"].description
