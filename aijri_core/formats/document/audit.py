"""The audit: every figure a document states, next to the figure the method computes."""

from __future__ import annotations

from dataclasses import dataclass

from ...methodology import SUBLABELS_BY_CODE, Methodology, Zone, publish_round
from ...model import RoleAssessment
from ...scoring import score as score_assessment


@dataclass(frozen=True)
class AuditRow:
    """One figure the document states, next to the figure the method computes."""

    figure: str
    stated: str
    computed: str
    matches: bool
    line: int | None = None


@dataclass(frozen=True)
class Audit:
    """Every stated figure of a document checked against the method."""

    rows: tuple[AuditRow, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.matches for r in self.rows)

    @property
    def mismatches(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if not r.matches)

    def to_df(self):
        import pandas as pd

        return pd.DataFrame(
            [(r.figure, r.stated, r.computed, r.matches, r.line) for r in self.rows],
            columns=["figure", "stated", "computed", "matches", "line"],
        )

    def summary(self) -> str:
        if not self.rows:
            return "the document states no figures to check"
        if self.ok:
            return f"all {len(self.rows)} stated figures match the method"
        bad = self.mismatches
        names = "; ".join(f"{r.figure}: stated {r.stated}, computed {r.computed}" for r in bad[:5])
        return f"{len(bad)} of {len(self.rows)} stated figures differ from the method: {names}"


@dataclass
class Stated:
    figure: str
    text: str  # the number as written (decides the decimals) or a word
    line: int


#: Sub-labels the method computes (GREEN only); others are carried as published.
_METHOD_SUBLABELS = {label.casefold() for label in SUBLABELS_BY_CODE if label}


def audit_figures(a: RoleAssessment, stated: list[Stated], m: Methodology) -> Audit:
    """Each stated figure beside the method's, rounded to the decimals the document shows."""
    s = score_assessment(a, m)
    weighted = {f"weighted: {t.name}": w for t, w in zip(a.tasks, s.task_weighted, strict=True)}
    numbers: dict[str, float] = {
        **weighted,
        "task time total": a.share_total,
        "weighted task score": s.weighted_task_score,
        "task resistance": s.task_resistance,
        "displacement share": s.displacement_share,
        "augmentation share": s.augmentation_share,
        "not involved share": s.not_involved_share,
        "evidence total": s.evidence_total,
        "evidence modifier": s.evidence_modifier,
        "barrier total": s.barrier_total,
        "barrier modifier": s.barrier_modifier,
        "growth correlation": s.growth_correlation,
        "growth modifier": s.growth_modifier,
        "raw": s.raw,
        "score": s.score,
        "task time at score 3+": s.share_time_score_3_plus,
        "protective total": s.protective_total,
    }
    words = {"zone": s.zone.label, "sub-label": s.sublabel or "none"}
    rows = []
    for st in sorted(stated, key=lambda x: x.line):
        if st.figure == "sub-label" and s.zone is not Zone.GREEN and st.text.casefold() not in _METHOD_SUBLABELS:
            # YELLOW/RED sub-labels ("Urgent", ...) follow no published rule: nothing to recompute
            continue
        if st.figure in words:
            computed = words[st.figure]
            rows.append(AuditRow(st.figure, st.text, computed, st.text.casefold() == computed.casefold(), st.line))
            continue
        value = numbers[st.figure]
        decimals = len(st.text.split(".", 1)[1]) if "." in st.text and "e" not in st.text.lower() else 0
        decimals = min(decimals, 6)
        rounded = publish_round(value, decimals)
        matches = abs(rounded - float(st.text)) < 10 ** -(decimals + 3)
        rows.append(AuditRow(st.figure, st.text, f"{rounded:.{decimals}f}", matches, st.line))
    return Audit(tuple(rows))
