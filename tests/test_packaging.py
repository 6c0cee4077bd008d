"""The project as an installed tool: a built wheel carries the data, the CLI and the explorer.

The wheel test builds the wheel from a copy of the project, installs it into a fresh
virtual environment (no system site-packages; the already installed dependencies are made
importable with a .pth line pointing at this environment's site-packages, which puts
neither the project sources nor its editable install on the path), and runs `aijri roles`,
`aijri score` and `aijri app` from a folder outside the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: What a build needs from the repository (everything else stays behind).
BUILD_INPUTS = ["pyproject.toml", "README.md", "app.py", "app_pages", "assets", ".streamlit", "data",
                "aijri_core", "aijri_ui"]  # fmt: skip


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
    assert (major, minor) >= (1, 59)  # widgets' persist_state= arrived in 1.59
    assert PYPROJECT["project"]["license"] == "MIT"


# ---------------------------------------------------------------- the wheel, installed


def _run(cmd, cwd, env, timeout=300, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"{cmd}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, a working folder outside the source tree, env) with the wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AIJRI_DATA_DIR", "VIRTUAL_ENV")}
    src = base / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, src / name)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist),
          str(src)], cwd=base, env=env)  # fmt: skip
    (wheel,) = dist.glob("aijri_explorer-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base, env=env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
         cwd=base, env=env)  # fmt: skip
    # The dependencies (streamlit, plotly, pydantic ...) come from this environment, after the
    # venv's own site-packages; a plain path line runs none of the .pth files found there.
    venv_site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          cwd=base, env=env).stdout.strip())  # fmt: skip
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (venv_site / "project_dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")

    work = base / "elsewhere"
    work.mkdir()
    env["PATH"] = str(bin_dir) + os.pathsep + env.get("PATH", "")
    env["AIJRI_DB"] = str(work / "store.sqlite3")
    return bin_dir, work, env


@pytest.mark.slow
def test_installed_package_is_the_wheel_not_the_sources(installed):
    bin_dir, work, env = installed
    proc = _run([str(bin_dir / "python"), "-c", "import aijri_core, aijri_ui, aijri_app.app as a; "
                 "print(aijri_core.__file__); print(a.__file__)"], cwd=work, env=env)  # fmt: skip
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


@pytest.mark.slow
def test_installed_cli_lists_and_scores_the_bundled_role(installed):
    bin_dir, work, env = installed
    roles = _run([str(bin_dir / "aijri"), "roles", "--json"], cwd=work, env=env)
    assert [r["slug"] for r in json.loads(roles.stdout)] == ["ai-infrastructure-engineer"]
    table = _run([str(bin_dir / "aijri"), "roles"], cwd=work, env=env)
    assert "ai-infrastructure-engineer  AI Infrastructure Engineer" in table.stdout
    score = _run([str(bin_dir / "aijri"), "score", "ai-infrastructure-engineer"], cwd=work, env=env)
    assert "Result: 49.1 GREEN (Transforming)" in score.stdout
    trajectories = _run([str(bin_dir / "python"), "-c", "from aijri_core.trajectories import bundled_trajectories;"
                         "print(sorted(bundled_trajectories('ai-infrastructure-engineer')))"], cwd=work, env=env)  # fmt: skip
    assert trajectories.stdout.startswith("[")


@pytest.mark.slow
def test_installed_cli_without_data_is_an_error(installed, tmp_path):
    bin_dir, work, env = installed
    proc = _run([str(bin_dir / "aijri"), "roles"], cwd=work, env={**env, "AIJRI_DATA_DIR": str(tmp_path)}, check=False)
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
    proc = _run([str(bin_dir / "python"), "-c", script], cwd=work, env=env)
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["exceptions"] == [] and result["errors"] == []
    assert result["pages"] == {  # each page's title and nothing else (no exception, no error box)
        "scenarios": ["Scenarios & trajectories"],
        "uncertainty": ["Uncertainty"],
        "roles": ["Roles"],
        "methodology": ["Methodology"],
    }
