"""The coder's exceptions.

::

    CodingError                 anything the coder cannot do, with a message that says what to do
    ├── RefusedInput            a document refused before or while parsing (too large, encrypted, …)
    └── LexiconError            data/coding/lexicon.yaml is malformed or disagrees with the taxonomy
"""

from __future__ import annotations

from sdpatlas.errors import AtlasError

__all__ = ["CodingError", "LexiconError", "RefusedInput"]

# Stable codes of refusals; tests and the JSON output rely on them.
REFUSAL_CODES = (
    "too-large",        # the file is larger than the size limit
    "too-many-pages",   # a PDF with more pages than the page limit
    "too-long",         # the extracted text is longer than the character limit
    "empty",            # no bytes, or no text once extracted
    "encrypted",        # a password-protected PDF or Office file
    "corrupt",          # the parser could not read the file
    "zip-bomb",         # a DOCX whose archive expands beyond the limits
    "binary",           # bytes that are not text in any known encoding
    "unsupported",      # a format the coder does not read
    "timeout",          # parsing took longer than the time limit
    "memory",           # parsing needed more memory than the memory limit
    "unreadable",       # the path cannot be read (missing, a directory, no permission)
)


class CodingError(AtlasError):
    """Base class of the coder's errors."""

    code = "coding"


class RefusedInput(CodingError):
    """A document the coder will not read; ``code`` is one of ``REFUSAL_CODES``."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        if code not in REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(f"{message} ({code})" + (f"; {hint}" if hint else ""))
        self.code = code
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[RefusedInput], tuple[str, str, str]]:
        return (RefusedInput, (self.code, self.message, self.hint))


class LexiconError(CodingError):
    """The lexicon file is malformed or names areas the taxonomy does not have."""

    code = "lexicon-invalid"
