"""``sdpatlas serve``: the web explorer and JSON API on a dataset."""

from __future__ import annotations

import dataclasses
import socket

import click

from sdpatlas.cli._common import BadInput, State, describe_findings, pass_state
from sdpatlas.findings import DatasetError
from sdpatlas.web._options import PUBLIC


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, or BadInput saying why not (e.g. the port is taken)."""
    sock: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        if sock is not None:
            sock.close()
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                       "choose another --port (or --port 0 for any free one)") from exc
    return sock


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (each with its own heavy-request pool).")
@click.option("--root-path", default="", metavar="PREFIX",
              help="The path prefix a reverse proxy serves the site under (e.g. /atlas); "
                   "links carry it.")
@click.option("--access-log", metavar="FILE|-",
              help="Log one line per request (Combined Log Format) to FILE, or - for "
                   "standard output.")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True,
              metavar="IPS", help="Proxies whose X-Forwarded-For/-Proto are trusted (comma "
                                  "separated, * for any).")
@click.option("--rate-limit", type=click.IntRange(0), default=PUBLIC.rate, show_default=True,
              metavar="N", help="Expensive requests (uploads, the analysis) per minute "
                                "and client; 0: no limit.")
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=PUBLIC.seconds,
              show_default=True, metavar="SECONDS", help="Longest time one heavy request may "
                                                         "take before it is stopped.")
@click.option("--max-connections", type=click.IntRange(16), default=PUBLIC.connections,
              show_default=True, metavar="N", help="Open connections at most; the longest "
                                                   "idle one is closed to make room.")
@pass_state
def serve(state: State, host: str, port: int, workers: int, root_path: str,
          access_log: str | None, forwarded_allow_ips: str, rate_limit: int,
          time_limit: float, max_connections: int) -> None:
    """Run the read-only web explorer and JSON API.

    It runs until interrupted and prints the address to stderr once it is listening. The
    dataset is read from the cached database (built on first use). Heavy requests (uploads,
    the analysis) run in a small pool of worker processes with a time limit; when it
    is full they get 503 with Retry-After. SIGTERM lets requests in flight finish. See
    "Running in production" in the README for a reverse-proxy configuration.
    """
    from sdpatlas.store import StoreError, open_dataset
    from sdpatlas.web._access import open_log
    from sdpatlas.web._server import serve as run

    options = dataclasses.replace(PUBLIC, rate=rate_limit, seconds=time_limit,
                                  connections=max_connections, access_log=access_log)
    if root_path and not root_path.startswith("/"):
        raise BadInput(f"--root-path {root_path!r} must start with '/' (e.g. /atlas)")
    if access_log is not None and access_log != "-":
        open_log(access_log).close()
    try:
        open_dataset(state.data_dir)  # a bad dataset is reported before listening
    except DatasetError as exc:
        raise BadInput(describe_findings(exc)) from exc
    except (StoreError, OSError) as exc:
        raise BadInput(str(exc)) from exc
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"SDP Atlas is serving {state.data_dir} at http://{shown}:{bound}"
               f"{root_path.rstrip('/')}/ (Ctrl-C to stop)", err=True)
    try:
        run(sock, state.data_dir, options, workers, root_path, forwarded_allow_ips)
    finally:
        sock.close()


COMMANDS = (serve,)
