"""`aijri` analysis commands: tornado, breakeven, goalseek, montecarlo, sweep, attribute, knobs.

Registered by :mod:`aijri_core.cli` (``register(subparsers)``). Handlers raise AIJRIError
for user mistakes; the CLI prints those as one line and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import read_json_object
from ..knobs import knobs, values
from ..methodology import ZONES_BY_CODE
from ..model import RoleAssessment, Scenario
from ..textfmt import fixed, knob_rows, trimmed
from .common import (
    PATH_HELP,
    add_methodology_option,
    dump_json,
    print_table,
    read_assessment,
    read_methodology,
    terminal_text,
)

# Each command imports its analysis itself, so the other commands (`aijri score` above all)
# start without loading the analyses.


def _csv(df) -> None:
    sys.stdout.write(df.to_csv(index=False))


def cmd_tornado(args: argparse.Namespace) -> int:
    from ..analyses import tornado

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    t = tornado(a, mode=args.mode, share_step=args.share_step, methodology=m)
    if args.json:
        dump_json(t.to_dict())
        return 0
    if args.csv:
        _csv(t.to_df())
        return 0
    print(f"{terminal_text(a.title)}: {fixed(t.base_score, m.decimals)} {t.base_zone.label}  (tornado, {t.mode} mode; * = zone changes)")
    rows = [
        [
            r.knob_id,
            f"{trimmed(r.low_value, 3)} .. {trimmed(r.high_value, 3)}",
            fixed(r.score_low, m.decimals) + ("*" if r.crosses_low else " "),
            fixed(r.score_high, m.decimals) + ("*" if r.crosses_high else " "),
            fixed(r.swing, m.decimals),
        ]
        for r in t.rows
    ]
    print_table(["Knob", "Low .. high", "Score low", "Score high", "Swing"], rows, [0, 1, 1, 1, 1])
    return 0


def cmd_breakeven(args: argparse.Namespace) -> int:
    from ..analyses import break_even

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    b = break_even(a, methodology=m)
    if args.json:
        dump_json(b.to_dict())
        return 0
    print(f"{terminal_text(a.title)}: {fixed(b.base_score, m.decimals)} {b.base_zone.label}")
    print("Smallest move of one knob that changes the zone (others fixed), easiest first:")
    rows = [[r.knob_id, r.direction, r.now, r.to, r.move, r.score, r.zone] for r in knob_rows(b, a, m.decimals)]
    print_table(["Knob", "Dir", "Now", "Value", "Move", "Score", "Zone"], rows, [0, 0, 1, 1, 1, 1, 0])
    print("Where the role would sit exactly on a threshold (everything else fixed):")
    rows = []
    for c in b.crossings:
        needed = f"{c.value_needed:.4f}" if c.value_needed is not None else "outside its range"
        gap = f"{c.gap:+.4f}" if c.gap is not None else ""
        rows.append([c.quantity.replace("_", " "), f"{c.threshold:g}", f"{c.current:g}", needed, gap])
    print_table(["Quantity", "Threshold", "Now", "Needed", "Gap"], rows, [0, 1, 1, 1, 1])
    return 0


def cmd_montecarlo(args: argparse.Namespace) -> int:
    from ..analyses import monte_carlo

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    jitter = {} if args.share_jitter is None else {"share_jitter": args.share_jitter}  # None: the analysis default
    r = monte_carlo(a, n=args.n, p=args.p, seed=args.seed, methodology=m, **jitter)
    if args.json:
        dump_json(r.to_dict())
        return 0
    seed = "" if r.seed is None else f", seed {r.seed}"
    print(f"{terminal_text(a.title)}: {fixed(r.base_score, m.decimals)} {r.base_zone.label}")
    print(f"{r.n:,} draws, step probability {r.p:g}, share jitter {r.share_jitter:g}{seed}")
    print(f"P(GREEN) {r.p_green:.1%}   P(YELLOW) {r.p_yellow:.1%}   P(RED) {r.p_red:.1%}")
    print("Score quantiles: " + "   ".join(f"{q}%: {fixed(v, m.decimals)}" for q, v in r.quantiles.items()))
    print("Importance (Spearman rank correlation with the score):")
    rows = [[i.knob_id, f"{i.rank_correlation:+.3f}"] for i in r.importance]
    print_table(["Knob", "Rank corr."], rows, [0, 1])
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..analyses import sweep

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    sw = sweep(a, args.x_knob, args.y_knob, methodology=m)
    if args.csv:
        _csv(sw.to_df())
        return 0
    print(f"{terminal_text(a.title)}: score by {sw.y_knob} (rows) and {sw.x_knob} (columns); G/Y/R = zone, [ ] = the role")
    headers = [f"{sw.y_knob} \\ {sw.x_knob}", *(trimmed(x, 3) for x in sw.x_values)]
    rows = []
    for iy, y in enumerate(sw.y_values):
        row = [trimmed(y, 3)]
        for ix, x in enumerate(sw.x_values):
            code = int(sw.zone_code[iy, ix])
            if code < 0:
                row.append("-")
                continue
            cell = f"{fixed(float(sw.score[iy, ix]), m.decimals)}{ZONES_BY_CODE[code].label[0]}"
            if abs(x - sw.base_x) < 1e-9 and abs(y - sw.base_y) < 1e-9:
                cell = f"[{cell}]"
            row.append(cell)
        rows.append(row)
    print_table(headers, rows, [False] + [True] * len(sw.x_values))
    return 0


def read_scenario(path: str, base: RoleAssessment) -> Scenario | RoleAssessment:
    """A Scenario JSON file ({"name", "changes", ...}), or a changed assessment JSON file."""
    obj = read_json_object(path, "scenario file", "(a scenario with 'changes')")
    try:
        if "tasks" in obj and "changes" not in obj:
            return RoleAssessment.model_validate(obj)
        return Scenario.model_validate(obj)
    except ValidationError as exc:
        raise AIJRIError(describe_validation_error(exc, context=Path(path).name)) from None


def cmd_attribute(args: argparse.Namespace) -> int:
    from ..analyses import attribute

    m = read_methodology(args.methodology)
    base = read_assessment(args.base_path)
    scenario = read_scenario(args.scenario_path, base)
    r = attribute(base, scenario, methodology=m)
    if args.json:
        dump_json(r.to_dict())
        return 0
    name = scenario.name if isinstance(scenario, Scenario) else scenario.title
    print(f"{terminal_text(base.title)} -> {terminal_text(name)}: {fixed(r.base_published, m.decimals)} -> {fixed(r.scenario_published, m.decimals)}")
    print(f"Change before capping and rounding: {r.change:+.4f} points (Shapley parts sum to it)")
    rows = [[p.label, f"{p.contribution:+.4f}"] for p in r.groups]
    print_table(["Group", "Contribution"], rows, [0, 1])
    if r.knobs is None:
        print("More than 12 knobs changed: attributed to groups only.")
    elif r.knobs:
        rows = [[p.key, f"{p.contribution:+.4f}"] for p in r.knobs]
        print_table(["Knob", "Contribution"], rows, [0, 1])
    return 0


def cmd_goalseek(args: argparse.Namespace) -> int:
    from ..analyses import goal_seek

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    g = goal_seek(a, target=args.target, knob_id=args.knob, methodology=m)
    if args.json:
        dump_json(g.to_dict())
        return 0
    wanted = f"at least {fixed(g.target, m.decimals)}" if g.seeking == "at_least" else f"below {fixed(g.target, m.decimals)}"
    print(f"{terminal_text(a.title)}: {fixed(g.base_score, m.decimals)} {g.base_zone.label}")
    print(f"Value of one knob that brings the score {wanted} (others fixed):")
    rows = [[r.knob_id, r.direction, r.now, r.to, r.score, r.zone] for r in knob_rows(g, a, m.decimals, share_places=2)]
    print_table(["Knob", "Dir", "Now", "Value", "Score", "Zone"], rows, [0, 0, 1, 1, 1, 0])
    for c in g.crossings:
        needed = f"{c.value_needed:.4f}" if c.value_needed is not None else "outside its range"
        print(f"{c.quantity.replace('_', ' ').capitalize()} needed: {needed} (now {c.current:g})")
    return 0


def cmd_knobs(args: argparse.Namespace) -> int:
    a = read_assessment(args.path)
    current = values(a)
    ks = knobs(a)
    if args.json:
        dump_json([{**asdict(k), "value": current[k.id]} for k in ks])
        return 0
    rows = [[k.id, k.group, trimmed(current[k.id], 3), k.range_text] for k in ks]
    print_table(["Knob id", "Group", "Value", "Allowed"], rows, [0, 0, 1, 0])
    return 0


def _int_arg(lo: int, hi: int, what: str):
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a whole number") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{what} {v} is out of range; allowed: {lo:,} to {hi:,}")
        return v

    return parse


def _draws(text: str) -> int:
    """--n: a whole number of draws within the analysis's cap."""
    from ..analyses.uncertainty import MAX_DRAWS

    return _int_arg(1, MAX_DRAWS, "--n")(text)


def _float_arg(lo: float, hi: float | None, what: str, open_low: bool = False):
    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number") from None
        too_low = v <= lo if open_low else v < lo
        if v != v or too_low or (hi is not None and v > hi):
            allowed = f"above {lo:g}" if open_low else f"{lo:g} to {hi:g}"
            raise argparse.ArgumentTypeError(f"{what} {text} is out of range; allowed: {allowed}")
        return v

    return parse


def register(subparsers) -> None:
    """Add the analysis subcommands to the `aijri` parser."""
    p = subparsers.add_parser("tornado", help="score at both ends of every knob, largest swing first")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument(
        "--mode", choices=["step", "range"], default="step", help="step: +/-1 (shares +/- --share-step); range: min/max"
    )
    p.add_argument("--share-step", type=_float_arg(0, 100, "share step", open_low=True), default=5.0, metavar="POINTS")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the result as JSON")
    out.add_argument("--csv", action="store_true", help="print the rows as CSV")
    add_methodology_option(p)
    p.set_defaults(func=cmd_tornado)

    p = subparsers.add_parser("breakeven", help="smallest move of each knob that changes the zone")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_methodology_option(p)
    p.set_defaults(func=cmd_breakeven)

    p = subparsers.add_parser("montecarlo", help="zone probabilities when every rating may be one step off")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument("--n", type=_draws, default=100_000, help="number of draws (default 100000)")
    p.add_argument(
        "--p", type=_float_arg(0, 1, "--p"), default=0.3, help="probability each rating moves one step (default 0.3)"
    )
    p.add_argument(
        "--share-jitter",
        type=_float_arg(0, 2, "--share-jitter"),
        default=None,
        help="lognormal sigma of the task share jitter (default: the analysis default; the output states it)",
    )
    p.add_argument("--seed", type=_int_arg(0, 2**63 - 1, "--seed"), default=None, help="seed for reproducible draws")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_methodology_option(p)
    p.set_defaults(func=cmd_montecarlo)

    p = subparsers.add_parser("sweep", help="score over every combination of two knobs")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument("x_knob", metavar="X_KNOB", help="knob id for the columns (see `aijri knobs PATH`)")
    p.add_argument("y_knob", metavar="Y_KNOB", help="knob id for the rows")
    p.add_argument("--csv", action="store_true", help="print the grid as CSV (one row per cell)")
    add_methodology_option(p)
    p.set_defaults(func=cmd_sweep)

    p = subparsers.add_parser("attribute", help="split a scenario's score change among groups and knobs (Shapley)")
    p.add_argument("base_path", metavar="BASE_PATH", help=PATH_HELP)
    p.add_argument(
        "scenario_path",
        metavar="SCENARIO_PATH",
        help="scenario JSON file ({'name', 'changes'}) or a changed assessment",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_methodology_option(p)
    p.set_defaults(func=cmd_attribute)

    p = subparsers.add_parser("goalseek", help="value of each knob that brings the score to a target")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument(
        "--target",
        type=_float_arg(0, 100, "--target"),
        default=None,
        metavar="SCORE",
        help="target score 0 to 100 (default: the zone line nearest to the current score)",
    )
    p.add_argument("--knob", default=None, metavar="ID", help="only this knob (see `aijri knobs PATH`)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_methodology_option(p)
    p.set_defaults(func=cmd_goalseek)

    p = subparsers.add_parser("knobs", help="list every knob of an assessment with its value and range")
    p.add_argument("path", metavar="PATH", help=PATH_HELP)
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_knobs)
