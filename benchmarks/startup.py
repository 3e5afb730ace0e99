"""Start-up and cold-build figures (issues 2 and 12).

Measures, alternating runs in the same process so machine noise hits all alike:
  - `sdpatlas matrix`, `sdpatlas --help`, `sdpatlas analyse` and `sdpatlas report -o
    FILE.html` (end to end, imports included) with a warm cache,
  - the peer: `sqlite-utils tables` on the same built database,
  - a cold build: `sdpatlas build` into an empty cache (YAML → model → SQLite).
Each command runs twice per round: with the environment as it is, and with a bytecode cache
(``PYTHONPYCACHEPREFIX`` in the benchmark's folder, warmed once, ``PYTHONDONTWRITEBYTECODE``
cleared). The second is what an installed copy does; the first differs from it only where
nothing writes bytecode (``PYTHONDONTWRITEBYTECODE=1`` and a virtualenv synced without
``--compile-bytecode``), where every start compiles every imported module from source.
Prints the medians of wall time and of CPU time (user + system: less swayed than wall
time when other work shares the machine) and their ratios to the peer in each condition.
Run: .venv/bin/python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
PEER = "sqlite-utils tables (peer)"


def timed(args: list[str], env: dict[str, str]) -> float:
    return measured(args, env)[0]


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(runs: int) -> None:
    cache = tempfile.mkdtemp(prefix="sdpatlas-bench-")
    env = {**os.environ, "SDPATLAS_CACHE": cache, "SDPATLAS_DATA": str(ROOT / "data")}
    compiled = {**env, "PYTHONPYCACHEPREFIX": str(Path(cache) / "bytecode")}
    compiled.pop("PYTHONDONTWRITEBYTECODE", None)
    conditions = {"as is": env, "bytecode": compiled}
    sdp = str(BIN / "sdpatlas")
    db = subprocess.run([sdp, "build"], env=env, check=True, capture_output=True,
                        text=True).stdout.strip()
    commands = {
        "sdpatlas matrix": [sdp, "matrix"],
        "sdpatlas --help": [sdp, "--help"],
        "sdpatlas analyse": [sdp, "analyse"],
        "sdpatlas report -o r.html": [sdp, "report", "-o", str(Path(cache) / "r.html")],
        PEER: [str(BIN / "sqlite-utils"), "tables", db],
    }
    for args in commands.values():
        timed(args, compiled)
    times: dict[tuple[str, str], list[tuple[float, float]]] = {
        (name, c): [] for name in commands for c in conditions}
    for _ in range(runs):
        for name, args in commands.items():
            for condition, variables in conditions.items():
                times[name, condition].append(measured(args, variables))
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(timed([sdp, "build"], {**env, "SDPATLAS_CACHE": empty}))
    show(times, commands, conditions, runs)
    print(f"  {'cold build (empty cache)':28s} {statistics.median(cold) * 1000:7.1f} ms (as is)")


def show(times: dict[tuple[str, str], list[tuple[float, float]]],
         commands: dict[str, list[str]], conditions: dict[str, dict[str, str]],
         runs: int) -> None:
    wall = {key: statistics.median(w for w, _ in values) for key, values in times.items()}
    cpu = {key: statistics.median(c for _, c in values) for key, values in times.items()}
    print(f"runs: {runs} each, alternating commands and conditions; medians of wall time and "
          "of CPU time (user + system), each with its ratio to the peer in the same condition")
    heads = [f"{c}: {kind}" for c in conditions for kind in ("wall", "CPU")]
    print(f"  {'':28s} " + "  ".join(f"{h:>19s}" for h in heads))
    for name in commands:
        cells = [f"{m[name, c] * 1000:6.0f} ms ({m[name, c] / m[PEER, c]:.2f}x)"
                 for c in conditions for m in (wall, cpu)]
        print(f"  {name:28s} " + "  ".join(f"{cell:>19s}" for cell in cells))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
