"""The HTML pages in-process: complete without JavaScript, accessible markup, no inline code."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from webclient import TestClient, client_for

from sdpatlas.web.views import ENDPOINTS

from conftest import FIXTURE_DATA, REAL_DATA


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


class Page(HTMLParser):
    """The parts of a page the checks need."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []
        self.tables = self.captions = 0
        self.cells: list[dict[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in a:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{k} handler on <{tag}>" for k in a if k.startswith("on")]
        if tag == "th" and "scope" not in a:
            self.problems.append("<th> without scope")
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "td" and "cell" in (a.get("class") or "").split():
            self.cells.append(a)


PAGES = [e for e in ENDPOINTS if e.page]
EXAMPLES = {"code": "JPN", "area": "15"}


@pytest.mark.parametrize("endpoint", PAGES, ids=lambda e: e.name)
def test_every_page_renders_with_clean_markup(real: TestClient, endpoint: object) -> None:
    from sdpatlas.web._endpoint import Endpoint

    assert isinstance(endpoint, Endpoint) and endpoint.page
    response = real.get(endpoint.page.format(**EXAMPLES))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Page(response.text)
    assert page.problems == []
    assert page.tables == page.captions, "every table needs a caption"
    assert '<html lang="en">' in response.text and 'id="main"' in response.text


def test_no_page_links_anywhere_broken(real: TestClient) -> None:
    """Crawl every internal link reachable from the pages (the whole site is small)."""
    seen: set[str] = set()
    queue = [e.page.format(**EXAMPLES) for e in PAGES if e.page]
    fragments: list[tuple[str, str, str]] = []
    pages: dict[str, Page] = {}
    while queue and len(seen) < 1500:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = real.get(url, follow_redirects=True)
        assert response.status_code == 200, f"{url} → {response.status_code}"
        if not response.headers["content-type"].startswith("text/html"):
            continue
        page = pages[url] = Page(response.text)
        for link in page.links:
            target, fragment = urldefrag(link)
            if urlsplit(link).scheme or not link.startswith(("/", "#")):
                continue
            target = target or url
            if fragment:
                fragments.append((url, target, fragment))
            if target not in seen and not target.startswith("/static/"):
                queue.append(target)
    assert len(seen) > 100
    for source, target, fragment in fragments:
        if target in pages:
            assert fragment in pages[target].ids, f"{source} links to missing #{fragment}"


def test_matrix_shows_status_by_symbol_and_text_with_evidence(real: TestClient) -> None:
    page = Page(real.get("/matrix").text)
    assert len(page.cells) == 10 * 26
    assessed = [c for c in page.cells if c["data-status"] != "unknown"]
    assert len(assessed) == 9 * 26
    text = real.get("/matrix").text
    assert '<span aria-hidden="true">✓</span><span class="vh">covered</span>' in text
    assert '<span class="vh">not assessed</span>' in text
    assert 'href="/partners/GBR/areas/19"' in text
    only = Page(real.get("/matrix?assessed=1").text)
    assert len(only.cells) == 9 * 26


def test_matrix_grouped_like_table_1(real: TestClient) -> None:
    text = real.get("/matrix?order=group").text
    heads = [h.split(">")[1].split("<")[0] for h in text.split('<th scope="colgroup"')[1:]]
    assert heads[:2] == ["EU candidate countries", "NATO Allies"]
    assert "NATO partners across the globe" in heads and heads[-1] == "Other partners"


def test_matrix_filters_are_kept_in_the_form_and_links(real: TestClient) -> None:
    text = real.get("/matrix?group=nato-ally&cluster=domains&order=name").text
    assert 'value="nato-ally" checked' in text and 'value="domains" checked' in text
    assert 'value="name" checked' in text
    assert 'href="/api/v1/matrix?group=nato-ally&amp;cluster=domains&amp;order=name"' in text
    assert "Japan" not in Page(text).cells.__repr__()


def test_maritime_but_not_space_in_two_clicks(real: TestClient) -> None:
    home = real.get("/").text
    assert 'href="/matrix?area=15&amp;area=16"' in home
    body = real.get("/api/v1/matrix?area=15&area=16").json()
    cells = body["cells"]
    answer = [c for c in cells if cells[c]["15"] == "yes" and cells[c]["16"] != "yes"]
    assert answer == []  # in Table 1, every partner with maritime security also has space
    assert 'href="/compare?partner=IND&amp;partner=JPN"' in home


def test_compare_page_picker_and_result(real: TestClient) -> None:
    picker = real.get("/compare").text
    assert 'name="partner" value="JPN"' in picker and "Shared by all" not in picker
    result = real.get("/compare?partner=JPN&partner=IND").text
    assert "Shared by all" in result and "Only India" in result and "Only Japan" in result


def test_unknown_partner_page_is_friendly_with_suggestions(real: TestClient) -> None:
    response = real.get("/partners/japn")
    assert response.status_code == 404
    assert "Did you mean" in response.text and 'href="/partners/JPN"' in response.text
    assert Page(response.text).problems == []


def test_error_page_for_a_server_error_is_friendly(small: TestClient,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sdpatlas.web.views import areas

    def broken(*_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(areas.analysis, "area_coverage", broken)
    response = small.get("/areas/1?as_of=2030-01-01")
    assert response.status_code == 500 and "Something went wrong" in response.text
    api = small.get("/api/v1/areas/1?as_of=2030-01-01")
    assert api.status_code == 500 and api.json()["error"]["code"] == "server-error"
    assert "boom" not in api.text


def test_partner_pages_for_prospective_partners(real: TestClient) -> None:
    text = real.get("/partners/AUS").text
    assert "negotiating" in text and "No text to code yet" in text


def test_page_urls_are_stable_and_shareable(real: TestClient) -> None:
    assert real.get("/partners/uk", follow_redirects=False).headers["location"] == \
        "/partners/GBR"
    assert real.get("/timeline?category=parliament").status_code == 200


@pytest.mark.parametrize("name", ["atlas.css", "atlas.js", "favicon.svg"])
def test_static_files_are_gzipped_for_clients_that_accept_it(small: TestClient,
                                                             name: str) -> None:
    import gzip

    plain = small.get(f"/static/{name}", headers={"Accept-Encoding": "identity"})
    packed = small.get(f"/static/{name}", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == plain.headers["vary"] == "Accept-Encoding"
    assert len(packed.content) == len(plain.content)  # httpx decodes it: the same bytes
    assert packed.content == plain.content
    assert int(packed.headers["content-length"]) < len(gzip.compress(plain.content)) + 64
    assert packed.headers["etag"] == "W/" + plain.headers["etag"]
    again = small.get(f"/static/{name}", headers={"Accept-Encoding": "gzip",
                                                   "If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304


def test_static_files_answer_head_and_refuse_what_is_not_there(small: TestClient) -> None:
    plain = {"Accept-Encoding": "identity"}
    head = small.head("/static/atlas.css", headers=plain)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(small.get("/static/atlas.css").content)
    assert small.get("/static/atlas.css?v=1").headers["cache-control"].endswith("immutable")
    for missing in ("/static/nothing.css", "/static/../data/parties.yaml", "/static/"):
        assert small.get(missing).status_code == 404
    assert small.post("/static/atlas.css").status_code in (403, 405)
