"""Who does what in a segment: a light clause analysis of its subject and its act.

A segment states cooperation only when the parties do something together or for each other.
The analysis reads the segment's first clause: its *subject* (the words before the first
verb, after a leading "In 2024," or "On Monday,") and what the rest of the segment does, from
the lexicon's cue groups.

The subject is

- ``joint`` — two actors or more ("the EU and Japan", "Both sides", "The Participants",
  "EU-Japan cooperation", a summit or an agreement), or a cue of the parties;
- ``foreign`` — an actor outside the partnership and the Union (``foreign`` cues: "the
  OSCE", "the African Union", "Russia"), with no cue of the parties: whatever it does, it
  is not the parties' cooperation unless the rest names them ("with the EU");
- ``outsider`` — only the Union's institutions, instruments ("The European Peace Facility")
  or Member States, or Allies (``outsider`` cues): they count only acting with or for a
  partner;
- ``single`` — one actor; ``none`` when no verb is found.

The act is ``together`` with a cue of acting together, for or with another (cooperation,
support, participation, party, exists, explore cues outside the subject), else ``own`` with a
cue of one actor's own measures ("its", "their own", "national"), else ``plain``.

The verdict says why the segment cannot state cooperation, if it cannot:

- ``unilateral`` — one actor (or outsiders) acting on its own: "Japan will strengthen its cyber
  defences", "Allies agreed to boost their own defence industrial production";
- ``other-actor`` — a foreign actor, or outsiders acting with no partner (no cue of the
  parties and no actor named outside the Union): "The OSCE will deploy a monitoring mission",
  "The Commission proposed a regulation on military mobility", "The Council adopted a
  decision establishing a fund financed by the Member States";
- ``context`` — the clause's verb reports a fact, a concern or a threat ("Both sides noted
  that …", "We take note of …", "condemned") and nothing is done together, for or with
  another;
- ``goal`` — the clause's verb restates a commitment or a goal ("are committed to a free and
  open order", "reaffirmed their commitment to the UN Charter") and nothing is done together,
  for or with another;
- ``negated-act`` — the clause's verb is negated: "They did not agree on a common approach
  to autonomous weapons";
- ``statement`` — a bare statement that something is so, with no actor acting: "A secure
  cyberspace is a precondition for economic growth".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sdpatlas.coding._parties import names_an_actor
from sdpatlas.coding.lexicon import Hit

__all__ = ["Agency", "agency"]

_LEAD = re.compile(
    r"\s*(?:(?:in|on|at|during|since|after|before|following|last|this|earlier|today|yesterday"
    r"|next|over|under|meanwhile|moreover|furthermore|additionally|separately|similarly"
    r"|likewise|in addition|at the same time|for its part|for their part)\b[^,;:]{0,80},\s*)+",
    re.I)
_MODAL = frozenset((
    "will", "shall", "would", "should", "can", "could", "may", "might", "must", "is", "are",
    "was", "were", "has", "have", "had", "remains", "remain", "continues", "continue", "intends",
    "intend", "plans", "plan", "aims", "aim", "seeks", "seek", "wants", "want", "agree", "agrees",
    "set", "took", "met", "held", "holds", "hold", "began", "begins", "made", "makes", "sent",
    "sends", "gave", "gives", "became", "becomes", "rose", "grew", "saw", "sees", "led", "leads",
    "announce", "announces", "launch", "launches", "join", "joins", "do", "does", "did",
    "cannot"))
_COPULA = frozenset(("is", "are", "was", "were", "remains", "remain", "becomes", "became",
                     "constitutes", "constitute", "represents", "represent"))
_NOT_VERBS = frozenset((
    "united", "armed", "advanced", "based", "related", "shared", "combined", "integrated",
    "coordinated", "organised", "organized", "enhanced", "detailed", "dedicated", "limited",
    "informed", "interested", "concerned", "affected", "expanded", "targeted", "selected",
    "extended", "unprecedented", "proposed", "so-called"))
_WORD = re.compile(r"[\w'’.-]+")
_JOINT_SUBJECT = re.compile(
    r"\b(?:and|&|with|both|together|jointly|we|our|they|summit|agreement|arrangement|declaration"
    r"|dialogue|consultations|talks|meeting|cooperation|co-operation)\b"
    r"|\b(?:EU|[A-Z][a-z]+)[-–](?:EU|[A-Z][a-z]+)\b", re.I)
_INSTRUMENT = re.compile(
    r"\b(?:[A-Z][\w’'-]*\s+){1,5}(?:Facility|Fund|Instrument|Mechanism|Programme|Program"
    r"|Regulation|Act)\b|\b(?:EPF|EDF|EDIP|SAFE)\b")
_JOINT_NAME = re.compile(r"\b(?:EU|NATO|[A-Z][a-z]+)[-–](?:EU|NATO|[A-Z][a-z]+)\b")
_TOGETHER = frozenset(("cooperation", "support", "participation", "party", "exists",
                       "explore"))
_OWN = frozenset(("own",))
_ACTING = frozenset(("cooperation", "support", "participation", "exists"))
_CLAUSE_AFTER = re.compile(r";|\b(?:but|while|whereas|however|yet|although)\b")
_SUBORDINATE = frozenset(("as", "while", "because", "when", "if", "although", "though",
                          "whereas", "that", "which", "who", "where", "amid", "despite"))
_FUNCTION_WORDS = frozenset(("the", "of", "and", "in", "on", "for", "with", "to", "a", "an",
                             "its", "their", "our", "from", "by", "at", "or"))
_DETERMINERS = frozenset(("The", "A", "An", "This", "These", "That", "Those", "Its", "Their",
                          "Our", "Both", "Each", "All", "Some", "Many"))
_ACTORS = frozenset(("sides", "parties", "participants", "partners", "leaders", "ministers",
                     "countries", "states", "allies", "governments", "officials", "we", "they"))
_PRONOUNS = frozenset(("we", "they", "it", "he", "she"))
_NOT_NEGATING = frozenset(("only", "just", "least", "limited", "merely"))
_MAX_SUBJECT_WORDS = 14


@dataclass(frozen=True)
class Agency:
    """The subject and act of a segment's first clause, and the verdict they give."""

    subject: str
    act: str
    verdict: str | None


def agency(text: str, start: int, end: int, cues: Iterable[tuple[Hit, frozenset[str]]]
           ) -> Agency:
    """The agency of the segment ``text[start:end]``, given its cues and their groups."""
    verb, copula, negated, reach = _first_verb(text, start, end)
    cues = list(cues)
    subject_cues = {g for c, groups in cues if verb is not None and c.end <= verb
                    for g in groups}
    rest = {g for c, groups in cues if verb is None or c.start >= verb for g in groups}
    subject = _subject(text[start:verb] if verb is not None else "", subject_cues)
    together = rest & _TOGETHER or subject_cues & (_TOGETHER - {"party"})
    act = "together" if together else "own" if rest & _OWN else "plain"
    at_verb = {g for c, groups in cues if verb is not None and verb <= c.start < reach
               for g in groups}
    acting = bool((rest | subject_cues) & _ACTING)
    if negated and not _CLAUSE_AFTER.search(text, verb or start, end):
        verdict: str | None = "negated-act"
    elif "context" in at_verb and not acting:
        verdict = "context"
    elif "goal" in at_verb and not acting:
        verdict = "goal"
    else:
        alone = subject == "outsider" and "party" not in rest \
            and not names_an_actor(text[start:end])
        verdict = _verdict(subject, act, copula, rest, alone)
    return Agency(subject, act, verdict)


def _verdict(subject: str, act: str, copula: bool, rest: set[str], alone: bool) -> str | None:
    if (subject == "foreign" and not rest & {"party", "support", "participation"}) or (
            alone and act != "own"):
        return "other-actor"
    if act == "own" and subject in ("single", "outsider"):
        return "unilateral"
    if act == "together" or subject == "joint":
        return None
    if subject == "outsider":
        return "other-actor"
    if copula and not rest & {"engagement", "response", "cooperation", "support"}:
        return "statement"
    return None


def _subject(words: str, cues: set[str]) -> str:
    if not words.strip():
        return "none"
    if "foreign" in cues and "party" not in cues:
        return "foreign"
    if cues & {"party", "cooperation"} or _JOINT_SUBJECT.search(words) \
            or _JOINT_NAME.search(words):
        return "joint"
    if "outsider" in cues or _INSTRUMENT.search(words):
        return "outsider"
    return "single"


class _Verb(NamedTuple):
    start: int | None
    copula: bool
    negated: bool
    reach: int = 0  # a cue starting before this belongs to the verb ("noted that")


def _first_verb(text: str, start: int, end: int) -> _Verb:
    """Where the first clause's verb starts, and whether it is a copula ("is", "remains")."""
    lead = _LEAD.match(text, start, end)
    position = lead.end() if lead else start
    found = list(itertools.islice(_WORD.finditer(text, position, end), _MAX_SUBJECT_WORDS + 4))
    words, starts = [m.group() for m in found], [m.start() for m in found]
    for n in range(1, min(len(words), _MAX_SUBJECT_WORDS)):
        word, low = words[n], words[n].casefold()
        after = [w.casefold() for w in words[n + 1:n + 4]]
        if low in _SUBORDINATE:
            break
        if low in _MODAL or _past(word) or (n == 1 and words[0].casefold() in _PRONOUNS):
            return _Verb(starts[n], low in _COPULA, _negated(low, after), _reach(starts, n))
        if _third_person(word, words[n - 1]) and not (after[:1] and (
                after[0] in _MODAL or _past(after[0]))):
            return _Verb(starts[n], False, _negated(low, after), _reach(starts, n))
    for n in range(1, min(len(words), _MAX_SUBJECT_WORDS)):
        if words[n][:1].isupper() or words[n] in _FUNCTION_WORDS:
            continue
        if _after_actor(words[n], words[n - 1]) and words[n] not in _SUBORDINATE:
            after = [w.casefold() for w in words[n + 1:n + 4]]
            return _Verb(starts[n], False, _negated(words[n].casefold(), after),
                         _reach(starts, n))
        break
    return _Verb(None, False, False)


def _reach(starts: list[int], n: int) -> int:
    """Where the second word after the verb ``n`` starts (or far beyond the segment): a cue
    that starts before it is the verb's own ("noted that", "took note")."""
    return starts[n + 2] if n + 2 < len(starts) else 1 << 62


def _after_actor(word: str, previous: str) -> bool:
    """A verb in its base form after a named actor or a plural of actors ("Japan and the EU
    emphasize", "Both sides agree")."""
    if not word.islower() or word in _FUNCTION_WORDS or len(word) < 3:
        return False
    named = previous[:1].isupper() and previous not in _DETERMINERS
    return named or previous.casefold() in _ACTORS


def _negated(verb: str, after: list[str]) -> bool:
    """Whether the verb is negated ("did not agree", "will never", "cannot")."""
    if verb in ("cannot", "can't", "won't"):
        return True
    for n, word in enumerate(after[:2]):
        if word in ("not", "never", "no", "n't"):
            return not (n + 1 < len(after) and after[n + 1] in _NOT_NEGATING)
    return False


def _past(word: str) -> bool:
    return word.islower() and word.endswith("ed") and len(word) > 4 and word not in _NOT_VERBS


def _third_person(word: str, previous: str) -> bool:
    """A verb such as "adopts" after a name ("Japan adopts")."""
    return (word.islower() and word.endswith("s") and not word.endswith("ss") and len(word) > 3
            and previous[:1].isupper() and not previous.endswith(("'s", "’s")))
