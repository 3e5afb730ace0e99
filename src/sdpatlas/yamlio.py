"""Reading YAML with line numbers, YAML 1.2 scalars and duplicate-key detection.

PyYAML's safe loader follows YAML 1.1, where ``yes``/``no`` are booleans and
dates become ``datetime.date``; it also keeps the last of two equal keys. This
module builds plain values from the parser's events instead, so that every
mapping remembers the line of each key and nothing is silently lost.

Reading is bounded: only regular files of at most :data:`~sdpatlas.paths.MAX_FILE_BYTES`
are read (:func:`~sdpatlas.paths.read_data_file`), the text must be UTF-8 without control
characters, and anchors and aliases are refused, so the values built are never larger
than the file (no "billion laughs"). Every refusal is a located finding.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sdpatlas.findings import Finding, finding
from sdpatlas.paths import DataFileError, read_data_file

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_WORDS: dict[str, Value] = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
                            "true": True, "True": True, "false": False, "False": False}
_NUMBER_START = frozenset("+-.0123456789")
_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INT_MAX = 2**63 - 1
MAX_PROBLEMS = 200

Value = object


class Mapping(dict[str, Value]):
    """A YAML mapping that remembers where it and each of its keys stand."""

    def __init__(self, file: str, line: int) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The 1-based line of a key (the mapping's own line if the key is absent)."""
        return self.lines.get(key, self.line)


class Sequence(list[Value]):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, file: str, line: int) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.lines: list[int] = []


@dataclass(frozen=True)
class Document:
    """One parsed file: its root value, or the findings that stopped it."""

    path: Path
    name: str
    root: Value
    findings: tuple[Finding, ...]


class _Refused(Exception):
    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


def read(path: Path, name: str) -> Document:
    """Parse a YAML data file; anything unreadable or malformed becomes a finding."""
    try:
        data = read_data_file(path)
    except DataFileError as exc:
        return Document(path, name, None, (finding(exc.code, exc.message, file=name),))
    root, problems = parse(data, name)
    return Document(path, name, root, problems)


def parse(data: bytes, name: str) -> tuple[Value, tuple[Finding, ...]]:
    """The value of a YAML text and its findings (``name`` is the file findings cite)."""
    problems: list[Finding] = []
    try:
        text = _decode(data)
        root = _Builder(name, problems).build(text)
    except _Refused as exc:
        return None, (finding(exc.code, exc.message, file=name, line=exc.line),)
    return root, tuple(problems)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _Refused("bad-encoding", f"byte 0x{data[exc.start]:02x} is not UTF-8 "
                       f"({exc.reason})", line) from None
    bad = _BAD_CHAR.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise _Refused("bad-character", f"character U+{ord(bad.group()):04X} at column "
                       f"{column} is not allowed", line)
    return text


@dataclass
class _Open:
    """A mapping or sequence being built, and (for a mapping) the key awaiting its value."""

    value: Mapping | Sequence
    key: str | None = None
    key_line: int = 0
    skip: bool = False


@dataclass
class _Builder:
    file: str
    problems: list[Finding]
    stack: list[_Open] = field(default_factory=list)
    root: Value = None
    documents: int = 0
    dropped: int = 0

    def build(self, text: str) -> Value:
        handlers = {yaml.ScalarEvent: self._on_scalar, yaml.MappingStartEvent: self._on_start,
                    yaml.SequenceStartEvent: self._on_start, yaml.MappingEndEvent: self._on_end,
                    yaml.SequenceEndEvent: self._on_end, yaml.AliasEvent: self._on_alias,
                    yaml.DocumentStartEvent: self._on_document}
        try:
            for event in yaml.parse(text, Loader=_BaseLoader):
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise _Refused("yaml-syntax", exc.problem or str(exc),
                           mark.line + 1 if mark is not None else None) from None
        except yaml.YAMLError as exc:
            raise _Refused("yaml-syntax", str(exc), None) from None
        if self.dropped:
            self.problems.append(finding(self.problems[-1].code, f"… and {self.dropped:,} more "
                                         "problem(s) in this file not listed", file=self.file))
        return self.root

    def _problem(self, code: str, message: str, line: int, key: str = "") -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(finding(code, message, file=self.file, line=line, field=key))

    def _on_scalar(self, event: yaml.Event) -> None:
        assert isinstance(event, yaml.ScalarEvent)
        line = _line(event)
        if event.anchor:
            self._on_alias(event)
        self._add(self._scalar(event, line), line)

    def _on_start(self, event: yaml.Event) -> None:
        assert isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if event.anchor:
            self._on_alias(event)
        kind = Mapping if isinstance(event, yaml.MappingStartEvent) else Sequence
        self.stack.append(_Open(kind(self.file, _line(event))))

    def _on_end(self, _event: yaml.Event) -> None:
        done = self.stack.pop().value
        self._add(done, done.line)

    def _on_alias(self, event: yaml.Event) -> None:
        raise _Refused("yaml-alias", "anchors and aliases (&name, *name) are not allowed in "
                       "data files", _line(event))

    def _on_document(self, event: yaml.Event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _Refused("yaml-syntax", "the file holds more than one YAML document "
                           "(a second `---`)", _line(event))

    def _add(self, value: Value, line: int) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, Sequence):
            top.value.append(value)
            top.value.lines.append(line)
        elif top.key is None:
            self._key(top, value, line)
        else:
            if not top.skip:
                top.value[top.key] = value
                top.value.lines[top.key] = top.key_line
            top.key = None

    def _key(self, top: _Open, value: Value, line: int) -> None:
        key = "?" if isinstance(value, (Mapping, Sequence)) else str(value)
        mapping = top.value
        assert isinstance(mapping, Mapping)
        top.key, top.key_line, top.skip = key, line, key in mapping
        if top.skip:
            self._problem("duplicate-key", f"key {key!r} appears again (first on line "
                          f"{mapping.line_of(key)})", line, key)

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> Value:
        text = event.value
        if event.style:  # quoted or block scalars are always text (plain is None or "")
            if event.style == '"' and _BAD_CHAR.search(text):
                raise _Refused("bad-character", "an escape sequence makes a control character "
                               "or a lone surrogate, which is not allowed", line)
            return text
        if text in _WORDS:
            return _WORDS[text]
        if text[0] in _NUMBER_START and (_INT.match(text) or _FLOAT.match(text)):
            return self._number(text, line)
        return text

    def _number(self, text: str, line: int) -> Value:
        value = _int(text) if _INT.match(text) else float(text)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            self._problem("number-too-large", f"{text[:40]}{'…' if len(text) > 40 else ''} "
                          "is out of range", line)
            return text
        return value


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 0


def _int(text: str) -> int | None:
    """The integer of ``text``, or None when it does not fit 64 bits."""
    if len(text.lstrip("+-").lstrip("0")) > 19:
        return None
    value = int(text)
    return value if -INT_MAX - 1 <= value <= INT_MAX else None
