"""Figures for the agreement coder (issues 6 and 11): one agreement PDF through the whole
pipeline, PDF extraction speed, and bulk coding.

  - agreement: a 50-page agreement PDF (fpdf2: title, articles, numbered paragraphs, built from
    the development set's sentences in document order, so no held-out text) read and coded
    by the shipped coder (rules and learned scorer) in this process, caches cold, timing
    extraction and coding apart; and the same file through `sdpatlas code` (process start
    included);
  - PDF: pages per second extracting a generated multi-page PDF (matplotlib's PDF backend,
    TrueType text, Council-style headers and footers) through the sandboxed parser;
  - corpus: wall time and peak memory coding N documents (a mix of text, Markdown, HTML,
    DOCX and PDF) with `sdpatlas code DIR -j 1` and `-j 2` (scaling), peak memory being the
    largest resident set of the whole process tree (the command, its pool and its parsers).

Run: .venv/bin/python benchmarks/coding_documents.py [DOCUMENTS] [PDF_PAGES] [AGREEMENT_PAGES]
"""

from __future__ import annotations

import io
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from docx import Document
from matplotlib.backends.backend_pdf import PdfPages
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from sdpatlas.coding import Coder
from sdpatlas.coding.extract import extract
from sdpatlas.dataset import load

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PARAGRAPHS = [
    "The Participants will strengthen their cooperation on maritime security, including "
    "through joint naval exercises and port calls.",
    "They will deepen consultations on the resilience of critical infrastructure, including "
    "undersea cables, and on countering hybrid threats.",
    "The Participants will exchange information on foreign information manipulation and "
    "interference and coordinate their strategic communication.",
    "They will explore the possibility of concluding an agreement on the security of "
    "information and of an administrative arrangement with the European Defence Agency.",
    "The partner will continue to contribute to EU CSDP missions and operations and to "
    "courses of the European Security and Defence College.",
]


def text_pdf(pages: int) -> bytes:
    """A PDF written line by line (one Tj per line, Helvetica), as word processors write
    them, through pypdf's writer; with Council-style headers, footers and page numbers."""
    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    font_ref = writer._add_object(font)
    for n in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        lines = [f"9941/26 ABC/def {n}", "RELEX.5 LIMITE EN"]
        for i in range(12):
            words = PARAGRAPHS[(n + i) % len(PARAGRAPHS)].split()
            lines += [" ".join(words[s:s + 12]) for s in range(0, len(words), 12)]
        ops = ["BT", "/F1 9 Tf", "11 TL", "50 800 Td"]
        ops += [f"({line}) Tj T*" for line in lines]
        ops += ["ET", "BT", "/F1 8 Tf", f"290 30 Td ({n}) Tj", "ET"]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): font_ref})})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as out:
        for n in range(1, pages + 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.08, 0.96, f"9941/26 ABC/def {n}", fontsize=8)
            fig.text(0.08, 0.945, "RELEX.5 LIMITE EN", fontsize=8)
            y = 0.9
            for i in range(12):
                words = PARAGRAPHS[(n + i) % len(PARAGRAPHS)].split()
                for start in range(0, len(words), 12):
                    fig.text(0.08, y, " ".join(words[start:start + 12]), fontsize=9)
                    y -= 0.017
                y -= 0.01
            fig.text(0.5, 0.03, str(n), fontsize=8)
            out.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "…": "...", "\u00a0": " "})


def agreement_pdf(pages: int) -> bytes:
    """An agreement of ``pages`` pages made of the development set's sentences."""
    from fpdf import FPDF

    rows = [json.loads(line) for line in (ROOT / "data/coding/gold/written-dev.jsonl")
            .read_text("utf-8").splitlines() if line.strip()]
    sentences = [r["text"].translate(_ASCII).encode("latin-1", "replace").decode("latin-1")
                 for r in rows]
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, "SECURITY AND DEFENCE PARTNERSHIP BETWEEN THE EUROPEAN UNION AND "
                   "THE PARTNER", align="C", new_x="LMARGIN", new_y="NEXT")
    for n in itertools.count():
        if pdf.get_y() > 260:
            if pdf.page_no() == pages:
                break
            pdf.add_page()
        if n % 6 == 0:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 7, f"Article {n // 6 + 1}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, f"{n % 6 + 1}. {sentences[n % len(sentences)]}",
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def agreement_speed(pages: int) -> None:
    data = agreement_pdf(pages)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "agreement.pdf"
        path.write_bytes(data)
        coder = Coder.from_data(ROOT / "data", load(ROOT / "data").areas)
        start = time.perf_counter()
        text = extract(data, "agreement.pdf")
        read = time.perf_counter()
        proposal = coder.code_extracted(text)
        done = time.perf_counter()
        cli_start = time.perf_counter()
        subprocess.run([str(BIN / "sdpatlas"), "code", str(path), "--format", "json"],
                       capture_output=True, check=True)
        cli = time.perf_counter() - cli_start
    said = sum(1 for c in proposal.coverage if c.status.value in ("yes", "already_exists"))
    print(f"Agreement PDF: {text.pages} pages, {len(data) / 1e6:.2f} MB, "
          f"{len(proposal.text):,} characters, {len(proposal.segments):,} segments")
    print(f"  whole pipeline {done - start:.2f} s (extraction {read - start:.2f} s, coding "
          f"{done - read:.2f} s, {len(proposal.text) / (done - read):,.0f} characters/s); "
          f"{said} areas proposed yes")
    print(f"  sdpatlas code agreement.pdf: {cli:.2f} s wall, process start included")


def docx(paragraphs: list[str]) -> bytes:
    document = Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def corpus(folder: Path, count: int) -> None:
    small_pdf = text_pdf(2)
    for i in range(count):
        body = [PARAGRAPHS[(i + j) % len(PARAGRAPHS)] for j in range(8)]
        kind = i % 5
        path = folder / f"doc{i:04d}"
        if kind == 0:
            path.with_suffix(".txt").write_text("\n\n".join(body), encoding="utf-8")
        elif kind == 1:
            md = "# Partnership\n\n" + "\n\n".join(f"{n}. {p}" for n, p in enumerate(body, 1))
            path.with_suffix(".md").write_text(md, encoding="utf-8")
        elif kind == 2:
            html = "<html><body>" + "".join(f"<p>{p}</p>" for p in body) + "</body></html>"
            path.with_suffix(".html").write_text(html, encoding="utf-8")
        elif kind == 3:
            path.with_suffix(".docx").write_bytes(docx(body))
        else:
            path.with_suffix(".pdf").write_bytes(small_pdf)


def code_directory(folder: Path, jobs: int, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "sdpatlas"), "code", str(folder), "-j", str(jobs)],
                            capture_output=True, env=env, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, len(result.stdout.splitlines())


def pdf_speed(label: str, data: bytes, pages: int) -> None:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        out = extract(data, "big.pdf")
        times.append(time.perf_counter() - start)
    assert out.pages == pages and "maritime security" in out.text
    print(f"  {label}: {pages} pages, {len(data) / 1e6:.2f} MB, "
          f"{pages / min(times):,.0f} pages/s (best of 3)")


def main(documents: int, pages: int, agreement_pages: int) -> None:
    agreement_speed(agreement_pages)
    extract(text_pdf(1), "warm.pdf")
    print("PDF extraction through the sandboxed parser")
    pdf_speed("line-by-line text (pypdf writer)", text_pdf(pages), pages)
    small = max(pages // 10, 5)
    pdf_speed("glyph-by-glyph text (matplotlib)", pdf(small), small)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        corpus(folder, documents)
        env = {**os.environ, "SDPATLAS_CACHE": str(Path(tmp) / "cache")}
        subprocess.run([str(BIN / "sdpatlas"), "areas"], capture_output=True, env=env,
                       check=True)  # build the database cache first
        print(f"Corpus: {documents} documents (txt, md, html, docx, 2-page pdf in equal parts)")
        walls = {}
        for jobs in (1, 2):
            wall, peak, lines = code_directory(folder, jobs, env)
            walls[jobs] = wall
            print(f"  -j {jobs}: {wall:6.1f} s wall, {documents / wall:5.1f} documents/s, "
                  f"largest process {peak:,.0f} MiB resident, {lines} JSON lines")
        print(f"  speed-up with 2 processes: {walls[1] / walls[2]:.2f}× (2 cores)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 200,
         int(sys.argv[3]) if len(sys.argv) > 3 else 50)
