"""Start-up and cold-build figures (issues 2 and 12).

Measures, alternating runs in the same process so machine noise hits all alike:
  - `sdpatlas matrix`, `sdpatlas --help`, `sdpatlas analyse` and `sdpatlas report -o
    FILE.html` (end to end, imports included) with a warm cache,
  - the peer: `sqlite-utils tables` on the same built database,
  - a cold build: `sdpatlas build` into an empty cache (YAML → model → SQLite).
Prints medians and the ratios to the peer. Run: .venv/bin/python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(runs: int) -> None:
    cache = tempfile.mkdtemp(prefix="sdpatlas-bench-")
    env = {**os.environ, "SDPATLAS_CACHE": cache, "SDPATLAS_DATA": str(ROOT / "data")}
    sdp = str(BIN / "sdpatlas")
    db = subprocess.run([sdp, "build"], env=env, check=True, capture_output=True,
                        text=True).stdout.strip()
    commands = {
        "sdpatlas matrix": [sdp, "matrix"],
        "sdpatlas --help": [sdp, "--help"],
        "sdpatlas analyse": [sdp, "analyse"],
        "sdpatlas report -o r.html": [sdp, "report", "-o", str(Path(cache) / "r.html")],
        "sqlite-utils tables (peer)": [str(BIN / "sqlite-utils"), "tables", db],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            times[name].append(timed(args, env))
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(timed([sdp, "build"], {**env, "SDPATLAS_CACHE": empty}))
    peer = statistics.median(times["sqlite-utils tables (peer)"])
    print(f"runs: {runs} each, alternating; median wall time")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:28s} {median * 1000:7.1f} ms   ratio to peer {median / peer:.2f}")
    print(f"  {'cold build (empty cache)':28s} {statistics.median(cold) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
