"""Loading the YAML dataset into the typed model, with validation.

``load(directory)`` returns a :class:`~sdpatlas.model.Dataset` or raises
:class:`~sdpatlas.findings.DatasetError` carrying every finding; bad data never
yields a partial result. ``validate(directory)`` returns the findings alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from sdpatlas.dataset import _checks, _parse
from sdpatlas.dataset._checks import Located
from sdpatlas.dataset._fields import Context, Fields
from sdpatlas.findings import DatasetError, Finding, Severity, finding
from sdpatlas.model import Cluster, Dataset, Partnership, Release, Source
from sdpatlas.paths import Scan, content_hash, scan
from sdpatlas.yamlio import Mapping, Sequence, Value, read

__all__ = ["check", "load", "validate"]

T = TypeVar("T")
Parser = Callable[[Mapping, str, Context], T]

# file name → (list key, required, other allowed top-level keys)
_FILES: dict[str, tuple[str, bool, set[str]]] = {
    "sources.yaml": ("sources", True, set()),
    "taxonomy.yaml": ("areas", True, {"clusters", "sources"}),
    "groups.yaml": ("groups", True, set()),
    "parties.yaml": ("parties", True, set()),
    "instruments.yaml": ("instruments", False, set()),
    "milestones.yaml": ("milestones", False, set()),
    "parliament.yaml": ("resolutions", False, set()),
    "conflicts.yaml": ("conflicts", False, set()),
}

RELEASE_FILE = "dataset.yaml"

# reference kind → the file that defines its ids (unread: its references are not checked)
_DEFINED_IN = {"source": "sources.yaml", "party": "parties.yaml", "area": "taxonomy.yaml",
               "group": "groups.yaml", "cluster": "taxonomy.yaml"}


def load(directory: Path) -> Dataset:
    """Load and validate a dataset directory; DatasetError if anything is wrong."""
    data, findings = _load(directory)
    if data is None or any(f.severity is Severity.ERROR for f in findings):
        raise DatasetError(tuple(findings))
    return data


def validate(directory: Path) -> tuple[Finding, ...]:
    """Every finding on a dataset directory (errors, warnings and information)."""
    return check(directory)[1]


def check(directory: Path) -> tuple[Dataset | None, tuple[Finding, ...]]:
    """Every finding, and the dataset when there is no error (one read of the files)."""
    data, findings = _load(directory)
    if any(f.severity is Severity.ERROR for f in findings):
        data = None
    return data, tuple(findings)


@dataclass
class _Files:
    """The top-level mappings of each file, once read."""

    ctx: Context
    scan: Scan
    fields: dict[str, Fields] = field(default_factory=dict)
    seen: set[Path] = field(default_factory=set)

    @property
    def directory(self) -> Path:
        return self.scan.directory

    def read(self, path: Path, required: bool) -> Mapping | None:
        name = self.scan.name(path)
        if path not in self.scan.files:
            if required and path not in self.scan.flagged:
                self.ctx.findings.append(finding("missing-file", f"{path.name} is missing",
                                                 file=name))
            return None
        self.seen.add(path)
        doc = read(path, name)
        self.ctx.findings.extend(doc.findings)
        if doc.root is None and not doc.findings:
            self.ctx.report("wrong-type", "the file is empty", name, 1, "")
        if isinstance(doc.root, Mapping):
            return doc.root
        if doc.root is not None:
            self.ctx.report("wrong-type", "the file must hold a mapping at the top", name, 1, "")
        return None

    def records(self, file: str, parser: Parser[T]) -> list[Located[T]]:
        key, required, extra = _FILES[file]
        root = self.read(self.directory / file, required)
        if root is None:
            return []
        f = Fields(root, self.ctx, "", {key, *extra})
        self.fields[file] = f
        return [Located(parser(m, p, self.ctx), m) for m, p in f.children(key, required=True)]


def _load(directory: Path) -> tuple[Dataset | None, list[Finding]]:
    ctx = Context()
    walked = scan(directory)
    ctx.findings.extend(walked.findings)
    if not walked.complete:
        return None, ctx.findings
    files = _Files(ctx, walked)
    sources = files.records("sources.yaml", _parse.source)
    areas = files.records("taxonomy.yaml", _parse.area)
    clusters = _clusters(files)
    groups = files.records("groups.yaml", _parse.group)
    parties = files.records("parties.yaml", _parse.party)
    partnerships = list(_partnerships(files))
    instruments = files.records("instruments.yaml", _parse.instrument)
    milestones = files.records("milestones.yaml", _parse.milestone)
    resolutions = files.records("parliament.yaml", _parse.resolution)
    conflicts = files.records("conflicts.yaml", _parse.conflict)
    release = _release(files)
    if "taxonomy.yaml" in files.fields:
        files.fields["taxonomy.yaml"].sources()
    _checks.unique(sources, lambda s: s.id, "source id", ctx)
    _checks.unique(areas, lambda a: a.id, "area id", ctx)
    _checks.unique(areas, lambda a: a.key, "area key", ctx)
    _checks.unique(clusters, lambda c: c.key, "cluster key", ctx)
    _checks.unique(groups, lambda g: g.key, "group key", ctx)
    _checks.unique(parties, lambda p: p.code, "party code", ctx)
    _checks.unique(partnerships, lambda p: p.partner, "partner", ctx)
    _checks.unique(instruments, lambda i: i.id, "instrument id", ctx)
    _checks.unique(milestones, lambda m: m.id, "milestone id", ctx)
    _checks.unique(resolutions, lambda r: r.id, "resolution id", ctx)
    _checks.unique(conflicts, lambda c: c.id, "conflict id", ctx)
    _checks.aliases(parties, ctx)
    known = {
        "source": {s.record.id for s in sources},
        "party": {p.record.code for p in parties},
        "area": {str(a.record.id) for a in areas},
        "group": {g.record.key for g in groups},
        "cluster": {c.record.key for c in clusters},
    }
    _checks.references(ctx, {kind: ids for kind, ids in known.items()
                             if _DEFINED_IN[kind] in files.fields})
    area_ids = {a.record.id for a in areas}
    for item in partnerships:
        stem = Path(item.mapping.file).stem
        _checks.partnership(item.record, item.mapping, stem, area_ids, ctx)
    data = Dataset(
        areas=tuple(sorted((a.record for a in areas), key=lambda a: a.id)),
        clusters=tuple(c.record for c in clusters),
        groups=tuple(g.record for g in groups),
        parties=tuple(sorted((p.record for p in parties), key=lambda p: p.code)),
        partnerships=tuple(sorted((p.record for p in partnerships), key=lambda p: p.partner)),
        sources=tuple(sorted((s.record for s in sources), key=lambda s: s.id)),
        conflicts=tuple(c.record for c in conflicts),
        milestones=tuple(sorted((m.record for m in milestones),
                                key=lambda m: (m.date.earliest(), m.id))),
        resolutions=tuple(sorted((r.record for r in resolutions),
                                 key=lambda r: (r.date.earliest(), r.id))),
        instruments=tuple(i.record for i in instruments),
        release=release,
    )
    for located in conflicts:
        _checks.conflict(located.record, located.mapping, data, ctx)
    _unused_sources(data, ctx, sources, files)
    ctx.summarise()
    return _hashed(data, directory, ctx), ctx.findings


def _hashed(data: Dataset, directory: Path, ctx: Context) -> Dataset | None:
    """The dataset with its content hash, or None when it has errors (then it is not kept)."""
    if any(f.severity is Severity.ERROR for f in ctx.findings):
        return None
    try:
        return replace(data, content_hash=content_hash(directory))
    except DatasetError as exc:
        ctx.findings.extend(exc.findings)
        return None


def _release(files: _Files) -> Release | None:
    """dataset.yaml, the dataset's version; a warning when there is none."""
    path = files.directory / RELEASE_FILE
    root = files.read(path, False)
    if root is not None:
        return _parse.release(root, files.ctx)
    if path not in files.scan.flagged:
        files.ctx.findings.append(finding("unversioned", f"{RELEASE_FILE} is missing",
                                          file=files.scan.name(path)))
    return None


def _clusters(files: _Files) -> list[Located[Cluster]]:
    f = files.fields.get("taxonomy.yaml")
    if f is None:
        return []
    return [Located(_parse.cluster(m, p, files.ctx), m) for m, p in f.children("clusters", True)]


def _partnerships(files: _Files) -> Iterator[Located[Partnership]]:
    folder = files.directory / "partnerships"
    if not folder.is_dir() or folder.is_symlink():
        if folder not in files.scan.flagged:
            files.ctx.findings.append(finding("missing-file", "partnerships/ is missing",
                                              file=files.scan.name(folder)))
        return
    for path in (p for p in files.scan.files if p.parent == folder):
        root = files.read(path, True)
        if root is not None:
            yield Located(_parse.partnership(root, files.ctx), root)


def _cited_elsewhere(files: _Files) -> set[str]:
    """Source ids cited by data files this loader does not model (rules/, coding/ …).

    Their YAML findings count too: a file that cannot be read safely breaks the dataset.
    """
    cited: set[str] = set()
    for path in files.scan.files:
        if path in files.seen:
            continue
        doc = read(path, files.scan.name(path))
        files.ctx.findings.extend(doc.findings)
        pending: list[Value] = [doc.root]
        while pending:
            value = pending.pop()
            if isinstance(value, Mapping):
                for key, listed in value.items():
                    if key.endswith("sources") and isinstance(listed, Sequence):
                        cited.update(str(s) for s in listed)
                pending.extend(value.values())
            elif isinstance(value, Sequence):
                pending.extend(value)
    return cited


def _unused_sources(data: Dataset, ctx: Context, sources: list[Located[Source]],
                    files: _Files) -> None:
    cited = {ref.target for ref in ctx.refs if ref.kind == "source"}
    cited |= _cited_elsewhere(files)
    for conflict in data.conflicts:
        for claim in conflict.claims:
            cited.update(claim.sources)
    for item in sources:
        if item.record.id not in cited:
            ctx.report("unused-source", f"source {item.record.id!r} is never cited",
                       item.mapping.file, item.mapping.line, "sources")
