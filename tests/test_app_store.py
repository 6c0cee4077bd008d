"""The app and its scenario store (AppTest): the session-only fallback says so; a store set
in AIJRI_DB that cannot be used is reported plainly and never replaced by the session."""

from __future__ import annotations

import hashlib

import pytest
from app_helpers import (
    PAGES,
    assert_no_exception,
    error_texts,
    escaped,
    new_app,
    open_page,
    save_scenario,
    saved_scenario_names,
    score_text,
    shown,
)

from aijri_core import assessment_to_json, bundled_role, score
from aijri_ui.backend import UNUSABLE_ON_PAGE

SEED = "ai-infrastructure-engineer"
ROLE_KEY = f"bundled:{SEED}"


def _warnings(at) -> list[str]:
    return [shown(w.value) for w in at.warning]


def _block_default_store(tmp_path, monkeypatch, name: str):
    """AIJRI_DB not set, and the user's data folder (``name``) cannot hold the store (it is a file)."""
    blocker = tmp_path / name
    blocker.write_bytes(b"not a folder")
    monkeypatch.delenv("AIJRI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AIJRI_RAISE", "1")
    return blocker


@pytest.fixture
def no_usable_default_store(tmp_path, monkeypatch):
    return _block_default_store(tmp_path, monkeypatch, "data-home")


@pytest.mark.parametrize("page", ["scenarios", "roles"])
def test_the_session_only_notice_shows_the_folder_as_named(tmp_path, monkeypatch, page):
    """The reason quotes a path, and a folder name may hold Markdown syntax: it reads as typed."""
    blocker = _block_default_store(tmp_path, monkeypatch, "my_*data*_ [home](x) $1 and $2")
    at = open_page(new_app(), page)
    assert_no_exception(at)
    (notice,) = [w.value for w in at.warning if "kept for this session only" in shown(w.value)]
    # every punctuation character of the path reaches Streamlit escaped, so none of it is syntax
    assert escaped(str(blocker)) in notice


def test_without_a_usable_default_store_the_session_keeps_data_and_says_so(no_usable_default_store, tmp_path):
    at = open_page(new_app(), "scenarios")
    assert_no_exception(at)
    assert [shown(c.value) for c in at.sidebar.caption if "Store:" in shown(c.value)] == [
        "Store: this browser session only"]
    assert not error_texts(at)
    notice = [w for w in _warnings(at) if "kept for this session only" in w]
    assert len(notice) == 1 and "Not a directory" in notice[0]
    assert any("for this browser session" in shown(c.value) for c in at.caption)
    save_scenario(at, "Kept here")
    assert saved_scenario_names(at) == ["Kept here"]
    save_scenario(at, "Kept here")  # the session store has the same name rules
    assert any("A scenario named 'Kept here' already exists" in w for w in _warnings(at))
    assert saved_scenario_names(at) == ["Kept here"]
    # a role imported now is kept in the session too, and labelled so
    other = bundled_role(SEED).model_copy(update={"title": "Session Engineer", "growth_correlation": 2, "published": None})
    at.switch_page(PAGES["roles"]).run()
    assert any("kept for this session only" in w for w in _warnings(at))
    at.file_uploader(key="role_upload").set_value(("r.json", assessment_to_json(other).encode(), "application/json"))
    at.run()
    at.button(key="role_save").click().run()
    assert_no_exception(at)
    assert at.session_state["aijri.role_key"] == "stored:Session Engineer"
    assert at.selectbox(key="role_picker").options[-1] == "Session Engineer (this session)"
    at.switch_page(PAGES["explorer"]).run()
    assert score_text(at) == f"{score(other).score:.1f}"
    # nothing was written anywhere: the blocking file is unchanged and no other file appeared
    assert no_usable_default_store.read_bytes() == b"not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data-home"]


def test_a_new_session_does_not_see_another_sessions_data(no_usable_default_store):
    first = open_page(new_app(), "scenarios")
    save_scenario(first, "Mine only")
    second = open_page(new_app(), "scenarios")
    assert_no_exception(second)
    assert saved_scenario_names(second) == []


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("{tmp}", "is a folder, not a file"),
        ("{tmp}/foreign.sqlite3", "not ours: table notes"),
        ("ftp://files.example/aijri", "not supported; use a file path"),
    ],
    ids=["folder", "foreign-file", "unsupported-scheme"],
)
def test_a_configured_store_that_cannot_be_used_is_reported_not_replaced(tmp_path, monkeypatch, address, reason):
    import sqlite3

    with sqlite3.connect(tmp_path / "foreign.sqlite3") as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    before = _digests(tmp_path)
    monkeypatch.setenv("AIJRI_DB", address.format(tmp=tmp_path))
    monkeypatch.setenv("AIJRI_RAISE", "1")
    at = new_app().run()
    assert_no_exception(at)
    # the Explorer still works on the bundled roles, and the sidebar says what is wrong
    assert score_text(at) == f"{score(bundled_role(SEED)).score:.1f}"
    sidebar_errors = [shown(e.value) for e in at.sidebar.error]
    assert len(sidebar_errors) == 1
    assert "The scenario store set in AIJRI_DB" in sidebar_errors[0] and reason in sidebar_errors[0]
    assert "nothing is kept anywhere else" in sidebar_errors[0]
    at.switch_page(PAGES["scenarios"]).run()
    assert_no_exception(at)
    assert [e for e in error_texts(at) if reason in e] == sidebar_errors  # the reason once, in the sidebar
    assert [shown(e.value) for e in at.main.error] == [UNUSABLE_ON_PAGE + " The path builder below works on this page;"
                                                       " saving waits for the store."]
    assert not any("this session only" in w for w in _warnings(at))
    # what works without the store stays: the path builder (kept in the session) and its hand-out
    assert at.text_input(key="builder_name").value and at.radio(key="handout_covers")
    at.switch_page(PAGES["roles"]).run()
    assert_no_exception(at)
    assert not any("this session only" in w for w in _warnings(at))
    assert _digests(tmp_path) == before  # nothing was created or changed


def test_an_unreachable_postgresql_store_is_reported_without_its_password(tmp_path, monkeypatch):
    pytest.importorskip("psycopg")
    pytest.importorskip("psycopg_pool")
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AIJRI_DB", f"postgresql://analyst:s3cret-pw@127.0.0.1:{port}/aijri")
    monkeypatch.setenv("AIJRI_RAISE", "1")
    at = open_page(new_app(), "scenarios")
    assert_no_exception(at)
    errors = error_texts(at)  # the page's and the sidebar's
    assert not any("s3cret" in e for e in errors)
    # the reason stands once, in the sidebar, naming the address once; the page points to it
    with_reason = [e for e in errors if "cannot reach the database" in e]
    assert with_reason == [shown(e.value) for e in at.sidebar.error], errors
    assert with_reason[0].count(str(port)) == 1 and "(Connection refused)" in with_reason[0]
    assert [shown(e.value) for e in at.main.error] == [UNUSABLE_ON_PAGE + " The path builder below works on this page;"
                                                       " saving waits for the store."]
    assert not any("this session only" in w for w in _warnings(at))
    # the sidebar says which store (without the password) and workspace, and that it cannot be used now
    store_line = [shown(c.value) for c in at.sidebar.caption if "Store:" in shown(c.value)]
    assert store_line == [f"Store: postgresql://analyst@127.0.0.1:{port}/aijri (the default workspace)"
                          " - cannot be used now"], store_line
    assert at.text_input(key="builder_name").value  # the path builder still works
    at.selectbox(key="builder_knob").set_value("growth").run()
    at.number_input(key="builder_value").set_value(2)
    at.button(key="builder_set").click().run()
    assert_no_exception(at)
