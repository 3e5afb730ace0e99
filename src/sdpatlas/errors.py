"""The one base of every error a user can meet: a stable code, a message and a hint.

::

    AtlasError                  code, message, hint; exit_code for the command line
    ├── OutputError             an output could not be written, or would replace what is not ours
    ├── InputError              an input file or stream cannot be read as asked
    └── (the library's own)     DatasetError, StoreError, CodingError, RulesError, BomError, …

    AtlasWarning                something a user should know that did not stop the work
    └── CacheUnavailable        the cache cannot be written; a temporary database is used

Front ends show an ``AtlasWarning`` as one ``warning: message`` line, and translate an
``AtlasError`` and nothing else: the command line prints
``error [code]: message`` and ``hint: …`` and exits with ``exit_code``; the web answers
with its one JSON error shape. Any other exception is a bug: it is reported as such
(one line, the version, how to report it), never dressed up as bad input.
"""

from __future__ import annotations

__all__ = ["AtlasError", "AtlasWarning", "InputError", "OutputError"]


class AtlasError(Exception):
    """An error a user can act on; ``code`` is stable, ``hint`` says what to do."""

    code = "error"
    hint = ""
    exit_code = 2

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if hint is not None:
            self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.code, self.hint))


def _rebuild(cls: type[AtlasError], message: str, code: str, hint: str) -> AtlasError:
    error = cls.__new__(cls)
    AtlasError.__init__(error, message, code=code, hint=hint)
    return error


class OutputError(AtlasError):
    """An output was refused or could not be written; nothing was changed."""

    code = "output"


class InputError(AtlasError):
    """An input file or stream cannot be read as asked."""

    code = "input"


class AtlasWarning(UserWarning):
    """Something a user should know that did not stop the work (the message says what)."""
