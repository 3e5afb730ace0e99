"""The SAFE rules as typed values, loaded from ``data/rules/safe.yaml`` with located findings.

The rules are data: each names its legal provision, sources, confidence and the dates it
applies. This module only reads and checks them; :mod:`._engine` evaluates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sdpatlas.dataset._fields import Context, Fields, Ref
from sdpatlas.eligibility._findings import RulesError, finding
from sdpatlas.findings import Finding, Severity
from sdpatlas.model import Confidence, Dataset, PartialDate, Sources
from sdpatlas.yamlio import Mapping, read

RULES_FILE = Path("rules") / "safe.yaml"
E = TypeVar("E", bound=StrEnum)


class Route(StrEnum):
    """How a country takes part in SAFE common procurement, if at all."""

    MEMBER_STATE = "member_state"
    TREATED_AS_MEMBER_STATE = "treated_as_member_state"
    CANDIDATE = "candidate"
    SDP = "sdp"
    NONE = "none"


class Grant(StrEnum):
    """A right a passing ``status`` rule gives."""

    BORROW = "borrow"
    COMMON_PROCUREMENT = "common-procurement"


class RuleKind(StrEnum):
    """What a rule does (see the comment at the top of the rules file)."""

    STATUS = "status"
    EXPLAIN = "explain"
    AGREEMENT = "agreement"
    CAVEAT = "caveat"
    COMPONENTS = "components"


class Test(StrEnum):
    """The fact a ``status`` or ``explain`` rule tests."""

    MEMBER_OF = "member-of"
    SIGNED_PARTNERSHIP = "signed-partnership"


@dataclass(frozen=True)
class Act:
    """A legal act provisions point into."""

    key: str
    citation: str
    short: str
    sources: Sources


@dataclass(frozen=True)
class Provision:
    """Where in an act a rule comes from; paragraphs only where a source confirms them."""

    act: str
    short: str
    article: int | None = None
    paragraph: str | None = None
    point: str | None = None
    verified: bool = True

    @property
    def checked(self) -> bool:
        """Whether the exact article and paragraph are confirmed by a source."""
        return self.article is not None and self.paragraph is not None and self.verified

    def __str__(self) -> str:
        """The citation as a reader writes it (``Art. 16(3) Reg. 2025/1106``); whether it
        is exact is :attr:`checked`, said once by the renderings, not in every citation."""
        if self.article is None:
            return self.short
        text = f"Art. {self.article}"
        if self.paragraph:
            text += f"({self.paragraph})" + (f"({self.point})" if self.point else "")
        return f"{text} {self.short}"


@dataclass(frozen=True)
class Window:
    """The days a rule applies: from ``start`` to ``end`` inclusive (open when None)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, on: dt.date) -> bool:
        """Whether the rule applies on a day."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def describe(self) -> str:
        """``from 2025-05-29 until 2030-12-31`` (or the part that is set)."""
        parts = ([f"from {self.start}"] if self.start else []) + (
            [f"until {self.end}"] if self.end else [])
        return " ".join(parts) or "always"


@dataclass(frozen=True)
class Stage:
    """One stage of a participation agreement, and the data that shows it was reached."""

    key: str
    title: str
    description: str
    provision: Provision
    status: str
    implied_by: tuple[str, ...]
    events: tuple[str, ...]
    milestones: tuple[str, ...]
    sources: Sources
    confidence: Confidence


@dataclass(frozen=True)
class ComponentLimit:
    """The component-origin rule's parameters."""

    max_share_percent: Decimal
    european_groups: tuple[str, ...]
    european_parties: tuple[str, ...]
    agreement_statuses: tuple[str, ...]
    agreement_note: str
    agreement_sources: Sources
    agreement_confidence: Confidence


@dataclass(frozen=True)
class Rule:
    """One SAFE rule: what it tests or adds, on which provision, sources and dates."""

    id: str
    kind: RuleKind
    title: str
    description: str
    provision: Provision
    sources: Sources
    confidence: Confidence
    window: Window
    test: Test | None = None
    groups: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    except_groups: tuple[str, ...] = ()
    route: Route | None = None
    grants: tuple[Grant, ...] = ()
    for_routes: tuple[Route, ...] = ()
    discretionary: bool = False
    missing: str | None = None
    note: str | None = None
    until_confidence: Confidence | None = None
    commitment: str | None = None
    stages: tuple[Stage, ...] = ()
    limit: ComponentLimit | None = None


@dataclass(frozen=True)
class RuleSet:
    """Every rule of the file, in order of precedence, and the acts they cite."""

    acts: tuple[Act, ...]
    rules: tuple[Rule, ...]
    file: str = ""

    def of_kind(self, *kinds: RuleKind) -> tuple[Rule, ...]:
        """The rules of some kinds, in file order."""
        return tuple(r for r in self.rules if r.kind in kinds)

    @property
    def components(self) -> Rule:
        """The component-origin rule (the loader guarantees there is exactly one)."""
        return self.of_kind(RuleKind.COMPONENTS)[0]

    @property
    def limit(self) -> ComponentLimit:
        """The component-origin rule's parameters."""
        limit = self.components.limit
        assert limit is not None
        return limit


def rules_path(data_dir: Path) -> Path:
    """Where a dataset keeps its SAFE rules."""
    return data_dir / RULES_FILE


def load_rules(data_dir: Path, data: Dataset | None = None) -> RuleSet:
    """The SAFE rules of a dataset folder; RulesError with every finding if anything is wrong.

    With ``data``, every source, group, party and milestone a rule names must exist in it.
    """
    rules, problems = _load(data_dir, data)
    if rules is None or any(p.severity is Severity.ERROR for p in problems):
        raise RulesError(tuple(problems))
    return rules


def validate_rules(data_dir: Path, data: Dataset | None = None) -> tuple[Finding, ...]:
    """Every finding on a dataset's SAFE rules."""
    return tuple(_load(data_dir, data)[1])


def _load(data_dir: Path, data: Dataset | None) -> tuple[RuleSet | None, list[Finding]]:
    path = rules_path(data_dir)
    name = (Path(data_dir.name) / RULES_FILE).as_posix()
    if not path.is_file():
        return None, [finding("missing-file", f"{name} is missing", file=name)]
    doc = read(path, name)
    ctx = Context(findings=list(doc.findings))
    if not isinstance(doc.root, Mapping):
        if doc.root is not None or not doc.findings:
            ctx.report("wrong-type", "the file must hold a mapping with `acts` and `rules`",
                       name, 1, "")
        return None, ctx.findings
    top = Fields(doc.root, ctx, "", {"acts", "rules"})
    acts = tuple(_act(m, p, ctx) for m, p in top.children("acts", required=True))
    reader = _Reader(ctx, {a.key: a for a in acts})
    rules = tuple(reader.rule(m, p) for m, p in top.children("rules", required=True))
    _check_unique(rules, ctx, name)
    _check_components(rules, ctx, name, doc.root.line_of("rules"))
    if data is not None:
        _resolve(ctx, data)
    return RuleSet(acts, rules, name), ctx.findings


def _act(m: Mapping, path: str, ctx: Context) -> Act:
    f = Fields(m, ctx, path, {"key", "citation", "short", "sources"})
    citation = f.req_text("citation")
    return Act(key=f.req_text("key"), citation=citation,
               short=f.text("short", False) or _short(citation), sources=f.sources())


def _short(citation: str) -> str:
    """A compact name: ``Reg. 2025/1106`` for a regulation, initials in brackets otherwise."""
    words = citation.replace("(", " ").replace(")", " ").split()
    number = next((w for w in words if "/" in w and w[0].isdigit()), None)
    if number and "Regulation" in words:
        return f"Reg. {number}"
    if citation.startswith("Treaty on the Functioning"):
        return "TFEU"
    return "".join(w[0] for w in words if w[:1].isupper()) or citation


class _Reader:
    """Reads rule mappings, recording findings in the shared context."""

    RULE_FIELDS = frozenset({
        "id", "kind", "title", "description", "provision", "note", "sources", "confidence",
        "applies", "until_confidence", "test", "groups", "parties", "except_groups", "route",
        "grants", "for_routes", "discretionary", "missing", "commitment", "stages",
        "max_share_percent", "european_groups", "european_parties", "agreement_statuses",
        "agreement_note", "agreement_sources", "agreement_confidence",
    })

    def __init__(self, ctx: Context, acts: dict[str, Act]) -> None:
        self.ctx = ctx
        self.acts = acts

    def rule(self, m: Mapping, path: str) -> Rule:
        f = Fields(m, self.ctx, path, set(self.RULE_FIELDS))
        kind = f.choice("kind", RuleKind) or RuleKind.CAVEAT
        rule = Rule(
            id=f.req_text("id"), kind=kind, title=f.req_text("title"),
            description=f.req_text("description"), provision=self.provision(f),
            sources=f.sources(), confidence=f.choice("confidence", Confidence)
            or Confidence.UNVERIFIED, window=self.window(f),
            test=f.choice("test", Test, Test.MEMBER_OF) if "test" in m else None,
            groups=f.refs("groups", "group"), parties=f.refs("parties", "party"),
            except_groups=f.refs("except_groups", "group"),
            route=f.choice("route", Route, Route.NONE) if "route" in m else None,
            grants=self.enums(f, "grants", Grant), for_routes=self.enums(f, "for_routes", Route),
            discretionary=f.flag("discretionary"), missing=f.text("missing", False),
            note=f.text("note", False),
            until_confidence=f.choice("until_confidence", Confidence, Confidence.VERIFIED)
            if "until_confidence" in m else None,
            commitment=f.text("commitment", False),
            stages=tuple(self.stage(c, p) for c, p in f.children("stages")),
            limit=self.limit(f) if kind is RuleKind.COMPONENTS else None,
        )
        self.complete(rule, f)
        return rule

    def enums(self, f: Fields, key: str, enum: type[E]) -> tuple[E, ...]:
        out: list[E] = []
        for value in f.strings(key):
            try:
                out.append(enum(value))
            except ValueError:
                allowed = ", ".join(e.value for e in enum)
                self.ctx.report("bad-value", f"{key} has {value!r}; allowed: {allowed}",
                                f.file, f.line(key), f"{f.path}.{key}")
        return tuple(out)

    def provision(self, f: Fields) -> Provision:
        found = f.child("provision")
        if found is None:
            f.text("provision")  # records the missing field
            return Provision("", "?")
        m, path = found
        p = Fields(m, self.ctx, path, {"act", "article", "paragraph", "point", "verified"})
        key = p.req_text("act")
        act = self.acts.get(key)
        if key and act is None:
            self.ctx.findings.append(finding(
                "unknown-act", f"act {key!r} is not listed under `acts` "
                f"(known: {', '.join(sorted(self.acts)) or 'none'})",
                file=p.file, line=p.line("act"), field=f"{path}.act"))
        verified = p.flag("verified") if "verified" in m else True
        return Provision(act=key, short=act.short if act else key,
                         article=p.integer("article", False), paragraph=p.text("paragraph", False),
                         point=p.text("point", False), verified=verified)

    def window(self, f: Fields) -> Window:
        found = f.child("applies")
        if found is None:
            return Window()
        m, path = found
        w = Fields(m, self.ctx, path, {"from", "until"})
        start, end = (_day(w.date("from")), _day(w.date("until")))
        if start and end and end < start:
            self.ctx.findings.append(finding(
                "bad-window", f"applies until {end}, before it starts on {start}",
                file=w.file, line=w.line("until"), field=f"{path}.until"))
        return Window(start, end)

    def stage(self, m: Mapping, path: str) -> Stage:
        f = Fields(m, self.ctx, path, {"key", "title", "description", "provision", "status",
                                       "implied_by", "events", "milestones", "sources",
                                       "confidence"})
        return Stage(
            key=f.req_text("key"), title=f.req_text("title"),
            description=f.req_text("description"), provision=self.provision(f),
            status=f.req_text("status"), implied_by=f.strings("implied_by"),
            events=f.strings("events"), milestones=f.refs("milestones", "milestone"),
            sources=f.sources(),
            confidence=f.choice("confidence", Confidence) or Confidence.UNVERIFIED)

    def limit(self, f: Fields) -> ComponentLimit:
        share = f.number("max_share_percent")
        if share is not None and not 0 <= share <= 100:
            self.ctx.report("bad-value", f"max_share_percent is {share}; use 0 to 100", f.file,
                            f.line("max_share_percent"), f"{f.path}.max_share_percent")
        return ComponentLimit(
            max_share_percent=_decimal(share),
            european_groups=f.refs("european_groups", "group", required=True),
            european_parties=f.refs("european_parties", "party"),
            agreement_statuses=f.strings("agreement_statuses"),
            agreement_note=f.text("agreement_note", False) or "",
            agreement_sources=f.refs("agreement_sources", "source"),
            agreement_confidence=f.choice("agreement_confidence", Confidence,
                                          Confidence.UNVERIFIED) or Confidence.UNVERIFIED)

    def complete(self, rule: Rule, f: Fields) -> None:
        """Report a rule that lacks what its kind needs."""
        needs = {
            RuleKind.STATUS: ("test", rule.test is not None),
            RuleKind.EXPLAIN: ("test and missing", rule.test is not None and bool(rule.missing)),
            RuleKind.AGREEMENT: ("for_routes, commitment and stages",
                                 bool(rule.for_routes and rule.commitment and rule.stages)),
            RuleKind.CAVEAT: ("for_routes", bool(rule.for_routes)),
            RuleKind.COMPONENTS: ("max_share_percent and european_groups", True),
        }
        what, ok = needs[rule.kind]
        member_test = rule.test is Test.MEMBER_OF
        if ok and member_test and not (rule.groups or rule.parties):
            what, ok = "groups or parties for a member-of test", False
        if not ok:
            self.ctx.findings.append(finding(
                "rule-incomplete", f"rule {rule.id!r} of kind {rule.kind} needs {what}",
                file=f.file, line=f.mapping.line, field=f.path))


def _decimal(value: float | None) -> Decimal:
    """A YAML number as an exact decimal (``35`` rather than ``35.0``)."""
    if value is None:
        return Decimal(0)
    return Decimal(int(value)) if value == int(value) else Decimal(str(value))


def _day(value: PartialDate | None) -> dt.date | None:
    return value.earliest() if value else None


def _check_unique(rules: tuple[Rule, ...], ctx: Context, file: str) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id and rule.id in seen:
            ctx.report("duplicate-id", f"rule id {rule.id!r} is used twice", file, None, "rules")
        seen.add(rule.id)
        keys = [s.key for s in rule.stages]
        if len(keys) != len(set(keys)):
            ctx.report("duplicate-id", f"rule {rule.id!r} repeats a stage key", file, None,
                       "stages")


def _check_components(rules: tuple[Rule, ...], ctx: Context, file: str, line: int) -> None:
    count = sum(r.kind is RuleKind.COMPONENTS for r in rules)
    if count != 1:
        ctx.findings.append(finding("rule-incomplete", f"there must be exactly one rule of kind "
                                    f"components; found {count}", file=file, line=line,
                                    field="rules"))


def _resolve(ctx: Context, data: Dataset) -> None:
    """Report names of sources, groups, parties and milestones the dataset lacks."""
    known = {
        "source": ({s.id for s in data.sources}, "unknown-source"),
        "group": ({g.key for g in data.groups}, "unknown-group"),
        "party": ({p.code for p in data.parties}, "unknown-party"),
        "milestone": ({m.id for m in data.milestones}, "unknown-milestone"),
    }
    for ref in ctx.refs:
        ids, code = known[ref.kind]
        if ref.target not in ids:
            ctx.findings.append(_unknown(ref, code))


def _unknown(ref: Ref, code: str) -> Finding:
    return finding(code, f"{ref.kind} {ref.target!r} does not exist in the dataset",
                   file=ref.file, line=ref.line, field=ref.field)
