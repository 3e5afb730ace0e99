"""The access log: one line per request in the Combined Log Format (as Apache and nginx).

::

    127.0.0.1 - - [01/Dec/2026:14:05:09 +0000] "GET /matrix HTTP/1.1" 200 9587 "-" "curl/8.5" 0.004

the client, the time, the request line, the status, the body's bytes, the referrer, the
user agent, and (an extension) the seconds taken. Fields a client controls are escaped
(quotes, backslashes, control and non-ASCII bytes as ``\\xHH``) and cut to a bounded
length, so a line cannot be forged or grow without bound; bodies are never logged.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdpatlas.outputs import check_file_target, os_error

__all__ = ["AccessLog", "escape", "open_log"]

MAX_FIELD = 1000  # characters of one client-controlled field


def escape(raw: bytes | str, limit: int = MAX_FIELD) -> str:
    """A field as the log shows it: printable ASCII, quotes and backslashes escaped."""
    data = raw.encode("latin-1", "replace") if isinstance(raw, str) else raw
    out = []
    for byte in data[:limit]:
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "".join(out) + ("..." if len(data) > limit else "")


def open_log(target: str) -> TextIO:
    """The stream for ``target``: standard output for ``-``, else the file, appended to."""
    if target == "-":
        return sys.stdout
    path = Path(target)
    check_file_target(path)
    try:
        return path.open("a", encoding="ascii", buffering=1)
    except OSError as exc:
        raise os_error(exc, path) from exc


class AccessLog:
    """ASGI middleware writing one Combined Log Format line per HTTP request."""

    def __init__(self, app: ASGIApp, target: str) -> None:
        self.app = app
        self.stream = open_log(target)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.time()
        status, size = 0, 0

        async def counted(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            self.stream.write(self.line(scope, status, size, started) + "\n")

    @staticmethod
    def line(scope: Scope, status: int, size: int, started: float) -> str:
        """The log line of one request."""
        headers = dict(scope["headers"])
        client = scope.get("client")
        path = scope.get("raw_path") or str(scope["path"]).encode()
        query = scope.get("query_string", b"")
        target = path + (b"?" + query if query else b"")
        when = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(started))
        request = f"{escape(scope['method'], 20)} {escape(target)} " \
                  f"HTTP/{escape(scope.get('http_version', '1.1'), 8)}"
        return (f"{escape(client[0], 64) if client else '-'} - - [{when}] \"{request}\" "
                f"{status or '-'} {size} \"{escape(headers.get(b'referer', b'-'))}\" "
                f"\"{escape(headers.get(b'user-agent', b'-'))}\" {time.time() - started:.3f}")
