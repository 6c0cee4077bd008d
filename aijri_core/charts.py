"""Plotly figure builders: results in, ``go.Figure`` out. No streamlit here.

Every chart of the app (and of the HTML report) comes from this module, so the zone
colours, titles, axis labels and hover texts are the same everywhere. The builders read
the thresholds and constants from a :class:`Methodology`; they never repeat them.

The analysis results (tornado, zone map, Monte Carlo, attribution, spider) are read by
attribute name only, so this module does not import the analysis modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .methodology import DEFAULT, SCALE_MAX, SCALE_MIN, ZONES_BY_CODE, Methodology, Zone, zone_of
from .scoring import Score

#: The one zone palette (solid colours for marks, lines and bars).
ZONE_COLOURS: dict[Zone, str] = {
    Zone.GREEN: "#2f9e5b",
    Zone.YELLOW: "#e3a919",
    Zone.RED: "#d1493f",
}
#: Light versions of the same colours for the background bands.
ZONE_BAND_COLOURS: dict[Zone, str] = {
    Zone.GREEN: "rgba(47, 158, 91, 0.16)",
    Zone.YELLOW: "rgba(227, 169, 25, 0.18)",
    Zone.RED: "rgba(209, 73, 63, 0.14)",
}
#: Neutral colours for marks that are not a zone (baseline, current value, lines).
INK = "#1f2933"
MUTED = "#6b7785"
ACCENT = "#2563eb"

FONT = dict(family="Inter, 'Source Sans Pro', Arial, sans-serif", size=13, color=INK)


def zone_colour(zone: Zone | str) -> str:
    """The solid colour of a zone (accepts a Zone or its text, any case)."""
    return ZONE_COLOURS[_as_zone(zone)]


def _as_zone(zone: Zone | str) -> Zone:
    if isinstance(zone, Zone):
        return zone
    return Zone(str(zone).capitalize())


def _layout(fig: go.Figure, title: str, height: int, **kw) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=15)),
        height=height,
        margin=dict(l=10, r=20, t=48, b=40),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font_size=13),
        **kw,
    )
    return fig


def _fmt(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}"


def _signed(value: float, decimals: int = 1) -> str:
    return f"{value:+.{decimals}f}"


def zone_bands(methodology: Methodology = DEFAULT, lo: float = SCALE_MIN, hi: float = SCALE_MAX):
    """(zone, start, end) of each zone band on the score scale, low to high."""
    m = methodology
    edges = [lo, m.yellow_threshold, m.green_threshold, hi]
    out = []
    for zone, a, b in zip((Zone.RED, Zone.YELLOW, Zone.GREEN), edges[:-1], edges[1:], strict=True):
        a2, b2 = max(a, lo), min(b, hi)
        if b2 > a2:
            out.append((zone, a2, b2))
    return out


def _add_bands(fig: go.Figure, methodology: Methodology, lo: float, hi: float, axis: str = "x", **kw) -> None:
    """Zone bands across the plot: vertical (axis='x') or horizontal (axis='y')."""
    for zone, a, b in zone_bands(methodology, lo, hi):
        if axis == "x":
            fig.add_vrect(x0=a, x1=b, fillcolor=ZONE_BAND_COLOURS[zone], line_width=0, layer="below", **kw)
        else:
            fig.add_hrect(y0=a, y1=b, fillcolor=ZONE_BAND_COLOURS[zone], line_width=0, layer="below", **kw)


def _threshold_lines(fig: go.Figure, methodology: Methodology, axis: str = "x", label: bool = True, **kw) -> None:
    m = methodology
    for value, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
        line = dict(color=ZONE_COLOURS[zone], width=1.5, dash="dot")
        ann = {}
        if label:
            ann = dict(annotation_text=f"{zone.label} from {value:g}",
                       annotation_position="top" if axis == "x" else "top left",
                       annotation_font=dict(size=11, color=MUTED))
        if axis == "x":
            fig.add_vline(x=value, line=line, **ann, **kw)
        else:
            fig.add_hline(y=value, line=line, **ann, **kw)


def _scale_range(values: Iterable[float], methodology: Methodology) -> tuple[float, float]:
    """0..100, widened when an unclamped score falls outside the scale."""
    vals = [v for v in values if v is not None and np.isfinite(v)]
    lo = min([SCALE_MIN, *vals])
    hi = max([SCALE_MAX, *vals])
    pad = 0 if (lo == SCALE_MIN and hi == SCALE_MAX) else 3
    return lo - pad, hi + pad


def _comparator_items(comparators) -> list[tuple[str, float]]:
    out = []
    for c in comparators:
        if isinstance(c, tuple | list):
            out.append((str(c[0]), float(c[1])))
        else:
            out.append((str(c.title), float(c.score)))
    return out


# ---------------------------------------------------------------- score scale


def score_scale_figure(
    score: float,
    baseline: float | None = None,
    comparators: Sequence = (),
    methodology: Methodology = DEFAULT,
    title: str | None = None,
    label: str = "This role",
) -> go.Figure:
    """The score on the 0-100 scale over the three zone bands.

    score / baseline: published scores; the baseline is drawn as a dashed line.
    comparators: other roles as (title, score) pairs or objects with ``.title``/``.score``;
    drawn as labelled dots on rows below the role.
    """
    m = methodology
    items = _comparator_items(comparators)
    lo, hi = _scale_range([score, baseline, *[s for _, s in items]], m)
    fig = go.Figure()
    _add_bands(fig, m, lo, hi)
    _threshold_lines(fig, m, label=True)
    # Comparators: labelled dots on rows below the role; a label goes to the first row where
    # it does not overlap the previous label (about 0.62 score points per character).
    srt = sorted(items, key=lambda t: t[1])
    right_edges: list[float] = []
    ys = []
    for t, sc in srt:
        half = (len(t) + 5) * 0.62 * (hi - lo) / 100 / 2
        row = next((i for i, edge in enumerate(right_edges) if edge < sc - half), None)
        if row is None:
            right_edges.append(sc + half)
            row = len(right_edges) - 1
        else:
            right_edges[row] = sc + half
        ys.append(-(row + 1))
    n_rows = len(right_edges)
    if items:
        fig.add_trace(
            go.Scatter(
                x=[sc for _, sc in srt],
                y=ys,
                mode="markers+text",
                text=[f"{t} {sc:.1f}" for t, sc in srt],
                textposition="bottom center",
                textfont=dict(size=11, color=MUTED),
                marker=dict(size=9, color=[zone_colour(zone_of(sc, m)) for _, sc in srt],
                            line=dict(color="white", width=1)),
                customdata=[[t, zone_of(sc, m).label] for t, sc in srt],
                hovertemplate="%{customdata[0]}: %{x:.1f} (%{customdata[1]})<extra>comparator</extra>",
                name="Other roles (published)",
                showlegend=False,
            )
        )
    if baseline is not None:
        fig.add_trace(
            go.Scatter(
                x=[baseline, baseline],
                y=[-0.9 - n_rows, 0.7],
                mode="lines",
                line=dict(color=MUTED, width=2, dash="dash"),
                name=f"Baseline {baseline:.1f}",
                hovertemplate=f"Baseline: {baseline:.1f} ({zone_of(baseline, m).label})<extra></extra>",
                showlegend=False,
            )
        )
        fig.add_annotation(
            x=baseline, y=0.75, text=f"baseline {baseline:.1f}", showarrow=False, yanchor="bottom",
            font=dict(size=11, color=MUTED), xanchor="right" if baseline >= score else "left",
        )
    z = zone_of(score, m)
    fig.add_trace(
        go.Scatter(
            x=[score],
            y=[0],
            mode="markers+text",
            marker=dict(symbol="diamond", size=18, color=ZONE_COLOURS[z], line=dict(color=INK, width=1.5)),
            text=[f"<b>{score:.1f}</b>"],
            textposition="middle right" if items else "bottom center",
            textfont=dict(size=14, color=INK),
            name=label,
            hovertemplate=f"{label}: {score:.1f} ({z.label})<extra></extra>",
            showlegend=False,
        )
    )
    _layout(
        fig,
        title or f"{label} on the 0-100 scale: {score:.1f} ({z.label})",
        height=170 + 34 * n_rows,
        showlegend=False,
    )
    fig.update_xaxes(range=[lo, hi], title_text="JobZone score (0-100, higher = more resistant to AI)",
                     showgrid=False, zeroline=False, dtick=10)
    fig.update_yaxes(range=[-1.0 - n_rows, 1.3], visible=False, fixedrange=True)
    fig.update_layout(margin=dict(l=10, r=20, t=60, b=40))
    return fig


# ---------------------------------------------------------------- composite waterfall


def composite_steps(s: Score, methodology: Methodology = DEFAULT) -> list[dict]:
    """The composite as steps in score points: TR alone, then each modifier's effect.

    Normalising is linear, so each modifier's change of the raw value maps to score points
    exactly; the steps sum to the unclamped score.
    """
    m = methodology
    k = 100.0 / m.normalisation_span
    tr = s.task_resistance
    after_e = tr * s.evidence_modifier
    after_b = after_e * s.barrier_modifier
    raw = after_b * s.growth_modifier
    return [
        dict(label="Task resistance", detail=f"TR = {m.task_resistance_ceiling:g} - {s.weighted_task_score:.2f} = {tr:.2f}",
             measure="absolute", value=(tr - m.normalisation_offset) * k, raw=tr),
        dict(label="x evidence", detail=f"E = {s.evidence_total:+d}, x {s.evidence_modifier:.2f}",
             measure="relative", value=(after_e - tr) * k, raw=after_e),
        dict(label="x barriers", detail=f"B = {s.barrier_total:d}, x {s.barrier_modifier:.2f}",
             measure="relative", value=(after_b - after_e) * k, raw=after_b),
        dict(label="x growth", detail=f"G = {s.growth_correlation:+d}, x {s.growth_modifier:.2f}",
             measure="relative", value=(raw - after_b) * k, raw=raw),
        dict(label="Score", detail=f"raw {raw:.4f} normalised: ({raw:.4f} - {m.normalisation_offset:g}) / "
             f"{m.normalisation_span:g} x 100", measure="total", value=s.score_unclamped, raw=raw),
    ]


def composite_waterfall(s: Score, methodology: Methodology = DEFAULT) -> go.Figure:
    """The composite as a waterfall in score points: TR -> x evidence -> x barriers -> x growth -> score."""
    m = methodology
    steps = composite_steps(s, m)
    labels = [
        f"Task resistance<br>{s.task_resistance:.2f}",
        f"x evidence<br>{s.evidence_modifier:.2f} (E {s.evidence_total:+d})",
        f"x barriers<br>{s.barrier_modifier:.2f} (B {s.barrier_total:d})",
        f"x growth<br>{s.growth_modifier:.2f} (G {s.growth_correlation:+d})",
        f"Score<br>raw {s.raw:.4f}",
    ]
    values = [st["value"] for st in steps]
    texts = [_fmt(values[0]), _signed(values[1]), _signed(values[2]), _signed(values[3]), f"<b>{s.score:.1f}</b>"]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=[st["measure"] for st in steps],
            text=texts,
            textposition="outside",
            customdata=[[st["detail"], st["raw"]] for st in steps],
            hovertemplate="%{x}<br>%{customdata[0]}<br>running raw value %{customdata[1]:.4f}"
            "<br>score points: %{y:.2f}<extra></extra>",
            connector=dict(line=dict(color=MUTED, width=1, dash="dot")),
            increasing=dict(marker=dict(color=ZONE_COLOURS[Zone.GREEN])),
            decreasing=dict(marker=dict(color=ZONE_COLOURS[Zone.RED])),
            totals=dict(marker=dict(color=zone_colour(s.zone))),
        )
    )
    top = max(float(np.cumsum(values[:4]).max()), s.score_unclamped, m.green_threshold) + 8
    bottom = min(0.0, float(np.cumsum(values[:4]).min()) - 5)
    _add_bands(fig, m, bottom, top, axis="y")
    _threshold_lines(fig, m, axis="y", label=True)
    clamp_note = f"; the formula gives {s.score_unclamped:.2f}, capped to {s.score:.1f}" if s.clamped else ""
    _layout(fig, f"How the score is built, in score points{clamp_note}", height=340, showlegend=False)
    fig.update_yaxes(title_text="score points", range=[bottom, top], gridcolor="#e5e7eb")
    fig.update_xaxes(title_text=None, tickfont=dict(size=11))
    return fig


# ---------------------------------------------------------------- tornado


def _knob_value_text(value: float | None) -> str:
    if value is None:
        return "-"
    v = float(value)
    return f"{v:g}" if v.is_integer() else f"{v:.1f}"


def tornado_figure(result, methodology: Methodology = DEFAULT, max_rows: int | None = None) -> go.Figure:
    """Tornado: one row per knob, bars from the baseline score to the score at each end.

    ``result`` is a ``TornadoResult`` (rows sorted by swing, largest first). Bars are
    coloured by the zone they end in; bars that change the zone get a dark outline and a
    "crosses" note. Bar ends: ``base + x`` = score_low / score_high exactly.
    """
    m = methodology
    rows = list(result.rows)[: max_rows or None]
    rows_top_first = rows[::-1]  # plotly draws the first category at the bottom
    base = float(result.base_score)
    labels = [r.label for r in rows_top_first]
    fig = go.Figure()
    for end in ("low", "high"):
        scores = [float(getattr(r, f"score_{end}")) for r in rows_top_first]
        zones = [_as_zone(getattr(r, f"zone_{end}")) for r in rows_top_first]
        crosses = [bool(getattr(r, f"crosses_{end}")) for r in rows_top_first]
        values = [getattr(r, f"{end}_value") for r in rows_top_first]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[s - base for s in scores],
                base=[base] * len(rows_top_first),
                orientation="h",
                name="input lowered" if end == "low" else "input raised",
                marker=dict(
                    color=[ZONE_COLOURS[z] for z in zones],
                    line=dict(color=[INK if c else "rgba(0,0,0,0)" for c in crosses], width=[2.5 if c else 0 for c in crosses]),
                ),
                text=[f"{s:.1f}" + (f" {z.label}" if c else "") for s, z, c in zip(scores, zones, crosses, strict=True)],
                textposition="outside",
                textfont=dict(size=11),
                cliponaxis=False,
                customdata=[
                    [_knob_value_text(r.base_value), _knob_value_text(v), s, z.label, "crosses a zone threshold" if c else ""]
                    for r, v, s, z, c in zip(rows_top_first, values, scores, zones, crosses, strict=True)
                ],
                hovertemplate="%{y}<br>%{customdata[0]} -> %{customdata[1]}: score %{customdata[2]:.1f} "
                "(%{customdata[3]})<br>%{customdata[4]}<extra></extra>",
                showlegend=False,
            )
        )
    all_scores = [base] + [float(r.score_low) for r in rows] + [float(r.score_high) for r in rows]
    lo, hi = min(all_scores), max(all_scores)
    # Room for the end labels ("45.1 YELLOW") on both sides of the bars.
    pad = max(3.0, (hi - lo) * 0.4)
    x0, x1 = lo - pad, hi + pad
    _add_bands(fig, m, x0, x1)
    for t, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
        if x0 <= t <= x1:
            fig.add_vline(x=t, line=dict(color=ZONE_COLOURS[zone], width=1.5, dash="dot"),
                          annotation_text=f"{t:g}", annotation_position="top")
    fig.add_vline(x=base, line=dict(color=INK, width=2), annotation_text=f"baseline {base:.1f}",
                  annotation_position="bottom")
    mode = getattr(result, "mode", "step")
    what = "each input one step down / up" if mode == "step" else "each input across its full range"
    n_cross = sum(1 for r in rows if r.crosses_low or r.crosses_high)
    _layout(
        fig,
        f"What moves the score most: {what}",
        height=110 + 26 * max(len(rows), 3),
        barmode="overlay",
        bargap=0.3,
        showlegend=False,
    )
    fig.update_layout(title_subtitle_text=f"Outlined bars change the zone ({n_cross} input{'s' if n_cross != 1 else ''}"
                      "); bars are coloured by the zone they reach")
    fig.update_xaxes(range=[x0, x1], title_text="JobZone score", gridcolor="#e5e7eb", zeroline=False)
    fig.update_yaxes(automargin=True, tickfont=dict(size=11))
    fig.update_layout(margin=dict(l=10, r=20, t=70, b=56))
    return fig


# ---------------------------------------------------------------- zone map


def zone_map_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Zones over task resistance (x) and evidence total (y), at the role's barriers and growth.

    The cells are coloured by zone; the boundaries are the task resistance needed at each
    evidence total; the role is the marked point.
    """
    m = methodology
    tr = np.asarray(result.task_resistance, dtype=float)
    ev = np.asarray(result.evidence_total, dtype=float)
    scores = np.asarray(result.score, dtype=float)
    codes = np.asarray(result.zone_code, dtype=float)
    zone_names = np.array([ZONES_BY_CODE[int(c)].label for c in codes.ravel()]).reshape(codes.shape)
    colourscale = [
        [0.0, ZONE_BAND_COLOURS[Zone.RED].replace("0.14", "0.55")],
        [0.3333, ZONE_BAND_COLOURS[Zone.RED].replace("0.14", "0.55")],
        [0.3334, ZONE_BAND_COLOURS[Zone.YELLOW].replace("0.18", "0.55")],
        [0.6666, ZONE_BAND_COLOURS[Zone.YELLOW].replace("0.18", "0.55")],
        [0.6667, ZONE_BAND_COLOURS[Zone.GREEN].replace("0.16", "0.5")],
        [1.0, ZONE_BAND_COLOURS[Zone.GREEN].replace("0.16", "0.5")],
    ]
    fig = go.Figure(
        go.Heatmap(
            x=tr,
            y=ev,
            z=codes,
            zmin=0,
            zmax=2,
            colorscale=colourscale,
            showscale=False,
            customdata=np.dstack([scores, zone_names]),
            hovertemplate="task resistance %{x:.2f}, evidence total %{y:+.0f}<br>score %{customdata[0]:.1f} "
            "(%{customdata[1]})<extra></extra>",
        )
    )
    for threshold, line_x in sorted(result.boundaries.items(), reverse=True):
        zone = Zone.GREEN if float(threshold) == float(m.green_threshold) else Zone.YELLOW
        fig.add_trace(
            go.Scatter(
                x=np.asarray(line_x, dtype=float),
                y=ev,
                mode="lines",
                line=dict(color=ZONE_COLOURS[zone], width=2.5),
                name=f"score {float(threshold):g} ({zone.label} boundary)",
                hovertemplate=f"score {float(threshold):g} boundary<br>evidence %{{y:+.0f}} needs TR %{{x:.2f}}<extra></extra>",
            )
        )
    rz = _as_zone(result.role_zone)
    fig.add_trace(
        go.Scatter(
            x=[float(result.role_task_resistance)],
            y=[float(result.role_evidence_total)],
            mode="markers+text",
            marker=dict(symbol="diamond", size=16, color=ZONE_COLOURS[rz], line=dict(color=INK, width=2)),
            text=[f"this role {float(result.role_score):.1f}"],
            textposition="top center",
            textfont=dict(color=INK, size=12),
            name="this role",
            hovertemplate=f"this role: TR {float(result.role_task_resistance):.2f}, evidence "
            f"{float(result.role_evidence_total):+.0f}<br>score {float(result.role_score):.1f} ({rz.label})<extra></extra>",
        )
    )
    _layout(
        fig,
        f"Zone map at barriers B = {float(result.barrier_total):g}, growth G = {float(result.growth_correlation):+g}",
        height=440,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=11), bgcolor="rgba(255,255,255,0.6)"),
    )
    step = float(tr[1] - tr[0]) / 2 if len(tr) > 1 else 0.0
    fig.update_xaxes(title_text="task resistance TR (1 = all work automatable, 5 = irreducibly human)",
                     range=[float(tr.min()) - step, float(tr.max()) + step])
    fig.update_yaxes(title_text="evidence total E", range=[float(ev.min()) - 0.5, float(ev.max()) + 0.5], dtick=2)
    fig.update_layout(margin=dict(l=10, r=20, t=80, b=50))
    return fig


# ---------------------------------------------------------------- attribution


def attribution_waterfall(attribution, title: str | None = None, by: str = "groups") -> go.Figure:
    """Shapley attribution as a waterfall: baseline -> each part's contribution -> scenario.

    Uses the unclamped scores (the parts sum to exactly that change); the published scores
    are in the title and hover text. ``by`` = "groups" or "knobs".
    """
    parts = list(getattr(attribution, by) or attribution.groups)
    base = float(attribution.base_score)
    end = float(attribution.scenario_score)
    x = [f"Baseline<br>{attribution.base_published:.1f}"] + [p.label for p in parts] + [
        f"Scenario<br>{attribution.scenario_published:.1f}"
    ]
    y = [base] + [float(p.contribution) for p in parts] + [end]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=["absolute"] + ["relative"] * len(parts) + ["total"],
            text=[f"{base:.1f}"] + [_signed(float(p.contribution), 2) for p in parts] + [f"{end:.1f}"],
            textposition="outside",
            hovertemplate="%{x}: %{y:.3f} score points<extra></extra>",
            connector=dict(line=dict(color=MUTED, width=1, dash="dot")),
            increasing=dict(marker=dict(color=ZONE_COLOURS[Zone.GREEN])),
            decreasing=dict(marker=dict(color=ZONE_COLOURS[Zone.RED])),
            totals=dict(marker=dict(color=ACCENT)),
        )
    )
    _layout(
        fig,
        title or f"Where the change comes from: {attribution.base_published:.1f} -> "
        f"{attribution.scenario_published:.1f} ({_signed(float(attribution.change), 2)} points, Shapley shares)",
        height=360,
        showlegend=False,
    )
    fig.update_yaxes(title_text="JobZone score (unclamped)", gridcolor="#e5e7eb")
    return fig


# ---------------------------------------------------------------- trajectory


def trajectory_figure(
    paths: Mapping[str, Sequence[tuple[str, float]]],
    methodology: Methodology = DEFAULT,
    baseline: float | None = None,
    title: str | None = None,
) -> go.Figure:
    """Ordered scenarios as paths over the zone bands.

    paths: trajectory name -> [(step label, published score), ...] in order.
    """
    m = methodology
    all_scores = [s for pts in paths.values() for _, s in pts]
    if baseline is not None:
        all_scores.append(baseline)
    lo, hi = _scale_range(all_scores, m)
    fig = go.Figure()
    _add_bands(fig, m, lo, hi, axis="y")
    _threshold_lines(fig, m, axis="y", label=True)
    palette = [INK, ACCENT, "#7c3aed", "#0f766e", "#b45309", "#be185d"]
    categories: list[str] = []
    for pts in paths.values():
        for label, _ in pts:
            if label not in categories:
                categories.append(label)
    for i, (name, pts) in enumerate(paths.items()):
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in pts],
                y=[p[1] for p in pts],
                mode="lines+markers+text",
                name=name,
                line=dict(color=palette[i % len(palette)], width=2.5),
                marker=dict(size=12, color=[zone_colour(zone_of(s, m)) for _, s in pts],
                            line=dict(color=palette[i % len(palette)], width=2)),
                text=[f"{s:.1f}" for _, s in pts],
                textposition="top center",
                customdata=[zone_of(s, m).label for _, s in pts],
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}} (%{{customdata}})<extra></extra>",
            )
        )
    if baseline is not None:
        fig.add_hline(y=baseline, line=dict(color=MUTED, dash="dash", width=1.5),
                      annotation_text=f"baseline {baseline:.1f}", annotation_position="bottom left")
    _layout(fig, title or "Trajectory over the zone bands", height=400,
            legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    fig.update_yaxes(title_text="JobZone score", range=[lo, hi], gridcolor="#e5e7eb")
    fig.update_xaxes(title_text="step", type="category", categoryorder="array", categoryarray=categories)
    return fig


# ---------------------------------------------------------------- uncertainty


def histogram_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Distribution of the Monte Carlo scores, bins coloured by zone, thresholds and baseline drawn."""
    m = methodology
    edges = np.asarray(result.histogram_edges, dtype=float)
    counts = np.asarray(result.histogram_counts, dtype=float)
    total = counts.sum() or 1.0
    centres = (edges[:-1] + edges[1:]) / 2
    widths = np.diff(edges)
    zones = [zone_of(float(c), m) for c in centres]
    fig = go.Figure(
        go.Bar(
            x=centres,
            y=counts / total * 100,
            width=widths,
            marker=dict(color=[ZONE_COLOURS[z] for z in zones], line=dict(width=0)),
            customdata=np.column_stack([edges[:-1], edges[1:], counts]),
            hovertemplate="score %{customdata[0]:.1f} to %{customdata[1]:.1f}<br>%{y:.2f}% of draws "
            "(%{customdata[2]:,.0f})<extra></extra>",
        )
    )
    nonzero = np.nonzero(counts)[0]
    if len(nonzero):  # zoom on the bins that hold draws (the edges cover the whole scale)
        lo, hi = float(edges[nonzero[0]]), float(edges[nonzero[-1] + 1])
    else:
        lo, hi = float(edges[0]), float(edges[-1])
    lo, hi = min(lo, float(result.base_score)), max(hi, float(result.base_score))
    pad = max(2.0, (hi - lo) * 0.08)
    _add_bands(fig, m, lo - pad, hi + pad)
    for t, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
        if lo - pad <= t <= hi + pad:
            fig.add_vline(x=t, line=dict(color=ZONE_COLOURS[zone], width=1.5, dash="dot"),
                          annotation_text=f"{zone.label} from {t:g}", annotation_position="top left")
    base = float(result.base_score)
    fig.add_vline(x=base, line=dict(color=INK, width=2, dash="dash"), annotation_text=f"baseline {base:.1f}",
                  annotation_position="top right")
    q = result.quantiles
    _layout(
        fig,
        f"Score if each rating may be off (p = {float(result.p):g}, {int(result.n):,} draws): "
        f"middle 90% from {q[5]:.1f} to {q[95]:.1f}",
        height=360,
        showlegend=False,
        bargap=0,
    )
    fig.update_xaxes(title_text="JobZone score", range=[lo - pad, hi + pad])
    fig.update_yaxes(title_text="share of draws (%)", gridcolor="#e5e7eb")
    return fig


def importance_figure(importance: Sequence, top: int = 12) -> go.Figure:
    """Which inputs drive the uncertainty: rank correlation of each input with the score."""
    items = sorted(importance, key=lambda i: abs(float(i.rank_correlation)), reverse=True)[:top][::-1]
    fig = go.Figure(
        go.Bar(
            y=[i.label for i in items],
            x=[float(i.rank_correlation) for i in items],
            orientation="h",
            marker=dict(color=[ZONE_COLOURS[Zone.GREEN] if float(i.rank_correlation) >= 0 else ZONE_COLOURS[Zone.RED]
                               for i in items]),
            text=[f"{float(i.rank_correlation):+.2f}" for i in items],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>rank correlation with the score: %{x:+.3f}<extra></extra>",
        )
    )
    _layout(fig, "Inputs that drive the uncertainty", height=110 + 26 * max(len(items), 3), showlegend=False)
    fig.update_xaxes(title_text="rank correlation with the score (-1..+1)", range=[-1.1, 1.1], gridcolor="#e5e7eb",
                     zeroline=True, zerolinecolor=MUTED)
    fig.update_yaxes(automargin=True, tickfont=dict(size=11))
    return fig


# ---------------------------------------------------------------- spider


def spider_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Score as each input moves over its range (one line per input; x = change from its base value)."""
    m = methodology
    by_knob: dict[str, list] = {}
    for p in result.rows:
        by_knob.setdefault(p.knob_id, []).append(p)
    fig = go.Figure()
    all_scores = []
    for pts in by_knob.values():
        base_pts = [p for p in pts if p.is_base]
        base_value = float(base_pts[0].value) if base_pts else 0.0
        xs = [float(p.value) - base_value for p in pts]
        ys = [float(p.score) for p in pts]
        all_scores += ys
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines+markers", name=pts[0].label,
                customdata=[float(p.value) for p in pts],
                hovertemplate=f"{pts[0].label}<br>value %{{customdata:g}}: score %{{y:.1f}}<extra></extra>",
            )
        )
    lo, hi = (min(all_scores), max(all_scores)) if all_scores else (SCALE_MIN, SCALE_MAX)
    pad = max(2.0, (hi - lo) * 0.1)
    _add_bands(fig, m, lo - pad, hi + pad, axis="y")
    _layout(fig, "Score as each input moves away from its baseline", height=420,
            legend=dict(font=dict(size=10)))
    fig.update_xaxes(title_text="change of the input from its baseline value", gridcolor="#e5e7eb")
    fig.update_yaxes(title_text="JobZone score", range=[lo - pad, hi + pad], gridcolor="#e5e7eb")
    return fig
