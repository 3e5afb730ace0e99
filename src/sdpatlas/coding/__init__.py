"""The agreement coder: read a document, propose its areas of cooperation with evidence.

::

    from sdpatlas.coding import Coder
    coder = Coder.from_data(data_dir, dataset.areas)
    proposal = coder.code_path(Path("agreement.pdf"))
    proposal.area(15).status, proposal.area(15).evidence[0].quote

Errors (see ``_errors``): ``CodingError`` ▸ ``RefusedInput`` (a document refused, with a
stable ``code``) and ``LexiconError`` (the lexicon file is wrong).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sdpatlas.coding._errors import REFUSAL_CODES, CodingError, LexiconError, RefusedInput
    from sdpatlas.coding._sandbox import die_with_parent, pool_context
    from sdpatlas.coding.coder import Coder, Proposal, SourceInfo, lexicon_path, wordlist_path
    from sdpatlas.coding.limits import DEFAULT_LIMITS, Limits
    from sdpatlas.coding.propose import AreaProposal, Evidence

# Each name is imported from its module on first use, so that importing the package (for
# its error codes, say) does not load the tagger and the parsers.
_HOMES = {
    **dict.fromkeys(("REFUSAL_CODES", "CodingError", "LexiconError", "RefusedInput"), "_errors"),
    **dict.fromkeys(("die_with_parent", "pool_context"), "_sandbox"),
    **dict.fromkeys(("Coder", "Proposal", "SourceInfo", "lexicon_path", "wordlist_path"),
                    "coder"),
    **dict.fromkeys(("DEFAULT_LIMITS", "Limits"), "limits"),
    **dict.fromkeys(("AreaProposal", "Evidence"), "propose"),
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'sdpatlas.coding' has no attribute {name!r}")
    return getattr(importlib.import_module(f"sdpatlas.coding.{home}"), name)

__all__ = [
    "DEFAULT_LIMITS",
    "REFUSAL_CODES",
    "AreaProposal",
    "Coder",
    "CodingError",
    "Evidence",
    "LexiconError",
    "Limits",
    "Proposal",
    "RefusedInput",
    "SourceInfo",
    "die_with_parent",
    "lexicon_path",
    "pool_context",
    "wordlist_path",
]
