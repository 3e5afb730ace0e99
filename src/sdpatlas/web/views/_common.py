"""Pieces several views share: parameters, small JSON shapes, conflict lookups."""

from __future__ import annotations

from sdpatlas.model import Conflict, Coverage, Dataset, Source, Sources
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.matrix import WORDS
from sdpatlas.web._params import Param

PARTNERS = Param("partner", "partner", "Only these partners (code, name or alias); repeat the "
                 "parameter or separate values with commas.", many=True, example="JPN")
AREAS = Param("area", "area", "Only these areas (number 1–26, key or label); repeatable.",
              many=True, example="15")
GROUPS = Param("group", "group", "Only partners in any of these groups (e.g. nato-ally, "
               "eu-candidate); repeatable.", many=True, example="nato-ally")
CLUSTERS = Param("cluster", "cluster", "Only areas in any of these thematic clusters; "
                 "repeatable.", many=True)
AS_OF = Param("as_of", "date", "Only what was signed or happened by this date (YYYY-MM-DD); "
              "groups as they stood that day.", example="2025-01-01")
CODE = Param("code", "partner", "The partner: ISO 3166-1 alpha-3 code, name or alias.",
             where="path", example="JPN")
PARTNERSHIP = Param("code", "partner", "The partner: ISO 3166-1 alpha-3 code, name or alias, "
                    "of a party with a partnership (signed or prospective).", where="path",
                    example="JPN",
                    options=lambda data: tuple(p.partner for p in data.partnerships))
AREA = Param("area", "area", "The area: its Table 1 number (1–26), key or label.",
             where="path", example="15")

STATUS_ORDER = (Coverage.YES, Coverage.NO, Coverage.ALREADY_EXISTS, Coverage.UNKNOWN)


def status_json(status: Coverage) -> dict[str, JSON]:
    """A coverage status with its words."""
    return {"status": str(status), "label": WORDS[status]}


def sources_json(data: Dataset, ids: Sources) -> list[JSON]:
    """The full records of some sources, in citation order."""
    return [jsonable(data.source(s)) for s in ids]


def source_records(data: Dataset, ids: Sources) -> list[Source]:
    """The source records behind some ids (unknown ids skipped)."""
    known = {s.id: s for s in data.sources}
    return [known[s] for s in dict.fromkeys(ids) if s in known]


def cell_conflicts(data: Dataset, code: str, area: int) -> list[Conflict]:
    """Conflicts about one matrix cell (entity ``partnership:CODE``, field ``coverage.N``)."""
    return [c for c in data.conflicts
            if c.entity == f"partnership:{code}" and c.field == f"coverage.{area}"]


def partner_conflicts(data: Dataset, code: str) -> list[Conflict]:
    """Conflicts about a partner or its partnership."""
    return [c for c in data.conflicts if c.entity in (f"partnership:{code}", f"party:{code}")]


def schema(*required: str, lists: tuple[str, ...] = ()) -> dict[str, JSON]:
    """A loose JSON schema naming the keys a response always has (``lists``: arrays)."""
    props: dict[str, JSON] = {k: {"type": "array"} for k in lists}
    return {"required": list(required), "properties": props}


PAGED = ("items", "total", "limit", "offset", "next")
