"""Whole-dataset exports: JSON, tidy tables (CSV/XLSX), a Frictionless data package, CFF."""

from __future__ import annotations

import json
from pathlib import Path

from sdpatlas import __version__
from sdpatlas.model import Dataset, PartialDate, Sources
from sdpatlas.paths import SCHEMA_VERSION
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.table import Cell, Column, Table, as_csv

SEP = ";"


def release_json(data: Dataset) -> dict[str, JSON] | None:
    """The dataset's version and coverage date, and the software that wrote the export."""
    if data.release is None:
        return None
    return {"version": data.release.version, "coverage": str(data.release.coverage),
            "software": __version__}


def data_version(data: Dataset) -> str:
    """The dataset's own version, else the software's (an unversioned dataset)."""
    return data.release.version if data.release else __version__


def dataset_json(data: Dataset) -> dict[str, JSON]:
    """The whole dataset as one JSON document (the export contract)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "content_hash": data.content_hash,
        "release": release_json(data),
        "areas": jsonable(data.areas),
        "clusters": jsonable(data.clusters),
        "groups": jsonable(data.groups),
        "parties": jsonable(data.parties),
        "partnerships": [_partnership_json(data, p.partner) for p in data.partnerships],
        "sources": jsonable(data.sources),
        "conflicts": jsonable(data.conflicts),
        "milestones": jsonable(data.milestones),
        "resolutions": jsonable(data.resolutions),
        "instruments": jsonable(data.instruments),
    }


def _partnership_json(data: Dataset, code: str) -> JSON:
    p = data.partnership(code)
    assert p is not None
    out = jsonable(p)
    assert isinstance(out, dict)
    cells = out.pop("coverage")
    return {
        "partner": p.partner, "partner_name": data.party(p.partner).name,
        "status": str(p.status), "signed": str(p.signed) if p.signed else None,
        **{k: v for k, v in out.items() if k not in ("partner", "status")},
        "coverage": {str(c.area): str(c.status) for c in p.coverage},
        "coverage_detail": cells,
    }


def _d(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _s(sources: Sources) -> str:
    return SEP.join(sources)


def _table(name: str, spec: str, rows: list[tuple[Cell, ...]]) -> Table:
    cols = tuple(Column(key, key) for key in spec.split())
    return Table(columns=cols, rows=tuple(rows), title=name)


def tables(data: Dataset) -> dict[str, Table]:
    """The dataset as tidy tables (one fact per row; lists joined by ';')."""
    names = {p.code: p.name for p in data.parties}
    out = {
        "areas": _table("areas", "id key label short cluster definition", [
            (a.id, a.key, a.label, a.short, a.cluster, a.definition) for a in data.areas]),
        "groups": _table("groups", "key label description sources", [
            (g.key, g.label, g.description, _s(g.sources)) for g in data.groups]),
        "parties": _table("parties", "code name official_name kind region aliases", [
            (p.code, p.name, p.official_name, p.kind, p.region, SEP.join(p.aliases))
            for p in data.parties]),
        "memberships": _table("memberships", "party group since until note sources", [
            (p.code, m.group, _d(m.since), _d(m.until), m.note, _s(m.sources))
            for p in data.parties for m in p.memberships]),
        "partnerships": _table(
            "partnerships",
            "partner partner_name status signed title declared_count declared_unit sources", [
                (p.partner, names[p.partner], str(p.status), _d(p.signed), p.title,
                 p.declared.count if p.declared else None,
                 p.declared.unit if p.declared else None, _s(p.sources))
                for p in data.partnerships]),
        "coverage": coverage_table(data),
        "events": _table("events", "partner kind date place occasion note sources", [
            (p.partner, e.kind, str(e.date), e.place, e.occasion, e.note, _s(e.sources))
            for p in data.partnerships for e in p.events]),
        "signatories": _table("signatories", "partner side role name sources", [
            (p.partner, s.side, s.role, s.name, _s(s.sources))
            for p in data.partnerships for s in p.signatories]),
        "dialogues": _table("dialogues", "partner name level frequency note sources", [
            (p.partner, d.name, d.level, d.frequency, d.note, _s(d.sources))
            for p in data.partnerships for d in p.dialogues]),
        "commitments": _table("commitments", "partner key label status date amounts note sources", [
            (p.partner, c.key, c.label, c.status, _d(c.date),
             SEP.join(f"{a.value:g} {a.currency}" for a in c.amounts), c.note, _s(c.sources))
            for p in data.partnerships for c in p.commitments]),
        "notes": _table("notes", "partner topic date text sources", [
            (p.partner, n.topic, _d(n.date), n.text, _s(n.sources))
            for p in data.partnerships for n in p.notes]),
    }
    out.update(_context_tables(data))
    return out


def coverage_table(data: Dataset) -> Table:
    """One row per partner × area (the tidy form of Table 1)."""
    names = {p.code: p.name for p in data.parties}
    rows: list[tuple[Cell, ...]] = []
    for p in data.partnerships:
        for cell in p.coverage:
            area = data.area(cell.area)
            rows.append((p.partner, names[p.partner], _d(p.signed), area.id, area.key,
                         area.label, str(cell.status), cell.note, _s(cell.sources)))
    return _table("coverage", "partner partner_name signed area area_key area_label status "
                  "note sources", rows)


def _context_tables(data: Dataset) -> dict[str, Table]:
    return {
        "sources": _table("sources", "id title issuer kind confidence date url note", [
            (s.id, s.title, s.issuer, s.kind, str(s.confidence), _d(s.date), s.url, s.note)
            for s in data.sources]),
        "claims": _table("claims", "conflict subject entity field preferred value reason note "
                         "sources", [
            (c.id, c.subject, c.entity, c.field, "yes" if cl.preferred else "no", cl.value,
             c.reason, cl.note, _s(cl.sources))
            for c in data.conflicts for cl in c.claims]),
        "milestones": _table("milestones", "id date kind title summary parties sources", [
            (m.id, str(m.date), m.kind, m.title, m.summary, SEP.join(m.parties), _s(m.sources))
            for m in data.milestones]),
        "resolutions": _table("resolutions", "id date title reference calls_for partners "
                              "sources", [
            (r.id, str(r.date), r.title, r.reference, SEP.join(r.calls_for),
             SEP.join(r.partners), _s(r.sources)) for r in data.resolutions]),
        "instruments": _table("instruments", "id name kind adopted reference summary elements "
                              "sources", [
            (i.id, i.name, i.kind, _d(i.adopted), i.reference, i.summary, SEP.join(i.elements),
             _s(i.sources)) for i in data.instruments]),
    }


def xlsx_bytes(data: Dataset) -> bytes:
    """A workbook: a wide "Table 1" sheet, then one sheet per tidy table (see
    :mod:`sdpatlas.render.workbook`)."""
    from sdpatlas.render.workbook import xlsx_bytes as workbook

    return workbook(data, tables(data))


_INTEGER_COLUMNS = {"areas": {"id"}, "coverage": {"area"}, "partnerships": {"declared_count"}}


def _schema(table: Table, name: str) -> dict[str, JSON]:
    integers = _INTEGER_COLUMNS.get(name, set())
    fields: list[JSON] = [{"name": c.key, "type": "integer" if c.key in integers else "string"}
                          for c in table.columns]
    return {"fields": fields}


def write_datapackage(data: Dataset, folder: Path) -> None:
    """A Frictionless data package: one CSV per table and datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    resources: list[JSON] = []
    for name, table in tables(data).items():
        (folder / f"{name}.csv").write_text(as_csv(table), encoding="utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": _schema(table, name)})
    package = {
        "name": "sdp-atlas",
        "title": "SDP Atlas: the EU's Security and Defence Partnerships",
        "version": data_version(data),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": s.title, **({"path": s.url} if s.url else {})}
                    for s in data.sources if s.kind == "briefing"],
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False)
                                             + "\n", encoding="utf-8")


def citation_cff(data: Dataset) -> str:
    """A CITATION.cff describing the dataset and its main source (the most-cited briefing)."""
    from sdpatlas.analysis import source_usage

    usage = source_usage(data)
    briefings = [s for s in data.sources if s.kind == "briefing"]
    briefing = max(briefings, key=lambda s: usage[s.id], default=None)
    lines = [
        "cff-version: 1.2.0",
        "message: If you use this dataset, please cite it as below.",
        'title: "SDP Atlas: the EU\'s Security and Defence Partnerships as data"',
        "type: dataset",
        "authors:",
        '  - name: "SDP Atlas contributors"',
        f'version: "{data_version(data)}"',
        "license: CC-BY-4.0",
    ]
    if briefing is not None:
        lines += ["references:", "  - type: report", f'    title: "{briefing.title}"',
                  "    authors:", f'      - name: "{briefing.issuer}"']
        if briefing.date:
            lines.append(f'    year: "{briefing.date.year}"')
        if briefing.url:
            lines.append(f'    url: "{briefing.url}"')
    return "\n".join(lines) + "\n"
