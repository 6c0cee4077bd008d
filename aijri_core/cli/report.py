"""`aijri report`: a self-contained HTML report of a role and its scenarios."""

from __future__ import annotations

import argparse
import sys

from ..formats.scenarios_csv import scenarios_from_csv
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


def cmd_report(args: argparse.Namespace) -> int:
    from ..formats.report import render_report_html  # plotly: loaded only for this command

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    items = []
    if args.scenarios:
        name = input_name(args.scenarios)
        items = scenarios_from_csv(read_input(args.scenarios, "scenario CSV"), a, what=name)
    html = render_report_html(a, items, m)
    write_output(args.output, html.encode("utf-8"))
    if args.output != "-":
        print(f"wrote {terminal_text(args.output)} ({len(html) // 1024:,} KB, {len(items)} scenarios)", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add `report` to the `aijri` parser."""
    p = subparsers.add_parser("report", help="write a self-contained HTML report (no network needed to open it)")
    p.add_argument("path", metavar="ROLE.json", help=PATH_HELP)
    p.add_argument("--scenarios", metavar="S.csv", help="scenarios to include (long-format CSV)")
    p.add_argument("-o", "--output", metavar="report.html", required=True, help="the HTML file, or - for stdout")
    add_methodology_option(p)
    p.set_defaults(func=cmd_report)
