"""Running a parser in a separate process with memory, CPU-time and wall-time limits.

Parsers of PDF, DOCX and HTML have a history of denial-of-service bugs, so they never run in
the caller's process. A single-threaded caller (the CLI, a pool worker) forks the child
directly: a fork costs milliseconds and re-imports nothing. A caller with threads (a web
server) must not fork, so its children come from a fork server that has already imported
the parsers; as with any multiprocessing start method other than fork, a script that codes
documents that way needs the ``if __name__ == "__main__":`` guard.

A child never outlives its parent nor its time limit, even when the parent is killed with
``SIGKILL`` and cannot clean up: the kernel sends it ``SIGKILL`` when its parent dies (Linux
``PR_SET_PDEATHSIG``), a watchdog thread ends it when its parent changes (other systems), and
an alarm ends it a few seconds after the time limit whatever it is doing (blocked writing its
result to a parent that no longer reads, say).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from functools import cache
from multiprocessing.connection import Connection
from typing import Any

from sdpatlas.coding import _parsers
from sdpatlas.coding._errors import RefusedInput
from sdpatlas.coding.limits import Limits


def pool_context() -> Any:
    """The start method for process pools that code documents.

    Pool workers must not be plain forks of a process that may already talk to a fork
    server (they would inherit its state), so pools start from a fork server.
    """
    return _server()


def _ctx() -> Any:
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return _server()


@cache
def _server() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sdpatlas.coding._parsers"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - platforms without fork


def run(kind: str, data: bytes, limits: Limits) -> _parsers.Parsed:
    """Parse ``data`` as ``kind`` in a limited child process; RefusedInput on any failure."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(kind, data, limits, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            raise RefusedInput("timeout", f"parsing took longer than {limits.seconds:g} s",
                               "the file may be malformed; try another copy")
        message: tuple[Any, ...] = receive.recv()
    except EOFError:
        child.join(5)
        raise _died(child.exitcode, limits) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if message[0] == "ok":
        result: _parsers.Parsed = message[1]
        return result
    raise RefusedInput(message[1], message[2], message[3])


def _died(exitcode: int | None, limits: Limits) -> RefusedInput:
    if exitcode is not None and exitcode < 0:
        if -exitcode in (signal.SIGXCPU, signal.SIGKILL, signal.SIGALRM):
            return RefusedInput("timeout", f"parsing used more than {limits.seconds:g} s of CPU")
        return RefusedInput("corrupt", f"the parser crashed (signal {-exitcode}) on the file",
                            "check that the file opens elsewhere")
    return RefusedInput("memory", f"the parser stopped before finishing (exit code {exitcode}): "
                        "most likely it ran out of memory",
                        f"the memory limit is {limits.memory >> 20} MiB")


_PR_SET_PDEATHSIG = 1
_GRACE = 5  # seconds the alarm allows past the time limit


def die_with_parent() -> None:
    """End this process when its parent process ends (call it first thing in a child)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="watchdog").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _child(kind: str, data: bytes, limits: Limits, conn: Connection) -> None:
    die_with_parent()
    signal.alarm(int(limits.seconds) + _GRACE)
    _limit(limits)
    try:
        conn.send(("ok", _parsers.parse(kind, data, limits)))
    except RefusedInput as exc:
        conn.send(("refused", exc.code, exc.message, exc.hint))
    except MemoryError:
        conn.send(("refused", "memory", "parsing needed more memory than the limit of "
                   f"{limits.memory >> 20} MiB", ""))
    except RecursionError:
        conn.send(("refused", "corrupt", "the file nests too deeply to parse", ""))
    except Exception:  # a third-party reader failing on a malformed file: no internals shown
        conn.send(("refused", "corrupt", f"the {kind.upper()} reader could not parse the file",
                   "check that the file opens elsewhere"))
    finally:
        conn.close()


def _address_space() -> int:
    """The bytes of address space this process holds already (0 where unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit(limits: Limits) -> None:
    cpu = int(limits.seconds) + 1
    for which, value in ((resource.RLIMIT_AS, _address_space() + limits.memory),
                         (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, 0),
                         (resource.RLIMIT_CORE, 0)):
        _soft, hard = resource.getrlimit(which)
        new_hard = value if hard == resource.RLIM_INFINITY else min(hard, value)
        resource.setrlimit(which, (min(value, new_hard), new_hard))
