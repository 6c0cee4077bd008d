"""`aijri board`: every role of a library ranked by how close it is to changing zone.

The library: the PATHs given (role JSON, assessment documents, folders, globs, bundled
slugs), plus the roles saved in the store when ``--db`` is given. Without a PATH: the bundled
roles and the roles saved in the store (``--db``, else the store the app uses). A file that
cannot be read is one line on stderr and the board is made of the rest; exit 2 only when no
role at all could be read.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import AIJRIError
from ..textfmt import fixed, signed_fixed, zone_text
from .analysis import _draws, _float_arg, _int_arg
from .common import PROG, add_methodology_option, dump_json, print_table, read_methodology, terminal_text

DB_HELP = "scenario store whose saved roles join the board (default without PATH: the store the app uses)"


def _library(args: argparse.Namespace):
    from ..library import Unreadable, bundled_entries, read_library, stored_entries
    from ..store import display_address, open_store

    roles, bad = read_library(args.paths)
    if not args.paths:
        roles = bundled_entries() + roles
    if args.db or not args.paths:
        try:
            stored, unreadable = stored_entries(open_store(args.db))
            roles += stored
            bad += unreadable
        except (AIJRIError, OSError) as exc:
            bad.append(Unreadable(f"store {display_address(args.db or '') or 'default'}", str(exc)))
    return roles, bad


def cmd_board(args: argparse.Namespace) -> int:
    from ..analyses.board import BoardSettings, board, csv_text

    m = read_methodology(args.methodology)
    given = {k: getattr(args, k) for k in ("n", "p", "share_jitter", "seed", "borderline")}
    settings = BoardSettings(**{k: v for k, v in given.items() if v is not None})
    roles, bad = _library(args)
    for u in bad:
        print(f"{PROG}: skipped {terminal_text(' '.join(u.source.split()))}: {terminal_text(' '.join(u.error.split()))}",
              file=sys.stderr)
    if not roles:
        raise AIJRIError("no role could be read; give role JSON files, assessment documents, folders or bundled slugs")
    b = board(roles, m, settings, unreadable=bad)
    if args.json:
        dump_json(b.to_dict())
        return 0
    if args.csv:
        sys.stdout.write(csv_text(b.to_df()))
        return 0
    d = m.decimals
    rows = []
    for r in b.rows:
        f = r.easiest_flip
        flip = "none" if f is None else f.text(d)
        rows.append([
            ("*" if r.borderline else " ") + ("!" if r.published_differs else " "),
            r.title,
            fixed(r.score, d),
            zone_text(r.zone, r.sublabel),
            f"{signed_fixed(r.distance, d)} to {r.line:g}",
            flip,
            str(r.one_step_flips),
            f"{r.p_zone_holds:.0%}",
            r.top_input_label or "-",
            r.source,
        ])
    print_table(["", "Role", "Score", "Zone", "Distance", "Easiest flip", "1-step", "Holds", "Top input", "Source"],
                rows, [0, 0, 1, 0, 1, 0, 1, 1, 0, 0])
    s = b.settings
    print(f"* borderline (within {s.borderline:g} points of a line)   ! published score differs from the formula's")
    print(f"Holds: share of {s.n:,} draws keeping the zone (each rating one step off with probability {s.p:g}, "
          f"share wobble {s.share_jitter:g}, seed {s.seed})")
    return 0


def register(subparsers) -> None:
    """Add `aijri board` to the parser."""
    p = subparsers.add_parser("board", help="every role of a library ranked by how close it is to changing zone")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="role JSON, assessment document, folder, glob or bundled slug (default: bundled and saved roles)")
    p.add_argument("--db", metavar="ADDRESS", default=None, help=DB_HELP)
    # None: the board's default (BoardSettings: the Uncertainty page's settings, 10,000 draws); the output states it
    p.add_argument("--borderline", type=_float_arg(0, 100, "--borderline"), metavar="POINTS",
                   help="distance to a zone line that counts as borderline (default 2)")
    p.add_argument("--n", type=_draws, help="Monte Carlo draws per role (default 10000)")
    p.add_argument("--p", type=_float_arg(0, 1, "--p"), help="probability each rating moves one step (default 0.3)")
    p.add_argument("--share-jitter", type=_float_arg(0, 2, "--share-jitter"),
                   help="lognormal sigma of the task share wobble (default 0.2)")
    p.add_argument("--seed", type=_int_arg(0, 2**63 - 1, "--seed"), help="seed of the draws (default 1)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the board as JSON")
    out.add_argument("--csv", action="store_true", help="print the board as CSV")
    add_methodology_option(p)
    p.set_defaults(func=cmd_board)
