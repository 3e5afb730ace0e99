"""Where a country's Art. 17 participation agreement stands on a day, stage by stage.

Three kinds of data show a stage was reached, best first:

1. partnership events whose ``kind`` a stage lists under ``events`` (e.g. ``safe-mandate``);
2. milestones a stage lists under ``milestones`` that name the country;
3. the partnership's commitment (``commitment`` key of the rule): its ``status`` implies the
   stages whose ``implied_by`` lists it, from its ``date``.

A status recorded without a date is assumed to hold from the latest dated SAFE step known
for the country (never earlier), and the answer says so in a caveat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sdpatlas.eligibility._decision import Caveat, Fact, StageState, weakest
from sdpatlas.eligibility._facts import Facts
from sdpatlas.eligibility._rules import Rule, Stage
from sdpatlas.model import Commitment, Confidence, Sources
from sdpatlas.render.words import label, listing

COLLAPSED = "collapsed"


@dataclass(frozen=True)
class _Entry:
    """One dated datum about the agreement: a stage's evidence or the commitment's status."""

    day: dt.date | None
    status: str
    rank: int
    sources: Sources
    statement: str
    stage: int | None = None
    assumed: bool = False


@dataclass(frozen=True)
class AgreementView:
    """The agreement on a day: its status, its stages, and what the answer must say."""

    status: str | None
    stages: tuple[StageState, ...]
    facts: tuple[Fact, ...]
    caveats: tuple[Caveat, ...]
    missing: tuple[str, ...]


def view(rule: Rule, facts: Facts) -> AgreementView:
    """The participation agreement of ``facts.party`` as of ``facts.on``."""
    evidence = _evidence(rule, facts)
    commitment = _commitment(rule, facts)
    entries = list(evidence)
    caveats: list[Caveat] = []
    if commitment is not None:
        entry = _status_entry(rule, facts, commitment, evidence)
        entries.append(entry)
        if entry.assumed and (entry.day is None or entry.day <= facts.on):
            caveats.append(_undated(facts, commitment, entry))
    current = [e for e in entries if e.day is None or e.day <= facts.on]
    latest = max(current, key=lambda e: (e.day or dt.date.min, e.rank), default=None)
    stages = _stages(rule.stages, current)
    if any(s.reached and s.date is None for s in stages):
        caveats.append(_stage_dates_missing(facts, stages))
    status = latest.status if latest else None
    fact_list = [facts.fact(e.statement, e.sources, str(e.day) if e.day else None)
                 for e in sorted(current, key=lambda e: (e.day or dt.date.min, e.rank))]
    used = {e.statement for e in evidence}
    fact_list += [facts.milestone_fact(m) for m in facts.safe_milestones(facts.on)
                  if facts.milestone_fact(m).statement not in used]
    return AgreementView(status, stages, tuple(fact_list), tuple(caveats),
                         _missing(stages, latest))


def _evidence(rule: Rule, facts: Facts) -> list[_Entry]:
    out: list[_Entry] = []
    p = facts.partnership
    for i, stage in enumerate(rule.stages):
        for event in (p.events if p else ()):
            if event.kind in stage.events:
                out.append(_Entry(event.date.earliest(), stage.status, i, event.sources,
                                  facts.event_fact(event).statement, stage=i))
        for m in facts.safe_milestones():
            if m.id in stage.milestones:
                out.append(_Entry(m.date.earliest(), stage.status, i, m.sources,
                                  facts.milestone_fact(m).statement, stage=i))
    return out


def _commitment(rule: Rule, facts: Facts) -> Commitment | None:
    p = facts.partnership
    if p is None:
        return None
    return next((c for c in p.commitments if c.key == rule.commitment), None)


def _status_entry(rule: Rule, facts: Facts, c: Commitment, evidence: list[_Entry]) -> _Entry:
    rank = max((i for i, s in enumerate(rule.stages) if c.status in s.implied_by), default=-1)
    statement = f"{c.label}: status '{c.status}'" + (f" since {c.date}" if c.date else "")
    if c.date is not None:
        return _Entry(c.date.earliest(), c.status, rank, c.sources, statement)
    dated = [e.day for e in evidence if e.day] + [m.date.earliest()
                                                   for m in facts.safe_milestones()]
    bound = max(dated, default=None)
    return _Entry(bound, c.status, rank, c.sources, statement + " (date not recorded)",
                  assumed=True)


def _stages(stages: tuple[Stage, ...], current: list[_Entry]) -> tuple[StageState, ...]:
    states = [_stage(i, s, current) for i, s in enumerate(stages)]
    last = max((i for i, s in enumerate(states) if s.reached), default=-1)
    for i in range(last):
        if not states[i].reached:
            s = states[i]
            states[i] = StageState(s.key, s.title, s.provision, True, None,
                                   "implied by a later stage", s.sources, s.confidence)
    return tuple(states)


def _stage(i: int, stage: Stage, current: list[_Entry]) -> StageState:
    provision = str(stage.provision)
    proofs = sorted((e for e in current if e.stage == i), key=lambda e: e.day or dt.date.min)
    if proofs:
        sources = tuple(dict.fromkeys(s for e in proofs for s in (*stage.sources, *e.sources)))
        day = proofs[0].day
        return StageState(stage.key, stage.title, provision, True, str(day) if day else None,
                          proofs[0].statement, sources, stage.confidence)
    implied = [e for e in current if e.stage is None and e.status in stage.implied_by]
    if implied:
        e = implied[-1]
        sources = tuple(dict.fromkeys((*stage.sources, *e.sources)))
        return StageState(stage.key, stage.title, provision, True, None,
                          f"implied by status '{e.status}' (stage date not recorded)", sources,
                          weakest([stage.confidence, Confidence.SECONDARY]))
    return StageState(stage.key, stage.title, provision, False, None, "not reached",
                      stage.sources, stage.confidence)


def _missing(stages: tuple[StageState, ...], latest: _Entry | None) -> tuple[str, ...]:
    todo = [s.title for s in stages if not s.reached]
    if latest is not None and latest.status == COLLAPSED:
        when = f" on {latest.day}" if latest.day else ""
        todo.insert(0, f"Talks collapsed{when} and would have to resume")
    return tuple(todo)


def _undated(facts: Facts, c: Commitment, entry: _Entry) -> Caveat:
    name = facts.party.name
    since = (f"from {entry.day}, the date of the latest SAFE step recorded for {name}"
             if entry.day else "on every date, as no SAFE step is dated")
    return Caveat(
        "undated-status",
        f"Our sources give no date for the agreement's status ({label(c.status)}), so it is "
        f"taken to hold {since}; the exact date may differ.",
        c.sources, Confidence.UNVERIFIED)


def _stage_dates_missing(facts: Facts, stages: tuple[StageState, ...]) -> Caveat:
    undated = [s for s in stages if s.reached and s.date is None]
    wanted = listing([s.title.lower() if s.title[1:2].islower() else s.title for s in undated])
    return Caveat(
        "stage-dates-missing",
        f"Reached, but our sources give no date: {wanted}. The dates of these steps for "
        f"{facts.party.name} are not known yet.",
        tuple(dict.fromkeys(src for s in undated for src in s.sources)), Confidence.UNVERIFIED)
