"""How the comparative analysis grows with the number of partners (issue 4).

Times ``analysis.analyse`` (every finding, including the leave-one-out evaluation) in
process, on synthetic datasets of 50, 200 and 1,000 partners × 26 and 100 areas, after a
warm-up run that pays the one-off imports (numpy, scipy). Prints the best of RUNS runs and
the growth exponent between sizes (2 means quadratic in partners).

Run: .venv/bin/python benchmarks/analysis_scaling.py [RUNS]
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from synthetic import make, random_specs

from sdpatlas import analysis

SIZES = (50, 200, 1000)
AREAS = (26, 100)
ON = dt.date(2027, 1, 1)


def best(partners: int, areas: int, runs: int) -> float:
    """The fastest of ``runs`` analyses of one synthetic dataset, in seconds."""
    data = make(random_specs(partners, areas, seed=partners + areas))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        analysis.analyse(data, ON)
        times.append(time.perf_counter() - start)
    return min(times)


def main(runs: int) -> None:
    analysis.analyse(make(random_specs(10, 26)), ON)  # imports and caches, not timed
    print(f"analysis.analyse, best of {runs} run(s), seconds")
    print(f"{'partners':>9} " + " ".join(f"{a:>9} areas" for a in AREAS))
    results = {(n, a): best(n, a, runs) for n in SIZES for a in AREAS}
    for n in SIZES:
        print(f"{n:>9} " + " ".join(f"{results[n, a]:>15.3f}" for a in AREAS))
    for a in AREAS:
        print(f"growth exponent at {a} areas: " + ", ".join(
            f"{lo}→{hi}: {math.log(results[hi, a] / results[lo, a]) / math.log(hi / lo):.2f}"
            for lo, hi in itertools.pairwise(SIZES)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
