"""`make run` takes the port and the address to listen on (README: Two commands)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_takes_port_and_address():
    out = subprocess.run(["make", "-n", "-W", "pyproject.toml", "run", "PORT=8600", "ADDRESS=0.0.0.0"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert "streamlit run app.py --server.port 8600 --server.address 0.0.0.0" in out
    default = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "streamlit run app.py --server.port 8501\n" in default  # Streamlit's own default address
