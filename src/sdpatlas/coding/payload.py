"""Plain JSON-ready values for proposals and evaluations (the CLI and the web share them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sdpatlas.coding.coder import Proposal
from sdpatlas.coding.evaluate import Evaluation
from sdpatlas.coding.intervals import Interval
from sdpatlas.coding.propose import Evidence

__all__ = ["evaluation_payload", "evidence_payload", "marked_quote", "proposal_payload"]

OPEN, CLOSE = "«", "»"


def evidence_payload(e: Evidence) -> dict[str, Any]:
    """One piece of evidence: where, what it says, and which rule found it."""
    return {"segment": e.segment, "start": e.start, "end": e.end, "quote": e.quote,
            "rule": e.rule, "score": e.score, "polarity": e.polarity, "terms": list(e.terms),
            "cues": list(e.cues), "match": list(e.match)}


def marked_quote(e: Evidence, limit: int | None = None) -> str:
    """The quote with the words that matched marked «like this»; with ``limit``, a window of
    about that many characters around them, cut at spaces and marked … where cut."""
    quote, (lo, hi) = e.quote, _match_span(e)
    if limit is not None and len(quote) > limit:
        quote, lo, hi = _window(quote, lo, hi, limit)
    if hi <= lo:
        return quote
    return quote[:lo] + OPEN + quote[lo:hi] + CLOSE + quote[hi:]


def _window(quote: str, lo: int, hi: int, limit: int) -> tuple[str, int, int]:
    start = max(0, min(lo - max(limit - (hi - lo), 0) // 2, len(quote) - limit))
    stop = max(hi, start + limit)
    if start:
        start = quote.rfind(" ", 0, start) + 1
    if stop < len(quote):
        space = quote.find(" ", stop)
        stop = len(quote) if space < 0 else space
    head, tail = ("…" if start else ""), ("…" if stop < len(quote) else "")
    return head + quote[start:stop] + tail, lo - start + len(head), hi - start + len(head)


def _match_span(e: Evidence) -> tuple[int, int]:
    """Where the match lies in the quote (``(0, 0)`` when it cannot be found there)."""
    lo, hi = e.match[0] - e.start, e.match[1] - e.start
    text = e.quote.rstrip("…")
    if 0 <= lo < hi <= len(text) and any(t.lower() in text[lo:hi].lower() or
                                         text[lo:hi].lower() in t.lower() for t in e.terms):
        return lo, hi
    folded = text.lower()
    for term in e.terms:
        at = folded.find(term.lower())
        if at >= 0:
            return at, at + len(term)
    return 0, 0


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
