"""aijri_ui.keys: every session_state entry of the app is named in one module, once."""

from __future__ import annotations

import ast
from pathlib import Path

from aijri_ui import keys

ROOT = Path(__file__).resolve().parents[1]


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_module_spells_an_app_entry_of_session_state_inline():
    """An ``aijri.*`` entry spelt in two places drifts apart (one side renamed, the other reading
    a key nobody writes): each is a name in aijri_ui/keys.py."""
    sources = [*sorted((ROOT / "aijri_ui").rglob("*.py")), ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
    inline = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sources
        if path.name != "keys.py" or path.parent.name != "aijri_ui"
        for line, text in _string_constants(path)
        if text.startswith("aijri.") and " " not in text and text != "aijri.app"  # "aijri.app": the log's name
    ]
    assert not inline, inline


def test_every_key_is_distinct():
    names = {name: value for name, value in vars(keys).items() if name.isupper() and isinstance(value, str)}
    assert len(names) >= 30
    assert len(set(names.values())) == len(names), sorted(names.values())
