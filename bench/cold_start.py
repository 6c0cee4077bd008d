"""Cold start of the `aijri` command against a bare interpreter with its two real dependencies.

Run: .venv/bin/python bench/cold_start.py [--repeat N]

Each command runs in a fresh interpreter, N times, alternating, so both see the same
machine load: `aijri score ROLE` (the installed console script when present, else
``python -m aijri_core.cli``) and ``python -c "import pydantic, numpy"`` (the baseline
measured in the same run). For each it prints the median and best wall time (what a user
waits) and the median CPU time, user + system (what the start costs; on a busy machine
wall times stretch, CPU times much less), and the ratios of the medians.
Target: at most 2x (the score path never loads plotly, pandas or streamlit).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import resource  # POSIX only: the CPU time of child processes
except ImportError:
    resource = None

ROLE = "ai-infrastructure-engineer"
TARGET = 2.0


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system, NaN without ``resource``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    if before is None:
        return elapsed, math.nan
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()

    script = Path(sys.executable).parent / "aijri"
    aijri = [str(script)] if script.exists() else [sys.executable, "-m", "aijri_core.cli"]
    commands = {
        "aijri score " + ROLE: [*aijri, "score", ROLE],
        "python -c 'import pydantic, numpy'": [sys.executable, "-c", "import pydantic, numpy"],
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for cmd in commands.values():  # warm the file cache (and write .pyc files) once
        run(cmd, env)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            w, c = run(cmd, env)
            wall[name].append(w)
            cpu[name].append(c)

    width = max(len(n) for n in commands)
    print(f"Cold start, {args.repeat} runs each ({' '.join(aijri)})")
    print(f"  {'command':<{width}}  wall median ms  wall best ms  CPU median ms")
    for name in commands:
        print(
            f"  {name:<{width}}  {statistics.median(wall[name]) * 1000:14.0f}"
            f"  {min(wall[name]) * 1000:12.0f}  {statistics.median(cpu[name]) * 1000:13.0f}"
        )
    for label, series in (("wall", wall), ("CPU", cpu)):
        cli, base = (statistics.median(ts) for ts in series.values())
        if math.isnan(cli):
            continue
        verdict = "within" if cli / base <= TARGET else "ABOVE"
        print(f"  ratio of the {label} medians: {cli / base:.2f}x ({verdict} the {TARGET:g}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
