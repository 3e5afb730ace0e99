"""The Starlette application: routes from the endpoint registry, guards and error pages."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from sdpatlas import __version__
from sdpatlas.web._access import AccessLog
from sdpatlas.web._endpoint import download_route, render_json, routes
from sdpatlas.web._errors import ERROR_CODES, ApiError, error
from sdpatlas.web._fairuse import Heavy, RateLimit
from sdpatlas.web._forms import body_limits, form_routes
from sdpatlas.web._openapi import openapi
from sdpatlas.web._options import ServeOptions
from sdpatlas.web._pool import Pool
from sdpatlas.web._site import Site
from sdpatlas.web._static import StaticFolder
from sdpatlas.web._versions import Archive, Versions

__all__ = ["create_app"]

log = logging.getLogger("sdpatlas.web")

MAX_URL = 8192          # bytes of path plus query string
MAX_BODY = 16 * 1024    # bytes of request body (GET needs none; later forms need little)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
API_PREFIXES = ("/api/", "/openapi.json", "/downloads/")


def wants_json(path: str) -> bool:
    """Whether errors at this path are reported as JSON (the API) or as a page."""
    return path.startswith(API_PREFIXES) or path == "/api/v1" or path.endswith((".csv", ".json"))


class Guard:
    """Security headers on every response; oversized URLs and bodies refused early.

    ``bodies`` maps the upload addresses to the larger bodies they accept; a body is
    refused by its Content-Length before it is read, and counted while it is read. A
    form posted by a browser from another site is refused (403 ``cross-origin``); only
    answers to GET and HEAD may be read by other sites' scripts (the API's JSON).
    """

    def __init__(self, app: ASGIApp, site: Site | None = None,
                 bodies: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.site = site
        self.bodies = dict(bodies or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if path.startswith(API_PREFIXES) and scope["method"] in ("GET", "HEAD") \
                        and b"access-control-allow-origin" not in present:
                    headers.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": headers}
            await send(message)

        path = route_path(scope)
        limit = self.bodies.get(path, MAX_BODY)
        problem = _too_big(scope, limit) or cross_origin(scope)
        if problem is not None:
            await _error_response(scope, problem, self.site)(scope, receive, send_secured)
            return
        await self.app(scope, _bounded(receive, limit), send_secured)


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive``, refusing a body that grows past ``limit`` whatever its headers said."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise error("content-too-large", f"the request body is over {limit} bytes")
        return message

    return counted


def route_path(scope: Scope) -> str:
    """The path inside the application (without the ``--root-path`` prefix)."""
    path, root = str(scope["path"]), str(scope.get("root_path", ""))
    return path[len(root):] or "/" if root and path.startswith(root) else path


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1").strip().lower()
    return None


def _netloc(scheme: str, host: str | None, port: int | None) -> tuple[str, int]:
    return (host or "", port or {"https": 443, "http": 80}.get(scheme, 0))


def cross_origin(scope: Scope) -> ApiError | None:
    """A 403 for a POST that a browser sent from another site's page (a forged request).

    Browsers say where a request comes from (``Sec-Fetch-Site``; older ones only
    ``Origin``); clients that send neither (curl, scripts) are not browsers acting for
    another site, so they pass.
    """
    if scope["method"] in ("GET", "HEAD"):
        return None
    fetch_site = _header(scope, b"sec-fetch-site")
    origin = _header(scope, b"origin")
    if fetch_site is not None:
        same = fetch_site in ("same-origin", "none")
    elif origin is not None:
        scheme = str(scope.get("scheme", "http"))
        try:
            given = urlsplit(origin)
            ours = urlsplit(f"{scheme}://{_header(scope, b'host') or ''}")
            same = origin != "null" and _netloc(given.scheme, given.hostname, given.port) \
                == _netloc(scheme, ours.hostname, ours.port)
        except ValueError:
            same = False
    else:
        return None
    if same:
        return None
    return error("cross-origin", f"a form posted from another site (Origin: {origin or '-'}, "
                 f"Sec-Fetch-Site: {fetch_site or '-'}) is refused; post it from this "
                 "site's own page, or from a script or curl (which send no Origin)")


def _too_big(scope: Scope, limit: int = MAX_BODY) -> ApiError | None:
    size = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
    if size > MAX_URL:
        return error("uri-too-long", f"the address is {size} bytes long; at most {MAX_URL} "
                     "are accepted")
    for name, value in scope["headers"]:
        if name == b"transfer-encoding":
            return error("content-too-large", "request bodies of unknown length are refused; "
                         "send Content-Length")
        if name == b"content-length":
            length = int(value) if value.isdigit() else limit + 1
            if length > limit:
                return error("content-too-large", f"the request body is {length} bytes; at "
                             f"most {limit} are accepted here")
    return None


def _error_response(scope: Scope, exc: ApiError, site: Site | None = None,
                    allow: str = "GET, HEAD") -> Response:
    headers = {"Cache-Control": "no-cache", **exc.headers()}
    if exc.code == "method-not-allowed":
        headers["Allow"] = allow
    if wants_json(route_path(scope)) or site is None:
        return Response(render_json(exc.payload()), status_code=exc.status,
                        media_type="application/json", headers=headers)
    root = str(scope.get("root_path", "")).rstrip("/")
    urls = site.urls(root)
    html = site.env.get_template("error.html").render(
        error=exc, urls=urls, site=site, title=_title(exc), ctx=None,
        suggestion_links=_suggestion_links(exc, site, root, route_path(scope)))
    return HTMLResponse(html, status_code=exc.status, headers=headers)


def _title(exc: ApiError) -> str:
    return {403: "Refused", 404: "Not found", 405: "Not allowed", 429: "Too many requests",
            500: "Something went wrong", 503: "Busy"}.get(exc.status, "Bad request")


def _suggestion_links(exc: ApiError, site: Site, root: str,
                      path: str) -> list[tuple[str, str]]:
    urls = site.urls(root)
    out: list[tuple[str, str]] = []
    safe = path.startswith(site.pages["eligibility"] + "/")  # a country's page: every party
    for value in exc.suggestions:
        if exc.kind == "partner" and safe:
            out.append((site.names.get(value, value),
                        urls.page("eligibility-country", code=value)))
        elif exc.kind == "partner" and site.data.partnership(value) is not None:
            out.append((site.names.get(value, value), urls.partner(value)))
        elif exc.kind == "area" and value.isdigit():
            out.append((site.data.area(int(value)).label, urls.area(int(value))))
        elif exc.kind == "group":
            out.append((site.group_labels.get(value, value),
                         urls.page("matrix") + f"?group={value}"))
        elif exc.kind == "version":
            out.append((f"version {value}", f"{root}/versions/{value}/"))
    return out


def _handlers(site: Site) -> dict[object, object]:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error_response(request.scope, exc, site)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not-found", 405: "method-not-allowed", 413: "content-too-large",
                414: "uri-too-long"}.get(exc.status_code, "bad-parameter")
        given = (exc.headers or {}).get("Allow", "GET, HEAD").replace(" ", "").split(",")
        allow = ", ".join(m for m in ("GET", "HEAD", "POST") if m in given)
        message = {"not-found": f"nothing here: {request.url.path}",
                   "method-not-allowed": f"{request.method} is not allowed here; use "
                                         f"{allow.replace(', HEAD', '')}"}.get(
            code, ERROR_CODES[code][1])
        return _error_response(request.scope, error(code, message), site, allow)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        return _error_response(request.scope, error("server-error", ERROR_CODES[
            "server-error"][1]), site)

    return {ApiError: api_error, HTTPException: http_error, 500: server_error}


def _health(site: Site, pool: Pool) -> Route:
    from sdpatlas.web.views.history import release_json

    started = time.time()

    async def healthz(request: Request) -> Response:
        payload = {"status": "ok", "version": __version__,
                   "dataset": {"content_hash": site.data.content_hash, "build": site.tag,
                               "partnerships": len(site.data.partnerships),
                               "release": release_json(site.data)},
                   "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(
                       timespec="seconds"),
                   "uptime_seconds": round(time.time() - started, 1), "pool": pool.stats(),
                   "ready": site.warmed and pool.ready()}
        return Response(render_json(payload), media_type="application/json",
                        headers={"Cache-Control": "no-store"})

    return Route("/healthz", healthz, methods=["GET"], name="healthz")


def _warm(site: Site) -> None:
    """Load what the first pages need (every template compiled, the SAFE rules' snapshots,
    the analysis of every snapshot and its imports), so that the first visitors do not
    wait for it; then leave what is loaded out of the garbage collector's full passes,
    which would otherwise walk the whole dataset and stall the event loop for tens of
    milliseconds."""
    for name in site.env.list_templates(filter_func=lambda n: n.endswith(".html")):
        site.env.get_template(name)
    site.analysis(site.snapshot(site.today))
    site.warm_analyses()
    gc.collect()
    gc.freeze()
    site.warmed = True


def _lifespan(pool: Pool, site: Site, warm: bool) -> Lifespan[Starlette]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:  # the pool's processes; the snapshots and today's analysis in the background
            pool.start()
            threading.Thread(target=_warm, args=(site,), daemon=True).start()
        else:
            site.warmed = True
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(pool.close)

    return lifespan


def create_app(data_dir: Path, options: ServeOptions | None = None, *,
               archive: Archive | None = None) -> Starlette:
    """The explorer for one dataset folder (read through the cached database).

    ``options`` bound the server's work (see :class:`ServeOptions`; the defaults have
    no rate limit). Heavy requests run in a pool of worker processes, stopped with the
    application's lifespan. ``archive``: the folder holds an earlier dataset version
    (served under ``/versions/V`` by the main explorer, see ``_versions``).
    """
    from sdpatlas.web._feed import feed_route
    from sdpatlas.web.views import DOWNLOADS, SERVED

    options = options or ServeOptions()
    site = Site(data_dir, SERVED)
    site.archive = archive
    pool = Pool(site, options.pool, options.queue, options.seconds, options.threads)
    heavy = Heavy(pool, RateLimit(options.rate, options.burst) if options.rate else None)
    table: list[BaseRoute] = []
    for endpoint in SERVED:
        table += routes(endpoint, site, heavy) if endpoint.form is None \
            else form_routes(endpoint, site, heavy)
    table += [download_route(d, site) for d in DOWNLOADS]
    site.spec = openapi(site, SERVED, DOWNLOADS)
    spec = render_json(site.spec)

    async def openapi_json(request: Request) -> Response:
        return Response(spec, media_type="application/json",
                        headers={"Cache-Control": "public, max-age=300",
                                 "ETag": site.etag("openapi")})

    static_dir = Path(__file__).with_name("static")
    table += [Route("/openapi.json", openapi_json, methods=["GET"], name="openapi"),
              _health(site, pool), feed_route(site),
              Mount("/static", app=StaticFolder(static_dir), name="static")]
    middleware = [Middleware(Guard, site=site, bodies=body_limits(SERVED))]
    if archive is None:
        middleware.append(Middleware(Versions, site=site))
    if options.access_log is not None:
        middleware.insert(0, Middleware(AccessLog, target=options.access_log))
    app = Starlette(routes=table, middleware=middleware,
                    exception_handlers=_handlers(site),  # type: ignore[arg-type]
                    lifespan=_lifespan(pool, site, options.warm))
    app.state.site = site
    app.state.pool = pool
    return app
