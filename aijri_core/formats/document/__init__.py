"""Assessment documents: read (with an arithmetic audit) and write the published layout.

A document is plain text with pipe tables, laid out like the published assessments:

- tables, recognised by the first cell of their header row (any order, other tables and
  prose are ignored): ``Field`` (role definition: Job Title, Seniority Level, What This
  Role Is NOT), ``Principle`` (protective principles, protective total, AI growth
  correlation), ``Task`` (task decomposition: Time %, Score, Weighted, Aug/Disp,
  Rationale; a ``Total`` row), ``Dimension`` (evidence, ``Total``), ``Barrier``
  (barriers, ``Total``), ``Input`` (composite: task resistance and the three modifiers),
  ``Metric`` (sub-label: % of task time at 3+, growth, sub-label), ``Role`` (comparators);
- lines ``Task Resistance Score: ...``, ``Displacement/Augmentation split: ...``,
  ``Raw: ... = x``, ``JobZone Score: ... = x/100``, ``Zone: GREEN ...``,
  ``Assessor override: None | <ZONE> (<sub-label>) — <reason>``,
  ``Published result: none | <score> <ZONE> (<sub-label>)``, ``Confirmed at +1``.

Tolerated: Windows/Mac line ends, a Unicode minus (U+2212), "+1", percent signs, "2/9"
style totals, ``**bold**`` markers, spacing, extra or reordered sections, and cells with
an unescaped ``|`` in the last column. Refused, naming the line: a number cell holding
anything but one number (a decimal comma, a fraction, other digits, a unit; see
:mod:`.cells`), and a second row or line for a field a document gives once (job title,
seniority, AI growth, score, zone, sub-label, override, published result).

What is read into the :class:`RoleAssessment`: title, seniority, tasks (name, share,
score, mode, rationale), the evidence, barrier, protective and growth ratings, the
published result (the ``Published result`` line if present, else the stated score, zone
and sub-label), an override, and comparators (a ``Role`` table if present, else other
roles' figures found in the text: "NOT a <Title> (..., scored 68.2 Green Accelerated)" and
"<Title> (43.5)", whose zone then follows from the score; sorted by score, highest first).

Every other figure the document states is *computed*, and :class:`Audit` lists each one
beside what :func:`aijri_core.score` gives, rounded to the decimals the document shows
(half away from zero), so an arithmetic slip in a document is named.

Writing (:func:`render_assessment_document`) uses the same layout as Markdown (``##``
headings, blank lines between blocks), so the file also reads well in a Markdown viewer. Text in table cells is
escaped so that any text survives: ``\\`` -> ``\\\\``, ``|`` -> ``\\|``, ``*`` -> ``\\*``,
line breaks -> ``\\n``/``\\r``; in a sub-label, parentheses as ``\\(``/``\\)``. A cell
holding just ``\\`` is an empty (but present) text. ``parse(render(a)) == a`` for every valid
assessment.
"""

from __future__ import annotations

from .audit import Audit, AuditRow
from .cells import DocumentError
from .parse import parse_assessment_document
from .render import render_assessment_document

__all__ = ["Audit", "AuditRow", "DocumentError", "parse_assessment_document", "render_assessment_document"]
