"""The project built as a wheel and installed into a fresh virtual environment, for tests.

The wheel is built from a copy of the project, installed into a new venv without system
site-packages; the already installed dependencies are made importable with a .pth line
pointing at this environment's site-packages, which puts neither the project sources nor its
editable install on the path. tests/test_packaging.py runs the CLI and the app from it;
tests/browser/test_pages_browser.py opens the installed app in Chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What a build needs from the repository (everything else stays behind).
BUILD_INPUTS = ["pyproject.toml", "README.md", "app.py", "app_pages", "assets", ".streamlit", "data",
                "aijri_core", "aijri_ui"]  # fmt: skip


def run(cmd, cwd, env, timeout=300, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"{cmd}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def install_wheel(base: Path) -> tuple[Path, Path, dict[str, str]]:
    """(venv bin folder, a working folder outside the source tree, env) with the wheel installed under ``base``."""
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
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist),
          str(src)], cwd=base, env=env)  # fmt: skip
    (wheel,) = dist.glob("aijri_explorer-*.whl")

    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base, env=env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
         cwd=base, env=env)  # fmt: skip
    # The dependencies (streamlit, plotly, pydantic ...) come from this environment, after the
    # venv's own site-packages; a plain path line runs none of the .pth files found there.
    venv_site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          cwd=base, env=env).stdout.strip())  # fmt: skip
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (venv_site / "project_dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")

    work = base / "elsewhere"
    work.mkdir()
    env["PATH"] = str(bin_dir) + os.pathsep + env.get("PATH", "")
    env["AIJRI_DB"] = str(work / "store.sqlite3")
    return bin_dir, work, env
