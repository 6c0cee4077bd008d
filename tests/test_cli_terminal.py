"""What `aijri` prints never carries a control character from user text to the terminal.

Titles, task and scenario names, override reasons and file names may hold anything a JSON
string can: ESC sequences, C1 controls, DEL, bidirectional overrides, line breaks. Every
text the CLI prints goes through ``cli.common.terminal_text``; fields are kept on one line.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aijri_core import RoleAssessment, bundled_role
from aijri_core.cli import main
from aijri_core.cli.common import TERMINAL_CONTROLS, terminal_text
from aijri_core.model import clean_name, name_key

SEED = "ai-infrastructure-engineer"
NEWLINE = 0x0A

#: Text that leans on the characters a terminal acts on, mixed with ordinary ones.
CONTROL_CHARS = st.sampled_from(sorted(chr(cp) for cp in TERMINAL_CONTROLS))
HOSTILE_TEXT = st.text(st.one_of(CONTROL_CHARS, st.characters(codec="utf-8")), min_size=1, max_size=30)
#: The same texts where the model takes them, by its own rules: no NUL in any text, a reason not
#: empty once stripped, a name not empty once cleaned and not another seed task's (``name_key``).
_OTHER_TASKS = {name_key(t.name) for t in bundled_role(SEED).tasks[1:]}
HOSTILE_REASON = HOSTILE_TEXT.filter(lambda t: "\x00" not in t and t.strip())
HOSTILE_NAME = HOSTILE_TEXT.filter(lambda t: "\x00" not in t and clean_name(t) and name_key(t) not in _OTHER_TASKS)


def _controls(text: str) -> set[str]:
    return {ch for ch in text if ord(ch) in TERMINAL_CONTROLS and ord(ch) != NEWLINE}


def _role_with(title: str, task_name: str, reason: str | None = None) -> RoleAssessment:
    data = bundled_role(SEED).model_dump(mode="json")
    data["title"] = title
    data["seniority"] = ""
    data["tasks"][0]["name"] = task_name
    if reason is not None:
        data["override"] = {"zone": "Yellow", "reason": reason}
    return RoleAssessment.model_validate(data)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_terminal_text_escapes_each_kind():
    assert terminal_text("a\x1b[31mb") == "a\\x1b[31mb"
    assert terminal_text("x\ny\rz\t") == "x\\x0ay\\x0dz\\x09"
    assert terminal_text("del\x7f c1\x85 csi\x9b") == "del\\u007f c1\\u0085 csi\\u009b"
    assert terminal_text("\u202eevil\u202c \u2066iso\u2069 \u200f") == "\\u202eevil\\u202c \\u2066iso\\u2069 \\u200f"
    assert terminal_text("line\u2028sep") == "line\\u2028sep"
    assert terminal_text("two\nlines", keep_newlines=True) == "two\nlines"
    assert terminal_text("Zürich, 東京, naïve — ok") == "Zürich, 東京, naïve — ok"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE_NAME, task_name=HOSTILE_NAME, reason=HOSTILE_REASON)
def test_no_control_character_reaches_the_terminal(capsys, tmp_path, title, task_name, reason):
    role = _role_with(title, task_name, reason)
    path = tmp_path / "role.json"
    path.write_text(role.model_dump_json(), encoding="utf-8")

    code, out, err = _run(capsys, "score", str(path))
    assert code == 0, err
    assert _controls(out) == set() and _controls(err) == set()
    # the title stays on the first line, every other line is the program's own
    assert out.splitlines()[0] == terminal_text(role.title)
    assert f"(reason: {terminal_text(role.override.reason)})" in out

    for argv in (["tornado", str(path)], ["breakeven", str(path)], ["knobs", str(path)]):
        code, out, err = _run(capsys, *argv)
        assert code == 0, err
        assert _controls(out) == set() and _controls(err) == set()

    # JSON stays valid and gives back the very same text
    code, out, _ = _run(capsys, "score", "--json", str(path))
    assert code == 0
    assert _controls(out) == set()
    assert json.loads(out)["title"] == role.title


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE_TEXT)
def test_error_messages_escape_user_text(capsys, tmp_path, name):
    assume("/" not in name and "\x00" not in name)
    code, out, err = _run(capsys, "score", str(tmp_path / f"{name}.json"))
    assert code == 2
    assert out == ""
    assert _controls(err) == set()
    assert err.count("\n") == 1 and err.startswith("aijri: error: ")


@pytest.mark.parametrize("bad", ["\x1b]0;pwned\x07", "\u202e", "\x9b2J", "a\nb"])
def test_bad_values_in_a_file_are_escaped_in_the_error(capsys, tmp_path, bad):
    data = bundled_role(SEED).model_dump(mode="json")
    data["tasks"][0]["mode"] = bad  # not a valid mode: the message quotes the value
    path = tmp_path / "role.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = _run(capsys, "score", str(path))
    assert code == 2
    assert _controls(err) == set()
    assert err.count("\n") == 1
