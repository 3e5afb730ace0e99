"""Whose cooperation a segment speaks of: named parties, or partners in general.

A partnership's texts name the parties ("Japan", "the Participants", "Both sides", "Norway's
participation", "Korean officers"). A text that explains an instrument or a policy in general
names its partners only as a kind — "third countries", "partner countries", "Third State
participation" — with no partner named and no joint actor: "The Peace Facility will allow us
to support our partner countries", "These measures may include equipment at the request of
third countries". It states how the Union works with partners at large, not a partnership's
cooperation.

Named actors are words in capitals that are not the Union's own (its institutions, instruments
and policies, and the kinds of agreement and mission, listed in ``_UNION_WORDS`` with the words
of dates and the determiners of a heading; an acronym in brackets repeats a name, a word in
quotes names a thing) and do not
merely open the sentence; a first word counts when it is a possessive ("Norway's") or a
nationality ("Norwegian").
"""

from __future__ import annotations

import re

__all__ = ["is_general", "names_an_actor"]

_GENERIC = re.compile(
    r"\b(?:third|partner|non-EU)[\s-]+(?:countr(?:y|ies)|states?|nations?)\b"
    r"|\b(?:other|between) partners\b",
    re.I)
_JOINT = re.compile(
    r"\b(?:both sides|the (?:two )?(?:parties|sides|partners)|participants|bilateral\w*|jointly"
    r"|together)\b|\bjoint\s+(?!(?:\w+\s+)?threats?\b)|^\W*(?:they|we)\b", re.I)
_PARTICIPATION = re.compile(r"\b(?:second\w*|contribut\w*|deploy\w*)\b", re.I)
_CAPITALISED = re.compile(r"(?<![\w.(“\"‘])[A-Z][\w’'.-]*")
_BEFORE_WORD = frozenset(" \t\n\"“‘'")
_POSSESSIVE = re.compile(r"[’'](?:s$|$)")
_NATIONALITY = re.compile(r"^[A-Z][a-z]{2,}(?:ian|ese|ish|ean|an|i)$")
_UNION_WORDS = frozenset((
    "EU", "E.U", "European", "Europe", "Union", "Council", "Commission", "Parliament",
    "Member", "States", "State", "Third", "Countries", "Country", "Partner", "Partners",
    "High", "Representative", "Peace", "Facility", "Fund", "Defence", "Defense", "Agency",
    "Security", "Policy", "Common", "Foreign", "CSDP", "CFSP", "EPF", "SAFE", "EDA", "EDF",
    "EDIP", "PESCO", "EEAS", "Strategic", "Compass", "Instrument", "Non-EU", "Team", "Global",
    "Gateway", "Agreement", "Agreements", "Information", "Framework", "Participation",
    "Crisis", "Management", "Mission", "Missions", "Operation", "Operations", "Delegation",
    "Delegations", "External", "Action", "Service", "Secretariat", "General", "Presidency",
    "Institutions", "Budget", "Multiannual", "Financial", "International", "Humanitarian",
    "Human", "Rights", "Law", "The", "A", "An", "This", "These", "Those", "That", "It", "Its",
    "Their", "Our", "In", "On", "At", "For", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))


def is_general(text: str) -> bool:
    """Partners named only as a kind, with no named or joint actor and no partner taking part
    in the Union's work ("Partner countries second staff to the missions")."""
    return bool(_GENERIC.search(text) and not _JOINT.search(text)
                and not _PARTICIPATION.search(text) and not names_an_actor(text))


def names_an_actor(text: str) -> bool:
    """Whether a capitalised word names an actor outside the Union."""
    for m in _CAPITALISED.finditer(text):
        word = m.group().rstrip(".")
        bare = _POSSESSIVE.sub("", word)
        if _opens_sentence(text, m.start()):
            if bare != word or (_NATIONALITY.match(bare) and bare not in _UNION_WORDS):
                return True
            continue
        if bare not in _UNION_WORDS:
            return True
    return False


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` is the first of its sentence (after spaces and quotes)."""
    j = at
    while j > 0 and text[j - 1] in _BEFORE_WORD:
        j -= 1
    return j == 0 or text[j - 1] in ".!?:"
