"""Profiles of one partner or one area, as sections rendered to text or Markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, PartyCode, Sources
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.matrix import WORDS
from sdpatlas.render.words import country, label


@dataclass(frozen=True)
class Section:
    """A heading and its lines."""

    heading: str
    lines: tuple[str, ...]


def render_sections(title: str, sections: list[Section], fmt: str) -> str:
    """Sections as terminal text (``table``) or Markdown (``md``)."""
    if fmt == "md":
        out = [f"# {title}"]
        for s in sections:
            out += ["", f"## {s.heading}", "", *(f"- {line}" for line in s.lines)]
    else:
        out = [title, "=" * len(title)]
        for s in sections:
            out += ["", s.heading, "-" * len(s.heading), *(f"  {line}" for line in s.lines)]
    return "\n".join(out) + "\n"


def _cite(sources: Sources) -> str:
    return f" [{', '.join(sources)}]" if sources else ""


def partner_sections(data: Dataset, code: PartyCode, on: dt.date) -> list[Section]:
    """Groups, lifecycle, signatories, dialogues, commitments and areas of one partner."""
    party = data.party(code)
    labels = {g.key: g.label for g in data.groups}
    groups = [f"{labels.get(m.group, m.group)}"
              + (f" since {m.since}" if m.since else "") + _cite(m.sources)
              for m in party.memberships if m.active(on)]
    sections = [Section("Groups", tuple(groups) or ("none recorded",))]
    p = data.partnership(code)
    if p is None:
        return [*sections, Section("Partnership", ("no security and defence partnership",))]
    sections.append(Section("Partnership", (
        f"{p.title}: {p.status}" + (f" on {p.signed}" if p.signed else ""),
        p.summary + _cite(p.sources),
        *([f"The text declares {p.declared.count} {p.declared.unit}{_cite(p.declared.sources)}"]
          if p.declared else []))))
    sections.append(Section("Lifecycle", tuple(
        f"{e.date} {label(e.kind)}" + "".join(f", {x}" for x in (e.place, e.occasion) if x)
        + (f" ({e.note})" if e.note else "") + _cite(e.sources) for e in p.events)))
    if p.signatories:
        sections.append(Section("Signatories", tuple(
            f"{'EU' if s.side == 'eu' else party.name}: {s.role}"
            + (f" {s.name}" if s.name else "") + _cite(s.sources) for s in p.signatories)))
    if p.dialogues:
        sections.append(Section("Dialogues", tuple(
            d.name + "".join(f"; {x}" for x in (d.level, d.frequency, d.note) if x)
            + _cite(d.sources) for d in p.dialogues)))
    if p.commitments:
        sections.append(Section("Commitments", tuple(
            f"{c.label}: {label(c.status)}" + (f" ({c.date})" if c.date else "")
            + "".join(f"; {a.value:,.0f} {a.currency}" for a in c.amounts)
            + (f" — {c.note}" if c.note else "") + _cite(c.sources) for c in p.commitments)))
    if p.notes:
        sections.append(Section("Notes", tuple(
            f"{n.topic}: {n.text}" + (f" ({n.date})" if n.date else "") + _cite(n.sources)
            for n in p.notes)))
    if p.coverage:
        sections.append(_areas_section(data, code))
    sections.append(_sources_section(data, code))
    return sections


def _sources_section(data: Dataset, code: PartyCode) -> Section:
    party, p = data.party(code), data.partnership(code)
    cited = [s for m in party.memberships for s in m.sources]
    cited += p.cited() if p is not None else ()
    lines = []
    for source_id in dict.fromkeys(cited):
        s = data.source(source_id)
        lines.append(f"[{s.id}] {s.title} ({s.issuer}" + (f", {s.date}" if s.date else "")
                     + f"; {s.confidence})" + (f" {s.url}" if s.url else ""))
    return Section("Sources", tuple(lines))


def _areas_section(data: Dataset, code: PartyCode) -> Section:
    p = data.partnership(code)
    assert p is not None
    by_status: dict[Coverage, list[str]] = {s: [] for s in Coverage}
    for cell in p.coverage:
        by_status[cell.status].append(f"{cell.area}. {data.area(cell.area).short}")
    lines = [f"{WORDS[s].capitalize()} ({len(v)}): {'; '.join(v)}"
             for s, v in by_status.items() if v]
    return Section("Areas of cooperation", tuple(lines))


def partner_payload(data: Dataset, code: PartyCode, on: dt.date) -> dict[str, JSON]:
    """The JSON shape of ``partner X``."""
    party = data.party(code)
    p = data.partnership(code)
    out: dict[str, JSON] = {"party": jsonable(party), "groups": list(party.groups_on(on)),
                            "partnership": jsonable(p)}
    if p is not None and p.coverage:
        out["coverage"] = {str(c.area): str(c.status) for c in p.coverage}
    return out


def area_sections(data: Dataset, area_id: int, as_of: dt.date | None) -> list[Section]:
    """Definition of an area and who covers it."""
    area = data.area(area_id)
    groups = analysis.area_coverage(data, area_id, as_of)
    names = {p.code: p.name for p in data.parties}
    cluster = next((c.label for c in data.clusters if c.key == area.cluster), area.cluster)
    sections = [Section("Definition", (area.definition, f"Key: {area.key}; cluster: {cluster}"))]
    for status, codes in groups.items():
        if codes:
            sections.append(Section(f"{WORDS[status].capitalize()} ({len(codes)})",
                                    tuple(f"{c} {names[c]}" for c in codes)))
    return sections


def area_payload(data: Dataset, area_id: int, as_of: dt.date | None) -> dict[str, JSON]:
    """The JSON shape of ``area X``."""
    groups = analysis.area_coverage(data, area_id, as_of)
    return {"area": jsonable(data.area(area_id)),
            "partners": {str(status): list(codes) for status, codes in groups.items()}}


def conflict_about(data: Dataset, entity: str | None, field: str | None) -> str:
    """Which fact a conflict is about, in words (``the United Kingdom's partnership: area
    19, Consular matters``), not as the data's paths (``partnership:GBR``, ``coverage.19``)."""
    kind, _, key = (entity or "").partition(":")
    names = {p.code: country(p.name) for p in data.parties}
    names |= {m.id: m.title for m in data.milestones} | {i.id: i.name for i in data.instruments}
    name = names.get(key, label(key))
    whom = f"{name}'s partnership" if kind == "partnership" else name
    return ": ".join(x for x in (whom, _field_words(data, field or "")) if x)


def _field_words(data: Dataset, field: str) -> str:
    parts = field.split(".")
    labels = {g.key: g.label for g in data.groups}
    if parts[0] == "coverage" and len(parts) == 2 and parts[1].isdigit():
        area = data.area(int(parts[1]))
        return f"area {area.id}, {area.short}"
    if parts[0] == "events" and len(parts) >= 2:
        return f"the date it was {label(parts[1])}" if parts[1] == "signed" else \
            f"the date of the step '{label(parts[1])}'"
    if parts[0] == "memberships" and len(parts) >= 2:
        group = f"membership of the {labels.get(parts[1], label(parts[1]))}"
        return group + (" (since when)" if parts[2:] == ["since"] else "")
    return {"date": "its date", "adopted": "when it was adopted"}.get(field, label(field))


_REGIONS = {"europe": "Europe", "north-america": "North America",
            "indo-pacific": "the Indo-Pacific", "other": "another region"}


def feature_words(data: Dataset, features: tuple[str, ...] | list[str]) -> str:
    """A predictor's features in words: ``NATO Allies, Europe`` for ``group:nato-ally``,
    ``region:europe``."""
    labels = {g.key: g.label for g in data.groups}
    words = []
    for feature in features:
        kind, _, key = feature.partition(":")
        names = labels if kind == "group" else _REGIONS
        words.append(names.get(key, label(key)))
    return ", ".join(words)
