"""Fair use: which requests are expensive, a per-client rate limit on them, and their pool.

A request is *expensive* when it posts a document, asks for a heavy page (an
:class:`~sdpatlas.web._endpoint.Endpoint` with ``heavy=True``) or names a date whose
answer is not cached yet. Cached answers are never limited. Each client (its address
as the server sees it: behind a reverse proxy, the forwarded one, see ``serve
--forwarded-allow-ips``) has a bucket of ``burst`` expensive requests refilled at
``rate`` per minute; an empty bucket is a 429 ``rate-limited`` with ``Retry-After``.
Admitted requests go to the :class:`~sdpatlas.web._pool.Pool`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from starlette.requests import Request

from sdpatlas.web._errors import error
from sdpatlas.web._pool import Job, Pool

if TYPE_CHECKING:
    from sdpatlas.web._endpoint import Endpoint
    from sdpatlas.web._params import Args

__all__ = ["Heavy", "RateLimit", "client_of"]

MAX_CLIENTS = 10_000  # buckets remembered; the least recently seen are forgotten


def client_of(request: Request) -> str:
    """The client's address (``-`` when the server gives none)."""
    return request.client.host if request.client else "-"


class RateLimit:
    """Token buckets per client: ``burst`` requests at once, refilled at ``rate`` a minute."""

    def __init__(self, rate: int, burst: int, clients: int = MAX_CLIENTS) -> None:
        self.rate, self.burst, self.clients = rate / 60.0, max(1, burst), clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one request from ``client``'s bucket: 0, or the seconds until one is free."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
        return wait


class Heavy:
    """The gate of expensive requests: the rate limit (if any), then the pool."""

    def __init__(self, pool: Pool, limit: RateLimit | None = None) -> None:
        self.pool, self.limit = pool, limit

    @staticmethod
    def needed(endpoint: Endpoint, args: Args) -> bool:
        """Whether rendering this request is expensive (run in the pool, rate limited).

        A date alone does not make a view expensive: dates are canonicalised to the
        dataset's snapshots, so a dated answer costs what today's does and is cached
        under its snapshot; only views declared heavy (the analysis) go to the pool."""
        del args
        return endpoint.heavy

    def admit(self, request: Request) -> None:
        """Charge the client for one expensive request; ApiError 429 when it has none left."""
        if self.limit is not None:
            wait = self.limit.take(client_of(request))
            if wait:
                seconds = math.ceil(wait)
                raise error("rate-limited", "too many expensive requests (uploads, "
                            f"heavy pages) from {client_of(request)}; try again in "
                            f"{seconds} s", retry_after=seconds)

    async def run(self, request: Request, job: Job) -> tuple[bytes, str]:
        """The rendered body and media type; ApiError 429, 503, or the view's own."""
        self.admit(request)
        return await self.pool.run(job)
