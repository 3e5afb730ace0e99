"""How one server protects itself: the limits and switches of ``sdpatlas serve``, in one record.

:class:`ServeOptions` is read by the application (the heavy-work pool, the rate limit,
the access log) and by the HTTP server (timeouts, the connection cap). ``sdpatlas
serve --workers N`` hands it to its worker processes in the environment
(:data:`ENV`), where ``sdpatlas.web.asgi`` reads it back.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass

__all__ = ["ENV", "PUBLIC", "ServeOptions"]

ENV = "SDPATLAS_SERVE_OPTIONS"


@dataclass(frozen=True)
class ServeOptions:
    """Limits of one server process; the defaults suit a small public site.

    ``pool``: processes for heavy requests (0: threads, without a hard time limit);
    ``queue``: heavy requests that may wait for one (more get 503 with Retry-After);
    ``seconds``: the time limit of one heavy request; ``rate``: expensive requests per
    minute and client (0: no limit), ``burst`` of them at once; ``connections``: open
    connections at most; ``header_seconds`` / ``body_seconds``: to send the request
    head / body; ``idle_seconds``: a kept-alive connection's idle time; ``access_log``:
    a file (``-``: standard output) for one line per request; ``threads``: heavy requests
    in threads instead of processes; ``warm``: start the pool's processes at start-up.
    """

    pool: int = 2
    queue: int = 8
    seconds: float = 30.0
    rate: int = 0
    burst: int = 10
    connections: int = 1000
    header_seconds: float = 10.0
    body_seconds: float = 60.0
    idle_seconds: float = 5.0
    access_log: str | None = None
    threads: bool = False
    warm: bool = False

    def to_env(self) -> str:
        """The options as JSON, for :data:`ENV`."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_env(cls, default: ServeOptions | None = None) -> ServeOptions:
        """The options in :data:`ENV`, or ``default`` (else the defaults) when unset."""
        text = os.environ.get(ENV)
        if not text:
            return default or cls()
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in names})


PUBLIC = ServeOptions(rate=60, warm=True)
"""The options of ``sdpatlas serve`` and ``sdpatlas.web.asgi`` unless told otherwise."""
