"""Saved roles and scenarios: one contract (:class:`ScenarioStore`), several backends.

``open_store(address)`` picks the backend from an address (``AIJRI_DB``, ``--db``):

- ``None`` or ``""``: ``$AIJRI_DB`` if set, else :func:`default_store_path` (SQLite);
- a file path (``~/x.sqlite3``, ``C:\\data\\x.sqlite3``) or ``sqlite:///path``: SQLite
  (``sqlite:///relative/path``, ``sqlite:////absolute/path``);
- ``memory:``: a :class:`MemoryStore` (gone when the process ends);
- ``postgresql://user:password@host:port/dbname`` (or ``postgres://``): PostgreSQL.

Any other scheme is an error naming these forms (a file whose name contains ``:`` is
written ``./name``). Opening is lazy: nothing is created or connected until first use.

Role keys: ``bundled:<slug>`` (shipped with the package) and ``stored:<role name>`` (a role
saved in the store); :func:`resolve_role_key` gives the assessment a key stands for.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..io import bundled_role
from ..model import RoleAssessment
from .contract import (
    BUNDLED_PREFIX,
    MAX_ROLE_KEY,
    STORED_PREFIX,
    NameClashError,
    NotFoundError,
    ScenarioStore,
    StoreError,
    bundled_role_key,
    check_name,
    check_role_key,
    stored_role_key,
    stored_role_name,
)
from .memory import MemoryStore
from .sqlite import SCHEMA_VERSION, SQLiteStore

__all__ = [
    "BUNDLED_PREFIX",
    "ENV_VAR",
    "MAX_ROLE_KEY",
    "SCHEMA_VERSION",
    "STORED_PREFIX",
    "SUPPORTED_ADDRESSES",
    "MemoryStore",
    "NameClashError",
    "NotFoundError",
    "SQLiteStore",
    "ScenarioStore",
    "StoreError",
    "bundled_role_key",
    "check_name",
    "check_role_key",
    "default_store_address",
    "default_store_path",
    "display_address",
    "open_store",
    "resolve_role_key",
    "stored_role_key",
    "stored_role_name",
]

ENV_VAR = "AIJRI_DB"
STORE_FILE = "store.sqlite3"
MEMORY_ADDRESSES = ("memory:", ":memory:")
SUPPORTED_ADDRESSES = (
    "a file path (write ./name for a file whose name contains ':'), sqlite:///path, memory:,"
    " or postgresql://user:password@host:port/dbname"
)
# A scheme is at least two characters, so a Windows drive letter (C:\x, c:/x) stays a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def default_store_path() -> Path:
    """``store.sqlite3`` in the user's data folder (used when no address is given).

    Linux/BSD: ``$XDG_DATA_HOME/aijri`` (default ``~/.local/share/aijri``); macOS:
    ``~/Library/Application Support/aijri``; Windows: ``%APPDATA%\\aijri``.
    """
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "aijri" / STORE_FILE


def default_store_address() -> str:
    """``$AIJRI_DB`` if set (and not empty), else the default file path."""
    return os.environ.get(ENV_VAR, "").strip() or str(default_store_path())


def display_address(address: str) -> str:
    """The address without any password (in the user part or a ``password=`` parameter), for
    messages and pages. A URL that does not parse is not shown at all."""
    if _SCHEME.match(address) is None:
        return address  # a file path
    try:
        parts = urlsplit(address)
    except ValueError:
        return "(address not shown: it does not parse)"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def open_store(address: str | os.PathLike | None = None) -> ScenarioStore:
    """The store an address names (see the module docstring); nothing is opened yet.

    Raises StoreError for an address this release does not support, naming the forms it does.
    """
    if isinstance(address, os.PathLike):
        return SQLiteStore(address)
    if address is not None and not isinstance(address, str):
        raise StoreError(f"store address: expected text, got {type(address).__name__}; use {SUPPORTED_ADDRESSES}")
    text = (address or "").strip() or default_store_address()
    if text in MEMORY_ADDRESSES:
        return MemoryStore()
    match = _SCHEME.match(text)
    if match is None:
        return SQLiteStore(text)
    scheme = match.group(1).lower()
    if scheme == "sqlite" and text.lower().startswith("sqlite:///") and len(text) > len("sqlite:///"):
        return SQLiteStore(text[len("sqlite:///") :])
    if scheme in ("postgresql", "postgres") and text[len(scheme) + 1 :].startswith("//"):
        try:
            from . import postgresql
        except ImportError as exc:
            if exc.name and exc.name.startswith("aijri_core"):
                raise
            raise StoreError(
                f"store {display_address(text)}: PostgreSQL needs the psycopg package ({exc.name} is not installed)"
            ) from None
        return postgresql.PostgresStore(text)
    raise StoreError(f"store address {display_address(text)[:80]!r}: not supported; use {SUPPORTED_ADDRESSES}")


def resolve_role_key(role_key: str, store: ScenarioStore | None = None) -> RoleAssessment:
    """The base assessment a role key stands for: a bundled role, or a role saved in ``store``
    (default: :func:`open_store` of ``$AIJRI_DB``)."""
    key = check_role_key(role_key)
    name = stored_role_name(key)
    if name is None:
        return bundled_role(key[len(BUNDLED_PREFIX) :])
    return (store if store is not None else open_store()).load_role(name)
