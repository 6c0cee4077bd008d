"""The scenario store contract: the one API every backend implements, and the rules they share.

A store keeps saved roles (by name) and scenarios (by role key and name). Every backend
(:class:`~aijri_core.store.memory.MemoryStore`, :class:`~aijri_core.store.sqlite.SQLiteStore`,
the PostgreSQL store) behaves exactly as described here, and one test suite checks that:

- Names (of roles and scenarios) are checked once, here (:func:`check_name`), after the
  project's one cleaning rule (``model.clean_name``: NFC, invisible characters at the ends
  removed): 1 to ``MAX_NAME`` characters. After cleaning they are
  compared exactly (case matters).
- Role keys are ``bundled:<slug>`` or ``stored:<role name>``; :func:`check_role_key`
  normalises them the same way before anything is read or saved, so a role saved as
  ``"Analyst"`` and scenarios saved for ``"stored: Analyst "`` meet under ``stored:Analyst``.
- A name already taken raises :class:`NameClashError` unless ``overwrite=True``;
  overwriting keeps the entry's place in the order. A missing name raises
  :class:`NotFoundError`. Both are :class:`StoreError` (an ``AIJRIError``: one line for a user).
- Order: roles and each role's scenarios keep the order in which they were first saved; the
  stored positions are unique and dense (0, 1, 2, ... with no gaps, also after a delete).
- Scenarios are saved only for a role that exists (:func:`check_owner`): a ``bundled:`` key
  must name a bundled role and a ``stored:`` key a role saved in the store, else
  :class:`NotFoundError` naming it. Reading a role key without scenarios gives an empty list.
- ``rename_role`` moves the role's scenarios (``stored:<old>`` -> ``stored:<new>``);
  ``delete_role`` deletes them. ``rename_scenario`` keeps the scenario's place.
- ``import_scenarios`` saves the whole list or, on any problem, nothing.
- Everything is validated as it is saved and again as it is read back; a damaged entry is a
  StoreError naming it. Text may not hold the NUL character (the models' rule), so every
  backend keeps exactly the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable

from pydantic import ValidationError

from ..errors import AIJRIError, describe_validation_error
from ..io import data_dir, json_text, parse_json_text
from ..model import MAX_NAME, RoleAssessment, Scenario, clean_name

BUNDLED_PREFIX = "bundled:"
STORED_PREFIX = "stored:"
#: Longest role key accepted ("stored:" + a role name).
MAX_ROLE_KEY = MAX_NAME + len(STORED_PREFIX)
_KEY_FORMS = "'bundled:<slug>' or 'stored:<role name>'"


class StoreError(AIJRIError):
    """The store cannot do what was asked (bad name, damaged entry, unreachable store)."""


#: Why a write failed when the disk (or the database's space) ran out: SQLite's own words.
DISK_FULL = "database or disk is full"


def disk_full_error(address: str, detail: str = "") -> StoreError:
    """The one message of a write that ran out of space: nothing was saved, earlier data is intact."""
    return StoreError(f"store {address}: write failed, nothing was saved ({DISK_FULL}{': ' + detail if detail else ''})")


class NameClashError(StoreError):
    """A role or scenario of that name is already stored (pass overwrite=True or rename)."""


class NotFoundError(StoreError):
    """No role or scenario of that name is stored."""


@runtime_checkable
class ScenarioStore(Protocol):
    """What every store offers. ``address`` says where it keeps its data, for messages
    (never a password)."""

    address: str

    # roles -----------------------------------------------------------------
    def save_role(self, assessment: RoleAssessment, name: str | None = None, overwrite: bool = False) -> str:
        """Save a role under ``name`` (default: its title); returns the cleaned name used."""
        ...

    def list_roles(self) -> list[str]:
        """Names of the saved roles, in the order they were first saved."""
        ...

    def load_role(self, name: str) -> RoleAssessment: ...

    def has_role(self, name: str) -> bool: ...

    def rename_role(self, old: str, new: str) -> None:
        """Rename a saved role; its scenarios (role key ``stored:<old>``) move with it."""
        ...

    def delete_role(self, name: str) -> None:
        """Delete a saved role and the scenarios saved for it."""
        ...

    # scenarios -------------------------------------------------------------
    def save_scenario(self, role_key: str, scenario: Scenario, overwrite: bool = False) -> None: ...

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        """Save many scenarios: all of them or none; returns how many were saved."""
        ...

    def list_scenarios(self, role_key: str) -> list[Scenario]:
        """The role's scenarios in saved order."""
        ...

    def scenario_names(self, role_key: str) -> list[str]: ...

    def role_keys(self) -> list[str]:
        """Role keys that have saved scenarios, sorted."""
        ...

    def load_scenario(self, role_key: str, name: str) -> Scenario: ...

    def rename_scenario(self, role_key: str, old: str, new: str) -> None: ...

    def delete_scenario(self, role_key: str, name: str) -> None: ...

    def close(self) -> None:
        """Release connections (the store may not be used afterwards)."""
        ...


class StoreBase:
    """What every backend shares on top of its own storage (each defines ``import_scenarios``)."""

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        raise NotImplementedError

    def save_scenario(self, role_key: str, scenario: Scenario, overwrite: bool = False) -> None:
        """Saving one scenario is importing a list of one (same checks, same errors)."""
        self.import_scenarios(role_key, [scenario], overwrite=overwrite)


# ---------------------------------------------------------------- names and role keys


def check_name(name: object, what: str) -> str:
    """The cleaned name, or a StoreError naming ``what`` and the allowed length."""
    if not isinstance(name, str):
        raise StoreError(f"{what}: expected text, got {type(name).__name__}")
    cleaned = clean_name(name)
    if not cleaned:
        raise StoreError(f"{what}: empty; allowed: 1 to {MAX_NAME} characters")
    if len(cleaned) > MAX_NAME:
        raise StoreError(f"{what}: {len(cleaned)} characters is too long; allowed: 1 to {MAX_NAME} characters")
    if "\x00" in cleaned:
        raise StoreError(f"{what}: contains a NUL character; allowed: 1 to {MAX_NAME} characters of text")
    return cleaned


def bundled_role_key(slug: str) -> str:
    """The role key of a bundled role, e.g. ``bundled:ai-infrastructure-engineer``."""
    return f"{BUNDLED_PREFIX}{slug}"


def stored_role_key(name: str) -> str:
    """The role key of a role saved in the store under ``name`` (cleaned like the role's name)."""
    return f"{STORED_PREFIX}{check_name(name, 'role name')}"


def check_role_key(role_key: object) -> str:
    """The normalised role key (``bundled:<slug>`` or ``stored:<cleaned role name>``)."""
    if not isinstance(role_key, str) or not role_key.strip():
        raise StoreError(f"role key: expected text such as {_KEY_FORMS}, got {str(role_key)[:60]!r}")
    key = clean_name(role_key)
    if key.startswith(STORED_PREFIX):
        return stored_role_key(key[len(STORED_PREFIX) :])
    if key.startswith(BUNDLED_PREFIX):
        slug = key[len(BUNDLED_PREFIX) :].strip()
        if not slug or len(slug) > MAX_NAME or "\x00" in slug:
            raise StoreError(f"role key {key[:60]!r}: the slug must be 1 to {MAX_NAME} characters of text")
        return bundled_role_key(slug)
    raise StoreError(f"role key {key[:60]!r}: expected {_KEY_FORMS}")


def stored_role_name(role_key: str) -> str | None:
    """The role name in a ``stored:`` key (None for a bundled key)."""
    key = check_role_key(role_key)
    return key[len(STORED_PREFIX) :] if key.startswith(STORED_PREFIX) else None


def bundled_slugs() -> list[str]:
    """The slugs of the bundled roles (their files in the data folder), sorted."""
    return sorted(p.stem for p in (data_dir() / "roles").glob("*.json"))


def check_owner(role_key: str, role_saved: Callable[[str], bool]) -> None:
    """Scenarios are saved only for a role that exists: a bundled role, or a role saved in this
    store (``role_saved(name)`` asks it, under the backend's lock). Otherwise NotFoundError."""
    name = stored_role_name(role_key)
    if name is None:
        slug = role_key[len(BUNDLED_PREFIX) :]
        known = bundled_slugs()
        if slug not in known:
            raise NotFoundError(f"role key {role_key!r}: not a bundled role; available: {', '.join(known)}")
    elif not role_saved(name):
        raise NotFoundError(f"no role named {name!r} is saved; save the role before saving scenarios for it")


def check_scenario(scenario: object, what: str = "scenario") -> Scenario:
    """The scenario as it is filed: a Scenario whose name is cleaned like every name."""
    if not isinstance(scenario, Scenario):
        raise StoreError(f"{what}: expected a Scenario, got {type(scenario).__name__}")
    name = check_name(scenario.name, f"{what} name")
    return scenario if name == scenario.name else scenario.model_copy(update={"name": name})


def check_scenarios(scenarios: Iterable[Scenario]) -> list[Scenario]:
    """The scenarios of one import as a list (checked and cleaned); each needs its own name."""
    items = [check_scenario(s, f"scenario {i + 1}") for i, s in enumerate(scenarios)]
    seen: set[str] = set()
    for s in items:
        if s.name in seen:
            raise NameClashError(f"scenario {s.name!r} appears twice; each scenario needs its own name")
        seen.add(s.name)
    return items


def scenario_rows(scenarios: Iterable[Scenario]) -> list[tuple[str, str]]:
    """An import's scenarios checked (:func:`check_scenarios`) as (name, stored JSON) rows."""
    return [(s.name, scenario_json(s)) for s in check_scenarios(scenarios)]


def check_role(assessment: object) -> RoleAssessment:
    if not isinstance(assessment, RoleAssessment):
        raise StoreError(f"save_role: expected a RoleAssessment, got {type(assessment).__name__}")
    return assessment


def role_row(assessment: object, name: str | None) -> tuple[str, str]:
    """``save_role``'s arguments checked: the cleaned name (default: the title) and the stored JSON."""
    role = check_role(assessment)
    return check_name(role.title if name is None else name, "role name"), role_json(role)


# ---------------------------------------------------------------- the errors every backend raises


def role_taken(name: str, overwrite_hint: bool = True) -> NameClashError:
    hint = "overwrite it or choose another name" if overwrite_hint else "choose another name"
    return NameClashError(f"a role named {name!r} is already saved; {hint}")


def role_key_in_use(role_key: str) -> NameClashError:
    return NameClashError(f"scenarios are already saved for {role_key!r}; choose another name")


def scenarios_taken(role_key: str, names: Iterable[str]) -> NameClashError:
    """Import/save refused: these names are taken (up to five listed, in sorted order)."""
    taken = sorted(names)
    shown = ", ".join(repr(n) for n in taken[:5]) + (" ..." if len(taken) > 5 else "")
    what = f"scenarios {shown} are" if len(taken) > 1 else f"a scenario named {shown} is"
    return NameClashError(f"{what} already saved for role {role_key}; overwrite or rename (nothing was saved)")


def scenario_taken(role_key: str, name: str) -> NameClashError:
    return NameClashError(f"a scenario named {name!r} is already saved for role {role_key}; choose another name")


def role_not_found(name: str) -> NotFoundError:
    return NotFoundError(f"no role named {name!r} is saved")


def scenario_not_found(role_key: str, name: str) -> NotFoundError:
    return NotFoundError(f"no scenario named {name!r} is saved for {role_key!r}")


# ---------------------------------------------------------------- encoding and decoding entries


def _valid_json(model: type[RoleAssessment] | type[Scenario], data: dict, what: str) -> str:
    """``data`` as stored JSON text, after validating it as it will be read back: an object
    changed without validation (``model_copy``) is refused here, on every backend alike,
    instead of being saved and then found damaged."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        raise StoreError(f"{what}: {describe_validation_error(exc)}; nothing was saved") from None
    return json_text(data, indent=None)


def role_json(assessment: RoleAssessment) -> str:
    """A role as stored: its on-disk JSON (``RoleAssessment.to_json_dict``)."""
    return _valid_json(RoleAssessment, assessment.to_json_dict(), f"role {assessment.title!r}")


def scenario_json(scenario: Scenario) -> str:
    return _valid_json(Scenario, scenario.model_dump(mode="json"), f"scenario {scenario.name!r}")


def _damaged(address: str, what: str, reason: str) -> StoreError:
    return StoreError(f"store {address}: {what} is damaged ({reason}); delete it or restore a backup")


def _object(data: object, address: str, what: str) -> dict:
    """A stored entry as a JSON object: JSON text (SQLite, memory) or an already decoded dict (jsonb)."""
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8", errors="replace")
    if isinstance(data, str):
        try:
            data = parse_json_text(data, what)
        except AIJRIError:
            raise _damaged(address, what, "not valid JSON") from None
    if not isinstance(data, dict):
        raise _damaged(address, what, "not a JSON object")
    return data


def decode_role(data: object, address: str, name: str) -> RoleAssessment:
    """A stored role, validated again; a damaged one is a StoreError naming it."""
    what = f"role {name!r}"
    obj = _object(data, address, what)
    try:
        return RoleAssessment.model_validate(obj)
    except ValidationError as exc:
        raise _damaged(address, what, describe_validation_error(exc)) from None


def decode_scenario(data: object, address: str, role_key: str, name: str) -> Scenario:
    """A stored scenario, validated again (and it must hold the name it is filed under)."""
    what = f"scenario {name!r} of {role_key!r}"
    obj = _object(data, address, what)
    try:
        scenario = Scenario.model_validate(obj)
    except ValidationError as exc:
        raise _damaged(address, what, describe_validation_error(exc)) from None
    if scenario.name != name:
        raise _damaged(address, what, f"it holds {scenario.name!r}")
    return scenario
