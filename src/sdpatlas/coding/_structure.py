"""Document structure: which segments are metadata, and which are preamble recitals.

*Metadata* states nothing, whatever areas it names: a header line ("Subject: …",
"Distribution: …", "From: … To: …"), a document's type and title ("EEAS Factsheet – …"),
a cover note ("Delegations will find attached …"), a document reference ("(OR. en)",
"JOIN(2025) 41", "7311/25"), a line of the Council's subject codes, with numbers
("COPS 121 CYBER 81 HYBRID 27") or without ("CFSP/PESC COPS CYBER HYBRID"), or a web page's
furniture copied with its text (photo credits, "Read more", "Subscribe to our newsletter",
"This content has been archived", "All rights reserved"). A line of capitals with words such as
"AND" or "ON" is a title, not codes.

A cue inside the *name* of an act, fund or body ("Support" in "the Ukraine Support
Instrument", "Solidarity" in "the Cyber Solidarity Act", "Fund" in "the European Defence
Fund") names it; it is no cue of what the parties do.

An *attribution* names who speaks ("Operation Atalanta said", "according to an EEAS
statement", "the mission said") or a person's or an office's title ("the EU Counter-Terrorism
Coordinator", "Director of Counter-Terrorism"), or who chairs, heads or accompanies a meeting or a
delegation ("The delegation was led by …, who was accompanied by …"): it is no subject of
cooperation.

A *backdrop* sets the scene for what the parties do, and is no part of it: a phrase opened by
"amid" ("…, amid Russia's war against Ukraine") or describing the times ("an era where …", "a
security environment marked by …"), or a leading phrase that acknowledges a threat
or a fact before the main clause ("Acknowledging the growing threat of hybrid warfare, the EU
and Korea will …") unless the main clause takes it up ("…, they will counter them").

A *dated* agreement exists: "signed in 2008", "in force since 2016", "the 2014 agreement",
"dates from 2004".

A *survey* speaks of several partnerships at once, as an outside observer compares them ("All
existing SDPs outline …", "5 of the agreements mention …", "the agreements with Japan and Korea
each specify …", "the EU has separately pledged cooperation with …"): it reports what other
agreements contain, not the parties' own cooperation.

A *recital* opens with a participle or "WHEREAS" ("RECALLING …", "Concerned by …"): in a
preamble it states what the parties have in mind, not what they will do.
"""

from __future__ import annotations

import re

from sdpatlas.coding.lexicon import Hit

__all__ = ["attributions", "backdrops", "condemnation", "dated", "is_metadata", "is_recital",
           "is_survey", "outside_names"]

_METADATA_LINE = re.compile(
    r"^\s*(?:subject|keywords?|topics?|tags|distribution|file reference|interinstitutional file"
    r"|classification|contact|from|to|origin|ref(?:erence)?|our ref|document|encl(?:osures?)?"
    r"|no\.? prev\.? doc\.?|no\.? cion doc\.?|date of receipt)\s*:", re.I)
_DOCUMENT_TITLE = re.compile(
    r"^\s*(?:(?:EEAS|EU|Council|Commission|NATO)\s+)?(?:factsheet|fact sheet|press release"
    r"|infographic|media advisory|background (?:note|brief)|information note)\b"
    r"|\binfographic\b", re.I)
_HEADER_FIELD = re.compile(r"(?:^|\s)(?:Subject|Distribution|Classification|Keywords|Origin)\s?:"
                           r"|\b[Dd]elegations will find\b|\bDELEGATIONS WILL FIND\b")
_WEB_FURNITURE = re.compile(
    r"\b(?:photo(?:graph)?|image|picture)\s+credits?\b|\bmain image\b|^\W*read more\b"
    r"|\bread more (?:about|on|here)\b|\bsubscribe to (?:the |our )?(?:[\w-]+\s+){0,4}?"
    r"newsletters?\b|\bsign up (?:for|to) (?:the |our )?(?:[\w-]+\s+){0,3}?newsletters?\b"
    r"|\bthis (?:content|page|article) has been archived\b|\ball rights reserved\b"
    r"|\bfollow us on\b|\bshare (?:this|on) (?:article|page|story|facebook|twitter|linkedin)\b",
    re.I)
_REFERENCE = re.compile(r"\((?:OR|or)\. ?[a-z]{2}\)"
                        r"|\b(?:JOIN|COM|SWD|SEC|EEAS|ST)\s?\(\d{4}\)\s?\d+")
_RECITAL = re.compile(
    r"\s*(?:whereas|recognising|recognizing|noting|considering|recalling|reaffirming"
    r"|acknowledging|concerned|convinced|determined|desiring|bearing in mind|having regard"
    r"|welcoming|stressing|underlining|emphasising|emphasizing|mindful|aware)\b", re.I)
_AGREEMENTS = r"(?:SDPs|(?:security and defen[cs]e\s+)?partnerships|agreements)"
_SURVEY = re.compile(
    r"\ball\s+(?:the\s+)?(?:existing\s+|current\s+|other\s+)?" + _AGREEMENTS
    + r"\b|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|most|several|many)\s+of\s+the\s+"
    + _AGREEMENTS + r"\b|\b" + _AGREEMENTS
    + r"\s+[^.;:]{0,60}?\beach\s+(?:specify|specifies|include|cover|outline|set|contain|provide"
    r"|establish|mention|list)\b|\bseparately\s+(?:pledged|agreed|signed|committed)\b", re.I)
_AMID = re.compile(r"\bamid(?:st)?\b[^;:.]*"
                  r"|\b(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:era|world|times?|age|environment"
                  r"|landscape|period|moment)\s+(?:where|in which|when|marked by"
                  r"|characteri[sz]ed by)\b[^;:.]*", re.I)
_BACKDROP = re.compile(
    r"\W*(?:acknowledging|recognising|recognizing|given|amid|in light of|in the face of"
    r"|faced with|against the backdrop of|in view of|concerned (?:by|about|at))\b[^,;:.]{0,150},"
    r"(?=\s*\S)", re.I)
_CONDEMNS = re.compile(r"\b(?:condemn|deplor)\w*", re.I)
_ANAPHOR = re.compile(r"\b(?:them|it|these|those|this|such)\b", re.I)
_DOCUMENT_NUMBER = re.compile(r"\b\d{3,5}/\d{2}\b")
_CODE = re.compile(r"\b(?!UNSCR?\b|RES\b|ISO\b)[A-Z]{2,}(?:/[A-Z]{2,})?\s\d{1,4}\b"
                   r"(?![.,]\d|\s*(?:million|billion|thousand|bn|per)\b)")
_CODES_FOR_METADATA = 3
# the Council's bilingual subject codes ("CFSP/PESC") and its working parties' codes
_SLASH_CODE = re.compile(r"\b(?:CFSP/PESC|CSDP/PSDC|PESC|PSDC)\b")
_COUNCIL_CODES = frozenset((
    "LIMITE", "COPS", "CFSP", "CSDP", "POLMIL", "CIVCOM", "RELEX", "JAI", "COSI", "ENFOPOL",
    "COTER", "CT", "CRIMORG", "COASI", "COAFR", "COEST", "COWEB", "COMEM", "COLAC", "CONUN",
    "CODUN", "CONOP", "COARM", "COHOM", "COHAFA", "PROCIV", "IPCR", "CORDROGUE", "COMAR",
    "MARE", "MAMA", "DEVGEN", "ESPACE", "TELECOM", "CYBER", "HYBRID", "ATALANTA", "FRONT",
    "MIGR", "ASIM", "IXIM", "COPEN", "CATS", "ELARG", "POLGEN", "EUMC", "EUMCWG", "PMG",
    "COTRA", "COSCE", "DATAPROTECT", "ENER", "TRANS", "COMER", "UD", "CSC", "RESTREINT"))
_TITLE_WORDS = frozenset(("AND", "OF", "ON", "THE", "FOR", "IN", "WITH", "TO", "A", "AN",
                          "BETWEEN", "AGAINST", "FROM"))
_DATED = re.compile(
    r"\b(?:in force|in place|signed|concluded|entered into force|dates? from|since|of)\b"
    r"[^.;:]{0,80}?\b(?:19|20)\d\d\b(?!\s*-?\s*20\d\d)"
    r"|\b(?:19|20)\d\d\s+(?:agreement|arrangement)s?\b", re.I)
_TOKEN = re.compile(r"[^\s,;·|–—-]+")
_NAME = re.compile(
    r"\b(?:[A-Z][\w’'-]*\s+){1,5}(?:Act|Regulation|Fund|Facility|Instrument|Mechanism"
    r"|Programme|Program|Strategy|Compass|Centre|Center|Agency|Initiative|Plan|Package"
    r"|Toolbox|Teams?|Network|Directive|System|Service|Office|Platform|Unit|Cell|Hub"
    r"|Scheme|Coordinator|Director|Representative|Commissioner|Ministry|Committee|Department"
    r"|Bureau|Directorate)\b")
_SPEAKER = r"(?:(?:an?|the)\s+)?(?:[A-Z][\w’'.-]*\s+){1,6}"
_OFFICE = re.compile(
    r"\b(?:[A-Z][\w’'-]*\s+(?:(?:of|and|&|for|the)\s+)*){1,6}(?:Coordinator|Commissioner"
    r"|Representative|Envoy|Spokesperson|Secretariat|Directorate|Department|Bureau|Office)\b"
    r"(?!\s+(?:General\s+)?(?:of|for)\s+[A-Z])"
    r"|\b(?:Director|Head|Minister|Secretary|Commissioner|Coordinator|Envoy|Representative"
    r"|Ambassador|Adviser|Advisor)\s+(?:General\s+)?(?:of|for)"
    r"\s+(?:[A-Z][\w’'-]*\s*(?:(?:&|and|of|the)\s+)*){1,6}")
_CHAIRED = (r"\b(?:was|were|is|are)\s+(?:co-?)?(?:chaired|headed|led|accompanied)\s+by\b"
            r"(?:[^.;,]|,(?!\s+and\s+(?:the\s+)?[a-z]))*")
_ATTRIBUTION = re.compile(
    r"\baccording to\s+(?:(?:an?|the)\s+)?(?:[A-Z][\w’'.-]*\s*){1,6}"
    r"(?:statement|report|spokesperson)?"
    r"|(?<![\w-])" + _SPEAKER + r"(?:said|says|announced|added|stated|reported)\b"
    r"|\bthe\s+(?:\w+\s+){0,2}?(?:mission|delegation|ministry|spokesperson|officials?|agency"
    r"|operation)\s+(?:said|says|announced|added|stated)\b"
    r"|" + _CHAIRED)
_CHAIRED_MEETING = re.compile(r"\W*(?:[\w’'-]+\s+){1,8}?" + _CHAIRED)


def is_metadata(text: str) -> bool:
    """A header, subject-code, keyword or reference line, or a web page's furniture, rather
    than a statement."""
    codes = len(_CODE.findall(text))
    return bool(_METADATA_LINE.match(text) or _DOCUMENT_TITLE.search(text)
                or _HEADER_FIELD.search(text) or _WEB_FURNITURE.search(text)
                or _REFERENCE.search(text) or _SLASH_CODE.search(text)
                or (codes and _DOCUMENT_NUMBER.search(text)) or codes >= _CODES_FOR_METADATA
                or _code_line(text))


def is_recital(text: str) -> bool:
    """A preamble recital ("WHEREAS …", "RECALLING …", "Concerned by …")."""
    return bool(_RECITAL.match(text))


def is_survey(text: str) -> bool:
    """A comparison of several partnerships ("All existing SDPs outline …")."""
    return bool(_SURVEY.search(text))


def _code_line(text: str) -> bool:
    """A line of the Council's subject codes in capitals, with no words of a title."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < 2 or any(not t.isupper() and not t.isdigit() for t in tokens):
        return False
    if any(t in _TITLE_WORDS for t in tokens):
        return False
    return sum(t.strip("().") in _COUNCIL_CODES for t in tokens) >= 2


def outside_names(text: str, start: int, end: int, cues: list[Hit]) -> list[Hit]:
    """The cues of ``text[start:end]`` that are not part of a name ("Support" in "the
    Ukraine Support Instrument")."""
    if not cues:
        return cues
    names = [m.span() for m in _NAME.finditer(text, start, end)]
    if not names:
        return cues
    return [c for c in cues if not any(a <= c.start and c.end <= b for a, b in names)]


def attributions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` that name who speaks, or a person's or an office's
    title ("the EU Counter-Terrorism Coordinator", "Director of Counter-Terrorism")."""
    spans = [m.span() for regex in (_ATTRIBUTION, _OFFICE)
             for m in regex.finditer(text, start, end)]
    meeting = _CHAIRED_MEETING.match(text, start, end)
    return [*spans, meeting.span()] if meeting else spans


def condemnation(text: str, start: int, end: int) -> int | None:
    """Where ``text[start:end]`` condemns or deplores something ("Both sides condemned the
    attack"), if it does: a condemnation states a position, not cooperation."""
    found = _CONDEMNS.search(text, start, end)
    return found.start() if found else None


def backdrops(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` that set the scene ("amid …", "Acknowledging …,"); a
    leading phrase that the main clause takes up ("Concerned by hybrid campaigns, the
    Participants will cooperate on countering them") is part of what they do."""
    spans = [m.span() for m in _AMID.finditer(text, start, end)]
    lead = _BACKDROP.match(text, start, end)
    if lead and not _ANAPHOR.search(text, lead.end(), end):
        spans.append(lead.span())
    return spans


def dated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` that date an agreement in the past or the present."""
    return [m.span() for m in _DATED.finditer(text, start, end)]
