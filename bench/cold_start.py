"""Cold start of the `aijri` command against a bare interpreter with its two real dependencies.

Run: .venv/bin/python bench/cold_start.py [--repeat N]

Each command runs in a fresh interpreter, N times, alternating, so both see the same
machine load: `aijri score ROLE` (the installed console script when present, else
``python -m aijri_core.cli``) and ``python -c "import pydantic, numpy"`` (the baseline
measured in the same run). Prints median and best wall times, the ratio of the medians and
that of the bests. Target: at most 2x (the score path never loads plotly, pandas or streamlit).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROLE = "ai-infrastructure-engineer"
TARGET = 2.0


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


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
        wall(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            times[name].append(wall(cmd, env))

    width = max(len(n) for n in commands)
    print(f"Cold start, {args.repeat} runs each ({' '.join(aijri)})")
    print(f"  {'command':<{width}}  median ms  best ms")
    for name, ts in times.items():
        print(f"  {name:<{width}}  {statistics.median(ts) * 1000:9.0f}  {min(ts) * 1000:7.0f}")
    cli, base = (statistics.median(ts) for ts in times.values())
    ratio = cli / base
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"  ratio of medians: {ratio:.2f}x ({verdict} the {TARGET:g}x target)")
    best_cli, best_base = (min(ts) for ts in times.values())
    print(f"  ratio of bests:   {best_cli / best_base:.2f}x (less disturbed by other load on the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
