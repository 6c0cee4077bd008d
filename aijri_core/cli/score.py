"""`aijri score`, `schema`, `roles` and `app`: a role's breakdown, the file format, the bundled roles, the explorer."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

from ..errors import AIJRIError
from ..io import bundled_roles, data_dir
from ..methodology import DEFAULT, Methodology, Zone
from ..model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    RoleAssessment,
)
from ..scoring import Score, score
from ..textfmt import percent, signed
from .common import PATH_HELP, add_methodology_option, dump_json, read_assessment, read_methodology, terminal_text

#: The JSON keys of ``aijri score --json``, in this order (more keys may follow them).
SCORE_JSON_KEYS = (
    "weighted_task_score",
    "task_resistance",
    "evidence_total",
    "evidence_modifier",
    "barrier_total",
    "barrier_modifier",
    "growth_correlation",
    "growth_modifier",
    "raw",
    "score_unclamped",
    "score",
    "clamped",
    "zone",
    "sublabel",
    "final_zone",
    "share_time_score_3_plus",
)


def _num(value: float, places: int = 2, most: int = 4) -> str:
    """At least ``places`` decimals, more (up to ``most``) when they carry information."""
    for d in range(places, most + 1):
        text = f"{value:.{d}f}"
        if abs(float(text) - value) < 1e-9:
            return text
    return f"{value:.{most}f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    rows = [[terminal_text(str(c)) for c in r] for r in rows]  # user text: one line, no control characters
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for cell, width, r in zip(cells, widths, right, strict=True):
            out.append(str(cell).rjust(width) if r else str(cell).ljust(width))
        return "  " + "  ".join(out).rstrip()

    return [line(headers), "  " + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _zone_words(zone: Zone, sublabel: str | None) -> str:
    return f"{zone.label} ({sublabel})" if sublabel else zone.label


def score_json(s: Score, assessment: RoleAssessment | None = None) -> dict:
    """The ``--json`` object: SCORE_JSON_KEYS first, then the other Score figures."""
    full = s.to_json_dict()
    out = {key: full[key] for key in SCORE_JSON_KEYS}
    out.update({k: v for k, v in full.items() if k not in out})
    if assessment is not None:
        out["title"] = assessment.title
        if assessment.published is not None:
            out["published"] = assessment.published.model_dump(mode="json")
    return out


def format_breakdown(a: RoleAssessment, s: Score, m: Methodology = DEFAULT) -> str:
    """The readable breakdown: tasks, evidence, barriers, composite, zone (seed layout)."""
    lines: list[str] = [terminal_text(a.title + (f", {a.seniority}" if a.seniority else "")), ""]

    lines.append("Tasks")
    rows = [
        [t.name, percent(t.time_share), str(t.score), _num(w), t.mode.value.replace("_", " ")]
        for t, w in zip(a.tasks, s.task_weighted, strict=True)
    ]
    rows.append(["Total", percent(a.share_total), "", _num(s.weighted_task_score), ""])
    lines += _table(["Task", "Time %", "Score", "Weighted", "Mode"], rows, [False, True, True, True, False])
    lines.append(
        f"  Task resistance: {_num(m.task_resistance_ceiling)} - {_num(s.weighted_task_score)}"
        f" = {_num(s.task_resistance)}"
    )
    lines.append("")

    lines.append("Evidence")
    rows = [[EVIDENCE_LABELS[d], signed(getattr(a.evidence, d))] for d in EVIDENCE_DIMENSIONS]
    rows.append(["Total (E)", signed(s.evidence_total)])
    lines += _table(["Dimension", "Score"], rows, [False, True])
    lines.append("")

    lines.append("Barriers")
    rows = [[BARRIER_LABELS[b], str(getattr(a.barriers, b))] for b in BARRIERS]
    rows.append(["Total (B)", f"{s.barrier_total}/{2 * len(BARRIERS)}"])
    lines += _table(["Barrier", "Score"], rows, [False, True])
    lines.append("")

    lines.append("Protective principles (shown, not scored)")
    rows = [[PROTECTIVE_LABELS[p], str(getattr(a.protective, p))] for p in PROTECTIVE_PRINCIPLES]
    rows.append(["Total", f"{s.protective_total}/{3 * len(PROTECTIVE_PRINCIPLES)}"])
    lines += _table(["Principle", "Score"], rows, [False, True])
    lines.append("")

    lines.append("Composite")
    em = f"1 + ({signed(s.evidence_total)} x {m.evidence_weight:g}) = {_num(s.evidence_modifier)}"
    bm = f"1 + ({s.barrier_total} x {m.barrier_weight:g}) = {_num(s.barrier_modifier)}"
    gm = f"1 + ({signed(s.growth_correlation)} x {m.growth_weight:g}) = {_num(s.growth_modifier)}"
    raw = (
        f"{_num(s.task_resistance)} x {_num(s.evidence_modifier)} x {_num(s.barrier_modifier)}"
        f" x {_num(s.growth_modifier)} = {s.raw:.4f}"
    )
    unclamped = f"{s.score_unclamped:.{max(m.decimals + 2, 3)}f}"
    sc = f"({s.raw:.4f} - {m.normalisation_offset:g}) / {m.normalisation_span:g} x 100 = {unclamped}"
    if s.clamped:
        sc += f" -> capped to {s.score:.{m.decimals}f} (clamped to the 0..100 scale)"
    else:
        sc += f" -> {s.score:.{m.decimals}f}"
    rows = [
        ["Task resistance (TR)", _num(s.task_resistance)],
        ["Evidence modifier", em],
        ["Barrier modifier", bm],
        ["Growth modifier", gm],
        ["Raw", raw],
        ["Score", sc],
    ]
    lines += _table(["Input", "Value"], rows, [False, False])
    lines.append("")

    lines.append(f"Result: {s.score:.{m.decimals}f} {_zone_words(s.zone, s.sublabel)}")
    lines.append(
        f"  zones: GREEN >= {m.green_threshold:g}, YELLOW {m.yellow_threshold:g} to below {m.green_threshold:g},"
        f" RED below {m.yellow_threshold:g}"
    )
    if s.distance_below is not None and s.threshold_below is not None:
        lines.append(f"  {s.distance_below:.{m.decimals}f} points above the threshold at {s.threshold_below:g}")
    if s.distance_above is not None and s.threshold_above is not None:
        lines.append(f"  {-s.distance_above:.{m.decimals}f} points below the threshold at {s.threshold_above:g}")
    if a.published is not None:
        pub = a.published
        pub_text = f"{pub.score:.{m.decimals}f} {_zone_words(pub.zone, pub.sublabel)}"
        formula_text = f"{s.score:.{m.decimals}f} {_zone_words(s.zone, s.sublabel)}"
        same = pub_text == formula_text
        lines.append(f"Published: {pub_text}  (formula: {formula_text}; {'matches' if same else 'differs'})")
    if a.override is not None:
        ov = a.override
        lines.append(f"Override: {_zone_words(ov.zone, ov.sublabel)} (reason: {terminal_text(ov.reason)})")
        lines.append(f"Final zone: {s.zone_text}  (formula: {_zone_words(s.zone, s.sublabel)})")
    lines.append(
        f"Task time at score {m.transforming_score}+: {percent(s.share_time_score_3_plus)}"
        f"  (Transforming needs {percent(m.transforming_share)}; Accelerated needs growth"
        f" {signed(m.accelerated_growth)})"
    )
    lines.append(
        f"Split: {percent(s.displacement_share)} displacement, {percent(s.augmentation_share)} augmentation,"
        f" {percent(s.not_involved_share)} not involved"
    )
    return "\n".join(lines) + "\n"


def cmd_score(args: argparse.Namespace) -> int:
    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    s = score(a, m)
    if args.json:
        dump_json(score_json(s, a))
    else:
        sys.stdout.write(format_breakdown(a, s, m))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    dump_json(RoleAssessment.model_json_schema())
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    roles = bundled_roles()
    if not roles:
        raise AIJRIError(f"no bundled roles in {data_dir() / 'roles'} (set AIJRI_DATA_DIR to a folder with roles/)")
    if args.json:
        out = []
        for slug, a in roles.items():
            s = score(a)
            out.append(
                {
                    "slug": slug,
                    "title": a.title,
                    "score": s.score,
                    "zone": s.final_zone.value,
                    "sublabel": s.final_sublabel,
                }
            )
        dump_json(out)
        return 0
    rows = []
    for slug, a in roles.items():
        s = score(a)
        rows.append([slug, a.title, f"{s.score:.{DEFAULT.decimals}f}", s.zone_text])
    print("\n".join(line[2:] for line in _table(["Slug", "Title", "Score", "Zone"], rows, [False, False, True, False])))
    return 0


def app_script() -> Path:
    """The explorer's ``app.py`` as installed with the package (module ``aijri_app.app``)."""
    spec = importlib.util.find_spec("aijri_app.app")
    if spec is None or spec.origin is None:
        raise AIJRIError("the explorer (aijri_app) is not installed with this package; reinstall it with pip")
    return Path(spec.origin)


def streamlit_config_flags(config: Path, given: Sequence[str] = ()) -> list[str]:
    """The options of the shipped ``.streamlit/config.toml`` as ``--section.option=value`` flags.

    Streamlit reads that file only from the working folder, so ``aijri app`` passes the
    options on its command line instead; an option the user gives in ``given`` wins.
    """
    named = {arg[2:].split("=", 1)[0] for arg in given if arg.startswith("--")}
    flags = []
    for section, options in tomllib.loads(config.read_text(encoding="utf-8")).items():
        for option, value in options.items():
            if f"{section}.{option}" not in named:
                text = str(value).lower() if isinstance(value, bool) else str(value)
                flags.append(f"--{section}.{option}={text}")
    return flags


def cmd_app(args: argparse.Namespace) -> int:
    script = app_script()
    extra = list(args.extra)
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               *streamlit_config_flags(script.parent / ".streamlit" / "config.toml", extra), *extra]  # fmt: skip
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":  # the server takes this process's place (and PID): Ctrl+C and kill reach it
        os.execv(sys.executable, command)
    return subprocess.call(command)


def register(subparsers) -> None:
    """Add score, schema and roles to the `aijri` parser."""
    p = subparsers.add_parser("score", help="score a role assessment (JSON file or bundled role slug)")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument("--json", action="store_true", help="print every figure as JSON")
    add_methodology_option(p)
    p.set_defaults(func=cmd_score)

    p = subparsers.add_parser("schema", help="print the JSON Schema of the assessment file format")
    p.set_defaults(func=cmd_schema)

    p = subparsers.add_parser("roles", help="list the bundled roles with their scores")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_roles)

    p = subparsers.add_parser(
        "app",
        help="serve the what-if explorer (Streamlit); other options go to `streamlit run`",
        description="Serve the what-if explorer installed with this package. Any further options, such as"
        " --server.port 8502 or --server.address 127.0.0.1, are passed to `streamlit run`.",
    )
    p.set_defaults(func=cmd_app, passthrough=True)
