"""What heavy uploads do to everyone else: a prober's trivial request during heavy posts.

Starts ``sdpatlas serve`` on the real data (loopback, any free port), posts HEAVY
documents at once — coder pastes of many sentences and bills of materials with many
unknown countries, the slowest uploads the issues found — and meanwhile asks
``/api/v1/summary`` (about 1 ms alone) every 50 ms. Reports the prober's latency
(p50, p99, max) while the uploads run, and the uploads' statuses and times. Each upload
is bounded by the client's timeout; the server is stopped at the end.

Run: .venv/bin/python benchmarks/web_heavy.py [--seconds 20] [--heavy 2] [-- SERVE ARGS]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def paste(sentences: int) -> bytes:
    """A coder paste of many short sentences."""
    return " ".join(f"The parties shall cooperate on topic {i} in maritime security."
                    for i in range(sentences)).encode()


def bill(rows: int) -> bytes:
    """A bill of materials whose every row names an unknown country."""
    lines = ["component,cost,origin"] + [f"part {i},10,Atlantis{i}" for i in range(rows)]
    return "\n".join(lines).encode()


def multipart(field: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def upload(base: str, kind: str, args: argparse.Namespace) -> tuple[bytes, str, str]:
    """One heavy upload: its body, boundary and address."""
    if kind == "bom":
        return (*multipart("file", "bom.csv", bill(args.rows)), base + "api/v1/components")
    data = b"[" * 100_000 if kind == "md" else paste(args.sentences)
    return (*multipart("file", f"long.{'md' if kind == 'md' else 'txt'}", data),
            base + "api/v1/code")


def post(url: str, body: bytes, boundary: str, out: list[str]) -> None:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=900) as reply:
            status = reply.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        status = -1
        print("upload failed:", exc, file=sys.stderr)
    out.append(f"{url.rsplit('/', 1)[-1]} → {status} in {time.perf_counter() - started:.1f} s")


def probe(url: str, seconds: float) -> list[float]:
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as reply:
            reply.read()
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--heavy", type=int, default=2, help="concurrent heavy uploads")
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--kinds", default="code,bom",
                        help="upload kinds in turn: code (a paste), bom, md (100 KB of '[')")
    parser.add_argument("serve", nargs="*", help="extra arguments for sdpatlas serve")
    args = parser.parse_args()
    server = subprocess.Popen([str(ROOT / ".venv/bin/sdpatlas"), "--data", str(ROOT / "data"),
                               "serve", "--port", "0", *args.serve],
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert server.stderr is not None
        found = re.search(r"(http://\S+/)", server.stderr.readline())
        assert found, "the server did not start"
        base = found.group(1)
        alone = probe(base + "api/v1/summary", 2.0)
        uploads: list[str] = []
        workers = []
        for i in range(args.heavy):
            kinds = args.kinds.split(",")
            body, boundary, url = upload(base, kinds[i % len(kinds)], args)
            workers.append(threading.Thread(target=post, args=(url, body, boundary, uploads)))
        for w in workers:
            w.start()
        time.sleep(0.5)
        busy = probe(base + "api/v1/summary", args.seconds)
        for w in workers:
            w.join()
        for label, times in (("alone", alone), ("during uploads", busy)):
            ordered = sorted(times)
            print(f"summary {label}: n={len(times)} p50={statistics.median(times):.1f} ms "
                  f"p99={ordered[int(len(ordered) * 0.99) - 1]:.1f} ms "
                  f"max={ordered[-1]:.1f} ms")
        print("uploads:", "; ".join(uploads))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print("the server did not stop within 30 s of SIGTERM; killed", file=sys.stderr)
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
