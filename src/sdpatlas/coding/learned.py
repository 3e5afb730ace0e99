"""The learned scorer: a calibrated probability for each of the rule tagger's proposals.

The rules propose; this component only weighs what they propose. Every tag the tagger made
(except a negated mention, a survey of other partnerships, partners named only in general and a
list item that takes its cue from its lead-in — "The Participants intend to cooperate on: –
space;", which the codebook counts item by item — all of which stay the rules' call) is a
candidate: a linear model over the tagger's own features (the area, the rule, the polarity, the
matched terms, the segment's cue groups, the other areas tagged beside it, the segment's kind;
each also for its area) and the segment's words (alone, for how a text speaks — reports,
defines, describes the Union's own policy — and for its area, for what a word says of that
area) gives it a probability that the segment states cooperation in that area, mapped by a
Platt scaling fitted out of fold. A tag at or above the band's ``yes`` threshold is positive
with that probability as its score, a tag between ``abstain`` and ``yes`` is positive too but
too weak to be proposed (the coder answers ``unknown``), and a positive tag below ``abstain``
is vetoed (kept as a ``learned-veto`` note). A note (the rules' no) stays as it was unless the
model is sure enough to say yes: then it becomes positive (rule ``…+learned``) with its own
segment and matched term as evidence: the model never invents evidence, so spans stay exact.

The model is data (``data/coding/learned.json``): weights, the Platt map and the band, written
by ``benchmarks/coding_train.py`` from the development gold sets only, deterministically. No
learning library is needed to use it.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sdpatlas.coding._agency import agency
from sdpatlas.coding._errors import LexiconError
from sdpatlas.coding._structure import is_recital, outside_names
from sdpatlas.coding.lexicon import Lexicon
from sdpatlas.coding.segment import Segment
from sdpatlas.coding.tag import Tag, lead_in
from sdpatlas.paths import DataFileError, read_data_file

__all__ = ["VETO", "LearnedModel", "candidate_features", "load_model", "model_path", "rescore",
           "segment_candidates"]

VETO = "learned-veto"
_TOKEN = re.compile(r"[^\W\d_]+")
_UNSCORED = frozenset(("negated", "requires-cue", "survey", "general"))


@dataclass(frozen=True)
class LearnedModel:
    """Weights of a logistic model, its Platt map and the abstention band."""

    weights: dict[str, float]
    bias: float
    platt: tuple[float, float]
    yes: float
    abstain: float

    def probability(self, features: Sequence[str]) -> float:
        """The calibrated probability that a candidate with these features is right."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        a, b = self.platt
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * z + b))))

    def settings_for(self, lexicon: Lexicon) -> Lexicon:
        """The lexicon with the proposal's thresholds set to this model's band."""
        settings = replace(lexicon.settings, tag_threshold=self.yes, yes_threshold=self.yes,
                           abstain_floor=self.abstain)
        return replace(lexicon, settings=settings)


def model_path(data_dir: Path) -> Path:
    """Where a dataset keeps the learned scorer."""
    return data_dir / "coding" / "learned.json"


def load_model(path: Path) -> LearnedModel:
    """Read a model file (once per version of it); LexiconError says what is wrong with it."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the learned scorer: {exc.strerror}") from exc
    return _load_cached(path.resolve(), mtime)


@cache
def _load_cached(path: Path, _mtime: int) -> LearnedModel:
    try:
        raw = json.loads(read_data_file(path).decode("utf-8"))
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        a, b = (float(x) for x in raw["platt"])
        band = raw["band"]
        model = LearnedModel(weights, float(raw["bias"]), (a, b), float(band["yes"]),
                             float(band["abstain"]))
    except DataFileError as exc:
        raise LexiconError(f"{path} (the learned scorer) {exc.message}") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LexiconError(f"{path}: not a learned scorer (needs weights, bias, platt [a, b] "
                           f"and band {{yes, abstain}}): {exc}") from exc
    if not 0.0 <= model.abstain <= model.yes <= 1.0:
        raise LexiconError(f"{path}: band.abstain must be at most band.yes, both in [0, 1]")
    return model


def candidate_features(seg: Segment, t: Tag, beside: Sequence[Tag],
                       cue_groups: frozenset[str], clause: Sequence[str] = ()) -> list[str]:
    """The features of one candidate tag: the tagger's and the segment's clause analysis
    (``clause``: its subject, act and structure) and the segment's words, each once alone and
    once for its area."""
    base = [f"pol:{t.polarity}", f"rule:{t.rule}", f"kind:{seg.kind}",
            f"score:{round(t.score, 1)}", f"n:{min(len(beside), 4)}", *clause]
    base += [f"term:{' '.join(x.casefold().split())}" for x in t.terms]
    base += [f"cue:{g}" for g in sorted(cue_groups)]
    base += [f"with:{o.area}" for o in beside if o.area != t.area and o.polarity == "positive"]
    area = f"a{t.area}"
    words = dict.fromkeys(f"w:{w}" for w in _TOKEN.findall(seg.text.casefold()))
    return [area, *base, *words, *(f"{area}|{f}" for f in (*base, *words))]


def segment_candidates(segments: Sequence[Segment], tags: Sequence[Tag],
                       lexicon: Lexicon) -> Iterator[tuple[int, Segment, list[str]]]:
    """(index into ``tags``, its segment, its features) for every tag the model scores."""
    by_id = {s.id: s for s in segments}
    listed = _listed_under_cooperation(segments, lexicon)
    by_segment: dict[str, list[Tag]] = defaultdict(list)
    for t in tags:
        by_segment[t.segment].append(t)
    analysed: dict[str, tuple[frozenset[str], list[str]]] = {}
    for i, t in enumerate(tags):
        if t.polarity in _UNSCORED:
            continue
        seg = by_id[t.segment]
        if seg.id in listed:
            continue  # the codebook counts a list of areas of cooperation item by item
        if seg.id not in analysed:
            analysed[seg.id] = _analysis(seg, lexicon)
        groups, clause = analysed[seg.id]
        yield i, seg, candidate_features(seg, t, by_segment[seg.id], groups, clause)


def _listed_under_cooperation(segments: Sequence[Segment], lexicon: Lexicon) -> set[str]:
    """The segments that are items of a list whose lead-in states cooperation ("The
    Participants intend to cooperate on:")."""
    cooperating: dict[int, bool] = {}
    out: set[str] = set()
    for index, seg in enumerate(segments):
        lead = lead_in(segments, index)
        if lead is None:
            continue
        if lead not in cooperating:
            cooperating[lead] = any(e.kind == "cooperation" for h in
                                    lexicon.cues.hits(segments[lead].text) for e in h.entries)
        if cooperating[lead]:
            out.add(seg.id)
    return out


def _analysis(seg: Segment, lexicon: Lexicon) -> tuple[frozenset[str], list[str]]:
    """A segment's cue groups, and its clause features: subject, act and structure."""
    hits = outside_names(seg.text, 0, len(seg.text), list(lexicon.cues.hits(seg.text)))
    grouped = [(h, frozenset(e.kind for e in h.entries)) for h in hits]
    found = agency(seg.text, 0, len(seg.text), grouped)
    clause = [f"subj:{found.subject}", f"act:{found.act}"]
    if is_recital(seg.text):
        clause.append("recital")
    return frozenset(g for _, groups in grouped for g in groups), clause


def rescore(segments: Sequence[Segment], tags: Sequence[Tag], lexicon: Lexicon,
            model: LearnedModel) -> list[Tag]:
    """The tags with each candidate's score replaced by the model's probability."""
    out = list(tags)
    for i, _seg, features in segment_candidates(segments, tags, lexicon):
        out[i] = _rescored(tags[i], model.probability(features), model, lexicon, features)
    return out


def _rescored(t: Tag, p: float, model: LearnedModel, lexicon: Lexicon,
              features: list[str]) -> Tag:
    score = round(p, 4)
    if t.polarity == "positive":
        if p < model.abstain:
            return replace(t, polarity=VETO, score=score, rule=f"{t.rule}+{VETO}")
        return replace(t, score=score)
    if p < model.yes:
        return t
    exists = t.exists
    if t.area in lexicon.existence and exists is None:
        exists = "cue:exists" in features and "cue:explore" not in features
    return replace(t, polarity="positive", score=score, rule=f"{t.rule}+learned",
                   exists=exists)
