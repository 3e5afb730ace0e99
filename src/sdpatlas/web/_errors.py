"""The one error shape of the web layer, for JSON and for HTML.

Every failure the API reports is an :class:`ApiError`. Its JSON form is always::

    {"error": {"status": 404, "code": "unknown-partner",
               "message": "unknown partner 'japn'; did you mean JPN?",
               "suggestions": ["JPN"]}}

``code`` is stable (tests and clients rely on it); ``message`` says what to fix;
``suggestions`` holds canonical ids (partner codes, area numbers, group keys …)
that the request may have meant, and is empty when there is nothing to suggest.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sdpatlas.coding import REFUSAL_CODES
from sdpatlas.names import UnknownName
from sdpatlas.render.jsonable import JSON

__all__ = ["ERROR_CODES", "ApiError", "error", "unknown_name"]

REFUSALS = {
    "too-large": "it is larger than the coder's size limit",
    "too-many-pages": "a PDF with more pages than the page limit",
    "too-long": "its text is longer than the character limit",
    "empty": "there is no document, or no text in it",
    "encrypted": "a password-protected PDF or Office file",
    "corrupt": "the parser could not read it",
    "zip-bomb": "a DOCX whose archive expands beyond the limits",
    "binary": "bytes that are not text in any known encoding",
    "unsupported": "a format the coder does not read",
    "timeout": "parsing took longer than the time limit",
    "memory": "parsing needed more memory than the limit",
    "unreadable": "it cannot be read",
}

# code → (HTTP status, what it means); the OpenAPI schema and the docs read this registry.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "bad-parameter": (400, "A query parameter is malformed, out of range or repeated."),
    "too-many-parameters": (400, "The query string has more parameters than any page needs."),
    "not-comparable": (400, "A partner chosen for comparison has no coded areas."),
    "not-found": (404, "No page or resource at this address."),
    "unknown-partner": (404, "No partner matches the code or name given."),
    "unknown-area": (404, "No area of cooperation matches the number or name given."),
    "unknown-group": (404, "No partner group matches the key or label given."),
    "unknown-cluster": (404, "No area cluster matches the key or label given."),
    "no-rules": (404, "The dataset served has no usable SAFE rules (rules/safe.yaml), so no "
                      "SAFE answer can be given."),
    "unknown-version": (404, "No recorded dataset version has this name; the suggestions "
                             "list the recorded versions."),
    "versions-unavailable": (404, "Earlier dataset versions need the repository's history "
                                  "(a git clone); this server has none."),
    "cross-origin": (403, "A form was posted from another site; post it from this site's own "
                          "pages or from a client that sends no Origin header."),
    "bad-form": (400, "A posted form is malformed, has unknown fields or both text and a file."),
    "method-not-allowed": (405, "The method is not served at this address; the Allow header "
                                "lists those that are."),
    "content-too-large": (413, "The request body is larger than the server accepts."),
    "uri-too-long": (414, "The address (path and query string) is too long."),
    "unsupported-media-type": (415, "A form was posted in another encoding than "
                                    "multipart/form-data."),
    "bad-suggestion": (422, "A suggested correction cannot be made: no source address, no "
                            "such cell, or a correction without words."),
    "bad-rows": (422, "The bill of materials has bad rows (each named by line and reason); "
                      "nothing was checked."),
    **{code: (422, f"The document was refused by the coder: {REFUSALS.get(code, code)}.")
       for code in REFUSAL_CODES},
    "rate-limited": (429, "This client sent more expensive requests (uploads, the analysis) "
                          "than the server allows per minute; Retry-After says when to try "
                          "again."),
    "server-error": (500, "Something went wrong on the server; the error has been logged."),
    "busy": (503, "The server's pool for heavy requests is full; Retry-After says when to "
                  "try again."),
    "time-limit": (503, "The page took longer than the server's time limit to compute."),
}


class ApiError(Exception):
    """A failure reported to the client in the one error shape."""

    def __init__(self, status: int, code: str, message: str,
                 suggestions: tuple[str, ...] = (), kind: str | None = None,
                 retry_after: int | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unregistered error code {code!r}")
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.suggestions = suggestions
        self.kind = kind  # what the suggestions are: partner, area, group, cluster, version
        self.retry_after = retry_after  # seconds, sent as Retry-After (429, 503)

    def headers(self) -> dict[str, str]:
        """The headers this error's response carries."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}

    def payload(self) -> dict[str, JSON]:
        """The JSON body."""
        return {"error": {"status": self.status, "code": self.code, "message": self.message,
                          "suggestions": list(self.suggestions)}}


def error(code: str, message: str, suggestions: tuple[str, ...] = (),
          kind: str | None = None, retry_after: int | None = None) -> ApiError:
    """An ApiError with the status registered for its code."""
    return ApiError(ERROR_CODES[code][0], code, message, suggestions, kind, retry_after)


def _canonical(kind: str, shown: str) -> str:
    """The id inside a suggestion as :mod:`sdpatlas.names` words it ("Japan (JPN)" → JPN)."""
    pattern = {"partner": r"\(([^()]+)\)\s*$", "area": r"^(\d+)\b"}.get(kind)
    found = re.search(pattern, shown) if pattern else None
    return found.group(1) if found else shown


def unknown_name(exc: UnknownName, where: str,
                 known: Collection[str] | None = None) -> ApiError:
    """A 404 for a name that matched nothing; suggestions as canonical ids, only those
    ``known`` here when given (the partners that have a page, say)."""
    shown = [s for s in exc.suggestions if known is None or _canonical(exc.kind, s) in known]
    hint = f"; did you mean {', '.join(shown)}?" if shown else ""
    ids = tuple(dict.fromkeys(_canonical(exc.kind, s) for s in shown))
    return error(f"unknown-{exc.kind}",
                 f"unknown {exc.kind} {exc.text!r} in {where}{exc.why}{hint}", ids, exc.kind)
