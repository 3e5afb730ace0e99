"""Turning each data file's YAML into model records."""

from __future__ import annotations

import re

from sdpatlas.dataset._fields import Context, Fields, Ref
from sdpatlas.model import (
    Amount,
    Area,
    Claim,
    Cluster,
    Commitment,
    Confidence,
    Conflict,
    Coverage,
    CoverageCell,
    DeclaredAreas,
    Dialogue,
    Event,
    Group,
    Instrument,
    Membership,
    Milestone,
    Note,
    PartialDate,
    Partnership,
    PartnershipStatus,
    Party,
    Release,
    Resolution,
    Signatory,
    Source,
)
from sdpatlas.yamlio import Mapping

_NO_DATE = PartialDate(1)  # stands in for a missing date; the finding is already recorded


def source(m: Mapping, path: str, ctx: Context) -> Source:
    """One entry of sources.yaml."""
    f = Fields(m, ctx, path, {"id", "title", "issuer", "kind", "confidence", "date", "url", "note"})
    return Source(
        id=f.req_text("id"),
        title=f.req_text("title"),
        issuer=f.req_text("issuer"),
        kind=f.req_text("kind"),
        confidence=f.choice("confidence", Confidence) or Confidence.UNVERIFIED,
        date=f.date("date"),
        url=f.url("url"),
        note=f.text("note", False),
    )


def cluster(m: Mapping, path: str, ctx: Context) -> Cluster:
    """One entry of taxonomy.yaml's clusters."""
    f = Fields(m, ctx, path, {"key", "label"})
    return Cluster(key=f.req_text("key"), label=f.req_text("label"))


def area(m: Mapping, path: str, ctx: Context) -> Area:
    """One entry of taxonomy.yaml's areas."""
    f = Fields(m, ctx, path, {"id", "key", "label", "short", "cluster", "definition"})
    return Area(
        id=f.integer("id", minimum=1) or 0,
        key=f.req_text("key"),
        label=f.req_text("label"),
        short=f.req_text("short"),
        cluster=f.ref("cluster", "cluster") or "",
        definition=f.req_text("definition"),
    )


def group(m: Mapping, path: str, ctx: Context) -> Group:
    """One entry of groups.yaml."""
    f = Fields(m, ctx, path, {"key", "label", "description", "sources"})
    return Group(
        key=f.req_text("key"),
        label=f.req_text("label"),
        description=f.req_text("description"),
        sources=f.sources(),
    )


def party(m: Mapping, path: str, ctx: Context) -> Party:
    """One entry of parties.yaml."""
    f = Fields(m, ctx, path, {"code", "name", "official_name", "kind", "region", "aliases",
                              "memberships", "note"})
    return Party(
        code=f.req_text("code"),
        name=f.req_text("name"),
        kind=f.req_text("kind"),
        region=f.req_text("region"),
        aliases=f.strings("aliases"),
        official_name=f.text("official_name", False),
        memberships=tuple(membership(c, p, ctx) for c, p in f.children("memberships")),
        note=f.text("note", False),
    )


def membership(m: Mapping, path: str, ctx: Context) -> Membership:
    """One dated membership of a party."""
    f = Fields(m, ctx, path, {"group", "since", "until", "sources", "note"})
    since, until = f.period("since", "until")
    return Membership(
        group=f.ref("group", "group") or "",
        sources=f.sources(),
        since=since,
        until=until,
        note=f.text("note", False),
    )


PARTNERSHIP_FIELDS = {
    "partner", "status", "title", "summary", "sources", "events", "signatories", "dialogues",
    "declared_areas", "commitments", "coverage_sources", "coverage", "notes",
}


def partnership(m: Mapping, ctx: Context) -> Partnership:
    """A whole partnerships/XXX.yaml file."""
    f = Fields(m, ctx, "", PARTNERSHIP_FIELDS)
    declared = f.child("declared_areas")
    return Partnership(
        partner=f.ref("partner", "party") or "",
        status=f.choice("status", PartnershipStatus) or PartnershipStatus.PROPOSED,
        title=f.req_text("title"),
        summary=f.req_text("summary"),
        sources=f.sources(),
        events=tuple(event(c, p, ctx) for c, p in f.children("events")),
        signatories=tuple(signatory(c, p, ctx) for c, p in f.children("signatories")),
        dialogues=tuple(dialogue(c, p, ctx) for c, p in f.children("dialogues")),
        commitments=tuple(commitment(c, p, ctx) for c, p in f.children("commitments")),
        declared=declared_areas(*declared, ctx) if declared else None,
        coverage=coverage(f, ctx),
        notes=tuple(note(c, p, ctx) for c, p in f.children("notes")),
    )


def note(m: Mapping, path: str, ctx: Context) -> Note:
    """One sourced statement."""
    f = Fields(m, ctx, path, {"topic", "text", "date", "sources"})
    return Note(topic=f.req_text("topic"), text=f.req_text("text"), sources=f.sources(),
                date=f.date("date"))


def event(m: Mapping, path: str, ctx: Context) -> Event:
    """One lifecycle event."""
    f = Fields(m, ctx, path, {"kind", "date", "place", "occasion", "note", "sources"})
    return Event(
        kind=f.req_text("kind"),
        date=f.date("date", required=True) or _NO_DATE,
        sources=f.sources(),
        place=f.text("place", False),
        occasion=f.text("occasion", False),
        note=f.text("note", False),
    )


def signatory(m: Mapping, path: str, ctx: Context) -> Signatory:
    """One signatory."""
    f = Fields(m, ctx, path, {"side", "role", "name", "sources"})
    side = f.req_text("side")
    if side and side not in {"eu", "partner"}:
        ctx.report("bad-value", f"side is {side!r}; allowed: eu, partner", f.file, f.line("side"),
                   f"{path}.side")
    return Signatory(side=side, role=f.req_text("role"), sources=f.sources(),
                     name=f.text("name", False))


def dialogue(m: Mapping, path: str, ctx: Context) -> Dialogue:
    """One dialogue mechanism."""
    f = Fields(m, ctx, path, {"name", "level", "frequency", "note", "sources"})
    return Dialogue(
        name=f.req_text("name"),
        sources=f.sources(),
        level=f.text("level", False),
        frequency=f.text("frequency", False),
        note=f.text("note", False),
    )


def commitment(m: Mapping, path: str, ctx: Context) -> Commitment:
    """One notable commitment."""
    f = Fields(m, ctx, path, {"key", "label", "status", "date", "amounts", "note", "sources"})
    return Commitment(
        key=f.req_text("key"),
        label=f.req_text("label"),
        status=f.req_text("status"),
        sources=f.sources(),
        date=f.date("date"),
        amounts=tuple(amount(c, p, ctx) for c, p in f.children("amounts")),
        note=f.text("note", False),
    )


def amount(m: Mapping, path: str, ctx: Context) -> Amount:
    """A sum of money."""
    f = Fields(m, ctx, path, {"value", "currency"})
    return Amount(value=f.number("value", minimum=0) or 0.0, currency=f.req_text("currency"))


def declared_areas(m: Mapping, path: str, ctx: Context) -> DeclaredAreas:
    """The number of areas an agreement declares."""
    f = Fields(m, ctx, path, {"count", "unit", "sources"})
    return DeclaredAreas(count=f.integer("count", minimum=0) or 0, unit=f.req_text("unit"),
                         sources=f.sources())


def coverage(f: Fields, ctx: Context) -> tuple[CoverageCell, ...]:
    """The coverage block: area id → status, short or long form."""
    found = f.child("coverage")
    if found is None:
        return ()
    block, path = found
    default_sources = f.refs("coverage_sources", "source")
    cells = [_cell(block, key, path, default_sources, ctx) for key in block]
    return tuple(sorted((c for c in cells if c is not None), key=lambda c: c.area))


def _cell(block: Mapping, key: str, path: str, default_sources: tuple[str, ...],
          ctx: Context) -> CoverageCell | None:
    line = block.line_of(key)
    name = f"{path}.{key}"
    if not (key.isascii() and key.isdigit()) or len(key) > 9:
        ctx.report("unknown-area", f"{key!r} is not an area id", block.file, line, name)
        return None
    ctx.refs.append(Ref("area", key, block.file, line, name))
    value = block[key]
    sources, note = default_sources, None
    if isinstance(value, Mapping):
        cell = Fields(value, ctx, name, {"status", "sources", "note"})
        value = cell.text("status")
        sources = cell.refs("sources", "source") or default_sources
        note = cell.text("note", False)
    try:
        status = Coverage(str(value))
    except ValueError:
        allowed = ", ".join(c.value for c in Coverage)
        ctx.report("bad-value", f"coverage {value!r}; allowed: {allowed}", block.file, line, name)
        return None
    if not sources:
        ctx.report("missing-source", "this cell cites no source (add coverage_sources)",
                   block.file, line, name)
    return CoverageCell(area=int(key), status=status, sources=sources, note=note)


def instrument(m: Mapping, path: str, ctx: Context) -> Instrument:
    """One entry of instruments.yaml."""
    f = Fields(m, ctx, path, {"id", "name", "kind", "summary", "adopted", "reference",
                              "elements", "sources"})
    return Instrument(
        id=f.req_text("id"),
        name=f.req_text("name"),
        kind=f.req_text("kind"),
        summary=f.req_text("summary"),
        sources=f.sources(),
        adopted=f.date("adopted"),
        reference=f.text("reference", False),
        elements=f.strings("elements"),
    )


def milestone(m: Mapping, path: str, ctx: Context) -> Milestone:
    """One entry of milestones.yaml."""
    f = Fields(m, ctx, path, {"id", "date", "kind", "title", "summary", "parties", "sources"})
    return Milestone(
        id=f.req_text("id"),
        date=f.date("date", required=True) or _NO_DATE,
        kind=f.req_text("kind"),
        title=f.req_text("title"),
        summary=f.req_text("summary"),
        sources=f.sources(),
        parties=f.refs("parties", "party"),
    )


def resolution(m: Mapping, path: str, ctx: Context) -> Resolution:
    """One entry of parliament.yaml."""
    f = Fields(m, ctx, path, {"id", "date", "title", "reference", "calls_for", "partners",
                              "sources"})
    return Resolution(
        id=f.req_text("id"),
        date=f.date("date", required=True) or _NO_DATE,
        title=f.req_text("title"),
        calls_for=f.strings("calls_for"),
        sources=f.sources(),
        reference=f.text("reference", False),
        partners=f.refs("partners", "party"),
    )


def conflict(m: Mapping, path: str, ctx: Context) -> Conflict:
    """One entry of conflicts.yaml."""
    f = Fields(m, ctx, path, {"id", "subject", "entity", "field", "reason", "claims"})
    return Conflict(
        id=f.req_text("id"),
        subject=f.req_text("subject"),
        reason=f.req_text("reason"),
        claims=tuple(claim(c, p, ctx) for c, p in f.children("claims", required=True)),
        entity=f.text("entity", False),
        field=f.text("field", False),
    )


def claim(m: Mapping, path: str, ctx: Context) -> Claim:
    """One claim of a conflict."""
    f = Fields(m, ctx, path, {"value", "preferred", "sources", "note"})
    return Claim(value=f.req_text("value"), sources=f.sources(), preferred=f.flag("preferred"),
                 note=f.text("note", False))



VERSION = re.compile(r"^[0-9]{4}\.(0[1-9]|1[0-2])\.[0-9]{1,4}$")


def release(m: Mapping, ctx: Context) -> Release | None:
    """dataset.yaml: the dataset's version and the day its facts were checked up to."""
    f = Fields(m, ctx, "", {"version", "coverage"})
    version, coverage = f.text("version"), f.date("coverage", required=True)
    if version is not None and not VERSION.match(version):
        ctx.report("bad-version", f"version {version!r} is not YYYY.MM.N", f.file,
                   f.line("version"), "version")
        return None
    if coverage is not None and coverage.day is None:
        ctx.report("bad-version", f"coverage {coverage} must be a full date (YYYY-MM-DD)",
                   f.file, f.line("coverage"), "coverage")
        return None
    if version is None or coverage is None:
        return None
    return Release(version, coverage)
