"""The server's own limits, piece by piece: rate limit, bounded log, access log, origins."""

from __future__ import annotations

import logging

import pytest

from sdpatlas.web._access import AccessLog, escape
from sdpatlas.web._app import cross_origin, route_path
from sdpatlas.web._fairuse import RateLimit
from sdpatlas.web._options import ENV, PUBLIC, ServeOptions
from sdpatlas.web._server import MAX_MESSAGE, PER_KIND, PER_MINUTE, BoundedLog


def test_rate_limit_allows_a_burst_then_says_how_long_to_wait() -> None:
    limit = RateLimit(rate=60, burst=3)
    assert [limit.take("a") for _ in range(3)] == [0, 0, 0]
    wait = limit.take("a")
    assert 0 < wait <= 1.0  # one request a second
    assert limit.take("b") == 0  # another client has its own bucket


def test_rate_limit_forgets_the_least_recent_clients() -> None:
    limit = RateLimit(rate=60, burst=1, clients=10)
    for n in range(100):
        limit.take(f"client-{n}")
    assert len(limit._buckets) == 10


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, message, args,
                             None)


def test_bounded_log_lets_a_few_of_a_kind_through_and_counts_the_rest() -> None:
    bounded = BoundedLog()
    passed = [bounded.filter(_record("Invalid HTTP request received.")) for _ in range(50)]
    assert sum(passed) == PER_KIND
    other = _record("something else")
    assert bounded.filter(other)
    assert f"[{50 - PER_KIND} similar log records left out" in other.getMessage()
    flood = [bounded.filter(_record(f"unique {n}")) for n in range(1000)]
    assert sum(flood) < PER_MINUTE  # however varied, a minute's log stays short


def test_bounded_log_cuts_long_messages() -> None:
    record = _record("request %s", "x" * 100_000)
    assert BoundedLog().filter(record)
    assert MAX_MESSAGE < len(record.getMessage()) < MAX_MESSAGE + 100


def test_access_log_line_escapes_what_the_client_controls() -> None:
    scope = {"type": "http", "method": "GET", "path": "/x", "raw_path": b'/x"\n\x00',
             "query_string": b"a=1", "http_version": "1.1", "client": ("10.0.0.1", 5),
             "headers": [(b"user-agent", b'evil"\r\nforged 200'), (b"referer", b"\xff")]}
    line = AccessLog.line(scope, 200, 12, 0.0)
    assert line.startswith('10.0.0.1 - - [01/Jan/1970:00:00:00 +0000] "GET /x\\"\\x0a\\x00?a=1 ')
    assert '"evil\\"\\x0d\\x0aforged 200"' in line and '"\\xff"' in line
    assert "\n" not in line and escape(b"y" * 5000).endswith("...")


def _scope(method: str, **headers: str) -> dict[str, object]:
    return {"type": "http", "method": method, "scheme": "http", "path": "/api/v1/code",
            "headers": [(k.replace("_", "-").encode(), v.encode())
                        for k, v in {"host": "atlas.example", **headers}.items()]}


@pytest.mark.parametrize(("method", "headers", "refused"), [
    ("GET", {"sec_fetch_site": "cross-site"}, False),
    ("POST", {}, False),
    ("POST", {"sec_fetch_site": "same-origin", "origin": "http://proxy.internal"}, False),
    ("POST", {"sec_fetch_site": "none"}, False),
    ("POST", {"origin": "http://atlas.example"}, False),
    ("POST", {"origin": "http://atlas.example:80"}, False),
    ("POST", {"sec_fetch_site": "cross-site", "origin": "https://evil.example"}, True),
    ("POST", {"sec_fetch_site": "same-site"}, True),
    ("POST", {"origin": "https://evil.example"}, True),
    ("POST", {"origin": "http://atlas.example:8080"}, True),
    ("POST", {"origin": "null"}, True),
    ("POST", {"origin": "http://[bad"}, True),
])
def test_cross_origin_posts_are_refused(method: str, headers: dict[str, str],
                                        refused: bool) -> None:
    problem = cross_origin(_scope(method, **headers))  # type: ignore[arg-type]
    assert (problem is not None) == refused
    if problem is not None:
        assert problem.status == 403 and problem.code == "cross-origin"


def test_route_path_leaves_out_the_root_path() -> None:
    assert route_path({"path": "/atlas/api/v1/code", "root_path": "/atlas"}) == "/api/v1/code"
    assert route_path({"path": "/atlas", "root_path": "/atlas"}) == "/"
    assert route_path({"path": "/matrix", "root_path": ""}) == "/matrix"


def test_options_travel_to_worker_processes_in_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    options = ServeOptions(rate=7, seconds=12.5, access_log="-")
    monkeypatch.setenv(ENV, options.to_env())
    assert ServeOptions.from_env() == options
    monkeypatch.delenv(ENV)
    assert ServeOptions.from_env(PUBLIC) == PUBLIC and PUBLIC.rate > 0


def test_concurrent_requests_for_one_heavy_answer_render_it_once() -> None:
    import asyncio
    from types import SimpleNamespace

    from sdpatlas.web._endpoint import _once
    from sdpatlas.web._site import BodyCache

    calls: list[str] = []
    charged: list[object] = []

    async def run(job: object) -> tuple[bytes, str]:
        calls.append("render")
        await asyncio.sleep(0.05)
        return b"body", "text/plain"

    heavy = SimpleNamespace(admit=charged.append, pool=SimpleNamespace(run=run))
    site = SimpleNamespace(inflight={}, cache=BodyCache())

    async def many() -> list[tuple[bytes, str]]:
        return await asyncio.gather(*(_once(site, "key", f"client-{n}", heavy, None)  # type: ignore[arg-type]
                                      for n in range(20)))

    answers = asyncio.run(many())
    assert answers == [(b"body", "text/plain")] * 20
    assert calls == ["render"] and charged == ["client-0"]
    assert site.inflight == {} and site.cache.get("key") == (b"body", "text/plain")


def test_pages_may_queue_longer_than_uploads_but_not_without_bound() -> None:
    from contextlib import ExitStack
    from types import SimpleNamespace

    from sdpatlas.web._errors import ApiError
    from sdpatlas.web._pool import PAGE_QUEUE, Job, Pool

    pool = Pool(SimpleNamespace(), size=2, waiting=3, seconds=5, threads=True)  # type: ignore[arg-type]
    page = Job("analysis", "html", {}, {}, "")
    upload = Job("code", "json", {}, {}, "", posted=SimpleNamespace())  # type: ignore[arg-type]
    with ExitStack() as held:
        for _ in range(2 + 3):
            held.enter_context(pool._admitted(upload))
        with pytest.raises(ApiError) as refused:
            held.enter_context(pool._admitted(upload))
        assert refused.value.code == "busy"
        for _ in range(3 * PAGE_QUEUE - 3):
            held.enter_context(pool._admitted(page))
        with pytest.raises(ApiError):
            held.enter_context(pool._admitted(page))
    assert pool.stats()["pending"] == 0
