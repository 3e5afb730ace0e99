"""The briefing report: self-contained, written from the computed results, with sources."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from synthetic import Spec, make

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.report import REPORT_CHARTS, html_report, markdown_report

from conftest import FIXTURE_DATA

SMALL = [
    Spec("AAA", "YYNY", "europe", ("nato-ally",), "2024-01-01", (3, "areas")),
    Spec("BBB", "YYYN", "indo-pacific", ("nato-global-partner",), "2024-06-01", (2, "themes")),
    Spec("CCC", "YNNN", "europe", ("eu-candidate",), "2025-01-01"),
    Spec("DDD", "????", "europe", ("nato-ally",), "2025-02-01"),
]
REAL_NAMES = ("Japan", "Albania", "North Macedonia", "Korea", "India", "Norway", "Iceland")


@pytest.fixture(scope="module")
def real_html(real_data: Dataset) -> str:
    return html_report(real_data, analysis.analyse(real_data))


def test_html_is_self_contained(real_html: str) -> None:
    tree = lxml_html.fromstring(real_html.encode())
    assert not tree.xpath("//script | //link | //iframe | //object | //embed | //img")
    assert not tree.xpath("//*[@src]")
    assert not re.search(r"url\(\s*['\"]?https?:", real_html)
    assert "@import" not in real_html
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    charts = tree.xpath("//figure//*[local-name()='svg']")
    assert [c.get("data-chart") for c in charts] == [
        "matrix", "areas-over-time", "similarity", "group-coverage"]
    assert all(c.get("role") == "img" and c.get("aria-label") for c in charts)
    assert not tree.xpath("//*[local-name()='svg']//*[local-name()='a']")


def test_html_reads_findings_first_and_prints(real_html: str) -> None:
    tree = lxml_html.fromstring(real_html.encode())
    sections = tree.xpath("//main/section/@id")
    assert sections[:3] == ["key", "charts", "matrix"]
    key = tree.xpath("//section[@id='key']//li")
    assert key[0].text_content().startswith("10 of 26 areas are covered by all 9")
    marks = tree.xpath("//figure//*[local-name()='title']/text()")
    assert "Japan, 15 Maritime security: covered" in marks
    style = "".join(tree.xpath("//style/text()"))
    print_css = style[style.index("@media print"):]
    assert "nav.toc { display: none; }" in print_css
    assert "break-before: page" in print_css and "break-inside: avoid" in print_css


def test_html_has_the_matrix_findings_and_numbered_sources(real_html: str,
                                                         real_data: Dataset) -> None:
    tree = lxml_html.fromstring(real_html.encode())
    assert len(tree.xpath("//section[@id='matrix']//tbody/tr")) == len(real_data.areas) + 1
    refs = tree.xpath("//ol[@class='refs']/li/@id")
    assert refs == [f"ref-{i}" for i in range(1, len(refs) + 1)]
    cited = {a.get("href")[1:] for a in tree.xpath("//sup/a")}
    assert cited and cited <= set(refs)
    assert ("The EU's new bilateral security and defence partnerships"
            in " ".join(tree.xpath("//ol[@class='refs']//text()")))
    headings = tree.xpath("//section[@id='findings']/h3/text()")
    assert "Group contrasts" in headings and "Similarity" in headings
    assert "Common core: 10 areas covered by all 9" in real_html


def test_report_is_deterministic(real_data: Dataset, real_html: str) -> None:
    assert html_report(real_data, analysis.analyse(real_data)) == real_html


def test_prose_comes_from_the_data() -> None:
    data = make(SMALL)
    text = html_report(data, analysis.analyse(data))
    assert not [name for name in REAL_NAMES if name in text]
    assert "Common core: 1 area covered by all 3: 1 A1." in text
    assert "Partner DDD" in text  # the unassessed partner is named as left out
    changed = make([*SMALL[:2], Spec("CCC", "YYNN", "europe", ("eu-candidate",),
                                      "2025-01-01")])
    assert "Common core: 2 areas covered by all 3: 1 A1; 2 A2." in html_report(
        changed, analysis.analyse(changed))
    rare_before = "Rare: 4 A4 — only Partner AAA."
    assert rare_before in text


def test_markdown_report_and_its_images(real_data: Dataset) -> None:
    text, images = markdown_report(real_data, analysis.analyse(real_data), image_prefix="brief")
    assert set(images) == {f"brief-{k}.svg" for k, _ in REPORT_CHARTS}
    for name in images:
        assert f"]({name})" in text
    assert text.startswith("# ")
    assert "## Key findings\n\n- **10 of 26** areas are covered by all 9" in text
    assert "| 1 | EU CSDP missions and operations and training |" in text
    assert re.search(r"^1\. .+", text, flags=re.MULTILINE)
    assert "<svg" not in text


def test_pdf_report_is_deterministic_and_readable(fixture_data: Dataset) -> None:
    from pypdf import PdfReader

    from sdpatlas.render.pdf import pdf_report

    result = analysis.analyse(fixture_data)
    first = pdf_report(fixture_data, result)
    assert first.startswith(b"%PDF-")
    assert pdf_report(fixture_data, result) == first
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    assert "Common core" in text
    assert "Sources" in text


def test_pdf_without_fpdf2_says_what_to_install(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from sdpatlas.cli import cli

    monkeypatch.setitem(sys.modules, "fpdf", None)
    result = CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), "report", "-o",
                                      str(tmp_path / "brief.pdf")])
    assert result.exit_code == 2
    assert "sdpatlas[pdf]" in result.output
