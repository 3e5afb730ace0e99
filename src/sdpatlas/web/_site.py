"""What one running explorer holds: the dataset, its database, templates and caches.

The dataset is immutable for the life of the process (the database is opened
read-only and never changes), so every response is a pure function of the
request's canonical parameters. That makes two things cheap and safe: an ETag
made from the dataset's content hash and the request, and a bounded cache of
rendered bodies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import jinja2
import markupsafe

from sdpatlas import __version__
from sdpatlas.model import Coverage, Dataset, PartialDate
from sdpatlas.render.jsonable import JSON
from sdpatlas.render.matrix import SYMBOLS, WORDS
from sdpatlas.render.profiles import conflict_about
from sdpatlas.render.words import label
from sdpatlas.snapshots import Snapshots
from sdpatlas.store import open_dataset, read

if TYPE_CHECKING:
    from sdpatlas.analysis import Analysis
    from sdpatlas.eligibility import RuleSet
    from sdpatlas.web._endpoint import Endpoint
    from sdpatlas.web._versions import Archive

__all__ = ["BodyCache", "Site", "Urls"]

CACHE_ENTRIES = 2048
ANALYSES = 256  # analyses kept, one per snapshot date (a few dozen exist)
CACHE_BYTES = 64 * 1024 * 1024


class BodyCache:
    """A least-recently-used map of rendered bodies, bounded in entries and bytes."""

    def __init__(self, entries: int = CACHE_ENTRIES, size: int = CACHE_BYTES) -> None:
        self.entries, self.size = entries, size
        self.used = 0
        self.items: OrderedDict[object, tuple[bytes, str]] = OrderedDict()

    def get(self, key: object) -> tuple[bytes, str] | None:
        """The cached body and media type, if present (and mark it recently used)."""
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: object, body: bytes, media_type: str) -> None:
        """Remember a body, evicting the least recently used beyond the bounds."""
        if len(body) > self.size // 8:
            return
        old = self.items.pop(key, None)
        if old is not None:
            self.used -= len(old[0])
        self.items[key] = (body, media_type)
        self.used += len(body)
        while len(self.items) > self.entries or self.used > self.size:
            _, (evicted, _) = self.items.popitem(last=False)
            self.used -= len(evicted)


@dataclass(frozen=True)
class Urls:
    """Addresses of pages, built from the endpoint registry (with the mount prefix)."""

    root: str
    pages: Mapping[str, str]
    tag: str
    dated: frozenset[str] = frozenset()  # the pages that take an ``as_of`` date
    as_of: dt.date | None = None  # the day of the page these links are on

    def on(self, day: dt.date | None) -> Urls:
        """These builders on a page as of ``day``: links to dated pages keep that day."""
        return replace(self, as_of=day)

    def page(self, name: str, query: Mapping[str, object] | None = None,
             **path: object) -> str:
        """The page of a registered endpoint, path parameters filled in, with a query;
        a dated page keeps this page's ``as_of`` unless the query names its own."""
        address = self.root + _filled(self.pages[name],
                                      tuple((k, str(v)) for k, v in path.items()))
        pairs = dict(query or {})
        if self.as_of is not None and name in self.dated:
            pairs.setdefault("as_of", self.as_of.isoformat())
        return address + ("?" + urlencode(pairs) if pairs else "")

    def partner(self, code: str) -> str:
        """A partner's page."""
        return self.page("partner", code=code)

    def area(self, area_id: int) -> str:
        """An area's page."""
        return self.page("area", area=area_id)

    def cell(self, code: str, area_id: int) -> str:
        """The evidence behind one matrix cell."""
        return self.page("cell", code=code, area=area_id)

    def source(self, source_id: str) -> str:
        """A source's entry on the sources page."""
        return self.page("sources") + _anchor("source", source_id)

    def cite(self, ids: Iterable[str]) -> markupsafe.Markup:
        """A bracketed list of links to sources (nothing for none)."""
        return _cite(self.root + self.pages["sources"], tuple(ids))

    def conflict(self, conflict_id: str) -> str:
        """A conflict's entry on the conflicts page."""
        return self.page("conflicts") + _anchor("conflict", conflict_id)

    def static(self, name: str) -> str:
        """A static file, with the build tag for cache busting."""
        return f"{self.root}/static/{name}?v={self.tag}"


@lru_cache(maxsize=1 << 16)
def _filled(template: str, path: tuple[tuple[str, str], ...]) -> str:
    return template.format(**{k: quote(v, safe="") for k, v in path})


@lru_cache(maxsize=1 << 14)
def _anchor(kind: str, key: str) -> str:
    return f"#{kind}-" + quote(key, safe="")


@lru_cache(maxsize=1 << 14)
def _cite(sources_page: str, ids: tuple[str, ...]) -> markupsafe.Markup:
    if not ids:
        return markupsafe.Markup("")
    links = markupsafe.Markup(", ").join(
        markupsafe.Markup('<a href="{}">{}</a>').format(sources_page + _anchor("source", s), s)
        for s in ids)
    return markupsafe.Markup('<span class="cite">[{}]</span>').format(links)


def _web_files_digest() -> str:
    digest = hashlib.sha256()
    package = resources.files("sdpatlas.web")
    for folder in ("templates", "static"):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda t: t.name):
            if item.is_file():
                digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def _date(value: PartialDate | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {value.strftime('%B %Y')}"
    if value.day is not None and value.month is not None:
        return f"{value.day} {dt.date(value.year, value.month, 1).strftime('%B %Y')}"
    if value.month is not None:
        return dt.date(value.year, value.month, 1).strftime("%B %Y")
    return str(value.year)


def _web_url(url: str | None) -> bool:
    """Whether a URL from the data may become a link (http or https only, never javascript:)."""
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


def _status_class(status: Coverage | str) -> str:
    return str(status).replace("_", "-")


def _prose(text: str) -> markupsafe.Markup:
    """Plain text with `code` spans, blank-line paragraphs and ``* `` bullets, escaped."""
    blocks = []
    for block in text.strip().split("\n\n"):
        lines = [str(markupsafe.escape(line.strip())) for line in block.splitlines()]
        lines = [re.sub(r"`([^`]+)`", r"<code>\1</code>", line) for line in lines]
        if lines and lines[0].startswith("* "):
            items, current = [], ""
            for line in lines:
                if line.startswith("* "):
                    if current:
                        items.append(current)
                    current = line[2:]
                else:
                    current += " " + line
            items.append(current)
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        else:
            blocks.append("<p>" + " ".join(lines) + "</p>")
    return markupsafe.Markup("".join(blocks))


def environment() -> jinja2.Environment:
    """The Jinja2 environment: every template autoescaped, undefined names an error; the
    templates ship with the package, so a compiled one is never checked for changes."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("sdpatlas.web", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.tests["web_url"] = _web_url
    env.filters.update(
        date=_date, symbol=lambda s: SYMBOLS[Coverage(s)], word=lambda s: WORDS[Coverage(s)],
        status_class=_status_class, prose=_prose,
        label=label)
    return env


class Site:
    """The dataset and everything derived from it that a request needs."""

    def __init__(self, data_dir: Path, endpoints: tuple[Endpoint, ...],
                 db_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.data: Dataset
        if db_path is None:
            self.data, self.db_path = open_dataset(data_dir)
        else:  # the database another process opened (a worker of the heavy-request pool)
            self.data, self.db_path = read(db_path), db_path
        self.endpoints = endpoints
        self.tag = hashlib.sha256(f"{self.data.content_hash} {__version__} "
                                  f"{_web_files_digest()}".encode()).hexdigest()[:16]
        self.env = environment()
        self.env.filters["about"] = lambda c: conflict_about(self.data, c.entity, c.field)
        self.cache = BodyCache()
        self.pages = {e.name: e.page for e in endpoints if e.page is not None}
        # the pages whose links keep a dated page's day (none in a static export, whose
        # pages are as of today: see _static_site)
        self.dated = frozenset(e.name for e in endpoints if e.page is not None
                               and e.form is None and any(p.name == "as_of" for p in e.params))
        self.today = dt.date.today()
        self.group_labels = {g.key: g.label for g in self.data.groups}
        self.cluster_labels = {c.key: c.label for c in self.data.clusters}
        self.names = {p.code: p.name for p in self.data.parties}
        self.spec: dict[str, JSON] = {}
        self.nav = [(e.name, e.nav) for e in endpoints if e.nav]
        self.sections = {e.name: e.section or e.name for e in endpoints}
        self.archive: Archive | None = None  # an earlier dataset version (see _versions)
        self._analyses: dict[dt.date | None, Analysis] = {}
        self.inflight: dict[object, asyncio.Future[tuple[bytes, str]]] = {}  # see _endpoint
        self.warmed = False  # start-up work done (see _app._warm)
        self._scoped: dict[tuple[tuple[str, ...], str | None], Snapshots] = {}

    def analysis(self, as_of: dt.date | None) -> Analysis:
        """The comparative analysis at a (canonical) date, computed once per snapshot; the
        partner and area pages of one snapshot share it."""
        from sdpatlas.analysis import analyse

        found = self._analyses.get(as_of)
        if found is None:
            if len(self._analyses) >= ANALYSES:
                self._analyses.clear()
            found = self._analyses[as_of] = analyse(self.data, as_of)
        return found

    def warm_analyses(self) -> None:
        """Compute the analysis of every snapshot up to today (a few dozen; each is the
        same for every date of its snapshot), so that no dated page waits for one."""
        first = self._snapshots.canonical(dt.date.min)
        for day in (first, *self._snapshots.days):
            if day <= self.today:
                self.analysis(day)

    def urls(self, root: str = "") -> Urls:
        """URL builders for a mount prefix."""
        return Urls(root=root, pages=self.pages, tag=self.tag, dated=self.dated)

    def etag(self, key: object) -> str:
        """A strong validator: the build tag (dataset hash, code) and the canonical request."""
        return f'"{self.tag}-{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}"'

    def snapshot(self, day: dt.date) -> dt.date:
        """The canonical date of ``day``'s snapshot: every answer is the same for both."""
        return self._snapshots.canonical(day)

    def snapshots_for(self, reads: tuple[str, ...], code: str | None) -> Snapshots:
        """The days an answer can change on, when it reads only some dated facts:
        ``partnerships`` (which are signed, their partners' groups) and/or ``party`` (party
        ``code``'s own facts and the SAFE rules' windows); see :mod:`sdpatlas.snapshots`."""
        key = (reads, code if "party" in reads else None)
        found = self._scoped.get(key)
        if found is None:
            found = Snapshots(())
            if "partnerships" in reads:
                found |= Snapshots.of_partnerships(self.data)
            if "party" in reads and code is not None:
                found |= Snapshots.of_party(self.data, code, self._rules)
            self._scoped[key] = found
        return found

    @cached_property
    def _snapshots(self) -> Snapshots:
        return Snapshots.of(self.data, self._rules)

    @cached_property
    def _rules(self) -> RuleSet | None:
        from sdpatlas.eligibility import RulesError
        from sdpatlas.web.views.eligibility import rules_for

        try:
            return rules_for(self.data_dir, self.data)
        except RulesError:
            return None  # then no SAFE page answers, and no other answer reads the rules
