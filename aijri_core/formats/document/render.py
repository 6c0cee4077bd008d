"""Writing an assessment as a document in the published layout (figures computed by the method)."""

from __future__ import annotations

from ...methodology import DEFAULT, Methodology
from ...model import SCALES, RoleAssessment, TaskMode
from ...scoring import Factor, breakdown
from ...textfmt import exact, fixed, percent_against, signed, trimmed
from .cells import escape, escape_cell, escape_paren


def _paren(sub: str | None) -> str:
    return "" if sub is None else f" ({escape_paren(sub)})"


def _modifier(f: Factor) -> str:
    """'1.0 + (5 x 0.04) = 1.20' (the total unsigned, as published)."""
    return f"1.0 + ({f.total} x {f.weight:g}) = {fixed(f.modifier, 2)}"


_MODE_WORDS = {
    TaskMode.AUGMENTATION: "AUGMENTATION",
    TaskMode.DISPLACEMENT: "DISPLACEMENT",
    TaskMode.NOT_INVOLVED: "NOT INVOLVED",
}


def render_assessment_document(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> str:
    """The assessment as a document in the published layout (figures computed by the method)."""
    a = assessment
    m = methodology
    b = breakdown(a, m)
    out: list[str] = []
    add = out.append

    def heading(text: str) -> None:
        """A markdown heading between blank lines (the parser skips headings and blank lines)."""
        if out:
            add("")
        add(f"## {text}")
        add("")

    def gap() -> None:
        add("")

    heading("Role Definition")
    add("| Field | Value |")
    add("|---|---|")
    add(f"| Job Title | {escape(b.title)} |")
    add(f"| Seniority Level | {escape(b.seniority)} |")

    pr = b.protective
    heading("Protective Principles + AI Growth Correlation")
    add(f"| Principle | Score ({SCALES['protective'].span('-')}) | Rationale |")
    add("|---|---|---|")
    for r in pr.rows:
        add(f"| {r.label} | {r.rating} | |")
    add(f"| Protective Total | {pr.total}/{pr.high} | |")
    add(f"| AI Growth Correlation | {signed(b.growth.total)} | |")

    heading("Task Decomposition")
    add(f"| Task | Time % | Score ({SCALES['score'].span('-')}) | Weighted | Aug/Disp | Rationale |")
    add("|---|---|---|---|---|---|")
    for t in b.tasks:
        add(
            f"| {escape(t.name)} | {exact(t.time_share)}% | {t.score} | {fixed(t.contribution, 2)} |"
            f" {_MODE_WORDS[t.mode]} | {escape_cell(t.rationale)} |"
        )
    add(f"| Total | {trimmed(b.share_total)}% | | {fixed(b.weighted_task_score, 2)} | | |")
    gap()
    add(
        f"Task Resistance Score: {b.task_resistance_ceiling:.2f} - {fixed(b.weighted_task_score, 2)}"
        f" = {fixed(b.task_resistance, 2)}/5.0"
    )
    gap()
    add(
        f"Displacement/Augmentation split: {trimmed(b.displacement_share)}% displacement,"
        f" {trimmed(b.augmentation_share)}% augmentation, {trimmed(b.not_involved_share)}% not involved."
    )

    heading("Evidence Score")
    add("| Dimension | Score (-2 to 2) | Evidence |")
    add("|---|---|---|")
    for r in b.evidence.rows:
        add(f"| {r.label} | {signed(r.rating)} | |")
    add(f"| Total | {signed(b.evidence.total)} | |")

    heading("Barrier Assessment")
    add("| Barrier | Score (0-2) | Rationale |")
    add("|---|---|---|")
    for r in b.barriers.rows:
        add(f"| {r.label} | {r.rating} | |")
    add(f"| Total | {b.barriers.total}/{b.barriers.high} | |")

    heading("JobZone Composite Score (AIJRI)")
    add("| Input | Value |")
    add("|---|---|")
    add(f"| Task Resistance Score | {fixed(b.task_resistance, 2)}/5.0 |")
    add(f"| Evidence Modifier | {_modifier(b.evidence)} |")
    add(f"| Barrier Modifier | {_modifier(b.barriers)} |")
    add(f"| Growth Modifier | {_modifier(b.growth)} |")
    gap()
    factors = " x ".join(fixed(f.modifier, 2) for f in b.factors)
    add(f"Raw: {fixed(b.task_resistance, 2)} x {factors} = {fixed(b.raw, 4)}")
    capped = f" (capped to the {SCALES['published'].span('-')} scale)" if b.clamped else ""
    gap()
    add(
        f"JobZone Score: ({fixed(b.raw, 4)} - {b.normalisation_offset:g}) / {b.normalisation_span:g} x 100"
        f" = {fixed(b.score, b.decimals)}/100{capped}"
    )
    gap()
    add(
        f"Zone: {b.zone.label} (Green >= {b.green_threshold:g}, Yellow {b.yellow_threshold:g} to below"
        f" {b.green_threshold:g}, Red < {b.yellow_threshold:g})"
    )

    heading("Sub-Label Determination")
    add("| Metric | Value |")
    add("|---|---|")
    add(f"| % of task time scoring {b.transforming_score}+ | {percent_against(b.share_time_score_3_plus, b.transforming_share)} |")
    add(f"| AI Growth Correlation | {signed(b.growth.total)} |")
    add(f"| Sub-label | {b.zone.value}{_paren(b.sublabel)} |")

    gap()
    if a.published is None:
        add("Published result: none")
    else:
        p = a.published
        add(f"Published result: {exact(p.score)} {p.zone.label}{_paren(p.sublabel)}")
    gap()
    if a.override is None:
        add("Assessor override: None (the formula's zone stands)")
    else:
        o = a.override
        add(f"Assessor override: {o.zone.label}{_paren(o.sublabel)} \u2014 {escape(o.reason)}")

    if a.comparators is not None:
        heading("Comparators")
        add("| Role | Score | Zone |")
        add("|---|---|---|")
        for c in a.comparators:
            add(f"| {escape(c.title)} | {exact(c.score)} | {c.zone.label}{_paren(c.sublabel)} |")
    return "\n".join(out) + "\n"
