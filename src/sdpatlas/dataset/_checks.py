"""Cross-file checks: unique ids, references, completeness and conflicts."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sdpatlas.dataset._fields import Context
from sdpatlas.model import Conflict, Coverage, Dataset, Partnership, PartnershipStatus, Party
from sdpatlas.yamlio import Mapping

T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A parsed record with the mapping it came from (for file and line)."""

    record: T
    mapping: Mapping


def unique(items: Iterable[Located[T]], key: Callable[[T], object], what: str,
           ctx: Context) -> None:
    """Report records whose key repeats an earlier one's."""
    seen: dict[object, Located[T]] = {}
    for item in items:
        value = key(item.record)
        if value in ("", 0, None):
            continue
        if value in seen:
            first = seen[value].mapping
            ctx.report("duplicate-id", f"{what} {value!r} is defined twice (also at "
                       f"{first.file}:{first.line})", item.mapping.file, item.mapping.line, what)
        else:
            seen[value] = item


def references(ctx: Context, known: dict[str, set[str]]) -> None:
    """Report references that do not exist (of the kinds in ``known`` only)."""
    codes = {"source": "unknown-source", "party": "unknown-party", "area": "unknown-area",
             "group": "unknown-group", "cluster": "unknown-cluster"}
    for ref in ctx.refs:
        if ref.kind in known and ref.target not in known[ref.kind]:
            code = codes[ref.kind]
            hint = "" if ctx.full(code) else _suggest(ref.target, known[ref.kind])
            ctx.report(code, f"{ref.kind} {ref.target!r} does not exist{hint}",
                       ref.file, ref.line, ref.field)


def _suggest(target: str, known: set[str]) -> str:
    close = difflib.get_close_matches(target, sorted(known), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def partnership(p: Partnership, where: Mapping, stem: str, area_ids: set[int],
                ctx: Context) -> None:
    """Checks on one partnership file."""
    file = where.file
    if p.partner and p.partner != stem:
        ctx.report("file-name-mismatch", f"partner {p.partner!r} is in {stem}.yaml",
                   file, where.line_of("partner"), "partner")
    coded = {c.area for c in p.coverage}
    if p.status is PartnershipStatus.SIGNED:
        missing = sorted(area_ids - coded)
        if missing:
            ctx.report("coverage-incomplete", f"areas {missing} are not coded",
                       file, where.line_of("coverage"), "coverage")
        if p.signed is None:
            ctx.report("signed-without-date", "status is signed but no `signed` event",
                       file, where.line_of("events"), "events")
    elif any(c.status is not Coverage.UNKNOWN for c in p.coverage):
        ctx.report("coverage-unexpected", f"status is {p.status}, yet coverage is coded",
                   file, where.line_of("coverage"), "coverage")
    dates = [e.date.earliest() for e in p.events]
    if dates != sorted(dates):
        ctx.report("event-order", "events are not oldest first", file, where.line_of("events"),
                   "events")


def conflict(c: Conflict, where: Mapping, data: Dataset, ctx: Context) -> None:
    """Checks on one conflict: shape, then agreement with the dataset."""
    file, line = where.file, where.line
    preferred = [claim for claim in c.claims if claim.preferred]
    if len(c.claims) < 2 or len(preferred) != 1:
        ctx.report("bad-conflict", f"{c.id}: {len(c.claims)} claim(s), {len(preferred)} "
                   "preferred; need two or more claims and exactly one preferred",
                   file, line, "claims")
        return
    ctx.report("conflicting-claim", f"{c.subject}: adopted {preferred[0].value!r} "
               f"over {', '.join(repr(x.value) for x in c.claims if not x.preferred)}",
               file, line, c.id)
    if not c.entity or not c.field:
        return
    try:
        actual = resolve(data, c.entity, c.field)
    except LookupError as exc:
        ctx.report("unknown-reference", f"{c.id}: {exc}", file, where.line_of("entity"), "entity")
        return
    if actual != preferred[0].value:
        ctx.report("conflict-mismatch", f"{c.id}: the dataset has {actual!r} for {c.entity} "
                   f"{c.field}, the preferred claim says {preferred[0].value!r}",
                   file, line, c.id)


def resolve(data: Dataset, entity: str, field: str) -> str:
    """The dataset's current value of ``field`` on ``entity``, as text."""
    kind, _, ident = entity.partition(":")
    parts = field.split(".")
    if kind == "partnership":
        return _partnership_value(data, ident, parts)
    if kind == "party":
        return _party_value(data, ident, parts)
    if kind == "instrument" and parts == ["adopted"]:
        found = next((i for i in data.instruments if i.id == ident), None)
        if found is not None:
            return str(found.adopted or "")
    if kind == "milestone" and parts == ["date"]:
        ms = next((m for m in data.milestones if m.id == ident), None)
        if ms is not None:
            return str(ms.date)
    raise LookupError(f"cannot resolve {entity} {field}")


def _partnership_value(data: Dataset, code: str, parts: list[str]) -> str:
    p = data.partnership(code)
    if p is None:
        raise LookupError(f"no partnership with {code!r}")
    if len(parts) == 3 and parts[0] == "events" and parts[2] == "date":
        event = p.event(parts[1])
        if event is None:
            raise LookupError(f"{code} has no {parts[1]!r} event")
        return str(event.date)
    if len(parts) == 2 and parts[0] == "coverage" and _area_number(parts[1]):
        return str(p.status_of(int(parts[1])))
    raise LookupError(f"cannot resolve field {'.'.join(parts)!r} of a partnership")


def _area_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 10


def _party_value(data: Dataset, code: str, parts: list[str]) -> str:
    try:
        party = data.party(code)
    except KeyError:
        raise LookupError(f"no party {code!r}") from None
    if parts[0] != "memberships" or len(parts) not in (2, 3):
        raise LookupError(f"cannot resolve field {'.'.join(parts)!r} of a party")
    found = [m for m in party.memberships if m.group == parts[1]]
    if len(parts) == 2:
        return "yes" if found else "no"
    if parts[2] == "since" and found:
        return str(found[0].since or "")
    raise LookupError(f"{code} has no {parts[1]!r} membership")


def aliases(located: list[Located[Party]], ctx: Context) -> None:
    """Report a name or alias that points at two parties."""
    owners: dict[str, str] = {}
    for item in located:
        party = item.record
        for name in {party.code, party.name, *party.aliases}:
            owner = owners.setdefault(name.casefold(), party.code)
            if owner != party.code:
                ctx.report("duplicate-id", f"name {name!r} is used by both {owner} and "
                           f"{party.code}", item.mapping.file, item.mapping.line_of("aliases"),
                           "aliases")
