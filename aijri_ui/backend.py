"""Where roles and scenarios live: the bundled roles, the scenario store, the session.

The scenario store (``aijri_core.store.ScenarioStore``, path from ``AIJRI_DB`` or the user's
data folder) keeps roles and scenarios across restarts and browser tabs. If it cannot be
used (the module is missing or the file cannot be opened) the app keeps them in the
browser session instead and says so once.

Role keys: ``bundled:<slug>`` (shipped in data/roles), ``stored:<name>`` (saved in the
store), ``session:<name>`` (imported in this session when there is no store).
"""

from __future__ import annotations

import os
import uuid
from functools import lru_cache

import streamlit as st

from aijri_core import AIJRIError, RoleAssessment, Scenario, bundled_roles
from aijri_core.model import MAX_NAME

BUNDLED = "bundled:"
STORED = "stored:"
SESSION = "session:"

_SESSION_ROLES = "aijri.session_roles"  # name -> RoleAssessment JSON (no-store fallback)
_SESSION_SCENARIOS = "aijri.session_scenarios"  # role key -> list[Scenario] (no-store fallback)
_STORE_PROBLEM = "aijri.store_problem"
_ROLES_VERSION = "aijri.roles_version"  # bumped when this session saves or deletes a role


class NameTaken(AIJRIError):
    """A scenario or role of that name already exists (the session fallback's name clash)."""


@st.cache_resource(show_spinner=False)
def _bundled() -> dict[str, RoleAssessment]:
    return bundled_roles()


@st.cache_resource(show_spinner=False)
def _store_for(path: str, workspace: str):
    """One store per address and workspace (``workspace``, env AIJRI_WORKSPACE, is read by the
    PostgreSQL store; it is part of the cache key so two workspaces never share a store)."""
    from aijri_core.store import open_store

    store = open_store(path)
    store.list_roles()  # opens (and creates) the file now, so a problem shows up here
    return store


def store():
    """The scenario store, or None when it cannot be used (the reason is kept for the UI)."""
    try:
        return _store_for(os.environ.get("AIJRI_DB", ""), os.environ.get("AIJRI_WORKSPACE", ""))
    except ImportError:
        return None
    except AIJRIError as exc:
        st.session_state[_STORE_PROBLEM] = str(exc)
        return None
    except OSError as exc:
        st.session_state[_STORE_PROBLEM] = f"the scenario store cannot be opened ({exc})"
        return None


def store_problem() -> str | None:
    """Why the store is not used (once it was tried), for one warning on the page."""
    return st.session_state.get(_STORE_PROBLEM)


def is_persistent() -> bool:
    return store() is not None


def name_clash_types() -> tuple[type[Exception], ...]:
    try:
        from aijri_core.store import NameClashError
    except ImportError:
        return (NameTaken,)
    return (NameClashError, NameTaken)


# ------------------------------------------------------------------ roles


@lru_cache(maxsize=64)
def parse_role_json(text: str) -> RoleAssessment:
    """The assessment of a JSON text (memoised: the same text is parsed once)."""
    return RoleAssessment.model_validate_json(text)


@st.cache_resource(ttl=5, max_entries=16, show_spinner=False)
def _stored_role_names(path: str, version: str) -> tuple[str, ...]:
    """Names of the stored roles (read at most every 5 s: the sidebar asks on every rerun;
    ``version`` changes when this session saves or deletes one, so its own changes show at once)."""
    return tuple(store().list_roles())


def _roles_changed() -> None:
    st.session_state[_ROLES_VERSION] = uuid.uuid4().hex  # a key no other session has used


def role_options() -> dict[str, str]:
    """Every role the app can show: role key -> label, bundled first."""
    out = {f"{BUNDLED}{slug}": a.title for slug, a in _bundled().items()}
    s = store()
    if s is not None:
        try:
            names = _stored_role_names(s.address, st.session_state.get(_ROLES_VERSION, ""))
        except AIJRIError as exc:
            st.session_state[_STORE_PROBLEM] = str(exc)
            names = []
        for name in names:
            out[f"{STORED}{name}"] = f"{name} (saved)"
    for name in st.session_state.get(_SESSION_ROLES, {}):
        out[f"{SESSION}{name}"] = f"{name} (this session)"
    return out


def role_source(role_key: str) -> str:
    """Where a role comes from, in words: bundled, saved, this session."""
    if role_key.startswith(BUNDLED):
        return "bundled"
    if role_key.startswith(STORED):
        return "saved"
    return "this session"


def resolve_role(role_key: str) -> RoleAssessment:
    """The baseline assessment of a role key, or an AIJRIError naming what is available."""
    if not isinstance(role_key, str) or len(role_key) > MAX_NAME + 20:
        raise AIJRIError("role: not a valid role key")
    if role_key.startswith(BUNDLED):
        slug = role_key[len(BUNDLED):]
        roles = _bundled()
        if slug not in roles:
            raise AIJRIError(f"{slug!r} is not a bundled role; available: {', '.join(roles)}")
        return roles[slug]
    if role_key.startswith(STORED):
        s = store()
        if s is None:
            raise AIJRIError("saved roles are not available: the scenario store cannot be used")
        return s.load_role(role_key[len(STORED):])
    if role_key.startswith(SESSION):
        name = role_key[len(SESSION):]
        roles = st.session_state.get(_SESSION_ROLES, {})
        if name not in roles:
            raise AIJRIError(f"{name!r} was imported in another session and is not available here")
        return parse_role_json(roles[name])
    raise AIJRIError(f"{role_key[:60]!r} is not a role key; use bundled:<slug> or stored:<name>")


def save_role(assessment: RoleAssessment, name: str, overwrite: bool = False) -> str:
    """Keep an imported role (in the store if possible); returns its role key."""
    s = store()
    if s is not None:
        saved = s.save_role(assessment, name=name, overwrite=overwrite)
        _roles_changed()
        return f"{STORED}{saved}"
    roles = st.session_state.setdefault(_SESSION_ROLES, {})
    name = name.strip()
    if not name:
        raise AIJRIError("role name: empty; allowed: 1 to 200 characters")
    if name in roles and not overwrite:
        raise NameTaken(f"a role named {name!r} already exists; overwrite it or choose another name")
    roles[name] = assessment.model_dump_json()
    return f"{SESSION}{name}"


def delete_role(role_key: str) -> None:
    if role_key.startswith(STORED) and store() is not None:
        store().delete_role(role_key[len(STORED):])
        _roles_changed()
    elif role_key.startswith(SESSION):
        st.session_state.get(_SESSION_ROLES, {}).pop(role_key[len(SESSION):], None)
    else:
        raise AIJRIError("bundled roles cannot be deleted")


# ------------------------------------------------------------------ scenarios


def _session_list(role_key: str) -> list[Scenario]:
    return st.session_state.setdefault(_SESSION_SCENARIOS, {}).setdefault(role_key, [])


def list_scenarios(role_key: str) -> list[Scenario]:
    s = store()
    if s is not None:
        return list(s.list_scenarios(role_key))
    return list(_session_list(role_key))


def save_scenario(role_key: str, scenario: Scenario, overwrite: bool = False) -> None:
    """Save one scenario; a name that exists raises a name clash unless ``overwrite``."""
    s = store()
    if s is not None:
        s.save_scenario(role_key, scenario, overwrite=overwrite)
        return
    items = _session_list(role_key)
    for i, old in enumerate(items):
        if old.name == scenario.name:
            if not overwrite:
                raise NameTaken(f"a scenario named {scenario.name!r} already exists; overwrite it or choose another name")
            items[i] = scenario
            return
    items.append(scenario)


def rename_scenario(role_key: str, old: str, new: str) -> None:
    s = store()
    if s is not None:
        s.rename_scenario(role_key, old, new)
        return
    items = _session_list(role_key)
    new = new.strip()
    if not new:
        raise AIJRIError("new name: empty; allowed: 1 to 200 characters")
    if any(x.name == new for x in items) and new != old:
        raise NameTaken(f"a scenario named {new!r} already exists; choose another name")
    for i, x in enumerate(items):
        if x.name == old:
            items[i] = x.model_copy(update={"name": new})
            return
    raise AIJRIError(f"no scenario named {old!r}")


def delete_scenario(role_key: str, name: str) -> None:
    s = store()
    if s is not None:
        s.delete_scenario(role_key, name)
        return
    items = _session_list(role_key)
    items[:] = [x for x in items if x.name != name]


def import_scenarios(role_key: str, scenarios: list[Scenario], overwrite: bool = False) -> None:
    """Save a list of scenarios, all or nothing."""
    s = store()
    if s is not None:
        s.import_scenarios(role_key, scenarios, overwrite=overwrite)
        return
    items = _session_list(role_key)
    existing = {x.name for x in items}
    if not overwrite:
        clash = [x.name for x in scenarios if x.name in existing]
        if clash:
            raise NameTaken(f"scenario {clash[0]!r} already exists; nothing was imported")
    new = list(items)
    for sc in scenarios:
        for i, old in enumerate(new):
            if old.name == sc.name:
                new[i] = sc
                break
        else:
            new.append(sc)
    items[:] = new
