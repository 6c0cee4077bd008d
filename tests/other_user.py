"""Run this project's Python as another user, wherever the clone lies.

Root is not stopped by file modes, so a test that needs a user whom file modes do stop (a
reader of a read-only store) runs as user ``nobody`` through ``setpriv``. That user must be
able to run the interpreter and import the project and what it imports. In a clone in a
private folder (a home directory of mode 700, ``mktemp -d``), and with the venv inside it, it
cannot: the program then runs from a world-readable copy, made in a fresh temp folder, of the
project's code, its data and the packages the program imports, with the base interpreter.

A platform that cannot give another user at all (no ``setpriv``, an interpreter only its owner
can run) skips the test with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534
#: The project's own top-level packages (copied from the sources, not found among the imports).
PROJECT = ("aijri_core", "aijri_ui", "aijri_app")

#: Lists the installed top-level packages (site-packages; not the standard library, not the
#: project: argument, its package names) a program imported, as name<TAB>folder-or-file lines
#: (run after the program's own imports).
_LIST_IMPORTS = """
import site, sys, sysconfig
from pathlib import Path
installed = {Path(p).resolve() for p in (sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages())}
ours = set(sys.argv[1].split(","))
for name, module in sorted(sys.modules.items()):
    spec = getattr(module, "__spec__", None)
    if "." in name or name in ours or spec is None or not spec.origin or spec.origin in ("built-in", "frozen"):
        continue
    origin = Path(spec.origin).resolve()
    if not any(origin.is_relative_to(p) for p in installed):  # the standard library
        continue
    if name.startswith(("__editable__", "_distutils_hack")):
        continue
    where = origin.parent if spec.submodule_search_locations else origin
    print(f"{name}\\t{where}")
"""


def project_env() -> dict[str, str]:
    """This environment with the project's sources first on the import path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _runs(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd="/")


def _readable_copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(src, dst)


def _open_to_all(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        path.chmod(mode | (0o555 if path.is_dir() else 0o444 | (0o111 if mode & 0o100 else 0)))


@contextmanager
def as_other_user(imports: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    """(command prefix up to and including the interpreter, environment) that run Python as a user
    whom file modes stop, able to run ``imports`` (Python statements) and the project.

    Not root: the current user, file modes stop it already. Root: user nobody, from the project
    as it lies if nobody can read it, else from a world-readable copy (removed afterwards)."""
    if os.geteuid() != 0:
        yield [sys.executable], project_env()
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot run a program as another user")
    nobody = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if _runs([*nobody, sys.executable, "-c", imports], project_env()).returncode == 0:
        yield [*nobody, sys.executable], project_env()
        return
    # nobody cannot reach the interpreter or the project here (a private folder): use a copy
    python = str(Path(getattr(sys, "_base_executable", sys.executable)).resolve())
    if _runs([*nobody, python, "-c", "pass"], {}).returncode != 0:
        pytest.skip(f"user nobody cannot run the Python interpreter {python} (it lies in a private folder)")
    listed = _runs([sys.executable, "-c", f"{imports}\n{_LIST_IMPORTS}", ",".join(PROJECT)], project_env())
    assert listed.returncode == 0, listed.stderr
    folder = Path(tempfile.mkdtemp(prefix="aijri-other-user-"))
    try:
        lib = folder / "lib"
        lib.mkdir()
        _readable_copy(REPO / "aijri_core", lib / "aijri_core")
        _readable_copy(REPO / "data", folder / "data")
        for line in listed.stdout.splitlines():
            name, where = line.split("\t")
            src = Path(where)
            _readable_copy(src, lib / src.name)
            libs = src.parent / f"{name}.libs"  # shared libraries a binary wheel keeps beside its package
            if src.is_dir() and libs.is_dir():
                _readable_copy(libs, lib / libs.name)
        _open_to_all(folder)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        env.update(PYTHONPATH=str(lib), PYTHONNOUSERSITE="1", AIJRI_DATA_DIR=str(folder / "data"))
        check = _runs([*nobody, python, "-c", imports], env)
        if check.returncode != 0:
            pytest.fail(f"the world-readable copy in {folder} does not import for user nobody:\n{check.stderr}")
        yield [*nobody, python], env
    finally:
        shutil.rmtree(folder, ignore_errors=True)
