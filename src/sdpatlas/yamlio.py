"""Reading YAML with line numbers, YAML 1.2 scalars and duplicate-key detection.

PyYAML's safe loader follows YAML 1.1, where ``yes``/``no`` are booleans and
dates become ``datetime.date``; it also keeps the last of two equal keys. This
module composes the node tree instead and builds plain values itself, so that
every mapping remembers the line of each key and nothing is silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sdpatlas.findings import Finding, finding

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "false": False, "False": False}

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


def read(path: Path, name: str) -> Document:
    """Parse a YAML file; syntax errors and duplicate keys become findings."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = finding("yaml-syntax", f"cannot read: {exc}", file=name)
        return Document(path, name, None, (problem,))
    try:
        node = yaml.compose(text, Loader=_BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or str(exc)
        return Document(path, name, None, (finding("yaml-syntax", what, file=name, line=line),))
    problems: list[Finding] = []
    root = _build(node, name, problems) if node is not None else None
    return Document(path, name, root, tuple(problems))


def _build(node: yaml.Node, file: str, problems: list[Finding]) -> Value:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, file, line, problems)
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(file, line)
        for item in node.value:
            seq.append(_build(item, file, problems))
            seq.lines.append(item.start_mark.line + 1)
        return seq
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node)


def _build_mapping(node: yaml.MappingNode, file: str, line: int,
                   problems: list[Finding]) -> Mapping:
    mapping = Mapping(file, line)
    for key_node, value_node in node.value:
        key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
        key_line = key_node.start_mark.line + 1
        if key in mapping:
            problems.append(finding(
                "duplicate-key",
                f"key {key!r} appears again (first on line {mapping.line_of(key)})",
                file=file, line=key_line, field=key,
            ))
            continue
        mapping[key] = _build(value_node, file, problems)
        mapping.lines[key] = key_line
    return mapping


def _scalar(node: yaml.ScalarNode) -> Value:
    text = node.value
    if node.style:  # quoted or block scalars are always text (plain is None or "")
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text
