"""`aijri scenarios export|import|list`: the saved scenarios of the store as CSV.

``--db`` defaults to the store the app uses (env ``AIJRI_DB``, else the user data folder).
Role keys are ``bundled:<slug>`` or ``stored:<role name>`` (as in the app). ``-`` as a
file name means stdin/stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import AIJRIError
from ..io import bundled_roles
from .common import (
    add_methodology_option,
    input_name,
    read_input,
    read_methodology,
    terminal_text,
    write_streamed,
)

DB_HELP = (
    "scenario store: a file path, sqlite:///path or postgresql://user:password@host:port/dbname"
    " (default: $AIJRI_DB, else the user data folder: the app's store)"
)
ROLE_KEY_HELP = "role the scenarios belong to: bundled:<slug> or stored:<role name>"

# The store and the CSV format are imported by the commands that use them, so `aijri score`
# starts fast.
if TYPE_CHECKING:
    from ..store import ScenarioStore


def _store(args: argparse.Namespace) -> ScenarioStore:
    from ..store import open_store

    return open_store(args.db)


def _default_role_key() -> str:
    """The app's starting role: the first bundled role."""
    from ..store import bundled_role_key

    slugs = list(bundled_roles())
    if not slugs:
        raise AIJRIError("no bundled roles; pass --role stored:<role name>")
    return bundled_role_key(slugs[0])


def _export_role_key(store: ScenarioStore, role: str | None) -> str:
    if role:
        return role
    keys = store.role_keys()
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise AIJRIError(f"store {store.address}: no scenarios saved")
    shown = ", ".join(keys[:10]) + (" ..." if len(keys) > 10 else "")
    raise AIJRIError(f"store {store.address}: scenarios of several roles are saved ({shown}); choose one with --role")


def cmd_scenarios_export(args: argparse.Namespace) -> int:
    """Stream the role's scenarios from the store into the file (read once, in batches)."""
    from ..formats.scenarios_csv import write_scenarios_csv, write_summary_csv
    from ..store import resolve_role_key

    store = _store(args)
    key = _export_role_key(store, args.role)
    if store.count_scenarios(key) == 0:
        raise AIJRIError(f"store {store.address}: no scenarios saved for {key!r}")
    if args.wide:
        m = read_methodology(args.methodology)
        base = resolve_role_key(key, store)
        count = write_streamed(args.output, lambda out: write_summary_csv(out, base, store.iter_scenarios(key), m))
    else:
        try:
            role = resolve_role_key(key, store).title
        except AIJRIError:  # the scenarios are still worth exporting without their role's title
            role = ""
        count = write_streamed(args.output, lambda out: write_scenarios_csv(out, store.iter_scenarios(key), role=role))
    if args.output != "-":
        print(f"wrote {count} scenarios of {terminal_text(key)} to {terminal_text(args.output)}", file=sys.stderr)
    return 0


def cmd_scenarios_import(args: argparse.Namespace) -> int:
    """Read the whole file, check every scenario against the role, then save them in one
    transaction (all or nothing). The app's upload caps do not apply here."""
    from ..formats.scenarios_csv import CLI_MAX_BYTES, CLI_MAX_ROWS, scenarios_from_csv
    from ..store import NameClashError, resolve_role_key

    store = _store(args)
    key = args.role or _default_role_key()
    base = resolve_role_key(key, store)
    name = input_name(args.csv)
    data = read_input(args.csv, "scenario CSV", max_bytes=CLI_MAX_BYTES)
    items = scenarios_from_csv(data, base, what=name, max_rows=CLI_MAX_ROWS, max_bytes=CLI_MAX_BYTES)
    try:
        count = store.import_scenarios(key, items, overwrite=args.overwrite)
    except NameClashError as exc:
        raise NameClashError(f"{exc}; pass --overwrite to replace them") from None
    print(f"imported {count} scenarios into {terminal_text(key)} ({terminal_text(str(store.address))})")
    return 0


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    store = _store(args)
    keys = [args.role] if args.role else store.role_keys()
    for key in keys:
        print(terminal_text(key))
        for s in store.list_scenarios(key):
            where = f" [{s.trajectory}: {s.position}]" if s.trajectory is not None else ""
            print(f"  {terminal_text(s.name + where)}: {len(s.changes)} change(s)")
    return 0


def register(subparsers) -> None:
    """Add `scenarios export|import|list` to the `aijri` parser."""
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
