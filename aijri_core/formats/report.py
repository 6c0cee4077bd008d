"""A self-contained HTML report of one role and its scenarios, to hand to someone else.

One file, no network needed to open it: plotly's JavaScript is embedded once in the page
head and every chart is drawn from data inside the file. Contents: the score and zone on
the scale (with comparators), the breakdown tables (tasks, evidence, barriers, protective
principles, composite), the composite waterfall, the zone map, the tornado, and for the
scenarios a table, the trajectory chart and each scenario's attribution (which group of
inputs moved the score how much).

All figures come from :mod:`aijri_core.figures` and the analyses of the core; this module
only lays them out. Every text from the assessment is HTML-escaped.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..analyses import tornado, zone_map
from ..analyses.attribution import attribute
from ..figures import (
    ZONE_COLOURS,
    attribution_waterfall,
    composite_waterfall,
    score_scale_figure,
    tornado_figure,
    trajectory_figure,
    zone_map_figure,
)
from ..knobs import apply
from ..methodology import DEFAULT, Methodology, Zone
from ..model import SCALES, RoleAssessment, Scenario
from ..scoring import Breakdown, Factor, Score, breakdown, score
from ..textfmt import fixed, percent, signed, zone_text

#: Scenarios listed in the table (a report is for reading, not a data dump).
MAX_REPORT_SCENARIOS = 200
#: Scenarios that get their own attribution chart (the table covers the rest).
MAX_ATTRIBUTION_CHARTS = 20
#: Tornado rows drawn (the largest swings).
TORNADO_ROWS = 15

_CSS = """
body { font-family: Inter, 'Source Sans Pro', Arial, sans-serif; color: #1f2933; margin: 0; background: #f7f8fa; }
main { max-width: 760px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.7rem; margin: 0.2rem 0; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #e5e7eb; padding-bottom: 0.3rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.sub { color: #6b7785; margin: 0 0 1rem; }
.headline { display: flex; gap: 1.2rem; align-items: baseline; flex-wrap: wrap; }
.score { font-size: 2.6rem; font-weight: 700; }
.zone { font-weight: 700; padding: 0.15rem 0.6rem; border-radius: 0.4rem; color: #fff; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.3rem 0.7rem; text-align: left; vertical-align: top; }
th { background: #f1f3f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #6b7785; font-size: 0.88rem; }
.figure { margin: 0.5rem 0 1.2rem; }
.client-note { border-left: 4px solid #2563eb; background: #f4f7fe; padding: 0.4rem 1rem; margin: 0.8rem 0 1.2rem;
  white-space: pre-line; }
/* Print: A4 or Letter, each section on its own page, nothing split across a page break. */
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; margin-top: 0; }
  h2.same-page { break-before: auto; margin-top: 2rem; }
  h2, h3 { break-after: avoid; }
  table, tr, .figure, .keep, .headline, .client-note { break-inside: avoid; }
  .modebar-container { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""
#: Width of every chart (px): the printable width of an A4 page with 12 mm margins
#: (186 mm at 96 px per inch is 703 px), so a printed chart is never cut off.
FIGURE_WIDTH = 700


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[bool]) -> str:
    head = "".join(f'<th class="num">{_e(h)}</th>' if n else f"<th>{_e(h)}</th>" for h, n in zip(headers, numeric, strict=True))
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if n else f"<td>{_e(c)}</td>" for c, n in zip(row, numeric, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(fig: go.Figure) -> str:
    """A chart's div and drawing script, without plotly.js (the page embeds it once)."""
    # The figure carries its own look (aijri_core.figures.theme), the same as in the app.
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
    parts = ["<h2>Breakdown</h2>", "<h3>Tasks</h3>"]
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
    parts.append("<h3>Composite</h3>")
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
    parts.append(_figure(composite_waterfall(b)))
    return "".join(parts)


def _scenarios_section(a: RoleAssessment, scenarios: list[Scenario], base: Score, m: Methodology) -> str:
    shown = scenarios[:MAX_REPORT_SCENARIOS]
    parts = ["<h2>Scenarios</h2>"]
    if len(scenarios) > len(shown):
        parts.append(f'<p class="note">The first {len(shown)} of {len(scenarios)} scenarios are listed.</p>')
    rows = []
    results: list[tuple[Scenario, Score]] = []
    for sc in shown:
        r = score(apply(a, sc), m)
        results.append((sc, r))
        rows.append(
            (
                sc.name,
                sc.trajectory or "",
                sc.position or "",
                f"{r.score:.{m.decimals}f}",
                zone_text(r.zone, r.sublabel),
                f"{r.score - base.score:+.{m.decimals}f}",
                len(sc.changes),
                sc.note,
            )
        )
    paths: dict[str, list[tuple[str, float]]] = {}
    for sc, r in results:
        if sc.trajectory is not None:
            paths.setdefault(sc.trajectory, []).append((sc.position or sc.name, r.score))
    if paths:
        parts.append(_figure(trajectory_figure(paths, m, baseline=base.score)))
    # Notes are shown with each scenario's attribution below, where there is room for them.
    parts.append(
        _table(
            ["Scenario", "Trajectory", "Step", "Score", "Zone", "Change", "Inputs changed"],
            [row[:-1] for row in rows],
            [False, False, False, True, False, True, True],
        )
    )
    parts.append("<h3>What moves each scenario's score</h3>")
    parts.append(
        '<p class="note">Each change from the assessed role is split among tasks, evidence, barriers and'
        " growth (Shapley shares of the unclamped score change; they add up to the change).</p>"
    )
    for sc, _ in results[:MAX_ATTRIBUTION_CHARTS]:
        if not sc.changes:
            continue
        att = attribute(a, sc, m)
        parts.append(f'<div class="keep"><h3>{_e(sc.name)}</h3>')
        if sc.note:
            parts.append(f'<p class="note">{_e(sc.note)}</p>')
        rows = [(p.label, "", f"{p.contribution:+.3f}") for p in att.groups]
        rows += [("", p.label, f"{p.contribution:+.3f}") for p in att.knobs or ()]
        rows.append(("Total change (unclamped)", "", f"{att.change:+.3f}"))
        parts.append(_table(["Group", "Input moved", "Score points"], rows, [False, False, True]))
        by = "knobs" if att.knobs else "groups"
        parts.append(_figure(attribution_waterfall(att, title=f"{sc.name}: where the change comes from", by=by)))
        parts.append("</div>")
    if len(results) > MAX_ATTRIBUTION_CHARTS:
        parts.append(
            f'<p class="note">Attribution charts are drawn for the first {MAX_ATTRIBUTION_CHARTS} scenarios.</p>'
        )
    return "".join(parts)


def render_report_html(
    assessment: RoleAssessment,
    scenarios: Iterable[Scenario] = (),
    methodology: Methodology = DEFAULT,
    title: str | None = None,
    note: str = "",
    date: datetime.date | None = None,
) -> str:
    """The report as one self-contained HTML page (UTF-8 text, plotly embedded, no network).

    ``title`` replaces the role's title as the heading; ``note`` (a note for the reader,
    e.g. a coach's words to a client) and ``date`` are shown under it.
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
        f"<title>{_e(heading)} - JobZone score report</title>",
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
        f"{_zone_badge(s.final_zone, s.final_sublabel)}<span class=\"note\">JobZone score (AIJRI), {SCALES['published'].span('-')},"
        " higher = more resistant to displacement by AI agents</span></div>"
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
    if items:
        parts.append(_scenarios_section(a, items, s, m))
    parts.append(_breakdown(breakdown(a, m)))

    parts.append("<h2>Zone map</h2>")
    parts.append(
        '<p class="note">Score over task resistance and evidence total at this role\'s barriers and growth;'
        " the marker is the role.</p>"
    )
    parts.append(_figure(zone_map_figure(zone_map(a, m), m)))

    parts.append("<h2>Sensitivity (tornado)</h2>")
    tor = tornado(a, methodology=m)
    parts.append(
        '<p class="note">Each input moved one step either way (ratings by one point, time shares by five'
        " percentage points), one at a time; the largest swings first.</p>"
    )
    parts.append(_figure(tornado_figure(tor, m, max_rows=TORNADO_ROWS)))
    rows = [
        (r.label, f"{r.score_low:.{m.decimals}f}", f"{r.score_high:.{m.decimals}f}", f"{r.swing:.{m.decimals}f}",
         "yes" if r.crosses else "")
        for r in tor.rows[:TORNADO_ROWS]
    ]
    parts.append(
        _table(["Input", "Score (low end)", "Score (high end)", "Swing", "Changes zone"], rows,
               [False, True, True, True, False])
    )

    parts.append(
        '<h2 class="same-page">About the score</h2><p class="note">The JobZone score combines task resistance (how much of the'
        " working time is on tasks an AI agent cannot take over) with modifiers for market evidence, barriers"
        f" to automation and how demand moves with AI adoption. Zones: GREEN from {m.green_threshold:g}, YELLOW"
        f" from {m.yellow_threshold:g}, RED below. The figures in this report are computed from the inputs"
        " shown; charts are interactive and need no network connection.</p>"
    )
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
