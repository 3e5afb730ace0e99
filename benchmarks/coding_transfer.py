"""Does the learned scorer gain from real text? Leave one real development set out.

The scorer can be trained on the development sets within the repository's reach (the
briefing's partner sections, the written sets and the fixture passages) or also on the
real-text development sets (real-dev*.jsonl), which keep only addresses and offsets, so that a
fresh clone cannot rebuild that model. The shipped one is trained on all of them; this
measures what the real sets add. For each real development set R whose texts are given, three
coders score R, none of them having seen it:

  - rules: the rule coder alone;
  - in-reach sets: the scorer trained on the in-reach development sets only;
  - + other real: trained also on every other real development set (the shipped recipe).

Each model is trained as benchmarks/coding_train.py trains (strength, Platt map and band chosen
out of fold, folds by source document). Scores are micro/macro-F1 over R's passages with 95 %
bootstrap intervals over its source documents. Held-out sets are never read.

With ``--groups N`` the real sets are dealt round-robin (in the manifest's order) into N
groups and a group is left out at a time (N trainings instead of one per set); each set of the
group left out is then scored, and the group as a whole.

Run: .venv/bin/python benchmarks/coding_transfer.py --sources ../shared/sources --sources DIR
     [--groups N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coding_train import FIXTURE, GOLD, SOURCES, Dev, gold_of, rule_coder, train_on

from sdpatlas.coding import Coder
from sdpatlas.coding.evaluate import Evaluation, evaluate
from sdpatlas.coding.goldsets import MANIFEST, load_manifest, missing_sources

REAL = "real-"


def dev_files(sources: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(in-reach development files, real development files), those whose texts are given."""
    sets = [s.path for s in load_manifest(GOLD / MANIFEST)
            if s.split == "dev" and not missing_sources(s.path, tuple(sources))]
    real = [p for p in sets if p.name.startswith(REAL)]
    return [p for p in sets if p not in real] + [FIXTURE], real


def scored(coder: Coder, dev: Dev) -> Evaluation:
    return evaluate(coder, dev.items, dev.groups, resamples=1000)


def line(name: str, ev: Evaluation) -> str:
    mi, ma = ev.micro_interval, ev.macro_interval
    assert mi is not None and ma is not None
    return (f"  {name:<16} micro {ev.micro_f1:.3f} [{mi.low:.3f}, {mi.high:.3f}]  macro "
            f"{ev.macro_f1:.3f} [{ma.low:.3f}, {ma.high:.3f}]  P {ev.micro_precision:.3f} "
            f"R {ev.micro_recall:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, action="append",
                        help=f"a folder of gold texts (repeatable; default {SOURCES})")
    parser.add_argument("--groups", type=int, default=0,
                        help="leave out a group of real sets at a time (default: each set)")
    args = parser.parse_args()
    sources = args.sources or [SOURCES]
    base, real = dev_files(sources)
    if not real:
        sys.exit("no real development set has its texts here: give their folder with --sources")
    count = min(args.groups, len(real)) if args.groups > 0 else len(real)
    groups = [real[k::count] for k in range(count)]
    rules = rule_coder()
    in_reach = train_on(gold_of(base, sources)).coder()
    for group in groups:
        others = train_on(gold_of(base + [p for p in real if p not in group], sources)).coder()
        for name, files in ([(p.name, [p]) for p in group]
                            + ([("the group", group)] if len(group) > 1 else [])):
            dev = gold_of(files, sources)
            print(f"{name}: {len(dev.items)} passages, {len(set(dev.groups))} documents")
            print(line("rules", scored(rules, dev)))
            print(line("in-reach sets", scored(in_reach, dev)))
            print(line("+ other real", scored(others, dev)))


if __name__ == "__main__":
    main()
