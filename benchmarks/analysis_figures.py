"""Figures for the comparative analysis on the real data (issue 4).

  - ``sdpatlas analyse --format json`` and ``sdpatlas report -o FILE`` end to end (a new
    process each time, warm database cache), best of RUNS;
  - the same work in process: ``analysis.analyse`` alone, then the HTML report (five SVG
    charts included) from an analysis already computed.

Run: .venv/bin/python benchmarks/analysis_figures.py [RUNS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def best(action: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SDPATLAS_CACHE": tmp}
        out = Path(tmp) / "report.html"

        def command(*args: str) -> Callable[[], object]:
            return lambda: subprocess.run([str(BIN / "sdpatlas"), *args], env=env, check=True,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        command("analyse")()  # builds the cached database once
        print(f"end to end, best of {runs}, seconds")
        analyse = best(command("analyse", "--format", "json"), runs)
        report = best(command("report", "-o", str(out)), runs)
        print(f"  sdpatlas analyse --format json  {analyse:.2f}")
        print(f"  sdpatlas report -o report.html  {report:.2f}  ({out.stat().st_size:,} bytes)")

    from sdpatlas import analysis
    from sdpatlas.dataset import load
    from sdpatlas.render.report import html_report

    data = load(ROOT / "data")
    result = analysis.analyse(data)  # pays the one-off imports
    print(f"in process, best of {runs}, seconds")
    print(f"  analysis.analyse                {best(lambda: analysis.analyse(data), runs):.3f}")
    print(f"  render.report.html_report       {best(lambda: html_report(data, result), runs):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
