"""Reading documents: plain text, Markdown, HTML, PDF and DOCX, within limits.

Text and Markdown are decoded in-process (decoding is not parsing); HTML, PDF and DOCX are
parsed in a resource-limited child process. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sdpatlas.coding import _parsers, _sandbox
from sdpatlas.coding._errors import RefusedInput
from sdpatlas.coding._language import language_warning
from sdpatlas.coding.formats import EXTENSIONS, FORMATS
from sdpatlas.coding.limits import DEFAULT_LIMITS, Limits

__all__ = ["EXTENSIONS", "FORMATS", "Extracted", "extract", "read_path", "read_stream", "sniff"]

_IN_PROCESS = frozenset(("text", "markdown"))
_HTML_START = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<p>", b"<div")


@dataclass(frozen=True)
class Extracted:
    """The raw text of a document and what is known about where it came from."""

    name: str
    format: str
    text: str
    size: int
    sha256: str
    pages: int | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = field(default=())


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file, refused if it is missing, not a file or over the size limit."""
    try:
        info = path.stat()
    except OSError as exc:
        raise RefusedInput("unreadable", f"{path} cannot be read: {exc.strerror}") from exc
    if not path.is_file():
        raise RefusedInput("unreadable", f"{path} is not a regular file")
    if info.st_size > limits.max_bytes:
        raise _too_large(info.st_size, limits)
    try:
        with path.open("rb") as handle:
            return _bounded(handle, limits)
    except OSError as exc:
        raise RefusedInput("unreadable", f"{path} cannot be read: {exc.strerror}") from exc


def read_stream(stream: BinaryIO | None = None, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Bytes from a stream (standard input by default), refused past the size limit."""
    return _bounded(stream if stream is not None else sys.stdin.buffer, limits)


def _bounded(stream: BinaryIO, limits: Limits) -> bytes:
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large(None, limits)
    return data


def _too_large(size: int | None, limits: Limits) -> RefusedInput:
    shown = f"{size:,} bytes" if size is not None else "more bytes"
    return RefusedInput("too-large", f"the input has {shown} than the limit of "
                        f"{limits.max_bytes:,}" if size is None else
                        f"the input has {shown}, more than the limit of {limits.max_bytes:,}",
                        "split the document, or raise the size limit")


def sniff(data: bytes, name: str = "-") -> str:
    """The format of a document, from its extension checked against its first bytes."""
    ext = os.path.splitext(name)[1].lower()
    claimed = EXTENSIONS.get(ext)
    head = data[:1024].lstrip()
    if claimed == "pdf" or (claimed is None and head.startswith(b"%PDF-")):
        if b"%PDF-" not in data[:1024]:
            raise RefusedInput("corrupt", f"{name} is named .pdf but is not a PDF")
        return "pdf"
    if claimed == "docx" or (claimed is None and data.startswith(b"PK\x03\x04")):
        if data.startswith(_parsers.OLE_MAGIC):
            raise RefusedInput("encrypted", f"{name} is a password-protected Office document "
                               "or a legacy .doc", "save it as an unprotected .docx")
        if not data.startswith(b"PK"):
            raise RefusedInput("corrupt", f"{name} is named .docx but is not a zip archive")
        return "docx"
    if claimed is not None:
        return claimed
    if ext and ext not in ("", "-"):
        raise RefusedInput("unsupported", f"{name}: the extension {ext} is not a format the "
                           "coder reads", f"use one of {', '.join(sorted(EXTENSIONS))}")
    if data.startswith(_parsers.OLE_MAGIC):
        raise RefusedInput("encrypted", "the input is a password-protected Office document or a "
                           "legacy .doc", "save it as an unprotected .docx")
    if head[:64].lower().startswith(_HTML_START):
        return "html"
    return "text"


def extract(data: bytes, name: str = "-", fmt: str | None = None,
            limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The raw text of a document given as bytes; RefusedInput when it cannot be read."""
    if not data.strip():
        raise RefusedInput("empty", f"{name} is empty")
    if len(data) > limits.max_bytes:
        raise _too_large(len(data), limits)
    if fmt is not None and fmt not in FORMATS:
        raise RefusedInput("unsupported", f"unknown format {fmt!r}; use one of "
                           f"{', '.join(FORMATS)}")
    kind = fmt or sniff(data, name)
    if kind == "docx":
        _parsers.docx_precheck(data, limits)
    parsed = (_parsers.parse(kind, data, limits) if kind in _IN_PROCESS
              else _sandbox.run(kind, data, limits))
    if not parsed.text.strip():
        raise RefusedInput("empty", f"{name} holds no text")
    if len(parsed.text) > limits.max_chars:
        raise RefusedInput("too-long", f"{name} holds {len(parsed.text):,} characters, more "
                           f"than the limit of {limits.max_chars:,}")
    warnings = list(parsed.warnings)
    language = language_warning(parsed.text)
    if language:
        warnings.append(language)
    return Extracted(name=name, format=kind, text=parsed.text, size=len(data),
                     sha256=hashlib.sha256(data).hexdigest(), pages=parsed.pages,
                     encoding=parsed.encoding, warnings=tuple(warnings))
