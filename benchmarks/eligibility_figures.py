"""Figures for the SAFE engine (issue 5).

  - `sdpatlas eligibility --all` on the real data, end to end (warm cache), and the engine
    alone (evaluate_all in process);
  - `sdpatlas components` on a generated 100,000-line bill of materials, end to end, with
    the peak memory of the process (the file is streamed, so it stays flat as lines grow).

Run: .venv/bin/python benchmarks/eligibility_figures.py [RUNS] [LINES]
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
ORIGINS = ["DEU", "FRA", "POL", "ITA", "NOR", "UKR", "USA", "GBR", "CAN", "KOR", "JPN", "TUR"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time of a command and its peak resident memory (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{args} failed")
    return elapsed, usage.ru_maxrss // 1024


def bill(path: Path, lines: int) -> None:
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as out:
        out.write("component,cost,origin,supplier\n")
        for i in range(lines):
            origin = rng.choice(ORIGINS)
            out.write(f"part {i},{rng.randint(1, 100_000) / 100},{origin},{origin}\n")


def in_process(runs: int) -> float:
    from sdpatlas.eligibility import evaluate_all, load_rules
    from sdpatlas.store import open_dataset

    data = open_dataset(ROOT / "data")[0]
    rules = load_rules(ROOT / "data", data)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate_all(data, rules, dt.date(2026, 3, 20))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int, lines: int) -> None:
    cache = tempfile.mkdtemp(prefix="sdpatlas-bench-")
    env = {**os.environ, "SDPATLAS_CACHE": cache, "SDPATLAS_DATA": str(ROOT / "data")}
    sdp = str(BIN / "sdpatlas")
    subprocess.run([sdp, "build"], env=env, check=True, capture_output=True)
    small, large = Path(cache) / "bom-1k.csv", Path(cache) / f"bom-{lines}.csv"
    bill(small, 1_000)
    bill(large, lines)
    commands = {
        "sdpatlas eligibility --all": [sdp, "eligibility", "--all", "--as-of", "2026-03-20"],
        "sdpatlas components (1,000 lines)": [sdp, "components", str(small)],
        f"sdpatlas components ({lines:,} lines)": [sdp, "components", str(large)],
    }
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            results[name].append(timed(args, env))
    print(f"median of {runs} runs, warm cache; peak RSS of the process")
    for name, values in results.items():
        seconds = statistics.median(v[0] for v in values)
        memory = max(v[1] for v in values)
        print(f"  {name:<40} {seconds:7.3f} s   {memory:5d} MiB")
    engine = in_process(runs)
    print(f"  {'evaluate_all in process (engine only)':<40} {engine:7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5,
         int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
