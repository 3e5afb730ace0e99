"""Comparisons and statistics over the model: pure functions returning typed values.

The CLI, the renderers and the web all consume these values; nothing here prints or
parses YAML. An area counts as *covered* when its status is ``yes`` (``already_exists``
means the agreement itself does not add it).

- ``_queries``: the matrix, comparisons, area coverage, the timeline, source usage.
- ``_profiles``: the signed, assessed partnerships every statistic rests on (signed but
  unassessed ones are excluded and listed).
- ``_areas``, ``_tailored``: common core, near-core, rare areas; tailored elements and
  omissions per partner.
- ``_similarity``: Jaccard and Hamming, nearest partners, identical profiles, clustering.
- ``_contrasts``: coverage by partner group and Fisher's exact test between groups.
- ``_consistency``: declared against coded counts, explained.
- ``_evolution``: coverage over time by signature date.
- ``_predict``: the likely profile of a prospective partner, with leave-one-out accuracy.
- ``_findings``: everything at once (:func:`analyse`) and per partner or area.
"""

from sdpatlas.analysis._areas import AreaShare, CoreAreas, area_shares, core_areas, default_near
from sdpatlas.analysis._consistency import (
    CONSISTENCY_CODES,
    GRANULARITY_NOTE,
    Consistency,
    consistency,
)
from sdpatlas.analysis._contrasts import (
    AreaContrast,
    Contrast,
    GroupCoverage,
    PartnerGroup,
    contrasts,
    fisher_p,
    group_coverage,
    partner_groups,
)
from sdpatlas.analysis._evolution import Evolution, FirstAppearance, Step, evolution
from sdpatlas.analysis._findings import (
    Analysis,
    AreaFindings,
    PartnerFindings,
    analyse,
    area_findings,
    partner_findings,
)
from sdpatlas.analysis._predict import (
    PRIOR,
    AreaPrediction,
    Evaluation,
    Neighbour,
    PartnerScore,
    Prediction,
    evaluate,
    predict,
)
from sdpatlas.analysis._profiles import REGION_LABELS, Profiles, features, profiles
from sdpatlas.analysis._queries import (
    ORDERS,
    PRIMARY_GROUPS,
    Comparison,
    Matrix,
    TimelineEntry,
    area_coverage,
    assessed,
    compare,
    matrix,
    not_assessed,
    primary_group,
    source_usage,
    timeline,
)
from sdpatlas.analysis._similarity import (
    Clustering,
    Merge,
    Nearest,
    Pair,
    Similarity,
    clustering,
    identical_profiles,
    similarity,
)
from sdpatlas.analysis._tailored import Distinctive, omissions, tailored

__all__ = [
    "CONSISTENCY_CODES",
    "GRANULARITY_NOTE",
    "ORDERS",
    "PRIMARY_GROUPS",
    "PRIOR",
    "REGION_LABELS",
    "Analysis",
    "AreaContrast",
    "AreaFindings",
    "AreaPrediction",
    "AreaShare",
    "Clustering",
    "Comparison",
    "Consistency",
    "Contrast",
    "CoreAreas",
    "Distinctive",
    "Evaluation",
    "Evolution",
    "FirstAppearance",
    "GroupCoverage",
    "Matrix",
    "Merge",
    "Nearest",
    "Neighbour",
    "Pair",
    "PartnerFindings",
    "PartnerGroup",
    "PartnerScore",
    "Prediction",
    "Profiles",
    "Similarity",
    "Step",
    "TimelineEntry",
    "analyse",
    "area_coverage",
    "area_findings",
    "area_shares",
    "assessed",
    "clustering",
    "compare",
    "consistency",
    "contrasts",
    "core_areas",
    "default_near",
    "evaluate",
    "evolution",
    "features",
    "fisher_p",
    "group_coverage",
    "identical_profiles",
    "matrix",
    "not_assessed",
    "omissions",
    "partner_findings",
    "partner_groups",
    "predict",
    "primary_group",
    "profiles",
    "similarity",
    "source_usage",
    "tailored",
    "timeline",
]
