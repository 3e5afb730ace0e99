"""One answer per question: the table and the JSON that the CLI and the web both serve.

Each function builds a question's answer once, as an :class:`Answer`: ``table`` is what the
CSV (and the terminal and Markdown) render, ``payload`` is what ``--format json`` prints
and what the JSON API returns (list answers as its ``items``; the web only adds links and
paging). Lists in the JSON are joined with ", " in the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, PartnershipStatus, PartyCode
from sdpatlas.render import profiles
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.matrix import CELL_WORDS, matrix_payload, matrix_table
from sdpatlas.render.table import Cell, Column, Table
from sdpatlas.render.words import count, listing, plural

__all__ = ["Answer", "area", "areas", "compare", "conflicts", "matrix", "partner", "partners",
           "sources", "timeline"]

JOIN = ", "


@dataclass(frozen=True)
class Answer:
    """A question's table (CSV, terminal, Markdown) and its JSON."""

    table: Table
    payload: JSON

    @property
    def items(self) -> list[JSON]:
        """The JSON rows of a list answer."""
        assert isinstance(self.payload, list)
        return self.payload


def _joined(values: tuple[str, ...] | list[str]) -> str:
    return JOIN.join(values)


def matrix(m: analysis.Matrix, data: Dataset, *, display: bool = False,
           full_labels: bool = False) -> Answer:
    """Table 1: words in the data table, symbols and totals in the ``display`` one; areas
    as Table 1 words them with ``full_labels``."""
    return Answer(matrix_table(m, data, display=display, full_labels=full_labels),
                  jsonable(matrix_payload(m)))


STATUS_RANK = {s: i for i, s in enumerate(PartnershipStatus)}
PARTNER_COLUMNS = (Column("code", "Code"), Column("name", "Partner"),
                   Column("status", "Status"), Column("signed", "Signed"),
                   Column("groups", "Groups"), Column("assessed", "Assessed"),
                   Column("areas_covered", "Areas (Table 1)", "right"),
                   Column("areas_declared", "Areas (text)", "right"))


def partners(data: Dataset, on: dt.date) -> Answer:
    """Every partnership: signed first (by date), then negotiating, exploring, proposed."""
    items: list[JSON] = []
    rows: list[tuple[Cell, ...]] = []
    for p in sorted(data.partnerships, key=lambda p: (STATUS_RANK[p.status],
                                                        str(p.signed or ""), p.partner)):
        party = data.party(p.partner)
        groups = party.groups_on(on)
        covered = sum(c.status is Coverage.YES for c in p.coverage) if p.assessed else None
        declared = p.declared.count if p.declared else None
        signed = str(p.signed) if p.signed else None
        rows.append((p.partner, party.name, str(p.status), signed, _joined(groups),
                     "yes" if p.assessed else "no", covered, declared))
        items.append({"code": p.partner, "name": party.name, "status": str(p.status),
                      "signed": signed, "groups": list(groups), "assessed": p.assessed,
                      "areas_covered": covered, "areas_declared": declared, "title": p.title})
    table = Table(PARTNER_COLUMNS, tuple(rows), title="Security and defence partnerships",
                  notes=tuple(assessed_notes(data)))
    return Answer(table, items)


def partner(data: Dataset, code: PartyCode, on: dt.date) -> Answer:
    """One partner: its profile as JSON, its status on every area as the table."""
    p = data.partnership(code)
    rows = tuple((a.id, a.key, a.label, str(p.status_of(a.id)) if p else "unknown",
                  CELL_WORDS[p.status_of(a.id)] if p else CELL_WORDS[Coverage.UNKNOWN])
                 for a in data.areas)
    columns = (Column("area", "#", "right"), Column("key", "Key"), Column("label", "Area"),
               Column("status", "Status"), Column("words", "In words"))
    title = f"{data.party(code).name}: areas of cooperation"
    return Answer(Table(columns, rows, title=title), profiles.partner_payload(data, code, on))


AREA_COLUMNS = (Column("id", "#", "right"), Column("key", "Key"), Column("short", "Area"),
                Column("cluster", "Cluster"), Column("covered_by", "Covered by", "right"),
                Column("of", "Of assessed", "right"))


def areas(data: Dataset, as_of: dt.date | None = None,
          clusters: tuple[str, ...] = ()) -> Answer:
    """Every area with its cluster and how many assessed partnerships cover it."""
    assessed = analysis.assessed(data, as_of)
    chosen = [a for a in data.areas if not clusters or a.cluster in clusters]
    items: list[JSON] = []
    rows: list[tuple[Cell, ...]] = []
    for a in chosen:
        covered = sum(p.status_of(a.id) is Coverage.YES for p in assessed)
        rows.append((a.id, a.key, a.short, a.cluster, covered, len(assessed)))
        items.append({"id": a.id, "key": a.key, "label": a.label, "short": a.short,
                      "cluster": a.cluster, "covered_by": covered, "of": len(assessed)})
    return Answer(Table(AREA_COLUMNS, tuple(rows), title="Areas of cooperation",
                        notes=tuple(assessed_notes(data, as_of))), items)


def assessed_notes(data: Dataset, as_of: dt.date | None = None) -> list[str]:
    """What the counts rest on: how many signed partnerships are assessed, and which are not."""
    assessed = analysis.assessed(data, as_of)
    waiting = analysis.not_assessed(data, as_of)
    text = f"Counted over the {count(len(assessed), 'assessed partnership')}"
    if waiting:
        names = listing([data.party(p.partner).name for p in waiting])
        text += (f"; {count(len(waiting), 'more partnership')} signed but not yet assessed "
                 f"({names}) {plural(len(waiting), 'is', 'are')} not counted")
    return [text + "."]


def area(data: Dataset, area_id: int, as_of: dt.date | None = None) -> Answer:
    """One area: every signed partner's status on it."""
    rows = tuple((p.partner, data.party(p.partner).name, str(p.status_of(area_id)),
                  CELL_WORDS[p.status_of(area_id)]) for p in data.signed(as_of))
    columns = (Column("partner", "Code"), Column("name", "Partner"), Column("status", "Status"),
               Column("words", "In words"))
    found = data.area(area_id)
    return Answer(Table(columns, rows, title=f"{found.id}. {found.label}"),
                  profiles.area_payload(data, area_id, as_of))


def compare(data: Dataset, codes: list[PartyCode], differences: bool = False) -> Answer:
    """Partnerships side by side; ``differences`` keeps only the areas where they differ.

    Raises ``ValueError`` when fewer than two coded partnerships are given.
    """
    result = analysis.compare(data, codes)
    rows = [(a, st) for a, st in result.rows if not differences or a.id in result.differing]
    payload: dict[str, JSON] = {
        "partners": [{"code": c, "name": data.party(c).name} for c in result.partners],
        "shared": list(result.shared),
        "only": {c: list(ids) for c, ids in result.only.items()},
        "differing": list(result.differing),
        "differences_only": differences,
        "rows": [{"area": a.id, "label": a.label, "short": a.short,
                  "status": {c: str(s) for c, s in zip(result.partners, st, strict=True)}}
                 for a, st in rows],
    }
    columns = (Column("area", "#", "right"), Column("short", "Area"),
               *(Column(c, c) for c in result.partners))
    notes = [f"Shared by all: {count(len(result.shared), 'area')} ({_ids(result.shared)})"]
    notes += [f"Only {c}: {_ids(ids) or 'none'}" for c, ids in result.only.items()]
    table = Table(columns, tuple((a.id, a.short, *(CELL_WORDS[s] for s in st)) for a, st in rows),
                  title="Comparison: " + " vs ".join(data.party(c).name for c in result.partners),
                  notes=tuple(notes))
    return Answer(table, payload)


def _ids(ids: tuple[int, ...]) -> str:
    return JOIN.join(str(i) for i in ids)


TIMELINE_COLUMNS = (Column("date", "Date"), Column("category", "Category"),
                    Column("title", "What"), Column("parties", "Parties"),
                    Column("sources", "Sources"))


def timeline(data: Dataset, as_of: dt.date | None = None, partners: tuple[str, ...] = (),
             categories: tuple[str, ...] = ()) -> Answer:
    """Everything dated, oldest first, optionally about some partners or of some kinds."""
    codes = set(partners)
    entries = [e for e in analysis.timeline(data, as_of)
               if (not codes or codes & set(e.parties))
               and (not categories or e.category in categories)]
    rows = tuple((str(e.date), e.category, e.title, _joined(e.parties), _joined(e.sources))
                 for e in entries)
    items: list[JSON] = [{**jsonable(e), "year": e.date.year}  # type: ignore[dict-item]
                         for e in entries]
    return Answer(Table(TIMELINE_COLUMNS, rows, title="Timeline"), items)


SOURCE_COLUMNS = (Column("id", "Id"), Column("kind", "Kind"),
                  Column("confidence", "Confidence"), Column("date", "Date"),
                  Column("title", "Title"), Column("url", "URL"),
                  Column("cited", "Cited", "right"))


def sources(data: Dataset, confidence: str | None = None) -> Answer:
    """Every cited document with its confidence and how many facts cite it."""
    usage = analysis.source_usage(data)
    chosen = [s for s in data.sources if confidence is None or str(s.confidence) == confidence]
    rows = tuple((s.id, s.kind, str(s.confidence), str(s.date) if s.date else None, s.title,
                  s.url, usage[s.id]) for s in chosen)
    items: list[JSON] = [{**jsonable(s), "cited": usage[s.id]}  # type: ignore[dict-item]
                         for s in chosen]
    return Answer(Table(SOURCE_COLUMNS, rows, title="Sources"), items)


CONFLICT_COLUMNS = (Column("id", "Id"), Column("subject", "Subject"),
                    Column("preferred", "Preferred"), Column("other_claims", "Other claims"),
                    Column("reason", "Why preferred"))


def conflicts(data: Dataset) -> Answer:
    """Facts on which sources disagree: every claim, the preferred one and why."""
    rows: list[tuple[Cell, ...]] = []
    items: list[JSON] = []
    for c in data.conflicts:
        others = " | ".join(f"{x.value} ({_joined(x.sources)})" for x in c.claims
                            if not x.preferred)
        rows.append((c.id, c.subject, c.preferred.value, others, c.reason))
        item = jsonable(c)
        assert isinstance(item, dict)
        items.append({**item, "preferred": c.preferred.value, "other_claims": others})
    title = f"Conflicting claims ({len(rows)})"
    return Answer(Table(CONFLICT_COLUMNS, tuple(rows), title=title), items)
