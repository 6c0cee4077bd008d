"""A library of roles: the bundled roles, the roles saved in a store, and files.

``read_library`` turns paths (role JSON, assessment documents, folders of them, globs,
bundled slugs) into (source, assessment) pairs plus one :class:`Unreadable` per entry that
could not be read: a broken file never stops the rest from being read.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import AIJRIError
from .io import bundled_roles, data_dir, load_assessment, read_file_bytes
from .model import RoleAssessment

#: File endings read from a folder: role JSON and assessment documents.
ROLE_SUFFIXES = (".json", ".md", ".txt")
#: Sources of bundled and saved roles: the store's role keys (store.contract's prefixes; a test
#: keeps them equal), so the app opens a board row by its source.
BUNDLED = "bundled:"
STORED = "stored:"


@dataclass(frozen=True)
class Unreadable:
    """A library entry that could not be read: where, and the one-line reason."""

    source: str
    error: str


def bundled_entries() -> list[tuple[str, RoleAssessment]]:
    return [(f"{BUNDLED}{slug}", a) for slug, a in bundled_roles().items()]


def stored_entries(store) -> tuple[list[tuple[str, RoleAssessment]], list[Unreadable]]:
    """Every role saved in ``store`` (a ScenarioStore); a role that cannot be loaded is listed as unreadable."""
    out, bad = [], []
    for name in store.list_roles():
        try:
            out.append((f"{STORED}{name}", store.load_role(name)))
        except AIJRIError as exc:
            bad.append(Unreadable(f"{STORED}{name}", str(exc)))
    return out, bad


def read_role_file(path: str | Path) -> RoleAssessment:
    """A role from a JSON file (``.json``) or an assessment document (any other file)."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        return load_assessment(p)
    from .formats.document import parse_assessment_document

    assessment, _audit = parse_assessment_document(read_file_bytes(p, "assessment document"), what=p.name)
    return assessment


def is_bundled_slug(name: str) -> bool:
    """Whether ``name`` is a bundled role's slug (a plain name, never a path)."""
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and (data_dir() / "roles" / f"{name}.json").is_file()
    )


def _expand(path: str) -> list[str] | None:
    """The files a path stands for (a folder's role files, a glob's matches), or None when
    nothing matches."""
    p = Path(path)
    if p.is_dir():
        return [str(f) for f in sorted(p.iterdir()) if f.is_file() and f.suffix.lower() in ROLE_SUFFIXES]
    if p.exists() or p.is_symlink():
        return [path]
    if glob.has_magic(path):
        found = sorted(glob.glob(path, recursive=True))
        return [f for f in found if not Path(f).is_dir()] or None
    return None


def read_library(paths: Iterable[str]) -> tuple[list[tuple[str, RoleAssessment]], list[Unreadable]]:
    """(source, assessment) for every role the paths name, and what could not be read.

    A path is a role JSON file, an assessment document, a folder (its .json, .md and .txt
    files, not its sub-folders), a glob (``roles/*.json``, ``**`` included) or a bundled
    role's slug. A file named twice is read once.
    """
    roles: list[tuple[str, RoleAssessment]] = []
    bad: list[Unreadable] = []
    seen: set[str] = set()
    for path in paths:
        files = _expand(path)
        if files is None:
            if is_bundled_slug(path):
                files = [f"{BUNDLED}{path}"]
            else:
                bad.append(Unreadable(path, f"{path}: no such file, folder or bundled role"))
                continue
        for f in files:
            if f in seen:
                continue
            seen.add(f)
            try:
                if f.startswith(BUNDLED) and not Path(f).exists():
                    a = load_assessment(data_dir() / "roles" / f"{f[len(BUNDLED):]}.json")
                else:
                    a = read_role_file(f)
            except AIJRIError as exc:
                bad.append(Unreadable(f, str(exc)))
                continue
            except (OSError, UnicodeError, ValueError) as exc:  # a reader must never show a traceback
                bad.append(Unreadable(f, f"{Path(f).name}: could not be read ({type(exc).__name__})"))
                continue
            roles.append((f, a))
    return roles, bad
