"""How long `sdpatlas serve` takes to accept connections on the cached database (issue 3).

Starts the server RUNS times on a free loopback port (the cache warmed first) and prints the
median time from launch to the first accepted TCP connection. Run:
.venv/bin/python benchmarks/web_startup.py [RUNS]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SDPATLAS = Path(sys.executable).parent / "sdpatlas"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ready_after(env: dict[str, str], limit: float = 30.0) -> float:
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen([str(SDPATLAS), "serve", "--port", str(port)], env=env,
                              stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < limit:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.005)
        raise TimeoutError(f"the server did not listen within {limit} s")
    finally:
        server.terminate()
        server.wait()


def main(runs: int) -> None:
    env = {**os.environ, "SDPATLAS_CACHE": tempfile.mkdtemp(prefix="sdpatlas-bench-")}
    subprocess.run([str(SDPATLAS), "build"], env=env, check=True, capture_output=True)
    times = [ready_after(env) for _ in range(runs)]
    print(f"sdpatlas serve, cached database: ready in {statistics.median(times) * 1000:.0f} ms "
          f"(median of {runs}; min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
