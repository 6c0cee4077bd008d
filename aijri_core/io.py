"""Reading and writing assessment JSON files, and the bundled roles."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from .errors import AIJRIError, AssessmentError, describe_validation_error
from .model import RoleAssessment

#: Largest file accepted for any import (bytes). Assessments are a few KB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: Deepest JSON nesting accepted (an assessment needs 4).
MAX_JSON_DEPTH = 20


def data_dir() -> Path:
    """The project's data folder (``AIJRI_DATA_DIR`` overrides), independent of the cwd."""
    env = os.environ.get("AIJRI_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


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


def _depth(obj, limit: int) -> int:
    stack = [(obj, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def parse_json_text(text: str, what: str = "file", allow_nonfinite: bool = False) -> object:
    """Parsed JSON, with the line and column of a syntax error in the message.

    NaN and +/-Infinity (not JSON, but Python writes them) are refused unless
    ``allow_nonfinite``: a caller that validates the values afterwards (as assessments do)
    can then say which field holds one.
    """
    try:
        obj = json.loads(text, parse_constant=None if allow_nonfinite else _reject_constant)
    except _NonFiniteError as exc:
        raise AssessmentError(f"{what}: JSON contains {exc}; allowed: finite numbers only") from None
    except json.JSONDecodeError as exc:
        raise AssessmentError(f"{what}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise AssessmentError(f"{what}: JSON nested too deeply; allowed: at most {MAX_JSON_DEPTH} levels") from None
    if _depth(obj, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise AssessmentError(f"{what}: JSON nested too deeply; allowed: at most {MAX_JSON_DEPTH} levels")
    return obj


class _NonFiniteError(Exception):
    """NaN or Infinity in JSON text (re-raised with the file name)."""


def _reject_constant(name: str) -> float:
    raise _NonFiniteError(name)


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
    return json.dumps(assessment.to_json_dict(), indent=2, ensure_ascii=False) + "\n"


def read_file_bytes(path: str | os.PathLike, what: str = "file", max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of a file, refusing folders and anything above the upload cap (AIJRIError)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise AIJRIError(f"{path}: is a folder, not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise AIJRIError(f"{p.name}: {size:,} bytes is too large; allowed: at most {max_bytes:,} bytes")
        return p.read_bytes()
    except FileNotFoundError:
        raise AIJRIError(f"{path}: no such file ({what})") from None
    except PermissionError:
        raise AIJRIError(f"{path}: permission denied") from None
    except OSError as exc:
        raise AIJRIError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_json_object(path: str | os.PathLike, what: str, expected: str) -> dict:
    """A JSON file that must hold one object (``expected`` says what it should contain)."""
    p = Path(path)
    obj = parse_json_text(decode_text(read_file_bytes(p, what), p.name), p.name)
    if not isinstance(obj, dict):
        raise AIJRIError(f"{p.name}: expected a JSON object {expected}; got {type(obj).__name__}")
    return obj


def load_assessment(path: str | os.PathLike) -> RoleAssessment:
    """Read an assessment JSON file."""
    try:
        data = read_file_bytes(path, "assessment file")
    except AIJRIError as exc:
        raise AssessmentError(str(exc)) from None
    return parse_assessment_json(data, Path(path).name)


def write_file_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write bytes to a file atomically (a failure leaves any old file intact).

    A device or pipe (``/dev/null``, a fifo) is written into, never replaced.
    """
    p = Path(path)
    if p.is_dir():
        raise AIJRIError(f"{path}: is a folder, not a file")
    if p.exists() and not p.is_file():
        try:
            with open(p, "wb") as f:
                f.write(data)
        except OSError as exc:
            raise AIJRIError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        return
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AIJRIError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
