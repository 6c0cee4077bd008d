"""One clear message per user error: which field, what value, what is allowed."""

from __future__ import annotations

from pydantic import ValidationError

from .model import FIELD_RANGES


class AIJRIError(ValueError):
    """An error a user can cause (bad file, bad value); its text is shown as is."""


class AssessmentError(AIJRIError):
    """An assessment file or value that is not valid."""


def _loc_text(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "assessment"


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_validation_error(err: ValidationError, *, context: str = "") -> str:
    """The first problem of a pydantic error as one line: field, value, allowed range."""
    first = err.errors(include_url=False)[0]
    loc = tuple(p for p in first.get("loc", ()) if p not in ("function-after", "function-before"))
    field = _loc_text(loc)
    kind = first.get("type", "")
    msg = first.get("msg", "invalid value")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    last_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    allowed = FIELD_RANGES.get(last_name)
    if kind == "missing":
        text = f"{field}: missing (required)"
    elif kind == "extra_forbidden":
        text = f"{field}: unknown field {last_name!r}"
        parent = loc[:-1]
        if parent:
            text = f"{_loc_text(parent)}: unknown field {last_name!r}"
    elif "input" in first and kind not in ("model_type", "dict_type", "list_type") and loc:
        text = f"{field}: {_short(first['input'])} is not valid ({msg})"
    else:
        text = f"{field}: {msg}"
    if allowed and kind != "extra_forbidden":
        text += f"; allowed: {allowed}"
    more = err.error_count() - 1
    if more > 0:
        text += f" (and {more} more problem{'s' if more > 1 else ''})"
    return (context + ": " if context else "") + text
