"""Earlier dataset versions on the web: ``/versions/V/…`` and ``?version=V``.

:class:`Versions` (a middleware of the main application) serves ``/versions/V/<path>``
with an explorer of dataset version ``V``: its data folder is read from the repository's
history (:mod:`sdpatlas.revisions`, ``git archive`` into a temporary folder) and served by
its own application (:func:`~sdpatlas.web.create_app` with heavy requests in threads, no
extra process), built on first use and kept for the :data:`KEEP` most recently used
versions; a folder is removed when its version is evicted (once no request uses it) and
at shutdown. Links inside it carry the prefix (its ``root_path``). ``?version=V`` on any
page redirects (307) to the same page under ``/versions/V``; the current version, or an
empty value, to the page itself. Every page of an earlier version carries a banner
(:class:`Archive`): what the atlas said then, apart from ``as_of`` (what was true then).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdpatlas.errors import AtlasError
from sdpatlas.web._errors import ApiError, error

if TYPE_CHECKING:
    from sdpatlas.web._site import Site

__all__ = ["KEEP", "PREFIX", "Archive", "Versions"]

PREFIX = "/versions"
KEEP = 3  # versions whose explorer is kept at once
VERSION = re.compile(r"[0-9]{4}\.[0-9]{2}\.[0-9]{1,4}")


@dataclass(frozen=True)
class Archive:
    """What an explorer of an earlier version says about itself (its banner)."""

    version: str
    coverage: str
    current: str
    current_coverage: str

    @property
    def prefix(self) -> str:
        """The part of the address that names the version."""
        return f"{PREFIX}/{self.version}"

    def base(self, root: str) -> str:
        """The main explorer's root, from this version's root."""
        return root[:-len(self.prefix)] if root.endswith(self.prefix) else root

    def current_page(self, url: str, root: str) -> str:
        """The address of the same page in the current version."""
        return self.base(root) + (url[len(root):] if url.startswith(root) else "/")


@dataclass
class _Loaded:
    """A version's explorer, its temporary folder, and the requests using it."""

    app: Starlette
    stack: contextlib.ExitStack
    users: int = 0
    evicted: bool = False

    def close(self) -> None:
        self.app.state.pool.close()
        self.stack.close()


@dataclass
class _Cache:
    keep: int = KEEP
    items: OrderedDict[str, _Loaded] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, version: str) -> _Loaded | None:
        with self.lock:
            found = self.items.get(version)
            if found is not None:
                self.items.move_to_end(version)
                found.users += 1
            return found

    def add(self, version: str, loaded: _Loaded) -> None:
        with self.lock:
            loaded.users += 1
            self.items[version] = loaded
            while len(self.items) > self.keep:
                _, old = self.items.popitem(last=False)
                old.evicted = True
                if old.users == 0:
                    old.close()

    def release(self, loaded: _Loaded) -> None:
        with self.lock:
            loaded.users -= 1
            if loaded.evicted and loaded.users == 0:
                loaded.close()

    def close(self) -> None:
        with self.lock:
            for loaded in self.items.values():
                loaded.close()
            self.items.clear()


class Versions:
    """Serves ``/versions/V/…`` and redirects ``?version=V``; cleans up at shutdown."""

    def __init__(self, app: ASGIApp, site: Site, keep: int = KEEP) -> None:
        self.app, self.site = app, site
        self.cache = _Cache(keep)
        self.building = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._closing(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from sdpatlas.web._app import route_path

        root = str(scope.get("root_path", "")).rstrip("/")
        path = route_path(scope)
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        try:
            if path == PREFIX or path.startswith(PREFIX + "/"):
                await self._versioned(scope, receive, send, root, path, pairs)
            elif any(k == "version" for k, _ in pairs):
                await self._redirect(root, path, pairs)(scope, receive, send)
            else:
                await self.app(scope, receive, send)
        except ApiError as exc:
            await self._error(scope, path, exc)(scope, receive, send)

    def _error(self, scope: Scope, path: str, exc: ApiError) -> Response:
        """The error page, or the one JSON error shape for an API address of a version."""
        from sdpatlas.web._app import _error_response, wants_json
        from sdpatlas.web._endpoint import render_json

        inside = "/" + path[len(PREFIX) + 1:].partition("/")[2]
        if path.startswith(PREFIX + "/") and wants_json(inside):
            return Response(render_json(exc.payload()), status_code=exc.status,
                            media_type="application/json", headers={"Cache-Control": "no-cache"})
        return _error_response(scope, exc, self.site)

    def _closing(self, send: Send) -> Send:
        async def closing(message: Message) -> None:
            if message["type"].startswith("lifespan.shutdown"):
                await anyio.to_thread.run_sync(self.cache.close)
            await send(message)

        return closing

    @property
    def current(self) -> str | None:
        """The version this server serves as current."""
        return self.site.data.release.version if self.site.data.release else None

    def _redirect(self, root: str, path: str, pairs: list[tuple[str, str]]) -> Response:
        wanted = [v for k, v in pairs if k == "version"]
        if len(wanted) > 1:
            raise error("bad-parameter", f"give 'version' once, not {len(wanted)} times")
        rest = [(k, v) for k, v in pairs if k != "version"]
        query = "?" + urlencode(rest) if rest else ""
        path = "/" + path.lstrip("/")  # never "//host": a redirect stays on this site
        version = wanted[0]
        if version in ("", self.current):
            return RedirectResponse(root + path + query, status_code=307)
        _check_name(version)
        return RedirectResponse(f"{root}{PREFIX}/{version}{path}{query}", status_code=307)

    async def _versioned(self, scope: Scope, receive: Receive, send: Send, root: str,
                         path: str, pairs: list[tuple[str, str]]) -> None:
        version, slash, rest = path[len(PREFIX) + 1:].partition("/")
        rest = rest.lstrip("/")
        if not version:
            target = root + self.site.pages.get("whats-new", "/")
            await RedirectResponse(target, status_code=307)(scope, receive, send)
            return
        _check_name(version)
        query = "?" + scope["query_string"].decode("latin-1") if pairs else ""
        if any(k == "version" for k, _ in pairs):
            response = self._redirect(root, "/" + rest, pairs)
        elif version == self.current:
            response = RedirectResponse(f"{root}/{rest}{query}", status_code=307)
        elif not slash:
            response = RedirectResponse(f"{root}{PREFIX}/{version}/{query}", status_code=307)
        else:
            await self._serve(version, {**scope, "root_path": f"{root}{PREFIX}/{version}"},
                              receive, send)
            return
        await response(scope, receive, send)

    async def _serve(self, version: str, scope: Scope, receive: Receive, send: Send) -> None:
        loaded = await self._load(version)
        try:
            await loaded.app(scope, receive, send)
        finally:
            self.cache.release(loaded)

    async def _load(self, version: str) -> _Loaded:
        found = self.cache.take(version)
        if found is None:
            found = await anyio.to_thread.run_sync(self._build, version)
        return found

    def _build(self, version: str) -> _Loaded:
        with self.building:
            found = self.cache.take(version)
            if found is not None:
                return found
            loaded = _open(self.site, version)
            self.cache.add(version, loaded)
            return loaded


def _check_name(version: str) -> None:
    if not VERSION.fullmatch(version):
        raise error("unknown-version", f"{version[:40]!r} is not a dataset version: versions "
                    "are named YYYY.MM.N (e.g. 2026.12.0)")


def _open(site: Site, version: str) -> _Loaded:
    """The explorer of an earlier version, its data read from git into a temporary folder."""
    from sdpatlas.release import declared_release
    from sdpatlas.revisions import RevisionError, dataset_folder, version_revision
    from sdpatlas.web._app import create_app
    from sdpatlas.web._options import ServeOptions

    recorded = _recorded(site)
    if version not in recorded:
        raise error("unknown-version", f"dataset version {version} is not recorded; the "
                    f"recorded versions are {', '.join(recorded) or 'none'}",
                    tuple(recorded), "version")
    stack = contextlib.ExitStack()
    try:
        commit = version_revision(site.data_dir, version)
        folder = stack.enter_context(dataset_folder(site.data_dir, commit))
        release = declared_release(folder)
        current = site.data.release
        archive = Archive(version, str(release.coverage) if release else "?",
                          current.version if current else "?",
                          str(current.coverage) if current else "?")
        app = create_app(folder, ServeOptions(pool=1, threads=True), archive=archive)
    except RevisionError as exc:
        stack.close()
        raise _unavailable(exc, recorded) from exc
    except AtlasError as exc:
        stack.close()
        raise error("versions-unavailable", f"the data of version {version} cannot be "
                    f"served: {exc.message}") from exc
    return _Loaded(app, stack)


def _recorded(site: Site) -> list[str]:
    from sdpatlas.web.views.history import entries

    return [e.version for e in entries(site)]


def _unavailable(exc: AtlasError, recorded: list[str]) -> ApiError:
    if exc.code == "unknown-version":
        return error("unknown-version", f"{exc.message}; the recorded versions are "
                     f"{', '.join(recorded)}", tuple(recorded), "version")
    return error("versions-unavailable", "earlier dataset versions are read from the "
                 f"repository's history, and this server has none: {exc.message}"
                 + (f" ({exc.hint})" if exc.hint else "")
                 + "; run the server from a clone of the repository")
