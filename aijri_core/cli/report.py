"""`aijri report`: a self-contained HTML hand-out of a role and its scenarios (analyst appendix on request)."""

from __future__ import annotations

import argparse
import datetime
import sys

from ..errors import AIJRIError
from .common import (
    PATH_HELP,
    add_methodology_option,
    input_name,
    read_assessment,
    read_input,
    read_methodology,
    terminal_text,
    write_output,
)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; allowed: YYYY-MM-DD, e.g. 2026-12-01") from None


def cmd_report(args: argparse.Namespace) -> int:
    # imported here, so the other commands start without them (the report loads plotly)
    from ..formats.report import handout_file_name, render_report_html
    from ..formats.scenarios_csv import scenarios_from_csv
    from ..trajectories import choose_scenarios

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    items = []
    if args.scenarios:
        name = input_name(args.scenarios)
        items = scenarios_from_csv(read_input(args.scenarios, "scenario CSV"), a, what=name)
    elif args.only or args.trajectory is not None:
        raise AIJRIError("--only and --trajectory choose from --scenarios S.csv; pass the CSV too")
    items = choose_scenarios(items, args.only or (), args.trajectory)
    html = render_report_html(a, items, m, title=args.title, note=args.note or "", date=args.date,
                              appendix=args.appendix)
    output = args.output or handout_file_name(args.title or a.title)
    write_output(output, html.encode("utf-8"))
    if output != "-":
        print(f"wrote {terminal_text(output)} ({len(html) // 1024:,} KB, {len(items)} scenarios)", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add `report` to the `aijri` parser."""
    p = subparsers.add_parser("report", help="write a self-contained HTML report (no network needed to open it)")
    p.add_argument("path", metavar="ROLE.json", help=PATH_HELP)
    p.add_argument("--scenarios", metavar="S.csv", help="scenarios to include (either CSV layout)")
    p.add_argument("--only", metavar="NAME", action="append",
                   help="include only this scenario of the CSV (repeat for more)")
    p.add_argument("--trajectory", metavar="NAME", help="include the steps of this trajectory of the CSV")
    p.add_argument("--title", metavar="TEXT", help="the report's heading (default: the role's title)")
    p.add_argument("--note", metavar="TEXT", help="a note for the reader, shown under the heading")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=_date, help="the date shown under the heading")
    p.add_argument("--appendix", action="store_true",
                   help="add the analyst appendix: breakdown and formula, zone map, tornado, break-even")
    p.add_argument("-o", "--output", metavar="report.html",
                   help="the HTML file, or - for stdout (default: named after the title, e.g. alex-your-path.html)")
    add_methodology_option(p)
    p.set_defaults(func=cmd_report)
