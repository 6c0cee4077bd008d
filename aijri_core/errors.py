"""One clear message per user error: which field, what value, what is allowed."""

from __future__ import annotations

import typing

from pydantic import BaseModel, ValidationError

from . import model as _model
from .methodology import Methodology
from .model import field_hint

#: Models whose validation errors we describe, by the name pydantic gives as the error title.
_MODELS: dict[str, type[BaseModel]] = {
    cls.__name__: cls
    for cls in (
        _model.RoleAssessment,
        _model.Task,
        _model.Evidence,
        _model.Barriers,
        _model.Protective,
        _model.PublishedResult,
        _model.Override,
        _model.Comparator,
        _model.Scenario,
        Methodology,
    )
}


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


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The model inside an annotation such as ``list[Task]`` or ``PublishedResult | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _model_at(title: str, loc: tuple) -> type[BaseModel] | None:
    """The model that holds the field at ``loc`` (list indexes are skipped)."""
    current = _MODELS.get(title)
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current


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
    holder = _model_at(err.title, loc[:-1]) if loc and isinstance(loc[-1], str) else None
    allowed = field_hint(holder, last_name) if holder is not None else None
    if kind == "missing":
        text = f"{field}: missing (required)"
    elif kind == "extra_forbidden":
        parent = loc[:-1]
        text = f"{_loc_text(parent)}: unknown field {last_name!r}" if parent else f"unknown field {last_name!r}"
        holder = _model_at(err.title, parent)
        if holder is not None:
            text += f"; allowed: {', '.join(holder.model_fields)}"
    elif not loc:  # a check on the whole object (e.g. the share total): the message says what
        text = msg
    elif kind == "value_error" and isinstance(first.get("input"), list | dict):
        text = f"{field}: {msg}"  # a check on a list or object: naming it is clearer than dumping it
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
