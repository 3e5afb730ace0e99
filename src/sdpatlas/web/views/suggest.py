"""Suggest a correction: a reader's correction as a reviewable change, to copy or download.

The form (``/suggest?partner=X[&area=N][&topic=…]``) takes the correction in words (the
posted ``text``), its source (title, address, date) and, for a cell of Table 1, the
status proposed. The answer is :func:`sdpatlas.corrections.suggest_cell` or
:func:`~sdpatlas.corrections.suggest_note`: the YAML edit as a unified diff plus the new
source's entry, shown to copy or (``download=1``) sent as ``suggestion-X.patch``. Nothing
is written on the server and no account is needed; the editors apply it with ``sdpatlas
apply-suggestion``.
"""

from __future__ import annotations

from sdpatlas.corrections import CorrectionError, Suggestion, suggest_cell, suggest_note
from sdpatlas.model import Area, Coverage, Dataset
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._forms import FRAMING, Form
from sdpatlas.web._params import Param
from sdpatlas.web.views._common import schema

MAX_REASON = 2000  # characters of the correction in words
PATCH = "text/x-diff; charset=utf-8"
PARAMS = (
    Param("partner", "partner", "The partnership to correct (its code).", example="ALB",
          options=lambda data: tuple(p.partner for p in data.partnerships)),
    Param("area", "int", "The number of the area of Table 1 to correct (with `status`); "
          "without it, a sourced note on the partnership is suggested.", minimum=1,
          maximum=99, example="3"),
    Param("status", "choice", "The status the area should have.",
          choices=tuple(str(c) for c in Coverage)),
    Param("topic", "text", "What the note corrects (a fact's topic), when no area is given.",
          default="correction", maximum=100),
    Param("source_title", "text", "The title of the source that shows the correction.",
          maximum=300),
    Param("source_url", "text", "Where the source can be read (http or https).",
          maximum=2000, example="https://example.org/statement"),
    Param("source_date", "date", "The source's date (YYYY-MM-DD).", example="2026-03-18"),
    Param("download", "flag", "1: answer with the suggestion as a file "
          "(`suggestion-CODE.patch`, text/x-diff) instead of the page or JSON.",
          default=False),
)


def _reason(ctx: Ctx) -> str:
    assert ctx.posted is not None
    text = ctx.posted.data.decode("utf-8", errors="replace").strip()
    if not text:
        raise error("bad-suggestion", "say what is wrong and what is right in the "
                    "correction field (the posted 'text')")
    if len(text) > MAX_REASON:
        raise error("bad-suggestion", f"the correction is {len(text)} characters long; at "
                    f"most {MAX_REASON} are accepted (the source says the rest)")
    return text


def _suggestion(ctx: Ctx, code: str) -> str:
    a, site = ctx.args, ctx.site
    if site.archive is not None:
        raise error("bad-suggestion", f"this is dataset version {site.archive.version}; "
                    "suggest corrections on the current version")
    suggestion = Suggestion(_reason(ctx), (a.text("source_title") or "").strip(),
                            (a.text("source_url") or "").strip(),
                            source_date=a.day("source_date"))
    area, status = a.number("area"), a.text("status")
    try:
        if area is None:
            return suggest_note(site.data_dir, site.data, code, a.text("topic") or "correction",
                                suggestion)
        if status is None:
            raise error("bad-suggestion", f"choose the status area {area} should have")
        return suggest_cell(site.data_dir, site.data, code, area, Coverage(status), suggestion)
    except CorrectionError as exc:
        hint = f"; {exc.hint}" if exc.hint else ""
        raise error("bad-suggestion", exc.message + hint) from exc


def _area(data: Dataset, area: int | None) -> Area | None:
    return next((x for x in data.areas if x.id == area), None)


def suggest_view(ctx: Ctx) -> Result:
    """The form (prefilled from the address), or the suggestion made from the posted form."""
    data, a = ctx.site.data, ctx.args
    code, area = a.text("partner"), a.number("area")
    p = data.partnership(code) if code else None
    cell = next((c for c in p.coverage if c.area == area), None) if p and area else None
    context: dict[str, object] = {
        "p": p, "party": data.party(code) if code else None,
        "area": _area(data, area), "cell": cell, "suggestion": None,
        "partners": [(q.partner, ctx.site.names[q.partner]) for q in data.partnerships],
        "statuses": [str(c) for c in Coverage]}
    if ctx.posted is None:
        return Result({}, "Suggest a correction", context=context)
    if code is None or p is None:
        raise error("bad-suggestion", "choose a partner that has a partnership in the "
                    "dataset (the 'partner' field)")
    if area is not None and area not in {x.id for x in data.areas}:
        raise error("bad-suggestion", f"there is no area {area} in Table 1; the areas are "
                    f"numbered 1–{len(data.areas)}")
    text = _suggestion(ctx, code)
    filename = f"suggestion-{code}.patch"
    payload: dict[str, JSON] = {"partner": code, "area": area, "suggestion": text,
                                "filename": filename}
    return Result(payload, "Your suggested correction", context={
        **context, "suggestion": text, "filename": filename,
        "download": text if a.flag("download") else None})


ENDPOINTS = (
    Endpoint(
        name="suggest", view=suggest_view, page="/suggest", api="/api/v1/suggest",
        template="suggest.html", section="partners", tag="documents",
        form=Form(text="The correction in words: what is wrong and what is right.",
                  file="The correction in words, as a UTF-8 text file.",
                  accept=".txt,text/plain", max_body=16 * 1024 + FRAMING, params=PARAMS,
                  download=(PATCH, "suggestion-{partner}.patch")),
        summary="Suggest a correction, as a reviewable change",
        description="Takes a correction in words (`text`), the partner, and for a cell of "
                    "Table 1 its `area` and proposed `status` (else a sourced note on the "
                    "partnership is suggested, under `topic`), with its source (title, an "
                    "http or https address, date). Answers with `suggestion`: a unified "
                    "diff of the data files (the YAML edit and the new source's entry in the "
                    "list of sources), the same as `sdpatlas suggest`, applied by the editors "
                    "with `sdpatlas apply-suggestion`; with `download=1`, that text as a "
                    "`suggestion-CODE.patch` file. Nothing is stored. A suggestion that "
                    "cannot be made (no such cell, a source address that is not http or "
                    "https) is a 422 `bad-suggestion`.",
        schema=schema("partner", "area", "suggestion", "filename")),
)
