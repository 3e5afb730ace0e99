"""Suggested corrections: a reader's correction as a reviewable change, and applying one.

A suggestion is a plain-text file: a few ``# key: value`` lines saying what is corrected,
why and by whom (optional), then the change itself as a unified diff of the data files
(the YAML edit and, when a new source is cited, its entry in ``sources.yaml``). It is
made without writing anything (:func:`suggest_cell`, :func:`suggest_note`) and applied by
:func:`apply`: strictly (every context line must match, no fuzz), to a copy of the
dataset that must validate, and only then to the data folder, file by file, atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sdpatlas.errors import InputError
from sdpatlas.model import Coverage, Dataset

__all__ = ["CorrectionError", "Suggestion", "apply", "suggest_cell", "suggest_note"]

MAX_SUGGESTION = 256 * 1024
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_SLUG = re.compile(r"[^a-z0-9]+")


class CorrectionError(InputError):
    """A suggestion that cannot be made or applied; the data folder is unchanged."""

    code = "bad-suggestion"


@dataclass(frozen=True)
class Suggestion:
    """What a reader proposes, and the source they cite for it."""

    reason: str
    source_title: str
    source_url: str
    source_issuer: str = "Reader's suggestion"
    source_date: dt.date | None = None

    def source_id(self) -> str:
        """A readable id for the cited source."""
        slug = _SLUG.sub("-", self.source_title.lower()).strip("-")[:40].strip("-")
        year = f"-{self.source_date.year}" if self.source_date else ""
        return f"suggested-{slug or 'source'}{year}"


def suggest_cell(folder: Path, data: Dataset, partner: str, area: int, status: Coverage,
                 suggestion: Suggestion) -> str:
    """The suggestion file for changing one cell of Table 1."""
    _check_sources(suggestion)
    path = f"partnerships/{partner}.yaml"
    lines = _lines(folder / path)
    at = _cell_line(lines, area)
    if at is None:
        raise CorrectionError(f"{partner} has no coded cell for area {area}",
                              hint="only the areas of a signed partnership can be corrected")
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    sid = _unused_id(data, suggestion.source_id())
    new = lines.copy()
    new[at] = (f"{indent}{area}: {{status: {status.value}, sources: [{sid}], "
               f"note: {_quote(suggestion.reason)}}}\n")
    header = {"corrects": f"{partner} area {area}", "proposes": status.value,
              "reason": suggestion.reason}
    return _file(header, [(path, lines, new), _source_edit(folder, sid, suggestion)])


def suggest_note(folder: Path, data: Dataset, partner: str, topic: str,
                 suggestion: Suggestion) -> str:
    """The suggestion file adding a sourced note to one partnership (a fact to correct)."""
    _check_sources(suggestion)
    path = f"partnerships/{partner}.yaml"
    lines = _lines(folder / path)
    sid = _unused_id(data, suggestion.source_id())
    entry = [f"  - topic: {_quote(topic)}\n", f"    text: {_quote(suggestion.reason)}\n",
             f"    sources: [{sid}]\n"]
    new = _with_note(lines, entry)
    header = {"corrects": f"{partner}: {topic}", "reason": suggestion.reason}
    return _file(header, [(path, lines, new), _source_edit(folder, sid, suggestion)])


def _check_sources(s: Suggestion) -> None:
    if not s.reason.strip() or not s.source_title.strip():
        raise CorrectionError("a suggestion needs the correction and the title of its source")
    if not re.match(r"^https?://[^\s]+$", s.source_url):
        raise CorrectionError(f"the source address {s.source_url!r} is not an http(s) URL",
                              hint="give the address where the source can be read")


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.splitlines(keepends=True) if text.endswith("\n") else (text + "\n").splitlines(
        keepends=True)


def _cell_line(lines: Sequence[str], area: int) -> int | None:
    inside = False
    for i, line in enumerate(lines):
        if re.match(r"^coverage:\s*$", line):
            inside = True
        elif inside and line[:1] not in (" ", "#", "\n"):
            return None
        elif inside and re.match(rf"^\s+{area}:", line):
            return i
    return None


def _with_note(lines: list[str], entry: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if re.match(r"^notes:\s*$", line)), None)
    if start is None:
        return [*lines, "notes:\n", *entry]
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "#", "\n")),
               len(lines))
    return [*lines[:end], *entry, *lines[end:]]


def _unused_id(data: Dataset, wanted: str) -> str:
    taken = {s.id for s in data.sources}
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _source_edit(folder: Path, sid: str, s: Suggestion) -> tuple[str, list[str], list[str]]:
    lines = _lines(folder / "sources.yaml")
    entry = [f"  - id: {sid}\n", f"    title: {_quote(s.source_title)}\n",
             f"    issuer: {_quote(s.source_issuer)}\n", "    kind: suggestion\n",
             "    confidence: unverified\n", f"    url: {s.source_url}\n"]
    if s.source_date:
        entry.insert(5, f"    date: {s.source_date.isoformat()}\n")
    return "sources.yaml", lines, [*lines, *entry]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _file(header: dict[str, str], edits: list[tuple[str, list[str], list[str]]]) -> str:
    top = ["# SDP Atlas: a suggested correction (apply with `sdpatlas apply-suggestion`)"]
    top += [f"# {key}: {' '.join(value.split())}" for key, value in header.items()]
    body = ["".join(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
            for path, old, new in edits]
    return "\n".join(top) + "\n" + "".join(body)


def apply(folder: Path, text: str) -> list[Path]:
    """Apply a suggestion to the data folder if the result validates; the files changed."""
    from sdpatlas.dataset import check
    from sdpatlas.findings import Severity
    from sdpatlas.outputs import write_text

    patches = _parse(text)
    changed = {name: _patched(folder, name, hunks) for name, hunks in patches.items()}
    with tempfile.TemporaryDirectory(prefix="sdpatlas-suggestion-") as temp:
        trial = Path(shutil.copytree(folder, Path(temp) / folder.name, symlinks=True))
        for name, content in changed.items():
            (trial / name).write_text(content, encoding="utf-8")
        errors = [f for f in check(trial)[1] if f.severity is Severity.ERROR]
    if errors:
        listed = "; ".join(str(f) for f in errors[:5])
        raise CorrectionError(f"the corrected dataset would not validate: {listed}",
                              hint="fix the suggestion; the data folder was not changed")
    return [write_text(folder / name, content) for name, content in changed.items()]


@dataclass(frozen=True)
class _Hunk:
    start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


def _parse(text: str) -> dict[str, list[_Hunk]]:
    """The files and hunks of a suggestion's diff; CorrectionError for anything else."""
    if len(text) > MAX_SUGGESTION:
        raise CorrectionError(f"the suggestion is over {MAX_SUGGESTION // 1024} KB")
    lines = text.splitlines(keepends=True)
    patches: dict[str, list[_Hunk]] = {}
    i = 0
    while i < len(lines):
        if not lines[i].startswith("--- "):
            i += 1
            continue
        name = _target(lines, i)
        patches[name] = []
        i += 2
        while i < len(lines) and lines[i].startswith("@@"):
            hunk, i = _hunk(lines, i)
            patches[name].append(hunk)
    if not patches:
        raise CorrectionError("the suggestion holds no change (no unified diff found)",
                              hint="give the file a suggestion form produced")
    return patches


def _target(lines: Sequence[str], i: int) -> str:
    old = lines[i][4:].strip()
    new = lines[i + 1][4:].strip() if i + 1 < len(lines) and lines[i + 1].startswith("+++ ") \
        else ""
    name = new[2:] if new.startswith("b/") else ""
    parts = Path(name).parts
    if (old != f"a/{name}" or not name.endswith(".yaml") or not parts or ".." in parts
            or name.startswith("/") or "\\" in name):
        raise CorrectionError(f"line {i + 1}: {lines[i].strip()!r} does not name a data file "
                              "inside the dataset")
    return name


def _hunk(lines: Sequence[str], i: int) -> tuple[_Hunk, int]:
    head = _HUNK.match(lines[i])
    if head is None:
        raise CorrectionError(f"line {i + 1}: malformed hunk header {lines[i].strip()!r}")
    want_old = int(head[2]) if head[2] is not None else 1
    want_new = int(head[4]) if head[4] is not None else 1
    old: list[str] = []
    new: list[str] = []
    i += 1
    while (len(old) < want_old or len(new) < want_new) and i < len(lines):
        mark, body = lines[i][:1], lines[i][1:]
        if mark in (" ", "-"):
            old.append(body)
        if mark in (" ", "+"):
            new.append(body)
        if mark not in (" ", "-", "+", "\\"):
            raise CorrectionError(f"line {i + 1}: unexpected line in a hunk")
        i += 1
    if len(old) != want_old or len(new) != want_new:
        raise CorrectionError(f"line {i}: the hunk ends early (truncated suggestion)")
    return _Hunk(int(head[1]), tuple(old), tuple(new)), i


def _patched(folder: Path, name: str, hunks: Sequence[_Hunk]) -> str:
    path = folder / name
    if not path.is_file() or path.is_symlink():
        raise CorrectionError(f"{name} is not a file of the dataset in {folder}")
    lines = _lines(path)
    out: list[str] = []
    at = 0
    for hunk in hunks:
        start = max(hunk.start - 1, 0) if hunk.old else hunk.start
        if start < at or tuple(lines[start:start + len(hunk.old)]) != hunk.old:
            raise CorrectionError(f"the suggestion does not apply to {name} near line "
                                  f"{hunk.start}: the file has changed since it was made",
                                  hint="make the suggestion again from the current data")
        out += lines[at:start] + list(hunk.new)
        at = start + len(hunk.old)
    return "".join(out + lines[at:])
