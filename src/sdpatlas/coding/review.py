"""Putting a proposal before a person: a diff against the dataset, and a draft record.

The coder never edits reviewed data: a draft goes to a drafts folder, never into the
dataset's ``partnerships/`` folder, and never over an existing file unless asked.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sdpatlas import outputs
from sdpatlas.coding._errors import CodingError
from sdpatlas.coding.coder import Proposal
from sdpatlas.coding.propose import AreaProposal
from sdpatlas.model import Area, Coverage, Partnership

__all__ = ["DiffRow", "DraftError", "default_draft_path", "diff", "draft_record", "plain",
           "write_draft"]

VERDICTS = ("agree", "disagree", "new", "abstained")
_NOTE_QUOTE = 240


class DraftError(CodingError):
    """A draft cannot be written where asked."""

    code = "draft-refused"


@dataclass(frozen=True)
class DiffRow:
    """One area: the dataset's status, the proposed one, and the verdict."""

    area: Area
    dataset: Coverage
    proposed: AreaProposal
    verdict: str


def diff(proposal: Proposal, partnership: Partnership | None,
         areas: tuple[Area, ...]) -> list[DiffRow]:
    """Compare a proposal with the dataset's coding of a partnership, area by area.

    ``new``: the dataset has no coding (unknown) and the coder proposes one; ``abstained``:
    the coder proposes ``unknown``.
    """
    rows = []
    for area in areas:
        current = partnership.status_of(area.id) if partnership else Coverage.UNKNOWN
        proposed = proposal.area(area.id)
        if proposed.status is Coverage.UNKNOWN:
            verdict = "abstained"
        elif current is Coverage.UNKNOWN:
            verdict = "new"
        else:
            verdict = "agree" if current is proposed.status else "disagree"
        rows.append(DiffRow(area, current, proposed, verdict))
    return rows


def default_draft_path(partner: str, base: Path | None = None) -> Path:
    """``./sdpatlas-drafts/XXX.machine.yaml`` (beside, never inside, the dataset)."""
    return (base or Path.cwd()) / "sdpatlas-drafts" / f"{partner}.machine.yaml"


def draft_record(proposal: Proposal, partner: str, existing: dict[str, Any] | None,
                 today: dt.date | None = None) -> str:
    """The YAML text of a draft partnership record, machine-coded coverage marked as such."""
    source_id = f"draft-{proposal.source.sha256[:12]}"
    record: dict[str, Any] = plain(existing or {})
    record.setdefault("partner", partner)
    record.setdefault("status", "signed")
    record.setdefault("title", f"Security and Defence Partnership ({partner})")
    record.setdefault("summary", "Machine-coded draft; write a summary when reviewing.")
    record.setdefault("sources", [source_id])
    record["coverage_sources"] = [source_id]
    record["coverage"] = {c.area: _cell(c, source_id) for c in proposal.coverage}
    when = (today or dt.date.today()).isoformat()
    header = [
        "# MACHINE-CODED DRAFT: not reviewed, not part of the dataset.",
        f"# Written by `sdpatlas code` on {when} from {proposal.source.name}",
        f"# ({proposal.source.format}, sha256 {proposal.source.sha256}).",
        "# Every coverage cell was proposed by the coder; its note gives the confidence and the",
        "# evidence. Check each against the document, correct the statuses, add the document to",
        "# data/sources.yaml, then move the reviewed coverage into the partnership's file.",
        "# Suggested sources.yaml entry:",
        f"#   - id: {source_id}",
        f"#     title: {proposal.source.name}",
        "#     issuer: (who issued the document)",
        "#     kind: official",
        "#     confidence: unverified",
        "",
    ]
    body = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + body


def _cell(c: AreaProposal, source_id: str) -> dict[str, Any]:
    note = f"machine-coded, confidence {c.confidence:.2f}"
    if c.evidence:
        e = c.evidence[0]
        quote = e.quote if len(e.quote) <= _NOTE_QUOTE else e.quote[:_NOTE_QUOTE] + "…"
        note += f"; evidence [{e.segment}, {e.rule}]: {quote}"
    else:
        note += "; no evidence found in the document"
    return {"status": c.status.value, "sources": [source_id], "note": note}


def plain(value: Any) -> Any:
    """Mappings and sequences (also the line-remembering ones of yamlio) as plain values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def write_draft(text: str, path: Path, data_dir: Path, force: bool = False) -> Path:
    """Write a draft whole or not at all; refuse the dataset's own files, anything but a
    regular file and, unless ``force``, an existing draft (``OutputError`` when unwritable)."""
    target = path.resolve()
    data = data_dir.resolve()
    if target == data or data in target.parents:
        raise DraftError(f"{path} is inside the dataset ({data_dir}); drafts never go there, "
                         "choose another -o path")
    if os.path.lexists(path) and not force:
        raise DraftError(f"{path} already exists; pass --force to replace the draft, or "
                         "choose another -o path")
    return outputs.write_text(path, text)
