"""How long the web's version pages take: What's new, the Atom feed, and an earlier version.

In-process (Starlette's test client, no network) on the real data: the median of N
requests to ``/whats-new`` and ``/feed.atom``, cold (the body cache emptied before each,
so each is rendered) and cached (from the body cache); then ``/versions/V/`` of the oldest
recorded version: its first load (git archive into a temporary folder, the dataset read,
its database built unless the cache already holds it, the page rendered) and cached
loads (the version's explorer kept). Uses a fresh cache folder, so the first load builds
the version's database.

Run: .venv/bin/python benchmarks/web_history.py [-n 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from sdpatlas.web._versions import Versions

ROOT = Path(__file__).resolve().parents[1]


def timed(call: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def versions_of(client: TestClient) -> Versions:
    """The application's middleware that serves earlier versions."""
    app: Any = client.app
    app = app.middleware_stack
    while not isinstance(app, Versions):
        app = app.app
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="requests per figure")
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SDPATLAS_CACHE"] = cache
        from sdpatlas.release import read_changelog
        from sdpatlas.web import create_app
        from sdpatlas.web._options import ServeOptions
        from sdpatlas.web._site import BodyCache

        data = ROOT / "data"
        app = create_app(data, ServeOptions(threads=True))
        site = app.state.site
        with TestClient(app) as client:
            def get(path: str) -> None:
                assert client.get(path, follow_redirects=False).status_code == 200, path

            for path in ("/whats-new", "/feed.atom"):
                cold = []
                for _ in range(n):
                    site.cache = BodyCache()
                    cold.append(timed(partial(get, path)))
                warm = [timed(partial(get, path)) for _ in range(n)]
                print(f"{path}: median {statistics.median(cold):.1f} ms rendered, "
                      f"{statistics.median(warm):.2f} ms cached (n={n})")
            oldest = read_changelog(data)[-1].version
            first = timed(lambda: get(f"/versions/{oldest}/"))
            print(f"/versions/{oldest}/: first load {first:.0f} ms")
            again = [timed(partial(get, f"/versions/{oldest}/matrix")) for _ in range(n)]
            print(f"/versions/{oldest}/matrix (version kept, page rendered once): median "
                  f"{statistics.median(again):.2f} ms (n={n})")
            versions = versions_of(client)
            reloads = []
            for _ in range(5):
                versions.cache.close()
                reloads.append(timed(partial(get, f"/versions/{oldest}/")))
            print(f"/versions/{oldest}/ after eviction (its database cached): median "
                  f"{statistics.median(reloads):.0f} ms (n=5)")


if __name__ == "__main__":
    main()
