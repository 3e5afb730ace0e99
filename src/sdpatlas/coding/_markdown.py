"""Markdown to plain text in time linear in the input, whatever the input.

Each rule is a regular expression that cannot backtrack far: a bracket, emphasis or link
scan stops at the next bracket or marker of its kind, or after a fixed number of characters;
no two unbounded runs of the same characters stand next to each other. The hostile-input
tests feed every rule megabytes of its own markers. (A full parser is no faster here:
markdown-it-py spends about 60 µs on each ``[`` of a run of them.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["strip_markdown"]

_TABLE_RULE = frozenset("|:- \t")


def _heading(m: re.Match[str]) -> str:
    return m.group(1).rstrip(" \t#")


_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^```[^\n]*$|^~~~[^\n]*$", re.M), ""),                 # code fences
    (re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*)$", re.M), _heading),       # ATX headings
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),                         # block quotes
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.M), r"\1- "),                # bullets
    (re.compile(r"!\[([^\[\]\n]*)\]\([^()\[\]\n]*\)"), r"\1"),          # images
    (re.compile(r"\[([^\[\]\n]*)\]\([^()\[\]\n]*\)"), r"\1"),           # inline links
    (re.compile(r"\[([^\[\]\n]*)\]\[[^\[\]\n]*\]"), r"\1"),             # reference links
    (re.compile(r"^ {0,3}\[[^\[\]\n]+\]:[^\n]*$", re.M), ""),          # link definitions
    (re.compile(r"<[A-Za-z/!][^<>\n]{0,500}>"), ""),                    # inline HTML tags
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))*?\S)\*\*"), r"\1"),  # strong
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))*?\S)__"), r"\1"),                    # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?=\S)([^_\n]*?\S)_(?!\w)"), r"\1"),          # emphasis
    (re.compile(r"`([^`\n]*)`"), r"\1"),                                # code spans
)
_PIPE = re.compile(r"(?:(?<![ \t])[ \t]+)?\|[ \t]*")  # table pipes, with their spaces


def strip_markdown(text: str) -> str:
    """Markdown without its markup: headings, emphasis, links, quotes, tables to plain text."""
    text = "\n".join("" if _is_rule(line) else line for line in text.split("\n"))
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return _PIPE.sub("  ", text)


def _is_rule(line: str) -> bool:
    """A horizontal rule (``---``, ``* * *``) or a table's delimiter row (``|---|:--:|``)."""
    body = line.strip(" \t")
    marks = set(body) - {" ", "\t"}
    if len(body) - body.count(" ") - body.count("\t") < 3:
        return False
    if len(marks) == 1 and marks <= {"-", "*", "_"} and len(line) - len(line.lstrip(" ")) <= 3:
        return True
    return set(body) <= _TABLE_RULE and "---" in body
