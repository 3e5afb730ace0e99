"""Every page on a phone (390 × 844, chromium via Playwright): nothing scrolls sideways.

Pages come from the endpoint registry: each page once with its path parameters' examples,
once more with every documented query example, and the matrix in each column order. Wide
tables scroll inside their own container; the page itself must fit the viewport. The
analysis page also keeps its weight bound. Screenshots go to ``out/screenshots/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from sdpatlas.web._endpoint import Endpoint
from sdpatlas.web.views import SERVED

from conftest import REAL_DATA, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "out" / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run does it)"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

if CHROMIUM.exists():
    from playwright.sync_api import Page, sync_playwright


def _path(endpoint: Endpoint) -> str:
    assert endpoint.page is not None
    path = endpoint.page
    for p in endpoint.params:
        if p.where == "path":
            assert p.example, f"{endpoint.name}: path parameter {p.name} has no example"
            path = path.replace("{" + p.name + "}", p.example)
    return path


def _urls() -> list[str]:
    urls: list[str] = []
    for endpoint in SERVED:
        if endpoint.page is None:
            continue
        path = _path(endpoint)
        urls.append(path)
        query = [(p.name, p.example) for p in endpoint.params
                 if p.where == "query" and p.example is not None]
        if query:
            urls.append(f"{path}?{urlencode(query)}")
        order = next((p for p in endpoint.params if p.name == "order"), None)
        urls += [f"{path}?order={choice}" for choice in (order.choices if order else ())]
    return [*urls, "/compare?partner=JPN&partner=IND&partner=GBR&partner=NOR",
            "/partners/xyz"]


URLS = _urls()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {**os.environ, "SDPATLAS_CACHE": str(tmp_path_factory.mktemp("cache"))}
    process = subprocess.Popen(
        [sys.executable, "-c", "from sdpatlas.cli import main; main()", "--data",
         str(REAL_DATA), "serve", "--port", "0"],
        stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        found = re.search(r"http://\S+/", process.stderr.readline())
        assert found, "the server printed no URL"
        yield found.group(0).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="module")
def phone() -> Iterator[Page]:
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
        page = context.new_page()
        yield page
        context.close()


def _overflow(page: Page) -> tuple[int, list[str]]:
    """The page's scroll width, and the outermost elements reaching past the viewport."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    culprits: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
             .filter(el => el.getBoundingClientRect().right > 391
                           && !el.closest('.table-scroll, pre, .chart-scroll'))
             .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className)""")
    return width, culprits


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_every_served_page_is_listed() -> None:
    pages = {e.name for e in SERVED if e.page}
    assert {"home", "matrix", "partner", "area", "cell", "analysis", "eligibility-country",
            "conflicts", "data", "api", "code", "components"} <= pages
    assert len(URLS) > len(pages)


@pytest.mark.parametrize("path", URLS)
def test_no_sideways_scroll_on_a_phone(phone: Page, server: str, path: str) -> None:
    phone.goto(server + path)
    width, culprits = _overflow(phone)
    assert width <= PHONE["width"] + 1, f"{path}: {width}px wide; {culprits}"


def test_api_docs_opened_fit_a_phone(phone: Page, server: str) -> None:
    phone.goto(server + "/api")
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width, culprits = _overflow(phone)
    assert width <= PHONE["width"] + 1, f"/api opened: {width}px wide; {culprits}"


def test_a_coded_document_fits_a_phone(phone: Page, server: str) -> None:
    phone.goto(server + "/code")
    phone.get_by_label("Text of the document").fill(
        "1. The Participants will strengthen their exchanges on maritime security and "
        "https://example.org/a/very/long/address/that/must/wrap/somewhere/on/a/phone.\n")
    phone.get_by_role("button", name="Code the document").click()
    phone.wait_for_selector("#area-15")
    width, culprits = _overflow(phone)
    assert width <= PHONE["width"] + 1, f"coded document: {width}px wide; {culprits}"


@pytest.mark.parametrize("path", ["/matrix", "/analysis"])
def test_phone_screenshots(phone: Page, server: str, path: str) -> None:
    phone.goto(server + path)
    shot(phone, f"phone{path.replace('/', '-')}")
    assert phone.locator("h1").first.is_visible()


def test_analysis_tables_sort_charts_highlight_and_pass_axe(phone: Page, server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    problems: list[str] = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    phone.goto(server + "/analysis")
    table = phone.get_by_role("region", name="Pairs: how alike two partnerships are")
    jaccard = table.locator("thead th", has_text="Jaccard")
    jaccard.get_by_role("button").click()
    assert jaccard.get_attribute("aria-sort") == "ascending"
    values = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert values == sorted(values) and values[0] < values[-1]
    jaccard.get_by_role("button").click()
    assert jaccard.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody tr td:nth-child(2)").first.inner_text() == max(values)
    phone.locator('svg[data-chart="matrix"] a[href="/partners/JPN/areas/15"]').hover()
    dimmed = phone.locator('svg[data-chart="matrix"] .lo').count()
    assert 0 < dimmed < phone.locator('svg[data-chart="matrix"] a[data-a]').count()
    serious = [f"{v['id']}: {v['help']}" for v in Axe().run(phone).response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [] and problems == []
