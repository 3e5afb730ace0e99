"""The Code a document page and POST /api/v1/code: the CLI's JSON, bounds, hostile input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import codingdocs
import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.coding import DEFAULT_LIMITS
from sdpatlas.web._errors import ERROR_CODES

from conftest import REAL_DATA, ROOT

AGREEMENT = ROOT / "tests" / "fixtures" / "coding" / "agreement.md"
SHORT = "The Participants will strengthen their exchanges on maritime security.\n"
HOSTILE = ("The Participants will deepen their cooperation on cyber security.\n"
           "<script>alert('pwned')</script><img src=x onerror=\"alert(1)\">"
           "<a href=\"javascript:alert(2)\">click</a>\n")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def cli_json(*args: str, stdin: bytes | None = None) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "code", *args, "--format",
                                      "json"], input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def assert_error(response: object, status: int, code: str) -> str:
    """The one error shape, with the registered status; returns the message."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert list(body) == ["error"]
    assert set(body["error"]) == {"status", "code", "message", "suggestions"}
    assert body["error"]["code"] == code and ERROR_CODES[code][0] == status
    return str(body["error"]["message"])


class Markup(HTMLParser):
    """Anything executable in a page: scripts without src, handlers, javascript: links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (tag in ("script", "style") and not a.get("src")) or tag == "img" or "style" in a:
            self.problems.append(f"<{tag}>")
        self.problems += [f"{k} on <{tag}>" for k in a if k.startswith("on")]
        self.problems += [f"href {a['href']}" for k in a if k == "href"
                          and str(a["href"]).startswith("javascript")]


def test_pasted_text_is_the_cli_json_of_stdin(client: TestClient) -> None:
    text = AGREEMENT.read_text(encoding="utf-8")
    response = client.post("/api/v1/code", data={"text": text})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == cli_json("-", stdin=text.encode())
    assert response.json()["coverage"]["15"]["status"] == "yes"


def test_uploaded_file_is_the_cli_json_of_the_file(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "arcadia.md"
    path.write_bytes(AGREEMENT.read_bytes())
    response = client.post("/api/v1/code", files={"file": ("arcadia.md", path.read_bytes())})
    assert response.status_code == 200, response.text
    expected = cli_json(str(path))
    expected["source"]["name"] = "arcadia.md"  # type: ignore[index]
    assert response.json() == expected


def test_text_paste_and_file_upload_agree(client: TestClient) -> None:
    pasted = client.post("/api/v1/code", data={"text": SHORT.replace("\n", "\r\n")}).json()
    uploaded = client.post("/api/v1/code", files={"file": ("short.txt", SHORT.encode())}).json()
    assert pasted["coverage"] == uploaded["coverage"]
    assert pasted["segments"] == uploaded["segments"]
    assert (pasted["source"]["name"], uploaded["source"]["name"]) == ("-", "short.txt")


def test_a_pdf_upload_is_parsed_in_the_sandbox(client: TestClient) -> None:
    pdf = codingdocs.pdf([["The Participants will strengthen their exchanges on",
                           "maritime security and cyber security."]])
    response = client.post("/api/v1/code", files={"file": ("a.pdf", pdf)})
    assert response.status_code == 200, response.text
    assert response.json()["source"]["format"] == "pdf"
    assert response.json()["coverage"]["15"]["status"] == "yes"


def test_page_shows_the_proposal_with_highlighted_evidence(client: TestClient) -> None:
    page = client.post("/code", files={"file": ("arcadia.md", AGREEMENT.read_bytes())})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<tr id="area-15" data-status="yes">' in text
    assert re.search(r'id="ev-15-0"></span>(<span [^>]*></span>)*<mark class="ev', text)
    assert 'href="#ev-15-0"' in text
    assert "maritime security</mark>" in text
    assert Markup(text).problems == []


def test_the_empty_form_page(client: TestClient) -> None:
    page = client.get("/code")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="text"' in page.text
    assert 'type="file" name="file"' in page.text and Markup(page.text).problems == []


@pytest.mark.parametrize("path", ["/code", "/api/v1/code"])
def test_hostile_text_renders_inert(client: TestClient, path: str) -> None:
    response = client.post(path, data={"text": HOSTILE})
    assert response.status_code == 200, response.text
    if path == "/code":
        assert Markup(response.text).problems == []
        assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in response.text
    else:
        assert "<script>" in "".join(s["text"] for s in response.json()["segments"])


def test_hostile_html_file_renders_inert(client: TestClient) -> None:
    html = (b"<html><body><p>The Participants will cooperate on maritime security.</p>"
            b"<p>&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script></p>"
            b"<img src=x onerror=alert(3)></body></html>")
    page = client.post("/code", files={"file": ("<b>evil<b>.html", html)})
    assert page.status_code == 200, page.text
    assert Markup(page.text).problems == []
    assert "&lt;b&gt;evil&lt;b&gt;.html" in page.text and "<b>evil" not in page.text


@pytest.mark.parametrize(("form", "files"), [({"text": ""}, None), ({"text": " \n "}, None),
                                             ({}, {"file": ("empty.txt", b"")})])
def test_empty_uploads_are_refused(client: TestClient, form: dict[str, str],
                                   files: dict[str, tuple[str, bytes]] | None) -> None:
    response = client.post("/api/v1/code", data=form, files=files)
    assert "empty" in assert_error(response, 422, "empty")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("garbage.pdf", bytes(range(256)) * 40, "corrupt"),
    ("garbage.docx", b"PK\x03\x04" + bytes(range(256)) * 40, "corrupt"),
    ("garbage.exe", b"MZ\x90\x00" * 100, "unsupported"),
    ("locked.pdf", codingdocs.encrypted_pdf(), "encrypted"),
    ("bomb.docx", codingdocs.zip_bomb_docx(), "zip-bomb"),
])
def test_garbage_is_refused_with_its_code_and_hint(client: TestClient, name: str, data: bytes,
                                                  code: str) -> None:
    message = assert_error(client.post("/api/v1/code", files={"file": (name, data)}), 422, code)
    assert name in message
    page = client.post("/code", files={"file": (name, data)})
    assert page.status_code == 422 and 'role="alert"' in page.text and code in page.text


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient) -> None:
    huge = b"a" * (DEFAULT_LIMITS.max_bytes + 128 * 1024)
    response = client.post("/api/v1/code", files={"file": ("huge.txt", huge)})
    assert "bytes" in assert_error(response, 413, "content-too-large")
    page = client.post("/code", files={"file": ("huge.txt", huge)})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")


def test_a_document_over_the_coders_limit_is_refused(client: TestClient) -> None:
    big = b"a " * (DEFAULT_LIMITS.max_bytes // 2 + 1)
    assert_error(client.post("/api/v1/code", files={"file": ("big.txt", big)}), 422,
                 "too-large")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_405(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/code")
    assert "use POST" in assert_error(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"
    page = client.request(method, "/code")
    assert page.status_code == (200 if method == "GET" else 405)


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"content": b"text=x", "headers": {"content-type": "text/plain"}}, 415,
     "unsupported-media-type"),
    ({"data": {"text": SHORT, "colour": "red"}}, 400, "bad-form"),
    ({"data": {"text": SHORT}, "files": {"file": ("a.txt", SHORT.encode())}}, 400, "bad-form"),
])
def test_malformed_forms_are_400_or_415(client: TestClient, kwargs: dict[str, object],
                                        status: int, code: str) -> None:
    assert_error(client.post("/api/v1/code", **kwargs), status, code)  # type: ignore[arg-type]


def test_openapi_documents_the_post_and_the_docs_list_it(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/api/v1/code"]["post"]
    body = op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(body["properties"]) == {"text", "file", "table"}
    assert body["properties"]["file"]["format"] == "binary"
    assert {"200", "400", "413", "415", "422"} <= set(op["responses"])
    docs = client.get("/api").text
    assert 'id="op-code"' in docs and '<span class="method">POST</span>' in docs
    operations = client.get("/api/v1").json()["operations"]
    assert {"path": "/api/v1/code", "method": "POST"}.items() <= next(
        o for o in operations if o["operation"] == "code").items()
