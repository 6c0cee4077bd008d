"""A self-contained HTML hand-out of one role and its scenarios (a client's path), to print or send.

One file, no network needed to open it: plotly's JavaScript is embedded once in the page
head and every chart is drawn from data inside the file. In plain words for a client: the
score and zone on the scale (with comparators), the path (chart and table), and for every
step what it changes, in a sentence, and where its change of score comes from (rounded
parts that add up to the change shown). The analyst appendix (off unless asked for) adds
how the score is computed (breakdown tables and the composite), the zone map, the tornado
and the break-even moves of the role as assessed.

Printed, one trajectory of a few steps fits on at most 4 pages of A4 or Letter without the
appendix (tests/browser/test_handout_browser.py prints it and counts).

All figures come from :mod:`aijri_core.figures` and the analyses of the core; this module
only lays them out. Every text from the assessment is HTML-escaped.
"""

from __future__ import annotations

import datetime
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..analyses import break_even, tornado, zone_map
from ..analyses.attribution import attribute
from ..figures import (
    ZONE_COLOURS,
    composite_waterfall,
    score_scale_figure,
    tornado_figure,
    trajectory_figure,
    zone_map_figure,
)
from ..knobs import apply
from ..methodology import DEFAULT, Methodology, Zone, publish_round
from ..model import SCALES, KnobId, RoleAssessment, Scenario
from ..scoring import Breakdown, Factor, Score, breakdown, score
from ..textfmt import apportion, fixed, knob_rows, percent, signed, signed_fixed, zone_text
from ..trajectories import change_sentences

#: Scenarios listed in the table (a report is for reading, not a data dump).
MAX_REPORT_SCENARIOS = 200
#: Scenarios whose changes are explained step by step (the table covers the rest).
MAX_ATTRIBUTION_CHARTS = 20
#: Tornado rows drawn (the largest swings).
TORNADO_ROWS = 15
#: Break-even rows listed in the appendix (the smallest moves that change the zone).
BREAK_EVEN_ROWS = 12
#: Height (px) of one row of the path chart's panels: short, so the hand-out stays on few pages.
TRAJECTORY_ROW_HEIGHT = 150

_CSS = """
body { font-family: Inter, 'Source Sans Pro', Arial, sans-serif; color: #1f2933; margin: 0; background: #f7f8fa; }
main { max-width: 760px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; }
h2 { font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 1px solid #e5e7eb; padding-bottom: 0.3rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
p { margin: 0.35rem 0; }
.sub { color: #56606b; margin: 0 0 0.8rem; }
.headline { display: flex; gap: 1.2rem; align-items: baseline; flex-wrap: wrap; }
.score { font-size: 2.4rem; font-weight: 700; }
.zone { font-weight: 700; padding: 0.15rem 0.6rem; border-radius: 0.4rem; color: #111827; }
.step-score { font-weight: 400; color: #3d4752; }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; font-size: 0.88rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f1f3f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.parts td.input { padding-left: 1.6rem; color: #3d4752; }
table.parts tr.group td { font-weight: 600; }
table.parts tr.total td { border-top: 1px solid #9aa5b1; }
.note { color: #56606b; font-size: 0.86rem; }
.figure { margin: 0.3rem 0 0.8rem; }
.client-note { border-left: 4px solid #2563eb; background: #f4f7fe; padding: 0.3rem 1rem; margin: 0.6rem 0 1rem;
  white-space: pre-line; }
/* Print: A4 or Letter; the hand-out flows, nothing split across a page break; the appendix starts a page. */
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  h2.appendix { break-before: page; margin-top: 0; }
  h2, h3 { break-after: avoid; }
  table, tr, .figure, .step, .keep, .headline, .client-note { break-inside: avoid; }
  .modebar-container { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""
#: Width of every chart (px): the printable width of an A4 page with 12 mm margins
#: (186 mm at 96 px per inch is 703 px), so a printed chart is never cut off.
FIGURE_WIDTH = 700


def handout_file_name(title: str) -> str:
    """The hand-out's file name from its title, safe on every system: letters and digits of
    the title (accents dropped), words joined by '-', at most 80 characters, '.html';
    'Alex: your path' -> 'alex-your-path.html'. A title without any gives 'hand-out.html'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")
    return f"{slug or 'hand-out'}.html"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[bool], cls: str = "") -> str:
    head = "".join(f'<th class="num">{_e(h)}</th>' if n else f"<th>{_e(h)}</th>" for h, n in zip(headers, numeric, strict=True))
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if n else f"<td>{_e(c)}</td>" for c, n in zip(row, numeric, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(fig: go.Figure) -> str:
    """A chart's div and drawing script, without plotly.js (the page embeds it once)."""
    # The figure carries its own look (aijri_core.figures.theme) and height, the same as in the app.
    fig.update_layout(width=FIGURE_WIDTH, autosize=False)
    inner = fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": False})
    return f'<div class="figure">{inner}</div>'


def _zone_badge(zone: Zone, sublabel: str | None) -> str:
    text = zone_text(zone, sublabel)
    return f'<span class="zone" style="background:{ZONE_COLOURS[zone]}">{_e(text)}</span>'


def _modifier(f: Factor) -> str:
    """'1 + +5 x 0.04 = 1.20'."""
    return f"1 + {signed(f.total)} x {f.weight:g} = {fixed(f.modifier, 2)}"


def _breakdown(b: Breakdown) -> str:
    parts = ['<h2 class="appendix">Analyst appendix: how the score is computed</h2>', "<h3>Tasks</h3>"]
    rows = [
        (t.name, percent(t.time_share), t.score, fixed(t.contribution, 2), t.mode.value.replace("_", " "))
        for t in b.tasks
    ]
    rows.append(("Total", percent(b.share_total), "", fixed(b.weighted_task_score, 2), ""))
    parts.append(_table(["Task", "Time", f"Score ({SCALES['score'].span('-')})", "Weighted", "Mode"], rows, [False, True, True, True, False]))
    parts.append(
        f'<p class="note">Task resistance = {b.task_resistance_ceiling:g} - {fixed(b.weighted_task_score, 2)}'
        f" = {fixed(b.task_resistance, 2)}. Time split: {percent(b.displacement_share)} displacement,"
        f" {percent(b.augmentation_share)} augmentation, {percent(b.not_involved_share)} not involved.</p>"
    )
    parts.append("<h3>Evidence, barriers and protective principles</h3>")
    ev = [(r.label, signed(r.rating)) for r in b.evidence.rows]
    ev.append(("Total (E)", signed(b.evidence.total)))
    parts.append(_table([f"Evidence ({SCALES['evidence'].span()})", "Rating"], ev, [False, True]))
    ba = [(r.label, r.rating) for r in b.barriers.rows]
    ba.append(("Total (B)", f"{b.barriers.total}/{b.barriers.high}"))
    parts.append(_table([f"Barrier ({SCALES['barrier'].span()})", "Rating"], ba, [False, True]))
    pr = [(r.label, r.rating) for r in b.protective.rows]
    pr.append(("Total (shown, not scored)", f"{b.protective.total}/{b.protective.high}"))
    parts.append(_table([f"Protective principle ({SCALES['protective'].span()})", "Rating"], pr, [False, True]))
    parts.append('<div class="keep"><h3>Composite</h3>')
    comp = [
        ("Task resistance (TR)", fixed(b.task_resistance, 2)),
        ("Evidence modifier", _modifier(b.evidence)),
        ("Barrier modifier", _modifier(b.barriers)),
        ("Growth modifier", _modifier(b.growth)),
        ("Raw", fixed(b.raw, 4)),
        (
            "Score",
            f"({fixed(b.raw, 4)} - {b.normalisation_offset:g}) / {b.normalisation_span:g} x 100 = "
            f"{fixed(b.score_unclamped, 3)} -> {fixed(b.score, b.decimals)}" + (f" (capped to {SCALES['published'].span('-')})" if b.clamped else ""),
        ),
    ]
    parts.append(_table(["Step", "Value"], comp, [False, False]))
    parts.append(_figure(composite_waterfall(b)) + "</div>")
    return "".join(parts)


def _display_names(scenarios: Sequence[Scenario]) -> tuple[list[str], bool]:
    """Each scenario's name as the hand-out shows it, and whether a Path column is needed.

    A step saved from the path builder is named "<path>: <step>"; the path's name is said
    once (in the section's heading for one path, in the Path column for several), not again
    in every step's name.
    """
    paths = {sc.trajectory for sc in scenarios if sc.trajectory}
    names = []
    for sc in scenarios:
        name = sc.name
        if sc.trajectory and name.startswith(f"{sc.trajectory}: ") and len(name) > len(sc.trajectory) + 2:
            name = name[len(sc.trajectory) + 2:]
        names.append(name)
    one_path = len(paths) == 1 and all(sc.trajectory for sc in scenarios)
    return names, not one_path and bool(paths)


#: Groups of inputs in the hand-out's words.
_GROUP_WORDS = {
    "tasks": "Tasks (ratings and time)",
    "evidence": "Evidence from the job market",
    "barriers": "Barriers to automation",
    "growth": "AI growth correlation",
}


def _input_words(part, changes: dict[str, float], base_tasks: set[str]) -> str:
    """An input of the attribution in the hand-out's words ('X: share of time', 'X: rating',
    'X: removed' for a task the scenario removes, 'X: new task' for one it adds)."""
    kid = KnobId.parse(part.key)
    if kid is not None and kid.is_task():
        name = kid.target
        if KnobId.task(name, "remove").format() in changes:
            return f"{name}: removed"
        if kid.field == "share" and KnobId.task(name, "score").format() in changes and name not in base_tasks:
            return f"{name}: new task"
        return f"{name}: " + {"share": "share of time", "score": "rating"}.get(kid.field, kid.field)
    return part.label


def _where_from(att, changes: dict[str, float], base_tasks: set[str], whole: int, places: int) -> str:
    """A table of where a change comes from: the groups of inputs, each followed by its inputs,
    then the change. Rounded with the largest remainder, so the inputs add up to their group's
    line and the groups to ``whole`` (the change shown, in units of the last decimal)."""
    unit = 10 ** places
    by_group: dict[str, list] = {}
    for p in att.knobs or ():
        by_group.setdefault(_group_of(p.key), []).append(p)
    groups = [g for g in att.groups if g.key in by_group or g.contribution != 0]
    rows = []
    for g, gu in zip(groups, apportion([g.contribution * unit for g in groups], whole), strict=True):
        rows.append(f'<tr class="group"><td>{_e(_GROUP_WORDS.get(g.key, g.label))}</td>'
                    f'<td class="num">{_points(gu, places)}</td></tr>')
        inputs = by_group.get(g.key, [])
        if len(inputs) > 1 or (inputs and g.key == "tasks"):
            for p, pu in zip(inputs, apportion([p.contribution * unit for p in inputs], gu), strict=True):
                rows.append(f'<tr><td class="input">{_e(_input_words(p, changes, base_tasks))}</td>'
                            f'<td class="num">{_points(pu, places)}</td></tr>')
    return "".join(rows)


def _group_of(knob_id: str) -> str:
    kid = KnobId.parse(knob_id)
    kind = kid.kind if kid is not None else "growth"
    return {"task": "tasks", "evidence": "evidence", "barrier": "barriers"}.get(kind, "growth")


def _points(units: int, places: int) -> str:
    text = f"{units / 10 ** places:+.{places}f}"
    return "0" if units == 0 else text


def _scenarios_section(a: RoleAssessment, scenarios: list[Scenario], base: Score, m: Methodology) -> str:
    shown = scenarios[:MAX_REPORT_SCENARIOS]
    names, path_column = _display_names(shown)
    paths_named = list(dict.fromkeys(sc.trajectory for sc in shown if sc.trajectory))
    heading = (f"The path: {paths_named[0]}" if len(paths_named) == 1 and not path_column
               else "The scenarios")
    parts = [f"<h2>{_e(heading)}</h2>"]
    if len(scenarios) > len(shown):
        parts.append(f'<p class="note">The first {len(shown)} of {len(scenarios)} scenarios are listed.</p>')
    d = m.decimals
    results: list[tuple[Scenario, Score]] = [(sc, score(apply(a, sc), m)) for sc in shown]
    paths: dict[str, list[tuple[str, float]]] = {}
    for (sc, r), name in zip(results, names, strict=True):
        if sc.trajectory is not None:
            paths.setdefault(sc.trajectory, []).append((sc.position or name, r.score))
    if paths:
        parts.append(_figure(trajectory_figure(paths, m, baseline=base.score, row_height=TRAJECTORY_ROW_HEIGHT)))
    headers = ["Path"] if path_column else []
    headers += ["Step" if paths and not path_column else "Scenario", "Score", "Zone", "Change from the role as assessed"]
    numeric = [False] * path_column + [False, True, False, True]
    rows = [([""] if path_column else []) + ["The role as assessed", fixed(base.score, d), zone_text(base.zone, base.sublabel), ""]]
    for (sc, r), name in zip(results, names, strict=True):
        rows.append(([sc.trajectory or ""] if path_column else [])
                    + [name, fixed(r.score, d), zone_text(r.zone, r.sublabel), signed_fixed(r.score - base.score, d)])
    parts.append(_table(headers, rows, numeric))

    parts.append("<h2>What each step changes</h2>")
    parts.append(
        '<p class="note">For each step: what it changes, in words, and where its change of score comes from'
        " (how many points each kind of input adds or takes away compared with the role as assessed; the"
        " parts add up to the change shown).</p>"
    )
    sentences = change_sentences(a, shown)
    for i, ((sc, r), name, (against, words)) in enumerate(zip(results, names, sentences, strict=True)):
        if i >= MAX_ATTRIBUTION_CHARTS:
            parts.append(f'<p class="note">The first {MAX_ATTRIBUTION_CHARTS} steps are explained here.</p>')
            break
        change = r.score - base.score
        parts.append('<div class="step">')
        parts.append(f'<h3>{_e(name)} <span class="step-score">{fixed(r.score, d)}, {_e(zone_text(r.zone, r.sublabel))},'
                     f" {signed_fixed(change, d)}</span></h3>")
        if words:
            parts.append(f"<p><b>What changes</b> ({_e(against)}): {_e(words)}.</p>")
        else:
            parts.append(f"<p><b>What changes</b> ({_e(against)}): nothing.</p>")
        if sc.note:
            parts.append(f'<p class="note">{_e(sc.note)}</p>')
        if sc.changes:
            att = attribute(a, sc, m)
            clamped = r.clamped or base.clamped
            whole = publish_round(att.change, d) if clamped else publish_round(change, d)
            total = "Change before capping to 0-100" if clamped else "Change from the role as assessed"
            parts.append(
                '<table class="parts"><thead><tr><th>Where the change comes from</th><th class="num">Points</th>'
                f"</tr></thead><tbody>{_where_from(att, sc.changes, {t.name for t in a.tasks}, round(whole * 10 ** d), d)}"
                f'<tr class="total group"><td>{total}</td><td class="num">{signed_fixed(whole, d)}</td></tr>'
                "</tbody></table>"
            )
        parts.append("</div>")
    return "".join(parts)


def render_report_html(
    assessment: RoleAssessment,
    scenarios: Iterable[Scenario] = (),
    methodology: Methodology = DEFAULT,
    title: str | None = None,
    note: str = "",
    date: datetime.date | None = None,
    appendix: bool = False,
) -> str:
    """The report as one self-contained HTML page (UTF-8 text, plotly embedded, no network).

    ``title`` replaces the role's title as the heading; ``note`` (a note for the reader,
    e.g. a coach's words to a client) and ``date`` are shown under it. ``appendix`` adds the
    analyst sections (breakdown and composite, zone map, tornado, break-even) at the end.
    """
    a = assessment
    m = methodology
    items = list(scenarios)
    s = score(a, m)
    heading = title or a.title
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} - JobZone hand-out</title>",
        f"<style>{_CSS}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body><main>",
        f"<h1>{_e(heading)}</h1>",
    ]
    sub = [a.title if title else "", a.seniority, date.strftime("%-d %B %Y") if date else ""]
    if any(sub):
        parts.append(f'<p class="sub">{_e(" - ".join(x for x in sub if x))}</p>')
    if note.strip():
        parts.append('<div class="client-note">' + "".join(f"<p>{_e(p)}</p>" for p in note.strip().split("\n\n"))
                     + "</div>")
    parts.append(
        f'<div class="headline"><span class="score">{s.score:.{m.decimals}f}</span>'
        f"{_zone_badge(s.final_zone, s.final_sublabel)}<span class=\"note\">JobZone score of the role as assessed"
        f" ({SCALES['published'].span('-')}; higher = more resistant to displacement by AI agents)</span></div>"
    )
    notes = []
    if a.published is not None:
        p = a.published
        pub = f"{fixed(p.score, m.decimals)} {zone_text(p.zone, p.sublabel)}"
        notes.append(f"Published result: {pub}.")
    if a.override is not None:
        formula = zone_text(s.zone, s.sublabel)
        notes.append(f"Assessor override to {s.zone_text} (formula: {formula}); reason: {a.override.reason}")
    if not m.is_default():
        changed = {k: v for k, v in m.model_dump().items() if v != DEFAULT.model_dump()[k]}
        notes.append("Method parameters changed from the published method: " + ", ".join(f"{k} = {v}" for k, v in changed.items()))
    if s.clamped:
        notes.append(f"The formula gives {s.score_unclamped:.2f}; the published score is capped to the "
                     f"{SCALES['published'].span('-')} scale.")
    for n in notes:
        parts.append(f'<p class="note">{_e(n)}</p>')
    parts.append(_figure(score_scale_figure(s.score, comparators=a.comparators or (), methodology=m,
                                            width=FIGURE_WIDTH)))
    parts.append(
        "<p class=\"note\"><b>About the score.</b> It combines how much of the working time goes"
        " to tasks an AI agent cannot take over (each task is rated from 1, needs a person, to 5, an agent can do"
        " it all) with the evidence from the job market, the barriers to automation and how demand for the role"
        f" moves as AI is adopted. Zones: GREEN from {m.green_threshold:g}, YELLOW from {m.yellow_threshold:g},"
        " RED below. Every figure here is computed from the inputs shown; the charts need no network"
        " connection.</p>"
    )
    if items:
        parts.append(_scenarios_section(a, items, s, m))
    if appendix:
        parts.append(_appendix(a, m))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _appendix(a: RoleAssessment, m: Methodology) -> str:
    """The analyst sections about the role as assessed: breakdown and composite, zone map,
    tornado, break-even."""
    parts = [_breakdown(breakdown(a, m))]
    parts.append('<h2 class="appendix">Analyst appendix: zone map and sensitivity</h2><div class="keep"><h3>Zone map</h3>')
    parts.append(
        '<p class="note">Score over task resistance and evidence total at this role\'s barriers and growth;'
        " the marker is the role.</p>"
    )
    parts.append(_figure(zone_map_figure(zone_map(a, m), m)) + "</div>")
    parts.append('<div class="keep"><h3>Sensitivity (tornado)</h3>')
    tor = tornado(a, methodology=m)
    parts.append(
        '<p class="note">Each input moved one step either way (ratings by one point, time shares by five'
        " percentage points), one at a time; the largest swings first.</p>"
    )
    parts.append(_figure(tornado_figure(tor, m, max_rows=TORNADO_ROWS)) + "</div>")
    rows = [
        (r.label, fixed(r.score_low, m.decimals), fixed(r.score_high, m.decimals), fixed(r.swing, m.decimals),
         "yes" if r.crosses else "")
        for r in tor.rows[:TORNADO_ROWS]
    ]
    parts.append(
        _table(["Input", "Score (low end)", "Score (high end)", "Swing", "Changes zone"], rows,
               [False, True, True, True, False])
    )
    parts.append("<h3>Break-even: the smallest moves that change the zone</h3>")
    reachable = [r for r in knob_rows(break_even(a, m), a, m.decimals) if r.reachable][:BREAK_EVEN_ROWS]
    if reachable:
        parts.append(_table(["Input", "Now", "Moves to", "Move", "Score", "Zone"],
                            [(r.label, r.now, r.to, r.move, r.score, r.zone) for r in reachable],
                            [False, True, True, True, True, False]))
    else:
        parts.append('<p class="note">No single input changes the zone within its range.</p>')
    return "".join(parts)
