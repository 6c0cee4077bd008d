"""`aijri score` starts fast: it never loads plotly, pandas or streamlit.

Checked in a fresh interpreter (the test process itself has them all loaded). The timing
itself is measured by ``bench/cold_start.py`` (``make bench``), not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import aijri_core

HEAVY = ("plotly", "pandas", "streamlit")

PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys
    {setup}
    loaded = sorted({{name.split(".")[0] for name in sys.modules}} & {heavy!r})
    ours = sorted(name for name in sys.modules if name.startswith("aijri_core."))
    print(json.dumps({{"code": code, "out": out, "loaded": loaded, "ours": ours}}))
    """
)


def _probe(setup: str) -> dict:
    script = PROBE.format(setup=textwrap.dedent(setup), heavy=set(HEAVY))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_aijri_score_loads_no_plotting_table_or_app_library():
    result = _probe(
        """
        from aijri_core.cli import main
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(["score", "ai-infrastructure-engineer"])
        out = buf.getvalue()
        """
    )
    assert result["code"] == 0
    assert "Result: 49.1 GREEN (Transforming)" in result["out"]
    assert result["loaded"] == []
    # nor the analyses, the store, the file formats or the charts: each command loads its own
    for part in ("aijri_core.analyses", "aijri_core.store", "aijri_core.formats", "aijri_core.figures"):
        assert not [m for m in result["ours"] if m == part or m.startswith(part + ".")], part


def test_importing_the_package_root_and_an_analysis_stays_light():
    result = _probe(
        """
        import aijri_core
        s = aijri_core.score(aijri_core.bundled_role("ai-infrastructure-engineer"))
        t = aijri_core.tornado(aijri_core.bundled_role("ai-infrastructure-engineer"))
        import aijri_core.figures
        code, out = 0, f"{s.score} {t.rows[0].knob_id}"
        """
    )
    assert result["out"].startswith("49.1 ")
    assert result["loaded"] == []


def test_core_modules_import_plotly_and_pandas_only_when_used():
    """Every core module but the HTML report (which is made of plotly figures) imports light."""
    import aijri_core as pkg

    names = sorted(
        ".".join(p.relative_to(Path(pkg.__file__).parent.parent).with_suffix("").parts)
        for p in Path(pkg.__file__).parent.rglob("*.py")
        if "__pycache__" not in p.parts and p.name != "__main__.py"
    )
    names = [n.removesuffix(".__init__") for n in names if n != "aijri_core.formats.report"]
    assert "aijri_core.figures" in names and "aijri_core.cli.analysis" in names
    result = _probe("\n".join(f"import {n}" for n in names) + "\ncode, out = 0, ''")
    assert result["loaded"] == []


def test_the_root_exports_exactly_its_public_api():
    assert len(aijri_core.__all__) == len(set(aijri_core.__all__))
    for name in aijri_core.__all__:
        assert getattr(aijri_core, name) is not None, name
    assert "tornado" in dir(aijri_core)
    assert not hasattr(aijri_core, "no_such_name")
