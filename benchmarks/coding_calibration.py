"""Does the coder's confidence mean something? The accuracy/coverage curve of its proposals.

A proposal is an area the coder answers ``yes``, ``already_exists`` or ``unknown`` for, with
its confidence. For each threshold: the share of proposals kept (confidence at or above it),
their precision and the recall they reach; and a reliability table (mean confidence against
the share right, by confidence bin). Shown for both candidates:

  - rules + learned scorer: on the development sets out of fold (five folds by source
    document, each scored by a model trained on the other four), and on the held-out sets
    by the model trained on all development passages;
  - rules alone (confidence: the rule score): on the development sets in sample (the rules
    were written on them), and on the held-out sets.

The ``unknown`` band of data/coding/learned.json is chosen from the development curve only
(benchmarks/coding_train.py); held-out curves are for the report.

Run: .venv/bin/python benchmarks/coding_calibration.py --sources ../shared/sources --sources DIR
(the folders of the gold texts: the model is trained, as shipped, on every development set
whose texts are there, and the held-out curves cover every held-out set whose texts are there)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coding_train import (
    GOLD,
    SOURCES,
    Proposal,
    learned_coder,
    proposals_of,
    rule_coder,
    train,
)

from sdpatlas.coding.gold import GoldItem, load_gold
from sdpatlas.coding.goldsets import MANIFEST, load_manifest, missing_sources

THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.01)


def curve(label: str, proposals: Sequence[Proposal], support: int,
          band: tuple[float, float] | None = None) -> None:
    total = len(proposals)
    print(f"\n{label}: {total} proposals, {support} gold labels")
    print("  threshold  kept   share  precision  recall")
    for t in THRESHOLDS:
        kept = [p for p in proposals if p.confidence >= t]
        right = sum(p.right for p in kept)
        precision = f"{right / len(kept):9.3f}" if kept else "        -"
        print(f"  {t:9.2f}  {len(kept):4d}  {len(kept) / max(total, 1):6.1%}  {precision}  "
              f"{right / max(support, 1):6.3f}")
    print("  reliability: confidence bin, proposals, mean confidence, share right")
    for lo, hi in itertools.pairwise(BINS):
        inside = [p for p in proposals if lo <= p.confidence < hi]
        if inside:
            mean = sum(p.confidence for p in inside) / len(inside)
            share = sum(p.right for p in inside) / len(inside)
            print(f"    [{lo:.1f}, {min(hi, 1.0):.1f})  {len(inside):4d}  {mean:.3f}  {share:.3f}")
    if band is not None:
        yes, abstain = band
        for name, lo, hi in (("yes", yes, 2.0), ("unknown", abstain, yes), ("no", -1, abstain)):
            inside = [p for p in proposals if lo <= p.confidence < hi]
            share = sum(p.right for p in inside) / len(inside) if inside else float("nan")
            print(f"  band {name:<8} [{max(lo, 0):.2f}, {min(hi, 1):.2f}): {len(inside):4d} "
                  f"proposals, {share:.3f} right")


def held_out(sources: Sequence[Path]) -> list[GoldItem]:
    paths = [s.path for s in load_manifest(GOLD / MANIFEST)
             if s.split == "heldout" and not missing_sources(s.path, tuple(sources))]
    return [item for path in paths for item in load_gold(path, tuple(sources))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, action="append",
                        help=f"a folder of gold texts (repeatable; default {SOURCES})")
    args = parser.parse_args()
    sources = args.sources or (SOURCES,)
    result = train(sources)
    band = (result.raw["band"]["yes"], result.raw["band"]["abstain"])
    dev_support = sum(len(i.areas) for i in result.dev.items)
    print(f"band chosen on development (out of fold): yes >= {band[0]}, unknown >= {band[1]}")
    curve("rules + learned, development sets, out of fold", result.proposals, dev_support,
          band)
    rules = rule_coder()
    curve("rules alone, development sets, in sample", proposals_of(rules, result.dev.items),
          dev_support)
    items = held_out(sources)
    support = sum(len(i.areas) for i in items)
    curve("rules + learned, held-out sets", proposals_of(learned_coder(result.raw, rules),
                                                         items), support, band)
    curve("rules alone, held-out sets", proposals_of(rules, items), support)


if __name__ == "__main__":
    main()
