"""Endpoints: one view function behind an HTML page, a JSON route and a CSV route.

As in Datasette, the page and the API come from the same code: a view takes a
:class:`Ctx` (the site and the parsed parameters) and returns a :class:`Result`
holding the JSON payload, the values the page template needs, and the table
behind the CSV variant. :func:`routes` turns an :class:`Endpoint` into
Starlette routes that parse parameters, answer conditional requests, cache
bodies and pick the representation.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sdpatlas.render.jsonable import JSON
from sdpatlas.render.table import Table, as_csv
from sdpatlas.web._params import Args, Param, parse
from sdpatlas.web._pool import Job
from sdpatlas.web._site import Site, Urls

if TYPE_CHECKING:
    from sdpatlas.web._fairuse import Heavy
    from sdpatlas.web._forms import Form, Posted

__all__ = ["EXCEL", "PAGING", "Ctx", "Download", "Endpoint", "Result", "page_of",
           "render_body", "routes"]

MAX_PAGE = 1000
PAGING = (
    Param("limit", "int", f"How many items to return (1–{MAX_PAGE}).", default=MAX_PAGE,
          minimum=1, maximum=MAX_PAGE),
    Param("offset", "int", "How many items to skip (for the next page).", default=0,
          minimum=0, maximum=100_000),
)
EXCEL = Param("excel", "flag", "1: the CSV that Excel on Windows opens as UTF-8 (a byte order "
              "mark, CRLF line ends), as `--format csv-excel` gives it.")
CACHE_CONTROL = "public, max-age=300"
MIN_GZIP = 1024  # bytes; smaller bodies are sent as they are


@dataclass(frozen=True)
class Result:
    """What a view returns: the JSON payload, the page's extra values, the CSV table."""

    data: dict[str, JSON]
    title: str
    context: Mapping[str, object] = field(default_factory=dict)
    table: Table | None = None


@dataclass(frozen=True)
class Ctx:
    """What a view and its template see: the site, the parameters, URL builders."""

    site: Site
    args: Args
    endpoint: Endpoint
    urls: Urls
    posted: Posted | None = None  # the document posted to an upload endpoint

    def url(self, fmt: str = "html", **changes: Any) -> str:
        """This view's address in a format (html, json, csv, csv-excel) with some
        parameters changed."""
        e = self.endpoint
        csv = f"{e.api}.csv" if e.api else None
        path = {"html": e.page, "json": e.api, "csv": csv, "csv-excel": csv}[fmt]
        if path is None:
            return ""
        filled = path.format(**self.args.canonical_path())
        query = self.args.query(**changes, excel=False)
        if fmt == "csv-excel":
            query += ("&" if query else "?") + "excel=1"
        return self.urls.root + filled + query


View = Callable[[Ctx], Result]


@dataclass(frozen=True)
class Endpoint:
    """A page and/or API route served by one view, and how it is documented."""

    name: str
    summary: str
    description: str
    view: View
    page: str | None = None
    api: str | None = None
    template: str | None = None
    params: tuple[Param, ...] = ()
    csv: bool = False
    paged: bool = False
    nav: str | None = None
    section: str | None = None  # the navigation entry it belongs under (default: its own)
    tag: str = "explore"
    schema: Mapping[str, JSON] = field(default_factory=dict)
    form: Form | None = None  # an upload endpoint (see _forms): POST, never cached
    heavy: bool = False  # rendered in the worker pool, rate limited (see _fairuse)
    reads: tuple[str, ...] = ()  # dated facts read, when fewer than all: see canonical

    def canonical(self, site: Site, args: Args) -> Args:
        """``args`` with ``as_of`` moved to the first day of its snapshot for this answer:
        the days of the facts it ``reads`` (see :meth:`Site.snapshots_for`), or, when it
        declares none, the dataset's days (as parsed)."""
        day = args.day("as_of")
        if not self.reads or day is None:
            return args
        snapshots = site.snapshots_for(self.reads, args.text("code"))
        return replace(args, values={**args.values, "as_of": snapshots.canonical(day)})

    @property
    def all_params(self) -> tuple[Param, ...]:
        """The declared parameters, plus paging ones for list endpoints."""
        return (*self.params, *PAGING) if self.paged else self.params


@dataclass(frozen=True)
class Download:
    """A file of the whole dataset, produced once per process and cached."""

    name: str
    path: str
    summary: str
    description: str
    media_type: str
    filename: str
    produce: Callable[[Site, Args], bytes]
    params: tuple[Param, ...] = ()


def page_of(ctx: Ctx, items: list[JSON]) -> tuple[list[JSON], dict[str, JSON]]:
    """One page of a list, with the paging facts (total, limit, offset, next)."""
    limit, offset = ctx.args.integer("limit"), ctx.args.integer("offset")
    shown = items[offset:offset + limit]
    more = offset + limit < len(items)
    next_url = ctx.url(ctx.args.fmt if ctx.args.fmt != "csv" else "json",
                       offset=offset + limit) if more else None
    return shown, {"total": len(items), "limit": limit, "offset": offset, "next": next_url}


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _not_modified(request: Request, etag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    return given.strip() == "*" or etag in (t.strip() for t in given.split(","))


def _compressible(media_type: str) -> bool:
    return media_type.startswith(("text/", "application/json"))


def _conditional(request: Request, site: Site, key: object,
                 render: Callable[[], tuple[bytes, str]],
                 extra: Mapping[str, str] | None = None) -> Response:
    """A 200 from the body cache (rendered once), gzipped when asked, or a 304."""
    cached = site.cache.get(key)
    etag = site.etag(key)
    gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
    if cached is None and not _not_modified(request, etag) \
            and not _not_modified(request, etag[:-1] + '-gz"'):
        cached = render()
        site.cache.put(key, *cached)
    headers = {"Cache-Control": CACHE_CONTROL, **(extra or {})}
    media_type = cached[1] if cached else ""
    if cached is not None and _compressible(media_type):
        headers["Vary"] = "Accept-Encoding"
        if gzip_ok and len(cached[0]) >= MIN_GZIP:
            etag = etag[:-1] + '-gz"'
            packed = site.cache.get((key, "gzip"))
            if packed is None:
                packed = (gzip.compress(cached[0], compresslevel=6, mtime=0), media_type)
                site.cache.put((key, "gzip"), *packed)
            cached = packed
            headers["Content-Encoding"] = "gzip"
    headers["ETag"] = etag
    if _not_modified(request, etag) or cached is None:
        return Response(status_code=304, headers=headers)
    body, media_type = cached
    return Response(body, media_type=media_type, headers=headers)


def render_json(payload: object) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def render_body(ctx: Ctx) -> tuple[bytes, str]:
    """The body and media type of a view's answer in the format of ``ctx.args``; a page's
    links to dated pages keep its ``as_of``."""
    fmt = ctx.args.fmt
    if fmt == "html":
        ctx = replace(ctx, urls=ctx.urls.on(ctx.args.day("as_of")))
    result = ctx.endpoint.view(ctx)
    if fmt == "json":
        return render_json(result.data), "application/json"
    if fmt == "csv":
        assert result.table is not None
        return as_csv(result.table, excel=ctx.args.flag("excel")).encode(), \
            "text/csv; charset=utf-8"
    assert ctx.endpoint.template is not None
    template = ctx.site.env.get_template(ctx.endpoint.template)
    html = template.render(ctx=ctx, urls=ctx.urls, site=ctx.site, data=result.data,
                           title=result.title, **result.context)
    return html.encode(), "text/html; charset=utf-8"


async def _once(site: Site, key: object, request: Request, heavy: Heavy,
                job: Job) -> tuple[bytes, str]:
    """Render a heavy answer once however many clients ask for it at the same time: the
    first request is charged to its client, renders and caches it; the others wait for
    that result at no charge."""
    running = site.inflight.get(key)
    if running is not None:
        return await asyncio.shield(running)
    heavy.admit(request)
    future: asyncio.Future[tuple[bytes, str]] = asyncio.get_running_loop().create_future()
    site.inflight[key] = future
    try:
        rendered = await heavy.pool.run(job)
        site.cache.put(key, *rendered)
        future.set_result(rendered)
        return rendered
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved here: a render nobody else waited for is not "lost"
        raise
    finally:
        del site.inflight[key]


def _respond(endpoint: Endpoint, site: Site, fmt: str, path_template: str,
             heavy: Heavy | None) -> Any:
    params = (*endpoint.all_params, EXCEL) if fmt == "csv" else endpoint.all_params

    async def handle(request: Request) -> Response:
        args = endpoint.canonical(site, parse(site.data, params,
                                              request.query_params.multi_items(),
                                              request.path_params, fmt, site.snapshot))
        urls = site.urls(_root(request))
        canonical = args.canonical_path()
        if canonical != dict(args.path_given):
            target = urls.root + path_template.format(**canonical) + args.query()
            return RedirectResponse(target, status_code=301)
        ctx = Ctx(site=site, args=args, endpoint=endpoint, urls=urls)
        key = (endpoint.name, fmt, urls.root, args.key())
        rendered: tuple[bytes, str] | None = None
        if heavy is not None and heavy.needed(endpoint, args) and site.cache.get(key) is None \
                and not _not_modified(request, site.etag(key)):
            job = Job(endpoint.name, fmt, dict(args.values), dict(args.path_given), urls.root,
                      dated=urls.dated)
            rendered = await _once(site, key, request, heavy, job)
        extra = {"Content-Disposition": 'attachment; filename="'
                 + excel_name(f"{endpoint.name}.csv", args) + '"'} if fmt == "csv" else None
        return _conditional(request, site, key, lambda: rendered or render_body(ctx), extra)

    return handle


def excel_name(filename: str, args: Args) -> str:
    """A CSV file's name, ``-excel`` added for the Excel variant (``?excel=1``)."""
    if args.flag("excel") and filename.endswith(".csv"):
        return filename[: -len(".csv")] + "-excel.csv"
    return filename


def routes(endpoint: Endpoint, site: Site, heavy: Heavy | None = None) -> list[Route]:
    """The Starlette routes of an endpoint: page, JSON and CSV as declared.

    With ``heavy``, expensive requests (:meth:`Heavy.needed`) that miss the body cache
    are rendered in its pool; without it, everything renders here.
    """
    out = []
    if endpoint.page is not None:
        out.append(Route(endpoint.page, _respond(endpoint, site, "html", endpoint.page, heavy),
                         methods=["GET"], name=f"page:{endpoint.name}"))
    if endpoint.api is not None:
        if endpoint.csv:  # first: "/x/{code}" would also match "/x/JPN.csv"
            out.append(Route(f"{endpoint.api}.csv",
                             _respond(endpoint, site, "csv", f"{endpoint.api}.csv", heavy),
                             methods=["GET"], name=f"csv:{endpoint.name}"))
        out.append(Route(endpoint.api, _respond(endpoint, site, "json", endpoint.api, heavy),
                         methods=["GET"], name=f"api:{endpoint.name}"))
    return out


def download_route(download: Download, site: Site) -> Route:
    """The route of a dataset download (produced off the event loop, then cached)."""
    async def handle(request: Request) -> Response:
        args = parse(site.data, download.params, request.query_params.multi_items(),
                     request.path_params, "file", site.snapshot)
        key = ("download", download.name, args.key())
        filename = excel_name(download.filename.format(**args.canonical_path()), args)
        etag = site.etag(key)
        cached = site.cache.get(key)
        if cached is None and not _not_modified(request, etag):
            body = await anyio.to_thread.run_sync(download.produce, site, args)
            site.cache.put(key, body, download.media_type)
        return _conditional(
            request, site, key,
            lambda: (download.produce(site, args), download.media_type),
            {"Content-Disposition": f'attachment; filename="{filename}"'})

    return Route(download.path, handle, methods=["GET"], name=f"download:{download.name}")
