"""Every comparative finding at once, and the findings about one partner or one area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sdpatlas.analysis._areas import AreaShare, CoreAreas, area_shares, core_areas
from sdpatlas.analysis._consistency import Consistency, consistency
from sdpatlas.analysis._contrasts import (
    AreaContrast,
    Contrast,
    GroupCoverage,
    contrasts,
    group_coverage,
    partner_groups,
)
from sdpatlas.analysis._evolution import Evolution, FirstAppearance, evolution
from sdpatlas.analysis._predict import Evaluation, Prediction, evaluate, predict
from sdpatlas.analysis._profiles import Profiles, profiles
from sdpatlas.analysis._similarity import (
    Clustering,
    Nearest,
    Similarity,
    clustering,
    identical_profiles,
    similarity,
)
from sdpatlas.analysis._tailored import Distinctive, omissions, tailored
from sdpatlas.model import AreaId, Dataset, PartyCode

__all__ = ["Analysis", "AreaFindings", "PartnerFindings", "analyse", "area_findings",
           "partner_findings"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """The comparative findings over the signed, assessed partnerships as of a day.

    ``prospects`` predicts every signed partnership that is not yet assessed (those in
    ``profiles.excluded``); ``evaluation`` is the predictor's leave-one-out record.
    """

    profiles: Profiles
    areas: CoreAreas
    tailored: Mapping[PartyCode, tuple[Distinctive, ...]]
    omissions: Mapping[PartyCode, tuple[Distinctive, ...]]
    similarity: Similarity
    identical: tuple[tuple[PartyCode, ...], ...]
    clustering: Clustering
    groups: tuple[GroupCoverage, ...]
    contrasts: tuple[Contrast, ...]
    consistency: tuple[Consistency, ...]
    evolution: Evolution
    prospects: tuple[Prediction, ...]
    evaluation: Evaluation

    @property
    def as_of(self) -> dt.date | None:
        """The cut-off date, if any."""
        return self.profiles.as_of

    def contrast(self, key: str) -> Contrast | None:
        """A contrast by key (e.g. ``europe-vs-indo-pacific``), if both sides had partners."""
        return next((c for c in self.contrasts if c.key == key), None)


def analyse(data: Dataset, as_of: dt.date | None = None, *, near: int | None = None,
            rare_max: int = 2) -> Analysis:
    """Compute every finding (signed by ``as_of`` and groups as of then, if given)."""
    p = profiles(data, as_of)
    shares = area_shares(p)
    sim = similarity(p)
    groups = partner_groups(data, p)
    return Analysis(
        profiles=p,
        areas=core_areas(p, near=near, rare_max=rare_max, shares=shares),
        tailored=tailored(p, shares), omissions=omissions(p, shares),
        similarity=sim, identical=identical_profiles(p), clustering=clustering(sim),
        groups=group_coverage(p, groups), contrasts=contrasts(p, groups),
        consistency=consistency(data, p), evolution=evolution(p),
        prospects=tuple(predict(data, p, code) for code in p.excluded),
        evaluation=evaluate(p))


@dataclass(frozen=True)
class PartnerFindings:
    """What the analysis says about one assessed partner."""

    partner: PartyCode
    tailored: tuple[Distinctive, ...]
    omissions: tuple[Distinctive, ...]
    nearest: Nearest | None
    identical_with: tuple[PartyCode, ...]
    consistency: Consistency | None


def partner_findings(result: Analysis, code: PartyCode) -> PartnerFindings | None:
    """The findings about one partner; None if it is not among the assessed partners."""
    if code not in result.profiles.partners:
        return None
    same = next((g for g in result.identical if code in g), ())
    return PartnerFindings(
        partner=code, tailored=result.tailored[code], omissions=result.omissions[code],
        nearest=next((n for n in result.similarity.nearest() if n.partner == code), None),
        identical_with=tuple(c for c in same if c != code),
        consistency=next((c for c in result.consistency if c.partner == code), None))


@dataclass(frozen=True)
class AreaFindings:
    """What the analysis says about one area: its share, its class, when it first
    appeared, and the contrasts on it, strongest (smallest p-value) first."""

    area: AreaId
    share: AreaShare
    standing: str
    first: FirstAppearance | None
    contrasts: tuple[tuple[Contrast, AreaContrast], ...]


def _standing(result: Analysis, area: AreaId) -> str:
    a = result.areas
    if area in a.core:
        return "core"
    if any(s.area == area for s in a.near_core):
        return "near-core"
    if any(s.area == area for s in a.rare):
        return "rare"
    return "uncovered" if area in a.uncovered else "other"


def area_findings(result: Analysis, area: AreaId) -> AreaFindings:
    """The findings about one area; KeyError if the area is unknown."""
    share = next((s for s in result.areas.shares if s.area == area), None)
    if share is None:
        raise KeyError(area)
    rows = sorted(((c, row) for c in result.contrasts for row in c.areas if row.area == area),
                  key=lambda pair: (pair[1].p_value, pair[0].key))
    return AreaFindings(area, share, _standing(result, area),
                        next((f for f in result.evolution.first if f.area == area), None),
                        tuple(rows))
