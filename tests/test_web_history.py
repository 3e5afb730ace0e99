"""The dataset's versions on the web: footer and API metadata, What's new, the Atom feed,
each cell's history, earlier versions under /versions/V, and suggested corrections.

Versions come from a temporary git repository holding two versions of the fixture data
(2026.11.0, then 2026.11.1 where Albania's area 3 went from no to yes), as
tests/test_release.py builds one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.corrections import apply
from sdpatlas.release import read_changelog
from sdpatlas.web._versions import Versions, _Loaded

from conftest import FIXTURE_DATA, REAL_DATA

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
RELEASE = "version: {version}\ncoverage: 2026-11-{day}\n"
OLD, NEW = "2026.11.0", "2026.11.1"


def _version(folder: Path, version: str, day: str) -> None:
    (folder / "dataset.yaml").write_text(RELEASE.format(version=version, day=day),
                                         encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data", str(folder), "changelog"])
    assert result.exit_code == 0, result.output


def _repo(root: Path) -> Path:
    folder = root / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    _version(folder, OLD, "20")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", OLD], check=True)
    path = folder / "partnerships" / "ALB.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  3: no\n", "  3: yes\n", 1),
                    encoding="utf-8")
    _version(folder, NEW, "30")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", NEW], check=True)
    return folder


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return _repo(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def client(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(repo, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and body["error"]["code"] == code
    return body["error"]  # type: ignore[no-any-return]


def test_the_footer_and_the_api_name_the_dataset_version(real: TestClient) -> None:
    release = read_changelog(REAL_DATA)[0]
    page = real.get("/").text
    assert f"dataset version <a href=\"/whats-new\">{release.version}</a>" in page
    assert "facts checked up to" in page
    expected = {"version": release.version, "coverage": release.coverage}
    assert real.get("/api/v1").json()["dataset"] == expected
    assert real.get("/api/v1/summary").json()["dataset"] == expected
    assert real.get("/healthz").json()["dataset"]["release"] == expected


def test_an_unversioned_dataset_says_so(tmp_path: Path) -> None:
    with client_for(FIXTURE_DATA, tmp_path) as c:
        assert "dataset unversioned" in c.get("/").text
        assert c.get("/api/v1").json()["dataset"] is None
        assert c.get("/api/v1/versions").json() == {"current": None, "versions": []}
        assert "No version of this dataset is recorded yet" in c.get("/whats-new").text


def test_whats_new_lists_the_versions_newest_first(client: TestClient) -> None:
    data = client.get("/api/v1/versions").json()
    assert data["current"] == {"version": NEW, "coverage": "2026-11-30"}
    assert [v["version"] for v in data["versions"]] == [NEW, OLD]
    newest = data["versions"][0]
    assert newest["cells"] == [{"partner": "ALB", "area": 3, "change": "changed",
                                "field": "status", "old": "no", "new": "yes",
                                "sources": ["brief"]}]
    assert newest["url"] == "/" and data["versions"][1]["url"] == f"/versions/{OLD}/"
    page = client.get("/whats-new").text
    assert page.index(f'id="v-{NEW}"') < page.index(f'id="v-{OLD}"')
    assert "<li>coverage ALB area 3: status no → yes (sources: brief)</li>" in page
    assert "<!-- facts" not in page and "&lt;!-- facts" not in page


def test_changelog_markdown_cannot_inject_markup(repo: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(repo, tmp_path / "data")
    path = folder / "CHANGELOG.md"
    hostile = ("- <script>alert(1)</script> & [click](javascript:alert(2)) "
               "<img src=x onerror=alert(3)>\n")
    path.write_text(path.read_text(encoding="utf-8") + hostile, encoding="utf-8")
    with client_for(folder, tmp_path / "cache") as c:
        page = c.get("/whats-new").text
        raw = c.get("/feed.atom").content
    feed = feedparser.parse(raw)
    assert "<script>alert" not in page and "<img" not in page
    assert "javascript:" not in re.sub(r"&lt;|\[click\]\(javascript", "", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not feed.bozo and b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; [click]" in raw
    assert any("alert(1)" in e.summary for e in feed.entries if e.id.endswith(OLD))


def test_the_feed_is_valid_atom(real: TestClient) -> None:
    response = real.get("/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert [ln.href for ln in feed.feed.links if ln.rel == "self"] == ["feed.atom"]
    versions = [e for e in feed.entries if ":version/" in e.id]
    assert [e.id.rsplit("/", 1)[1] for e in versions] == [
        e.version for e in read_changelog(REAL_DATA)]
    assert len(feed.entries) > len(versions) + 10
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        assert entry.title and entry.updated and entry.link and entry.summary
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert any("signed" in e.title.lower() and e.link.startswith("partners/")
               for e in feed.entries)
    assert real.get("/feed.atom", headers={"if-none-match": response.headers["etag"]}
                    ).status_code == 304


@pytest.mark.parametrize("path", ["/", "/matrix", "/partners/JPN", "/whats-new", "/nowhere"])
def test_every_page_links_the_feed(real: TestClient, path: str) -> None:
    assert ('<link rel="alternate" type="application/atom+xml" title="SDP Atlas: dataset '
            'versions and dated events" href="/feed.atom">') in real.get(path).text


def test_a_cells_evidence_shows_its_history(client: TestClient) -> None:
    data = client.get("/api/v1/partners/ALB/areas/3").json()
    assert data["history"] == [{"version": NEW, "change": "changed", "field": "status",
                                "old": "no", "new": "yes", "sources": ["brief"],
                                "url": "/partners/ALB/areas/3"}]
    page = client.get("/partners/ALB/areas/3").text
    assert re.search(r"status no → yes in <a href=\"/partners/ALB/areas/3\">2026.11.1</a>",
                     page)
    assert "No change to this cell is recorded" in client.get("/partners/ALB/areas/4").text


def test_an_earlier_version_is_served_under_its_prefix(client: TestClient) -> None:
    old = client.get(f"/versions/{OLD}/api/v1/partners/ALB/areas/3").json()
    assert old["status"] == "no" and old["history"] == []
    assert client.get("/api/v1/partners/ALB/areas/3").json()["status"] == "yes"
    page = client.get(f"/versions/{OLD}/partners/ALB/areas/3").text
    assert f"You are looking at dataset version {OLD} (facts checked up to 2026-11-20)" in page
    assert f"the current version is {NEW}" in page
    assert '<a href="/partners/ALB/areas/3">This page in the current version</a>' in page
    assert f'href="/versions/{OLD}/matrix"' in page
    assert f'href="/versions/{OLD}/static/atlas.css' in page
    assert "Suggest a correction" not in page
    assert "what was true on that date" in page
    assert "You are looking at" not in client.get("/partners/ALB/areas/3").text


@pytest.mark.parametrize(("asked", "location"), [
    (f"/matrix?version={OLD}&order=name", f"/versions/{OLD}/matrix?order=name"),
    (f"/partners/ALB?version={NEW}", "/partners/ALB"),
    ("/partners/ALB?version=", "/partners/ALB"),
    (f"/versions/{NEW}/matrix?order=name", "/matrix?order=name"),
    (f"/versions/{OLD}/matrix?version={NEW}", "/matrix"),
    (f"/versions/{OLD}", f"/versions/{OLD}/"),
    ("/versions/", "/whats-new"),
])
def test_version_addresses_redirect(client: TestClient, asked: str, location: str) -> None:
    response = client.get(asked, follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == location


def test_an_unknown_version_lists_the_recorded_ones(client: TestClient) -> None:
    error = _error(client.get("/versions/2020.01.0/api/v1/matrix"), 404, "unknown-version")
    assert error["suggestions"] == [NEW, OLD] and OLD in error["message"]
    page = client.get("/versions/2020.01.0/matrix")
    assert page.status_code == 404 and f'href="/versions/{OLD}/"' in page.text
    _error(client.get("/api/v1/matrix?version=../../etc"), 404, "unknown-version")
    _error(client.get(f"/api/v1/matrix?version={OLD}&version={NEW}"), 400, "bad-parameter")


def test_versions_need_the_repository(repo: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(repo, tmp_path / "data")
    with client_for(folder, tmp_path / "cache") as c:
        error = _error(c.get(f"/versions/{OLD}/api/v1/matrix"), 404, "versions-unavailable")
        assert "repository" in error["message"]
        assert "clone of the repository" in c.get(f"/versions/{OLD}/").text


def _versions(client: TestClient) -> Versions:
    app: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(app, Versions):
        app = app.app
    return app


def test_versions_are_kept_lru_and_their_folders_removed(repo: Path, tmp_path: Path) -> None:
    with client_for(repo, tmp_path / "cache") as c:
        assert c.get(f"/versions/{OLD}/").status_code == 200
        cache = _versions(c).cache
        (loaded,) = cache.items.values()
        folder = loaded.app.state.site.data_dir
        assert folder.is_dir() and loaded.users == 0
        in_use = _Loaded(loaded.app, contextlib.ExitStack())
        in_use.stack.callback(lambda: closed.append(True))
        closed: list[bool] = []
        cache.keep = 0
        cache.add("in use", in_use)
        assert not folder.exists() and not cache.items, "evicted when unused"
        assert in_use.evicted and not closed, "an evicted version in use is kept"
        cache.release(in_use)
        assert closed == [True]
        cache.keep = 3
        assert c.get(f"/versions/{OLD}/matrix").status_code == 200
        folder = next(iter(cache.items.values())).app.state.site.data_dir
        assert folder.is_dir()
    assert not folder.exists(), "the folders are removed at shutdown"


FORM = {"partner": "ALB", "area": "3", "status": "yes", "text": "Area 3 is covered.",
        "source_title": "A joint statement", "source_url": "https://example.org/statement",
        "source_date": "2026-03-18"}


def _files(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _post(client: TestClient, path: str = "/suggest", **changes: str) -> Any:
    return client.post(path, data={**FORM, **changes}, files={"file": ("", b"")})


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def test_the_form_is_prefilled_from_its_address(small: TestClient) -> None:
    page = small.get("/suggest?partner=alb&area=3&topic=dialogue").text
    assert '<option value="ALB" selected>' in page and '<option value="3" selected>' in page
    assert 'name="topic" maxlength="100" value="dialogue"' in page
    assert small.get("/suggest?partner=atlantis").status_code == 404


def test_a_suggestion_is_a_change_that_applies(small: TestClient, tmp_path: Path) -> None:
    before = _files(FIXTURE_DATA)
    text = _post(small, "/api/v1/suggest").json()["suggestion"]
    page = _post(small).text
    assert "--- a/partnerships/ALB.yaml" in page and 'id="sg-output"' in page
    assert _files(FIXTURE_DATA) == before, "nothing is written on the server"
    folder = shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    apply(folder, text)
    assert "3: {status: yes, sources: [suggested-a-joint-statement-2026]" in (
        folder / "partnerships" / "ALB.yaml").read_text(encoding="utf-8")


def test_a_note_is_suggested_without_an_area(small: TestClient) -> None:
    data = _post(small, "/api/v1/suggest", area="", status="", topic="dialogue").json()
    assert data["area"] is None and '+  - topic: "dialogue"' in data["suggestion"]


@pytest.mark.parametrize("path", ["/suggest", "/api/v1/suggest"])
def test_the_suggestion_downloads_as_a_patch(small: TestClient, path: str) -> None:
    response = _post(small, path, download="1")
    assert response.headers["content-type"] == "text/x-diff; charset=utf-8"
    assert response.headers["content-disposition"] == \
        'attachment; filename="suggestion-ALB.patch"'
    assert response.text.startswith("# SDP Atlas: a suggested correction")


@pytest.mark.parametrize(("changes", "status", "code"), [
    ({"source_url": "javascript:alert(1)"}, 422, "bad-suggestion"),
    ({"partner": "atlantis"}, 404, "unknown-partner"),
    ({"area": "99"}, 422, "bad-suggestion"),
    ({"area": "x"}, 400, "bad-parameter"),
    ({"partner": ""}, 422, "bad-suggestion"),
    ({"status": ""}, 422, "bad-suggestion"),
    ({"text": " "}, 422, "bad-suggestion"),
    ({"source_date": "yesterday"}, 400, "bad-parameter"),
])
def test_bad_suggestions_are_refused(small: TestClient, changes: dict[str, str], status: int,
                                     code: str) -> None:
    _error(_post(small, "/api/v1/suggest", **changes), status, code)
    page = _post(small, **changes)
    assert page.status_code == status and 'id="problem"' in page.text
    assert 'id="sg-output"' not in page.text
    if status == 422 and "text" not in changes:  # the form's fields parsed: all kept
        assert "Area 3 is covered." in page.text and "A joint statement" in page.text


def test_a_suggestion_posted_from_another_site_is_refused(small: TestClient) -> None:
    response = small.post("/suggest", data=FORM, files={"file": ("", b"")},
                          headers={"origin": "https://evil.example", "sec-fetch-site":
                                   "cross-site"})
    assert response.status_code == 403


def test_partners_cells_and_facts_link_to_the_form(small: TestClient) -> None:
    page = small.get("/partners/ALB").text
    assert 'href="/suggest?partner=ALB"' in page
    assert re.search(r'href="/suggest\?partner=ALB&amp;topic=event%3A%20\w', page)
    assert re.search(r'href="/suggest\?partner=ALB&amp;topic=commitment%3A%20', page)
    assert re.search(r'href="/suggest\?partner=JPN&amp;topic=\w',
                     small.get("/partners/JPN").text)
    assert 'href="/suggest?partner=ALB&amp;area=3"' in small.get("/partners/ALB/areas/3").text


def test_the_static_site_writes_whats_new_and_the_feed(repo: Path, tmp_path: Path) -> None:
    from sdpatlas.web._static_site import build_site

    out = build_site(repo, tmp_path / "site").folder
    assert f'id="v-{OLD}"' in (out / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert [v["version"] for v in json.loads(
        (out / "api" / "v1" / "versions.json").read_text(encoding="utf-8"))["versions"]] == [
        NEW, OLD]
    feed = feedparser.parse((out / "feed.atom").read_bytes())
    assert not feed.bozo and len([e for e in feed.entries if ":version/" in e.id]) == 2
    page = (out / "partners" / "ALB" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../feed.atom"' in page
    assert 'href="../../needs-server.html">Suggest a correction' in page
    news = (out / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../needs-server.html">The explorer as it was in {OLD}' in news
    assert not (out / "versions").exists()
    server = (out / "needs-server.html").read_text(encoding="utf-8")
    assert "Suggesting a correction" in server and "Earlier versions of the dataset" in server
