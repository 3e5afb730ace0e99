"""A SAFE decision in four plain sentences, the same on the terminal and the web.

May it join common procurement; may it borrow; do its firms' components count as European
(the limit on non-European components); and what would change that.
"""

from __future__ import annotations

from sdpatlas.eligibility._decision import Decision, Outcome
from sdpatlas.eligibility._rules import Route
from sdpatlas.render.words import country, label

__all__ = ["UNCHECKED_MARK", "UNCHECKED_NOTE", "answer_sentences"]

UNCHECKED_MARK = "†"
UNCHECKED_NOTE = (f"{UNCHECKED_MARK} The exact article or paragraph of this provision has not "
                  "yet been checked against the Official Journal; the rule itself is sourced.")

_ROUTES = {
    Route.MEMBER_STATE: "as an EU Member State",
    Route.TREATED_AS_MEMBER_STATE: "on the same terms as a Member State (SAFE treats the EEA "
                                   "EFTA States and Ukraine so)",
    Route.CANDIDATE: "as an acceding, candidate or potential candidate country",
    Route.SDP: "because it has signed a Security and Defence Partnership with the EU",
}
_AGREEMENT = ("a participation agreement with the EU (Art. 17), whose own terms can let its "
              "firms take part as contractors and more of its components count")


def answer_sentences(d: Decision) -> tuple[str, str, str, str]:
    """Join, borrow, components, what would change it: one sentence each."""
    return (_join(d), _borrow(d), _components(d), _change(d))


def _join(d: Decision) -> str:
    if d.may_join_common_procurement:
        return f"{_subject(d)} may join SAFE common procurements {_ROUTES[d.route]}."
    return f"{_subject(d)} cannot join SAFE common procurements on {d.as_of}."


def _subject(d: Decision) -> str:
    name = country(d.name)
    return name[:1].upper() + name[1:]


def _borrow(d: Decision) -> str:
    if d.may_borrow:
        return "It may borrow from SAFE's loans."
    if d.route is Route.MEMBER_STATE or not _in_force(d, "status"):
        return f"It cannot borrow: SAFE's loans are not open on {d.as_of}."
    return "It cannot borrow: SAFE's loans go only to EU Member States."


def _in_force(d: Decision, kind: str) -> bool:
    """Whether a rule of this kind applies on the decision's date (none traced: it does)."""
    steps = [s for s in d.trace if s.kind == kind]
    return not steps or any(s.outcome is not Outcome.NOT_IN_FORCE for s in steps)


def _components(d: Decision) -> str:
    limit = f"{d.component_limit_percent} %" if d.component_limit_percent else "a set share"
    if not _in_force(d, "components"):
        return (f"SAFE's {limit} limit on components from outside the EU, the EEA EFTA States "
                f"and Ukraine does not apply on {d.as_of}.")
    if d.components_count_as_european:
        return (f"Components made in {country(d.name)} count as European, so they do not count "
                f"toward the {limit} limit on components from elsewhere.")
    text = (f"Components made in {country(d.name)} do not count as European: with any other "
            "components from outside the EU, the EEA EFTA States and Ukraine they may make "
            f"up at most {limit} of the cost of what is bought")
    if d.agreement_applies:
        text += ", unless its participation agreement sets a higher share"
    return text + "."


def _change(d: Decision) -> str:
    if d.route in (Route.MEMBER_STATE, Route.TREATED_AS_MEMBER_STATE):
        return ("Nothing is missing: it takes part on the Regulation's own terms, with no "
                "agreement needed.")
    if d.route is Route.NONE:
        first = d.missing[0] if d.missing else "a route into SAFE"
        return f"What would change this: {_after_colon(first)}."
    if d.agreement_applies:
        status = label(d.participation_agreement or "")
        still = f"; still to come: {_steps(d.missing)}" if d.missing else ""
        return (f"Its participation agreement ({status}) already applies, so its own terms "
                f"for {country(d.name)}'s firms and components replace the ordinary ones{still}.")
    stands = "where it stands" if d.participation_agreement == "collapsed" else "next step"
    where = f"; {stands}: {_steps(d.missing[:1])}" if d.missing else ""
    return f"What would change this: {_AGREEMENT}{where}."


_COMMON_FIRST_WORDS = frozenset({"A", "An", "The", "Talks", "Negotiations", "Signature",
                                 "Conclusion", "Candidate"})


def _after_colon(text: str) -> str:
    """What follows ``Participation agreement (Art. 17):``, in mid-sentence case."""
    rest = text.split(": ", 1)[-1]
    first = rest.split(" ", 1)[0]
    return rest[:1].lower() + rest[1:] if first in _COMMON_FIRST_WORDS else rest


def _steps(missing: tuple[str, ...]) -> str:
    steps = [_after_colon(m) for m in missing]
    return ", then ".join(steps)
