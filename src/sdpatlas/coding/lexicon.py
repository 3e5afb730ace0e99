"""The tagger's knowledge, read from ``data/coding/lexicon.yaml`` and compiled for speed.

Areas are named by their taxonomy key and checked against the dataset's taxonomy, so the
lexicon never restates the taxonomy. Term syntax (case-insensitive):

- a space matches any run of spaces and hyphens, a hyphen matches a hyphen, a space or
  nothing ("counter-terrorism" matches "counterterrorism" and "counter terrorism");
- ``*`` matches the rest of a word ("cooperat*"); a final plural "s" is always allowed, and
  "es" after s, x, z, ch and sh ("not" does not match "notes").

Acronyms are case-sensitive whole words. Patterns are Python regular expressions
(case-insensitive). Overlapping terms resolve to the longest match, so a long term listed
under several areas ("maritime capacity building") speaks for all of them; every entry that
spells the matched string counts, exact and wildcard alike ("mission" and "mission*"). A
pattern's trigger inside a longer trigger ("forces" in "armed forces") still triggers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sdpatlas import yamlio
from sdpatlas.coding._errors import LexiconError
from sdpatlas.model import Area, AreaId

__all__ = ["CUE_GROUPS", "KINDS", "Entry", "Hit", "Lexicon", "load_lexicon"]

KINDS = ("term", "acronym", "pattern", "threat")
TIERS = ("strong", "medium", "weak")
CUE_GROUPS = ("cooperation", "engagement", "response", "support", "explore", "exists",
              "negation", "negation_after", "neutral", "context", "internal", "party",
              "participation", "own", "outsider", "foreign", "goal")
_AREA_KEYS = {"strong", "medium", "weak", "acronyms", "patterns", "threats", "exclusions",
              "requires", "existence", "yields_to", "note"}
_TOP_KEYS = {"version", "weights", "settings", "cues", "areas"}
_SEP = re.compile(r"[\s\-–—]+")
_WORD = re.compile(r"\w+")
_ES_PLURAL = ("ses", "xes", "zes", "ches", "shes")  # "-es" plurals: "taxes", not "notes"


@dataclass(frozen=True)
class Entry:
    """What a matched string means for one area."""

    area: AreaId
    weight: float
    kind: str
    label: str
    requires: str | None = None


@dataclass(frozen=True)
class Hit:
    """A match in the text: its span, the matched string and what it means."""

    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Settings:
    """Numbers the tagger and the proposal use; all live in the lexicon file."""

    no_cue_factor: float = 0.7
    tag_threshold: float = 0.6
    yes_threshold: float = 0.6
    abstain_floor: float = 0.3
    negation_window: int = 6
    negation_after_window: int = 4
    requires_window: int = 8
    evidence_per_area: int = 5


@dataclass
class _Matcher:
    """One compiled regex and the index that turns a match into entries."""

    regex: re.Pattern[str]
    exact: dict[str, tuple[Entry, ...]]
    wild: list[tuple[re.Pattern[str], tuple[Entry, ...]]]
    cache: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    folded: re.Pattern[str] | None = None

    def hits(self, text: str, lower: str | None = None) -> Iterator[Hit]:
        """Matches in ``text``; ``lower`` (``text.lower()``, same length) makes it faster."""
        if lower is not None and self.folded is not None:
            for m in self.folded.finditer(lower):
                matched = text[m.start():m.end()]
                entries = self.lookup(matched)
                if entries:
                    yield Hit(m.start(), m.end(), matched, entries)
            return
        for m in self.regex.finditer(text):
            entries = self.lookup(m.group())
            if entries:
                yield Hit(m.start(), m.end(), m.group(), entries)

    def nested_hits(self, text: str, lower: str | None = None) -> Iterator[Hit]:
        """Like ``hits``, each hit also carrying the entries of the shorter matches inside it
        ("forces" inside "armed forces"), for matchers where every entry counts."""
        for hit in self.hits(text, lower):
            inner = [hit.entries]
            bounds = [m.span() for m in _WORD.finditer(hit.text)]
            for i, (begin, _) in enumerate(bounds):
                for _, end in bounds[i:]:
                    if end - begin < len(hit.text):
                        inner.append(self.lookup(hit.text[begin:end]))
            yield Hit(hit.start, hit.end, hit.text, tuple(dict.fromkeys(e for es in inner
                                                                        for e in es)))

    def lookup(self, matched: str) -> tuple[Entry, ...]:
        """The entries of every term the matched string spells, exact and wildcard alike."""
        found = self.cache.get(matched)
        if found is not None:
            return found
        key = _SEP.sub("", matched.casefold())
        exact = (self.exact.get(key) or self.exact.get(key[:-1] if key.endswith("s") else "")
                 or self.exact.get(key[:-2] if key.endswith(_ES_PLURAL) else "") or ())
        low = " ".join(matched.casefold().split())
        wild = tuple(e for pattern, entries in self.wild if pattern.fullmatch(low)
                     for e in entries)
        found = tuple(dict.fromkeys(exact + wild))
        if len(self.cache) < 100_000:
            self.cache[matched] = found
        return found


@dataclass
class Lexicon:
    """Compiled matchers for terms, acronyms, patterns, exclusions and cues."""

    areas: tuple[Area, ...]
    settings: Settings
    terms: _Matcher
    acronyms: _Matcher | None
    patterns: tuple[tuple[re.Pattern[str], Entry], ...]
    triggers: _Matcher | None
    gated: frozenset[int]
    exclusions: _Matcher | None
    cues: _Matcher
    existence: frozenset[AreaId]
    vocabulary: frozenset[str]
    yields: dict[AreaId, frozenset[AreaId]] = field(default_factory=dict)

    def area_ids(self) -> tuple[AreaId, ...]:
        """The ids of every area, in taxonomy order."""
        return tuple(a.id for a in self.areas)


# ---------------------------------------------------------------- loading and validation

def load_lexicon(path: Path, areas: Sequence[Area]) -> Lexicon:
    """Read and compile a lexicon file; LexiconError names the problem and where."""
    return _load_cached(path.resolve(), tuple(areas), path.stat().st_mtime_ns)


@cache
def _load_cached(path: Path, areas: tuple[Area, ...], _mtime: int) -> Lexicon:
    doc = yamlio.read(path, str(path))
    if doc.findings:
        raise LexiconError(f"cannot read the lexicon: {doc.findings[0]}")
    return compile_lexicon(doc.root, areas, str(path))


def compile_lexicon(raw: Any, areas: Sequence[Area], where: str = "lexicon") -> Lexicon:
    """Compile an already-parsed lexicon mapping against the taxonomy's areas."""
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: the lexicon must be a mapping")
    _unknown(raw, _TOP_KEYS, where)
    weights = _weights(raw.get("weights", {}), where)
    settings = Settings(**_mapping(raw.get("settings", {}), f"{where}: settings"))
    by_key = {a.key: a for a in areas}
    spec = _mapping(raw.get("areas"), f"{where}: areas")
    missing = sorted(set(by_key) - set(spec))
    if missing:
        raise LexiconError(f"{where}: no entry for the taxonomy areas {', '.join(missing)}; "
                           "add one (it may be empty) for each")
    builder = _Builder(weights)
    existence: set[AreaId] = set()
    yields: dict[AreaId, set[AreaId]] = {}
    for key, body in spec.items():
        if key not in by_key:
            raise LexiconError(f"{where}: areas.{key} is not a taxonomy area key; use one of "
                               f"{', '.join(sorted(by_key))}")
        area = by_key[key]
        fields = _mapping(body or {}, f"{where}: areas.{key}")
        _unknown(fields, _AREA_KEYS, f"{where}: areas.{key}")
        builder.area(area.id, fields, f"{where}: areas.{key}")
        if fields.get("existence"):
            existence.add(area.id)
        for other in _strings(fields.get("yields_to"), f"{where}: areas.{key}.yields_to"):
            if other not in by_key:
                raise LexiconError(f"{where}: areas.{key}.yields_to names {other!r}, not a "
                                   "taxonomy area key")
            yields.setdefault(area.id, set()).add(by_key[other].id)
    cues = _Builder(weights)
    for group, terms in _mapping(raw.get("cues"), f"{where}: cues").items():
        if group not in CUE_GROUPS:
            raise LexiconError(f"{where}: cues.{group} is not a cue group; use one of "
                               f"{', '.join(CUE_GROUPS)}")
        for term in _strings(terms, f"{where}: cues.{group}"):
            cues.add_term(term, Entry(0, 1.0, group, term))
    vocabulary = set()
    for area in areas:
        vocabulary.update(_SEP.split(f"{area.label} {area.short} {area.definition}".casefold()))
    vocabulary.update(w for t in builder.labels for w in re.findall(r"[^\W\d_]+", t.casefold()))
    return Lexicon(
        areas=tuple(areas), settings=settings, terms=builder.matcher(),
        acronyms=builder.acronym_matcher(), patterns=tuple(builder.patterns),
        triggers=builder.trigger_matcher(), gated=frozenset(builder.gated),
        exclusions=builder.exclusion_matcher(), cues=cues.matcher(),
        existence=frozenset(existence), vocabulary=frozenset(vocabulary),
        yields={a: frozenset(o) for a, o in yields.items()})


def _unknown(mapping: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(mapping) - allowed)
    if extra:
        raise LexiconError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: "
                           f"{', '.join(sorted(allowed))}")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LexiconError(f"{where} must be a mapping")
    return {str(k): v for k, v in value.items()}


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where} must be a list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise LexiconError(f"{where}: {item!r} is not a non-empty string (quote words "
                               "such as no, yes, on, off, which YAML reads as booleans)")
    return [v.strip() for v in value]


def _weights(value: Any, where: str) -> dict[str, float]:
    weights = {"strong": 1.0, "medium": 0.7, "weak": 0.4}
    for tier, number in _mapping(value, f"{where}: weights").items():
        if tier not in TIERS or not isinstance(number, int | float) or not 0 < number <= 1:
            raise LexiconError(f"{where}: weights.{tier} must be a tier ({', '.join(TIERS)}) "
                               "with a number in (0, 1]")
        weights[tier] = float(number)
    return weights


# ---------------------------------------------------------------- compiling

class _Builder:
    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights
        self.trie: dict[str, Any] = {}
        self.exact: dict[str, list[Entry]] = {}
        self.wild: dict[str, list[Entry]] = {}
        self.acronyms: dict[str, list[Entry]] = {}
        self.patterns: list[tuple[re.Pattern[str], Entry]] = []
        self.trig_trie: dict[str, Any] = {}
        self.gated: set[int] = set()
        self.trig_exact: dict[str, list[Entry]] = {}
        self.trig_wild: dict[str, list[Entry]] = {}
        self.excl_trie: dict[str, Any] = {}
        self.excl_exact: dict[str, list[Entry]] = {}
        self.excl_wild: dict[str, list[Entry]] = {}
        self.labels: list[str] = []

    def area(self, area: AreaId, body: dict[str, Any], where: str) -> None:
        requires = body.get("requires")
        if requires is not None and requires not in CUE_GROUPS:
            raise LexiconError(f"{where}.requires must be a cue group, not {requires!r}")
        for tier in TIERS:
            for term in _strings(body.get(tier), f"{where}.{tier}"):
                self.add_term(term, Entry(area, self.weights[tier], "term", term, requires))
        for tier, terms in _mapping(body.get("threats", {}), f"{where}.threats").items():
            for term in _strings(terms, f"{where}.threats.{tier}"):
                self.add_term(term, Entry(area, self._tier(tier, where), "threat", term,
                                          requires))
        for tier, terms in _mapping(body.get("acronyms", {}), f"{where}.acronyms").items():
            for acronym in _strings(terms, f"{where}.acronyms.{tier}"):
                entry = Entry(area, self._tier(tier, where), "acronym", acronym, requires)
                self.acronyms.setdefault(acronym, []).append(entry)
        for i, item in enumerate(body.get("patterns") or []):
            self._pattern(area, item, f"{where}.patterns[{i}]", requires)
        for term in _strings(body.get("exclusions"), f"{where}.exclusions"):
            self._add(term, Entry(area, 0.0, "exclusion", term), self.excl_trie,
                      self.excl_exact, self.excl_wild)

    def _tier(self, tier: str, where: str) -> float:
        if tier not in self.weights:
            raise LexiconError(f"{where}: {tier!r} is not a tier; use {', '.join(TIERS)}")
        return self.weights[tier]

    def _pattern(self, area: AreaId, item: Any, where: str, requires: str | None) -> None:
        item = _mapping(item, where)
        _unknown(item, {"regex", "weight", "name", "kind", "trigger"}, where)
        try:
            regex = re.compile(str(item["regex"]), re.IGNORECASE)
        except (KeyError, re.error) as exc:
            raise LexiconError(f"{where}: a pattern needs a valid 'regex' ({exc})") from exc
        kind = item.get("kind", "pattern")
        if kind not in ("pattern", "threat"):
            raise LexiconError(f"{where}: kind must be 'pattern' or 'threat'")
        name = str(item.get("name", item["regex"]))
        self.labels.append(name)
        index = len(self.patterns)
        self.patterns.append((regex, Entry(area, self._tier(str(item.get("weight", "strong")),
                                                            where), kind, name, requires)))
        for term in _strings(item.get("trigger"), f"{where}.trigger"):
            self.gated.add(index)
            self._add(term, Entry(index, 0.0, "trigger", term), self.trig_trie,
                      self.trig_exact, self.trig_wild)

    def add_term(self, term: str, entry: Entry) -> None:
        self.labels.append(term)
        self._add(term, entry, self.trie, self.exact, self.wild)

    @staticmethod
    def _add(term: str, entry: Entry, trie: dict[str, Any], exact: dict[str, list[Entry]],
             wild: dict[str, list[Entry]]) -> None:
        atoms = _atoms(term)
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
        if "*" in atoms:
            wild.setdefault(_wild_regex(atoms), []).append(entry)
        else:
            exact.setdefault("".join(a for a in atoms if len(a) == 1 and a not in " -"),
                             []).append(entry)

    def matcher(self) -> _Matcher:
        return _matcher(self.trie, self.exact, self.wild)

    def trigger_matcher(self) -> _Matcher | None:
        if not self.trig_trie:
            return None
        return _matcher(self.trig_trie, self.trig_exact, self.trig_wild)

    def exclusion_matcher(self) -> _Matcher | None:
        return _matcher(self.excl_trie, self.excl_exact, self.excl_wild) if self.excl_trie else None

    def acronym_matcher(self) -> _Matcher | None:
        if not self.acronyms:
            return None
        names = sorted(self.acronyms, key=len, reverse=True)
        regex = re.compile(r"(?<![\w/-])(?:" + "|".join(re.escape(n) for n in names)
                           + r")(?:s|'s|’s)?(?![\w])")
        exact = {n: tuple(e) for n, e in self.acronyms.items()}
        return _AcronymMatcher(regex, exact, [])


class _AcronymMatcher(_Matcher):
    def lookup(self, matched: str) -> tuple[Entry, ...]:
        name = re.sub(r"(?:'s|’s|s)$", "", matched)
        return self.exact.get(matched) or self.exact.get(name) or ()


def _atoms(term: str) -> list[str]:
    atoms: list[str] = []
    for ch in " ".join(term.casefold().split()):
        atoms.append({" ": " ", "-": "-", "–": "-", "*": "*"}.get(ch, ch))
    return atoms


_ATOM_RE = {" ": r"[\s\-–—]+", "-": r"[\s\-–—]?", "*": r"\w*"}


def _atom_regex(atom: str) -> str:
    return _ATOM_RE.get(atom, re.escape(atom))


def _wild_regex(atoms: Iterable[str]) -> str:
    return "".join(_atom_regex(a) for a in atoms) + r"(?:e?s)?"


def _trie_regex(node: dict[str, Any]) -> str:
    ordered = sorted((a for a in node if a), key=lambda a: (a in _ATOM_RE, a))
    alternatives = [_atom_regex(a) + _trie_regex(node[a]) for a in ordered]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def _matcher(trie: dict[str, Any], exact: dict[str, list[Entry]],
             wild: dict[str, list[Entry]]) -> _Matcher:
    source = r"(?<!\w)(?:" + _trie_regex(trie) + r")(?:e?s)?(?!\w)"
    return _Matcher(re.compile(source, re.IGNORECASE), {k: tuple(v) for k, v in exact.items()},
                    [(re.compile(p), tuple(e)) for p, e in wild.items()],
                    folded=re.compile(source))
