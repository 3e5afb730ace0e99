"""Gold passages for evaluation: JSON Lines with either the text or offsets into a source.

A line is ``{"id", "areas": [ids], "already_exists": [ids]?}`` plus either ``"text"`` or
``"source"``, ``"start"``, ``"end"`` (and optionally ``"sha256"`` of the source file and
``"markup": "markdown"``). Offsets let a gold set label text that may not be copied.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sdpatlas.coding._errors import CodingError
from sdpatlas.coding._markdown import strip_markdown

__all__ = ["MAX_BYTES", "GoldError", "GoldItem", "default_source_dirs", "load_gold"]

MAX_BYTES = 64 << 20  # of a gold file or of a source it points to


class GoldError(CodingError):
    """A gold file is malformed, or a source it points to is missing or changed."""

    code = "gold-invalid"


@dataclass(frozen=True)
class GoldItem:
    """One labelled passage."""

    id: str
    text: str
    areas: frozenset[int]
    already_exists: frozenset[int]


def default_source_dirs(gold_file: Path) -> tuple[Path, ...]:
    """Where sources are looked for: beside the gold file, and ``../shared/sources``."""
    root = Path(__file__).resolve().parents[3]
    return (gold_file.parent, root.parent / "shared" / "sources", Path.cwd() / "sources")


def load_gold(path: Path, source_dirs: Sequence[Path] = (),
              known_areas: Iterable[int] | None = None) -> list[GoldItem]:
    """Read a gold file; GoldError says which line is wrong and how."""
    lines = _text(path, "the gold file").splitlines()
    dirs = tuple(source_dirs) or default_source_dirs(path)
    areas = set(known_areas) if known_areas is not None else None
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
        except RecursionError as exc:
            raise GoldError(f"{where}: the JSON nests too deeply") from exc
        item = _item(raw, where, dirs, areas)
        if item.id in seen:
            raise GoldError(f"{where}: the id {item.id!r} is used twice")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise GoldError(f"{path}: the gold file holds no passages")
    return items


def _item(raw: Any, where: str, dirs: Sequence[Path], areas: set[int] | None) -> GoldItem:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise GoldError(f"{where}: each line must be an object with a string 'id'")
    labels = _ids(raw.get("areas"), where, "areas", areas)
    existing = _ids(raw.get("already_exists", []), where, "already_exists", areas)
    if "text" in raw:
        if not isinstance(raw["text"], str):
            raise GoldError(f"{where}: 'text' must be a string")
        text = raw["text"]
    else:
        text = _from_source(raw, where, dirs)
    if raw.get("markup") == "markdown":
        text = strip_markdown(text)
    return GoldItem(raw["id"], " ".join(text.split()), frozenset(labels), frozenset(existing))


def _ids(value: Any, where: str, key: str, areas: set[int] | None) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise GoldError(f"{where}: '{key}' must be a list of area ids (integers)")
    unknown = [v for v in value if areas is not None and v not in areas]
    if unknown:
        raise GoldError(f"{where}: '{key}' names unknown area(s) {unknown}")
    return list(value)


def _from_source(raw: dict[str, Any], where: str, dirs: Sequence[Path]) -> str:
    name, start, end = raw.get("source"), raw.get("start"), raw.get("end")
    if not isinstance(name, str) or not isinstance(start, int) or not isinstance(end, int):
        raise GoldError(f"{where}: give either 'text', or 'source' with integer 'start' and "
                        "'end'")
    if not all(_inside(d / name, d) for d in dirs):
        raise GoldError(f"{where}: the source {name!r} lies outside the source folders; "
                        "give the name of a file inside a --sources DIR")
    path = next((d / name for d in dirs if (d / name).is_file()), None)
    if path is None:
        raise GoldError(f"{where}: the source {name} is not in {', '.join(map(str, dirs))}; "
                        "pass --sources DIR")
    text, digest = _read_source(path)
    if raw.get("sha256") not in (None, digest):
        raise GoldError(f"{where}: {path} has changed since the gold set was made "
                        "(sha256 differs); the offsets no longer hold")
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{where}: offsets {start}..{end} fall outside {path}")
    return text[start:end]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@cache
def _read_source(path: Path) -> tuple[str, str]:
    data = _bytes(path, "the source")
    return _decoded(data, path, "the source"), hashlib.sha256(data).hexdigest()


def _text(path: Path, what: str) -> str:
    return _decoded(_bytes(path, what), path, what)


def _bytes(path: Path, what: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; GoldError otherwise."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise GoldError(f"{path}: {what} is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise GoldError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise GoldError(f"{path}: {what} is larger than {MAX_BYTES >> 20} MiB")
    return data


def _decoded(data: bytes, path: Path, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GoldError(f"{path}:{line}: {what} is not UTF-8 text (byte {exc.start}); "
                        "give a JSON Lines file saved as UTF-8") from exc
