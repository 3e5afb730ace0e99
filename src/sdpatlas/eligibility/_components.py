"""The component-origin rule on a bill of materials, read as a stream.

At most ``max_share_percent`` (35 %) of the components' cost may originate outside the EU,
the EEA EFTA States and Ukraine (as of the date). Costs are exact decimals, so a share of
exactly 35 % passes. Only totals per origin and the largest non-European lines are kept in
memory, never the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from sdpatlas.eligibility._countries import Countries
from sdpatlas.eligibility._decision import Caveat
from sdpatlas.eligibility._engine import evaluate
from sdpatlas.eligibility._facts import source_confidence
from sdpatlas.eligibility._findings import BomError, Finding, finding
from sdpatlas.eligibility._rules import RuleSet
from sdpatlas.model import Confidence, Dataset
from sdpatlas.render.jsonable import JSON
from sdpatlas.render.words import count

COLUMNS = {
    "component": ("component", "item", "part", "description"),
    "cost": ("cost", "estimated_cost", "price", "value"),
    "origin": ("origin", "country_of_origin", "origin_country", "country"),
    "supplier": ("supplier", "supplier_country", "supplier_country_of_establishment"),
}
REQUIRED = ("component", "cost", "origin")
MAX_PROBLEMS = 50
_SHOWN = 60  # characters of an unknown country shown (and looked up for suggestions)
EUROPEAN, AGREEMENT, THIRD = "european", "agreement", "third-country"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class BomLine:
    """One component line: its file line, cost and countries (alpha-3)."""

    line: int
    component: str
    cost: Decimal
    origin: str
    supplier: str | None = None

    def as_dict(self) -> dict[str, JSON]:
        """JSON-ready mapping (cost as text, to stay exact)."""
        return {"line": self.line, "component": self.component, "cost": str(self.cost),
                "origin": self.origin, "supplier": self.supplier}


@dataclass(frozen=True)
class OriginTotal:
    """The cost of the components from one country, and how the rule counts them."""

    code: str
    name: str
    category: str
    cost: Decimal
    lines: int


@dataclass(frozen=True)
class ComponentReport:
    """The component rule's answer on one bill of materials."""

    file: str
    as_of: dt.date
    lines: int
    total: Decimal
    non_european: Decimal
    share_percent: Decimal
    limit_percent: Decimal
    verdict: str
    excess: Decimal
    offenders: tuple[BomLine, ...]
    offenders_cover_excess: bool
    agreement_cost: Decimal
    share_without_agreement_percent: Decimal
    origins: tuple[OriginTotal, ...]
    suppliers_outside: tuple[tuple[str, int], ...]
    ignored_columns: tuple[str, ...]
    caveats: tuple[Caveat, ...]
    provision: str
    sources: tuple[str, ...]
    confidence: Confidence

    @property
    def passes(self) -> bool:
        """Whether the non-European share is within the limit."""
        return self.verdict == "pass"

    def as_dict(self) -> dict[str, JSON]:
        """The JSON answer of ``sdpatlas components``."""
        return {
            "file": self.file, "as_of": self.as_of.isoformat(), "lines": self.lines,
            "total_cost": str(self.total), "non_european_cost": str(self.non_european),
            "non_european_share_percent": str(self.share_percent),
            "limit_percent": str(self.limit_percent), "passes": self.passes,
            "verdict": self.verdict, "excess_cost": str(self.excess),
            "offending_lines": [o.as_dict() for o in self.offenders],
            "offending_lines_cover_excess": self.offenders_cover_excess,
            "agreement_cost": str(self.agreement_cost),
            "share_without_agreement_percent": str(self.share_without_agreement_percent),
            "origins": [{"country": o.code, "name": o.name, "counts_as": o.category,
                         "cost": str(o.cost), "lines": o.lines} for o in self.origins],
            "suppliers_outside": [{"country": c, "lines": n} for c, n in self.suppliers_outside],
            "ignored_columns": list(self.ignored_columns),
            "caveats": [c.as_dict() for c in self.caveats],
            "rule": {"provision": self.provision, "sources": list(self.sources),
                     "confidence": self.confidence.value},
        }


class _Reader:
    """Streams the lines of a CSV file, collecting located problems instead of stopping."""

    def __init__(self, path: Path, countries: Countries) -> None:
        self.path = path
        self.name = str(path)
        self.countries = countries
        self.problems: list[Finding] = []
        self.more = 0
        self.ignored: tuple[str, ...] = ()
        self.resolved: dict[str, str | None] = {}

    def problem(self, code: str, message: str, line: int | None, column: str = "") -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(finding(code, message, file=self.name, line=line, field=column))
        else:
            self.more += 1

    def lines(self) -> Iterator[BomLine]:
        try:
            with _open_regular(self.path) as handle:
                yield from self._rows(handle)
        except _NotRegular as exc:
            self.problem("bom-unreadable", f"{exc}; give a CSV file", None)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.problem("bom-unreadable", f"cannot read the file: {exc}", None)

    def _rows(self, handle: Iterator[str]) -> Iterator[BomLine]:
        first = next(handle, "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        where = self._header(header)
        if where is None:
            return
        reader = csv.reader(handle, delimiter=delimiter)
        for row in reader:
            line = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            parsed = self._line(row, line, where)
            if parsed is not None:
                yield parsed

    def _header(self, header: list[str]) -> dict[str, int] | None:
        keys = [h.strip().casefold().replace(" ", "_").replace("-", "_") for h in header]
        where: dict[str, int] = {}
        for column, aliases in COLUMNS.items():
            found = next((i for i, k in enumerate(keys) if k in aliases), None)
            if found is not None:
                where[column] = found
        absent = [c for c in REQUIRED if c not in where]
        if absent:
            shown = ", ".join(h.strip() for h in header) or "nothing"
            self.problem("bom-columns", f"the header ({shown}) lacks {', '.join(absent)}; "
                         "expected component, cost, origin and optionally supplier", 1)
            return None
        self.ignored = tuple(h for i, h in enumerate(header) if i not in where.values())
        return where

    def _line(self, row: list[str], line: int, where: dict[str, int]) -> BomLine | None:
        def cell(column: str) -> str:
            index = where.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        cost = self._cost(cell("cost"), line)
        origin = self._country(cell("origin"), line, "origin", required=True)
        supplier = self._country(cell("supplier"), line, "supplier", required=False)
        if cost is None or origin is None:
            return None
        return BomLine(line, cell("component"), cost, origin, supplier)

    def _cost(self, text: str, line: int) -> Decimal | None:
        if not text:
            self.problem("bom-cost", "the cost is missing", line, "cost")
            return None
        try:
            value = Decimal(text.replace(" ", "").replace("_", ""))
        except InvalidOperation:
            self.problem("bom-cost", f"the cost {text!r} is not a number", line, "cost")
            return None
        if not value.is_finite():
            self.problem("bom-cost", f"the cost {text!r} is not a finite number", line, "cost")
            return None
        if value < 0:
            self.problem("bom-cost", f"the cost {text} is negative", line, "cost")
            return None
        return value

    def _country(self, text: str, line: int, column: str, required: bool) -> str | None:
        if not text:
            if required:
                self.problem("bom-country", f"the {column} country is missing", line, column)
            return None
        if text not in self.resolved:
            self.resolved[text] = self.countries.code(text)
        code = self.resolved[text]
        if code is None:
            if len(self.problems) >= MAX_PROBLEMS:
                self.more += 1
                return None
            shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
            hint = self.countries.suggest(text) if len(text) <= _SHOWN else ""
            self.problem("bom-country", f"unknown {column} country {shown!r}{hint}", line, column)
        return code


class _NotRegular(OSError):
    """The path names a FIFO, a device or a folder: reading it could block for ever."""


def _open_regular(path: Path) -> TextIO:
    """``path`` opened for reading as text, refused unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(f"{path} is not a regular file (a pipe, device or folder)")
        os.set_blocking(fd, True)
        return open(fd, encoding="utf-8-sig", newline="", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def read_bom(path: Path, data: Dataset) -> Iterator[BomLine]:
    """The good lines of a bill of materials, streamed; BomError at the end if any was bad."""
    reader = _Reader(path, Countries(data))
    yield from reader.lines()
    if reader.problems:
        raise BomError(tuple(reader.problems), reader.more)


class _Classifier:
    """How the rule counts each origin country on the day (cached per country)."""

    def __init__(self, data: Dataset, rules: RuleSet, as_of: dt.date) -> None:
        self.data, self.rules, self.as_of = data, rules, as_of
        self.codes = {p.code for p in data.parties}
        self.confidence = source_confidence(data)
        self.cache: dict[str, str] = {}

    def category(self, code: str) -> str:
        if code not in self.cache:
            self.cache[code] = self._category(code)
        return self.cache[code]

    def _category(self, code: str) -> str:
        if code not in self.codes:
            return THIRD
        decision = evaluate(self.data, self.rules, code, self.as_of, self.confidence)
        if decision.components_count_as_european:
            return EUROPEAN
        return AGREEMENT if decision.agreement_applies else THIRD


def check_components(path: Path, data: Dataset, rules: RuleSet, as_of: dt.date,
                     top: int = 20) -> ComponentReport:
    """Check a bill of materials against the component rule; BomError for bad rows."""
    countries = Countries(data)
    reader = _Reader(path, countries)
    classify = _Classifier(data, rules, as_of)
    tally = _Tally(top)
    for item in reader.lines():
        tally.add(item, classify.category(item.origin), classify.category(item.supplier)
                  if item.supplier else EUROPEAN)
    if reader.problems:
        raise BomError(tuple(reader.problems), reader.more)
    if tally.total <= 0:
        raise BomError((finding("bom-empty", f"{count(tally.lines, 'line')} and no cost above zero",
                                file=str(path)),))
    return tally.report(str(path), as_of, rules, countries, reader.ignored)


class _Tally:
    """Running totals and the largest non-European lines."""

    def __init__(self, top: int) -> None:
        self.top = max(top, 1)
        self.lines = 0
        self.total = Decimal(0)
        self.by_origin: dict[str, list[Decimal | int | str]] = {}
        self.heap: list[tuple[Decimal, int, BomLine]] = []
        self.suppliers: dict[str, int] = {}

    def add(self, item: BomLine, category: str, supplier_category: str) -> None:
        self.lines += 1
        self.total += item.cost
        entry = self.by_origin.setdefault(item.origin, [Decimal(0), 0, category])
        entry[0] = Decimal(entry[0]) + item.cost
        entry[1] = int(entry[1]) + 1
        if category != EUROPEAN:
            pushed = (item.cost, -item.line, item)
            if len(self.heap) < self.top:
                heapq.heappush(self.heap, pushed)
            elif pushed[:2] > self.heap[0][:2]:
                heapq.heapreplace(self.heap, pushed)
        if item.supplier and supplier_category != EUROPEAN:
            self.suppliers[item.supplier] = self.suppliers.get(item.supplier, 0) + 1

    def report(self, file: str, as_of: dt.date, rules: RuleSet, countries: Countries,
               ignored: tuple[str, ...]) -> ComponentReport:
        rule, limit = rules.components, rules.limit
        origins = tuple(sorted((OriginTotal(code, countries.name(code), str(v[2]),
                                            Decimal(v[0]), int(v[1]))
                                for code, v in self.by_origin.items()),
                               key=lambda o: (-o.cost, o.code)))
        outside = sum((o.cost for o in origins if o.category != EUROPEAN), Decimal(0))
        agreement = sum((o.cost for o in origins if o.category == AGREEMENT), Decimal(0))
        cap = limit.max_share_percent
        excess = max(outside - cap * self.total / HUNDRED, Decimal(0))
        offenders, covered = self._offenders(excess)
        verdict = ("pass" if outside * HUNDRED <= cap * self.total
                   else "depends-on-agreement" if (outside - agreement) * HUNDRED
                   <= cap * self.total else "fail")
        caveats = (Caveat("agreement-component-share", limit.agreement_note,
                          limit.agreement_sources, limit.agreement_confidence,
                          provision=str(rule.provision)),) if agreement else ()
        return ComponentReport(
            file=file, as_of=as_of, lines=self.lines, total=self.total, non_european=outside,
            share_percent=_percent(outside, self.total), limit_percent=cap, verdict=verdict,
            excess=excess.quantize(Decimal("0.01")), offenders=offenders,
            offenders_cover_excess=covered, agreement_cost=agreement,
            share_without_agreement_percent=_percent(outside - agreement, self.total),
            origins=origins, suppliers_outside=tuple(sorted(self.suppliers.items())),
            ignored_columns=ignored, caveats=caveats, provision=str(rule.provision),
            sources=rule.sources, confidence=rule.confidence)

    def _offenders(self, excess: Decimal) -> tuple[tuple[BomLine, ...], bool]:
        """The largest non-European lines whose re-sourcing in Europe would clear the excess."""
        if excess <= 0:
            return (), True
        chosen: list[BomLine] = []
        cleared = Decimal(0)
        for _, _, item in sorted(self.heap, reverse=True):
            chosen.append(item)
            cleared += item.cost
            if cleared >= excess:
                return tuple(chosen), True
        return tuple(chosen), False


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    """A share in per cent to three decimals, rounded up, so an excess never shows as 35."""
    if not whole:
        return Decimal(0)
    return (part * HUNDRED / whole).quantize(Decimal("0.001"), rounding=ROUND_CEILING)
