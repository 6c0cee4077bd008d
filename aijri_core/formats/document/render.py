"""Writing an assessment as a document in the published layout (figures computed by the method)."""

from __future__ import annotations

from ...methodology import DEFAULT, Methodology, publish_round
from ...model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    RoleAssessment,
    TaskMode,
)
from ...scoring import score as score_assessment
from ...textfmt import signed
from .cells import escape, escape_cell, escape_paren


def _fixed(value: float, decimals: int) -> str:
    """A figure rounded half away from zero to ``decimals`` (what the audit compares)."""
    return f"{publish_round(value, decimals):.{decimals}f}"


def _pct(value: float) -> str:
    text = _fixed(value, 1)
    return text[:-2] if text.endswith(".0") else text


def _num(value: float) -> str:
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def _paren(sub: str | None) -> str:
    return "" if sub is None else f" ({escape_paren(sub)})"


_MODE_WORDS = {
    TaskMode.AUGMENTATION: "AUGMENTATION",
    TaskMode.DISPLACEMENT: "DISPLACEMENT",
    TaskMode.NOT_INVOLVED: "NOT INVOLVED",
}


def render_assessment_document(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> str:
    """The assessment as a document in the published layout (figures computed by the method)."""
    a = assessment
    m = methodology
    s = score_assessment(a, m)
    n_barriers = 2 * len(BARRIERS)
    n_protective = 3 * len(PROTECTIVE_PRINCIPLES)
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
    add(f"| Job Title | {escape(a.title)} |")
    add(f"| Seniority Level | {escape(a.seniority)} |")

    heading("Protective Principles + AI Growth Correlation")
    add("| Principle | Score (0-3) | Rationale |")
    add("|---|---|---|")
    for p in PROTECTIVE_PRINCIPLES:
        add(f"| {PROTECTIVE_LABELS[p]} | {getattr(a.protective, p)} | |")
    add(f"| Protective Total | {s.protective_total}/{n_protective} | |")
    add(f"| AI Growth Correlation | {signed(a.growth_correlation)} | |")

    heading("Task Decomposition")
    add("| Task | Time % | Score (1-5) | Weighted | Aug/Disp | Rationale |")
    add("|---|---|---|---|---|---|")
    for t, w in zip(a.tasks, s.task_weighted, strict=True):
        add(
            f"| {escape(t.name)} | {_num(t.time_share)}% | {t.score} | {_fixed(w, 2)} | {_MODE_WORDS[t.mode]} |"
            f" {escape_cell(t.rationale)} |"
        )
    add(f"| Total | {_pct(a.share_total)}% | | {_fixed(s.weighted_task_score, 2)} | | |")
    gap()
    add(
        f"Task Resistance Score: {m.task_resistance_ceiling:.2f} - {_fixed(s.weighted_task_score, 2)}"
        f" = {_fixed(s.task_resistance, 2)}/5.0"
    )
    gap()
    add(
        f"Displacement/Augmentation split: {_pct(s.displacement_share)}% displacement,"
        f" {_pct(s.augmentation_share)}% augmentation, {_pct(s.not_involved_share)}% not involved."
    )

    heading("Evidence Score")
    add("| Dimension | Score (-2 to 2) | Evidence |")
    add("|---|---|---|")
    for d in EVIDENCE_DIMENSIONS:
        add(f"| {EVIDENCE_LABELS[d]} | {signed(getattr(a.evidence, d))} | |")
    add(f"| Total | {signed(s.evidence_total)} | |")

    heading("Barrier Assessment")
    add("| Barrier | Score (0-2) | Rationale |")
    add("|---|---|---|")
    for b in BARRIERS:
        add(f"| {BARRIER_LABELS[b]} | {getattr(a.barriers, b)} | |")
    add(f"| Total | {s.barrier_total}/{n_barriers} | |")

    heading("JobZone Composite Score (AIJRI)")
    add("| Input | Value |")
    add("|---|---|")
    add(f"| Task Resistance Score | {_fixed(s.task_resistance, 2)}/5.0 |")
    add(
        f"| Evidence Modifier | 1.0 + ({s.evidence_total} x {m.evidence_weight:g}) = {_fixed(s.evidence_modifier, 2)} |"
    )
    add(f"| Barrier Modifier | 1.0 + ({s.barrier_total} x {m.barrier_weight:g}) = {_fixed(s.barrier_modifier, 2)} |")
    add(f"| Growth Modifier | 1.0 + ({s.growth_correlation} x {m.growth_weight:g}) = {_fixed(s.growth_modifier, 2)} |")
    gap()
    add(
        f"Raw: {_fixed(s.task_resistance, 2)} x {_fixed(s.evidence_modifier, 2)} x {_fixed(s.barrier_modifier, 2)}"
        f" x {_fixed(s.growth_modifier, 2)} = {_fixed(s.raw, 4)}"
    )
    capped = " (capped to the 0-100 scale)" if s.clamped else ""
    gap()
    add(
        f"JobZone Score: ({_fixed(s.raw, 4)} - {m.normalisation_offset:g}) / {m.normalisation_span:g} x 100"
        f" = {_fixed(s.score, m.decimals)}/100{capped}"
    )
    gap()
    add(
        f"Zone: {s.zone.label} (Green >= {m.green_threshold:g}, Yellow {m.yellow_threshold:g} to below"
        f" {m.green_threshold:g}, Red < {m.yellow_threshold:g})"
    )

    heading("Sub-Label Determination")
    add("| Metric | Value |")
    add("|---|---|")
    add(f"| % of task time scoring {m.transforming_score}+ | {_pct(s.share_time_score_3_plus)}% |")
    add(f"| AI Growth Correlation | {signed(s.growth_correlation)} |")
    add(f"| Sub-label | {s.zone.value}{_paren(s.sublabel)} |")

    gap()
    if a.published is None:
        add("Published result: none")
    else:
        p = a.published
        add(f"Published result: {_num(p.score)} {p.zone.label}{_paren(p.sublabel)}")
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
            add(f"| {escape(c.title)} | {_num(c.score)} | {c.zone.label}{_paren(c.sublabel)} |")
    return "\n".join(out) + "\n"
