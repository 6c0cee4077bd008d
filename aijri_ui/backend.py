"""Where roles and scenarios live for the app: the bundled roles and one scenario store.

The store is ``open_store(AIJRI_DB)`` (one per address and workspace, shared by every
session of this server process):

- ``AIJRI_DB`` set: that store and no other. If it cannot be opened or reached, the pages
  say so plainly (an error naming the address, without its password) and nothing is saved
  anywhere else: a team must never believe it shares what only one browser holds.
- ``AIJRI_DB`` not set: the file in the user's data folder. If that cannot be used, roles
  and scenarios are kept in a :class:`~aijri_core.store.MemoryStore` held in the browser
  session, and the pages show a notice that they are kept for this session only.

Role keys are the store's: ``bundled:<slug>`` and ``stored:<role name>``.
"""

from __future__ import annotations

import os
import time
import uuid
from functools import lru_cache

import streamlit as st

from aijri_core import AIJRIError, RoleAssessment, Scenario, bundled_roles
from aijri_core.store import (
    BUNDLED_PREFIX,
    ENV_VAR,
    MemoryStore,
    NameClashError,
    NotFoundError,
    ScenarioStore,
    StoreError,
    check_role_key,
    open_store,
    resolve_role_key,
    stored_role_key,
    stored_role_name,
)

from .keys import ROLES_VERSION, SESSION_STORE, STORE_PROBLEM, STORE_UNREACHABLE

WORKSPACE_ENV = "AIJRI_WORKSPACE"
#: Seconds before an unreachable configured store is tried again (each try may wait for a
#: connection timeout, and a page asks for the store several times per run).
RETRY_S = 10.0

#: What a page says when it needs the configured store and cannot use it. The reason, with
#: the address, is :func:`unreachable`, shown once in the sidebar of every page.
UNUSABLE_ON_PAGE = (
    f"Saved roles and scenarios cannot be shown or saved here: the scenario store set in {ENV_VAR}"
    " cannot be used (the sidebar says why)."
)


@st.cache_resource(show_spinner=False)
def _bundled() -> dict[str, RoleAssessment]:
    return bundled_roles()


@st.cache_resource(show_spinner=False)
def _store_for(address: str, workspace: str) -> ScenarioStore:
    """One store per address and workspace (``workspace``, env AIJRI_WORKSPACE, is read by the
    PostgreSQL store; it is part of the cache key so two workspaces never share a store).
    A store that fails to open is not cached: the next call tries again."""
    store = open_store(address)
    store.list_roles()  # opens (and creates) it now, so a problem shows up here
    return store


def _configured_address() -> str:
    return os.environ.get(ENV_VAR, "").strip()


def store() -> ScenarioStore:
    """The scenario store for this session.

    Raises StoreError (:data:`UNUSABLE_ON_PAGE`; the reason is :func:`unreachable`) when the
    store set in ``AIJRI_DB`` cannot be used; without ``AIJRI_DB`` a store that cannot be used becomes the session-only fallback.
    """
    address = _configured_address()
    if address:
        failed = st.session_state.get(STORE_UNREACHABLE)
        if failed and time.monotonic() - failed[1] < RETRY_S:
            raise StoreError(UNUSABLE_ON_PAGE)
    try:
        found = _store_for(address, os.environ.get(WORKSPACE_ENV, ""))
    except (AIJRIError, OSError) as exc:
        if address:
            message = (
                f"The scenario store set in {ENV_VAR} cannot be used: {exc}."  # the reason names the address
                " Saved roles and scenarios cannot be listed or saved until it is back;"
                " nothing is kept anywhere else meanwhile."
            )
            st.session_state[STORE_UNREACHABLE] = (message, time.monotonic())
            raise StoreError(UNUSABLE_ON_PAGE) from None
        st.session_state[STORE_PROBLEM] = str(exc)
        return st.session_state.setdefault(SESSION_STORE, MemoryStore())
    st.session_state.pop(STORE_UNREACHABLE, None)
    st.session_state.pop(STORE_PROBLEM, None)
    return found


def store_problem() -> str | None:
    """Why roles and scenarios are kept for this session only (None when they are saved)."""
    return st.session_state.get(STORE_PROBLEM)


def unreachable() -> str | None:
    """Why the store set in ``AIJRI_DB`` cannot be used (None once it works again)."""
    failed = st.session_state.get(STORE_UNREACHABLE)
    return failed[0] if failed else None


def session_only_notice() -> str | None:
    """The notice a page shows while roles and scenarios are kept in this session only."""
    reason = store_problem()
    if reason is None:
        return None
    return (f"Roles and scenarios are kept for this session only (they are lost when the browser tab closes):"
            f" the scenario store cannot be used - {reason}")


def is_persistent() -> bool:
    return not isinstance(store(), MemoryStore)


# ------------------------------------------------------------------ roles


def bundled_slug(role_key: str) -> str | None:
    """The slug of a bundled role's key (None for a saved role)."""
    key = check_role_key(role_key)
    return key[len(BUNDLED_PREFIX):] if key.startswith(BUNDLED_PREFIX) else None


@st.cache_resource(ttl=5, max_entries=16, show_spinner=False)
def _stored_role_names(address: str, workspace: str, version: str) -> tuple[str, ...]:
    """Names of the stored roles (read at most every 5 s: the sidebar asks on every rerun;
    ``version`` changes when this session saves or deletes one, so its own changes show at once)."""
    return tuple(_store_for(address, workspace).list_roles())


def _roles_changed() -> None:
    st.session_state[ROLES_VERSION] = uuid.uuid4().hex  # a key no other session has used


def _saved_names() -> tuple[tuple[str, ...], str]:
    """The saved roles' names and how they are labelled ("saved", "this session"); none when the
    configured store cannot be used."""
    try:
        s = store()
        if isinstance(s, MemoryStore):
            return tuple(s.list_roles()), "this session"
        workspace = os.environ.get(WORKSPACE_ENV, "")
        return _stored_role_names(_configured_address(), workspace, st.session_state.get(ROLES_VERSION, "")), "saved"
    except AIJRIError:
        return (), ""


@lru_cache(maxsize=16)
def _saved_labels(names: tuple[str, ...], label: str) -> dict[str, str]:
    """Role key -> label of the saved roles, made once per list of names (callers copy it)."""
    return {stored_role_key(name): f"{name} ({label})" for name in names}


def role_options() -> dict[str, str]:
    """Every role the app can show: role key -> label, bundled first.

    When the configured store cannot be used, only the bundled roles are offered
    (:func:`unreachable` says why).
    """
    out = {f"{BUNDLED_PREFIX}{slug}": a.title for slug, a in _bundled().items()}
    out.update(_saved_labels(*_saved_names()))
    return out


#: Saved roles a picker lists at once; with more, it lists those a search finds (first ones first).
ROLE_LIST_LIMIT = 50


@lru_cache(maxsize=64)
def _choices(names: tuple[str, ...], label: str, text: str, limit: int) -> tuple[tuple[tuple[str, str], ...], int]:
    from aijri_core.store.contract import fold_ascii

    stored = list(_saved_labels(names, label).items())
    if text:
        wanted = fold_ascii(text.strip())
        stored = [(k, v) for k, v in stored if wanted in fold_ascii(stored_role_name(k) or "")]
    return tuple(stored[:limit]), len(stored)


def role_choices(text: str | None = None, limit: int = ROLE_LIST_LIMIT) -> tuple[dict[str, str], int]:
    """(role key -> label: the bundled roles, then at most ``limit`` saved roles whose name holds
    ``text`` (A-Z in either case), how many saved roles match in all). The names come from the
    store's list of names (read at most every 5 s); the answer is kept per list of names, so
    the sidebar and the Roles page asking again in one run cost a look-up."""
    bundled = {f"{BUNDLED_PREFIX}{slug}": a.title for slug, a in _bundled().items()}
    stored, found = _choices(*_saved_names(), text or "", limit)
    return {**bundled, **dict(stored)}, found


def role_source(role_key: str) -> str:
    """Where a role comes from, in words: bundled, saved, this session."""
    if bundled_slug(role_key) is not None:
        return "bundled"
    return "this session" if store_problem() is not None else "saved"


def resolve_role(role_key: str) -> RoleAssessment:
    """The baseline assessment of a role key (bundled roles read once per server process)."""
    slug = bundled_slug(role_key)
    if slug is None:
        return resolve_role_key(role_key, store())
    return _bundled().get(slug) or resolve_role_key(role_key)  # the core names the bundled roles


@st.cache_resource(ttl=5, max_entries=64, show_spinner=False)
def _listed_saved(address: str, workspace: str, names: tuple[str, ...], version: str, m_json: str) -> dict:
    """Saved roles of a list of many, each with its score (None: deleted meanwhile), read and
    scored in one call per (names, version, methodology) at most every 5 s, like the names:
    a run of the Roles page then costs one cache look-up, not one per role listed."""
    from aijri_core import score

    from . import cached

    s, m = _store_for(address, workspace), cached.methodology(m_json)
    out: dict[str, tuple | None] = {}
    for name in names:
        try:
            a = s.load_role(name)
        except NotFoundError:
            out[name] = None
            continue
        out[name] = (a, score(a, m))
    return out


def listed_roles(keys: list[str], m_json: str) -> dict[str, tuple]:
    """The roles of a list of many (the Roles page's table) with their scores, in the order
    given: role key -> (assessment, score). A role that cannot be read is left out."""
    from . import cached

    s = store()
    names = () if isinstance(s, MemoryStore) else tuple(n for k in keys if (n := stored_role_name(k)) is not None)
    saved: dict = {}
    if names:
        try:
            saved = _listed_saved(_configured_address(), os.environ.get(WORKSPACE_ENV, ""), names,
                                  st.session_state.get(ROLES_VERSION, ""), m_json)
        except AIJRIError:  # the store is down: its roles are left out, the bundled ones shown
            saved = dict.fromkeys(names)
    out: dict[str, tuple] = {}
    for key in keys:
        name = stored_role_name(key)
        if name is not None and name in saved:
            if saved[name] is not None:
                out[key] = saved[name]
            continue
        try:
            a = resolve_role(key)
        except AIJRIError:
            continue
        out[key] = (a, cached.score_of(a.model_dump_json(), m_json))
    return out


def save_role(assessment: RoleAssessment, name: str, overwrite: bool = False) -> str:
    """Keep an imported role; returns its role key. A taken name raises NameClashError."""
    saved = store().save_role(assessment, name=name, overwrite=overwrite)
    _roles_changed()
    return stored_role_key(saved)


def delete_role(role_key: str) -> None:
    name = stored_role_name(role_key)
    if name is None:
        raise StoreError("bundled roles cannot be deleted")
    store().delete_role(name)
    _roles_changed()


# ------------------------------------------------------------------ scenarios


def list_scenarios(role_key: str) -> list[Scenario]:
    """The role's saved scenarios. A configured store that stops answering is reported as one that
    cannot be opened (the sidebar says why; the next tries within RETRY_S fail at once)."""
    found = store()
    try:
        return found.list_scenarios(role_key)
    except StoreError as exc:
        if not _configured_address() or isinstance(exc, NameClashError):
            raise
        message = (f"The scenario store set in {ENV_VAR} cannot be used: {exc}. Saved roles and scenarios cannot"
                   " be listed or saved until it is back; nothing is kept anywhere else meanwhile.")
        st.session_state[STORE_UNREACHABLE] = (message, time.monotonic())
        raise StoreError(UNUSABLE_ON_PAGE) from None


def store_text() -> str:
    """Which store and workspace this session uses, in words (no password), for the sidebar."""
    address = _configured_address()
    workspace = os.environ.get(WORKSPACE_ENV, "").strip()
    where = f"workspace {workspace!r}" if workspace else "the default workspace"
    if address:
        from aijri_core.store import display_address

        shown = display_address(address)
        if unreachable():
            return f"Store: {shown} ({where}) - cannot be used now"
        return f"Store: {shown} ({where})" if address.startswith("postgres") else f"Store: {shown}"
    try:
        found = store()
    except AIJRIError:
        return "Store: none"
    if isinstance(found, MemoryStore):
        return "Store: this browser session only"
    return f"Store: {found.address}"


def scenario_page(role_key: str, offset: int, limit: int, text: str | None = None,
                  trajectory: str | None = None) -> list[Scenario]:
    """One page of the role's scenarios (the store filters and pages in its own query)."""
    return store().scenario_page(role_key, offset, limit, text=text, trajectory=trajectory)


def count_scenarios(role_key: str, text: str | None = None, trajectory: str | None = None) -> int:
    return store().count_scenarios(role_key, text=text, trajectory=trajectory)


def trajectory_names(role_key: str, limit: int | None = None) -> list[str]:
    return store().trajectory_names(role_key, limit=limit)


def trajectory_scenarios(role_key: str, name: str) -> list[Scenario]:
    """The scenarios of one saved trajectory, in saved order."""
    from aijri_core.store.contract import MAX_PAGE

    return store().scenario_page(role_key, 0, MAX_PAGE, trajectory=name)


def existing_names(role_key: str, names: list[str]) -> list[str]:
    """Which of these scenario names are saved for the role (one lookup each: for a path's
    few steps, never the whole library)."""
    from aijri_core.store import NotFoundError

    found = []
    s = store()
    for name in names:
        try:
            s.load_scenario(role_key, name)
        except NotFoundError:
            continue
        found.append(name)
    return found


def save_scenario(role_key: str, scenario: Scenario, overwrite: bool = False) -> None:
    """Save one scenario; a name that exists raises NameClashError unless ``overwrite``."""
    store().save_scenario(role_key, scenario, overwrite=overwrite)


def rename_scenario(role_key: str, old: str, new: str) -> None:
    store().rename_scenario(role_key, old, new)


def delete_scenario(role_key: str, name: str) -> None:
    store().delete_scenario(role_key, name)


def import_scenarios(role_key: str, scenarios: list[Scenario], overwrite: bool = False) -> None:
    """Save a list of scenarios, all or nothing."""
    store().import_scenarios(role_key, scenarios, overwrite=overwrite)
