"""The store contract, run on every backend of tests/store_backends.py (memory, SQLite, ...).

Each test gets ``store_factory`` (a new, empty store per call) or ``store`` (one of them).
Besides hand-written cases, a state machine drives random sequences of every operation and
compares each backend with a plain reference model written here (lists and dicts).
"""

from __future__ import annotations

import itertools
import json
import sys
import unicodedata

import hypothesis_profiles
import pytest
from formats_helpers import SEED, hostile_text, scenario_lists, seed_scenarios
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from pydantic import ValidationError
from store_backends import BACKENDS, Backend
from strategies import role_assessments

from aijri_core import AIJRIError, RoleAssessment, Scenario, bundled_role
from aijri_core.errors import describe_validation_error
from aijri_core.model import clean_name
from aijri_core.store import (
    MemoryStore,
    NameClashError,
    NotFoundError,
    ScenarioStore,
    SQLiteStore,
    StoreError,
    bundled_role_key,
    default_store_path,
    display_address,
    open_store,
    resolve_role_key,
    stored_role_key,
)

KEY = bundled_role_key(SEED)


@pytest.fixture(params=[pytest.param(n, marks=pytest.mark.postgres) if n == "postgresql" else n for n in BACKENDS])
def store_backend(request) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def store_factory(store_backend, request, tmp_path_factory):
    """``store_factory()``: a new, empty store of the backend under test (closed after the test)."""
    opened: list[ScenarioStore] = []

    def make() -> ScenarioStore:
        store = store_backend.open(request, tmp_path_factory.mktemp(store_backend.name))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory) -> ScenarioStore:
    return store_factory()


def assert_dense(store_backend: Backend, store: ScenarioStore, role_key: str) -> None:
    if store_backend.positions is not None:
        assert store_backend.positions(store, role_key) == list(range(len(store.scenario_names(role_key))))


def test_every_backend_implements_the_protocol(store):
    assert isinstance(store, ScenarioStore)
    assert isinstance(store.address, str) and store.address


# ---------------------------------------------------------------- roles


def test_roles_save_list_load_rename_delete(store):
    seed = bundled_role(SEED)
    assert store.save_role(seed) == seed.title
    assert store.list_roles() == [seed.title]
    assert store.load_role(seed.title) == seed
    assert store.has_role(seed.title) and not store.has_role("Copy")
    with pytest.raises(NameClashError, match="already saved; overwrite it or choose another name"):
        store.save_role(seed)
    changed = seed.model_copy(update={"growth_correlation": 2})
    store.save_role(changed, overwrite=True)
    assert store.load_role(seed.title).growth_correlation == 2
    store.save_role(seed, name="Copy")
    assert store.list_roles() == [seed.title, "Copy"]
    store.save_role(changed, name="Copy", overwrite=True)  # overwrite keeps the place
    assert store.list_roles() == [seed.title, "Copy"]
    store.rename_role("Copy", "Renamed")
    assert store.list_roles() == [seed.title, "Renamed"]
    with pytest.raises(NameClashError, match="choose another name"):
        store.rename_role("Renamed", seed.title)
    store.delete_role("Renamed")
    assert store.list_roles() == [seed.title]
    with pytest.raises(NotFoundError, match="no role named 'Renamed'"):
        store.load_role("Renamed")
    with pytest.raises(NotFoundError):
        store.delete_role("Renamed")
    with pytest.raises(NotFoundError):
        store.rename_role("Renamed", "Renamed")  # renaming to itself still needs the role
    with pytest.raises(StoreError, match="role name: empty; allowed: 1 to 200 characters"):
        store.save_role(seed, name="   ")
    with pytest.raises(StoreError, match="expected a RoleAssessment"):
        store.save_role({"title": "x"})  # type: ignore[arg-type]
    assert store.list_roles() == [seed.title]


def test_role_rename_moves_its_scenarios(store_backend, store):
    seed = bundled_role(SEED)
    s1, s2, s3 = seed_scenarios()
    store.save_role(seed, name="Mine")
    store.import_scenarios(stored_role_key("Mine"), [s1, s2])
    store.import_scenarios(KEY, [s3])
    store.rename_role("Mine", "Ours")
    assert store.list_scenarios(stored_role_key("Ours")) == [s1, s2]
    assert store.list_scenarios(stored_role_key("Mine")) == []
    assert store.list_scenarios(KEY) == [s3]  # other roles' scenarios stay where they are
    assert store.role_keys() == sorted([KEY, stored_role_key("Ours")])
    assert_dense(store_backend, store, stored_role_key("Ours"))


def test_scenarios_are_saved_only_for_a_role_that_exists(store):
    """A ``stored:`` key must name a saved role and a ``bundled:`` key a bundled role; reading
    a key without scenarios is simply empty."""
    s1, s2, _ = seed_scenarios()
    for call in (
        lambda: store.save_scenario(" stored:Later ", s1),
        lambda: store.import_scenarios("stored:Later", [s1, s2]),
        lambda: store.import_scenarios("stored:Later", []),
    ):
        with pytest.raises(NotFoundError, match="no role named 'Later' is saved; save the role before"):
            call()
    with pytest.raises(NotFoundError, match=f"'bundled:nope': not a bundled role; available: .*{SEED}"):
        store.save_scenario("bundled:nope", s1)
    assert store.role_keys() == [] and store.list_scenarios("stored:Later") == []
    store.save_role(bundled_role(SEED), name="Later")
    assert store.import_scenarios("stored:Later", [s1, s2]) == 2
    store.delete_role("Later")  # its scenarios went with it, and none can be saved for it now
    with pytest.raises(NotFoundError, match="no role named 'Later'"):
        store.save_scenario("stored:Later", s1)
    assert store.role_keys() == []


def test_role_delete_deletes_its_scenarios_only(store):
    seed = bundled_role(SEED)
    s1, s2, s3 = seed_scenarios()
    store.save_role(seed, name="A")
    store.save_role(seed, name="B")
    store.import_scenarios(stored_role_key("A"), [s1, s2])
    store.import_scenarios(stored_role_key("B"), [s3])
    store.import_scenarios(KEY, [s1])
    store.delete_role("A")
    assert store.list_roles() == ["B"]
    assert store.list_scenarios(stored_role_key("A")) == []
    assert store.list_scenarios(stored_role_key("B")) == [s3]
    assert store.list_scenarios(KEY) == [s1]
    assert store.role_keys() == sorted([KEY, stored_role_key("B")])
    # a role saved again under the old name starts without scenarios
    store.save_role(seed, name="A")
    assert store.list_scenarios(stored_role_key("A")) == []


# ---------------------------------------------------------------- scenarios


def test_scenarios_keep_saved_order_and_clash(store_backend, store):
    s1, s2, s3 = seed_scenarios()
    for s in (s2, s1, s3):
        store.save_scenario(KEY, s)
    assert store.list_scenarios(KEY) == [s2, s1, s3]
    assert store.scenario_names(KEY) == [s2.name, s1.name, s3.name]
    with pytest.raises(NameClashError, match="a scenario named 'Evidence cools' is already saved for role"):
        store.save_scenario(KEY, s1.model_copy(update={"note": "other"}))
    assert store.load_scenario(KEY, s1.name) == s1  # unchanged by the refused save
    new = s1.model_copy(update={"note": "other"})
    store.save_scenario(KEY, new, overwrite=True)
    assert store.list_scenarios(KEY) == [s2, new, s3]  # overwrite keeps the place
    store.rename_scenario(KEY, s2.name, "First")
    assert store.scenario_names(KEY) == ["First", new.name, s3.name]
    assert store.load_scenario(KEY, "First") == s2.model_copy(update={"name": "First"})
    with pytest.raises(NameClashError, match="choose another name"):
        store.rename_scenario(KEY, "First", s3.name)
    store.rename_scenario(KEY, "First", "First")  # to itself: nothing changes
    with pytest.raises(NotFoundError):
        store.rename_scenario(KEY, "Missing", "Other")
    assert_dense(store_backend, store, KEY)
    store.delete_scenario(KEY, new.name)  # from the middle: the rest close up
    assert store.scenario_names(KEY) == ["First", s3.name]
    assert_dense(store_backend, store, KEY)
    store.save_scenario(KEY, s1)
    assert store.scenario_names(KEY) == ["First", s3.name, s1.name]
    assert_dense(store_backend, store, KEY)
    with pytest.raises(NotFoundError):
        store.delete_scenario(KEY, "Gone")
    with pytest.raises(NotFoundError, match="no scenario named 'Evidence' is saved"):
        store.load_scenario(KEY, "Evidence")
    # scenarios are scoped to their role key
    assert store.list_scenarios("stored:other") == []
    assert store.role_keys() == [KEY]


def test_import_is_all_or_nothing(store):
    s1, s2, s3 = seed_scenarios()
    store.save_scenario(KEY, s2)
    with pytest.raises(NameClashError, match="'Serving automated' is already saved .*nothing was saved"):
        store.import_scenarios(KEY, [s1, s2, s3])
    assert store.list_scenarios(KEY) == [s2]
    with pytest.raises(NameClashError, match="appears twice"):
        store.import_scenarios(KEY, [s1, s1])
    assert store.list_scenarios(KEY) == [s2]
    with pytest.raises(StoreError, match="scenario 2: expected a Scenario"):
        store.import_scenarios(KEY, [s1, {"name": "x"}])  # type: ignore[list-item]
    assert store.list_scenarios(KEY) == [s2]
    assert store.import_scenarios(KEY, [s1, s2, s3], overwrite=True) == 3
    assert store.list_scenarios(KEY) == [s2, s1, s3]
    assert store.import_scenarios(KEY, []) == 0
    assert store.list_scenarios(KEY) == [s2, s1, s3]


def test_ten_thousand_scenarios_in_one_import(store_backend, store):
    items = [Scenario(name=f"s{i:05d}", changes={"growth": float(i % 5 - 2)}) for i in range(10_000)]
    assert store.import_scenarios(KEY, items) == 10_000
    assert store.list_scenarios(KEY) == items
    assert_dense(store_backend, store, KEY)
    with pytest.raises(NameClashError, match="'s00000', 's00001', 's00002', 's00003', 's00004' \\.\\.\\."):
        store.import_scenarios(KEY, [*items[:10], Scenario(name="new")])
    assert "new" not in store.scenario_names(KEY)


# ---------------------------------------------------------------- names and role keys


def test_role_keys_and_names_are_normalised(store):
    """Trimmed and NFC: a role and the scenarios saved for it always meet under one key."""
    seed = bundled_role(SEED)
    decomposed, composed = "Cafe\u0301", "Caf\u00e9"
    assert store.save_role(seed, name=f"  {decomposed}\t") == composed
    assert store.list_roles() == [composed]
    assert store.has_role(decomposed) and store.load_role(f" {decomposed} ") == seed
    s1, s2, _ = seed_scenarios()
    store.save_scenario(f"  stored: {decomposed} ", s1)
    store.save_scenario(f"stored:{composed}", s2)
    assert store.role_keys() == [f"stored:{composed}"]
    assert store.list_scenarios(f"stored:{decomposed}") == [s1, s2]
    with pytest.raises(NameClashError):
        store.save_scenario(f"stored:{composed}  ", s1)
    store.rename_role(decomposed, "Tea")
    assert store.list_scenarios("stored:Tea") == [s1, s2]
    store.save_scenario(f" {KEY} ", s1)
    assert store.list_scenarios(KEY) == [s1]
    # scenario names are cleaned the same way
    store.save_scenario(KEY, Scenario(name="Plan", note="x"))
    with pytest.raises(NameClashError):
        store.save_scenario(KEY, Scenario(name="Plan ", note="y"))
    assert store.load_scenario(KEY, " Plan").note == "x"
    store.delete_role(" Tea")
    assert store.role_keys() == [KEY]


def test_any_spelling_of_a_role_name_files_scenarios_under_the_role(store):
    """For any name: the role saved under one spelling (NFD or NFC, invisible characters at the
    ends) and scenarios saved for ``stored:`` + another spelling meet, and leave with the role."""
    seed = bundled_role(SEED)
    examples = itertools.count()
    pads = st.sampled_from(["", " ", "\t", "\u200b", "\ufeff", "\u00a0", " \u2060 "])

    @settings(max_examples=hypothesis_profiles.examples(100), deadline=None)
    @given(name=hostile_text(1, 60), pads=st.tuples(pads, pads, pads, pads), forms=st.tuples(st.booleans(), st.booleans()))
    def check(name, pads, forms):
        name = f"{name} #{next(examples)}"
        spell = [unicodedata.normalize("NFD" if nfd else "NFC", name) for nfd in forms]
        saved = store.save_role(seed, name=f"{pads[0]}{spell[0]}{pads[1]}")
        assert saved == clean_name(name)  # the project's one rule for names
        store.save_scenario(f"stored:{pads[2]}{spell[1]}{pads[3]}", Scenario(name="s"))
        assert store.scenario_names(stored_role_key(saved)) == ["s"]
        assert stored_role_key(saved) in store.role_keys()
        store.delete_role(f"{pads[3]}{spell[1]}")
        assert stored_role_key(saved) not in store.role_keys()

    check()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "role key: expected text"),
        ("   ", "role key: expected text"),
        ("session:x", "expected 'bundled:<slug>' or 'stored:<role name>'"),
        ("Stored:x", "expected 'bundled:<slug>' or 'stored:<role name>'"),
        ("bundled:", "the slug must be 1 to 200 characters"),
        ("stored: ", "role name: empty; allowed: 1 to 200 characters"),
        ("stored:" + "x" * 201, "role name: 201 characters is too long; allowed: 1 to 200 characters"),
        ("stored:a\x00b", "NUL"),
    ],
)
def test_bad_role_keys_are_refused(store, key, message):
    with pytest.raises(StoreError, match=message):
        store.save_scenario(key, Scenario(name="x"))
    with pytest.raises(StoreError, match=message):
        store.list_scenarios(key)
    assert store.role_keys() == []


def test_rejects_bad_arguments(store):
    with pytest.raises(StoreError, match="scenario name: empty"):
        store.load_scenario(KEY, " ")
    with pytest.raises(StoreError, match="too long"):
        store.load_scenario(KEY, "x" * 1000)
    with pytest.raises(StoreError, match="role name: expected text, got int"):
        store.load_role(3)  # type: ignore[arg-type]
    assert isinstance(NameClashError("x"), AIJRIError)


def test_resolve_role_key(store):
    seed = bundled_role(SEED)
    assert resolve_role_key(KEY, store) == seed
    store.save_role(seed.model_copy(update={"growth_correlation": 1}), name="Mine")
    assert resolve_role_key(" stored:Mine ", store).growth_correlation == 1
    with pytest.raises(NotFoundError):
        resolve_role_key("stored:Nope", store)
    with pytest.raises(AIJRIError, match="not a bundled role"):
        resolve_role_key("bundled:nope", store)


# ---------------------------------------------------------------- round trips (hypothesis)


def test_save_load_round_trip(store):
    examples = itertools.count()

    @settings(max_examples=hypothesis_profiles.examples(200), deadline=None)
    @given(items=scenario_lists(max_size=4), role=role_assessments(), key=st.sampled_from([KEY, "stored:"]))
    def check(items, role, key):
        # one store for all examples; each saves its own role (and its scenarios, or the bundled role's anew)
        n = next(examples)
        name = store.save_role(role, name=f"{role.title} #{n}")
        assert store.load_role(name) == role
        if key == KEY:
            for old in store.scenario_names(KEY):
                store.delete_scenario(KEY, old)
        else:
            key = stored_role_key(name)
        assert store.import_scenarios(key, items) == len(items)
        assert store.list_scenarios(key) == items
        assert store.scenario_names(key) == [s.name for s in items]
        for s in items:
            assert store.load_scenario(key, s.name) == s
        store.delete_role(name)  # with its scenarios
        assert store.list_scenarios(stored_role_key(name)) == []

    check()


# ---------------------------------------------------------------- text: every backend keeps the same

#: Any character but NUL and lone surrogates: controls, format characters, emoji, other scripts.
_ANY_BUT_NUL = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_NUL_TEXT = st.tuples(st.text(max_size=20), st.text(max_size=20)).map(lambda p: f"{p[0]}\x00{p[1]}")

#: Every text field of a role (JSON path; ``*`` is any item of a list) and of a scenario.
_ROLE_TEXTS = [
    ("title",), ("seniority",), ("tasks", "*", "name"), ("tasks", "*", "rationale"), ("published", "sublabel"),
    ("override", "sublabel"), ("override", "reason"), ("comparators", "*", "title"), ("comparators", "*", "sublabel"),
]
_SCENARIO_TEXTS = [("name",), ("note",), ("position",), ("trajectory",)]


def _role_data() -> dict:
    """The seed role with every optional text present (so every text field can be set)."""
    data = bundled_role(SEED).to_json_dict()
    data["published"] = {"score": 50.0, "zone": "Yellow", "sublabel": "Stable"}
    data["override"] = {"zone": "Yellow", "sublabel": "Stable", "reason": "checked"}
    data["comparators"] = [{"title": "Other", "score": 40.0, "zone": "Yellow"}]
    return data


def _set(data: dict, path: tuple, value: str) -> tuple[dict, str]:
    """A copy of ``data`` with ``value`` at ``path`` (``*``: the first item), and the field as messages name it."""
    out = json.loads(json.dumps(data))
    target, shown = out, ""
    for part in path[:-1]:
        target = target[0] if part == "*" else target[part]
        shown += "[0]" if part == "*" else ("." if shown else "") + part
    target[path[-1]] = value
    return out, shown + ("." if shown else "") + path[-1]


@settings(max_examples=150, deadline=None)
@given(text=_NUL_TEXT, role_path=st.sampled_from(_ROLE_TEXTS), scenario_path=st.sampled_from(_SCENARIO_TEXTS))
def test_any_text_with_a_nul_is_refused_naming_the_field(text, role_path, scenario_path):
    data, field = _set(_role_data(), role_path, text)
    RoleAssessment.model_validate(_set(data, role_path, "ok")[0])  # the same role without the NUL is fine
    with pytest.raises(ValidationError) as caught:
        RoleAssessment.model_validate(data)
    assert describe_validation_error(caught.value).startswith(f"{field}: ")
    assert "NUL character (U+0000)" in describe_validation_error(caught.value)
    scenario, field = _set({"name": "s", "note": "", "changes": {"growth": 1}}, scenario_path, text)
    with pytest.raises(ValidationError, match=r"NUL character \(U\+0000\)") as caught:
        Scenario.model_validate(scenario)
    assert describe_validation_error(caught.value).startswith(f"{field}: ")
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate({"name": "s", "changes": {f"task:{text}:score": 2}})
    assert describe_validation_error(caught.value).startswith("changes: contains the NUL character (U+0000)")


def test_a_nul_slipped_past_the_model_is_refused_alike_and_nothing_is_saved(store):
    """``model_copy`` skips validation; the store validates what it writes, on every backend."""
    with pytest.raises(StoreError, match=r"scenario 'with nul': note: .* NUL character .*; nothing was saved"):
        store.save_scenario(KEY, Scenario(name="with nul").model_copy(update={"note": "a\x00b"}))
    role = bundled_role(SEED)
    bad = role.model_copy(update={"seniority": "x\x00"})
    with pytest.raises(StoreError, match=r"seniority: .* NUL character"):
        store.save_role(bad, name="Nul role")
    assert store.scenario_names(KEY) == [] and store.list_roles() == []
    literal = Scenario(name="backslash text", note="C:\\u0000 and \\\\u0000 are plain text")
    store.save_scenario(KEY, literal)  # the characters backslash-u-0-0-0-0 are no NUL
    assert store.load_scenario(KEY, literal.name) == literal


def test_the_same_text_reads_back_from_every_backend(store):
    """Any text but NUL (controls, format characters, other scripts) comes back exactly."""
    examples = itertools.count()
    texts = st.text(alphabet=_ANY_BUT_NUL, max_size=60)

    @settings(max_examples=hypothesis_profiles.examples(60), deadline=None)
    @given(role=role_assessments(), seniority=texts, rationale=texts, note=texts, position=texts)
    def check(role, seniority, rationale, note, position):
        n = next(examples)
        task = role.tasks[0].model_dump()
        role = RoleAssessment.model_validate(
            {**role.model_dump(), "seniority": seniority[:200], "tasks": [{**task, "rationale": rationale}, *role.tasks[1:]]}
        )
        name = store.save_role(role, name=f"Role #{n}")
        assert store.load_role(name) == role
        scenario = Scenario(name=f"S #{n}", note=note, position=position or None, changes={"growth": 1})
        store.save_scenario(KEY, scenario)
        assert store.load_scenario(KEY, scenario.name) == scenario

    check()


# ---------------------------------------------------------------- pages, counts, filters


_FILTER_NAMES = ["Alpha", "alpha two", "ALPHA-3", "Beta", "Straße", "STRASSE", "\u00c9cole", "\u00e9cole", "a\u0301b", "x_%y"]
_TRAJECTORIES = [None, "Career", "career", "Ünit", "path 2"]


def _reference_page(items: list[Scenario], offset: int, limit: int, text: str | None, trajectory: str | None):
    """The contract's filters written plainly: A-Z folded, every other character as it is."""
    fold = {ord(c): ord(c) + 32 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    kept = [s for s in items
            if (not text or text.translate(fold) in s.name.translate(fold))
            and (not trajectory or s.trajectory == trajectory)]
    return kept[offset: offset + limit], len(kept)


def test_pages_counts_and_filters_match_the_reference(store):
    items = [
        Scenario(name=f"{name} {i}", trajectory=_TRAJECTORIES[i % len(_TRAJECTORIES)], position=str(i),
                 changes={"growth": i % 5 - 2})
        for i, name in enumerate(_FILTER_NAMES * 3)
    ]
    store.import_scenarios(KEY, items)
    assert store.count_scenarios(KEY) == len(items)
    assert store.scenario_page(KEY, 0, 10_000) == items
    assert [s.name for s in store.iter_scenarios(KEY)] == [s.name for s in items]
    assert store.trajectory_names(KEY) == ["Career", "career", "\u00dcnit", "path 2"]
    assert store.trajectory_names(KEY, limit=2) == ["Career", "career"]

    @settings(max_examples=60, deadline=None)
    @given(offset=st.integers(0, 35), limit=st.integers(1, 12),
           text=st.none() | st.sampled_from(["", "alpha", "ALPHA", "straße", "STRASSE", "\u00e9", "\u00c9", "_%", " 1", "a\u0301"])
           | st.text(alphabet="aAbB\u00e9\u00c9_% 12", max_size=3),
           trajectory=st.sampled_from(_TRAJECTORIES + [""]))
    def check(offset, limit, text, trajectory):
        want, count = _reference_page(items, offset, limit, text, trajectory)
        assert store.scenario_page(KEY, offset, limit, text=text, trajectory=trajectory) == want
        assert store.count_scenarios(KEY, text=text, trajectory=trajectory) == count

    check()


def test_pages_follow_deletes_and_renames_and_are_empty_past_the_end(store):
    store.import_scenarios(KEY, [Scenario(name=f"s{i:02d}", trajectory="T" if i % 2 else None) for i in range(12)])
    store.delete_scenario(KEY, "s03")
    store.rename_scenario(KEY, "s05", "renamed")
    assert [s.name for s in store.scenario_page(KEY, 2, 3)] == ["s02", "s04", "renamed"]
    assert [s.name for s in store.scenario_page(KEY, 0, 3, trajectory="T")] == ["s01", "renamed", "s07"]
    assert store.count_scenarios(KEY, trajectory="T") == 5
    assert store.count_scenarios(KEY, text="REN") == 1
    assert store.scenario_page(KEY, 11, 5) == [] and store.scenario_page(KEY, 500, 5) == []
    assert store.count_scenarios("stored:Nobody") == 0 and store.scenario_page("stored:Nobody") == []
    assert store.trajectory_names("stored:Nobody") == [] and list(store.iter_scenarios("stored:Nobody")) == []


@pytest.mark.parametrize(("offset", "limit", "message"), [
    (-1, 10, r"page offset: -1; allowed: a whole number from 0"),
    (0, 0, r"page limit: 0; allowed: a whole number from 1 to 10000"),
    (0, 10_001, r"page limit: 10001; allowed"),
    (1.5, 10, r"page offset: 1.5"),
    (True, 10, r"page offset: True"),
])
def test_bad_pages_are_refused_naming_the_allowed_range(store, offset, limit, message):
    with pytest.raises(StoreError, match=message):
        store.scenario_page(KEY, offset, limit)


# ---------------------------------------------------------------- every operation vs a reference model

_NAMES = ["A", " A", "B", "Cafe\u0301", "Caf\u00e9 "]
_KEYS = [KEY, "stored:A", "stored: B", "stored:Caf\u00e9"]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


class StoreMachine(RuleBasedStateMachine):
    """Random sequences of every store operation; after each step the store must equal a
    reference model kept in plain lists (name order) and dicts (name -> note/growth)."""

    factory = staticmethod(lambda: MemoryStore())
    backend: Backend | None = None

    def __init__(self) -> None:
        super().__init__()
        self.store = self.factory()
        self.roles: dict[str, int] = {}  # name -> growth_correlation, in saved order
        self.scenarios: dict[str, dict[str, str]] = {}  # role key -> name -> note, in order
        self.counter = itertools.count()
        self.seed = bundled_role(SEED)

    def _expect(self, error: type[Exception] | None, call) -> None:
        if error is None:
            call()
        else:
            with pytest.raises(error):
                call()

    def _key(self, key: str) -> str:
        key = _clean(key)
        return "stored:" + _clean(key[len("stored:") :]) if key.startswith("stored:") else key

    @rule(name=st.sampled_from(_NAMES), overwrite=st.booleans())
    def save_role(self, name, overwrite):
        growth = next(self.counter) % 5 - 2
        clean = _clean(name)
        error = NameClashError if clean in self.roles and not overwrite else None
        role = self.seed.model_copy(update={"growth_correlation": growth})
        self._expect(error, lambda: self.store.save_role(role, name=name, overwrite=overwrite))
        if error is None:
            self.roles[clean] = growth

    @rule(old=st.sampled_from(_NAMES), new=st.sampled_from(_NAMES))
    def rename_role(self, old, new):
        old, new = _clean(old), _clean(new)
        if old not in self.roles:
            error = NotFoundError
        elif old == new:
            error = None
        elif new in self.roles or self.scenarios.get(f"stored:{new}"):
            error = NameClashError
        else:
            error = None
        self._expect(error, lambda: self.store.rename_role(old, new))
        if error is None and old != new:
            self.roles = {(new if k == old else k): v for k, v in self.roles.items()}
            moved = self.scenarios.pop(f"stored:{old}", {})
            if moved:
                self.scenarios[f"stored:{new}"] = moved

    @rule(name=st.sampled_from(_NAMES))
    def delete_role(self, name):
        clean = _clean(name)
        error = None if clean in self.roles else NotFoundError
        self._expect(error, lambda: self.store.delete_role(name))
        if error is None:
            del self.roles[clean]
            self.scenarios.pop(f"stored:{clean}", None)

    @rule(key=st.sampled_from(_KEYS), names=st.lists(st.sampled_from(_NAMES), max_size=3), overwrite=st.booleans())
    def import_scenarios(self, key, names, overwrite):
        key = self._key(key)
        items = [Scenario(name=n, note=f"n{next(self.counter)}") for n in names]
        cleaned = [_clean(n) for n in names]
        current = self.scenarios.get(key, {})
        if len(set(cleaned)) < len(cleaned):
            error = NameClashError
        elif key.startswith("stored:") and key[len("stored:") :] not in self.roles:
            error = NotFoundError  # scenarios only for a role that exists
        elif not overwrite and set(cleaned) & set(current):
            error = NameClashError
        else:
            error = None
        self._expect(error, lambda: self.store.import_scenarios(key, items, overwrite=overwrite))
        if error is None and items:
            updated = dict(current)
            updated.update((c, s.note) for c, s in zip(cleaned, items, strict=True))
            self.scenarios[key] = updated

    @rule(key=st.sampled_from(_KEYS), old=st.sampled_from(_NAMES), new=st.sampled_from(_NAMES))
    def rename_scenario(self, key, old, new):
        key, old, new = self._key(key), _clean(old), _clean(new)
        current = self.scenarios.get(key, {})
        if old not in current:
            error = NotFoundError
        elif old != new and new in current:
            error = NameClashError
        else:
            error = None
        self._expect(error, lambda: self.store.rename_scenario(key, old, new))
        if error is None:
            self.scenarios[key] = {(new if k == old else k): v for k, v in current.items()}

    @rule(key=st.sampled_from(_KEYS), name=st.sampled_from(_NAMES))
    def delete_scenario(self, key, name):
        key, clean = self._key(key), _clean(name)
        current = self.scenarios.get(key, {})
        error = None if clean in current else NotFoundError
        self._expect(error, lambda: self.store.delete_scenario(key, name))
        if error is None:
            del current[clean]
            if not current:
                del self.scenarios[key]

    @invariant()
    def same_as_the_model(self):
        assert self.store.list_roles() == list(self.roles)
        for name, growth in self.roles.items():
            assert self.store.load_role(name).growth_correlation == growth
        assert self.store.role_keys() == sorted(k for k, v in self.scenarios.items() if v)
        for key in {self._key(k) for k in _KEYS}:
            expected = self.scenarios.get(key, {})
            assert [(s.name, s.note) for s in self.store.list_scenarios(key)] == list(expected.items())
            assert self.store.count_scenarios(key) == len(expected)
            assert [s.name for s in self.store.scenario_page(key, 1, 2)] == list(expected)[1:3]
            if self.backend is not None and self.backend.positions is not None:
                assert self.backend.positions(self.store, key) == list(range(len(expected)))

    def teardown(self):
        self.store.close()


def test_every_operation_matches_a_reference_model(store_backend, store_factory):
    machine = type("Machine", (StoreMachine,), {"factory": staticmethod(store_factory), "backend": store_backend})
    run_state_machine_as_test(machine, settings=settings(max_examples=hypothesis_profiles.examples(40), stateful_step_count=30, deadline=None))


# ---------------------------------------------------------------- addresses (open_store)


@pytest.mark.parametrize(
    ("address", "kind", "path"),
    [
        ("memory:", MemoryStore, None),
        (":memory:", MemoryStore, None),
        ("store.sqlite3", SQLiteStore, "store.sqlite3"),
        ("./odd:name.sqlite3", SQLiteStore, "odd:name.sqlite3"),
        ("/abs/x.sqlite3", SQLiteStore, "/abs/x.sqlite3"),
        ("sqlite:///rel/x.sqlite3", SQLiteStore, "rel/x.sqlite3"),
        ("sqlite:////abs/x.sqlite3", SQLiteStore, "/abs/x.sqlite3"),
        ("C:\\data\\x.sqlite3", SQLiteStore, "C:\\data\\x.sqlite3"),  # a drive letter, not a scheme
        ("c:/data/x.sqlite3", SQLiteStore, "c:/data/x.sqlite3"),
    ],
)
def test_open_store_picks_the_backend(address, kind, path):
    store = open_store(address)
    assert type(store) is kind
    if path is not None:
        assert str(store.path) == str(type(store.path)(path))


@pytest.mark.parametrize(
    "address",
    ["mysql://u:secret@h/db", "http://example.com/x", "sqlite://", "sqlite:x.db", "file:///tmp/x", "postgresql:db", "ftp:x"],
)
def test_unsupported_addresses_are_refused_naming_the_forms(address, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="not supported; use a file path .*sqlite:///path, memory:, or postgresql://") as info:
        open_store(address)
    assert "secret" not in str(info.value)
    assert list(tmp_path.iterdir()) == []  # no folder named after the scheme


def test_default_address_is_the_environment_then_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("AIJRI_DB", "memory:")
    assert isinstance(open_store(), MemoryStore) and isinstance(open_store(""), MemoryStore)
    monkeypatch.setenv("AIJRI_DB", "ftp://x")
    with pytest.raises(StoreError, match="not supported"):
        open_store(None)
    monkeypatch.setenv("AIJRI_DB", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = open_store(None)
    assert isinstance(store, SQLiteStore) and store.path == default_store_path()
    if sys.platform.startswith("linux"):
        assert store.path == tmp_path / "xdg" / "aijri" / "store.sqlite3"


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("postgresql://u:p%40ss@h:5432/db?sslmode=require", "postgresql://u@h:5432/db?sslmode=require"),
        ("postgres://h/db?password=x&application_name=a", "postgres://h/db?application_name=a"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("mysql://u:pw@h/db", "mysql://u@h/db"),
        ("/tmp/odd:name.sqlite3", "/tmp/odd:name.sqlite3"),
        ("C:\\data\\x.sqlite3", "C:\\data\\x.sqlite3"),
        ("postgresql://u:pw@[bad/db", "(address not shown: it does not parse)"),
    ],
)
def test_addresses_are_shown_without_passwords(address, shown):
    assert display_address(address) == shown
