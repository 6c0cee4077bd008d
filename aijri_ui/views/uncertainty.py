"""Uncertainty: how sure is the zone if each rating could be one step off?

Element keys for browser tests (stable):
  mc_p, mc_n, mc_seed, mc_jitter      controls
  mc_summary                          container of the plain-words probabilities
  chart_histogram, chart_importance
"""

from __future__ import annotations

import streamlit as st

from aijri_core import AIJRIError
from aijri_core.textfmt import fixed
from aijri_core.urlstate import SETTINGS
from aijri_ui import cached, plot, state
from aijri_ui.text import literal


def render() -> None:
    """Draw the page (app_pages/uncertainty.py calls this on every run)."""
    st.title("Uncertainty")
    base = state.base()
    a_json, m_json = state.current_json(), state.methodology_json()
    s = state.current_score()
    d = state.methodology().decimals
    st.caption(f"Role: **{literal(base.title)}**, now {fixed(s.score, d)} {s.zone_text}"
               + (" (with your changes from the Explorer)." if state.changes() else " (baseline)."))

    controls, out = st.columns([1, 2.4], gap="large")
    with controls:
        st.subheader("Assumptions")
        # The settings live in the app state and the link (urlstate.SETTINGS), like the inputs.
        state.sync_setting_widgets(*SETTINGS)
        changed = {"on_change": state.on_setting_changed}
        st.slider("Chance that each rating is one step off (p)", 0.0, 1.0, step=0.05, key="mc_p",
                  args=("mc.p",), **changed,
                  help="Every whole-number rating (task scores, evidence, barriers, growth) moves one step down "
                  "with probability p/2 and one step up with probability p/2, within its range.")
        st.slider("Time-share wobble (about +/- this fraction of each share)", 0.0, 0.5, step=0.05, key="mc_jitter",
                  args=("mc.jitter",), **changed, help="Each task's time share is multiplied by a random factor "
                  "around 1 (lognormal with this sigma); the shares are then scaled back to 100%.")
        st.select_slider("Draws", SETTINGS["mc.n"].choices, key="mc_n", args=("mc.n",), **changed,
                         format_func=lambda v: f"{v:,}")
        st.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key="mc_seed", args=("mc.seed",),
                        **changed, help="The same seed gives the same draws, so results can be reproduced.")
    p, jitter, n, seed = (state.setting(name) for name in ("mc.p", "mc.jitter", "mc.n", "mc.seed"))

    try:
        mc = cached.monte_carlo_of(a_json, m_json, int(n), float(p), int(seed), float(jitter))
    except AIJRIError as exc:
        st.error(literal(exc))
        return  # (not st.stop(): app.py still draws the sidebar and writes the URL after the page)

    with out:
        with st.container(key="mc_summary"):
            st.subheader("How likely is each zone")
            c1, c2, c3 = st.columns(3)
            c1.metric("GREEN", f"{mc.p_green:.0%}")
            c2.metric("YELLOW", f"{mc.p_yellow:.0%}")
            c3.metric("RED", f"{mc.p_red:.0%}")
            if p == 0 and jitter == 0:
                st.markdown(f"With no uncertainty every draw is the role itself: **{s.zone.label}** for certain.")
            else:
                words = []
                for label, prob in (("GREEN", mc.p_green), ("YELLOW", mc.p_yellow), ("RED", mc.p_red)):
                    if prob > 0:
                        words.append(f"**{prob:.0%} chance the role is {label}**")
                st.markdown(
                    f"If each rating may be off by one (with probability {p:.0%} each) and the time shares wobble by "
                    f"about {jitter:.0%}: " + ", ".join(words) + ". "
                    f"Half of the draws score between {fixed(mc.quantiles[25], d)} and {fixed(mc.quantiles[75], d)}; "
                    f"nine in ten between {fixed(mc.quantiles[5], d)} and {fixed(mc.quantiles[95], d)} "
                    f"(median {fixed(mc.quantiles[50], d)})."
                )
        plot.chart(cached.histogram_figure(a_json, m_json, int(n), float(p), int(seed), float(jitter)),
                   key="chart_histogram")

    st.subheader("Inputs that drive the uncertainty")
    st.caption("Rank correlation of each input's drawn value with the score: the longer the bar, the more that input's "
               "uncertainty moves the score. Negative: a higher rating lowers the score (task scores work that way).")
    plot.chart(cached.importance_figure(a_json, m_json, int(n), float(p), int(seed), float(jitter)),
               key="chart_importance")
