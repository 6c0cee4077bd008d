"""Reading and writing assessment JSON files, and the bundled roles."""

from __future__ import annotations

import json
import math
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from .errors import AIJRIError, AssessmentError, describe_validation_error
from .model import SCALES, Comparator, RoleAssessment, parse_number

#: Largest file accepted for any import (bytes). Assessments are a few KB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: Deepest JSON nesting accepted (an assessment needs 4).
MAX_JSON_DEPTH = 20
#: Most digits of a whole number in JSON (valid values have at most a few).
MAX_JSON_DIGITS = 100
#: The path that means standard input.
STDIN = "-"


def data_dir() -> Path:
    """The bundled data folder, package ``aijri_core.data`` (``AIJRI_DATA_DIR`` overrides it).

    Found through the import system, so it is the same folder for a wheel, ``pip install .``
    and an editable install (where it is data/ at the top of the repository), whatever the cwd.
    """
    env = os.environ.get("AIJRI_DATA_DIR")
    if env:
        return Path(env)
    from importlib.resources import files

    return Path(str(files("aijri_core.data")))


def decode_text(data: bytes, what: str = "file", max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """UTF-8 text of an upload (a byte-order mark is dropped), or one clear error."""
    if len(data) > max_bytes:
        raise AssessmentError(
            f"{what}: {len(data):,} bytes is too large; allowed: at most {max_bytes:,} bytes"
        )
    if not data.strip():
        raise AssessmentError(f"{what}: the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AssessmentError(
            f"{what}: not UTF-8 text (byte {exc.start}); allowed: a UTF-8 text file"
        ) from None
    if "\x00" in text:
        raise AssessmentError(f"{what}: contains NUL bytes; allowed: a text file")
    return text


class _DuplicateKeys(dict):
    """A JSON object in which a key appeared more than once (found after parsing, with its path)."""

    duplicate: str = ""


def _object(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            marked = _DuplicateKeys(pairs)
            marked.duplicate = key
            return marked
        out[key] = value
    return out


def _path_text(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "top level"


def _check_tree(obj: object, what: str) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and objects with a repeated key (naming where)."""
    stack: list[tuple[object, int, tuple]] = [(obj, 1, ())]
    while stack:
        item, depth, path = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise AssessmentError(f"{what}: JSON nested too deeply; allowed: at most {MAX_JSON_DEPTH} levels")
        if isinstance(item, _DuplicateKeys):
            raise AssessmentError(
                f"{what}: {_path_text(path)}: key {item.duplicate!r} appears more than once; allowed: each key once"
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1, (*path, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, depth + 1, (*path, i)) for i, v in reversed(list(enumerate(item))))


def parse_json_text(text: str, what: str = "file", allow_nonfinite: bool = False) -> object:
    """Parsed JSON, with the line and column of a syntax error in the message.

    Refused, each with one AssessmentError: a key repeated within one object (naming the key
    and the object's path), a whole number of more than MAX_JSON_DIGITS digits, nesting
    deeper than MAX_JSON_DEPTH, and NaN and +/-Infinity (not JSON, but Python writes them)
    unless ``allow_nonfinite``: a caller that validates the values afterwards (as assessments
    do) can then say which field holds one.
    """
    try:
        obj = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_parse_int,
            parse_constant=None if allow_nonfinite else _reject_constant,
        )
    except _NonFiniteError as exc:
        raise AssessmentError(f"{what}: JSON contains {exc}; allowed: finite numbers only") from None
    except _TooManyDigitsError as exc:
        raise AssessmentError(
            f"{what}: JSON has a whole number of {exc} digits; allowed: at most {MAX_JSON_DIGITS} digits"
        ) from None
    except json.JSONDecodeError as exc:
        raise AssessmentError(f"{what}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise AssessmentError(f"{what}: JSON nested too deeply; allowed: at most {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # any other conversion limit of the parser
        raise AssessmentError(f"{what}: not valid JSON ({exc})") from None
    _check_tree(obj, what)
    return obj


class _NonFiniteError(Exception):
    """NaN or Infinity in JSON text (re-raised with the file name)."""


class _TooManyDigitsError(Exception):
    """A whole number too long to be a value of ours (re-raised with the file name)."""


def _reject_constant(name: str) -> float:
    raise _NonFiniteError(name)


def _parse_int(digits: str) -> int:
    count = len(digits) - digits.startswith("-")
    if count > MAX_JSON_DIGITS:
        raise _TooManyDigitsError(f"{count:,}")
    return int(digits)


def json_text(obj: object, *, indent: int | None = 2) -> str:
    """The one JSON writer: strict JSON (NaN or infinity anywhere is an error, never written).

    numpy numbers and arrays, enums and Paths are written as their plain values. Every
    ``--json`` output and every JSON file the project writes goes through here.
    """
    return json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json_default(value: object) -> object:
    import numpy as np  # only needed when a caller passes numpy values

    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"cannot write {v} as JSON: not a finite number")
        return v
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def assessment_from_obj(obj: object, what: str = "assessment") -> RoleAssessment:
    if not isinstance(obj, dict):
        raise AssessmentError(f"{what}: expected a JSON object with title, tasks, evidence, ...; got {type(obj).__name__}")
    try:
        return RoleAssessment.model_validate(obj)
    except ValidationError as exc:
        raise AssessmentError(describe_validation_error(exc, context=what)) from None


def parse_assessment_json(data: bytes | str, what: str = "assessment") -> RoleAssessment:
    """An assessment from JSON bytes or text; every problem is an AssessmentError."""
    text = decode_text(data, what) if isinstance(data, bytes) else data
    if isinstance(data, str) and len(data.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise AssessmentError(f"{what}: too large; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
    if not text.strip():
        raise AssessmentError(f"{what}: the file is empty")
    # Non-finite numbers get through parsing so that validation names the field holding them.
    return assessment_from_obj(parse_json_text(text, what, allow_nonfinite=True), what)


def assessment_to_json(assessment: RoleAssessment) -> str:
    """The on-disk JSON text (UTF-8, indented, optional keys left out when empty)."""
    return json_text(assessment.to_json_dict()) + "\n"


def read_stream_bytes(stream: BinaryIO, what: str = "stdin", max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """At most ``max_bytes`` from an open binary stream (one byte more is read to tell)."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise AIJRIError(f"{what}: too large; allowed: at most {max_bytes:,} bytes")
    return b"".join(chunks)


_NOT_A_FILE = {
    stat.S_IFDIR: "is a folder, not a file",
    stat.S_IFIFO: "is a pipe (FIFO), not a regular file",
    stat.S_IFCHR: "is a device, not a regular file",
    stat.S_IFBLK: "is a device, not a regular file",
    stat.S_IFSOCK: "is a socket, not a regular file",
}


def read_file_bytes(path: str | os.PathLike, what: str = "file", max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of a regular file, or of standard input for ``-``: the one reader of every input.

    Refused at once with an AIJRIError: a folder, pipe, device or socket (opened without
    waiting, checked before any read), a missing or unreadable file, and anything above
    ``max_bytes`` (never more than ``max_bytes + 1`` bytes are read, so ``/dev/zero`` piped in
    stops at the cap).
    """
    if str(path) == STDIN:
        return read_stream_bytes(sys.stdin.buffer, "stdin", max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise AIJRIError(f"{path}: no such file ({what})") from None
    except PermissionError:
        raise AIJRIError(f"{path}: permission denied") from None
    except OSError as exc:
        if exc.errno == 6:  # ENXIO: a socket or a device without a reader
            raise AIJRIError(f"{path}: not a regular file; allowed: a regular file ({what})") from None
        raise AIJRIError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            reason = _NOT_A_FILE.get(stat.S_IFMT(info.st_mode), "is not a regular file")
            raise AIJRIError(f"{path}: {reason}; allowed: a regular file ({what})")
        if info.st_size > max_bytes:
            raise AIJRIError(f"{Path(path).name}: {info.st_size:,} bytes is too large; allowed: at most {max_bytes:,} bytes")
        with os.fdopen(os.dup(fd), "rb") as f:
            return read_stream_bytes(f, Path(path).name, max_bytes)
    except OSError as exc:
        raise AIJRIError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_json_object(path: str | os.PathLike, what: str, expected: str) -> dict:
    """A JSON file that must hold one object (``expected`` says what it should contain)."""
    name = "stdin" if str(path) == STDIN else Path(path).name
    obj = parse_json_text(decode_text(read_file_bytes(path, what), name), name)
    if not isinstance(obj, dict):
        raise AIJRIError(f"{name}: expected a JSON object {expected}; got {type(obj).__name__}")
    return obj


def load_assessment(path: str | os.PathLike) -> RoleAssessment:
    """Read an assessment JSON file (``-``: standard input)."""
    try:
        data = read_file_bytes(path, "assessment file")
    except AIJRIError as exc:
        raise AssessmentError(str(exc)) from None
    return parse_assessment_json(data, "stdin" if str(path) == STDIN else Path(path).name)


def write_file_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write bytes to a file atomically (a failure leaves any old file intact).

    A device or pipe (``/dev/null``, a fifo) is written into, never replaced.
    """
    with open_atomic(path) as f:
        f.write(data)


@contextmanager
def open_atomic(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` piece by piece; it replaces ``path`` only when the block
    ends without an error (a failure leaves any old file intact and no temporary file behind).

    A device or pipe (``/dev/null``, a fifo) is written into, never replaced.
    """
    p = Path(path)
    if p.is_dir():
        raise AIJRIError(f"{path}: is a folder, not a file")
    if p.exists() and not p.is_file():
        try:
            with open(p, "wb") as f:
                yield f
        except OSError as exc:
            raise AIJRIError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        return
    # The temporary file is created exclusively (O_EXCL, unpredictable name) in the target's
    # folder, so nothing planted there beforehand can redirect the write.
    try:
        fd, tmp_name = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise AIJRIError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):  # not on every platform
                os.fchmod(f.fileno(), _mode_for(p))
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AIJRIError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Permission bits for a file written at ``path``: the old file's, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o644


def save_assessment(assessment: RoleAssessment, path: str | os.PathLike) -> None:
    """Write an assessment JSON file (atomically: a crash leaves the old file intact)."""
    write_file_atomic(path, assessment_to_json(assessment).encode("utf-8"))


def bundled_roles() -> dict[str, RoleAssessment]:
    """The roles shipped in data/roles, by slug (file name without .json), sorted."""
    roles_dir = data_dir() / "roles"
    return {p.stem: load_assessment(p) for p in sorted(roles_dir.glob("*.json"))}


def bundled_role(slug: str) -> RoleAssessment:
    path = data_dir() / "roles" / f"{slug}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in (data_dir() / "roles").glob("*.json")))
        raise AssessmentError(f"role {slug!r}: not a bundled role; available: {known}")
    return load_assessment(path)


def published_comparators() -> tuple[Comparator, ...]:
    """The published results of related roles in comparators.csv (none when the file is absent).

    Columns: title, score, zone, sublabel (may be empty). A bad row is an AIJRIError naming
    the line and the field.
    """
    import csv

    path = data_dir() / "comparators.csv"
    if not path.is_file():
        return ()
    text = decode_text(read_file_bytes(path, "comparators.csv"), "comparators.csv")
    out = []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"comparators.csv: line {line}"
        score = row.get("score") or ""
        try:
            value = parse_number(score)
        except ValueError as exc:
            raise AIJRIError(f"{where}: score: {score!r} {exc}; allowed: {SCALES['published'].range_text}") from None
        try:
            out.append(Comparator.model_validate({**row, "score": value, "sublabel": row.get("sublabel") or None}))
        except ValidationError as exc:
            raise AIJRIError(describe_validation_error(exc, context=where)) from None
    return tuple(out)
