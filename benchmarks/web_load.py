"""Load figures for the web explorer (issue 3), side by side with Datasette.

On loopback, one server worker each, in the same run:
  - SDP Atlas ``/api/v1/matrix`` (JSON) and ``/matrix`` (the HTML page), served by
    ``sdpatlas serve`` (uvicorn, one worker);
  - the peer: Datasette serving the same SQLite database read-only (``-i``), its JSON for
    the ``coverage`` table (all 260 rows: ``coverage.json?_size=max``).
The load tool is wrk (C, not Python): 50 connections, one thread, DURATION seconds each;
throughput, p50/p99 latency and errors (socket errors and non-2xx) are parsed from its
``--latency`` report. Then the weight of the matrix page: bytes and requests (the HTML
and every stylesheet, script and icon it links), raw and gzipped.

Needs ``wrk`` (apt-get install wrk) and, for the peer, Datasette: it is not a project
dependency; install it anywhere (e.g. ``python3 -m venv /tmp/ds && /tmp/ds/bin/pip install
datasette``) and pass ``--datasette /tmp/ds/bin/datasette`` (default: ``datasette`` on PATH;
skipped with a note if absent). Traffic goes to 127.0.0.1 only; every run is bounded.

Run: .venv/bin/python benchmarks/web_load.py [--duration 60] [--datasette PATH]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


@contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=15)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, duration: int) -> dict[str, float]:
    """Run wrk and parse its throughput, latency percentiles and errors."""
    out = subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency",
                          "--timeout", "5s", url], capture_output=True, text=True,
                         check=True, timeout=duration + 60).stdout
    pct = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)$", out, re.M))
    errors = 0
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      out)
    if found:
        errors += sum(int(g) for g in found.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50": _ms(pct["50"]), "p99": _ms(pct["99"]), "errors": errors,
            "requests": float(re.search(r"(\d+) requests in", out).group(1))}  # type: ignore[union-attr]


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon") and a.get("href"):
            self.urls.append(str(a["href"]))
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(str(a["src"]))


def page_weight(base: str, path: str) -> tuple[int, int, int]:
    """Requests, raw bytes and gzipped bytes of a page and what it links."""
    with urllib.request.urlopen(base + path) as reply:
        html = reply.read()
    parser = Assets()
    parser.feed(html.decode())
    bodies = [html]
    for url in parser.urls:
        with urllib.request.urlopen(base + url) as reply:
            bodies.append(reply.read())
    return len(bodies), sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--datasette", default=shutil.which("datasette"),
                        help="the datasette executable (the peer)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    cache = tempfile.mkdtemp(prefix="sdpatlas-bench-")
    env = {**os.environ, "SDPATLAS_CACHE": cache}
    data = ROOT / "data"
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["SDPATLAS_CACHE"] = cache
    from sdpatlas.store import open_dataset

    db = open_dataset(data)[1]
    results: list[tuple[str, dict[str, float]]] = []
    port = free_port()
    atlas = f"http://127.0.0.1:{port}"
    serve = [str(Path(sys.executable).parent / "sdpatlas"), "--data", str(data), "serve",
             "--port", str(port)]
    with running(serve, env):
        ready = wait_until_up(atlas + "/api/v1/summary")
        print(f"sdpatlas serve ready in {ready * 1000:.0f} ms (cached database)")
        weight = page_weight(atlas, "/matrix")
        for name, path in (("SDP Atlas /api/v1/matrix", "/api/v1/matrix"),
                           ("SDP Atlas /matrix (page)", "/matrix")):
            results.append((name, wrk(atlas + path, args.duration)))
    if args.datasette:
        ds_port = free_port()
        peer = f"http://127.0.0.1:{ds_port}"
        ds_db = Path(cache) / "atlas.db"
        shutil.copy(db, ds_db)
        with running([args.datasette, "serve", "-i", str(ds_db), "-p", str(ds_port)], env):
            wait_until_up(peer + "/atlas/coverage.json?_size=max")
            results.append(("Datasette coverage.json (260 rows)",
                            wrk(peer + "/atlas/coverage.json?_size=max", args.duration)))
    else:
        print("Datasette not found: peer skipped (pass --datasette PATH)")
    print(f"\nwrk, {CONNECTIONS} connections, 1 thread, {args.duration} s each, "
          f"one server worker, loopback")
    print(f"{'target':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    for name, r in results:
        print(f"{name:38} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} "
              f"{r['requests']:9.0f} {r['errors']:7.0f}")
    requests, raw, packed = weight
    print(f"\nmatrix page weight: {requests} requests, {raw:,} bytes "
          f"({packed:,} bytes gzipped, as served to browsers that accept gzip)")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
