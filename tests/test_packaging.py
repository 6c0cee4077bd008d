"""The project as an installed tool: a built wheel carries the data, the CLI and the explorer.

The wheel test builds the wheel from a copy of the project, installs it into a fresh
virtual environment (no system site-packages; the already installed dependencies are made
importable with a .pth line pointing at this environment's site-packages, which puts
neither the project sources nor its editable install on the path), and runs `aijri roles`,
`aijri score` and `aijri app` from a folder outside the source tree.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from installed_wheel import run

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- layout


def test_every_code_package_is_listed_for_the_wheel():
    """pyproject lists the packages by hand (two of them live at the top of the tree)."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("aijri_core", "aijri_ui")
        for p in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
    for name in listed - found:
        parent = next(k for k in mapped if name == k or name.startswith(k + "."))
        assert (ROOT / mapped[parent] / Path(*name[len(parent):].split(".")[1:])).is_dir(), name


def test_no_pages_folder_beside_app_py():
    """A pages/ folder beside app.py would make a fresh Streamlit server route page URLs by
    file (its old multipage router) instead of through app.py's st.navigation."""
    assert (ROOT / "app.py").is_file()
    assert not (ROOT / "pages").exists(), "name the folder app_pages/ (see README, Layout)"


def test_dependency_floors_cover_the_streamlit_api_in_use():
    deps = {d.split(">=")[0]: d.split(">=")[1] for d in PYPROJECT["project"]["dependencies"]}
    major, minor = (int(x) for x in deps["streamlit"].split(".")[:2])
    assert (major, minor) >= (1, 67)  # Streamlit's query-string limits (aijri_ui/linkcheck.py); make test-floor
    assert PYPROJECT["project"]["license"] == "MIT"


# ---------------------------------------------------------------- the wheel, installed


@pytest.fixture(scope="module")
def installed(wheel_install):
    """(venv bin folder, a working folder outside the source tree, env) with the wheel installed
    (built once per session: tests/conftest.py)."""
    return wheel_install


@pytest.mark.slow
def test_installed_package_is_the_wheel_not_the_sources(installed):
    bin_dir, work, env = installed
    proc = run([str(bin_dir / "python"), "-c", "import aijri_core, aijri_ui, aijri_app.app as a; "
                 "print(aijri_core.__file__); print(a.__file__); print(aijri_ui.__file__)"], cwd=work, env=env)  # fmt: skip
    for line in proc.stdout.splitlines():
        assert Path(line).is_relative_to(bin_dir.parent), line
        assert not Path(line).is_relative_to(ROOT), line
    app_dir = Path(proc.stdout.splitlines()[1]).parent
    # the script-level config Streamlit reads beside app.py, and what the pages need
    assert (app_dir / ".streamlit" / "config.toml").read_text() == (ROOT / ".streamlit" / "config.toml").read_text()
    assert sorted(p.name for p in (app_dir / "app_pages").glob("*.py")) == sorted(
        p.name for p in (ROOT / "app_pages").glob("*.py")
    )
    assert (app_dir / "assets" / "favicon.png").is_file()
    # the chart component's code, a file beside aijri_ui/plot.py
    ui_dir = Path(proc.stdout.splitlines()[2]).parent
    assert (ui_dir / "plot.js").read_text() == (ROOT / "aijri_ui" / "plot.js").read_text()


@pytest.mark.slow
def test_installed_cli_lists_and_scores_the_bundled_role(installed):
    bin_dir, work, env = installed
    roles = run([str(bin_dir / "aijri"), "roles", "--json"], cwd=work, env=env)
    assert [r["slug"] for r in json.loads(roles.stdout)] == ["ai-infrastructure-engineer"]
    table = run([str(bin_dir / "aijri"), "roles"], cwd=work, env=env)
    assert "ai-infrastructure-engineer  AI Infrastructure Engineer" in table.stdout
    score = run([str(bin_dir / "aijri"), "score", "ai-infrastructure-engineer"], cwd=work, env=env)
    assert "Result: 49.1 GREEN (Transforming)" in score.stdout
    trajectories = run([str(bin_dir / "python"), "-c", "from aijri_core.trajectories import bundled_trajectories;"
                         "print(sorted(bundled_trajectories('ai-infrastructure-engineer')))"], cwd=work, env=env)  # fmt: skip
    assert trajectories.stdout.startswith("[")


@pytest.mark.slow
def test_installed_cli_without_data_is_an_error(installed, tmp_path):
    bin_dir, work, env = installed
    proc = run([str(bin_dir / "aijri"), "roles"], cwd=work, env={**env, "AIJRI_DATA_DIR": str(tmp_path)}, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("aijri: error: no bundled roles in ")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_installed_app_serves_the_explorer(installed):
    bin_dir, work, env = installed
    port = _free_port()
    log = work / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(bin_dir / "aijri"), "app", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1"],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    health = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert health == "ok", log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            page = r.read().decode()
        assert r.status == 200 and '<div id="root">' in page
    finally:
        server.terminate()  # `aijri app` became the server process: this PID is the server
        server.wait(timeout=30)
    text = log.read_text()
    assert f"127.0.0.1:{port}" in text
    assert "Traceback" not in text and "Error" not in text, text


@pytest.mark.slow
def test_installed_app_script_runs_every_page(installed):
    """The installed app.py with the shipped pages, run by Streamlit's AppTest outside the tree."""
    bin_dir, work, env = installed
    script = """
import json
from streamlit.testing.v1 import AppTest
from aijri_core.cli.score import app_script
at = AppTest.from_file(str(app_script()), default_timeout=60).run()
seen = {"exceptions": [str(e.value) for e in at.exception], "errors": [e.value for e in at.error]}
pages = {}
for page in ("scenarios", "uncertainty", "roles", "methodology"):
    at.switch_page(str(app_script().parent / "app_pages" / f"{page}.py")).run()
    pages[page] = [e.value for e in at.title] + [str(e.value) for e in at.exception] + [e.value for e in at.error]
print(json.dumps({**seen, "pages": pages}))
"""
    proc = run([str(bin_dir / "python"), "-c", script], cwd=work, env=env)
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["exceptions"] == [] and result["errors"] == []
    assert result["pages"] == {  # each page's title and nothing else (no exception, no error box)
        "scenarios": ["Scenarios & trajectories"],
        "uncertainty": ["Uncertainty"],
        "roles": ["Roles"],
        "methodology": ["Methodology"],
    }
