"""File-format commands of `aijri`: assessment documents, scenario CSV, the HTML report.

    aijri import-doc DOC [-o ROLE.json] [--audit]
    aijri export-doc ROLE.json [-o DOC]
    aijri scenarios export [--db DB] [--role ROLE_KEY] [--wide] -o OUT.csv
    aijri scenarios import IN.csv [--db DB] [--role ROLE_KEY] [--overwrite]
    aijri scenarios list [--db DB] [--role ROLE_KEY]
    aijri report ROLE.json [--scenarios S.csv] [--methodology M.json] -o report.html

``--db`` defaults to the store the app uses (env ``AIJRI_DB``, else the user data folder).
Role keys are ``bundled:<slug>`` or ``stored:<role name>`` (as in the app). ``-`` as a
file name means stdin/stdout. ``import-doc --audit`` exits with 1 when a stated figure
differs from the method (0 when all match), so scripts can check documents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import add_methodology_option, read_assessment, read_methodology
from .errors import AIJRIError
from .formats.document import Audit, parse_assessment_document, render_assessment_document
from .formats.report import render_report_html
from .formats.scenarios_csv import scenarios_from_csv, scenarios_summary_csv, scenarios_to_csv
from .io import MAX_UPLOAD_BYTES, assessment_to_json, bundled_roles, read_file_bytes, write_file_atomic
from .store import NameClashError, ScenarioStore, bundled_role_key, resolve_role_key

ROLE_HELP = "assessment JSON file, a bundled role slug, or - for stdin"
DB_HELP = "scenario store file (default: $AIJRI_DB, else the user data folder: the app's store)"
ROLE_KEY_HELP = "role the scenarios belong to: bundled:<slug> or stored:<role name>"


# ---------------------------------------------------------------- file helpers


def read_input(path: str, what: str) -> bytes:
    """The bytes of a file (or stdin for ``-``), refusing anything above the upload cap."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise AIJRIError(f"stdin: too large; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
        return data
    return read_file_bytes(path, what)


def write_output(path: str, data: bytes) -> None:
    """Write to a file atomically (see ``io.write_file_atomic``), or to stdout for ``-``."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file_atomic(path, data)


def _store(args: argparse.Namespace) -> ScenarioStore:
    return ScenarioStore(args.db)


def _default_role_key() -> str:
    """The app's starting role: the first bundled role."""
    slugs = list(bundled_roles())
    if not slugs:
        raise AIJRIError("no bundled roles; pass --role stored:<role name>")
    return bundled_role_key(slugs[0])


def format_audit(audit: Audit) -> str:
    """The audit as an aligned text table plus a one-line verdict."""
    rows = [("Figure", "Stated", "Computed", "", "Line")]
    for r in audit.rows:
        rows.append((r.figure, r.stated, r.computed, "ok" if r.matches else "DIFFERS", str(r.line or "")))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for j, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if i in (0, 3) else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(audit.summary())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- commands


def cmd_import_doc(args: argparse.Namespace) -> int:
    data = read_input(args.doc, "assessment document")
    name = "stdin" if args.doc == "-" else Path(args.doc).name
    assessment, audit = parse_assessment_document(data, what=name)
    text = assessment_to_json(assessment)
    if args.output:
        write_output(args.output, text.encode("utf-8"))
        if args.output != "-":
            print(f"wrote {args.output}: {assessment.title} ({len(assessment.tasks)} tasks)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if args.audit:
        stream = sys.stderr if not args.output or args.output == "-" else sys.stdout
        stream.write(format_audit(audit))
        return 0 if audit.ok else 1
    return 0


def cmd_export_doc(args: argparse.Namespace) -> int:
    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    write_output(args.output or "-", render_assessment_document(a, m).encode("utf-8"))
    return 0


def _export_role_key(store: ScenarioStore, role: str | None) -> str:
    if role:
        return role
    keys = store.role_keys()
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise AIJRIError(f"store {store.path}: no scenarios saved")
    shown = ", ".join(keys[:10]) + (" ..." if len(keys) > 10 else "")
    raise AIJRIError(f"store {store.path}: scenarios of several roles are saved ({shown}); choose one with --role")


def cmd_scenarios_export(args: argparse.Namespace) -> int:
    store = _store(args)
    key = _export_role_key(store, args.role)
    items = store.list_scenarios(key)
    if not items:
        raise AIJRIError(f"store {store.path}: no scenarios saved for {key!r}")
    if args.wide:
        m = read_methodology(args.methodology)
        data = scenarios_summary_csv(resolve_role_key(key, store), items, m)
    else:
        data = scenarios_to_csv(items)
    write_output(args.output, data)
    if args.output != "-":
        print(f"wrote {len(items)} scenarios of {key} to {args.output}", file=sys.stderr)
    return 0


def cmd_scenarios_import(args: argparse.Namespace) -> int:
    store = _store(args)
    key = args.role or _default_role_key()
    base = resolve_role_key(key, store)
    name = "stdin" if args.csv == "-" else Path(args.csv).name
    items = scenarios_from_csv(read_input(args.csv, "scenario CSV"), base, what=name)
    try:
        count = store.import_scenarios(key, items, overwrite=args.overwrite)
    except NameClashError as exc:
        raise NameClashError(f"{exc}; pass --overwrite to replace them") from None
    print(f"imported {count} scenarios into {key} ({store.path})")
    return 0


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    store = _store(args)
    keys = [args.role] if args.role else store.role_keys()
    for key in keys:
        print(key)
        for s in store.list_scenarios(key):
            where = f" [{s.trajectory}: {s.position}]" if s.trajectory is not None else ""
            print(f"  {s.name}{where}: {len(s.changes)} change(s)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    m = read_methodology(args.methodology)
    a = read_assessment(args.path)
    items = []
    if args.scenarios:
        name = "stdin" if args.scenarios == "-" else Path(args.scenarios).name
        items = scenarios_from_csv(read_input(args.scenarios, "scenario CSV"), a, what=name)
    html = render_report_html(a, items, m)
    write_output(args.output, html.encode("utf-8"))
    if args.output != "-":
        print(f"wrote {args.output} ({len(html) // 1024:,} KB, {len(items)} scenarios)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- parser


def register(subparsers) -> None:
    """Add the file-format subcommands to the `aijri` parser."""
    p = subparsers.add_parser("import-doc", help="read an assessment document (pipe tables) into assessment JSON")
    p.add_argument("doc", metavar="DOC", help="the document (UTF-8 text), or - for stdin")
    p.add_argument("-o", "--output", metavar="ROLE.json", help="write the JSON here (default: stdout)")
    p.add_argument(
        "--audit", action="store_true", help="also print every stated figure against the method; exit 1 if any differs"
    )
    p.set_defaults(func=cmd_import_doc)

    p = subparsers.add_parser("export-doc", help="write an assessment as a document in the same layout")
    p.add_argument("path", metavar="ROLE.json", help=ROLE_HELP)
    p.add_argument("-o", "--output", metavar="DOC", help="write the document here (default: stdout)")
    add_methodology_option(p)
    p.set_defaults(func=cmd_export_doc)

    p = subparsers.add_parser("scenarios", help="export, import or list the scenarios in the store")
    p.set_defaults(func=cmd_scenarios_list)  # every subcommand has a handler; an ACTION is still required
    sub = p.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    e = sub.add_parser("export", help="write a role's saved scenarios as CSV (long format, or --wide summary)")
    e.add_argument("--db", metavar="DB", help=DB_HELP)
    e.add_argument("--role", metavar="ROLE_KEY", help=ROLE_KEY_HELP + " (default: the only role with scenarios)")
    e.add_argument("--wide", action="store_true", help="one row per scenario: score, zone, sub-label, every knob")
    e.add_argument("-o", "--output", metavar="OUT.csv", required=True, help="the CSV file, or - for stdout")
    add_methodology_option(e)
    e.set_defaults(func=cmd_scenarios_export)
    i = sub.add_parser("import", help="add the scenarios of a long-format CSV to the store (all or nothing)")
    i.add_argument("csv", metavar="IN.csv", help="the CSV file, or - for stdin")
    i.add_argument("--db", metavar="DB", help=DB_HELP)
    i.add_argument("--role", metavar="ROLE_KEY", help=ROLE_KEY_HELP + " (default: the first bundled role)")
    i.add_argument("--overwrite", action="store_true", help="replace saved scenarios of the same name")
    i.set_defaults(func=cmd_scenarios_import)
    ls = sub.add_parser("list", help="list the saved scenarios per role")
    ls.add_argument("--db", metavar="DB", help=DB_HELP)
    ls.add_argument("--role", metavar="ROLE_KEY", help=ROLE_KEY_HELP)
    ls.set_defaults(func=cmd_scenarios_list)

    p = subparsers.add_parser("report", help="write a self-contained HTML report (no network needed to open it)")
    p.add_argument("path", metavar="ROLE.json", help=ROLE_HELP)
    p.add_argument("--scenarios", metavar="S.csv", help="scenarios to include (long-format CSV)")
    p.add_argument("-o", "--output", metavar="report.html", required=True, help="the HTML file, or - for stdout")
    add_methodology_option(p)
    p.set_defaults(func=cmd_report)
