"""Documents built on the fly for the coder's tests: real PDFs, DOCX files and hostile ones."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from docx import Document
from matplotlib.backends.backend_pdf import PdfPages
from pypdf import PdfReader, PdfWriter


def pdf(pages: Sequence[Sequence[str]], text: bool = True) -> bytes:
    """A real PDF (matplotlib's PDF backend, TrueType fonts), one list of lines per page."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as out:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            if text:
                y = 0.95
                for line in lines:
                    fig.text(0.08, y, line, fontsize=9)
                    y -= 0.022
            else:
                fig.figimage([[0.0, 1.0], [1.0, 0.0]], xo=50, yo=50)  # a picture, no text
            out.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def encrypted_pdf(password: str = "secret", owner_only: bool = False) -> bytes:
    """A PDF encrypted with a user password (or, ``owner_only``, an empty user password)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf([["The Participants will cooperate on cyber."]]))))
    writer.encrypt(user_password="" if owner_only else password, owner_password="owner",
                   algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(paragraphs: Sequence[str], numbered: Sequence[str] = (),
         heading: str | None = None) -> bytes:
    """A real DOCX (python-docx): an optional heading, paragraphs, then numbered paragraphs."""
    document = Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in numbered:
        document.add_paragraph(text, style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Area"
    table.rows[0].cells[1].text = "Maritime security"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(expanded: int = 64 << 20) -> bytes:
    """A DOCX-shaped zip whose document.xml expands ``expanded`` bytes from almost nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(expanded >> 20):
                member.write(chunk)
    return buffer.getvalue()


def many_entries_docx(count: int) -> bytes:
    """A DOCX-shaped zip with ``count`` members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(count):
            archive.writestr(f"word/media/{i}.bin", b"x")
    return buffer.getvalue()
