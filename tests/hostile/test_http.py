"""Hostile HTTP against a real ``sdpatlas serve``: slow and many sockets, bad bodies, floods.

Each server is a subprocess on 127.0.0.1, port 0, with its own cache. Timing bounds are
generous safety bounds (a trivial request answers within seconds while the worker pool
is busy), not benchmarks: ``benchmarks/web_heavy.py`` measures.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REAL_DATA

COMMAND = [sys.executable, "-c", "from sdpatlas.cli import main; main()"]
HEAVY = (" ".join(f"The parties shall cooperate on topic {i} in maritime security."
                  for i in range(60_000))).encode()  # about 4 MB: seconds of coder time


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None,
                timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        finally:
            connection.close()

    def post(self, path: str, data: bytes, name: str = "doc.txt",
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        body, kind = multipart(data, name)
        return self.request("POST", path, body, {"Content-Type": kind, **(headers or {})})

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            '\r\nContent-Type: text/plain\r\n\r\n').encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


@contextmanager
def serving(tmp: Path, *args: str) -> Iterator[Server]:
    """``sdpatlas serve`` on the real data with ``args``; stopped (and checked) at the end."""
    log = tmp / f"serve-{uuid.uuid4().hex[:8]}.log"
    env = {**os.environ, "SDPATLAS_CACHE": str(tmp / "cache")}
    with log.open("wb") as err:
        process = subprocess.Popen([*COMMAND, "--data", str(REAL_DATA), "serve", "--port", "0",
                                    *args], stderr=err, stdout=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
            time.sleep(0.1)
        assert found, log.read_text(errors="replace")
        server = Server(process, "127.0.0.1", int(found.group(1)), log)
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text(errors="replace")


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if server.request("GET", "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("serve"), "--rate-limit", "0", "--time-limit", "5",
                 "--max-connections", "100") as running:
        yield running


def _error(body: bytes) -> str:
    return str(json.loads(body)["error"]["code"])


def test_slow_headers_are_closed(server: Server) -> None:
    with socket.create_connection((server.host, server.port)) as sock:
        sock.sendall(b"GET /api/v1/summary HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 30 and not closed:
            try:
                sock.sendall(b"X-Slow: y\r\n")
                sock.settimeout(1.0)
                closed = sock.recv(1024) == b""
            except TimeoutError:
                continue
            except OSError:
                closed = True
        assert closed and time.monotonic() - started < 20  # the header deadline is 10 s


def test_an_idle_kept_alive_connection_is_closed(server: Server) -> None:
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        started, answer = time.monotonic(), b""
        with suppress(ConnectionResetError):
            while chunk := sock.recv(65536):  # until the server closes it (else a timeout)
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 ") and b'"status":"ok"' in answer
        assert time.monotonic() - started < 20  # idle for 5 s: closed


def test_many_idle_sockets_do_not_stop_a_normal_client(server: Server) -> None:
    idle = []
    try:
        for _ in range(1000):  # ten times the cap
            idle.append(socket.create_connection((server.host, server.port)))
        started = time.monotonic()
        status, _, body = server.request("GET", "/api/v1/summary", timeout=20)
        assert status == 200 and json.loads(body)["areas"] > 0
        assert time.monotonic() - started < 10
        descriptors = len(os.listdir(f"/proc/{server.process.pid}/fd"))
        assert descriptors < 100 + 60  # the cap, and the server's own files
    finally:
        for sock in idle:
            sock.close()


def test_oversized_and_chunked_bodies_are_refused(server: Server) -> None:
    huge = {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "999999999"}
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    connection.putrequest("POST", "/api/v1/components")
    for name, value in huge.items():
        connection.putheader(name, value)
    connection.endheaders()
    reply = connection.getresponse()
    assert reply.status == 413 and _error(reply.read()) == "content-too-large"
    connection.close()
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"POST /api/v1/code HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\n\r\n"
                     b"5\r\n--x\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize(("kind", "body"), [
    ("multipart/form-data", b"--x\r\n\r\nnothing"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\nno"),
    ("multipart/form-data; boundary=x", b"\x00\xff" * 500),
    ("text/plain", b"hello"),
])
def test_bad_multipart_is_a_clear_4xx(server: Server, kind: str, body: bytes) -> None:
    status, _, answer = server.request("POST", "/api/v1/code", body, {"Content-Type": kind})
    assert status in (400, 415, 422), answer
    assert "Traceback" not in answer.decode() and "Exception" not in answer.decode()


def test_a_cross_origin_post_is_refused_and_get_json_stays_open(server: Server) -> None:
    text = b"The parties shall cooperate on maritime security."
    for headers in ({"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
                    {"Origin": "https://evil.example"}, {"Origin": "null"}):
        status, answer_headers, body = server.post("/api/v1/code", text, headers=headers)
        assert status == 403 and _error(body) == "cross-origin", headers
        assert "access-control-allow-origin" not in answer_headers
    same = {"Origin": f"http://{server.host}:{server.port}", "Sec-Fetch-Site": "same-origin"}
    status, answer_headers, _ = server.post("/api/v1/code", text, headers=same)
    assert status == 200 and "access-control-allow-origin" not in answer_headers
    assert server.post("/api/v1/code", text)[0] == 200  # curl and scripts send no Origin
    status, answer_headers, _ = server.request("GET", "/api/v1/summary")
    assert status == 200 and answer_headers["access-control-allow-origin"] == "*"


def test_a_trivial_request_answers_while_heavy_uploads_run(server: Server) -> None:
    results: list[int] = []
    uploads = [threading.Thread(target=lambda: results.append(
        server.post("/api/v1/code", HEAVY)[0])) for _ in range(2)]
    for upload in uploads:
        upload.start()
    time.sleep(1.0)
    slowest = 0.0
    for _ in range(20):
        started = time.monotonic()
        assert server.request("GET", "/api/v1/summary", timeout=30)[0] == 200
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.1)
    for upload in uploads:
        upload.join(timeout=120)
    assert slowest < 3.0, f"a trivial request took {slowest:.2f} s"  # threads: 0.4 s to minutes
    assert sorted(results) and set(results) <= {200, 422}  # 422: over the 5 s time limit


def test_a_full_queue_is_503_with_retry_after(server: Server) -> None:
    answers: list[tuple[int, dict[str, str], bytes]] = []
    lock = threading.Lock()

    def upload() -> None:
        answer = server.post("/api/v1/code", HEAVY)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=upload) for _ in range(14)]  # 2 workers, 8 waiting
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    busy = [a for a in answers if a[0] == 503]
    assert len(answers) == 14 and busy, [a[0] for a in answers]
    assert all(_error(a[2]) == "busy" and int(a[1]["retry-after"]) > 0 for a in busy)
    assert server.request("GET", "/api/v1/summary")[0] == 200


def test_a_flood_of_bad_requests_leaves_a_short_log(server: Server) -> None:
    before = len(server.stderr())
    for i in range(300):
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(b"\x16\x03\x01 not http " + str(i).encode() * 200 + b"\r\n\r\n")
            sock.settimeout(5)
            with suppress(OSError):
                sock.recv(1024)
    assert len(server.stderr()) - before < 20_000, server.stderr()[-2000:]


def test_healthz_says_what_is_served(server: Server) -> None:
    status, headers, body = server.request("GET", "/healthz")
    health = json.loads(body)
    assert status == 200 and headers["cache-control"] == "no-store"
    assert health["status"] == "ok" and len(health["dataset"]["content_hash"]) == 64
    assert health["uptime_seconds"] >= 0 and health["pool"]["workers"] >= 1


def test_healthz_says_ready_once_start_up_work_is_done(tmp_path: Path) -> None:
    with serving(tmp_path) as fresh:
        deadline = time.monotonic() + 120
        health = json.loads(fresh.request("GET", "/healthz")[2])
        while not health["ready"] and time.monotonic() < deadline:  # warm-up, workers load
            time.sleep(0.2)
            health = json.loads(fresh.request("GET", "/healthz")[2])
        assert health["ready"] and health["pool"]["started"] == health["pool"]["workers"]


def test_rate_limit_is_429_with_retry_after(tmp_path: Path) -> None:
    with serving(tmp_path, "--rate-limit", "1") as limited:
        statuses = []
        for near in range(1, 14):  # each a new answer: expensive
            status, headers, body = limited.request("GET", f"/api/v1/analysis?near={near}")
            statuses.append(status)
            if status == 429:
                assert _error(body) == "rate-limited" and int(headers["retry-after"]) > 0
        assert statuses[0] == 200 and 429 in statuses, statuses
        assert limited.request("GET", "/api/v1/summary")[0] == 200  # cheap: never limited
        for month in range(1, 13):  # dates of cheap views cost what today's do: not limited
            path = f"/api/v1/partners/JPN?as_of=2025-{month:02d}-15"
            assert limited.request("GET", path)[0] == 200, path


def test_root_path_access_log_and_graceful_stop(tmp_path: Path) -> None:
    access = tmp_path / "access.log"
    with serving(tmp_path, "--root-path", "/atlas", "--access-log", str(access),
                 "--time-limit", "8") as served:
        status, _, body = served.request("GET", "/matrix")  # as a proxy passes it on
        assert status == 200 and 'href="/atlas/partners/' in body.decode()
        assert '"/atlas/static/' in body.decode()
        answers: list[int] = []
        thread = threading.Thread(target=lambda: answers.append(
            served.post("/api/v1/code", HEAVY)[0]))
        thread.start()
        time.sleep(1.0)
        served.process.send_signal(signal.SIGTERM)
        thread.join(timeout=90)
        assert answers and answers[0] in (200, 422), answers  # answered (422: over 8 s)
        served.process.wait(timeout=60)
    lines = access.read_text(encoding="ascii").splitlines()
    line = r'127\.0\.0\.1 - - \[[^]]+\] "GET /atlas/matrix HTTP/1\.1" 200 \d+ "-" "[^"]*" [\d.]+$'
    assert any(re.match(line, entry) for entry in lines), lines  # the public address
    assert any(re.search(r'"POST /atlas/api/v1/code HTTP/1\.1" (200|422) ', e) for e in lines)


def test_several_workers_share_the_port(tmp_path: Path) -> None:
    with serving(tmp_path, "--workers", "2") as served:
        for _ in range(10):
            assert served.request("GET", "/api/v1/summary")[0] == 200
