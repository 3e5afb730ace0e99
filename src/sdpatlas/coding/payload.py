"""Plain JSON-ready values for proposals and evaluations (the CLI and the web share them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sdpatlas.coding.coder import Proposal
from sdpatlas.coding.evaluate import Evaluation
from sdpatlas.coding.intervals import Interval
from sdpatlas.coding.propose import Evidence

__all__ = ["evaluation_payload", "evidence_payload", "proposal_payload"]


def evidence_payload(e: Evidence) -> dict[str, Any]:
    """One piece of evidence: where, what it says, and which rule found it."""
    return {"segment": e.segment, "start": e.start, "end": e.end, "quote": e.quote,
            "rule": e.rule, "score": e.score, "polarity": e.polarity, "terms": list(e.terms),
            "cues": list(e.cues), "match": list(e.match)}


def proposal_payload(p: Proposal) -> dict[str, Any]:
    """``{source, segments, coverage}``: coverage maps area id → status, confidence, evidence."""
    source = asdict(p.source)
    source["warnings"] = list(p.source.warnings)
    return {
        "source": source,
        "segments": [{"id": s.id, "kind": s.kind, "start": s.start, "end": s.end,
                      "text": s.text, "paragraph": s.paragraph, "section": s.section}
                     for s in p.segments],
        "coverage": {str(c.area): {"status": c.status.value, "confidence": c.confidence,
                                   "evidence": [evidence_payload(e) for e in c.evidence]}
                     for c in p.coverage},
    }


def evaluation_payload(ev: Evaluation, errors: int | None = None) -> dict[str, Any]:
    """Scores per area and overall, and the errors (the first ``errors`` if given)."""
    mistakes = ev.mistakes if errors is None else ev.mistakes[:errors]
    return {
        "passages": ev.passages,
        "micro_f1": ev.micro_f1, "macro_f1": ev.macro_f1,
        "micro_f1_interval": _interval(ev.micro_interval),
        "macro_f1_interval": _interval(ev.macro_interval),
        "micro_precision": ev.micro_precision, "micro_recall": ev.micro_recall,
        "abstentions": ev.abstentions,
        "already_exists": {"correct": ev.already_exists_correct,
                           "total": ev.already_exists_total},
        "areas": [asdict(s) for s in ev.areas],
        "errors": [{"id": m.id, "area": m.area, "kind": m.kind, "status": m.status,
                    "text": m.text, "evidence": [evidence_payload(e) for e in m.evidence]}
                   for m in mistakes],
        "errors_total": len(ev.mistakes),
    }


def _interval(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval.low, interval.high]
