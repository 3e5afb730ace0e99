"""The registry of views: every page, API route and download the explorer serves.

Order matters only for the navigation bar (endpoints with a ``nav`` label, in order).
"""

from __future__ import annotations

from sdpatlas.web._endpoint import Download, Endpoint
from sdpatlas.web.views import (
    analysis,
    areas,
    compare,
    context,
    data,
    eligibility,
    home,
    matrix,
    partners,
)

__all__ = ["DOWNLOADS", "ENDPOINTS"]

ENDPOINTS: tuple[Endpoint, ...] = (
    *home.ENDPOINTS[:1],
    *matrix.ENDPOINTS,
    *partners.ENDPOINTS,
    *areas.ENDPOINTS,
    *compare.ENDPOINTS,
    *analysis.ENDPOINTS,
    *eligibility.ENDPOINTS,
    *context.ENDPOINTS,
    *data.ENDPOINTS,
    *home.ENDPOINTS[1:],
)

DOWNLOADS: tuple[Download, ...] = data.DOWNLOADS
