"""The `aijri` command line.

One module per command group, each with ``register(subparsers)``:
:mod:`.score` (score, schema, roles), :mod:`.analysis` (knobs, tornado, breakeven,
montecarlo, sweep, attribute), :mod:`.documents` (import-doc, export-doc),
:mod:`.scenarios` (scenarios export/import/list), :mod:`.board` and :mod:`.report`. Shared helpers are in
:mod:`.common`. Every handler raises :class:`AIJRIError` for a user mistake; :func:`main`
turns that into one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from . import analysis, board, documents, report, scenarios, score
from .common import EXIT_USAGE, PROG, TerminalStream, UsageError, error_line

__all__ = ["EXIT_USAGE", "PROG", "UsageError", "build_parser", "main"]

#: The command groups, in the order their commands appear in ``aijri --help``.
COMMAND_GROUPS = (score, analysis, board, documents, scenarios, report)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors by exception, so ``main`` can return 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="AIJRI (JobZone score) calculator and what-if explorer: score a role, inspect the method.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 usage or input error).

    Everything printed goes through :class:`TerminalStream`: no control character in user
    text (titles, names, file names, bad values) reaches the terminal.
    """
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(stdout), TerminalStream(stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and not getattr(args, "passthrough", False):  # only `aijri app` passes options on
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.extra = extra
    except UsageError:
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return exc.code if isinstance(exc.code, int) else 0
    try:
        result = args.func(args)
    except AIJRIError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        print(error_line(describe_validation_error(exc)), file=sys.stderr)
        return EXIT_USAGE
    except UsageError:
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `aijri schema | head`
        sys.stderr.close()
        return 0
    return int(result or 0)
