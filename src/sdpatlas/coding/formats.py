"""The document formats the coder reads, and the file extensions that name them."""

from __future__ import annotations

__all__ = ["EXTENSIONS", "FORMATS"]

FORMATS = ("text", "markdown", "html", "pdf", "docx")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
