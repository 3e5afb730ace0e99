"""The gold sets' manifest: which file is development and which held out, and its hash.

``data/coding/gold/MANIFEST.json`` lists every set as ``{"file", "split", "sha256",
"passages"}``; the split is decided before any tuning. A set whose file no longer has its
recorded sha256 is refused: a held-out file is frozen, a development set that grew needs its
entry updated. Passages may name the source document they come from (``"doc"``), which is the
unit the bootstrap resamples, so near-copies from one document never count as independent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdpatlas.coding.gold import GoldError

__all__ = ["MANIFEST", "SPLITS", "GoldSet", "check_set", "documents", "file_sha256",
           "load_manifest", "manifest_entry", "missing_sources", "select_sets"]

MANIFEST = "MANIFEST.json"
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class GoldSet:
    """One manifest entry, its path resolved."""

    path: Path
    split: str
    sha256: str
    passages: int | None

    @property
    def name(self) -> str:
        """The file name without its extension ("written-dev")."""
        return self.path.name.removesuffix(".jsonl")


def load_manifest(path: Path) -> tuple[GoldSet, ...]:
    """Read a manifest; GoldError says which entry is wrong and how to fix it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"{path}: cannot read the gold manifest: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: the gold manifest is not JSON ({exc.msg})") from exc
    entries = raw.get("sets") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise GoldError(f"{path}: the manifest needs a list 'sets' of "
                        '{"file", "split", "sha256"} objects')
    sets = [_entry(e, path, i) for i, e in enumerate(entries)]
    names = [s.path.name for s in sets]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise GoldError(f"{path}: {', '.join(twice)} listed more than once; a file has one split")
    return tuple(sets)


def _entry(raw: Any, manifest: Path, index: int) -> GoldSet:
    where = f"{manifest}: sets[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
        raise GoldError(f"{where} must be an object with a string 'file'")
    if raw.get("split") not in SPLITS:
        raise GoldError(f"{where} ({raw['file']}): split must be one of {', '.join(SPLITS)}, "
                        f"not {raw.get('split')!r}")
    digest = raw.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64:
        raise GoldError(f"{where} ({raw['file']}): give the file's sha256 (64 hex digits)")
    name = Path(raw["file"])
    if name.is_absolute() or ".." in name.parts:
        raise GoldError(f"{where}: 'file' must be a path inside {manifest.parent}")
    count = raw.get("passages")
    return GoldSet(manifest.parent / name, raw["split"], digest,
                   count if isinstance(count, int) else None)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes; GoldError when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read the gold set: {exc.strerror}") from exc


def check_set(gold_set: GoldSet) -> None:
    """Refuse a set whose file changed since the manifest recorded it."""
    if file_sha256(gold_set.path) == gold_set.sha256:
        return
    if gold_set.split == "heldout":
        raise GoldError(f"{gold_set.path}: the held-out set changed after it was frozen (its "
                        "sha256 differs from MANIFEST.json); restore it from git — a held-out "
                        "set is never edited")
    raise GoldError(f"{gold_set.path}: the file's sha256 differs from MANIFEST.json; if the "
                    "development set was extended on purpose, record its new sha256 there")


def manifest_entry(path: Path, sets: Sequence[GoldSet]) -> GoldSet | None:
    """The manifest's entry for a gold file, if it has one."""
    resolved = path.resolve()
    return next((s for s in sets if s.path.resolve() == resolved), None)


def documents(path: Path) -> dict[str, str]:
    """Passage id → the source document it belongs to (its ``doc``, else the id itself)."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            doc = raw.get("doc")
            out[raw["id"]] = doc if isinstance(doc, str) and doc else raw["id"]
    return out


def missing_sources(path: Path, dirs: Sequence[Path]) -> list[str]:
    """The source files a gold set's offset lines name that none of ``dirs`` holds.

    Some sets label texts the project may not keep (real public documents); their sources
    live outside the repository, so a set with missing sources is skipped, not an error.
    """
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line) if line.strip() else None
        if isinstance(raw, dict) and isinstance(raw.get("source"), str):
            names.add(raw["source"])
    return sorted(n for n in names if not any((d / n).is_file() for d in dirs))


def select_sets(files: Sequence[Path], manifest: Path,
                split: str | None = None) -> list[tuple[Path, str | None]]:
    """The gold files to score, each with its split (None when the manifest omits it).

    With no files, every set of the manifest (of ``split`` if given). Each file the manifest
    lists is checked against its recorded sha256 first.
    """
    sets = load_manifest(manifest) if manifest.is_file() else ()
    if files:
        chosen = [(Path(f), manifest_entry(Path(f), sets)) for f in files]
    elif not sets:
        raise GoldError(f"no gold file given and no manifest at {manifest}; name the "
                        "JSON Lines files to score")
    else:
        chosen = [(s.path, s) for s in sets if split in (None, s.split)]
    for _path, entry in chosen:
        if entry is not None:
            check_set(entry)
    return [(path, entry.split if entry else None) for path, entry in chosen]
