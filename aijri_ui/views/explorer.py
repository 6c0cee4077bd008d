"""Explorer: move any input and watch the score, its zone and what drives it.

Element keys for browser tests (stable):
  score_metric      container of the st.metric "JobZone score" (its value is the published score)
  zone_text         container of the zone badge, e.g. "GREEN (Transforming)"
  reset_baseline    the reset button;  undo, redo  the Undo and Redo buttons (Ctrl+Z, Ctrl+Shift+Z)
  knob:<knob id>    the sliders (see aijri_ui.state)
  tornado_mode      step / range selector;  chart_tornado  the tornado chart
  tornado_all       toggle: every input in the tornado (default: the TORNADO_ROWS largest swings)
  chart_scale, chart_waterfall, chart_zone_map, break_even_table
  curve_knobs       the inputs whose response curves are drawn;  chart_curves  the response curves
  easiest_flip      the easiest change of zone;  break_even_others  moves that do not change it
  goal_target, goal_knob, goal_answer, goal_apply, goal_table   goal seek
  analysis_tabs     the analysis shown: change of zone / goal seek / response curves (only it is drawn)

The charts are drawn with aijri_ui.plot.chart: each is updated in place on a move, not rebuilt.
"""

from __future__ import annotations

import functools

import streamlit as st

from aijri_core.analyses import nearest_zone_line
from aijri_core.exact import difference
from aijri_core.figures import TORNADO_TOP_ROWS as TORNADO_ROWS
from aijri_core.knobs import knob as knob_of
from aijri_core.knobs import knobs as knob_list
from aijri_core.methodology import SCALE_MAX, SCALE_MIN, publish_round
from aijri_core.model import SCALES
from aijri_core.textfmt import fixed, knob_rows, signed_fixed, zone_text
from aijri_core.urlstate import MAX_CURVES
from aijri_ui import cached, components, plot, state, tables
from aijri_ui.keys import ANALYSIS_TABS, CURVE_PICKER, GOAL_KNOB_INPUT, GOAL_TARGET_INPUT
from aijri_ui.text import literal
from aijri_ui.views import explorer_state as ex


def render() -> None:
    """Draw the page (app_pages/explorer.py calls this on every run of the app)."""
    base = state.base()
    st.title(literal(base.title))
    if base.seniority:
        st.caption(literal(base.seniority))
    # the page's own styles and the sliders' names: once per page, not once per move
    st.html(components.FOCUS_CSS, unsafe_allow_javascript=True)
    live(state.role_key())


@st.fragment
def live(role_key: str) -> None:
    """Everything an input move changes. A move reruns only this part (a Streamlit fragment):
    the sidebar, the navigation and the title are then neither rebuilt on the server nor drawn
    again in the browser.

    What app.py does on every run for the shared state is therefore done here too (each step
    does nothing when app.py has just done it): apply the moves, record the Undo history, show
    the messages, and write the URL at the end. Undo and Redo can bring back another role: the
    title above would then be stale, so the whole app runs again.
    """
    state.apply_moves()
    if state.role_key() != role_key:
        st.rerun()
    state.record_history()
    state.show_notices()
    state.draw_guarded(draw, lambda: "the Explorer")
    state.sync_url()


def draw() -> None:
    """The Explorer's inputs and results."""
    base = state.base()
    current = state.current()
    a_json, m_json = state.current_json(), state.methodology_json()
    m = state.methodology()
    s = state.current_score()
    b = state.base_score()
    if not m.is_default():
        st.info("A changed method is in use (see the Methodology page); every number below follows it.")

    # Undo / Redo / Reset above both columns: the full width keeps the shortcut hints on one line.
    # Only their place is taken here: the buttons are sent after the score and charts, so that the
    # browser draws the new score without them (history_buttons, below).
    history = st.container(horizontal=True, key="history_buttons")
    inputs, results = st.columns([0.95, 1.6], gap="large")

    # The results are drawn before the sliders: Streamlit sends elements in script order, so the
    # browser gets the new score first (the columns keep their places on the page).
    with results:
        c1, c2, c3 = st.columns([1.25, 1, 1])
        d = m.decimals  # the published score's decimals (1 in the published method)
        with c1, st.container(key="score_metric"):
            delta = publish_round(difference(s.score, b.score), d)
            st.metric("JobZone score", fixed(s.score, d), delta=f"{signed_fixed(delta, d)} vs baseline {fixed(b.score, d)}",
                      delta_color="normal" if delta else "off", delta_arrow="auto" if delta else "off",
                      help=f"{SCALES['published'].span('-')}, higher = more resistant to AI. Published score: rounded "
                      f"to {d} decimal(s), half away from zero" + (f", capped to {SCALES['published'].span('-')}"
                                                                    if m.clamp else ""))
        with c1, st.container(key="zone_text"):
            st.markdown(components.zone_badge(s))
        c2.metric(f"To GREEN line ({m.green_threshold:g})", signed_fixed(difference(s.score, m.green_threshold), d),
                  help="Signed distance in score points: positive = above the line.")
        c3.metric(f"To YELLOW line ({m.yellow_threshold:g})", signed_fixed(difference(s.score, m.yellow_threshold), d),
                  help="Signed distance in score points: positive = above the line.")
        if s.clamped:
            st.warning(f"The formula gives {fixed(s.score_unclamped, d)}; the published score is capped to {fixed(s.score, d)} "
                       "(see the Methodology page on scores above 100).")
        # One caption, always shown: an element that comes and goes would shift the charts below
        # it, and the browser would build them anew instead of redrawing them.
        notes = []
        if base.published is not None:
            pub = base.published
            pub_text = f"{fixed(pub.score, d)} {zone_text(pub.zone, pub.sublabel)}"
            after = "" if not state.changes() and m.is_default() else ", before your changes"
            notes.append(f"Published with the assessment: {pub_text}{after}.")
        method = "" if m.is_default() else "; the method is changed (Methodology page)"
        notes.append(f"Your changes: {tables.changes_text(state.changes())}{method}." if state.changes()
                     else f"No input changed yet{method}.")
        st.caption(" ".join(notes))

        compute_ahead(a_json, m_json)
        plot.chart(cached.scale_figure(s.score, b.score, m_json, label="This role"), key="chart_scale")
        plot.chart(cached.waterfall_figure(a_json, m_json), key="chart_waterfall")

        pinned = state.pinned_tasks()  # the analyses hold the shares the user set, as the sliders do
        # Short option texts and a wrapping row: both controls fit the column on a 1280 px screen.
        with st.container(horizontal=True, vertical_alignment="bottom", key="tornado_controls"):
            mode = st.segmented_control(
                "Tornado: move each input", ["step", "range"], default="step", key="tornado_mode",
                persist_state="session", format_func={"step": "one step", "range": "full range"}.get,
                help="One step: a score or rating by 1, a time share by 5 points. Full range: each input from its "
                     "lowest to its highest value.",
            ) or "step"
            n_knobs = len(cached.tornado_of(a_json, m_json, mode, pinned=pinned).rows)
            if n_knobs > TORNADO_ROWS:
                st.toggle(f"All {n_knobs} inputs", key="tornado_all", persist_state="session",
                          help=f"By default the tornado shows the {TORNADO_ROWS} inputs that move the score most")
        tornado_rows = cached.tornado_of(a_json, m_json, mode, pinned=pinned).rows
        label_to_id = {r.label: r.knob_id for r in tornado_rows}
        default_curves: list[str] = []  # none until picked: a chart fewer to redraw on every move
        plot.chart(cached.tornado_figure(a_json, m_json, mode, tornado_row_limit(n_knobs), pinned),
                   key="chart_tornado",
                   on_click=functools.partial(ex.on_tornado_select, "chart_tornado", label_to_id, default_curves))

    history_buttons(history)

    with inputs:
        st.subheader("Inputs")
        # The sliders scroll inside their own panel, so the score and charts stay in view on a laptop.
        with st.container(height=640, border=False, key="inputs_panel"):
            components.knob_sliders(current, base)
        plot.chart(cached.zone_map_figure(a_json, m_json), key="chart_zone_map")


    # One analysis at a time: only the chosen one is drawn, so a move redraws one section, not three.
    # A segmented control rather than tabs: a tab panel re-scans its whole content for focusable
    # elements on every change inside it, which cost the browser more than the section's table.
    ex.sync_analysis_widget()
    shown = st.segmented_control("Analysis", list(ex.ANALYSES), required=True, key=ANALYSIS_TABS,
                                 on_change=ex.on_analysis_picked, label_visibility="collapsed")
    if shown == ex.BREAK_EVEN:
        break_even_section(current, a_json, m_json)
    elif shown == ex.GOAL_SEEK:
        goal_seek_section(current, a_json, m_json, s.score)
    elif shown == ex.RESPONSE_CURVES:
        response_curves(current, a_json, m_json, default_curves)


def history_buttons(box) -> None:
    """Undo, Redo (with their keyboard shortcuts) and Reset, in ``box``."""
    with box:
        st.button("Undo", key="undo", on_click=state.undo, disabled=not state.can_undo(), icon=":material/undo:",
                  shortcut="Mod+Z", help=f"Take back the last change (up to {state.HISTORY_STEPS} steps)")
        st.button("Redo", key="redo", on_click=state.redo, disabled=not state.can_redo(), icon=":material/redo:",
                  shortcut="Mod+Shift+Z", help="Make the change you took back again")
        st.button("Reset", key="reset_baseline", on_click=state.reset_changes,
                  disabled=not state.changes(), icon=":material/restart_alt:",
                  help="Back to the role's baseline inputs (the method stays as it is); Undo takes it back")


def tornado_row_limit(n_knobs: int) -> int | None:
    """How many rows the tornado shows: the TORNADO_ROWS largest swings, or all when asked."""
    return None if n_knobs > TORNADO_ROWS and st.session_state.get("tornado_all") else TORNADO_ROWS


def compute_ahead(a_json: str, m_json: str) -> None:
    """Run the analyses and build the figures the page draws below the score before any chart is sent.

    The browser then gets the charts, sliders and table in one burst and lays the page out once,
    instead of once after each analysis (on inputs not seen before each takes a while).
    """
    pinned = state.pinned_tasks()
    mode = st.session_state.get("tornado_mode") or "step"
    n_knobs = len(cached.tornado_of(a_json, m_json, mode, pinned=pinned).rows)
    cached.tornado_figure(a_json, m_json, mode, tornado_row_limit(n_knobs), pinned)
    cached.waterfall_figure(a_json, m_json)
    cached.zone_map_figure(a_json, m_json)
    if ex.shown_analysis() == ex.BREAK_EVEN:
        cached.break_even_of(a_json, m_json, pinned)


def break_even_section(current, a_json: str, m_json: str) -> None:
    """The smallest move of each input that changes the zone, the easiest first."""
    st.caption("The smallest move of one input, all others as they are now, that changes the zone: rating steps "
               "first, then time-share points; the easiest is highlighted.")
    be = cached.break_even_of(a_json, m_json, state.pinned_tasks())
    rows = knob_rows(be, current, state.methodology().decimals)
    flips, others = tables.break_even_tables(rows)
    if be.easiest is not None:
        easiest = rows[0]  # the core's first row is the easiest change of zone
        with st.container(key="easiest_flip"):
            st.markdown(f"**Easiest change of zone:** {literal(easiest.label)} {easiest.direction} to "
                        f"{easiest.to} ({easiest.move}) gives {easiest.score} {easiest.zone}.")
        # Plain HTML, redrawn on every move: one element for the browser instead of a React table
        # of styled cells (or a data grid), which cost more than a chart.
        with st.container(key="break_even_table"):
            st.html(tables.html_table(flips, highlight_first=True))
    else:
        st.write("No single input can change the zone on its own.")
    if len(others):
        at_limit = int((others["Why not"] == "at its limit").sum())
        # Drawn only while open (a closed expander costs the browser nothing on a move).
        more = st.expander(f"{len(others)} moves do not change the zone ({at_limit} of them: input at its limit)",
                           key="break_even_more", on_change="rerun")
        if more.open:
            with more:
                st.dataframe(others, key="break_even_others", hide_index=True, width="stretch")
    st.markdown("**Continuous view, everything else fixed**\n" + "\n".join(tables.crossing_lines(be.crossings)))


def goal_seek_section(current, a_json: str, m_json: str, score_now: float) -> None:
    """Any input, any target: the value that reaches it, and a button that moves the slider there."""
    st.caption("The value of one input, all others as they are now, that brings the score to a target you choose.")
    m = state.methodology()
    default_target = nearest_zone_line(score_now, m)
    labels = {k.id: k.label for k in knob_list(current)}
    ex.sync_goal_widgets(default_target, next(iter(labels)))
    c1, c2 = st.columns([1, 2.2], vertical_alignment="bottom")
    with c1:
        st.number_input("Target score", min_value=SCALE_MIN, max_value=SCALE_MAX, step=10.0 ** -m.decimals,
                        format=f"%.{m.decimals}f", key=GOAL_TARGET_INPUT, on_change=ex.on_goal_target_changed,
                        help=f"Any score from {SCALE_MIN:g} to {SCALE_MAX:g}; at first the zone line nearest to the "
                             f"score ({default_target:g})")
    with c2:
        st.selectbox("Input", list(labels), format_func=labels.get, key=GOAL_KNOB_INPUT,
                     on_change=ex.on_goal_knob_changed)
    target, kid = ex.goal_target(default_target), ex.goal_knob(next(iter(labels)))
    result = cached.goal_seek_of(a_json, m_json, target, state.pinned_tasks())
    row = result.row(kid)
    wanted = "at least" if result.seeking == "at_least" else "below"
    with st.container(key="goal_answer"):
        if row.reachable:
            shown = f"{row.value:.2f}" if knob_of(current, kid).kind == "share" else f"{row.value:g}"
            st.markdown(f"**{literal(row.label)}**: {row.direction} to **{shown}** gives {fixed(row.score, m.decimals)} "
                        f"{row.zone.label if row.zone else ''} (a score {wanted} {target:g}).")
            st.button(f"Set {literal(row.label)} to {shown}", key="goal_apply", icon=":material/check:",
                      on_click=ex.apply_goal, args=(kid, row.value))
        else:
            st.markdown(f"**{literal(row.label)}**: {literal(row.text)} (a score {wanted} {target:g}, "
                        "all other inputs as they are).")
    every = st.expander("Every input for this target, and the continuous view", key="goal_more", on_change="rerun")
    if every.open:
        with every:
            st.dataframe(tables.goal_seek_table(result, current, m.decimals), key="goal_table", hide_index=True,
                         width="stretch", column_config={"Input": st.column_config.TextColumn(width="large")})
            st.markdown("\n".join(tables.crossing_lines(result.crossings, "Target")))


def response_curves(current, a_json: str, m_json: str, default: list[str]) -> None:
    """Up to six inputs' full response curves: picked here or by clicking a tornado bar."""
    labels = {k.id: k.label for k in knob_list(current)}
    ex.sync_curve_widget([k for k in default if k in labels])
    picked = st.multiselect(
        "Inputs to draw (or click a bar of the tornado)", list(labels), key=CURVE_PICKER,
        format_func=labels.get, max_selections=MAX_CURVES, on_change=ex.on_curves_picked,
        help=f"Up to {MAX_CURVES} inputs, each over its whole range with everything else as it is now")
    if not picked:
        st.caption("Pick up to six inputs above, or click a bar of the tornado, to see how the score follows each "
                   "input over its whole range.")
    else:
        plot.chart(cached.response_figure(a_json, m_json, tuple(picked), state.pinned_tasks()), key="chart_curves",
                   reveal=ex.reveal_curves())
