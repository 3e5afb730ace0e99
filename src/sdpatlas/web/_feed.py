"""``/feed.atom``: an Atom feed (RFC 4287) of the dataset's versions and of its dated events.

One entry per recorded version (from the data changelog) and one per dated event of the
timeline (signatures, negotiations, SAFE steps, milestones), newest first. The XML is
built with :mod:`xml.etree.ElementTree`, so every text is escaped by construction. Links
are relative to the feed's own address (``whats-new``, ``partners/JPN``), so the same
feed works under any prefix and in the static site; ids are ``tag:`` URIs that do not
depend on where the feed is served.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sdpatlas import __version__
from sdpatlas.analysis import timeline
from sdpatlas.release import Entry
from sdpatlas.web._endpoint import _conditional, _root
from sdpatlas.web._site import Site
from sdpatlas.web.views.history import body_of, entries

__all__ = ["FEED", "MEDIA_TYPE", "feed_route", "feed_xml"]

FEED = "/feed.atom"
MEDIA_TYPE = "application/atom+xml"
ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:sdpatlas.eu,2026:"
MAX_EVENTS = 100


@dataclass(frozen=True)
class Item:
    """One entry of the feed."""

    id: str
    title: str
    updated: dt.datetime
    link: str
    summary: str


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.date(1970, 1, 1)


def _version_items(found: tuple[Entry, ...]) -> Iterator[Item]:
    for e in found:
        summary = " ".join(body_of(e).split())
        yield Item(f"{TAG}version/{e.version}", f"Dataset version {e.version} (facts checked "
                   f"up to {e.coverage})", _stamp(_day(e.coverage)),
                   f"whats-new#v-{e.version}", summary[:1000])


def _event_items(site: Site) -> Iterator[Item]:
    dated = sorted(timeline(site.data), key=lambda e: e.date.earliest(), reverse=True)
    for e in dated[:MAX_EVENTS]:
        digest = hashlib.sha256(f"{e.category} {e.kind} {e.date} {e.title} {e.parties}"
                                .encode()).hexdigest()[:16]
        link = f"partners/{e.parties[0]}" if len(e.parties) == 1 and \
            site.data.partnership(e.parties[0]) is not None else "timeline"
        cited = f" Sources: {', '.join(e.sources)}." if e.sources else ""
        yield Item(f"{TAG}event/{digest}", f"{e.date}: {e.title}", _stamp(e.date.earliest()),
                   link, f"{e.title} ({e.category}, {e.date}).{cited}")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    node.text = text
    return node


def _link(parent: ET.Element, href: str, rel: str = "alternate",
          media_type: str = "text/html") -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": media_type})


def feed_xml(site: Site) -> bytes:
    """The feed of ``site``'s dataset, as UTF-8 XML."""
    items = sorted([*_version_items(entries(site)), *_event_items(site)],
                   key=lambda i: i.updated, reverse=True)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    release = site.data.release
    _text(feed, "id", f"{TAG}feed/{release.version if site.archive and release else 'current'}")
    _text(feed, "title", "SDP Atlas: dataset versions and dated events")
    _text(feed, "subtitle", "New versions of the SDP Atlas dataset, and the signatures, "
          "negotiations and SAFE steps it records.")
    updated = items[0].updated if items else _stamp(dt.date(1970, 1, 1))
    _text(feed, "updated", updated.isoformat())
    _link(feed, "feed.atom", "self", MEDIA_TYPE)
    _link(feed, "whats-new")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "SDP Atlas")
    _text(feed, "generator", "SDP Atlas", version=__version__)
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", item.updated.isoformat())
        _link(entry, item.link)
        _text(entry, "summary", item.summary)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def feed_route(site: Site) -> Route:
    """The route of the feed (rendered once per process, with an ETag)."""
    async def handle(request: Request) -> Response:
        key = ("feed", _root(request))
        return _conditional(request, site, key, lambda: (feed_xml(site), MEDIA_TYPE))

    return Route(FEED, handle, methods=["GET"], name="feed")
