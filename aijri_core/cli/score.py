"""`aijri score`, `schema`, `roles` and `app`: a role's breakdown, the file format, the bundled roles, the explorer."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from ..errors import AIJRIError
from ..io import bundled_roles, data_dir
from ..methodology import DEFAULT
from ..model import SCALES, RoleAssessment
from ..scoring import Breakdown, Score, breakdown, score
from ..textfmt import fixed, percent, percent_against, shortest, signed, zone_text
from .common import (
    PATH_HELP,
    add_methodology_option,
    dump_json,
    print_table,
    read_assessment,
    read_methodology,
    table_lines,
    terminal_text,
)

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


def format_breakdown(b: Breakdown) -> str:
    """The readable breakdown: tasks, evidence, barriers, composite, zone (seed layout)."""
    lines: list[str] = [b.title + (f", {b.seniority}" if b.seniority else ""), ""]

    lines.append("Tasks")
    rows = [
        [t.name, percent(t.time_share), str(t.score), shortest(t.contribution), t.mode.value.replace("_", " ")]
        for t in b.tasks
    ]
    rows.append(["Total", percent(b.share_total), "", shortest(b.weighted_task_score), ""])
    lines += table_lines(["Task", "Time %", "Score", "Weighted", "Mode"], rows, [False, True, True, True, False], "  ")
    lines.append(
        f"  Task resistance: {shortest(b.task_resistance_ceiling)} - {shortest(b.weighted_task_score)}"
        f" = {shortest(b.task_resistance)}"
    )
    lines.append("")

    for heading, first, f in (
        ("Evidence", "Dimension", b.evidence),
        ("Barriers", "Barrier", b.barriers),
        ("Protective principles (shown, not scored)", "Principle", b.protective),
    ):
        lines.append(heading)
        rating = signed if f.low < 0 else str
        rows = [[r.label, rating(r.rating)] for r in f.rows]
        total = rating(f.total) if f.low < 0 else f"{f.total}/{f.high}"
        rows.append([f"Total ({f.symbol})" if f.symbol else "Total", total])
        lines += table_lines([first, "Score"], rows, [False, True], "  ")
        lines.append("")

    lines.append("Composite")
    modifiers = [
        [f"{f.name.rstrip('s').capitalize()} modifier",
         f"1 + ({signed(f.total) if f.low < 0 else f.total} x {f.weight:g}) = {shortest(f.modifier)}"]
        for f in b.factors
    ]  # fmt: skip
    factors = " x ".join(shortest(f.modifier) for f in b.factors)
    raw = f"{shortest(b.task_resistance)} x {factors} = {fixed(b.raw, 4)}"
    unclamped = fixed(b.score_unclamped, max(b.decimals + 2, 3))
    sc = f"({fixed(b.raw, 4)} - {b.normalisation_offset:g}) / {b.normalisation_span:g} x 100 = {unclamped}"
    published = fixed(b.score, b.decimals)
    scale = SCALES["published"].span("..")
    sc += f" -> capped to {published} (clamped to the {scale} scale)" if b.clamped else f" -> {published}"
    rows = [["Task resistance (TR)", shortest(b.task_resistance)], *modifiers, ["Raw", raw], ["Score", sc]]
    lines += table_lines(["Input", "Value"], rows, [False, False], "  ")
    lines.append("")

    formula_text = f"{published} {zone_text(b.zone, b.sublabel)}"
    lines.append(f"Result: {formula_text}")
    lines.append(
        f"  zones: GREEN >= {b.green_threshold:g}, YELLOW {b.yellow_threshold:g} to below {b.green_threshold:g},"
        f" RED below {b.yellow_threshold:g}"
    )
    if b.distance_below is not None and b.threshold_below is not None:
        lines.append(f"  {fixed(b.distance_below, b.decimals)} points above the threshold at {b.threshold_below:g}")
    if b.distance_above is not None and b.threshold_above is not None:
        lines.append(f"  {fixed(-b.distance_above, b.decimals)} points below the threshold at {b.threshold_above:g}")
    if b.published is not None:
        pub = b.published
        pub_text = f"{fixed(pub.score, b.decimals)} {zone_text(pub.zone, pub.sublabel)}"
        lines.append(f"Published: {pub_text}  (formula: {formula_text}; {'matches' if b.published_matches else 'differs'})")
    if b.override is not None:
        ov = b.override
        lines.append(f"Override: {zone_text(ov.zone, ov.sublabel)} (reason: {ov.reason})")
        lines.append(
            f"Final zone: {zone_text(b.final_zone, b.final_sublabel)}  (formula: {zone_text(b.zone, b.sublabel)})"
        )
    lines.append(
        f"Task time at score {b.transforming_score}+: {percent_against(b.share_time_score_3_plus, b.transforming_share)}"
        f"  (Transforming needs {percent(b.transforming_share)}; Accelerated needs growth"
        f" {signed(b.accelerated_growth)})"
    )
    lines.append(
        f"Split: {percent(b.displacement_share)} displacement, {percent(b.augmentation_share)} augmentation,"
        f" {percent(b.not_involved_share)} not involved"
    )
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def cmd_score(args: argparse.Namespace) -> int:
    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    s = score(a, m)
    if args.json:
        dump_json(score_json(s, a))
    else:
        sys.stdout.write(format_breakdown(breakdown(a, m)))
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
    print_table(["Slug", "Title", "Score", "Zone"], rows, [False, False, True, False])
    return 0


def app_script() -> Path:
    """The explorer's ``app.py`` as installed with the package (module ``aijri_app.app``)."""
    spec = importlib.util.find_spec("aijri_app.app")
    if spec is None or spec.origin is None:
        raise AIJRIError("the explorer (aijri_app) is not installed with this package; reinstall it with pip")
    return Path(spec.origin)


def cmd_app(args: argparse.Namespace) -> int:
    # The shipped settings apply by themselves: Streamlit reads .streamlit/config.toml beside
    # the script it runs (a "script-level" config file), whatever the working folder.
    command = [sys.executable, "-m", "streamlit", "run", str(app_script()), *args.extra]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":  # the server takes this process's place (and PID): Ctrl+C and kill reach it
        os.execv(sys.executable, command)
    import subprocess  # only here: the other commands start without it

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
