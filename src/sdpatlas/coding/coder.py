"""The coder: bytes or text in, a proposal with evidence out.

``Coder`` holds the compiled lexicon, the word list and the learned scorer (when the dataset
has one); it is cheap to pickle, so a process pool can share one. Each step is a pure function
of the step before::

    bytes ─extract─▶ raw text ─repair─▶ text ─segment─▶ segments ─tag─▶ tags
          ─rescore (learned scorer)─▶ tags ─propose─▶ coverage
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sdpatlas.coding._vocabulary import Vocabulary, load_wordlist
from sdpatlas.coding.extract import Extracted, extract, read_path
from sdpatlas.coding.learned import LearnedModel, load_model, model_path, rescore
from sdpatlas.coding.lexicon import Lexicon, load_lexicon
from sdpatlas.coding.limits import DEFAULT_LIMITS, Limits
from sdpatlas.coding.propose import AreaProposal, propose
from sdpatlas.coding.repair import repair
from sdpatlas.coding.segment import Segment, segment
from sdpatlas.coding.tag import Tag, tag
from sdpatlas.model import Area

__all__ = ["Coder", "Proposal", "SourceInfo", "lexicon_path", "wordlist_path"]


def lexicon_path(data_dir: Path) -> Path:
    """Where a dataset keeps the coder's lexicon."""
    return data_dir / "coding" / "lexicon.yaml"


def wordlist_path(data_dir: Path) -> Path:
    """Where a dataset keeps the coder's word list."""
    return data_dir / "coding" / "words.txt"


@dataclass(frozen=True)
class SourceInfo:
    """The coded document: name, format, fingerprint, and what happened reading it."""

    name: str
    format: str
    size: int
    sha256: str
    characters: int
    pages: int | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = field(default=())
    repairs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    """A document's text, its segments and the proposed coverage of every area."""

    source: SourceInfo
    text: str
    segments: tuple[Segment, ...]
    tags: tuple[Tag, ...]
    coverage: tuple[AreaProposal, ...]

    def area(self, area_id: int) -> AreaProposal:
        """The proposal for one area; KeyError if the taxonomy has no such area."""
        for item in self.coverage:
            if item.area == area_id:
                return item
        raise KeyError(area_id)


class Coder:
    """Reads documents and proposes their areas of cooperation."""

    def __init__(self, lexicon: Lexicon, words: frozenset[str] = frozenset(),
                 limits: Limits = DEFAULT_LIMITS, model: LearnedModel | None = None) -> None:
        self.lexicon = lexicon if model is None else model.settings_for(lexicon)
        self.vocabulary = Vocabulary(words | lexicon.vocabulary)
        self.limits = limits
        self.model = model

    @classmethod
    def from_data(cls, data_dir: Path, areas: Sequence[Area],
                  limits: Limits = DEFAULT_LIMITS) -> Coder:
        """A coder with the lexicon, word list and learned scorer (if any) of a dataset."""
        learned = model_path(data_dir)
        return cls(load_lexicon(lexicon_path(data_dir), areas),
                   load_wordlist(wordlist_path(data_dir)), limits,
                   load_model(learned) if learned.exists() else None)

    def code_path(self, path: Path) -> Proposal:
        """Code a file; RefusedInput when it cannot or should not be read."""
        return self.code_bytes(read_path(path, self.limits), str(path))

    def code_bytes(self, data: bytes, name: str = "-", fmt: str | None = None) -> Proposal:
        """Code a document given as bytes (format from the name and the bytes, or ``fmt``)."""
        return self.code_extracted(extract(data, name, fmt, self.limits))

    def code_text(self, text: str, name: str = "-") -> Proposal:
        """Code text that is already extracted (still repaired and segmented)."""
        data = text.encode("utf-8")
        return self.code_extracted(Extracted(name, "text", text, len(data),
                                             _sha256(data), encoding="utf-8"))

    def code_extracted(self, extracted: Extracted) -> Proposal:
        """Repair, segment, tag and propose."""
        repaired = repair(extracted.text, self.vocabulary)
        segments = tuple(segment(repaired.text))
        tags = tuple(tag(repaired.text, segments, self.lexicon))
        if self.model is not None:
            tags = tuple(rescore(segments, tags, self.lexicon, self.model))
        source = SourceInfo(extracted.name, extracted.format, extracted.size, extracted.sha256,
                            len(repaired.text), extracted.pages, extracted.encoding,
                            extracted.warnings, repaired.counts)
        return Proposal(source, repaired.text, segments, tags,
                        propose(segments, tags, self.lexicon))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
