"""Methodology: the formula with its current constants, and a what-if on the method itself.

Element keys for browser tests (stable):
  meth:<parameter>   one input per Methodology parameter (e.g. meth:green_threshold, meth:clamp)
  reset_method       back to the published method
  formula            container of the formula text
"""

from __future__ import annotations

import streamlit as st

from aijri_core import Methodology
from aijri_core.methodology import DEFAULT, SCALE_MAX
from aijri_core.model import SCALES, rating_count, span_text, total_range
from aijri_core.scoring import score_extremes
from aijri_core.textfmt import fixed, percent_against
from aijri_ui import keys, state
from aijri_ui.text import literal

GROUPS = {
    "Zones": ("green_threshold", "yellow_threshold"),
    "Weights": ("task_resistance_ceiling", "evidence_weight", "barrier_weight", "growth_weight"),
    "Normalisation": ("normalisation_offset", "normalisation_span", "clamp", "decimals"),
    "Sub-labels (GREEN only)": ("accelerated_growth", "transforming_share", "transforming_score"),
}
LABELS = {
    "green_threshold": "GREEN from score",
    "yellow_threshold": "YELLOW from score",
    "task_resistance_ceiling": "Task resistance ceiling (TR = ceiling - weighted task score)",
    "evidence_weight": "Evidence weight (per point of E)",
    "barrier_weight": "Barrier weight (per point of B)",
    "growth_weight": "Growth weight (per point of G)",
    "normalisation_offset": "Normalisation offset (raw value at score 0)",
    "normalisation_span": "Normalisation span (raw range per 100 points)",
    "clamp": f"Cap the published score to {SCALES['published'].span()}",
    "decimals": "Decimals of the published score",
    "accelerated_growth": "Accelerated: growth correlation at least",
    "transforming_share": "Transforming: % of task time at or above the score below",
    "transforming_score": "Transforming: task score counted",
}
STEPS = {"evidence_weight": 0.005, "barrier_weight": 0.005, "growth_weight": 0.005, "normalisation_offset": 0.01,
         "normalisation_span": 0.01, "task_resistance_ceiling": 0.1, "green_threshold": 0.5, "yellow_threshold": 0.5,
         "transforming_share": 1.0}


def render() -> None:
    """Draw the page (app_pages/methodology.py calls this on every run)."""
    m = state.methodology()
    s = state.current_score()
    base = state.base()

    st.title("Methodology")
    if m.is_default():
        st.caption("The published method is in use.")
    else:
        changed = ", ".join(f"{LABELS.get(k, k)} {v}" for k, v in st.session_state[keys.METHOD].items())
        st.warning(f"A changed method is in use on every page: {changed}.")
    st.button("Reset to the published method", key="reset_method", on_click=state.reset_methodology,
              disabled=m.is_default(), icon=":material/restart_alt:")

    task, published = SCALES["score"], SCALES["published"]
    e_range, b_range, g = total_range("evidence"), total_range("barrier"), SCALES["growth"]
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        st.subheader("The formula")
        with st.container(key="formula"):
            st.code(
                # Short lines: the formula keeps its alignment in the half-width column.
                f"weighted task score = sum(share x task score)\n"
                f"                      / sum(share)           ({span_text(task.min, task.max, '..')})\n"
                f"task resistance TR  = {m.task_resistance_ceiling:g} - weighted task score\n"
                f"evidence modifier   = 1 + {m.evidence_weight:g} x E   (E {span_text(*e_range, '..')})\n"
                f"barrier modifier    = 1 + {m.barrier_weight:g} x B   (B {span_text(*b_range, '..')})\n"
                f"growth modifier     = 1 + {m.growth_weight:g} x G   (G {span_text(g.min, g.max, '..')})\n"
                f"  E, B = sums of the {rating_count('evidence')} evidence / {rating_count('barrier')} barrier ratings\n"
                f"raw   = TR x evidence x barrier x growth modifiers\n"
                f"score = (raw - {m.normalisation_offset:g}) / {m.normalisation_span:g} x 100\n"
                + (f"        capped to {span_text(published.min, published.max, '..')},\n" if m.clamp else "")
                + f"        rounded to {m.decimals} decimal(s), half away from zero\n"
                f"zone  = GREEN if score >= {m.green_threshold:g}\n"
                f"        YELLOW if score >= {m.yellow_threshold:g}, else RED\n"
                f"GREEN sub-label: Accelerated if G >= {m.accelerated_growth:+d};\n"
                f"        else Transforming if at least {m.transforming_share:g}% of\n"
                f"        task time scores {m.transforming_score} or more; else Stable",
                language=None,
                wrap_lines=True,
            )
        st.markdown(
            f"**{literal(base.title)}, now:** weighted task score {s.weighted_task_score:.2f}, "
            f"TR {s.task_resistance:.2f}, "
            f"E {s.evidence_total:+d} (x{s.evidence_modifier:.2f}), B {s.barrier_total} (x{s.barrier_modifier:.2f}), "
            f"G {s.growth_correlation:+d} (x{s.growth_modifier:.2f}), raw {s.raw:.4f}, score "
            f"**{fixed(s.score, m.decimals)} {s.zone_text}**; "
            f"{percent_against(s.share_time_score_3_plus, m.transforming_share)} of task time scores "
            f"{m.transforming_score} or more."
        )

        st.subheader("Why the formula can pass 100")
        ends = score_extremes(m)
        no_barriers = score_extremes(m, barrier_total=0.0)
        # the barrier modifier the normalisation span allows for: top of the scale / best raw without barriers
        assumed = (m.normalisation_offset + m.normalisation_span) / float(no_barriers.raw[1])
        best = float(ends.score_unclamped[1])
        intro = (f"The normalisation maps the raw value {m.normalisation_offset:g} to {published.min:g} and "
                 f"{m.normalisation_offset + m.normalisation_span:g} to {published.max:g}. The lowest ratings "
                 f"everywhere give raw {ends.raw[0]:.2f} and score {fixed(ends.score_unclamped[0], m.decimals)}; the best give raw "
                 f"{ends.raw[1]:.2f} and score **{fixed(best, m.decimals)}**. ")
        if best > SCALE_MAX:
            st.markdown(
                intro + "So the top of the scale is not the true maximum. The span is what the best ratings would "
                f"give if the barrier modifier could reach only {assumed:.2f}, but {rating_count('barrier')} barriers "
                f"rated {SCALES['barrier'].max:g} give B = {b_range[1]} "
                f"and a modifier of {float(ends.barrier_modifier[1]):.2f}, so a role with the best rating on every "
                f"input lands beyond {SCALE_MAX:g}. "
                + (f"The method caps the published score at {SCALE_MAX:g} and says so; the uncapped value is always "
                   "shown beside it." if m.clamp else
                   f"The cap is switched off here, so such a role is published above {SCALE_MAX:g}.")
            )
        else:
            st.markdown(intro + f"With these constants no role can pass {SCALE_MAX:g}.")
        st.caption("Scores above 100 only occur for roles with strong barriers as well as top ratings elsewhere; "
                   "for most roles the cap never applies.")

    with right:
        st.subheader("Change the method")
        st.caption("Every page follows these values. Invalid combinations (e.g. YELLOW above GREEN) are refused "
                   "with a message and leave the method as it was.")
        state.sync_method_widgets()
        for group, names in GROUPS.items():
            with st.expander(group, expanded=True):
                for name in names:
                    field = Methodology.model_fields[name]
                    key = keys.method_key(name)
                    help_text = f"{field.description}. Published value: {getattr(DEFAULT, name)}"
                    if field.annotation is bool:
                        st.toggle(LABELS[name], key=key, on_change=state.on_method_changed, args=(name,), help=help_text)
                        continue
                    lo, hi = Methodology.bounds(name)
                    if field.annotation is int:
                        st.number_input(LABELS[name], min_value=int(lo), max_value=int(hi), step=1, key=key,
                                        on_change=state.on_method_changed, args=(name,), help=help_text)
                    else:
                        step = STEPS.get(name, 0.01)
                        decimals = max(0, len(f"{step:g}".split(".")[-1]) if "." in f"{step:g}" else 0)
                        st.number_input(LABELS[name], min_value=float(lo), max_value=float(hi), step=step,
                                        format=f"%.{max(decimals, 2 if step < 1 else 1)}f", key=key,
                                        on_change=state.on_method_changed, args=(name,), help=help_text)
        st.caption(f"Share tolerance (assessment files may have shares summing to 100 +/- {DEFAULT.share_tolerance:g}) "
                   "applies when files are read and stays at the published value.")
