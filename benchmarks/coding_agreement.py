"""Agreement between the gold sets' first labeller and an independent second labeller.

The second labeller labelled 120 passages (60 drawn at random from the written held-out
set, 60 from the written development set; seed 1201) blind: from the text and the codebook
alone, without the first labels (``data/coding/gold/second-labeller.jsonl``). Another
labeller did the same for 150 passages of real public texts (75 drawn at random from the
real development set, 75 from the real held-out set; seed 1202;
``second-labeller-real.jsonl``), and a third did the same for 120 passages of the
later real development sets (60 each from real-dev-3 and real-dev-4, seed 1203;
``second-labeller-real-2.jsonl``), and a fourth for 150 passages of two sets built on
2026-12-02 (75 each from real-dev-13 and real-dev-14, seed 1204;
``second-labeller-real-3.jsonl``); a fifth labelled the same 150 passages with the
conventions of ``data/coding/gold/GUIDE.md`` beside the codebook
(``second-labeller-real-4.jsonl``). Then every real passage was labelled a second time, blind,
with the conventions: the 448 held-out passages (``second-labeller-real-5.jsonl``, scored here
against the frozen held-out labels) and the 17,036 development passages
(``second-labeller-real-dev.jsonl``; where it and the first labels differed, a third labeller
decided, and the development sets now hold that consensus, against which the third and fourth
rounds are scored). Those texts are not in the repository, so that part runs only where they
are (``--sources DIR``, as for ``sdpatlas evaluate``). Here the
first labels stand as gold and the second as predictions: micro- and macro-F1 with 95 %
bootstrap intervals (resampled by source document), Cohen's kappa per area, and the
passages on which the two disagree. Passages' ``uncertain`` areas count as "not stated"
for both, as they do for the coder.

Run: .venv/bin/python benchmarks/coding_agreement.py [--sources DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sdpatlas.coding.evaluate import Evaluation, score_predictions
from sdpatlas.coding.gold import GoldItem, load_gold
from sdpatlas.coding.goldsets import missing_sources

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "coding" / "gold"
SETS = {"held-out": GOLD / "written-heldout.jsonl", "dev": GOLD / "written-dev.jsonl"}
REAL_SETS = {"real held-out": GOLD / "real-heldout.jsonl", "real dev": GOLD / "real-dev.jsonl"}
SECOND = GOLD / "second-labeller.jsonl"
SECOND_REAL = GOLD / "second-labeller-real.jsonl"
REAL_SETS_2 = {"real dev 3": GOLD / "real-dev-3.jsonl", "real dev 4": GOLD / "real-dev-4.jsonl"}
SECOND_REAL_2 = GOLD / "second-labeller-real-2.jsonl"
REAL_SETS_3 = {"real dev 13": GOLD / "real-dev-13.jsonl",
               "real dev 14": GOLD / "real-dev-14.jsonl"}
SECOND_REAL_3 = GOLD / "second-labeller-real-3.jsonl"
SECOND_REAL_4 = GOLD / "second-labeller-real-4.jsonl"
HELDOUT_SETS = {"real held-out": GOLD / "real-heldout.jsonl", "real-val": GOLD / "real-val.jsonl"}
SECOND_REAL_5 = GOLD / "second-labeller-real-5.jsonl"
AREAS = list(range(1, 27))


def _documents(path: Path) -> dict[str, str]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {r["id"]: r.get("doc", r["id"]) for r in rows}


def _second(path: Path) -> dict[str, frozenset[int]]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {r["id"]: frozenset(r["areas"]) for r in rows}


def _report(name: str, pairs: list[tuple[GoldItem, frozenset[int], str]]) -> Evaluation:
    gold = [g for g, _, _ in pairs]
    ev = score_predictions(gold, [p for _, p, _ in pairs], AREAS, [d for _, _, d in pairs])
    micro, macro = ev.micro_interval, ev.macro_interval
    assert micro is not None and macro is not None
    print(f"{name:9} {len(pairs):4} passages  micro-F1 {ev.micro_f1:.3f} "
          f"[{micro.low:.3f}, {micro.high:.3f}]  macro-F1 {ev.macro_f1:.3f} "
          f"[{macro.low:.3f}, {macro.high:.3f}]")
    return ev


def _pairs(sets: dict[str, Path], second: dict[str, frozenset[int]], sources: tuple[Path, ...]
           ) -> dict[str, list[tuple[GoldItem, frozenset[int], str]]]:
    pairs = {}
    for name, path in sets.items():
        docs = _documents(path)
        pairs[name] = [(g, second[g.id], docs[g.id]) for g in load_gold(path, sources)
                       if g.id in second]
    return pairs


def _compare(title: str, pairs: dict[str, list[tuple[GoldItem, frozenset[int], str]]]) -> None:
    print(title)
    for name, rows in pairs.items():
        _report(name, rows)
    everything = _report("all", [row for rows in pairs.values() for row in rows])
    print("\nper area: support (first), predicted (second), agreed, Cohen's kappa")
    for a in everything.areas:
        kappa = "  n/a" if a.kappa is None else f"{a.kappa:5.2f}"
        print(f"  {a.area:2}  {a.support:3} {a.predicted:3} {a.true_positives:3}  {kappa}")
    print("\ndisagreements (id: first → second)")
    for rows in pairs.values():
        for g, p, _ in rows:
            if g.areas != p:
                print(f"  {g.id}: {sorted(g.areas)} → {sorted(p)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sources", type=Path, action="append", default=[],
                        help="a folder holding the real texts the real gold sets point to")
    args = parser.parse_args()
    _compare("Second labeller against the first (first = gold), 95 % bootstrap intervals",
             _pairs(SETS, _second(SECOND), (GOLD,)))
    real = tuple(args.sources)
    for title, sets, second in (("Real texts", REAL_SETS, SECOND_REAL),
                                ("Real texts, second round", REAL_SETS_2, SECOND_REAL_2),
                                ("Real texts, third round", REAL_SETS_3, SECOND_REAL_3),
                                ("Real texts, fourth round (with the conventions)", REAL_SETS_3,
                                 SECOND_REAL_4),
                                ("Real held-out texts, all passages (with the conventions)",
                                 HELDOUT_SETS, SECOND_REAL_5)):
        if not real or any(missing_sources(path, real) for path in sets.values()):
            print(f"\n{title}: skipped (their texts are not here; pass --sources DIR)")
            continue
        _compare(f"\n{title}: second labeller against the first, 95 % bootstrap intervals",
                 _pairs(sets, _second(second), real))


if __name__ == "__main__":
    main()
