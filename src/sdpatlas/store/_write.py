"""Writing a Dataset into a new SQLite database, row by row, in a stable order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sdpatlas.model import Dataset, PartialDate, Partnership, Party, Sources


def _text(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


class Writer:
    """Inserts one dataset's rows; integer ids are assigned in dataset order."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def insert(self, table: str, row: dict[str, object]) -> int:
        """Insert one row; return its rowid."""
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                 tuple(row.values()))
        return cursor.lastrowid or 0

    def cite(self, entity: str, entity_id: object, sources: Sources) -> None:
        """Record the sources behind one row."""
        for position, source in enumerate(sources):
            self.insert("citations", {"entity": entity, "entity_id": str(entity_id),
                                      "position": position, "source": source})

    def listing(self, table: str, owner: str, owner_id: str, column: str,
                values: Iterable[str]) -> None:
        """Insert an ordered list of strings belonging to one row."""
        for position, value in enumerate(values):
            self.insert(table, {owner: owner_id, "position": position, column: value})

    def dataset(self, data: Dataset) -> None:
        """Insert everything."""
        for s in data.sources:
            self.insert("sources", {"id": s.id, "title": s.title, "issuer": s.issuer,
                                    "kind": s.kind, "confidence": str(s.confidence),
                                    "date": _text(s.date), "url": s.url, "note": s.note})
        for i, c in enumerate(data.clusters):
            self.insert("clusters", {"key": c.key, "label": c.label, "position": i})
        for a in data.areas:
            self.insert("areas", {"id": a.id, "key": a.key, "label": a.label, "short": a.short,
                                  "cluster": a.cluster, "definition": a.definition})
        for i, g in enumerate(data.groups):
            self.insert("groups", {"key": g.key, "label": g.label,
                                   "description": g.description, "position": i})
            self.cite("groups", g.key, g.sources)
        for party in data.parties:
            self.party(party)
        for p in data.partnerships:
            self.partnership(p)
        self.context(data)

    def party(self, p: Party) -> None:
        """A party with its aliases and memberships."""
        self.insert("parties", {"code": p.code, "name": p.name, "official_name": p.official_name,
                                "kind": p.kind, "region": p.region, "note": p.note})
        self.listing("party_aliases", "party", p.code, "alias", p.aliases)
        for i, m in enumerate(p.memberships):
            row = self.insert("memberships", {"party": p.code, "position": i,
                                              "group_key": m.group, "since": _text(m.since),
                                              "until": _text(m.until), "note": m.note})
            self.cite("memberships", row, m.sources)

    def partnership(self, p: Partnership) -> None:
        """A partnership with its lifecycle, people, dialogues, commitments and coverage."""
        declared = p.declared
        self.insert("partnerships", {
            "partner": p.partner, "status": str(p.status), "title": p.title,
            "summary": p.summary, "signed": _text(p.signed),
            "declared_count": declared.count if declared else None,
            "declared_unit": declared.unit if declared else None})
        self.cite("partnerships", p.partner, p.sources)
        if declared:
            self.cite("declared_areas", p.partner, declared.sources)
        base = {"partner": p.partner}
        for i, e in enumerate(p.events):
            row = self.insert("events", {**base, "position": i, "kind": e.kind,
                                         "date": str(e.date), "place": e.place,
                                         "occasion": e.occasion, "note": e.note})
            self.cite("events", row, e.sources)
        for i, s in enumerate(p.signatories):
            row = self.insert("signatories", {**base, "position": i, "side": s.side,
                                              "role": s.role, "name": s.name})
            self.cite("signatories", row, s.sources)
        for i, d in enumerate(p.dialogues):
            row = self.insert("dialogues", {**base, "position": i, "name": d.name,
                                            "level": d.level, "frequency": d.frequency,
                                            "note": d.note})
            self.cite("dialogues", row, d.sources)
        for i, c in enumerate(p.commitments):
            row = self.insert("commitments", {**base, "position": i, "key": c.key,
                                              "label": c.label, "status": c.status,
                                              "date": _text(c.date), "note": c.note})
            self.cite("commitments", row, c.sources)
            for j, a in enumerate(c.amounts):
                self.insert("amounts", {"commitment": row, "position": j, "value": a.value,
                                        "currency": a.currency})
        for i, n in enumerate(p.notes):
            row = self.insert("notes", {**base, "position": i, "topic": n.topic,
                                        "text": n.text, "date": _text(n.date)})
            self.cite("notes", row, n.sources)
        for cell in p.coverage:
            self.insert("coverage", {**base, "area": cell.area, "status": str(cell.status),
                                     "note": cell.note})
            self.cite("coverage", f"{p.partner}/{cell.area}", cell.sources)

    def context(self, data: Dataset) -> None:
        """Conflicts, instruments, milestones and Parliament's resolutions."""
        for i, c in enumerate(data.conflicts):
            self.insert("conflicts", {"id": c.id, "position": i, "subject": c.subject,
                                      "entity": c.entity, "field": c.field, "reason": c.reason})
            for j, claim in enumerate(c.claims):
                row = self.insert("claims", {"conflict": c.id, "position": j,
                                             "value": claim.value,
                                             "preferred": int(claim.preferred),
                                             "note": claim.note})
                self.cite("claims", row, claim.sources)
        for i, ins in enumerate(data.instruments):
            self.insert("instruments", {"id": ins.id, "position": i, "name": ins.name,
                                        "kind": ins.kind, "summary": ins.summary,
                                        "adopted": _text(ins.adopted),
                                        "reference": ins.reference})
            self.listing("instrument_elements", "instrument", ins.id, "element", ins.elements)
            self.cite("instruments", ins.id, ins.sources)
        for m in data.milestones:
            self.insert("milestones", {"id": m.id, "date": str(m.date), "kind": m.kind,
                                       "title": m.title, "summary": m.summary})
            self.listing("milestone_parties", "milestone", m.id, "party", m.parties)
            self.cite("milestones", m.id, m.sources)
        for r in data.resolutions:
            self.insert("resolutions", {"id": r.id, "date": str(r.date), "title": r.title,
                                        "reference": r.reference})
            self.listing("resolution_calls", "resolution", r.id, "text", r.calls_for)
            self.listing("resolution_partners", "resolution", r.id, "party", r.partners)
            self.cite("resolutions", r.id, r.sources)
