"""Page weights of the explorer (issue 12): every page, its HTML and what it loads.

Starts ``sdpatlas serve`` on the real data (loopback, any free port, a fresh cache) and
fetches each page of the endpoint registry once, its path parameters filled with their
documented examples (as tests/test_web_mobile.py does), then every stylesheet, script,
icon and image the HTML references, and the ``url(...)`` files of the stylesheets. Prints
one row per page: HTML bytes, HTML gzipped (level 6, as the server compresses), the total
of HTML and assets, that total gzipped, the bytes actually sent when the client accepts
gzip, and the number of requests on a cold cache (the page and each distinct asset);
then each asset's own weight.
Ends by checking the Analysis page's HTML against the issue's 200 KB bound (exit 1 over).

Run: .venv/bin/python benchmarks/page_weights.py
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sdpatlas.web.views import SERVED

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS_LIMIT = 200_000  # bytes of HTML (issue 12)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


@dataclass(frozen=True)
class Fetched:
    """One response: its body as sent without and with gzip."""

    body: bytes
    wire: int


@dataclass(frozen=True)
class Weight:
    """A page and the assets it loads."""

    name: str
    path: str
    html: Fetched
    assets: dict[str, Fetched]

    @property
    def total(self) -> int:
        return len(self.html.body) + sum(len(a.body) for a in self.assets.values())

    @property
    def total_gzipped(self) -> int:
        return gz(self.html.body) + sum(gz(a.body) for a in self.assets.values())

    @property
    def wire(self) -> int:
        return self.html.wire + sum(a.wire for a in self.assets.values())


class References(HTMLParser):
    """The same-page files an HTML document makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href") and a.get("rel") in (
                "stylesheet", "icon", "preload", "modulepreload", "manifest"):
            self.found.append(str(a["href"]))
        elif tag in ("script", "img", "source", "iframe", "embed") and a.get("src"):
            self.found.append(str(a["src"]))
        elif tag == "object" and a.get("data"):
            self.found.append(str(a["data"]))


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def fetch(url: str) -> Fetched:
    """The body (identity) and the byte count sent to a client that accepts gzip."""
    plain = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(plain, timeout=120) as response:
        body = response.read()
    packed = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(packed, timeout=120) as response:
        return Fetched(body, len(response.read()))


def page_path(endpoint_page: str, examples: dict[str, str | None]) -> str:
    path = endpoint_page
    for name, example in examples.items():
        if example is None:
            raise SystemExit(f"{endpoint_page}: path parameter {name} has no example")
        path = path.replace("{" + name + "}", example)
    return path


def pages() -> Iterator[tuple[str, str]]:
    """(endpoint name, path) for every page in the registry."""
    for endpoint in SERVED:
        if endpoint.page is not None:
            examples = {p.name: p.example for p in endpoint.params if p.where == "path"}
            yield endpoint.name, page_path(endpoint.page, examples)


def assets(url: str, html: bytes) -> dict[str, Fetched]:
    """Every distinct same-origin file the page loads, stylesheets' own references too."""
    parser = References()
    parser.feed(html.decode("utf-8", "replace"))
    queue = [urljoin(url, ref) for ref in parser.found]
    out: dict[str, Fetched] = {}
    origin = urlsplit(url).netloc
    while queue:
        address = queue.pop(0).split("#")[0]
        if address in out or urlsplit(address).netloc != origin:
            continue
        out[address] = fetch(address)
        if urlsplit(address).path.endswith(".css"):
            text = out[address].body.decode("utf-8", "replace")
            queue += [urljoin(address, ref) for ref in CSS_URL.findall(text)
                      if not ref.startswith("data:")]
    return out


@contextmanager
def server() -> Iterator[str]:
    env = {**os.environ, "SDPATLAS_CACHE": tempfile.mkdtemp(prefix="sdpatlas-weights-")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from sdpatlas.cli import main; main()", "--data",
         str(ROOT / "data"), "serve", "--port", "0"],
        stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        found = re.search(r"http://\S+/", process.stderr.readline())
        if not found:
            raise SystemExit("the server printed no address")
        yield found.group(0).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def kb(n: int) -> str:
    return f"{n / 1000:,.1f}"


def report(weights: list[Weight]) -> None:
    print("kB = 1,000 bytes; gzipped at level 6 as the server does; wire = bytes sent to a "
          "client that accepts gzip; requests on a cold cache")
    head = ("page", "path", "HTML kB", "HTML gz", "total kB", "total gz", "wire kB", "requests")
    rows = [(w.name, w.path, kb(len(w.html.body)), kb(gz(w.html.body)), kb(w.total),
             kb(w.total_gzipped), kb(w.wire), str(1 + len(w.assets))) for w in weights]
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def report_assets(weights: list[Weight]) -> None:
    seen = {urlsplit(url).path: a for w in weights for url, a in w.assets.items()}
    print("\nassets (path: kB, gzipped kB, wire kB)")
    for path, a in sorted(seen.items()):
        print(f"  {path}: {kb(len(a.body))}, {kb(gz(a.body))}, {kb(a.wire)}")


def main() -> int:
    with server() as base:
        weights = []
        for name, path in pages():
            url = base + path
            html = fetch(url)
            weights.append(Weight(name, path, html, assets(url, html.body)))
    report(weights)
    report_assets(weights)
    analysis = next(w for w in weights if w.name == "analysis")
    size = len(analysis.html.body)
    verdict = "within" if size <= ANALYSIS_LIMIT else "OVER"
    print(f"\nAnalysis page HTML: {size:,} bytes, {verdict} the {ANALYSIS_LIMIT:,}-byte bound")
    return 0 if size <= ANALYSIS_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
