"""``sdpatlas serve``: the web explorer and JSON API on a dataset."""

from __future__ import annotations

import socket

import click

from sdpatlas.cli._common import BadInput, State, describe_findings, pass_state
from sdpatlas.findings import DatasetError


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
@pass_state
def serve(state: State, host: str, port: int) -> None:
    """Run the web explorer and JSON API (read-only) until interrupted.

    Prints the address to stderr once it is listening. The dataset is read from the
    cached database (built on first use). For production, run the ASGI app
    ``sdpatlas.web.asgi:app`` under any ASGI server, with replicas as needed.
    """
    import uvicorn

    from sdpatlas.store import StoreError
    from sdpatlas.web import create_app

    try:
        app = create_app(state.data_dir)
    except DatasetError as exc:
        raise BadInput(describe_findings(exc)) from exc
    except (StoreError, OSError) as exc:
        raise BadInput(str(exc)) from exc
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"SDP Atlas is serving {state.data_dir} at http://{shown}:{bound}/ "
               "(Ctrl-C to stop)", err=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


COMMANDS = (serve,)
