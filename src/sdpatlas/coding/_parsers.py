"""The format parsers. HTML, PDF and DOCX run inside the sandbox process (see _sandbox).

Each parser takes bytes and limits and returns :class:`Parsed`, or raises RefusedInput.
PDF pages are joined with form feeds so that repair can find running headers and footers.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

from sdpatlas.coding._decode import decode
from sdpatlas.coding._errors import RefusedInput
from sdpatlas.coding._markdown import strip_markdown
from sdpatlas.coding.limits import Limits

if TYPE_CHECKING:
    from pypdf import PdfReader

# pypdf and python-docx are imported where a parser runs (in the sandboxed child), so that
# importing the coder, and every CLI command with it, stays fast.
_WORDPROCESSING = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def qn(tag: str) -> str:
    """Clark notation for a ``w:``-prefixed WordprocessingML tag (``w:p`` → ``{ns}p``)."""
    prefix, _, local = tag.partition(":")
    assert prefix == "w", tag
    return f"{{{_WORDPROCESSING}}}{local}"

__all__ = ["Parsed", "docx_precheck", "parse"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Parsed:
    """What a parser read: the raw text, pages (PDF), encoding (text formats), warnings."""

    text: str
    pages: int | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = field(default=())


def parse(kind: str, data: bytes, limits: Limits) -> Parsed:
    """Dispatch to the parser of ``kind`` (text, markdown, html, pdf, docx)."""
    parser = _PARSERS.get(kind)
    if parser is None:
        raise RefusedInput("unsupported", f"no parser for the format {kind!r}")
    return parser(data, limits)


# ---------------------------------------------------------------- text and Markdown

def _text(data: bytes, limits: Limits) -> Parsed:
    decoded = decode(data)
    warnings = ((f"the encoding was detected as {decoded.encoding}",) if decoded.detected else ())
    return Parsed(decoded.text, encoding=decoded.encoding, warnings=warnings)


def _markdown(data: bytes, limits: Limits) -> Parsed:
    parsed = _text(data, limits)
    if len(parsed.text) > limits.max_chars:  # refused before the markup is stripped
        raise RefusedInput("too-long", f"the Markdown holds {len(parsed.text):,} characters, "
                           f"more than the limit of {limits.max_chars:,}")
    return Parsed(strip_markdown(parsed.text), encoding=parsed.encoding, warnings=parsed.warnings)


# ---------------------------------------------------------------- HTML

_DROP = ("script", "style", "noscript", "template", "head", "nav", "footer", "aside", "form",
         "button", "svg", "math", "iframe", "object", "select")
_BLOCK = frozenset(("p", "div", "section", "article", "main", "header", "blockquote", "pre",
                    "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "dl", "ul", "ol",
                    "table", "tr", "caption", "figure", "figcaption", "address", "hr", "title",
                    "body", "html"))
_CELL = frozenset(("td", "th"))
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""",
                           re.I)


def _html(data: bytes, limits: Limits) -> Parsed:
    declared = _META_CHARSET.search(data[:4096])
    decoded = decode(data, declared.group(1).decode("ascii") if declared else None)
    source = _XML_DECL.sub("", decoded.text)
    if not source.strip():
        raise RefusedInput("empty", "the HTML file is empty")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  recover=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise RefusedInput("corrupt", f"the HTML could not be parsed: {exc}") from exc
    for tag in _DROP:
        for el in root.iter(tag):
            el.drop_tree()
    out: list[str] = []
    _walk(root, out)
    text = "\n".join(line.strip(" \t") for line in "".join(out).split("\n"))
    text = re.sub(r"[ \t]{2,}", " ", text)
    return Parsed(text, encoding=decoded.encoding)


def _walk(el: lxml.html.HtmlElement, out: list[str], number: int | None = None) -> None:
    """Append the text of ``el``; ``number`` is its place among the items of an ``ol``."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _BLOCK:
        out.append("\n\n")
    if tag == "li":
        out.append(f"{number}. " if number is not None else "- ")
    if tag == "br":
        out.append("\n")
    if el.text:
        out.append(re.sub(r"\s+", " ", el.text))
    items = 0
    for child in el:
        items += child.tag == "li"
        _walk(child, out, items if tag == "ol" and child.tag == "li" else None)
        if child.tail:
            out.append(re.sub(r"\s+", " ", child.tail))
    if tag in _CELL:
        out.append("  ")
    if tag in _BLOCK:
        out.append("\n\n")


# ---------------------------------------------------------------- PDF

def _pdf(data: bytes, limits: Limits) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
            warnings.append("the PDF is encrypted without a user password; its text was read")
        count = len(reader.pages)
    except RefusedInput:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, TypeError,
            AttributeError, IndexError, RecursionError, OSError) as exc:
        raise RefusedInput("corrupt", f"the PDF could not be read: {exc}",
                           "check the file opens in a PDF viewer") from exc
    if count == 0:
        raise RefusedInput("empty", "the PDF has no pages")
    if count > limits.max_pages:
        raise RefusedInput("too-many-pages", f"the PDF has {count} pages, more than the limit "
                           f"of {limits.max_pages}", "split it, or raise the page limit")
    pages: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError, OSError) as exc:
            warnings.append(f"page {number} could not be read ({exc}); it was skipped")
            text = ""
        size += len(text)
        if size > limits.max_chars:
            raise RefusedInput("too-long", f"the PDF holds more than {limits.max_chars:,} "
                               "characters of text")
        pages.append(text)
    if not any(p.strip() for p in pages):
        raise RefusedInput("empty", "the PDF has no text layer (a scan?)",
                           "run OCR on it first, then code the text")
    return Parsed("\f".join(pages), pages=count, warnings=tuple(warnings))


def _decrypt(reader: PdfReader) -> None:
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        ok = reader.decrypt("")
    except (DependencyError, NotImplementedError, FileNotDecryptedError, ValueError) as exc:
        raise RefusedInput("encrypted", f"the PDF is encrypted and cannot be opened ({exc})",
                           "give an unencrypted copy") from exc
    if not ok:
        raise RefusedInput("encrypted", "the PDF is encrypted with a password",
                           "give an unencrypted copy")


# ---------------------------------------------------------------- DOCX

def docx_precheck(data: bytes, limits: Limits) -> None:
    """Refuse a DOCX that is not a sane zip archive, before any XML is parsed."""
    if data.startswith(OLE_MAGIC):
        raise RefusedInput("encrypted", "the file is a password-protected Office document or a "
                           "legacy .doc", "save it as an unprotected .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RefusedInput("corrupt", f"the DOCX is not a valid zip archive: {exc}") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_entries:
            raise RefusedInput("zip-bomb", f"the DOCX holds {len(infos)} files, more than "
                               f"{limits.max_zip_entries}")
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped:
            raise RefusedInput("zip-bomb", f"the DOCX expands to {total:,} bytes, more than "
                               f"{limits.max_unzipped:,}")
        for info in infos:
            if info.flag_bits & 0x1:
                raise RefusedInput("encrypted", f"the DOCX entry {info.filename} is encrypted")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > (1 << 20) and ratio > limits.max_ratio:
                raise RefusedInput("zip-bomb", f"the DOCX entry {info.filename} expands "
                                   f"{ratio:,.0f} times, more than {limits.max_ratio}")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise RefusedInput("corrupt", "the zip archive is not a Word document "
                               "(no word/document.xml)")


def _docx(data: bytes, limits: Limits) -> Parsed:
    from docx import Document

    docx_precheck(data, limits)
    try:
        document = Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, lxml.etree.XMLSyntaxError) as exc:
        raise RefusedInput("corrupt", f"the DOCX could not be read: {exc}") from exc
    numbering = _Numbering(document)
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(numbering.label(child) + _paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [" ".join(_paragraph_text(p) for p in cell.iter(qn("w:p")))
                         for cell in row.iter(qn("w:tc"))]
                blocks.append("  ".join(c for c in cells if c.strip()))
    return Parsed("\n\n".join(b for b in blocks if b.strip()))


def _paragraph_text(p: lxml.etree._Element) -> str:
    parts: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        else:
            parts.append(" " if el.tag == qn("w:tab") else "\n")
    return "".join(parts)


class _Numbering:
    """Rebuilds the visible numbers of Word's automatic numbering ("12.", "(a)")."""

    def __init__(self, document: object) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.styles = _style_numbering(document)
        part = getattr(getattr(document, "part", None), "numbering_part", None)
        try:
            root = part.element if part is not None else None
        except (KeyError, NotImplementedError):
            root = None
        if root is None:
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
            if definition is None:
                continue
            for lvl in definition.iter(qn("w:lvl")):
                fmt, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                self.formats[(num.get(qn("w:numId")) or "", int(lvl.get(qn("w:ilvl")) or 0))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.")

    def label(self, p: lxml.etree._Element) -> str:
        found = _num_pr(p.find(f"{qn('w:pPr')}/{qn('w:numPr')}"))
        if found is None:
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            found = self.styles.get(style.get(qn("w:val")) if style is not None else "")
        if found is None or found[0] in ("", "0"):
            return ""
        num_id, level = found
        fmt, template = self.formats.get((num_id or "", level), ("bullet", ""))
        key = (num_id or "", level)
        self.counters[key] = self.counters.get(key, 0) + 1
        for other in list(self.counters):
            if other[0] == key[0] and other[1] > level:
                del self.counters[other]
        if fmt in ("bullet", "none"):
            return "- "
        value = _format_number(self.counters[key], fmt)
        return re.sub(r"%\d", value, template, count=1).replace("%", "") + " "


def _num_pr(num_pr: lxml.etree._Element | None) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else ""
    level = int(ilvl_el.get(qn("w:val")) or 0) if ilvl_el is not None else 0
    return num_id or "", level


def _style_numbering(document: object) -> dict[str, tuple[str, int]]:
    """Numbering that paragraph styles carry ("List Number"), following ``basedOn``."""
    styles = getattr(getattr(document, "styles", None), "element", None)
    if styles is None:
        return {}
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(qn("w:style")):
        sid = style.get(qn("w:styleId")) or ""
        own[sid] = _num_pr(style.find(f"{qn('w:pPr')}/{qn('w:numPr')}"))
        parent = style.find(qn("w:basedOn"))
        if parent is not None:
            based[sid] = parent.get(qn("w:val")) or ""
    resolved: dict[str, tuple[str, int]] = {}
    for sid in own:
        current: str | None = sid
        for _ in range(10):
            if current is None:
                break
            found = own.get(current)
            if found is not None:
                resolved[sid] = found
                break
            current = based.get(current)
    return resolved


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "lowerRoman" else roman.upper()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                          (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


_PARSERS = {"text": _text, "markdown": _markdown, "html": _html, "pdf": _pdf, "docx": _docx}
