"""Load figures for the web explorer (issue 10), side by side with Datasette, in one run.

Every scenario runs wrk (C, not Python) on loopback against ONE server worker, for
DURATION seconds (default 30), and reports throughput, p50/p99 latency and errors (socket
errors plus non-2xx/3xx answers) from wrk's ``--latency`` report:

  (a) same URL: SDP Atlas ``/api/v1/matrix`` vs Datasette's JSON of the same table
      (``coverage``, every row) on a copy of the same SQLite file, read-only (``-i``);
  (b) rotating: SDP Atlas partner JSON ``/api/v1/partners/{code}?as_of=D`` over every
      partner and DATES dates (shuffled, so a response cache meets as many distinct URLs as
      users would make), vs Datasette answering the comparable filtered query (that partner's
      coverage, joined to its partnership and filtered by signature date ≤ D) over the same
      partners and dates;
  (c) browse mix: pages and API routes (home, matrix, partners, areas, compare, timeline,
      eligibility, analysis), most of them with a rotating date;
  (d) two clients hammering ``/analysis?as_of=D`` with a new date on every request, while a
      prober (one Python client, sequential) measures ``/api/v1/summary``; the prober's
      p50/p99 are also measured with the server idle;
  (e) for reference, the static site (``sdpatlas site``) under Python's threaded
      ``http.server``, rotating over its files.

The per-client rate limit is switched off (``--rate-limit 0``): every request here
comes from one loopback client, and the figures are about capacity, not fair use.
Both servers run with a warm process and a cold response cache at the start of each
scenario: each scenario starts its own server, waits until SDP Atlas's ``/healthz`` says
``ready`` (its start-up work done: templates compiled, each snapshot's analysis computed,
the heavy-request pool's processes loaded; what a load balancer's readiness check waits
for), then lets it settle for SETTLE seconds. No page is rendered before the load.
Needs ``wrk`` (apt-get install wrk) and, for the peer, Datasette (not a project
dependency: ``python3 -m venv /tmp/ds && /tmp/ds/bin/pip install datasette``, then
``--datasette /tmp/ds/bin/datasette``).

Run: .venv/bin/python benchmarks/web_load.py [--duration 30] [--datasette PATH] [--only abcde]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = 50
DATES = 400
SEED = 20261201
SETTLE = 5.0  # seconds between "ready" and the load
PEER_SQL = ("select c.area, c.status, p.signed from coverage c join partnerships p "
            "on p.partner = c.partner where c.partner = :p and p.signed <= :d")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def wait_until_ready(health: str, timeout: float = 180.0) -> None:
    """Until SDP Atlas's /healthz says ``ready`` (its start-up work done, workers loaded)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with urllib.request.urlopen(health, timeout=5) as reply:
            if json.loads(reply.read())["ready"]:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{health} did not say ready in {timeout} s")


@contextmanager
def running(args: Sequence[str], env: dict[str, str], probe: str,
            health: str | None = None) -> Iterator[None]:
    process = subprocess.Popen(list(args), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_until_up(probe)
        if health:
            wait_until_ready(health)
        time.sleep(SETTLE)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    assert found is not None, text
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def lua_rotation(paths: Sequence[str], folder: Path) -> Path:
    """A wrk script that sends ``paths`` in turn, starting at a random place per thread."""
    script = folder / f"rotate-{len(paths)}-{abs(hash(tuple(paths))) % 10**8}.lua"
    items = ",\n".join(json.dumps(p) for p in paths)
    script.write_text("local paths = {\n" + items + "\n}\nlocal i = 0\n"
                      "request = function()\n  i = i % #paths + 1\n"
                      "  return wrk.format('GET', paths[i])\nend\n", encoding="utf-8")
    return script


def wrk(base: str, paths: Sequence[str], duration: int, folder: Path,
        connections: int = CONNECTIONS) -> dict[str, float]:
    """Run wrk over ``paths`` (one URL, or a rotation) and parse its report."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if len(paths) > 1:
        args += ["-s", str(lua_rotation(paths, folder))]
    out = subprocess.run([*args, base + paths[0]], capture_output=True, text=True, check=True,
                         timeout=duration + 60).stdout
    pct = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", out, re.M))
    errors = 0
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      out)
    if found:
        errors += sum(int(g) for g in found.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    assert rps is not None and total is not None, out
    return {"rps": float(rps.group(1)), "p50": _ms(pct["50"]), "p99": _ms(pct["99"]),
            "errors": float(errors), "requests": float(total.group(1))}


def dates(count: int) -> list[str]:
    """``count`` distinct days between 2022-01-01 and 2026-12-01, shuffled."""
    start, end = dt.date(2022, 1, 1), dt.date(2026, 12, 1)
    span = (end - start).days
    days = sorted({start + dt.timedelta(days=span * k // count) for k in range(count)})
    rng = random.Random(SEED)
    rng.shuffle(days)
    return [d.isoformat() for d in days]


def partner_paths(codes: Sequence[str], days: Sequence[str]) -> list[str]:
    pairs = [(c, d) for d in days for c in codes]
    random.Random(SEED).shuffle(pairs)
    return [f"/api/v1/partners/{c}?as_of={d}" for c, d in pairs]


def peer_paths(codes: Sequence[str], days: Sequence[str]) -> list[str]:
    pairs = [(c, d) for d in days for c in codes]
    random.Random(SEED).shuffle(pairs)
    sql = urllib.parse.quote(PEER_SQL)
    return [f"/atlas.json?sql={sql}&p={c}&d={d}&_shape=array" for c, d in pairs]


def browse_paths(codes: Sequence[str], signed: Sequence[str], days: Sequence[str]) -> list[str]:
    rng = random.Random(SEED)
    out: list[str] = []
    for d in days:
        a, b = rng.sample(list(signed), 2)
        code = rng.choice(list(codes))
        out += ["/", f"/matrix?as_of={d}", f"/api/v1/matrix?as_of={d}", f"/partners/{code}",
                f"/api/v1/partners/{code}?as_of={d}", f"/areas/{rng.randint(1, 26)}",
                f"/compare?partner={a}&partner={b}", f"/timeline?as_of={d}",
                f"/eligibility/{code}?as_of={d}", f"/api/v1/eligibility/{code}?as_of={d}",
                f"/analysis?as_of={d}", "/api/v1/summary", "/static/atlas.css"]
    return out


class Prober(threading.Thread):
    """One sequential client timing a cheap URL until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.times: list[float] = []
        self.failures = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as reply:
                    reply.read()
                self.times.append((time.perf_counter() - start) * 1000)
            except OSError:
                self.failures += 1
            time.sleep(0.01)

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.times) or [float("nan")]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return {"p50": statistics.median(ordered), "p99": p99, "requests": len(self.times),
                "errors": float(self.failures)}


def probe_for(url: str, seconds: float) -> dict[str, float]:
    prober = Prober(url)
    prober.start()
    time.sleep(seconds)
    prober.stop.set()
    prober.join()
    return prober.summary()


class Bench:
    """One run: the servers, the inputs and the results table."""

    def __init__(self, duration: int, datasette: str | None, folder: Path) -> None:
        self.duration = duration
        self.datasette = datasette
        self.folder = folder
        self.env = {**os.environ, "SDPATLAS_CACHE": str(folder / "cache")}
        self.exe = str(Path(sys.executable).parent / "sdpatlas")
        self.results: list[tuple[str, dict[str, float]]] = []
        os.environ["SDPATLAS_CACHE"] = self.env["SDPATLAS_CACHE"]
        sys.path.insert(0, str(ROOT / "src"))
        from sdpatlas.store import open_dataset

        data, db = open_dataset(ROOT / "data")
        self.codes = [p.partner for p in data.partnerships]
        self.signed = [p.partner for p in data.partnerships if p.signed is not None]
        self.days = dates(DATES)
        self.db = folder / "atlas.db"
        shutil.copy(db, self.db)

    @contextmanager
    def atlas(self) -> Iterator[str]:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with running([self.exe, "--data", str(ROOT / "data"), "serve", "--port", str(port),
                      "--rate-limit", "0"], self.env, base + "/api/v1/summary",
                     base + "/healthz"):
            yield base

    @contextmanager
    def peer(self) -> Iterator[str]:
        assert self.datasette is not None
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with running([self.datasette, "serve", "-i", str(self.db), "-p", str(port)], self.env,
                     base + "/atlas/coverage.json?_size=1"):
            yield base

    def load(self, name: str, base: str, paths: Sequence[str], connections: int = CONNECTIONS
             ) -> None:
        self.results.append((name, wrk(base, paths, self.duration, self.folder, connections)))

    def run(self, only: str) -> None:
        partner = partner_paths(self.codes, self.days)
        if "a" in only:
            with self.atlas() as base:
                self.load("(a) Atlas /api/v1/matrix, same URL", base, ["/api/v1/matrix"])
        if "b" in only:
            with self.atlas() as base:
                self.load(f"(b) Atlas partner JSON, {len(partner)} URLs", base, partner)
        if "c" in only:
            with self.atlas() as base:
                self.load("(c) Atlas browse mix, rotating", base,
                          browse_paths(self.codes, self.signed, self.days))
        if "d" in only:
            with self.atlas() as base:
                self.heavy_neighbours(base)
        if self.datasette and ("a" in only or "b" in only):
            self.run_peer(only)
        elif not self.datasette:
            print("Datasette not found: peer skipped (pass --datasette PATH)")
        if "e" in only:
            self.static_site()

    def heavy_neighbours(self, base: str) -> None:
        idle = probe_for(base + "/api/v1/summary", min(10, self.duration))
        self.results.append(("(d) prober /api/v1/summary, server idle", idle))
        prober = Prober(base + "/api/v1/summary")
        prober.start()
        analysis = [f"/analysis?as_of={d}" for d in self.days]
        self.load("(d) 2 clients, /analysis with new dates", base, analysis, connections=2)
        prober.stop.set()
        prober.join()
        self.results.append(("(d) prober /api/v1/summary, under (d)", prober.summary()))

    def run_peer(self, only: str) -> None:
        if "a" in only:
            with self.peer() as base:
                self.load("(a) Datasette coverage.json, same URL", base,
                          ["/atlas/coverage.json?_size=max&_shape=array"])
        if "b" in only:
            with self.peer() as base:
                paths = peer_paths(self.codes, self.days)
                self.load(f"(b) Datasette filtered SQL, {len(paths)} URLs", base, paths)

    def static_site(self) -> None:
        out = self.folder / "site"
        made = subprocess.run([self.exe, "--data", str(ROOT / "data"), "site", str(out)],
                              env=self.env, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            print(f"static site skipped: {made.stderr.strip()[:200]}")
            return
        paths = sorted("/" + p.relative_to(out).as_posix() for p in out.rglob("*")
                       if p.is_file() and not p.name.startswith("."))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                  "--directory", str(out)]
        with running(server, self.env, base + "/index.html"):
            self.load(f"(e) static site, http.server, {len(paths)} files", base, paths)

    def print(self) -> None:
        print(f"\nwrk: {CONNECTIONS} connections unless stated, 1 thread, {self.duration} s "
              "each, one server worker, loopback; each scenario starts a fresh server")
        print(f"{'scenario':48} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} "
              f"{'errors':>6}")
        for name, r in self.results:
            rps = f"{r['rps']:8.0f}" if "rps" in r else f"{'-':>8}"
            print(f"{name:48} {rps} {r['p50']:8.2f} {r['p99']:8.2f} {r['requests']:9.0f} "
                  f"{r['errors']:6.0f}")
        by = dict(self.results)
        for label, ours, theirs in (("(a)", "(a) Atlas /api/v1/matrix, same URL",
                                     "(a) Datasette coverage.json, same URL"),
                                    ("(b)", next((n for n in by if n.startswith("(b) Atlas")), ""),
                                     next((n for n in by if n.startswith("(b) Datasette")), ""))):
            if ours in by and theirs in by:
                print(f"ratio {label}: Atlas / Datasette throughput = "
                      f"{by[ours]['rps'] / by[theirs]['rps']:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    parser.add_argument("--datasette", default=shutil.which("datasette"),
                        help="the datasette executable (the peer)")
    parser.add_argument("--only", default="abcde",
                        help="the scenarios to run, e.g. bc (default: abcde, all of them)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="sdpatlas-bench-"))
    try:
        bench = Bench(args.duration, args.datasette, folder)
        bench.run(args.only)
        bench.print()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
