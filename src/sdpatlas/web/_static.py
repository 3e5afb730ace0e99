"""The explorer's own static files (CSS, JS, icons), served from memory.

The folder is small and never changes while the server runs, so every file is read once at
start-up with its gzip encoding, media type and ETag; a request is answered on the event
loop from memory (no file opened, no thread), gzipped when the client accepts it, 304 when
it already holds the file. A URL with the build tag (``?v=…``) is cached for a year.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

__all__ = ["StaticFolder"]

TEXT_LIKE = ("text/", "application/javascript", "image/svg+xml", "application/json")


@dataclass(frozen=True)
class _File:
    body: bytes
    packed: bytes | None  # gzip, for text-like files
    media_type: str
    etag: str


def _load(path: Path) -> _File:
    body = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type == "application/javascript":
        media_type += "; charset=utf-8"
    text_like = media_type.startswith(TEXT_LIKE)
    packed = gzip.compress(body, compresslevel=9, mtime=0) if text_like else None
    return _File(body, packed, media_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


def _name(scope: Scope) -> str:
    """The file asked for: the path below the mount point (its ``root_path``)."""
    path, root = str(scope["path"]), str(scope.get("root_path", ""))
    below = path[len(root):] if root and path.startswith(root + "/") else path
    return below.removeprefix("/")


class StaticFolder:
    """An ASGI app serving one folder's files (not its sub-folders) from memory."""

    def __init__(self, folder: Path) -> None:
        self.files = {p.name: _load(p) for p in sorted(folder.iterdir()) if p.is_file()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"Allow": "GET, HEAD"})
        found = self.files.get(_name(scope))
        if found is None:
            raise HTTPException(404)
        response = self._respond(request, found)
        await response(scope, receive, send)

    @staticmethod
    def _respond(request: Request, found: _File) -> Response:
        tagged = "v" in request.query_params
        headers = {"Cache-Control": "public, max-age=31536000, immutable" if tagged
                   else "public, max-age=300", "ETag": found.etag}
        body = found.body
        if found.packed is not None:
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in request.headers.get("accept-encoding", ""):
                body = found.packed
                headers["Content-Encoding"] = "gzip"
                headers["ETag"] = "W/" + found.etag
        given = request.headers.get("if-none-match", "")
        if found.etag in (t.strip().removeprefix("W/") for t in given.split(",")):
            return Response(status_code=304, headers=headers)
        if request.method == "HEAD":
            return Response(headers={**headers, "Content-Length": str(len(body))},
                            media_type=found.media_type)
        return Response(body, media_type=found.media_type, headers=headers)
