"""The explorer in a real browser: Playwright driving Debian's chromium (/usr/bin/chromium).

The server is the real command, ``sdpatlas serve --port 0``, on the bundled data. The
matrix shows every signed partnership, Iceland included (signed 2026-03-18, not yet coded:
its cells read "not assessed"), so the checks count Table 1's nine assessed partners as
the cells that are not "not assessed", and again with the ``assessed=1`` filter.
Screenshots are kept in ``out/screenshots/`` as test artefacts.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REAL_DATA, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "out" / "screenshots"
TABLE_1 = ["MDA", "NOR", "JPN", "KOR", "MKD", "ALB", "GBR", "CAN", "IND"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run does it)"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

if CHROMIUM.exists():
    from playwright.sync_api import BrowserContext, Page, expect, sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {**os.environ, "SDPATLAS_CACHE": str(tmp_path_factory.mktemp("cache"))}
    process = subprocess.Popen(
        [sys.executable, "-c", "from sdpatlas.cli import main; main()", "--data",
         str(REAL_DATA), "serve", "--port", "0"],
        stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"http://\S+/", line)
        assert found, f"no URL in {line!r}"
        yield found.group(0).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="module")
def browser_contexts() -> Iterator[tuple[BrowserContext, BrowserContext]]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        with tempfile.TemporaryDirectory() as profile:
            browser.close()
            js = p.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), args=ARGS, headless=True,
                viewport={"width": 1366, "height": 900}, accept_downloads=True)
            with tempfile.TemporaryDirectory() as profile2:
                nojs = p.chromium.launch_persistent_context(
                    profile2, executable_path=str(CHROMIUM), args=ARGS, headless=True,
                    viewport={"width": 1366, "height": 900}, java_script_enabled=False)
                yield js, nojs
                nojs.close()
            js.close()


@pytest.fixture
def problems() -> list[str]:
    """Console errors and uncaught exceptions seen by the page (CSP violations among them)."""
    return []


@pytest.fixture
def page(browser_contexts: tuple[BrowserContext, BrowserContext],
         problems: list[str]) -> Iterator[Page]:
    page = browser_contexts[0].new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    page.close()
    assert problems == [], f"browser console errors (CSP?): {problems}"


@pytest.fixture
def plain(browser_contexts: tuple[BrowserContext, BrowserContext]) -> Iterator[Page]:
    page = browser_contexts[1].new_page()
    yield page
    page.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def codes(page: Page) -> list[str]:
    hrefs = page.locator("thead th.partner-head a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [h.rsplit("/", 1)[1] for h in hrefs]


def test_matrix_counts_nine_assessed_partners_by_26_areas(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    expect(page.locator("table.matrix tbody tr")).to_have_count(26)
    assessed = page.locator("td.cell:not([data-status=unknown])")
    expect(assessed).to_have_count(9 * 26)
    assert codes(page) == [*TABLE_1, "ISL"]
    shot(page, "matrix")
    page.get_by_label("Only partners assessed in Table 1").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"assessed=1"))
    expect(page.locator("td.cell")).to_have_count(9 * 26)
    assert codes(page) == TABLE_1


def test_filter_to_nato_allies(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    page.get_by_label("NATO Allies").check()
    page.get_by_label("Grouped as in Table 1").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"group=nato-ally"))
    assert set(codes(page)) == {"NOR", "MKD", "ALB", "GBR", "CAN", "ISL"}
    assert page.locator("th[scope=colgroup]").all_inner_texts()[0].upper() == \
        "EU CANDIDATE COUNTRIES"
    shot(page, "matrix-nato-allies")


def test_open_a_cells_evidence(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    cell = page.locator('td.cell a[href="/partners/GBR/areas/19"]')
    cell.click()
    dialog = page.locator("#evidence-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Sources behind this cell")
    expect(dialog).to_contain_text("Whether the EU–UK SDP covers exchanges on consular matters")
    expect(dialog).to_contain_text("preferred")
    shot(page, "matrix-evidence")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.getAttribute('href')") == \
        "/partners/GBR/areas/19"


def test_keyboard_moves_between_cells(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    page.locator('td.cell a[href="/partners/MDA/areas/1"]').focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == \
        "/partners/NOR/areas/2"


def test_open_a_partner_page(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    page.locator("thead th.partner-head a", has_text="Japan").click()
    expect(page).to_have_url(server + "/partners/JPN")
    expect(page.locator("h1")).to_have_text("Japan")
    expect(page.locator("table.areas-table tbody tr")).to_have_count(26)
    shot(page, "partner-japan")


def test_a_dated_answer_keeps_the_chosen_day_in_its_date_picker(page: Page,
                                                                server: str) -> None:
    page.goto(server + "/eligibility/CAN?as_of=2025-07-15")
    expect(page.locator("#d-date")).to_have_value("2025-07-15")
    note = page.locator("p.dated-note")
    expect(note).to_contain_text("You asked for 15 July 2025")
    expect(note).to_contain_text("given as of 23 June 2025")
    page.goto(server + "/matrix?as_of=2025-07-15")
    japan = page.locator("thead th.partner-head a", has_text="Japan")
    expect(japan).to_have_attribute("href", "/partners/JPN?as_of=2025-07-15")
    page.goto(server + "/eligibility/CAN?as_of=2025-06-23")
    expect(page.locator("p.dated-note")).to_have_count(0)


def test_compare_japan_and_india(page: Page, server: str) -> None:
    page.goto(server + "/compare")
    page.get_by_label("Japan").check()
    page.get_by_label("India").check()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"partner=JPN&partner=IND"))
    expect(page.locator("h2", has_text="Only India")).to_be_visible()
    only_japan = page.locator("section", has=page.locator("h2", has_text="Only Japan"))
    expect(only_japan).to_contain_text("StratCom/FIMI")
    shot(page, "compare-japan-india")


def test_compare_allows_at_most_four(page: Page, server: str) -> None:
    page.goto(server + "/compare")
    for name in ("Moldova", "Norway", "Japan", "India"):
        page.get_by_label(name).check()
    expect(page.get_by_label("Canada")).to_be_disabled()


def test_download_the_matrix_csv(page: Page, server: str) -> None:
    page.goto(server + "/matrix")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    path = info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert rows[0] == ["area", "short", *TABLE_1, "ISL"]
    assert len(rows) == 1 + 26
    maritime = next(r for r in rows if r[0] == "15")
    assert dict(zip(rows[0], maritime, strict=True))["JPN"] == "yes"


def test_api_docs_try_it(page: Page, server: str) -> None:
    page.goto(server + "/api")
    operation = page.locator("#op-partner")
    operation.locator("summary").click()
    operation.get_by_role("button", name="Send request").click()
    expect(operation.locator(".try-output pre")).to_contain_text('"code": "JPN"')
    shot(page, "api-docs")


def test_code_a_pasted_text_highlights_its_evidence(page: Page, server: str) -> None:
    page.goto(server + "/code")
    page.get_by_label("Text of the document").fill(
        "1. The Participants will strengthen their exchanges on maritime security.\n"
        "2. <script>alert('not run')</script>")
    page.get_by_role("button", name="Code the document").click()
    expect(page.locator("#area-15")).to_have_attribute("data-status", "yes")
    page.locator("#area-15 a[href='#ev-15-0']").click()
    mark = page.locator("#doc-text mark.ev-term", has_text="maritime security")
    expect(mark).to_be_visible()
    expect(page.locator("#doc-text")).to_contain_text("<script>alert('not run')</script>")
    shot(page, "code-a-document")
    from axe_playwright_python.sync_playwright import Axe

    serious = [v["id"] for v in Axe().run(page).response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("path", ["/", "/matrix", "/matrix?order=group", "/partners",
                                  "/partners/JPN", "/partners/GBR/areas/19", "/areas",
                                  "/areas/15", "/compare?partner=JPN&partner=IND", "/analysis",
                                  "/timeline", "/sources", "/conflicts", "/data", "/api",
                                  "/partners/xyz", "/code", "/components"])
def test_no_serious_accessibility_violations(page: Page, server: str, path: str,
                                            problems: list[str]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    if path == "/partners/xyz":  # the friendly 404 page: the browser logs the 404 itself
        problems.clear()
    results = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {v['help']} — "
           + "; ".join(n["target"][0] for n in v["nodes"][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []


def test_core_content_without_javascript(plain: Page, server: str) -> None:
    plain.goto(server + "/matrix")
    expect(plain.locator("td.cell:not([data-status=unknown])")).to_have_count(9 * 26)
    plain.get_by_label("NATO Allies").check()
    plain.get_by_role("button", name="Apply filters").click()
    assert set(codes(plain)) == {"NOR", "MKD", "ALB", "GBR", "CAN", "ISL"}
    plain.locator('td.cell a[href="/partners/GBR/areas/19"]').click()
    expect(plain).to_have_url(server + "/partners/GBR/areas/19")
    expect(plain.locator("#evidence")).to_contain_text("Conflicting claims")
    plain.goto(server + "/compare")
    plain.get_by_label("Japan").check()
    plain.get_by_label("India").check()
    plain.get_by_role("button", name="Compare").click()
    expect(plain.locator("h2", has_text="Only India")).to_be_visible()
    shot(plain, "compare-without-javascript")
