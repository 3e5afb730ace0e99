"""Hostile input to the web's versions and suggestions: version names that try the path or
git, many versions at once, suggestions that try to inject YAML or overflow the form."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webclient import TestClient, client_for

from sdpatlas.corrections import apply

from conftest import FIXTURE_DATA

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("repo")
    folder = shutil.copytree(FIXTURE_DATA, root / "data")
    (folder / "dataset.yaml").write_text("version: 2026.11.0\ncoverage: 2026-11-20\n",
                                         encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c",
                    "user.email=t@example.org", "commit", "-qm", "data"], check=True)
    with client_for(folder, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _code(response: Any) -> str:
    return str(response.json()["error"]["code"])


@pytest.mark.parametrize("version", [
    "%2e%2e", "..%2f..%2fetc", "--output=x", "HEAD", "HEAD~1", "2026.11.0^", "2026.11.0%00",
    "2026.11.0%20", "9" * 5000, "2026.11.0;id", "$(id)", "2026.1.0", "2026.11.0%2f%2fx"])
def test_a_hostile_version_name_never_reaches_git(client: TestClient, version: str) -> None:
    response = client.get(f"/versions/{version}/api/v1/matrix", follow_redirects=False)
    if response.status_code == 307:  # the current version: the page itself, on this site
        assert re.match(r"/[^/]", response.headers["location"])
    else:
        assert response.status_code in (404, 414), response.text
    response = client.get(f"/api/v1/matrix?version={version}")
    assert response.status_code in (404, 414), response.text
    assert _code(response) in ("unknown-version", "uri-too-long")


@pytest.mark.parametrize("path", ["//evil.example/x?version=2026.11.0",
                                  "/versions/2026.11.0//evil.example/x",
                                  "/versions/2026.11.0/%2f%2fevil.example",
                                  "/versions/2026.11.0/matrix?version="])
def test_version_redirects_stay_on_the_site(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 307
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//"), location


def test_unrecorded_versions_are_refused_before_git(client: TestClient) -> None:
    for n in range(40):
        assert _code(client.get(f"/versions/2026.11.{n + 1}/api/v1/matrix")) == \
            "unknown-version"
    from sdpatlas.web._versions import Versions

    app: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(app, Versions):
        app = app.app
    assert not app.cache.items


def test_a_suggestion_cannot_inject_yaml(client: TestClient, tmp_path: Path) -> None:
    injected = 'no"}\n  4: yes\nsources: []\n# "'
    form = {"partner": "ALB", "area": "3", "status": "yes", "text": injected,
            "source_title": 'T"\n- id: x', "source_url": "https://example.org/a b\nkind: x",
            "topic": "x"}
    response = client.post("/api/v1/suggest", data=form, files={"file": ("", b"")})
    if response.status_code == 422:  # an address with a space or a newline is refused
        assert _code(response) == "bad-suggestion"
        form["source_url"] = "https://example.org/a"
        response = client.post("/api/v1/suggest", data=form, files={"file": ("", b"")})
    text = response.json()["suggestion"]
    folder = shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    apply(folder, text)
    cell = (folder / "partnerships" / "ALB.yaml").read_text(encoding="utf-8")
    assert "  4: no\n" in cell.split("coverage:", 1)[1] or "  4: yes" not in cell


def test_an_oversized_suggestion_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post("/api/v1/suggest", data={"partner": "ALB"},
                           files={"file": ("reason.txt", b"x" * 200_000)})
    assert response.status_code == 413 and _code(response) == "content-too-large"
    form = {"partner": "ALB", "text": "x" * 5000, "source_title": "T",
            "source_url": "https://example.org/"}
    assert _code(client.post("/api/v1/suggest", data=form, files={"file": ("", b"")})) \
        == "bad-suggestion"
