"""SAFE participation: a rules engine that explains who can take part, since when, and why.

The rules live in the dataset (``data/rules/safe.yaml``); this package loads them with
located findings and evaluates them against a party's dated facts. Nothing here prints.

    >>> rules = load_rules(data_dir, data)                 # doctest: +SKIP
    >>> decision = evaluate(data, rules, "CAN", date(2026, 3, 1))   # doctest: +SKIP
    >>> decision.as_dict()["route"]                        # doctest: +SKIP
    'sdp'

Errors: :class:`RulesError` (the rules file is wrong; ``findings`` say where),
:class:`UnknownCountry` (a code the dataset lacks), :class:`BomError` (bad rows of a bill
of materials; ``findings`` name file and line).
"""

from sdpatlas.eligibility._components import (
    BomLine,
    ComponentReport,
    OriginTotal,
    check_components,
    read_bom,
)
from sdpatlas.eligibility._decision import Caveat, Decision, Fact, Outcome, StageState, Step
from sdpatlas.eligibility._engine import UnknownCountry, evaluate, evaluate_all
from sdpatlas.eligibility._findings import KINDS, BomError, Finding, RulesError
from sdpatlas.eligibility._rules import (
    Provision,
    Route,
    Rule,
    RuleKind,
    RuleSet,
    load_rules,
    rules_path,
    validate_rules,
)

__all__ = [
    "KINDS",
    "BomError",
    "BomLine",
    "Caveat",
    "ComponentReport",
    "Decision",
    "Fact",
    "Finding",
    "OriginTotal",
    "Outcome",
    "Provision",
    "Route",
    "Rule",
    "RuleKind",
    "RuleSet",
    "RulesError",
    "StageState",
    "Step",
    "UnknownCountry",
    "check_components",
    "evaluate",
    "evaluate_all",
    "load_rules",
    "read_bom",
    "rules_path",
    "validate_rules",
]
