"""`aijri import-doc` and `aijri export-doc`: assessments written as documents (pipe tables).

``export-doc ROLE.json --scenarios S.csv --scenario NAME`` writes the role as that scenario
leaves it (tasks it adds or removes included).

``import-doc --audit`` exits with 1 when a stated figure differs from the method (0 when
all match), so scripts can check documents.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import AIJRIError
from ..io import assessment_to_json
from .common import (
    PATH_HELP,
    add_methodology_option,
    input_name,
    read_assessment,
    read_input,
    read_methodology,
    table_lines,
    terminal_text,
    write_output,
)

if TYPE_CHECKING:  # the document module is imported by the commands, so `aijri score` starts fast
    from ..formats.document import Audit


def format_audit(audit: Audit) -> str:
    """The audit as an aligned text table plus a one-line verdict."""
    rows = [
        (r.figure, r.stated, r.computed, "ok" if r.matches else "DIFFERS", str(r.line or ""))  # stated: the document's text
        for r in audit.rows
    ]
    lines = table_lines(("Figure", "Stated", "Computed", "", "Line"), rows, (False, True, True, False, True))
    return "\n".join([*lines, audit.summary()]) + "\n"


def cmd_import_doc(args: argparse.Namespace) -> int:
    from ..formats.document import parse_assessment_document

    data = read_input(args.doc, "assessment document")
    name = input_name(args.doc)
    assessment, audit = parse_assessment_document(data, what=name)
    text = assessment_to_json(assessment)
    if args.output:
        write_output(args.output, text.encode("utf-8"))
        if args.output != "-":
            print(f"wrote {terminal_text(args.output)}: {terminal_text(assessment.title)} ({len(assessment.tasks)} tasks)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if args.audit:
        stream = sys.stderr if not args.output or args.output == "-" else sys.stdout
        stream.write(format_audit(audit))
        return 0 if audit.ok else 1
    return 0


def cmd_export_doc(args: argparse.Namespace) -> int:
    from ..formats.document import render_assessment_document

    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    if args.scenarios or args.scenario is not None:
        a = _scenario_role(a, args.scenarios, args.scenario)
    write_output(args.output or "-", render_assessment_document(a, m).encode("utf-8"))
    return 0


def _scenario_role(a, csv_path: str | None, name: str | None):
    """The role as the scenario ``name`` of the CSV leaves it, or one AIJRIError."""
    from ..formats.scenarios_csv import scenarios_from_csv
    from ..knobs import apply

    if not csv_path or name is None:
        raise AIJRIError("--scenario NAME picks a scenario of --scenarios S.csv; give both")
    items = scenarios_from_csv(read_input(csv_path, "scenario CSV"), a, what=input_name(csv_path))
    by_name = {sc.name: sc for sc in items}
    if name not in by_name:
        known = ", ".join(repr(n) for n in list(by_name)[:10]) + (" ..." if len(by_name) > 10 else "")
        raise AIJRIError(f"--scenario: no scenario named {name!r} in {input_name(csv_path)}; allowed: one of "
                         + (known or "none (the file has no scenarios)"))
    return apply(a, by_name[name])


def register(subparsers) -> None:
    """Add import-doc and export-doc to the `aijri` parser."""
    p = subparsers.add_parser("import-doc", help="read an assessment document (pipe tables) into assessment JSON")
    p.add_argument("doc", metavar="DOC", help="the document (UTF-8 text), or - for stdin")
    p.add_argument("-o", "--output", metavar="ROLE.json", help="write the JSON here (default: stdout)")
    p.add_argument(
        "--audit", action="store_true", help="also print every stated figure against the method; exit 1 if any differs"
    )
    p.set_defaults(func=cmd_import_doc)

    p = subparsers.add_parser("export-doc", help="write an assessment as a document in the same layout")
    p.add_argument("path", metavar="ROLE.json", help=PATH_HELP)
    p.add_argument("--scenarios", metavar="S.csv", help="scenarios of the role (either CSV layout)")
    p.add_argument("--scenario", metavar="NAME", help="write the role as this scenario of --scenarios leaves it")
    p.add_argument("-o", "--output", metavar="DOC", help="write the document here (default: stdout)")
    add_methodology_option(p)
    p.set_defaults(func=cmd_export_doc)
