"""What every `aijri` command shares: reading inputs, writing outputs, one-line errors.

A handler raises :class:`~aijri_core.errors.AIJRIError` for a user mistake; ``main`` prints
it as one line on stderr (see :func:`error_line`) and exits with :data:`EXIT_USAGE`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import (
    STDIN,
    bundled_role,
    json_text,
    load_assessment,
    read_file_bytes,
    read_json_object,
    write_file_atomic,
)
from ..library import is_bundled_slug
from ..methodology import DEFAULT, Methodology
from ..model import RoleAssessment
from ..textfmt import table

PROG = "aijri"
EXIT_USAGE = 2

PATH_HELP = "assessment JSON file, a bundled role slug, or - for stdin"


class UsageError(Exception):
    """A command-line usage mistake (argparse already printed the usage line)."""


def read_assessment(path: str) -> RoleAssessment:
    """An assessment from a JSON file, ``-`` (stdin) or a bundled role's slug."""
    if path != STDIN and not Path(path).exists() and is_bundled_slug(path):
        return bundled_role(path)
    return load_assessment(path)


def read_methodology(path: str | None) -> Methodology:
    """The published method, or one changed by a JSON object of Methodology fields."""
    if path is None:
        return DEFAULT
    obj = read_json_object(path, "methodology file", "of methodology fields")
    try:
        return DEFAULT.with_changes(**obj)
    except ValidationError as exc:
        raise AIJRIError(describe_validation_error(exc, context=Path(path).name)) from None


def add_methodology_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--methodology",
        metavar="FILE.json",
        help='JSON object changing method parameters (e.g. {"green_threshold": 50})',
    )


def read_input(path: str, what: str) -> bytes:
    """The bytes of a regular file (or stdin for ``-``), capped (see ``io.read_file_bytes``)."""
    return read_file_bytes(path, what)


def input_name(path: str) -> str:
    """How messages name an input file: its file name, or ``stdin`` for ``-``."""
    return "stdin" if path == "-" else Path(path).name


def write_output(path: str, data: bytes) -> None:
    """Write to a file atomically (see ``io.write_file_atomic``), or to stdout for ``-``."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file_atomic(path, data)


def dump_json(obj: object) -> None:
    """Print ``obj`` as strict JSON (``io.json_text``: never NaN or Infinity)."""
    print(json_text(obj))


def error_line(message: str) -> str:
    """The one line ``main`` prints for an error (control characters escaped)."""
    return f"{PROG}: error: {terminal_text(' '.join(message.split()))}"


# ---------------------------------------------------------------- terminal safety

#: Characters a terminal may act on instead of showing: C0 controls (ESC among them), DEL,
#: C1 controls, the line and paragraph separators and the bidirectional formatting marks.
TERMINAL_CONTROLS = frozenset(
    [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029,
     0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)  # fmt: skip
# C0 as \xNN; the others as \uNNNN, which inside a JSON string is the same character again.
_ESCAPES = {cp: (f"\\x{cp:02x}" if cp < 0x20 else f"\\u{cp:04x}") for cp in TERMINAL_CONTROLS}
_ESCAPES_KEEP_NEWLINE = {cp: text for cp, text in _ESCAPES.items() if cp != 0x0A}


def table_lines(headers, rows, right, indent: str = "") -> list[str]:
    """A plain-text table (:func:`aijri_core.textfmt.table`) whose cells are each one line of
    terminal-safe text (user text may hold line breaks and control characters)."""
    return table(headers, [[terminal_text(str(c)) for c in r] for r in rows], right, indent)


def print_table(headers, rows, right) -> None:
    """Write :func:`table_lines` to standard output."""
    sys.stdout.write("\n".join(table_lines(headers, rows, right)) + "\n")


def terminal_text(text: str, keep_newlines: bool = False) -> str:
    """``text`` safe to show on a terminal: every control character written as an escape.

    ``"a\\x1b[31mb"`` shows as ``a\\x1b[31mb`` and a right-to-left override as ``\\u202e``,
    so user text (titles, task and scenario names, file names) can neither move the cursor,
    recolour the screen, reorder what follows nor start a line of its own. With
    ``keep_newlines`` the line breaks stay: for whole blocks of output, not single fields.
    """
    return text.translate(_ESCAPES_KEEP_NEWLINE if keep_newlines else _ESCAPES)


class TerminalStream:
    """A text stream that writes through :func:`terminal_text` (line breaks kept).

    ``main`` puts one in front of stdout and stderr, so nothing a command prints can carry a
    control character to the terminal. ``buffer`` is the real byte stream: files written
    with ``-o -`` (CSV, documents, HTML) go there unchanged, as data.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text, keep_newlines=True))
        return len(text)

    def __getattr__(self, name: str):  # buffer, flush, encoding, isatty, fileno, close ...
        return getattr(self._stream, name)
