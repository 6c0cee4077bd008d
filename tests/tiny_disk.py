"""A real full disk for the tests: a tmpfs of a few hundred KiB, mounted for one test.

Mounting needs the right to (root on Linux, outside a locked-down container); without it the
test that asks skips, naming the reason. ``owner`` hands the folder to another user (the
PostgreSQL server runs as ``postgres`` when the tests run as root).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def mounted(size_kib: int = 256, owner: str | None = None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="aijri-full-"))
    mount = shutil.which("mount")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)],
                          capture_output=True, text=True) if mount else None
    if done is None or done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tiny tmpfs here ({done.stderr.strip() if done else 'no mount command'})")
    try:
        if owner:
            shutil.chown(folder, user=owner)
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False, capture_output=True)
        folder.rmdir()
