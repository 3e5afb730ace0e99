"""Text that fits a terminal: tables with word-wrapped cells, and wrapped lines of prose.

A table keeps every column at its natural width when it fits. Otherwise the widest text
columns shrink first, to one common cap, and their cells wrap at word boundaries. Key columns
never shrink (their headers may wrap): those marked ``wrap=False`` and those that look like
codes, ids, dates, numbers or short statuses (no cell with a space, or none longer than a
short status). When even that cannot fit, each row becomes a block of ``Header: value``
lines. ``width=None`` means no limit.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

__all__ = ["MIN_WIDTH", "column_widths", "fit_lines", "fit_text", "grid", "wrap_cell"]

MIN_WIDTH = 30
_FLOOR = 16
_KEY_LONGEST = 40
_SHORT_STATUS = 14
_GAP = 2
_BULLETS = ("· ", "- ", "• ", "* ")


def wrap_cell(text: str, width: int) -> list[str]:
    """A cell's lines at ``width``: its own line breaks kept, long words broken."""
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        lines += textwrap.wrap(part, width, break_long_words=True) or [""]
    return lines


def column_widths(natural: Sequence[int], floors: Sequence[int], room: int) -> list[int] | None:
    """Widths summing to at most ``room``: each column at least its floor, the room left
    shared in proportion to what each still needs (so long text gets the most and rows stay
    short); ``None`` when the floors alone do not fit."""
    if sum(floors) > room:
        return None
    if sum(natural) <= room:
        return list(natural)
    needs = [n - f for n, f in zip(natural, floors, strict=True)]
    spare, total = room - sum(floors), sum(needs)
    shares = [spare * need / total for need in needs]
    widths = [f + int(share) for f, share in zip(floors, shares, strict=True)]
    by_remainder = sorted(range(len(widths)), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[: room - sum(widths)]:
        widths[i] += 1
    return widths


def _is_key(cells: Sequence[str]) -> bool:
    longest = max((len(c) for c in cells), default=0)
    return longest <= _KEY_LONGEST and (longest <= _SHORT_STATUS
                                        or not any(c.split(maxsplit=1)[1:] for c in cells))


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool],
         wrap: Sequence[bool], width: int | None) -> list[str]:
    """Header, rule and rows of a table whose lines are at most ``width`` characters."""
    columns = [[r[i] for r in rows] for i in range(len(headers))]
    widths: list[int] | None
    if width is None:
        widths = [max([len(h), *(len(c) for c in cells)]) for h, cells in zip(
            headers, columns, strict=True)]
    else:
        widths = _fit(headers, columns, wrap, width - _GAP * (len(headers) - 1))
    if widths is None:
        return _records(headers, rows, width or MIN_WIDTH)
    blocks = [_row(r, widths, right) for r in rows]
    spaced = sum(len(b) for b in blocks) >= 1.5 * len(blocks)
    out = _row(headers, widths, [False] * len(widths))
    out.append((" " * _GAP).join("─" * w for w in widths))
    for number, block in enumerate(blocks):
        out += ([""] if spaced and number else []) + block
    return out


def _fit(headers: Sequence[str], columns: Sequence[Sequence[str]], wrappable: Sequence[bool],
         room: int) -> list[int] | None:
    natural, floors = [], []
    for header, cells, may_wrap in zip(headers, columns, wrappable, strict=True):
        body = max((len(line) for c in cells for line in c.splitlines()), default=0)
        natural.append(max(body, len(header)))
        if may_wrap and not _is_key(cells):
            floors.append(min(natural[-1], _FLOOR))
        else:
            floors.append(max(body, *(len(word) for word in header.split())))
    return column_widths(natural, floors, room)


def _row(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> list[str]:
    wrapped = [wrap_cell(c, w) for c, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    lines = []
    for k in range(height):
        parts = [(c[k] if k < len(c) else "") for c in wrapped]
        lines.append((" " * _GAP).join(
            p.rjust(w) if r else p.ljust(w)
            for p, w, r in zip(parts, widths, right, strict=True)).rstrip())
    return lines


def _records(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    label = max(len(h) for h in headers) + 2
    if label > width // 2:
        label = 2
    out: list[str] = []
    for number, row in enumerate(rows):
        out += [""] if number else []
        for header, cell in zip(headers, row, strict=True):
            if not cell.strip():
                continue
            head = f"{header}:".ljust(label) if label > 2 else f"{header}: "
            out += textwrap.wrap(" ".join(cell.split()), width, initial_indent=head,
                                 subsequent_indent=" " * label)
    return out


def fit_lines(lines: Sequence[str], width: int | None) -> list[str]:
    """Lines wrapped at ``width``: continuations indented under the line's text (past a
    bullet) or two spaces deeper; rules of ``=`` or ``-`` cut to the width."""
    if width is None:
        return list(lines)
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
        elif set(line) <= {"=", "-", "─"}:
            out.append(line[:width])
        else:
            out += _wrap_line(line, width)
    return out


def _wrap_line(line: str, width: int) -> list[str]:
    text = line.lstrip(" ")
    indent = " " * (len(line) - len(text))
    bullet = next((b for b in _BULLETS if text.startswith(b)), "")
    hanging = indent + (" " * len(bullet) if bullet else "  ")
    if len(hanging) > width // 2:
        indent, hanging = "", "  "
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging,
                         break_long_words=True, break_on_hyphens=False) or [""]


def fit_text(text: str, width: int | None) -> str:
    """``fit_lines`` over a whole text (keeping its final newline)."""
    return text if width is None else "\n".join(fit_lines(text.split("\n"), width))
