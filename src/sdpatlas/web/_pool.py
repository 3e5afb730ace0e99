"""A bounded pool of worker processes for the requests that cost real CPU.

Uploads (the coder, the components check) and heavy pages (the analysis, at any date)
are rendered by a small pool of worker processes, never on the event loop nor in one
of its threads: CPU-bound Python in a thread holds the interpreter lock, and one
pathological document would stall every other client. A worker is ``python -m
sdpatlas.web._worker DATA_DIR DB_PATH``: it reads the server's database once, runs at a
lower CPU priority than the server, reads :class:`Job` records on standard input and
answers each with the rendered body (or the error) on standard output.

Bounds, each answered at once rather than by an unbounded wait:

- at most ``size`` jobs run and ``queue`` uploads wait (pages, each rendered once and
  then cached, may wait behind ``PAGE_QUEUE`` times as many); one more is a 503 ``busy``
  with ``Retry-After``, as is a job that waited longer than the time limit for a worker;
- a job that runs longer than the time limit is killed with its worker's process group
  (a page: 503 ``time-limit``; an upload: 422 ``timeout``); the worker is started again
  for the next job;
- a worker whose server is gone exits (end of its input, or its parent changed).

With ``threads=True`` the same admission runs jobs in threads of this process (no hard
time limit): for in-process use, such as tests or a static export.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import anyio.to_thread

from sdpatlas.web._errors import ApiError, error

if TYPE_CHECKING:
    from sdpatlas.web._forms import Posted
    from sdpatlas.web._params import Value
    from sdpatlas.web._site import Site

__all__ = ["Job", "Pool"]

RETRY_AFTER = 5      # seconds a refused client is asked to wait
NICE = 5             # workers yield the CPU to the server's event loop
HEADER = 8           # bytes of a message's length
STARTUP = 120.0      # seconds a worker may take to load the dataset (not counted in a job)
PAGE_QUEUE = 4       # a page may wait behind this many times the uploads' queue


@dataclass(frozen=True)
class Job:
    """One request for a worker: the endpoint, the output format and parsed values."""

    endpoint: str
    fmt: str
    values: Mapping[str, Value]
    path_given: Mapping[str, str]
    root: str
    posted: Posted | None = None
    dated: frozenset[str] = frozenset()  # the pages whose links keep the day (Urls.dated)


Reply = tuple[object, ...]


class _Runner(Protocol):
    def call(self, job: Job, seconds: float) -> Reply: ...

    def stop(self) -> None: ...


class Pool:
    """``size`` workers (processes, or threads), ``queue`` waiting jobs, a time limit."""

    def __init__(self, site: Site, size: int, waiting: int, seconds: float,
                 threads: bool = False) -> None:
        self.size, self.waiting, self.seconds = max(1, size), max(0, waiting), seconds
        self._lock = threading.Lock()
        self._pending = 0
        self._idle: queue.LifoQueue[_Runner] = queue.LifoQueue()  # the warmest worker first
        self._warmers: list[threading.Thread] = []  # starting workers ahead of their jobs
        self.runners: list[_Runner] = [
            _Thread(site) if threads else _Process(site.data_dir, site.db_path)
            for _ in range(self.size)]
        for runner in self.runners:
            self._idle.put(runner)

    def stats(self) -> dict[str, int]:
        """Jobs running or waiting, the bounds, and the workers started and loaded."""
        return {"workers": self.size, "queue": self.waiting, "pending": self._pending,
                "started": sum(isinstance(r, _Process) and r.started for r in self.runners)}

    def start(self) -> None:
        """Start every worker process now, in the background (else each starts with its
        first job, which then waits for it)."""
        for runner in self.runners:
            if isinstance(runner, _Process):
                warmer = threading.Thread(target=runner.warm, daemon=True)
                self._warmers.append(warmer)
                warmer.start()

    def ready(self) -> bool:
        """The workers started ahead of their first job have finished starting (a worker
        stopped later starts again with its next job)."""
        return not any(w.is_alive() for w in self._warmers)

    def close(self) -> None:
        """Stop every worker."""
        for runner in self.runners:
            runner.stop()

    async def run(self, job: Job) -> tuple[bytes, str]:
        """The rendered body and media type of ``job``; ApiError when refused or failed."""
        with self._admitted(job):
            reply = await anyio.to_thread.run_sync(self._call, job)
        return _unpack(reply, job)

    @contextmanager
    def _admitted(self, job: Job) -> Iterator[None]:
        """Room for one more job: ``waiting`` uploads may queue; a page (rendered once, then
        cached, and one of a bounded set: an analysis per snapshot date) may queue behind
        PAGE_QUEUE times as many, still within the time limit of a wait for a worker."""
        waiting = self.waiting if job.posted is not None else self.waiting * PAGE_QUEUE
        with self._lock:
            if self._pending >= self.size + waiting:
                raise _busy(f"{self._pending} heavy requests are running or waiting")
            self._pending += 1
        try:
            yield
        finally:
            with self._lock:
                self._pending -= 1

    def _call(self, job: Job) -> Reply:
        try:
            runner = self._idle.get(timeout=self.seconds)
        except queue.Empty:
            raise _busy(f"no worker was free within {self.seconds:g} s") from None
        try:
            return runner.call(job, self.seconds)
        finally:
            self._idle.put(runner)


def _busy(why: str) -> ApiError:
    return error("busy", f"the server is busy ({why}); try again in {RETRY_AFTER} s",
                 retry_after=RETRY_AFTER)


def _unpack(reply: Reply, job: Job) -> tuple[bytes, str]:
    kind = reply[0]
    if kind == "ok":
        body, media_type = reply[1], reply[2]
        assert isinstance(body, bytes) and isinstance(media_type, str)
        return body, media_type
    if kind == "error":
        status, code, message, suggestions, what = reply[1:6]
        raise ApiError(int(str(status)), str(code), str(message),
                       tuple(str(s) for s in suggestions or ()),  # type: ignore[attr-defined]
                       str(what) if what else None)
    if kind == "timeout":
        if job.posted is not None:
            raise error("timeout", f"the document took longer than the server's limit of "
                        f"{reply[1]} s; split it, or run `sdpatlas code` on your machine")
        raise error("time-limit", f"the page took longer than the server's limit of "
                    f"{reply[1]} s", retry_after=RETRY_AFTER)
    from sdpatlas.web._app import log

    log.error("heavy request %s failed: %s", job.endpoint, reply[1])
    raise error("server-error", "something went wrong on the server; the error has been "
                "logged")


class _Thread:
    """A worker slot that renders in a thread of this process."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def call(self, job: Job, seconds: float) -> Reply:
        return handle(self.site, job)

    def stop(self) -> None:
        return None


class _Process:
    """One worker process, started on demand and killed when its job overruns."""

    def __init__(self, data_dir: Path, db_path: Path) -> None:
        self.args = [str(data_dir), str(db_path)]
        self.process: subprocess.Popen[bytes] | None = None
        self.started = False  # the process has loaded its dataset and answers jobs
        self._starting = threading.Lock()

    def ensure(self) -> subprocess.Popen[bytes]:
        """The running worker process, started and ready (its dataset loaded) if need be."""
        with self._starting:
            if self.process is None or self.process.poll() is not None:
                self.stop()
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "sdpatlas.web._worker", *self.args],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
                    start_new_session=True)
                assert self.process.stdout is not None
                _read(self.process.stdout, time.monotonic() + STARTUP)
                self.started = True
            return self.process

    def warm(self) -> None:
        """Start the worker ahead of its first job (a failure is met again by that job).

        A pool shut down meanwhile closes the worker's pipes under it (ValueError)."""
        try:
            self.ensure()
        except (OSError, EOFError, TimeoutError, ValueError):
            self.stop()

    def call(self, job: Job, seconds: float) -> Reply:
        try:
            process = self.ensure()
        except (OSError, EOFError, TimeoutError) as exc:
            self.stop()
            return ("crash", f"the worker did not start ({type(exc).__name__})")
        assert process.stdin is not None and process.stdout is not None
        deadline = time.monotonic() + seconds
        try:
            _write(process.stdin, job)
            reply = _read(process.stdout, deadline)
        except TimeoutError:
            self.stop()
            return ("timeout", f"{seconds:g}")
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            self.stop()
            return ("crash", f"the worker stopped ({type(exc).__name__})")
        assert isinstance(reply, tuple)
        return reply

    def stop(self) -> None:
        process, self.process = self.process, None
        self.started = False
        if process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(HEADER, "big") + data)
    stream.flush()


def _read(stream: IO[bytes], deadline: float | None = None) -> object:
    size = int.from_bytes(_exactly(stream, HEADER, deadline), "big")
    return pickle.loads(_exactly(stream, size, deadline))


def _exactly(stream: IO[bytes], size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([stream], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(stream.fileno(), min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def handle(site: Site, job: Job) -> Reply:
    """Render one job: ("ok", body, media type), ("error", …) or ("crash", traceback)."""
    from sdpatlas.web._endpoint import Ctx, render_body
    from sdpatlas.web._forms import render_upload
    from sdpatlas.web._params import Args

    endpoint = next(e for e in site.endpoints if e.name == job.endpoint)
    params = endpoint.form.params if endpoint.form is not None else endpoint.all_params
    args = Args(values=job.values, fmt=job.fmt, path_given=job.path_given, params=params)
    urls = replace(site.urls(job.root), dated=job.dated)
    ctx = Ctx(site=site, args=args, endpoint=endpoint, urls=urls, posted=job.posted)
    try:
        body, media_type = render_upload(ctx) if endpoint.form is not None \
            else render_body(ctx)
    except ApiError as exc:
        return ("error", exc.status, exc.code, exc.message, exc.suggestions, exc.kind)
    except Exception:  # a bug: reported to the server's log, never to the client
        return ("crash", traceback.format_exc(limit=20)[-4000:])
    return ("ok", body, media_type)


def _watch_parent(parent: int) -> None:
    def check(signum: int, frame: object) -> None:
        if os.getppid() != parent:
            os._exit(0)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, 1.0, 1.0)


def main(argv: list[str]) -> None:
    """A worker on DATA_DIR and its database DB_PATH: answer jobs until the input ends."""
    from sdpatlas.web._openapi import openapi
    from sdpatlas.web._site import Site
    from sdpatlas.web.views import DOWNLOADS, SERVED

    _watch_parent(os.getppid())
    os.nice(NICE)
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # a stray print, even from C, must not corrupt the replies
    sys.stdout = sys.stderr
    site = Site(Path(argv[0]), SERVED, Path(argv[1]))
    site.spec = openapi(site, SERVED, DOWNLOADS)
    site.warm_analyses()  # imports, rules and every snapshot's analysis, before the first job
    _write(outbox, ("ready",))
    while True:
        try:
            job = _read(inbox)
        except EOFError:
            return
        assert isinstance(job, Job)
        _write(outbox, handle(site, job))

