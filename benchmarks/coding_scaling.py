"""How the coder's time grows with the document (issue 9): it should double when the text does.

Codes texts of N sentences (one paragraph each), one endless sentence and a megabyte of
hostile Markdown, and prints seconds per size; a ratio near 2 between N and 2N is linear.

Run: .venv/bin/python benchmarks/coding_scaling.py [N ...]   (default 5000 10000 20000 40000)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sdpatlas.coding import Coder
from sdpatlas.dataset import load

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = ("The Participants will strengthen their cooperation on maritime security, including "
            "through joint naval exercises and port calls.")
ENDLESS = "we will not cooperate on maritime security and cyber defence support for ukraine "


def timed(coder: Coder, data: bytes, name: str) -> float:
    began = time.perf_counter()
    coder.code_bytes(data, name)
    return time.perf_counter() - began


def timed_text(coder: Coder, text: str) -> float:
    """Coding text already extracted (no character limit: 40,000 sentences pass it)."""
    began = time.perf_counter()
    coder.code_text(text)
    return time.perf_counter() - began


def main(sizes: list[int]) -> None:
    data = load(ROOT / "data")
    coder = Coder.from_data(ROOT / "data", data.areas)
    for n in sizes:
        text = "\n\n".join([SENTENCE] * n)
        print(f"{n:>7} sentences ({len(text):>9,} characters): "
              f"{timed_text(coder, text):6.2f} s", flush=True)
    for n in sizes[:2]:
        text = (ENDLESS * (n * 20 // len(ENDLESS) + 1)).encode()
        print(f"one sentence of {len(text):>9,} bytes: {timed(coder, text, 'x.txt'):6.2f} s",
              flush=True)
    for unit in ("[", "a **b ", "<"):
        print(f"1 MB of {unit!r} as Markdown: "
              f"{timed(coder, (unit * ((1 << 20) // len(unit))).encode(), 'x.md'):6.2f} s",
              flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5000, 10000, 20000, 40000])
