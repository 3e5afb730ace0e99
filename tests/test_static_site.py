"""``sdpatlas site``: the explorer as static files, served by a plain static file server.

The site is built once from the bundled data with the real command. Without a browser,
every link of every written page must name a written file (and an anchor in it). With
Debian's chromium (see test_web_browser.py), ``python -m http.server`` serves the folder
and the browser visits every page: no broken link or asset, no console error (a CSP
violation is one), the CSP meta strict. A copy under a sub-folder is crawled again over
HTTP, and its JavaScript filters and evidence panel are used in the browser.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner

from sdpatlas.cli import cli
from sdpatlas.outputs import MARKER
from sdpatlas.web._static_site import file_for

from conftest import FIXTURE_DATA, REAL_DATA

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ATTRIBUTE = re.compile(r'\b(?:href|src|action)="([^"]*)"')
ID = re.compile(r'\bid="([^"]*)"')
VARIANTS = re.compile(r'\bdata-variants="([^"]*)"')
browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                             "/usr/bin/chromium (apt-get install chromium; .ci/run does it)")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("static") / "site"
    code, output = run("--data", str(REAL_DATA), "site", str(out))
    assert code == 0, output
    assert "warning" not in output, output
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def local_links(text: str) -> Iterator[str]:
    for value in ATTRIBUTE.findall(text):
        link = html.unescape(value)
        if link and not re.match(r"[a-z]+:|//|#", link):  # "" and "#…" name the page itself
            yield link
    for value in VARIANTS.findall(text):
        yield from json.loads(html.unescape(value)).values()


@pytest.mark.parametrize(("address", "media", "file"), [
    ("/", "text/html", "index.html"),
    ("/matrix", "text/html; charset=utf-8", "matrix/index.html"),
    ("/matrix?group=nato-ally", "text/html", "matrix/group-nato-ally.html"),
    ("/compare?partner=JPN&partner=IND", "text/html", "compare/partner-JPN_partner-IND.html"),
    ("/partners/JPN/areas/3", "text/html", "partners/JPN/areas/3/index.html"),
    ("/api/v1/matrix", "application/json", "api/v1/matrix.json"),
    ("/api/v1/matrix?group=eu-candidate", "application/json",
     "api/v1/matrix/group-eu-candidate.json"),
    ("/api/v1/matrix.csv", "text/csv; charset=utf-8", "api/v1/matrix.csv"),
    ("/api/v1/matrix.csv?order=name", "text/csv", "api/v1/matrix/order-name.csv"),
    ("/api/v1", "application/json", "api/v1.json"),
    ("/openapi.json", "application/json", "openapi.json"),
    ("/downloads/sdpatlas.xlsx", "application/vnd.ms-excel", "downloads/sdpatlas.xlsx"),
    ("/static/atlas.css?v=abc", "text/css", "static/atlas.css"),
    ("/timeline?partner=a%2Fb", "text/html", "timeline/partner-a_b.html"),
])
def test_addresses_become_files(address: str, media: str, file: str) -> None:
    assert file_for(address, media) == file


def test_every_link_names_a_written_file_and_anchor(site: Path) -> None:
    written = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    broken = []
    for page in pages(site):
        text, name = page.read_text(encoding="utf-8"), page.relative_to(site).as_posix()
        assert not re.search(r'\b(?:href|src|action)="/', text), f"absolute link in {name}"
        for link in local_links(text):
            path, _, fragment = link.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name),
                                                       path.split("?")[0]))
            if target not in written:
                broken.append(f"{name} → {link}")
            elif fragment and target.endswith(".html"):
                if target not in ids:
                    ids[target] = set(ID.findall((site / target).read_text(encoding="utf-8")))
                if fragment not in ids[target]:
                    broken.append(f"{name} → {link} (no anchor)")
    assert broken == []


def test_the_main_views_are_written(site: Path) -> None:
    for name in ("index.html", "matrix/index.html", "matrix/assessed-1.html",
                 "matrix/group-nato-ally.html", "matrix/order-group.html",
                 "partners/ISL/index.html", "areas/26/index.html", "timeline/index.html",
                 "sources/index.html", "conflicts/index.html", "analysis/index.html",
                 "eligibility/FRA/index.html", "api/v1/matrix.json", "api/v1/matrix.csv",
                 "api/v1/partners/JPN.json", "downloads/sdpatlas.sqlite",
                 "downloads/sdpatlas-datapackage.zip", "needs-server.html", MARKER):
        assert (site / name).is_file(), name
    assert len(list((site / "compare").glob("partner-*_partner-*.html"))) >= 45
    json.loads((site / "api/v1/matrix.json").read_text(encoding="utf-8"))


def test_only_safe_answers_are_written_for_other_days(site: Path) -> None:
    dated = [p.relative_to(site).as_posix() for p in site.rglob("*as_of*")]
    assert dated and all(name.startswith(("eligibility/", "api/v1/eligibility/"))
                         for name in dated), sorted(dated)[:5]
    page = (site / next(n for n in dated if n.startswith("eligibility/CAN/"))).read_text(
        encoding="utf-8")
    assert 'href="../../matrix/index.html"' in page  # links keep no day on a static site


def test_the_excel_csv_files_are_written(site: Path) -> None:
    for name in ("api/v1/matrix/excel-1.csv", "api/v1/sources/excel-1.csv",
                 "downloads/sdpatlas-coverage/excel-1.csv", "downloads/tables/areas/excel-1.csv"):
        excel = (site / name).read_bytes()
        plain = (site / (name.replace("/excel-1.csv", ".csv"))).read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and b"\r\n" in excel, name
        assert excel[3:].replace(b"\r\n", b"\n") == plain, name
    assert 'href="../api/v1/matrix/excel-1.csv"' in (site / "matrix/index.html").read_text(
        encoding="utf-8")


def test_every_page_carries_a_strict_csp_and_no_inline_code(site: Path) -> None:
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert found, page
        csp = html.unescape(found.group(1))
        assert "default-src 'none'" in csp and "script-src 'self';" in csp, page
        assert "unsafe" not in csp and "frame-ancestors" not in csp, page
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\bstyle=", text), page
    assert "frame-ancestors 'none'" in (site / "_headers").read_text(encoding="utf-8")


def test_forms_that_need_the_server_say_so(site: Path) -> None:
    for name in ("code/index.html", "components/index.html", "api/index.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "needs the server" in text and "../needs-server.html" in text, name
        assert re.search(r'<form [^>]*method="post"[^>]* inert>|<form class="try"[^>]* inert>',
                         text), name
    matrix = (site / "matrix/index.html").read_text(encoding="utf-8")
    assert 'action="../needs-server.html"' in matrix and "Ready-made views" in matrix


def test_a_foreign_folder_is_refused_and_force_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = run("--data", str(FIXTURE_DATA), "site", str(out))
    assert code == 2 and "output-not-empty" in output and (out / "notes.txt").exists()
    code, output = run("--data", str(FIXTURE_DATA), "site", str(out), "--force")
    assert code in (0, 1), output  # 1: the fixture has no SAFE rules, its eligibility pages fail
    assert not (out / "notes.txt").exists() and (out / "matrix/index.html").is_file()


def test_the_dataset_folder_is_never_the_output(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    code, output = run("--data", str(data), "site", str(data / "site"), "--force")
    assert code == 2 and "output-protected" in output


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The site at the root of one static server and under /sub/folder/ of another."""
    prefixed = tmp_path_factory.mktemp("prefixed")
    shutil.copytree(site, prefixed / "sub" / "folder")
    servers = [_static_server(site), _static_server(prefixed)]
    try:
        yield servers[0][1] + "/", servers[1][1] + "/sub/folder/"
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()


def _static_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    assert process.stdout is not None
    found = re.search(r"port (\d+)", process.stdout.readline())
    assert found, "http.server did not say its port"
    return process, f"http://127.0.0.1:{found.group(1)}"


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def test_every_link_works_under_a_prefix_over_http(served: tuple[str, str]) -> None:
    start = served[1]
    seen, queue, broken = {start}, [start], []
    while queue:
        url = queue.pop()
        status, body, media = _fetch(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if not media.startswith("text/html"):
            continue
        for link in local_links(body.decode("utf-8")):
            target = urljoin(url, link).split("#")[0]
            assert target.startswith(start), f"{url} leaves the prefix: {link}"
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert broken == []
    assert len(seen) > 1000


@pytest.fixture(scope="module")
def chromium() -> Iterator[BrowserContext]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1366, "height": 900})
        yield context
        context.close()


def watched(context: BrowserContext, problems: list[str]) -> Page:
    """A new page whose console errors, failed loads and error answers land in ``problems``."""
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on("response", lambda r: problems.append(f"{r.url}: {r.status}")
            if r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}")
            if r.failure != ABORTED_BY_NAVIGATION else None)
    return page


# Chromium fetches a favicon after ``load``; going to the next page cancels it. A cancelled
# load is not a broken file: the crawl below fetches every linked file again on its own.
ABORTED_BY_NAVIGATION = "net::ERR_ABORTED"


LINKS = """() => Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'),
  e => e.href && e.href.baseVal !== undefined ? new URL(e.href.baseVal, document.baseURI).href
       : e.href || e.src)"""  # an SVG link's href is an SVGAnimatedString


@browser
def test_chromium_visits_every_page_without_errors(served: tuple[str, str],
                                                   chromium: BrowserContext) -> None:
    start, problems = served[0], []
    page = watched(chromium, problems)
    seen, queue, files = {start}, [start], []
    while queue:
        url = queue.pop()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert csp and "default-src 'none'" in csp and "unsafe" not in csp, url
        for link in page.evaluate(LINKS):
            target = link.split("#")[0]
            if target.startswith(start) and target not in seen:
                seen.add(target)
                html_page = urlsplit(target).path.endswith((".html", "/"))
                (queue if html_page else files).append(target)
    problems += [f"{url}: {status}" for url in files
                 if (status := page.request.get(url).status) != 200]
    page.close()
    assert problems == []
    assert len(seen) > 1000


@browser
def test_filters_and_evidence_work_under_a_prefix(served: tuple[str, str],
                                                  chromium: BrowserContext) -> None:
    base, problems = served[1], []
    page = watched(chromium, problems)
    page.goto(base + "matrix/index.html")
    page.get_by_label("NATO Allies").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/sub/folder/matrix/group-nato-ally\.html$"))
    page.get_by_label("By name").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/sub/folder/needs-server\.html\?"))
    page.goto(base + "matrix/index.html")
    page.locator("td.cell a").first.click()
    page.locator("#evidence-dialog").get_by_text("Open this evidence as a page").wait_for()
    page.goto(base + "compare/index.html")
    page.get_by_label("Japan").check()
    page.get_by_label("India").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/sub/folder/compare/partner-\w+_partner-\w+\.html$"))
    page.close()
    assert problems == []
