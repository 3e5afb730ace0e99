"""``sdpatlas serve``: listens fast on the cached database, says where, fails clearly."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from sdpatlas.cli import cli
from sdpatlas.store import open_dataset

from conftest import FIXTURE_DATA

COMMAND = [sys.executable, "-c", "from sdpatlas.cli import main; main()"]


def test_serve_prints_its_url_and_answers_quickly(isolated_cache: Path) -> None:
    open_dataset(FIXTURE_DATA)  # the database is cached, as after any first use
    env = {**os.environ, "SDPATLAS_CACHE": str(isolated_cache)}
    started = time.perf_counter()
    process = subprocess.Popen([*COMMAND, "--data", str(FIXTURE_DATA), "serve", "--port", "0"],
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, line
        with urllib.request.urlopen(found.group(1) + "api/v1/summary", timeout=5) as reply:
            assert reply.status == 200
        elapsed = time.perf_counter() - started
        assert elapsed < 3.0, f"ready after {elapsed:.2f} s"  # ~0.5 s here; slack for CI
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_serve_refuses_a_busy_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), "serve", "--port",
                                          str(port)])
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.output and "--port" in result.output


def test_serve_refuses_a_missing_dataset(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nowhere"), "serve"])
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_asgi_module_serves_the_default_dataset(monkeypatch: object) -> None:
    import importlib

    from sdpatlas.web import asgi

    assert importlib.reload(asgi).app.state.site.data.partnerships
