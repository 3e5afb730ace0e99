"""Code a document: paste text or upload a file; the proposal with its evidence in the text.

The logic is :mod:`sdpatlas.coding`; the answer is built once by
:func:`sdpatlas.render.questions_code.coded`: the JSON of ``POST /api/v1/code`` is the object
``sdpatlas code PATH --format json`` prints (pasted text is coded like ``sdpatlas code -`` on
standard input), ``POST /api/v1/code.csv`` the CSV of ``--format csv`` (``table=segments``:
of ``--table segments``).
Parsers run in a resource-limited child process that the coder starts from a fork server
(this process has threads); at most :data:`AT_ONCE` documents are coded at a time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from sdpatlas.coding.formats import EXTENSIONS
from sdpatlas.coding.limits import DEFAULT_LIMITS
from sdpatlas.render.questions_code import TABLES, refused
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._forms import FRAMING, Form, Posted
from sdpatlas.web._params import Param
from sdpatlas.web._site import Site
from sdpatlas.web.views._common import schema

if TYPE_CHECKING:
    from sdpatlas.coding import Coder, Proposal

AT_ONCE = 2

_CODERS: dict[tuple[str, str], Coder] = {}
_SLOTS = threading.BoundedSemaphore(AT_ONCE)


@dataclass(frozen=True)
class Piece:
    """A stretch of the document's text and the evidence marks over it."""

    text: str
    areas: tuple[int, ...] = ()
    term: bool = False
    anchors: tuple[str, ...] = ()


def coder_for(site: Site) -> Coder:
    """The dataset's coder (lexicon and word list), loaded once per process and dataset."""
    from sdpatlas.coding import Coder  # the tagger loads on the first document, not at start-up

    key = (str(site.data_dir), site.data.content_hash)
    if key not in _CODERS:
        _CODERS[key] = Coder.from_data(site.data_dir, site.data.areas)
    return _CODERS[key]


def _code(site: Site, posted: Posted) -> Proposal:
    from sdpatlas.coding import RefusedInput

    if not posted.data.strip():
        raise error("empty", f"{_shown(posted)} is empty: paste the text or choose a file")
    coder = coder_for(site)
    with _SLOTS:
        try:
            return coder.code_bytes(posted.data, posted.name)
        except RefusedInput as exc:
            hint = f"; hint: {exc.hint}" if exc.hint else ""
            why = exc.message if exc.code != "corrupt" else "the parser could not read it"
            raise error(exc.code, refused(_shown(posted), why) + hint) from exc


def anchor(area: int, index: int) -> str:
    """The id of one piece of evidence in the highlighted text."""
    return f"ev-{area}-{index}"


def pieces(p: Proposal) -> list[Piece]:
    """The text cut at every evidence boundary, each piece with the areas quoting it."""
    quotes = [(e.start, e.end, c.area, anchor(c.area, i))
              for c in p.coverage for i, e in enumerate(c.evidence)]
    terms = [e.match for c in p.coverage for e in c.evidence]
    cuts = sorted({0, len(p.text), *(q[0] for q in quotes), *(q[1] for q in quotes),
                   *(t for span in terms for t in span)})
    out = []
    for start, end in pairwise(cuts):
        if not 0 <= start < end <= len(p.text):
            continue
        areas = tuple(sorted({q[2] for q in quotes if q[0] <= start < q[1]}))
        out.append(Piece(p.text[start:end], areas,
                         any(a <= start < b for a, b in terms) and bool(areas),
                         tuple(q[3] for q in quotes if q[0] == start)))
    return out


def code_view(ctx: Ctx) -> Result:
    """The empty form, or the proposal for the posted document."""
    if ctx.posted is None:
        return Result({}, "Code a document", context={"proposal": None, "pieces": [],
                                                        "areas": {}})
    from sdpatlas.render.questions_code import coded

    proposal = _code(ctx.site, ctx.posted)
    areas = {a.id: a for a in ctx.site.data.areas}
    answer = coded(proposal, areas, ctx.args.text("table") or "areas")
    assert isinstance(answer.payload, dict)
    return Result(answer.payload, f"Proposal for {_shown(ctx.posted)}", table=answer.table,
                  context={"proposal": proposal, "pieces": pieces(proposal), "areas": areas})


def _shown(posted: Posted) -> str:
    return "the pasted text" if posted.name == "-" else posted.name


CODE_KEYS = ("source", "segments", "coverage")
TABLE = Param("table", "choice", "The table of the CSV answer: one row per area (`areas`) or "
              "per segment of the text (`segments`).", choices=TABLES, default=TABLES[0])

ENDPOINTS = (
    Endpoint(
        name="code", view=code_view, page="/code", api="/api/v1/code", template="code.html",
        nav="Coder", tag="documents", csv=True,
        form=Form(
            text="The document's text, pasted (coded like `sdpatlas code -` reads standard "
                 "input).",
            file="The document as a file: " + ", ".join(sorted(EXTENSIONS)) + ".",
            accept=",".join(sorted(EXTENSIONS)),
            max_body=DEFAULT_LIMITS.max_bytes + FRAMING, params=(TABLE,)),
        summary="Code a document: the areas it covers, with evidence",
        description="Reads an agreement (or any text about one) as pasted `text` or an "
                    "uploaded `file` (text, Markdown, HTML, PDF or DOCX, parsed with the "
                    "coder's size, page, time and memory limits) and proposes a status for "
                    "every area (`yes`, `no`, `already_exists`, or `unknown` when the coder "
                    "abstains) with its confidence and evidence: the segment, the character "
                    "span in the extracted text, the quote and the rule. The same JSON as "
                    "`sdpatlas code PATH --format json`; `POST /api/v1/code.csv` answers with "
                    "the table of `--format csv` (`table=segments`: of `--table segments`). "
                    "A refused document is a 422 whose `code` says why (`empty`, `corrupt`, "
                    "`encrypted`, `binary`, …).",
        schema=schema(*CODE_KEYS, lists=("segments",))),
)
