"""The explorer as static files: every page and API answer the app serves, for any static host.

:func:`build_site` runs the real application in-process (ASGI calls, no network), asks it
for the pages, API answers (JSON and CSV) and downloads it can answer without a date or a
posted document, follows every local link of every page to the end, and writes each answer
as a file. Addresses become files by :func:`file_for` (``/matrix`` → ``matrix/index.html``,
``/matrix?group=nato-ally`` → ``matrix/group-nato-ally.html``, ``/api/v1/matrix`` →
``api/v1/matrix.json``); :mod:`._static_pages` then makes every link relative, so the
folder can be served from any prefix. What needs the server (uploads, other dates) says so.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import anyio
from starlette.types import ASGIApp, Message

from sdpatlas.errors import AtlasError
from sdpatlas.outputs import check_folder_target, write_folder
from sdpatlas.web._site import Site
from sdpatlas.web._static_pages import SERVER_PAGE, Linker, Page, rewrite_html, server_page

__all__ = ["SiteSummary", "build_site", "file_for"]

MAX_ADDRESSES = 20_000   # a bound on the crawl; links beyond it point to the server page
MAX_RETRIES = 5          # answers of 429/503 (a busy server) retried after Retry-After
LINK = re.compile(r"""\b(?:href|src|action)="(/(?!/)[^"]*)\"""")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
SERVER_ONLY = re.compile(r"^/(?:versions(?:/|$)|suggest\?)")  # earlier versions, prefilled forms
EXTENSIONS = {"application/json": ".json", "text/csv": ".csv"}


@dataclass(frozen=True)
class SiteSummary:
    """What :func:`build_site` wrote."""

    folder: Path
    files: int
    size: int
    pages: int
    seconds: float
    failed: tuple[str, ...] = ()


@dataclass
class Answer:
    """One address the app answered: its file in the site, its body and media type."""

    file: str
    body: bytes
    media_type: str


@dataclass
class Crawl:
    """Every address asked for, with its answer (None: not answered, linked to the server page)."""

    answers: dict[str, Answer | None] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # redirected address → target
    failed: list[str] = field(default_factory=list)  # addresses the explorer failed on (5xx)

    def resolve(self, address: str) -> Answer | None:
        """The answer of an address, through any redirect."""
        return self.answers.get(self.aliases.get(address, address))


def _slug(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    name = "_".join(SAFE_NAME.sub("_", f"{k}-{v}") for k, v in pairs)
    return name if 0 < len(name) <= 120 else "q-" + hashlib.sha256(query.encode()).hexdigest()[:16]


def file_for(address: str, media_type: str) -> str:
    """The file (a relative POSIX path) that holds the answer at an address."""
    parts = urlsplit(address)
    segments = [SAFE_NAME.sub("_", unquote(s)) for s in parts.path.split("/") if s]
    path, last = "/".join(segments), (segments or [""])[-1]
    if path.startswith("static/"):
        return path
    if media_type.startswith("text/html"):
        folder = path + "/" if path else ""
        return folder + (f"{_slug(parts.query)}.html" if parts.query else "index.html")
    stem, dot, given = path.rpartition(".") if "." in last else (path, "", "")
    ext = "." + given if dot else EXTENSIONS.get(media_type.partition(";")[0], "")
    return f"{stem}/{_slug(parts.query)}{ext}" if parts.query else stem + ext


def seeds(site: Site) -> Iterator[str]:
    """The addresses a site starts from: every GET view, path values filled, main variants."""
    data = site.data
    signed = [p.partner for p in data.signed()]
    domains: dict[str, list[str]] = {
        "code": [p.partner for p in data.partnerships], "area": [str(a.id) for a in data.areas]}
    variants = {
        "matrix": ["", "assessed=1", "order=group", "order=name",
                   *(f"group={g.key}" for g in data.groups),
                   *(f"cluster={c.key}" for c in data.clusters)],
        "compare": [f"partner={a}&partner={b}" for a, b in itertools.combinations(signed, 2)],
    }
    for endpoint in site.endpoints:
        if endpoint.form is not None:
            if endpoint.page:
                yield endpoint.page
            continue
        paths = [p for p in (endpoint.page, endpoint.api,
                             f"{endpoint.api}.csv" if endpoint.csv else None) if p]
        names = re.findall(r"{(\w+)}", endpoint.page or endpoint.api or "")
        every = {"code": [p.code for p in data.parties]} if endpoint.name.startswith(
            "eligibility") else {}
        for path, values in itertools.product(paths, itertools.product(
                *({**domains, **every}.get(n, []) for n in names))):
            filled = path.format(**dict(zip(names, values, strict=True)))
            for query in variants.get(endpoint.name, [""]):
                yield filled + ("?" + query if query else "")
    yield "/openapi.json"


def _scope(address: str) -> dict[str, Any]:
    parts = urlsplit(address)
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": unquote(parts.path), "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(), "root_path": "",
            "headers": [(b"host", b"localhost"), (b"accept-encoding", b"identity")],
            "client": ("127.0.0.1", 0), "server": ("localhost", 80)}


async def _get(app: ASGIApp, address: str) -> tuple[int, dict[str, str], bytes]:
    """Ask the application for an address, as a server would, and collect the answer."""
    status, headers, chunks = 500, {}, []
    asked, answered = anyio.Event(), anyio.Event()

    async def receive() -> Message:
        if not asked.is_set():
            asked.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                answered.set()

    try:
        await app(_scope(address), receive, send)
    except Exception:
        if not (answered.is_set() and status >= 500):
            raise  # as a server does: a 500 already sent is re-raised only for the log
    return status, headers, b"".join(chunks)


async def _answer(app: ASGIApp, address: str) -> tuple[int, dict[str, str], bytes]:
    for _ in range(MAX_RETRIES):
        status, headers, body = await _get(app, address)
        if status not in (429, 503):
            return status, headers, body
        await anyio.sleep(min(float(headers.get("retry-after", "1") or 1), 10.0))
    raise AtlasError(f"the explorer stayed busy answering {address}; nothing was written",
                     code="site-busy", hint="run `sdpatlas site` again")


def _links(body: bytes) -> Iterator[str]:
    for found in LINK.finditer(body.decode("utf-8", "replace")):
        yield html.unescape(found.group(1)).split("#")[0]


async def crawl(app: ASGIApp, start: Iterable[str]) -> tuple[Crawl, dict[str, str]]:
    """Ask for every start address and every local address their pages link to."""
    done, queue = Crawl(), deque(dict.fromkeys(start))
    headers_seen: dict[str, str] = {}
    while queue:
        address = queue.popleft()
        if address in done.answers or address in done.aliases:
            continue
        if len(done.answers) >= MAX_ADDRESSES or SERVER_ONLY.match(address):
            done.answers[address] = None
            continue
        status, headers, body = await _answer(app, address)
        if status in (301, 302, 303, 307, 308):
            target = urlsplit(headers.get("location", ""))
            done.aliases[address] = target.path + (f"?{target.query}" if target.query else "")
            queue.append(done.aliases[address])
            continue
        if status >= 500:
            done.failed.append(address)
        media = headers.get("content-type", "")
        done.answers[address] = Answer(file_for(address, media), body, media) \
            if status == 200 else None
        if status == 200 and media.startswith("text/html"):
            headers_seen.setdefault("csp", headers.get("content-security-policy", ""))
            queue.extend(_links(body))
    return done, headers_seen


async def _with_lifespan(app: ASGIApp, start: list[str]) -> tuple[Crawl, dict[str, str]]:
    """:func:`crawl` between the application's start-up and shut-down, as a server runs it."""
    to_app, app_in = anyio.create_memory_object_stream[Message](4)
    app_out, from_app = anyio.create_memory_object_stream[Message](4)

    async def lifespan() -> None:
        await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                  app_in.receive, app_out.send)

    result: tuple[Crawl, dict[str, str]] | AtlasError
    async with to_app, app_in, app_out, from_app, anyio.create_task_group() as tasks:
        tasks.start_soon(lifespan)
        await to_app.send({"type": "lifespan.startup"})
        started = await from_app.receive()
        try:
            if started["type"] != "lifespan.startup.complete":
                raise AtlasError(f"the explorer did not start: {started.get('message', '')}",
                                 code="site-start-failed", hint="report this as a bug")
            result = await crawl(app, start)
        except AtlasError as exc:  # raised below, not wrapped in the task group's ExceptionGroup
            result = exc
        finally:
            await to_app.send({"type": "lifespan.shutdown"})
            await from_app.receive()
    if isinstance(result, AtlasError):
        raise result
    return result


def _check_unique(done: Crawl) -> None:
    owners: dict[str, str] = {}
    for address, answer in done.answers.items():
        if answer is None or answer.file.startswith("static/"):
            continue
        other = owners.setdefault(answer.file, address)
        if other != address:
            raise AtlasError(f"{address} and {other} would both be written to {answer.file}",
                             code="site-file-clash", hint="report this as a bug")


def _write(folder: Path, done: Crawl, pages: list[Page], extra: dict[str, bytes]) -> None:
    written = {p.file: p.html.encode() for p in pages}
    for answer in done.answers.values():
        if answer is not None and answer.file not in written:
            written[answer.file] = answer.body
    for name, body in {**written, **extra}.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def _extras(csp: str) -> dict[str, bytes]:
    script = resources.files("sdpatlas.web").joinpath("static", "static-site.js").read_bytes()
    headers = (f"/*\n  Content-Security-Policy: {csp}\n  X-Content-Type-Options: nosniff\n"
               "  X-Frame-Options: DENY\n  Referrer-Policy: strict-origin-when-cross-origin\n")
    return {"static/static-site.js": script, "_headers": headers.encode()}


def build_site(data_dir: Path, out: Path, *, force: bool = False) -> SiteSummary:
    """Write the explorer for the dataset in ``data_dir`` as static files in ``out``."""
    from sdpatlas.web import create_app

    started = time.perf_counter()
    check_folder_target(Path(os.path.abspath(out)), force=force, protect=[data_dir])
    app = create_app(data_dir)
    site: Site = app.state.site
    site.dated = frozenset()  # links keep no day: other days need the server
    done, seen = anyio.run(_with_lifespan, app, list(seeds(site)))
    _check_unique(done)
    linker = Linker(done, site, seen.get("csp", ""))
    pages = [rewrite_html(a.body.decode(), a.file, linker) for a in done.answers.values()
             if a is not None and a.media_type.startswith("text/html")]
    pages.append(rewrite_html(server_page(site), SERVER_PAGE, linker))
    extras = _extras(seen.get("csp", ""))
    folder = write_folder(out, lambda temp: _write(temp, done, pages, extras), force=force,
                          protect=[site.data_dir])
    files = [p for p in folder.rglob("*") if p.is_file()]
    return SiteSummary(folder, len(files), sum(p.stat().st_size for p in files), len(pages),
                       time.perf_counter() - started, tuple(done.failed))
