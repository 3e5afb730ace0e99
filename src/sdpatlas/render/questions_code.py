"""One answer for a coded document, as two tables: area by area, and segment by segment.

As :mod:`sdpatlas.render.questions`: the payload is the proposal's JSON
(:func:`~sdpatlas.coding.payload.proposal_payload`), what ``sdpatlas code PATH --format json``
prints and ``POST /api/v1/code`` answers; the table is what ``--format csv`` prints and
``POST /api/v1/code.csv`` answers (``table=segments`` for the segments). The coder is
imported when a proposal is rendered, so naming :data:`TABLES` costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sdpatlas.model import Area
from sdpatlas.render.questions import Answer
from sdpatlas.render.table import Column, Table

if TYPE_CHECKING:
    from sdpatlas.coding.coder import Proposal
    from sdpatlas.coding.propose import Evidence

__all__ = ["TABLES", "coded", "refused"]

TABLES = ("areas", "segments")
AREA_COLUMNS = (Column("area", "#", "right"), Column("label", "Area"), Column("status", "Status"),
                Column("confidence", "Conf.", "right"), Column("evidence", "Evidence"))
SEGMENT_COLUMNS = (Column("id", "Segment"), Column("kind", "Kind"),
                   Column("start", "Start", "right"), Column("end", "End", "right"),
                   Column("paragraph", "Paragraph"), Column("section", "Section"),
                   Column("areas", "Evidence for"), Column("text", "Text"))


def evidence_cell(e: Evidence, limit: int | None = None) -> str:
    """The passage behind a proposal, its matched words marked (a window of about ``limit``
    characters around them, if given)."""
    from sdpatlas.coding.payload import marked_quote

    return f"[{e.segment}] {marked_quote(e, limit)}"


def _notes(p: Proposal) -> tuple[str, ...]:
    return (f"{p.source.format}, {len(p.segments)} segments, {p.source.characters:,} "
            f"characters" + (f", {p.source.pages} pages" if p.source.pages else ""),
            "Statuses are proposals for review; use --format json for every passage and rule.")


def _areas(p: Proposal, areas: Mapping[int, Area], limit: int | None) -> Table:
    rows = tuple((c.area, areas[c.area].short, c.status.value, c.confidence,
                  evidence_cell(c.evidence[0], limit) if c.evidence else "")
                 for c in p.coverage)
    return Table(AREA_COLUMNS, rows, title=f"Proposed coverage: {p.source.name}",
                 notes=_notes(p))


def _segments(p: Proposal) -> Table:
    quoted: dict[str, list[str]] = {}
    for c in p.coverage:
        for e in c.evidence:
            quoted.setdefault(e.segment, [])
            if str(c.area) not in quoted[e.segment]:
                quoted[e.segment].append(str(c.area))
    rows = tuple((s.id, s.kind, s.start, s.end, s.paragraph, s.section,
                  ", ".join(quoted.get(s.id, ())), s.text) for s in p.segments)
    return Table(SEGMENT_COLUMNS, rows, title=f"Segments: {p.source.name}", notes=_notes(p))


def coded(p: Proposal, areas: Mapping[int, Area], table: str = "areas",
          quote_limit: int | None = None) -> Answer:
    """A proposal: its JSON, and the ``areas`` table (one row per area, its first evidence
    with a window of ``quote_limit`` characters if given) or the ``segments`` one (one row
    per segment, with the areas it is evidence for)."""
    from sdpatlas.coding.payload import proposal_payload

    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; use one of {', '.join(TABLES)}")
    shown = _segments(p) if table == "segments" else _areas(p, areas, quote_limit)
    return Answer(shown, proposal_payload(p))


def refused(name: str, message: str) -> str:
    """Why the coder refused a document, naming it once: its messages may begin with the
    name (``x.dat: the extension …``, ``x.pdf is named .pdf but …``)."""
    if message.startswith(f"{name}: "):
        message = message[len(name) + 2:]
    elif message.startswith(f"{name} "):
        message = "it" + message[len(name):]
    return f"cannot code {name}: {message}"
