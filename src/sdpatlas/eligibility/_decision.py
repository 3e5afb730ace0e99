"""What the engine answers: a decision with its trace, as plain typed values.

``Decision.as_dict()`` is the JSON shape shared by the CLI and the web API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sdpatlas.eligibility._rules import Route
from sdpatlas.model import Confidence, Sources
from sdpatlas.render.jsonable import JSON

_RANK = {Confidence.UNVERIFIED: 0, Confidence.SECONDARY: 1, Confidence.VERIFIED: 2}


def weakest(values: list[Confidence]) -> Confidence:
    """The least-checked of some confidences (verified when there are none)."""
    return min(values, key=_RANK.__getitem__, default=Confidence.VERIFIED)


def strongest(values: list[Confidence]) -> Confidence:
    """The best-checked of some confidences (unverified when there are none)."""
    return max(values, key=_RANK.__getitem__, default=Confidence.UNVERIFIED)


class Outcome(StrEnum):
    """What a rule did for this country on this date."""

    PASS = "pass"
    FAIL = "fail"
    NOT_IN_FORCE = "not-in-force"
    NOT_APPLICABLE = "not-applicable"
    CAVEAT = "caveat"
    INFO = "info"


@dataclass(frozen=True)
class Fact:
    """A dated fact a rule used, with its sources (``confidence`` None: no record found)."""

    statement: str
    sources: Sources = ()
    confidence: Confidence | None = None
    date: str | None = None

    def as_dict(self) -> dict[str, JSON]:
        """JSON-ready mapping."""
        return {"statement": self.statement, "date": self.date, "sources": list(self.sources),
                "confidence": self.confidence.value if self.confidence else None}


@dataclass(frozen=True)
class Step:
    """One rule considered: its provision, sources, outcome, reason and the facts used."""

    rule: str
    title: str
    kind: str
    provision: str
    sources: Sources
    confidence: Confidence
    outcome: Outcome
    reason: str
    facts: tuple[Fact, ...] = ()
    provision_checked: bool = True  # exact article and paragraph confirmed by a source

    def as_dict(self) -> dict[str, JSON]:
        """JSON-ready mapping."""
        return {"rule": self.rule, "title": self.title, "kind": self.kind,
                "provision": self.provision, "provision_checked": self.provision_checked,
                "sources": list(self.sources),
                "confidence": self.confidence.value, "outcome": self.outcome.value,
                "reason": self.reason, "facts": [f.as_dict() for f in self.facts]}


@dataclass(frozen=True)
class Caveat:
    """A warning attached to the answer; ``discretionary`` ones are choices, not outcomes."""

    code: str
    text: str
    sources: Sources
    confidence: Confidence
    discretionary: bool = False
    provision: str | None = None

    def as_dict(self) -> dict[str, JSON]:
        """JSON-ready mapping."""
        return {"code": self.code, "text": self.text, "discretionary": self.discretionary,
                "provision": self.provision, "sources": list(self.sources),
                "confidence": self.confidence.value}


@dataclass(frozen=True)
class StageState:
    """Whether a stage of the participation agreement was reached by the date, and when."""

    key: str
    title: str
    provision: str
    reached: bool
    date: str | None
    basis: str
    sources: Sources
    confidence: Confidence

    def as_dict(self) -> dict[str, JSON]:
        """JSON-ready mapping."""
        return {"key": self.key, "title": self.title, "provision": self.provision,
                "reached": self.reached, "date": self.date, "basis": self.basis,
                "sources": list(self.sources), "confidence": self.confidence.value}


@dataclass(frozen=True)
class Decision:
    """Whether and how a country can take part in SAFE on a date, and why."""

    country: str
    name: str
    as_of: dt.date
    may_borrow: bool
    may_join_common_procurement: bool
    route: Route
    participation_agreement: str | None
    agreement_applies: bool
    components_count_as_european: bool
    stages: tuple[StageState, ...]
    missing: tuple[str, ...]
    caveats: tuple[Caveat, ...]
    trace: tuple[Step, ...]
    confidence: Confidence
    component_limit_percent: str | None = None  # the most non-European components may make up

    def as_dict(self) -> dict[str, JSON]:
        """The JSON answer of ``sdpatlas eligibility`` and ``/api/v1/eligibility/{code}``."""
        return {
            "country": self.country, "name": self.name, "as_of": self.as_of.isoformat(),
            "may_borrow": self.may_borrow,
            "may_join_common_procurement": self.may_join_common_procurement,
            "route": self.route.value, "participation_agreement": self.participation_agreement,
            "agreement_applies": self.agreement_applies,
            "components_count_as_european": self.components_count_as_european,
            "component_limit_percent": self.component_limit_percent,
            "confidence": self.confidence.value,
            "missing": list(self.missing),
            "caveats": [c.as_dict() for c in self.caveats],
            "stages": [s.as_dict() for s in self.stages],
            "trace": [s.as_dict() for s in self.trace],
        }
