"""What every `aijri` command shares: reading inputs, writing outputs, one-line errors.

A handler raises :class:`~aijri_core.errors.AIJRIError` for a user mistake; ``main`` prints
it as one line on stderr (see :func:`error_line`) and exits with :data:`EXIT_USAGE`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import (
    MAX_UPLOAD_BYTES,
    bundled_role,
    data_dir,
    load_assessment,
    parse_assessment_json,
    read_file_bytes,
    read_json_object,
    write_file_atomic,
)
from ..methodology import DEFAULT, Methodology
from ..model import RoleAssessment

PROG = "aijri"
EXIT_USAGE = 2

PATH_HELP = "assessment JSON file, a bundled role slug, or - for stdin"


class UsageError(Exception):
    """A command-line usage mistake (argparse already printed the usage line)."""


def read_assessment(path: str) -> RoleAssessment:
    """An assessment from a JSON file, ``-`` (stdin) or a bundled role's slug."""
    if path == "-":
        return parse_assessment_json(sys.stdin.buffer.read(), "stdin")
    p = Path(path)
    if not p.exists() and _is_bundled_slug(path):
        return bundled_role(path)
    return load_assessment(p)


def _is_bundled_slug(name: str) -> bool:
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and (data_dir() / "roles" / f"{name}.json").is_file()
    )


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
    """The bytes of a file (or stdin for ``-``), refusing anything above the upload cap."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise AIJRIError(f"stdin: too large; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
        return data
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
    """Print ``obj`` as indented JSON (numpy arrays and scalars become lists and numbers)."""
    print(json.dumps(obj, indent=2, allow_nan=False, default=_json_default))


def _json_default(o: object):
    # numpy is only needed when an analysis produced numpy values, so it is already imported
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def error_line(message: str) -> str:
    """The one line ``main`` prints for an error."""
    return f"{PROG}: error: {' '.join(message.split())}"
