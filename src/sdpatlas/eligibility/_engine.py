"""The rules engine: evaluates the SAFE rules against one party's dated facts.

``evaluate`` returns a :class:`Decision` whose trace lists every rule considered, in the
order of the rules file, with the facts it used (and their sources), its outcome and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sdpatlas.eligibility import _agreement
from sdpatlas.eligibility._decision import (
    Caveat,
    Decision,
    Fact,
    Outcome,
    StageState,
    Step,
    weakest,
)
from sdpatlas.eligibility._facts import Facts, source_confidence
from sdpatlas.eligibility._rules import Grant, Route, Rule, RuleKind, RuleSet, Test
from sdpatlas.errors import AtlasError
from sdpatlas.model import Confidence, Dataset, Party
from sdpatlas.render.words import listing


class UnknownCountry(AtlasError, LookupError):
    """The code names no party of the dataset."""

    code = "unknown-country"

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no party with code {code!r} in the dataset; use the ISO 3166-1 "
                         "alpha-3 code of a country it lists (e.g. CAN, GBR, NOR)")


@dataclass
class _Run:
    """What the evaluation of one party has found so far."""

    facts: Facts
    route: Route | None = None
    grants: set[Grant] = field(default_factory=set)
    steps: dict[str, Step] = field(default_factory=dict)
    deciding: list[Confidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
    agreement: _agreement.AgreementView | None = None
    agreement_applies: bool = False
    in_force: bool = False

    def step(self, rule: Rule, outcome: Outcome, reason: str,
             facts: tuple[Fact, ...] = ()) -> None:
        self.steps[rule.id] = Step(rule.id, rule.title, rule.kind.value, str(rule.provision),
                                   rule.sources, rule.confidence, outcome, reason, facts,
                                   rule.provision.checked)


def evaluate(data: Dataset, rules: RuleSet, code: str, as_of: dt.date,
             confidence: dict[str, Confidence] | None = None) -> Decision:
    """Whether and how party ``code`` can take part in SAFE on ``as_of``, with the trace."""
    try:
        party = data.party(code)
    except KeyError:
        raise UnknownCountry(code) from None
    run = _Run(Facts(data, party, as_of, confidence))
    for rule in rules.of_kind(RuleKind.STATUS, RuleKind.EXPLAIN):
        _status(rule, run)
    route = run.route or Route.NONE
    for rule in rules.of_kind(RuleKind.AGREEMENT):
        _agreement_rule(rule, run, route, rules)
    for rule in rules.of_kind(RuleKind.CAVEAT):
        _caveat(rule, run, route)
    european = _components(rules.components, run, rules)
    return _decision(party, run, route, european, rules)


def evaluate_all(data: Dataset, rules: RuleSet, as_of: dt.date) -> tuple[Decision, ...]:
    """A decision for every party of the dataset, by code."""
    confidence = source_confidence(data)
    return tuple(evaluate(data, rules, p.code, as_of, confidence) for p in data.parties)


def _decision(party: Party, run: _Run, route: Route, european: bool, rules: RuleSet) -> Decision:
    view = run.agreement
    order = {r.id: i for i, r in enumerate(rules.rules)}
    if route is Route.NONE:
        run.missing[:0] = _none_missing(run)
    return Decision(
        country=party.code, name=party.name, as_of=run.facts.on,
        may_borrow=Grant.BORROW in run.grants,
        may_join_common_procurement=route is not Route.NONE,
        route=route,
        participation_agreement=view.status if view else None,
        agreement_applies=run.agreement_applies,
        components_count_as_european=european,
        stages=view.stages if view else (),
        missing=tuple(dict.fromkeys(run.missing)),
        caveats=tuple(run.caveats),
        trace=tuple(sorted(run.steps.values(), key=lambda s: order[s.rule])),
        confidence=weakest(run.deciding),
        component_limit_percent=f"{rules.limit.max_share_percent.normalize():f}",
    )


def _none_missing(run: _Run) -> list[str]:
    if not run.in_force:
        return ["SAFE does not apply on this date (see the rules' dates of application)"]
    if run.explained:
        return run.explained
    return ["A route into SAFE: candidate or potential-candidate status, or a signed "
            "Security and Defence Partnership with the EU"]


def _status(rule: Rule, run: _Run) -> None:
    on = run.facts.on
    if not rule.window.holds(on):
        _not_in_force(rule, run)
        return
    if rule.kind is RuleKind.STATUS:
        run.in_force = True
    passed, facts, why = _test(rule, run.facts)
    if rule.kind is RuleKind.EXPLAIN:
        if passed:
            run.explained.append(rule.missing or rule.description)
            run.deciding.append(rule.confidence)
            run.step(rule, Outcome.INFO, rule.description, facts)
        else:
            run.step(rule, Outcome.NOT_APPLICABLE, why, facts)
        return
    if not passed:
        if run.route is None and rule.route is not None:
            run.deciding.append(rule.confidence)
        run.step(rule, Outcome.FAIL, why, facts)
        return
    run.grants.update(rule.grants)
    _decide(rule, run, facts)


def _decide(rule: Rule, run: _Run, facts: tuple[Fact, ...]) -> None:
    run.deciding += [rule.confidence, *(f.confidence for f in facts if f.confidence)]
    granted = ", ".join(g.value for g in rule.grants) or "nothing"
    if rule.route is None:
        reason = f"holds: grants {granted}"
    elif run.route is None:
        run.route = rule.route
        reason = f"holds: route {rule.route.value} (grants {granted})"
    else:
        reason = (f"holds too, but the route is already {run.route.value} by an earlier rule; "
                  "not needed")
    run.step(rule, Outcome.PASS, reason, facts)


def _not_in_force(rule: Rule, run: _Run) -> None:
    on, window = run.facts.on, rule.window
    reason = f"not in force on {on} (applies {window.describe()})"
    if window.end and on > window.end and rule.until_confidence:
        reason += f"; the end date is {rule.until_confidence.value}"
        run.deciding.append(rule.until_confidence)
    run.step(rule, Outcome.NOT_IN_FORCE, reason)


def _test(rule: Rule, facts: Facts) -> tuple[bool, tuple[Fact, ...], str]:
    """Whether the rule's test holds, the facts used, and why not."""
    if rule.test is Test.SIGNED_PARTNERSHIP:
        return _signed(facts)
    excluded = facts.memberships(rule.except_groups)
    if excluded:
        used = tuple(facts.membership_fact(m) for m in excluded)
        return False, used, f"excluded: among the {facts.label(excluded[0].group)}"
    held = facts.memberships(rule.groups)
    named = facts.party.code in rule.parties
    if held or named:
        found = [facts.membership_fact(m) for m in held]
        if named:
            found.append(facts.fact(f"{facts.party.name} is named by the provision itself",
                                    rule.sources))
        return True, tuple(found), ""
    wanted = [*(f"the {facts.label(g)}" for g in rule.groups),
              *(facts.data.party(code).name for code in rule.parties)]
    return (False, (facts.not_member_fact(rule.groups),) if rule.groups else (),
            f"not among {listing(wanted, 'or')} on {facts.on}")


def _signed(facts: Facts) -> tuple[bool, tuple[Fact, ...], str]:
    event = facts.signed()
    if event is not None:
        return True, (facts.event_fact(event),), ""
    p = facts.partnership
    if p is None:
        return False, (Fact(f"no Security and Defence Partnership with {facts.party.name} "
                            "is recorded"),), "no SDP"
    steps = tuple(facts.event_fact(e) for e in facts.events_by_day())
    latest = f"; latest step: {steps[-1].statement}" if steps else ""
    return False, steps, f"no SDP signed by {facts.on} ({p.title}{latest})"


def _agreement_rule(rule: Rule, run: _Run, route: Route, rules: RuleSet) -> None:
    if route not in rule.for_routes:
        why = ("the Regulation itself applies; no agreement is needed" if route is not Route.NONE
               else "the country has no route into SAFE, so no agreement can build on one")
        run.step(rule, Outcome.NOT_APPLICABLE, f"route {route.value}: {why}")
        return
    if not rule.window.holds(run.facts.on):
        _not_in_force(rule, run)
        return
    view = _agreement.view(rule, run.facts)
    run.agreement = view
    run.caveats += view.caveats
    article = f"Art. {rule.provision.article}" if rule.provision.article else "agreement"
    run.missing += [f"Participation agreement ({article}): {m}" for m in view.missing]
    run.agreement_applies = view.status in rules.limit.agreement_statuses
    if run.agreement_applies:
        reason = (f"status '{view.status}': the agreement applies; its own conditions for the "
                  "country's firms and products replace the ordinary ones (Art. 16(2))")
        outcome = Outcome.PASS
    else:
        reason = (f"status '{view.status}': not (or no longer) applicable" if view.status
                  else "no participation agreement or request is recorded")
        outcome = Outcome.FAIL
    run.step(rule, outcome, reason + _stage_summary(view.stages), view.facts)


def _stage_summary(stages: tuple[StageState, ...]) -> str:
    done = [s.key + (f" {s.date}" if s.date else "") for s in stages if s.reached]
    return f"; stages reached: {', '.join(done)}" if done else "; no stage reached"


def _caveat(rule: Rule, run: _Run, route: Route) -> None:
    if route not in rule.for_routes:
        run.step(rule, Outcome.NOT_APPLICABLE, f"does not concern route {route.value}")
        return
    if not rule.window.holds(run.facts.on):
        _not_in_force(rule, run)
        return
    run.caveats.append(Caveat(rule.id, rule.description, rule.sources, rule.confidence,
                              rule.discretionary, str(rule.provision)))
    kind = ("discretionary: the Union may decide this; it is not an automatic outcome"
            if rule.discretionary else "applies to this route")
    run.step(rule, Outcome.CAVEAT, f"flagged ({kind})")


def _components(rule: Rule, run: _Run, rules: RuleSet) -> bool:
    """Whether the party's components count as European; records the step."""
    limit, facts = rule.limit, run.facts
    assert limit is not None
    if not rule.window.holds(facts.on):
        _not_in_force(rule, run)
        return False
    held = facts.memberships(limit.european_groups)
    european = bool(held) or facts.party.code in limit.european_parties
    used = tuple(facts.membership_fact(m) for m in held)
    share = f"{limit.max_share_percent.normalize():f} %"
    if european:
        reason = f"components originating here count as European (outside the {share} limit)"
    else:
        reason = f"components originating here count toward the {share} non-European limit"
        if run.agreement_applies:
            reason += ("; the participation agreement lets them go beyond it "
                       "(threshold not published)")
            run.caveats.append(Caveat("agreement-component-share", limit.agreement_note,
                                      limit.agreement_sources, limit.agreement_confidence,
                                      provision=str(rule.provision)))
    run.step(rule, Outcome.INFO, reason, used)
    return european
