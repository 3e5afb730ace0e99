"""Small hand-written and large random datasets for the analysis tests and benchmarks.

A partner is written as a line of cells, one character per area: ``Y`` yes, ``N`` no,
``E`` already exists, ``?`` unknown.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sdpatlas.model import (
    Area,
    Cluster,
    Confidence,
    Coverage,
    CoverageCell,
    Dataset,
    DeclaredAreas,
    Event,
    Group,
    Membership,
    PartialDate,
    Partnership,
    PartnershipStatus,
    Party,
    Source,
)

CELLS = {"Y": Coverage.YES, "N": Coverage.NO, "E": Coverage.ALREADY_EXISTS,
         "?": Coverage.UNKNOWN}
GROUP_KEYS = ("eu-member", "eu-candidate", "eu-potential-candidate", "eea-efta", "efta",
              "nato-ally", "nato-pfp", "nato-global-partner")
REGIONS = ("europe", "north-america", "indo-pacific", "other")


@dataclass(frozen=True)
class Spec:
    """One partner of a synthetic dataset."""

    code: str
    cells: str
    region: str = "europe"
    groups: tuple[str, ...] = ()
    signed: str | None = "2024-01-01"
    declared: tuple[int, str] | None = None


def make(specs: Sequence[Spec], *, areas: int | None = None) -> Dataset:
    """A valid Dataset with one area per cell character and the given partners."""
    n_areas = areas if areas is not None else max((len(s.cells) for s in specs), default=1)
    area_list = tuple(Area(i, f"area-{i}", f"Area {i}", f"A{i}", "c", f"Area number {i}.")
                      for i in range(1, n_areas + 1))
    groups = tuple(Group(k, k.replace("-", " ").title(), "A group.", ("src",))
                   for k in GROUP_KEYS)
    parties = tuple(Party(s.code, f"Partner {s.code}", "country", s.region,
                          memberships=tuple(Membership(g, ("src",)) for g in s.groups))
                    for s in specs)
    partnerships = tuple(_partnership(s, n_areas) for s in specs)
    return Dataset(areas=area_list, clusters=(Cluster("c", "Cluster"),), groups=groups,
                   parties=parties, partnerships=partnerships,
                   sources=(Source("src", "A source", "Someone", "briefing",
                                   Confidence.VERIFIED, url="https://example.org/src"),),
                   content_hash="synthetic")


def _partnership(s: Spec, n_areas: int) -> Partnership:
    events = (Event("signed", PartialDate.parse(s.signed), ("src",)),) if s.signed else (
        Event("negotiations-launched", PartialDate(2025, 1, 1), ("src",)),)
    coverage = tuple(CoverageCell(i, CELLS[ch], ("src",))
                     for i, ch in enumerate(s.cells[:n_areas], start=1))
    declared = DeclaredAreas(s.declared[0], s.declared[1], ("src",)) if s.declared else None
    status = PartnershipStatus.SIGNED if s.signed else PartnershipStatus.NEGOTIATING
    return Partnership(s.code, status, f"SDP {s.code}", "A partnership.", ("src",),
                       events=events, declared=declared, coverage=coverage)


def random_specs(partners: int, areas: int, seed: int = 0) -> list[Spec]:
    """Random partners whose coverage leans on their region, as real partnerships do."""
    rng = random.Random(seed)
    lean = {r: [rng.random() for _ in range(areas)] for r in REGIONS}
    specs = []
    for i in range(partners):
        region = rng.choice(REGIONS)
        cells = "".join("Y" if rng.random() < 0.3 + 0.6 * lean[region][a] else "N"
                        for a in range(areas))
        groups = tuple(g for g in GROUP_KEYS if rng.random() < 0.25)
        day = f"20{20 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        specs.append(Spec(f"P{i:04d}", cells, region, groups, day, (rng.randint(5, areas),
                                                                     "areas")))
    return specs
