"""The HTTP server of ``sdpatlas serve``: uvicorn with deadlines, a connection cap, bounded logs.

uvicorn alone waits for a request head for ever and accepts connections until the
process runs out of file descriptors. Here (:class:`Protocol`):

- a connection must send its request head within ``header_seconds`` of opening (or of
  the previous answer), and its body within ``body_seconds``; trickling bytes does not
  extend either deadline (slow headers, slow bodies);
- at most ``connections`` are open: a new one beyond the cap closes the connection idle
  the longest (waiting for a head, or kept alive between requests) or, when every one is
  busy, is closed itself; the cap stays below the descriptor limit;
- a kept-alive connection is closed after ``idle_seconds`` without a request.

Logs go to standard error through :class:`BoundedLog`: a few records of a kind a minute,
each cut to a bounded length, and a count of those left out. SIGTERM (or Ctrl-C) stops
accepting, lets requests in flight finish (up to the heavy-request time limit), then stops
the pool. ``workers`` > 1 runs that many server processes on the same socket, each
building the app with :func:`sdpatlas.web.asgi.create`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import socket
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from sdpatlas.web._options import ENV, ServeOptions

__all__ = ["BoundedLog", "Protocol", "raise_fd_limit", "serve"]

RESERVED_FDS = 128      # descriptors kept free for files, the pool's pipes and the database
MAX_MESSAGE = 2000      # characters of one log record
PER_KIND = 5            # records of one kind a minute
PER_MINUTE = 60         # records of every kind a minute
KINDS = 1000            # kinds remembered

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"bounded": {"()": "sdpatlas.web._server.BoundedLog"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "filters": ["bounded"], "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"uvicorn": {"level": "WARNING"}, "uvicorn.access": {"level": "WARNING"}},
}


class BoundedLog(logging.Filter):
    """Lets through at most :data:`PER_KIND` records of a kind and :data:`PER_MINUTE` in all
    a minute; the next one let through says how many were left out. Messages are cut to
    :data:`MAX_MESSAGE` characters."""

    def __init__(self) -> None:
        super().__init__()
        self.window = time.monotonic()
        self.total = 0
        self.kinds: OrderedDict[tuple[str, int, str], int] = OrderedDict()
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self.window >= 60:
            self.window, self.total = now, 0
            self.kinds.clear()
        kind = (record.name, record.levelno, str(record.msg)[:80])
        seen = self.kinds.pop(kind, 0) + 1
        self.kinds[kind] = seen
        while len(self.kinds) > KINDS:
            self.kinds.popitem(last=False)
        self.total += 1
        if seen > PER_KIND or self.total > PER_MINUTE:
            self.dropped += 1
            return False
        message = record.getMessage()
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + f"… ({len(message) - MAX_MESSAGE} more characters)"
        if self.dropped:
            message += f" [{self.dropped} similar log records left out before this one]"
            self.dropped = 0
        record.msg, record.args = message, None
        return True


class Config(uvicorn.Config):
    """uvicorn's configuration, carrying the server's :class:`ServeOptions`."""

    def __init__(self, app: Any, options: ServeOptions, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.options = options


class Protocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol with request deadlines and a connection cap."""

    def __init__(self, config: uvicorn.Config, server_state: Any, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.options: ServeOptions = getattr(config, "options", ServeOptions())
        self.deadline: asyncio.TimerHandle | None = None
        if not hasattr(server_state, "idle"):
            server_state.idle = OrderedDict()
        self.idle: OrderedDict[Protocol, None] = server_state.idle

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.options.connections and not self._evict():
            self.transport.abort()
            return
        self._waiting(self.options.header_seconds)

    def connection_lost(self, exc: Exception | None) -> None:
        self.idle.pop(self, None)
        self._disarm()
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self.idle.pop(self, None)
        self._arm(self.options.body_seconds)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._waiting(self.options.header_seconds + self.options.idle_seconds)

    def _waiting(self, seconds: float) -> None:
        self.idle[self] = None
        self._arm(seconds)

    def _evict(self) -> bool:
        """Close the connection idle the longest; False when none is idle."""
        while self.idle:
            oldest, _ = self.idle.popitem(last=False)
            if oldest is not self and not oldest.transport.is_closing():
                oldest.transport.abort()
                return True
        return False

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _expire(self) -> None:
        self.deadline = None
        if not self.transport.is_closing():
            self.transport.abort()


def raise_fd_limit(options: ServeOptions) -> ServeOptions:
    """Raise the soft descriptor limit to the hard one; keep the cap below it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    room = max(16, soft - RESERVED_FDS) if soft != resource.RLIM_INFINITY \
        else options.connections
    if options.connections <= room:
        return options
    from dataclasses import replace

    return replace(options, connections=room)


def serve(sock: socket.socket, data_dir: Path, options: ServeOptions, workers: int = 1,
          root_path: str = "", forwarded_allow_ips: str = "127.0.0.1") -> None:
    """Serve the explorer on a listening socket until SIGTERM or SIGINT."""
    options = raise_fd_limit(options)
    os.environ["SDPATLAS_DATA"] = str(data_dir)
    os.environ[ENV] = options.to_env()
    config = Config(
        "sdpatlas.web.asgi:create", options, factory=True, workers=workers, http=Protocol,
        log_config=LOG_CONFIG, log_level="warning", access_log=False, lifespan="on",
        server_header=False, root_path=root_path.rstrip("/"),
        timeout_keep_alive=max(1, round(options.idle_seconds)),
        timeout_graceful_shutdown=round(options.seconds) + 5,
        proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, backlog=2048)
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])
