"""The dataset's versions on the web: What's new, the Atom feed, and each cell's history.

The versions and their changes are read from the data changelog (``data/CHANGELOG.md``,
written by ``sdpatlas changelog``) with :func:`sdpatlas.release.read_changelog`; their
Markdown is rendered by markdown-it-py with raw HTML off (escaped, never passed through).
"""

from __future__ import annotations

import re
from functools import lru_cache

import markupsafe
from markdown_it import MarkdownIt

from sdpatlas.model import Dataset
from sdpatlas.release import Entry, cell_history, coverage_changes, read_changelog
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._site import Site, Urls
from sdpatlas.web.views._common import schema

__all__ = ["ENDPOINTS", "cell_history_json", "entries", "release_json", "version_url"]

_HEAD = re.compile(r"\A## [^\n]*\n(?:<!-- facts [0-9a-f]{64} -->\n)?\s*")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def body_of(entry: Entry) -> str:
    """An entry's Markdown without its heading and digest (the page shows them itself)."""
    return _HEAD.sub("", entry.text).strip() + "\n"


def entries(site: Site) -> tuple[Entry, ...]:
    """The recorded versions of the site's dataset, newest first."""
    return read_changelog(site.data_dir)


def release_json(data: Dataset) -> dict[str, JSON] | None:
    """The dataset's version and coverage date (None for an unversioned dataset)."""
    if data.release is None:
        return None
    return {"version": data.release.version, "coverage": str(data.release.coverage)}


def version_url(urls: Urls, site: Site, version: str, path: str = "/") -> str:
    """The address of a page as it was in a dataset version (the current one: the page)."""
    base = site.archive.base(urls.root) if site.archive else urls.root
    current = site.archive.current if site.archive else (
        site.data.release.version if site.data.release else None)
    return base + path if version == current else f"{base}/versions/{version}{path}"


def _version_json(ctx: Ctx, entry: Entry) -> dict[str, JSON]:
    cells: list[JSON] = [{"partner": c.partner, "area": c.area, "change": c.change,
                          "field": c.field, "old": c.old, "new": c.new,
                          "sources": list(c.sources)} for c in coverage_changes(entry)]
    return {"version": entry.version, "coverage": entry.coverage, "digest": entry.digest,
            "changes": body_of(entry), "cells": cells,
            "url": version_url(ctx.urls, ctx.site, entry.version)}


def whats_new_view(ctx: Ctx) -> Result:
    """Every recorded version of the dataset with its changes, newest first."""
    found = entries(ctx.site)
    versions = [_version_json(ctx, e) for e in found]
    payload: dict[str, JSON] = {"current": release_json(ctx.site.data),
                                "versions": list[JSON](versions)}
    html = {e.version: markupsafe.Markup(_markdown().render(body_of(e))) for e in found}
    return Result(payload, "What's new", context={"entries": found, "html": html,
                                                  "versions": versions})


def cell_history_json(ctx: Ctx, code: str, area: int) -> list[JSON]:
    """A cell's recorded changes, oldest first, each linking to its version's evidence."""
    steps = cell_history(entries(ctx.site), code, area)
    return [{"version": c.version, "change": c.change, "field": c.field, "old": c.old,
             "new": c.new, "sources": list(c.sources),
             "url": version_url(ctx.urls, ctx.site, c.version,
                                f"/partners/{code}/areas/{area}")} for c in steps]


ENDPOINTS = (
    Endpoint(
        name="whats-new", view=whats_new_view, page="/whats-new", api="/api/v1/versions",
        template="whats_new.html", section="data", tag="context",
        summary="The dataset's versions and what changed in each",
        description="Every recorded version of the dataset (`YYYY.MM.N`), newest first: the "
                    "date its facts were checked up to, its changes since the version before "
                    "as Markdown (from `data/CHANGELOG.md`, written by `sdpatlas changelog`), "
                    "the changed cells of Table 1 (`cells`) and the address of the explorer "
                    "as it was in that version (`url`). `current` is the version served.",
        schema=schema("current", "versions", lists=("versions",))),
)
