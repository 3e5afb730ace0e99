"""The Starlette application: routes from the endpoint registry, guards and error pages."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdpatlas.web._endpoint import download_route, render_json, routes
from sdpatlas.web._errors import ERROR_CODES, ApiError, error
from sdpatlas.web._forms import body_limits, form_routes
from sdpatlas.web._openapi import openapi
from sdpatlas.web._site import Site

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
    refused by its Content-Length before it is read, and counted while it is read.
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
                if scope["path"].startswith(API_PREFIXES) and b"access-control-allow-origin" \
                        not in present:
                    headers.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": headers}
            await send(message)

        limit = self.bodies.get(scope["path"], MAX_BODY)
        problem = _too_big(scope, limit)
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
    headers = {"Cache-Control": "no-cache"}
    if exc.code == "method-not-allowed":
        headers["Allow"] = allow
    if wants_json(scope["path"]) or site is None:
        return Response(render_json(exc.payload()), status_code=exc.status,
                        media_type="application/json", headers=headers)
    root = str(scope.get("root_path", "")).rstrip("/")
    urls = site.urls(root)
    html = site.env.get_template("error.html").render(
        error=exc, urls=urls, site=site, title=_title(exc), ctx=None,
        suggestion_links=_suggestion_links(exc, site, root))
    return HTMLResponse(html, status_code=exc.status, headers=headers)


def _title(exc: ApiError) -> str:
    return {404: "Not found", 405: "Not allowed", 500: "Something went wrong"}.get(
        exc.status, "Bad request")


def _suggestion_links(exc: ApiError, site: Site, root: str) -> list[tuple[str, str]]:
    urls = site.urls(root)
    out: list[tuple[str, str]] = []
    for value in exc.suggestions:
        if exc.kind == "partner" and site.data.partnership(value) is not None:
            out.append((site.names.get(value, value), urls.partner(value)))
        elif exc.kind == "area" and value.isdigit():
            out.append((site.data.area(int(value)).label, urls.area(int(value))))
        elif exc.kind == "group":
            out.append((site.group_labels.get(value, value),
                         urls.page("matrix") + f"?group={value}"))
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


class _Static(StaticFiles):
    """Static files, cached for a year when the URL carries the build tag."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        tagged = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = ("public, max-age=31536000, immutable" if tagged
                                             else "public, max-age=300")
        return response


def create_app(data_dir: Path) -> Starlette:
    """The explorer for one dataset folder (read through the cached database)."""
    from sdpatlas.web.views import DOWNLOADS, SERVED

    site = Site(data_dir, SERVED)
    table: list[BaseRoute] = []
    for endpoint in SERVED:
        table += routes(endpoint, site) if endpoint.form is None else form_routes(endpoint, site)
    table += [download_route(d, site) for d in DOWNLOADS]
    site.spec = openapi(site, SERVED, DOWNLOADS)
    spec = render_json(site.spec)

    async def openapi_json(request: Request) -> Response:
        return Response(spec, media_type="application/json",
                        headers={"Cache-Control": "public, max-age=300",
                                 "ETag": site.etag("openapi")})

    static_dir = Path(__file__).with_name("static")
    table += [Route("/openapi.json", openapi_json, methods=["GET"], name="openapi"),
              Mount("/static", app=_Static(directory=static_dir), name="static")]
    app = Starlette(routes=table,
                    middleware=[Middleware(Guard, site=site, bodies=body_limits(SERVED))],
                    exception_handlers=_handlers(site))  # type: ignore[arg-type]
    app.state.site = site
    return app
