"""Bounds on untrusted input: one record, shared by the CLI, the web API and the parsers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How much of a document the coder will read, and with what resources.

    ``memory`` bounds the address space the parser process may add to what it starts with;
    ``seconds`` its wall time (its CPU time too, one second later).
    """

    max_bytes: int = 50 * MiB
    max_pages: int = 1000
    max_chars: int = 5_000_000
    seconds: float = 60.0
    memory: int = 1536 * MiB
    max_unzipped: int = 200 * MiB
    max_zip_entries: int = 2000
    max_ratio: int = 200


DEFAULT_LIMITS = Limits()
