"""Upload endpoints: a page and an API route that take a posted document.

Most of the explorer is read-only GET. An endpoint with a :class:`Form` also takes one
document by ``POST`` as ``multipart/form-data`` (or, for pasted text only, a URL-encoded
form): pasted text in the ``text`` field or a file in the ``file`` field, plus the form's
own parameters (declared as :class:`~sdpatlas.web._params.Param` records, so they are
parsed and documented like query parameters). The page answers GET with the empty form
and POST with the result, or with the form again and the error; the API route answers
POST only, and so does its CSV route (``API.csv``, the result's table) when the endpoint has
one. The request body is bounded by :attr:`Form.max_body` before it is read (see
``_app.Guard``); answers to posts are never cached.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sdpatlas.render.jsonable import JSON
from sdpatlas.render.table import as_csv
from sdpatlas.web._endpoint import Ctx, Result, _root, render_json
from sdpatlas.web._errors import ApiError, error
from sdpatlas.web._params import Args, Param, openapi_parameter, parse
from sdpatlas.web._pool import Job

if TYPE_CHECKING:
    from sdpatlas.web._endpoint import Endpoint
    from sdpatlas.web._fairuse import Heavy
    from sdpatlas.web._site import Site

__all__ = ["Form", "Posted", "form_routes", "render_upload", "request_body"]

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
NO_STORE = {"Cache-Control": "no-store"}
FRAMING = 64 * 1024  # bytes of multipart framing and small fields allowed beside a document
ONE_DOCUMENT: list[JSON] = [  # a file (beside blank text, as browsers send it), or text
    {"required": ["file"], "properties": {"text": {"pattern": r"^\s*$"}}},
    {"required": ["text"], "properties": {"text": {"pattern": r"\S"}},
     "not": {"required": ["file"]}},
]


@dataclass(frozen=True)
class Form:
    """What an upload endpoint accepts: a document as pasted text or a file, and parameters.

    ``download`` (a media type and a file name with ``{param}`` fields): the view may
    answer with a file instead (its :class:`Result` holds the text as ``download``).
    """

    text: str
    file: str
    accept: str
    max_body: int
    params: tuple[Param, ...] = ()
    download: tuple[str, str] | None = None

    @property
    def max_document(self) -> int:
        """The largest document (file or pasted text) that fits in the body limit."""
        return self.max_body - FRAMING


@dataclass(frozen=True)
class Posted:
    """The posted document: its name (``-`` when pasted), its bytes, and the pasted text."""

    name: str
    data: bytes
    pasted: str = ""


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _form_data(request: Request, form: Form) -> FormData:
    if _media_type(request) not in FORM_TYPES:
        raise error("unsupported-media-type", "post the form as multipart/form-data (a "
                    "file in 'file' or text in 'text'), not "
                    f"{_media_type(request) or 'a body without Content-Type'}")
    try:
        return await request.form(max_files=1, max_fields=len(form.params) + 2,
                                  max_part_size=form.max_body)
    except HTTPException as exc:
        raise error("bad-form", _unreadable(str(exc.detail), form)) from None


def _unreadable(detail: str, form: Form) -> str:
    """Why a form could not be read, in this API's words (not the parser's)."""
    if "maximum size" in detail:
        why = f"a part of it is over {form.max_body:,} bytes"
    elif "Too many" in detail:
        why = "it has more fields or files than the form takes (text, file" + "".join(
            f", {p.name}" for p in form.params) + ")"
    else:
        why = "it is not well-formed multipart/form-data (boundary, part headers or names)"
    return f"the form cannot be read: {why}"


async def _posted(request: Request, form: Form, site: Site) -> tuple[Posted, Args]:
    """The document and the parameters of a posted form; ApiError when it is malformed."""
    fields = await _form_data(request, form)
    try:
        known = {"text", "file", *(p.name for p in form.params)}
        unknown = sorted(set(fields.keys()) - known)
        if unknown:
            raise error("bad-form", f"unknown form field {unknown[0]!r}; the fields are "
                        f"{', '.join(sorted(known))}")
        pairs = [(k, v) for k, v in fields.multi_items() if isinstance(v, str)
                 and k not in ("text", "file")]
        args = parse(site.data, form.params, pairs, {}, "json")
        return await _document(fields), args
    finally:
        await fields.close()


async def _document(fields: FormData) -> Posted:
    for name in ("text", "file"):
        if len(fields.getlist(name)) > 1:
            raise error("bad-form", f"give the field {name!r} once")
    text, upload = fields.get("text"), fields.get("file")
    if isinstance(text, UploadFile) or (upload is not None and isinstance(upload, str)
                                        and upload):
        raise error("bad-form", "'text' is a text field and 'file' a file field")
    pasted = text.replace("\r\n", "\n") if isinstance(text, str) else ""
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        if pasted.strip():
            raise error("bad-form", "give either pasted text or a file, not both")
        return Posted(_file_name(upload.filename), await upload.read())
    return Posted("-", pasted.encode("utf-8"), pasted)


def _file_name(name: str | None) -> str:
    """The base name of an uploaded file (browsers may send a path)."""
    return (name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"


Handler = Callable[[Request], Awaitable[Response]]


def render_upload(ctx: Ctx) -> tuple[bytes, str]:
    """The body of an upload endpoint's answer to a posted document: JSON, or the page."""
    result = ctx.endpoint.view(ctx)
    file, form = result.context.get("download"), ctx.endpoint.form
    if isinstance(file, str) and form is not None and form.download is not None:
        return file.encode(), form.download[0]
    if ctx.args.fmt == "json":
        return render_json(result.data), "application/json"
    if ctx.args.fmt == "csv" and result.table is not None:
        return as_csv(result.table).encode(), "text/csv; charset=utf-8"
    return _html_body(ctx, result), "text/html; charset=utf-8"


def _headers(form: Form, args: Args, media_type: str) -> dict[str, str]:
    if form.download is None or media_type != form.download[0]:
        return NO_STORE
    name = re.sub(r"[^A-Za-z0-9._-]", "_", form.download[1].format(
        **{p.name: str(args.values.get(p.name) or "") for p in form.params}))
    return {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}


def _job(ctx: Ctx, fmt: str) -> Job:
    return Job(ctx.endpoint.name, fmt, dict(ctx.args.values), {}, ctx.urls.root, ctx.posted)


def _api(endpoint: Endpoint, form: Form, site: Site, heavy: Heavy,
         fmt: str = "json") -> Handler:
    async def handle(request: Request) -> Response:
        posted, args = await _posted(request, form, site)
        ctx = Ctx(site=site, args=args, endpoint=endpoint, urls=site.urls(_root(request)),
                  posted=posted)
        body, media_type = await heavy.run(request, _job(ctx, fmt))
        return Response(body, media_type=media_type, headers=_headers(form, args, media_type))

    return handle


def _page(endpoint: Endpoint, form: Form, site: Site, heavy: Heavy) -> Handler:
    async def handle(request: Request) -> Response:
        urls = site.urls(_root(request))
        if request.method != "POST":
            args = parse(site.data, form.params, request.query_params.multi_items(), {},
                         "html")
            ctx = Ctx(site=site, args=args, endpoint=endpoint, urls=urls)
            return _html(ctx, endpoint.view(ctx))
        blank = Args(values={p.name: p.default for p in form.params}, params=form.params)
        ctx = Ctx(site=site, args=blank, endpoint=endpoint, urls=urls)
        try:
            posted, args = await _posted(request, form, site)
            ctx = replace(ctx, args=args, posted=posted)
            body, media_type = await heavy.run(request, _job(ctx, "html"))
            return Response(body, media_type=media_type,
                            headers=_headers(form, args, media_type))
        except ApiError as exc:
            return _html(ctx, endpoint.view(replace(ctx, posted=None)), exc)

    return handle


def _html_body(ctx: Ctx, result: Result, problem: ApiError | None = None) -> bytes:
    assert ctx.endpoint.template is not None
    template = ctx.site.env.get_template(ctx.endpoint.template)
    return template.render(ctx=ctx, urls=ctx.urls, site=ctx.site, data=result.data,
                           title=result.title, problem=problem, **result.context).encode()


def _html(ctx: Ctx, result: Result, problem: ApiError | None = None) -> Response:
    headers = {**NO_STORE, **(problem.headers() if problem else {})}
    return Response(_html_body(ctx, result, problem),
                    status_code=problem.status if problem else 200,
                    media_type="text/html; charset=utf-8", headers=headers)


def form_routes(endpoint: Endpoint, site: Site, heavy: Heavy) -> list[Route]:
    """The routes of an upload endpoint: its page (GET and POST) and its API route (POST).

    Posted documents are rendered in ``heavy``'s pool, after its rate limit.
    """
    form = endpoint.form
    assert form is not None
    out = []
    if endpoint.page is not None:
        out.append(Route(endpoint.page, _page(endpoint, form, site, heavy),
                         methods=["GET", "POST"], name=f"page:{endpoint.name}"))
    if endpoint.api is not None and endpoint.csv:
        out.append(Route(f"{endpoint.api}.csv", _api(endpoint, form, site, heavy, "csv"),
                         methods=["POST"], name=f"csv:{endpoint.name}"))
    if endpoint.api is not None:
        out.append(Route(endpoint.api, _api(endpoint, form, site, heavy), methods=["POST"],
                         name=f"api:{endpoint.name}"))
    return out


def body_limits(endpoints: tuple[Endpoint, ...]) -> dict[str, int]:
    """The largest request body each upload address accepts."""
    out: dict[str, int] = {}
    for e in endpoints:
        if e.form is not None:
            csv = f"{e.api}.csv" if e.api and e.csv else None
            out.update({path: e.form.max_body for path in (e.page, e.api, csv) if path})
    return out


def request_body(form: Form, site: Site) -> dict[str, JSON]:
    """The OpenAPI ``requestBody`` of an upload endpoint."""
    props: dict[str, JSON] = {
        "text": {"type": "string", "description": form.text},
        "file": {"type": "string", "format": "binary", "description": form.file},
    }
    for p in form.params:
        described = openapi_parameter(p, site.data)
        schema = described["schema"]
        assert isinstance(schema, dict)
        props[p.name] = {"anyOf": [schema, {"type": "string", "maxLength": 0}],
                         "description": p.help + " (empty: the default)"}
    schema_: dict[str, JSON] = {"type": "object", "properties": props,
                                "additionalProperties": False,
                                "oneOf": ONE_DOCUMENT}
    return {"required": True, "description": f"A form of at most {form.max_body:,} bytes: "
            "the document as pasted `text` or as a `file` (one of them).",
            "content": {"multipart/form-data": {"schema": schema_}}}
