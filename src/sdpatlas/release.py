"""The dataset's versions and its changelog (``data/CHANGELOG.md``), kept honest.

A version is declared in ``dataset.yaml`` (``version: YYYY.MM.N`` and the ``coverage``
date its facts were checked up to). ``sdpatlas changelog`` records it: an entry with the
version, the coverage date, a digest of every other data file and the changes since the
previous version, computed by :func:`sdpatlas.diff.diff` against the previous version's
data found in git history. ``validate`` fails when the current version has no entry, or
when the data changed after its entry was recorded (the version did not move).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sdpatlas.diff import Change
from sdpatlas.findings import Finding, finding
from sdpatlas.model import Dataset, Release
from sdpatlas.paths import DataFileError, content_hash, read_data_file

__all__ = ["CHANGELOG_FILE", "CellChange", "Entry", "cell_history", "coverage_changes",
           "declared_release", "entry_text", "facts_digest", "read_changelog",
           "release_findings"]

CHANGELOG_FILE = "CHANGELOG.md"
RELEASE_FILE = "dataset.yaml"
MAX_LISTED = 200
HEADER = """# Changes to the SDP Atlas dataset

Each version of the dataset, newest first: when its facts were checked up to, and every
record added, removed or changed since the version before it. Written by
`sdpatlas changelog`; the line under each heading is a digest of the version's data files,
which `sdpatlas validate` compares with the data.
"""
_HEADING = re.compile(r"^## (?P<version>\S+) — facts checked up to (?P<coverage>\S+)$", re.M)
_DIGEST = re.compile(r"^<!-- facts (?P<digest>[0-9a-f]{64}) -->$", re.M)
_COVERAGE = re.compile(  # a line of _line() about one cell of Table 1
    r"^- coverage (?P<partner>[A-Z]{3}) area (?P<area>[0-9]{1,3})"
    r"(?:: (?P<field>[a-z_]+) (?P<old>.*?) → (?P<new>.*?)| (?P<change>added|removed))"
    r"(?: \(sources: (?P<sources>[^()]*)\))?$", re.M)


@dataclass(frozen=True)
class Entry:
    """One recorded version: its heading values, digest and Markdown text."""

    version: str
    coverage: str
    digest: str
    text: str


@dataclass(frozen=True)
class CellChange:
    """A change to one cell of Table 1 recorded in a version's entry of the changelog."""

    version: str
    partner: str
    area: int
    change: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    sources: tuple[str, ...] = ()


def coverage_changes(entry: Entry) -> tuple[CellChange, ...]:
    """The changes to cells an entry lists (``coverage ALB area 3: status no → yes``)."""
    out = []
    for found in _COVERAGE.finditer(entry.text):
        cited = tuple(s.strip() for s in (found["sources"] or "").split(",") if s.strip())
        out.append(CellChange(entry.version, found["partner"], int(found["area"]),
                              found["change"] or "changed", found["field"], found["old"],
                              found["new"], cited))
    return tuple(out)


def cell_history(entries: Sequence[Entry], partner: str, area: int) -> tuple[CellChange, ...]:
    """One cell's recorded changes, oldest version first (``entries`` newest first)."""
    return tuple(c for e in reversed(entries) for c in coverage_changes(e)
                 if c.partner == partner and c.area == area)


def facts_digest(directory: Path) -> str:
    """A digest of the facts: every data file but ``dataset.yaml`` (a new version number is
    no change) and the coder's own files under ``coding/`` (its lexicon is not a fact)."""
    return content_hash(directory, skip=(RELEASE_FILE, "coding/"))


def declared_release(directory: Path) -> Release | None:
    """The version a dataset folder declares in dataset.yaml, or None if none can be read."""
    from sdpatlas.dataset._fields import Context
    from sdpatlas.dataset._parse import release
    from sdpatlas.yamlio import Mapping, read

    path = directory / RELEASE_FILE
    if not path.is_file():
        return None
    document = read(path, RELEASE_FILE)
    if not isinstance(document.root, Mapping):
        return None
    ctx = Context()
    found = release(document.root, ctx)
    return found if not ctx.findings else None


def read_changelog(directory: Path) -> tuple[Entry, ...]:
    """The recorded versions, newest first (none when the file is absent)."""
    path = directory / CHANGELOG_FILE
    if not path.exists():
        return ()
    text = read_data_file(path).decode("utf-8", errors="replace")
    heads = list(_HEADING.finditer(text))
    entries = []
    for i, head in enumerate(heads):
        body = text[head.start():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        digest = _DIGEST.search(body)
        entries.append(Entry(head["version"], head["coverage"],
                             digest["digest"] if digest else "", body.rstrip() + "\n"))
    return tuple(entries)


def release_findings(directory: Path, release: Release | None) -> list[Finding]:
    """Errors when the changelog lacks the current version or the data moved without it."""
    if release is None:
        return []
    where = {"file": f"{directory.name}/{CHANGELOG_FILE}"}
    try:
        entries = {e.version: e for e in read_changelog(directory)}
        digest = facts_digest(directory)
    except DataFileError as exc:
        return [finding("changelog-missing", f"the changelog cannot be read: {exc.message}",
                        **where)]
    entry = entries.get(release.version)
    if entry is None:
        return [finding("changelog-missing", f"no entry for version {release.version}",
                        **where)]
    if entry.digest != digest:
        return [finding("version-not-moved", f"the data files changed after version "
                        f"{release.version} was recorded", **where)]
    return []


def entry_text(data: Dataset, digest: str, previous: str | None,
               changes: Sequence[Change] | None) -> str:
    """The Markdown of a new entry for ``data``'s version."""
    assert data.release is not None
    lines = [f"## {data.release.version} — facts checked up to {data.release.coverage}",
             f"<!-- facts {digest} -->", ""]
    if previous is None:
        lines.append(f"First recorded version: {_inventory(data)}.")
    elif changes is None:
        lines.append(f"Changes since {previous}: the data of {previous} was not found in "
                     "the repository's history, so they are not listed.")
    else:
        lines += _changes(previous, changes)
    return "\n".join(lines) + "\n"


def _inventory(data: Dataset) -> str:
    signed = [p for p in data.partnerships if p.signed is not None]
    return (f"{len(data.partnerships)} partnerships ({len(signed)} signed), "
            f"{len(data.sources)} sources, {len(data.conflicts)} conflicts between sources")


def _changes(previous: str, changes: Sequence[Change]) -> list[str]:
    if not changes:
        return [f"No change to the facts since {previous}."]
    counts = Counter(c.section for c in changes)
    summary = ", ".join(f"{n} {section}" for section, n in sorted(counts.items()))
    noun = "change" if len(changes) == 1 else "changes"
    lines = [f"{len(changes)} {noun} since {previous} ({summary}):", ""]
    for c in changes[:MAX_LISTED]:
        lines.append(f"- {_line(c)}")
    if len(changes) > MAX_LISTED:
        lines.append(f"- … and {len(changes) - MAX_LISTED} more "
                     f"(`sdpatlas diff` lists them all)")
    return lines


def _line(c: Change) -> str:
    cited = f" (sources: {', '.join(c.sources)})" if c.sources else ""
    if c.change == "changed":
        return f"{c.section} {c.key}: {c.field} {_short(c.old)} → {_short(c.new)}{cited}"
    return f"{c.section} {c.key} {c.change}{cited}"


def _short(value: str | None, limit: int = 120) -> str:
    if value is None:
        return "—"
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def previous_data(directory: Path, entry: Entry) -> Dataset | None:
    """The dataset of a recorded version, found in git history by its digest (or None)."""
    from sdpatlas.dataset import load
    from sdpatlas.findings import DatasetError
    from sdpatlas.revisions import RevisionError, dataset_folder, history

    try:
        commits = history(directory)
    except RevisionError:
        return None
    for commit in commits:
        try:
            with dataset_folder(directory, commit) as folder:
                if facts_digest(folder) == entry.digest:
                    return load(folder)
        except (RevisionError, DatasetError):
            continue
    return None


def changelog_text(entries: Sequence[str]) -> str:
    """The whole file: the header, then each entry's text, newest first."""
    return HEADER + "".join("\n" + e.rstrip() + "\n" for e in entries)
