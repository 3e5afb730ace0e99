"""Train the coder's learned scorer (sdpatlas.coding.learned) on the development gold sets.

Deterministic: the same gold files and lexicon give the same data/coding/learned.json. Only
development text is read (the manifest's dev sets and the fixture passages); held-out sets
are never opened here.

  1. The rule coder (no learned scorer) codes every development passage; each tag it makes,
     negated mentions aside, is a candidate labelled right when its area is in the passage's
     gold areas.
  2. Logistic regression (scikit-learn, L2) over the candidates' features, its strength C
     chosen by out-of-fold log-loss, folds splitting by source document.
  3. A Platt map fitted on the out-of-fold decision values (so probabilities are those of a
     model that did not see the passage), then the final model fitted on all candidates.
  4. The band: ``yes`` is the lowest cut whose out-of-fold micro-F1 of the whole coder on the
     development passages is within YES_TOLERANCE of the best; ``abstain`` is the lowest cut
     above which the proposals left out of ``yes`` are still right at least
     ABSTAIN_PRECISION of the time (a reviewer's coin worth checking); below it the coder
     says no.

The shipped model is trained on every development set, the real-text ones included (their
texts are kept outside the repository; benchmarks/coding_transfer.py measures what they add):

  .venv/bin/python benchmarks/coding_train.py --write --sources ../shared/sources --sources DIR

Without DIR the real sets are left out and the model differs from the shipped one; the tests
that rebuild it, and check its words against held-out text, run where SDPATLAS_GOLD_SOURCES
names DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from sdpatlas.coding import Coder
from sdpatlas.coding._vocabulary import load_wordlist
from sdpatlas.coding.coder import lexicon_path, wordlist_path
from sdpatlas.coding.gold import GoldItem, load_gold
from sdpatlas.coding.goldsets import MANIFEST, documents, load_manifest, missing_sources
from sdpatlas.coding.learned import LearnedModel, model_path, segment_candidates
from sdpatlas.coding.lexicon import load_lexicon
from sdpatlas.dataset import load
from sdpatlas.model import Coverage

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "coding" / "gold"
FIXTURE = ROOT / "tests" / "fixtures" / "coding" / "passages.jsonl"
SOURCES = ROOT.parent / "shared" / "sources"
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_COUNT = 2
ABSTAIN_PRECISION = 0.25
# the out-of-fold F1 curve is flat near its top (within 0.002 over cuts 0.30-0.40): among cuts
# that good, the lowest, since texts unlike the development passages get lower probabilities
YES_TOLERANCE = 0.0005
_PREDICTED = (Coverage.YES, Coverage.ALREADY_EXISTS)


@dataclass
class Dev:
    """The development passages, their source documents and the files they came from."""

    items: list[GoldItem]
    groups: list[str]
    files: list[Path]


def dev_sets(sources: Sequence[Path]) -> Dev:
    """Every development set whose texts are in ``sources``, and the fixture passages."""
    paths = [s.path for s in load_manifest(GOLD / MANIFEST)
             if s.split == "dev" and not missing_sources(s.path, tuple(sources))] + [FIXTURE]
    return gold_of(paths, sources)


def gold_of(paths: Sequence[Path], sources: Sequence[Path]) -> Dev:
    """The passages of these gold files, each with its source document."""
    items: list[GoldItem] = []
    groups: list[str] = []
    for path in paths:
        loaded = load_gold(path, tuple(sources))
        docs = documents(path)
        items += loaded
        # a passage without a document (the briefing) goes with its neighbours, ten a block
        groups += [f"{path.name}:{docs[i.id]}" if docs.get(i.id, i.id) != i.id
                   else f"{path.name}:block{n // 10}" for n, i in enumerate(loaded)]
    return Dev(items, groups, list(paths))


def rule_coder() -> Coder:
    areas = load(ROOT / "data").areas
    return Coder(load_lexicon(lexicon_path(ROOT / "data"), areas),
                 load_wordlist(wordlist_path(ROOT / "data")))


def candidates(coder: Coder, dev: Dev) -> tuple[list[dict[str, float]], list[int], list[int]]:
    """Features, labels and passage index of every candidate tag."""
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    owner: list[int] = []
    for n, item in enumerate(dev.items):
        p = coder.code_text(item.text, item.id)
        for i, _seg, features in segment_candidates(p.segments, p.tags, coder.lexicon):
            rows.append(dict.fromkeys(features, 1.0))
            labels.append(int(p.tags[i].area in item.areas))
            owner.append(n)
    return rows, labels, owner


def folds(groups: Sequence[str]) -> list[int]:
    """The fold of each passage: whole source documents, assigned in order of appearance."""
    order = {g: n % FOLDS for n, g in enumerate(dict.fromkeys(groups))}
    return [order[g] for g in groups]


def frequent(rows: list[dict[str, float]]) -> set[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    return {f for f, c in counts.items() if c >= MIN_COUNT}


def fit(rows: list[dict[str, float]], labels: list[int], c: float) -> tuple[dict[str, float],
                                                                            float]:
    keep = frequent(rows)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: v for f, v in r.items() if f in keep} for r in rows])
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    clf.fit(x, labels)
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    return weights, float(clf.intercept_[0])


def decision(weights: dict[str, float], bias: float, row: dict[str, float]) -> float:
    return bias + sum(weights.get(f, 0.0) for f in row)


def out_of_fold(rows: list[dict[str, float]], labels: list[int], fold: list[int],
                c: float) -> tuple[np.ndarray, list[tuple[dict[str, float], float]]]:
    z = np.zeros(len(rows))
    models = []
    for k in range(FOLDS):
        train = [i for i in range(len(rows)) if fold[i] != k]
        weights, bias = fit([rows[i] for i in train], [labels[i] for i in train], c)
        models.append((weights, bias))
        for i in range(len(rows)):
            if fold[i] == k:
                z[i] = decision(weights, bias, rows[i])
    return z, models


def log_loss(z: np.ndarray, labels: list[int]) -> float:
    y = np.array(labels)
    p = 1 / (1 + np.exp(-z))
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def platt(z: np.ndarray, labels: list[int]) -> tuple[float, float]:
    clf = LogisticRegression(C=1e6, max_iter=1000)
    clf.fit(z.reshape(-1, 1), labels)
    return float(clf.coef_[0][0]), float(clf.intercept_[0])


class Proposal(NamedTuple):
    """An area proposed (yes, already_exists or unknown) for a passage, and whether it is right."""

    passage: int
    area: int
    confidence: float
    right: bool


def permissive(weights: dict[str, float], bias: float, scale: tuple[float, float],
               rules: Coder) -> Coder:
    """A coder whose band keeps every candidate as a proposal (so a curve can cut anywhere)."""
    return Coder(rules.lexicon, frozenset(), rules.limits,
                 LearnedModel(weights, bias, scale, 1e-6, 1e-6))


def learned_coder(raw: dict[str, Any], rules: Coder) -> Coder:
    """The permissive coder of a trained model file's content."""
    a, b = raw["platt"]
    return permissive(raw["weights"], raw["bias"], (a, b), rules)


def proposals_of(coder: Coder, items: Sequence[GoldItem],
                 which: Sequence[int] | None = None) -> list[Proposal]:
    out = []
    for n in which if which is not None else range(len(items)):
        item = items[n]
        for c in coder.code_text(item.text, item.id).coverage:
            if c.status in (*_PREDICTED, Coverage.UNKNOWN):
                out.append(Proposal(n, c.area, c.confidence, c.area in item.areas))
    return out


def oof_proposals(rules: Coder, dev: Dev, fold_models: list[tuple[dict[str, float], float]],
                  scale: tuple[float, float]) -> list[Proposal]:
    """Every proposal on the development passages, each by the model of the other folds."""
    fold = folds(dev.groups)
    out: list[Proposal] = []
    for k, (weights, bias) in enumerate(fold_models):
        coder = permissive(weights, bias, scale, rules)
        out += proposals_of(coder, dev.items, [n for n in range(len(dev.items)) if fold[n] == k])
    return sorted(out)


def best_yes(proposals: list[Proposal], support: int) -> float:
    """The lowest cut whose out-of-fold micro-F1 is within YES_TOLERANCE of the best."""
    curve = []
    for t in sorted({p[2] for p in proposals}):
        kept = [p for p in proposals if p[2] >= t]
        tp = sum(p[3] for p in kept)
        curve.append((t, 2 * tp / (len(kept) + support)))
    if not curve:
        return 0.5
    best = max(f1 for _, f1 in curve)
    return min(t for t, f1 in curve if f1 >= best - YES_TOLERANCE)


def lowest_abstain(proposals: list[Proposal], yes: float) -> float:
    below = sorted((p for p in proposals if p[2] < yes), key=lambda p: -p[2])
    cut, right = yes, 0
    for n, p in enumerate(below, start=1):
        right += p[3]
        if right / n >= ABSTAIN_PRECISION:
            cut = p[2]
    return cut


@dataclass
class Trained:
    """A model file's content, the out-of-fold proposals it was chosen on, and the dev set."""

    raw: dict[str, Any]
    proposals: list[Proposal]
    dev: Dev

    def coder(self) -> Coder:
        """The rule coder with this model as its scorer, at the model's band."""
        raw, rules = self.raw, rule_coder()
        a, b = raw["platt"]
        model = LearnedModel(raw["weights"], raw["bias"], (a, b), raw["band"]["yes"],
                             raw["band"]["abstain"])
        return Coder(rules.lexicon, load_wordlist(wordlist_path(ROOT / "data")), rules.limits,
                     model)


def train(sources: Sequence[Path] = (SOURCES,)) -> Trained:
    """The model of every development set whose texts are in ``sources``."""
    return train_on(dev_sets(sources))


def train_on(dev: Dev) -> Trained:
    """The model of these passages: its strength, Platt map and band chosen out of fold."""
    coder = rule_coder()
    rows, labels, owner = candidates(coder, dev)
    passage_fold = folds(dev.groups)
    fold = [passage_fold[o] for o in owner]
    losses = {c: log_loss(out_of_fold(rows, labels, fold, c)[0], labels) for c in C_GRID}
    c = min(C_GRID, key=lambda k: (round(losses[k], 4), k))
    z, fold_models = out_of_fold(rows, labels, fold, c)
    scale = platt(z, labels)
    proposals = oof_proposals(coder, dev, fold_models, scale)
    support = sum(len(i.areas) for i in dev.items)
    yes = best_yes(proposals, support)
    abstain = lowest_abstain(proposals, yes)
    weights, bias = fit(rows, labels, c)
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dev.files}
    raw = {"about": "The coder's learned scorer (sdpatlas.coding.learned), written by "
                    "benchmarks/coding_train.py from the development gold sets only.",
           "trained_on": digest, "candidates": len(rows), "C": c,
           "oof_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
           "bias": round(bias, 4), "platt": [round(scale[0], 4), round(scale[1], 4)],
           "band": {"yes": round(yes, 4), "abstain": round(abstain, 4)},
           "weights": {k: round(v, 4) for k, v in sorted(weights.items())
                       if round(v, 4) != 0.0}}
    return Trained(raw, proposals, dev)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, action="append",
                        help=f"a folder of gold texts (repeatable; default {SOURCES})")
    parser.add_argument("--write", action="store_true", help="write data/coding/learned.json")
    args = parser.parse_args()
    result = train(args.sources or (SOURCES,))
    raw, proposals, dev = result.raw, result.proposals, result.dev
    support = sum(len(i.areas) for i in dev.items)
    yes = raw["band"]["yes"]
    kept = [p for p in proposals if p[2] >= yes]
    tp = sum(p[3] for p in kept)
    print(f"{len(dev.items)} dev passages, {raw['candidates']} candidates, C={raw['C']} "
          f"(OOF log-loss {raw['oof_log_loss']}), {len(raw['weights'])} weights")
    print(f"band yes {yes} abstain {raw['band']['abstain']}; out-of-fold micro P "
          f"{tp / len(kept):.3f} R {tp / support:.3f} F1 {2 * tp / (len(kept) + support):.3f}")
    if args.write:
        text = json.dumps(raw, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
        model_path(ROOT / "data").write_text(text, encoding="utf-8")
        print(f"wrote {model_path(ROOT / 'data')} ({len(text) / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
