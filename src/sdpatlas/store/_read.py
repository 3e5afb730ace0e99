"""Reading a built database back into the typed model."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

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
    Resolution,
    Signatory,
    Source,
    Sources,
)

Row = sqlite3.Row


def _date(value: str | None) -> PartialDate | None:
    return None if value is None else PartialDate.parse(value)


def _req_date(value: str) -> PartialDate:
    return PartialDate.parse(value)


class Reader:
    """Reads every table once, then assembles model records."""

    def __init__(self, db: sqlite3.Connection) -> None:
        db.row_factory = sqlite3.Row
        self.db = db
        self.citations: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in db.execute("SELECT entity, entity_id, source FROM citations "
                              "ORDER BY entity, entity_id, position"):
            self.citations[(row["entity"], row["entity_id"])].append(row["source"])

    def rows(self, sql: str) -> list[Row]:
        """All rows of a query."""
        return list(self.db.execute(sql))

    def cited(self, entity: str, entity_id: object) -> Sources:
        """The sources behind one row."""
        return tuple(self.citations.get((entity, str(entity_id)), ()))

    def grouped(self, sql: str) -> dict[str, list[Row]]:
        """Rows of a query grouped by their first column."""
        out: dict[str, list[Row]] = defaultdict(list)
        for row in self.db.execute(sql):
            out[row[0]].append(row)
        return out

    def sources(self) -> tuple[Source, ...]:
        return tuple(
            Source(id=r["id"], title=r["title"], issuer=r["issuer"], kind=r["kind"],
                   confidence=Confidence(r["confidence"]), date=_date(r["date"]),
                   url=r["url"], note=r["note"])
            for r in self.rows("SELECT * FROM sources ORDER BY id"))

    def taxonomy(self) -> tuple[tuple[Area, ...], tuple[Cluster, ...]]:
        areas = tuple(Area(id=r["id"], key=r["key"], label=r["label"], short=r["short"],
                           cluster=r["cluster"], definition=r["definition"])
                      for r in self.rows("SELECT * FROM areas ORDER BY id"))
        clusters = tuple(Cluster(key=r["key"], label=r["label"])
                         for r in self.rows("SELECT * FROM clusters ORDER BY position"))
        return areas, clusters

    def groups(self) -> tuple[Group, ...]:
        return tuple(Group(key=r["key"], label=r["label"], description=r["description"],
                           sources=self.cited("groups", r["key"]))
                     for r in self.rows("SELECT * FROM groups ORDER BY position"))

    def parties(self) -> tuple[Party, ...]:
        aliases = self.grouped("SELECT party, alias FROM party_aliases ORDER BY party, position")
        members = self.grouped("SELECT party, * FROM memberships ORDER BY party, position")
        return tuple(
            Party(code=r["code"], name=r["name"], kind=r["kind"], region=r["region"],
                  aliases=tuple(a["alias"] for a in aliases.get(r["code"], [])),
                  official_name=r["official_name"], note=r["note"],
                  memberships=tuple(
                      Membership(group=m["group_key"], sources=self.cited("memberships", m["id"]),
                                 since=_date(m["since"]), until=_date(m["until"]),
                                 note=m["note"])
                      for m in members.get(r["code"], [])))
            for r in self.rows("SELECT * FROM parties ORDER BY code"))

    def partnerships(self) -> tuple[Partnership, ...]:
        parts = {t: self.grouped(f"SELECT partner, * FROM {t} ORDER BY partner, position")
                 for t in ("events", "signatories", "dialogues", "commitments", "notes")}
        cells = self.grouped("SELECT partner, * FROM coverage ORDER BY partner, area")
        amounts = self.grouped("SELECT commitment, * FROM amounts ORDER BY commitment, position")
        return tuple(self._partnership(r, parts, cells, amounts)
                     for r in self.rows("SELECT * FROM partnerships ORDER BY partner"))

    def _partnership(self, r: Row, parts: dict[str, dict[str, list[Row]]],
                     cells: dict[str, list[Row]], amounts: dict[str, list[Row]]) -> Partnership:
        code = r["partner"]
        declared = None
        if r["declared_count"] is not None:
            declared = DeclaredAreas(count=r["declared_count"], unit=r["declared_unit"],
                                     sources=self.cited("declared_areas", code))
        return Partnership(
            partner=code, status=PartnershipStatus(r["status"]), title=r["title"],
            summary=r["summary"], sources=self.cited("partnerships", code),
            events=tuple(Event(kind=e["kind"], date=_req_date(e["date"]),
                               sources=self.cited("events", e["id"]), place=e["place"],
                               occasion=e["occasion"], note=e["note"])
                         for e in parts["events"].get(code, [])),
            signatories=tuple(Signatory(side=s["side"], role=s["role"], name=s["name"],
                                        sources=self.cited("signatories", s["id"]))
                              for s in parts["signatories"].get(code, [])),
            dialogues=tuple(Dialogue(name=d["name"], level=d["level"], frequency=d["frequency"],
                                     note=d["note"], sources=self.cited("dialogues", d["id"]))
                            for d in parts["dialogues"].get(code, [])),
            commitments=tuple(
                Commitment(key=c["key"], label=c["label"], status=c["status"],
                           date=_date(c["date"]), note=c["note"],
                           sources=self.cited("commitments", c["id"]),
                           amounts=tuple(Amount(value=a["value"], currency=a["currency"])
                                         for a in amounts.get(c["id"], [])))
                for c in parts["commitments"].get(code, [])),
            declared=declared,
            coverage=tuple(CoverageCell(area=c["area"], status=Coverage(c["status"]),
                                        note=c["note"],
                                        sources=self.cited("coverage", f"{code}/{c['area']}"))
                           for c in cells.get(code, [])),
            notes=tuple(Note(topic=n["topic"], text=n["text"], date=_date(n["date"]),
                             sources=self.cited("notes", n["id"]))
                        for n in parts["notes"].get(code, [])),
        )

    def conflicts(self) -> tuple[Conflict, ...]:
        claims = self.grouped("SELECT conflict, * FROM claims ORDER BY conflict, position")
        return tuple(
            Conflict(id=r["id"], subject=r["subject"], reason=r["reason"], entity=r["entity"],
                     field=r["field"],
                     claims=tuple(Claim(value=c["value"], preferred=bool(c["preferred"]),
                                        note=c["note"], sources=self.cited("claims", c["id"]))
                                  for c in claims.get(r["id"], [])))
            for r in self.rows("SELECT * FROM conflicts ORDER BY position"))

    def instruments(self) -> tuple[Instrument, ...]:
        elements = self.grouped("SELECT instrument, element FROM instrument_elements "
                                "ORDER BY instrument, position")
        return tuple(
            Instrument(id=r["id"], name=r["name"], kind=r["kind"], summary=r["summary"],
                       adopted=_date(r["adopted"]), reference=r["reference"],
                       elements=tuple(e["element"] for e in elements.get(r["id"], [])),
                       sources=self.cited("instruments", r["id"]))
            for r in self.rows("SELECT * FROM instruments ORDER BY position"))

    def milestones(self) -> tuple[Milestone, ...]:
        parties = self.grouped("SELECT milestone, party FROM milestone_parties "
                               "ORDER BY milestone, position")
        rows = self.rows("SELECT * FROM milestones")
        found = [Milestone(id=r["id"], date=_req_date(r["date"]), kind=r["kind"],
                           title=r["title"], summary=r["summary"],
                           sources=self.cited("milestones", r["id"]),
                           parties=tuple(p["party"] for p in parties.get(r["id"], [])))
                 for r in rows]
        return tuple(sorted(found, key=lambda m: (m.date.earliest(), m.id)))

    def resolutions(self) -> tuple[Resolution, ...]:
        calls = self.grouped("SELECT resolution, text FROM resolution_calls "
                             "ORDER BY resolution, position")
        partners = self.grouped("SELECT resolution, party FROM resolution_partners "
                                "ORDER BY resolution, position")
        found = [Resolution(id=r["id"], date=_req_date(r["date"]), title=r["title"],
                            reference=r["reference"], sources=self.cited("resolutions", r["id"]),
                            calls_for=tuple(c["text"] for c in calls.get(r["id"], [])),
                            partners=tuple(p["party"] for p in partners.get(r["id"], [])))
                 for r in self.rows("SELECT * FROM resolutions")]
        return tuple(sorted(found, key=lambda r: (r.date.earliest(), r.id)))
