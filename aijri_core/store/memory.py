"""A scenario store kept in memory: for one app session, tests, or ``open_store("memory:")``.

Entries are kept as the same JSON text the SQLite store writes and are validated again when
read, so this store accepts, refuses and returns exactly what the file store does. Order is
the order of the dictionaries (insertion order), so positions are dense by construction.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator

from ..model import RoleAssessment, Scenario
from . import contract as rules


def _trajectory(data: str) -> str | None:
    """The trajectory a stored entry holds (None for none, or for a damaged entry, as SQL reads it)."""
    try:
        found = json.loads(data).get("trajectory")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _renamed(entries: dict[str, str], old: str, new: str, data: str | None = None) -> dict[str, str]:
    """``entries`` with key ``old`` renamed to ``new`` in the same place (and new data if given)."""
    return {(new if k == old else k): (data if k == old and data is not None else v) for k, v in entries.items()}


class MemoryStore(rules.StoreBase):
    """Saved roles and scenarios in this process's memory (lost when it ends)."""

    address = "memory:"

    def __init__(self) -> None:
        self._roles: dict[str, str] = {}  # name -> role JSON, in saved order
        self._scenarios: dict[str, dict[str, str]] = {}  # role key -> name -> scenario JSON
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._roles)} roles, {sum(map(len, self._scenarios.values()))} scenarios)"

    def close(self) -> None:
        """Nothing to release (the data stays until the object is dropped)."""

    # ------------------------------------------------------------ roles

    def save_role(self, assessment: RoleAssessment, name: str | None = None, overwrite: bool = False) -> str:
        name, data = rules.role_row(assessment, name)
        with self._lock:
            if name in self._roles and not overwrite:
                raise rules.role_taken(name)
            self._roles[name] = data  # an existing key keeps its place
        return name

    def list_roles(self) -> list[str]:
        with self._lock:
            return list(self._roles)

    def load_role(self, name: str) -> RoleAssessment:
        name = rules.check_name(name, "role name")
        with self._lock:
            data = self._roles.get(name)
        if data is None:
            raise rules.role_not_found(name)
        return rules.decode_role(data, self.address, name)

    def has_role(self, name: str) -> bool:
        name = rules.check_name(name, "role name")
        with self._lock:
            return name in self._roles

    def rename_role(self, old: str, new: str) -> None:
        old = rules.check_name(old, "role name")
        new = rules.check_name(new, "new role name")
        with self._lock:
            if old not in self._roles:
                raise rules.role_not_found(old)
            if old == new:
                return
            if new in self._roles:
                raise rules.role_taken(new, overwrite_hint=False)
            new_key, old_key = rules.stored_role_key(new), rules.stored_role_key(old)
            self._roles = _renamed(self._roles, old, new)
            moved = self._scenarios.pop(old_key, None)
            if moved:
                self._scenarios[new_key] = moved

    def delete_role(self, name: str) -> None:
        name = rules.check_name(name, "role name")
        with self._lock:
            if self._roles.pop(name, None) is None:
                raise rules.role_not_found(name)
            self._scenarios.pop(rules.stored_role_key(name), None)

    # ------------------------------------------------------------ scenarios

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        role_key = rules.check_role_key(role_key)
        rows = rules.scenario_rows(scenarios)
        with self._lock:
            rules.check_owner(role_key, self._roles.__contains__)
            current = self._scenarios.get(role_key, {})
            taken = [name for name, _ in rows if name in current]
            if taken and not overwrite:
                raise rules.scenarios_taken(role_key, taken)
            updated = dict(current)  # built aside, swapped in at once: all or nothing
            updated.update(rows)
            if updated:
                self._scenarios[role_key] = updated
        return len(rows)

    def _entries(self, role_key: str) -> dict[str, str]:
        with self._lock:
            return dict(self._scenarios.get(rules.check_role_key(role_key), {}))

    def list_scenarios(self, role_key: str) -> list[Scenario]:
        role_key = rules.check_role_key(role_key)
        return [rules.decode_scenario(data, self.address, role_key, name) for name, data in self._entries(role_key).items()]

    def scenario_names(self, role_key: str) -> list[str]:
        return list(self._entries(role_key))

    def _filtered(self, role_key: str, text: str | None, trajectory: str | None) -> list[tuple[str, str]]:
        text, trajectory = rules.check_filters(text, trajectory)
        return [
            (name, data)
            for name, data in self._entries(role_key).items()
            if (text is None or text in rules.fold_ascii(name)) and (trajectory is None or _trajectory(data) == trajectory)
        ]

    def scenario_page(
        self, role_key: str, offset: int = 0, limit: int = 50, text: str | None = None, trajectory: str | None = None
    ) -> list[Scenario]:
        role_key = rules.check_role_key(role_key)
        offset, limit = rules.check_page(offset, limit)
        rows = self._filtered(role_key, text, trajectory)[offset : offset + limit]
        return [rules.decode_scenario(data, self.address, role_key, name) for name, data in rows]

    def count_scenarios(self, role_key: str, text: str | None = None, trajectory: str | None = None) -> int:
        return len(self._filtered(rules.check_role_key(role_key), text, trajectory))

    def trajectory_names(self, role_key: str, limit: int | None = None) -> list[str]:
        limit = rules.check_limit(limit)
        found: dict[str, None] = {}
        for data in self._entries(role_key).values():
            t = _trajectory(data)
            if t is not None:
                found[t] = None
                if limit is not None and len(found) >= limit:
                    break
        return list(found)

    def iter_scenarios(self, role_key: str) -> Iterator[Scenario]:
        role_key = rules.check_role_key(role_key)
        entries = self._entries(role_key)  # a snapshot (a copy of the list)
        return (rules.decode_scenario(data, self.address, role_key, name) for name, data in entries.items())

    def role_keys(self) -> list[str]:
        with self._lock:
            return sorted(key for key, entries in self._scenarios.items() if entries)

    def load_scenario(self, role_key: str, name: str) -> Scenario:
        role_key = rules.check_role_key(role_key)
        name = rules.check_name(name, "scenario name")
        data = self._entries(role_key).get(name)
        if data is None:
            raise rules.scenario_not_found(role_key, name)
        return rules.decode_scenario(data, self.address, role_key, name)

    def rename_scenario(self, role_key: str, old: str, new: str) -> None:
        role_key = rules.check_role_key(role_key)
        old = rules.check_name(old, "scenario name")
        new = rules.check_name(new, "new scenario name")
        with self._lock:
            entries = self._scenarios.get(role_key, {})
            if old not in entries:
                raise rules.scenario_not_found(role_key, old)
            if old == new:
                return
            if new in entries:
                raise rules.scenario_taken(role_key, new)
            scenario = rules.decode_scenario(entries[old], self.address, role_key, old)
            data = rules.scenario_json(scenario.model_copy(update={"name": new}))
            self._scenarios[role_key] = _renamed(entries, old, new, data)

    def delete_scenario(self, role_key: str, name: str) -> None:
        role_key = rules.check_role_key(role_key)
        name = rules.check_name(name, "scenario name")
        with self._lock:
            entries = self._scenarios.get(role_key, {})
            if name not in entries:
                raise rules.scenario_not_found(role_key, name)
            del entries[name]
            if not entries:
                del self._scenarios[role_key]
