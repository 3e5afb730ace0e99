"""The registry of views: every page, API route and download the explorer serves.

Order matters only for the navigation bar (endpoints with a ``nav`` label, in order).
``ENDPOINTS`` are the read-only GET views; ``UPLOADS`` take a posted document (see
``_forms``); ``SERVED`` is every endpoint the app serves, in navigation order.
"""

from __future__ import annotations

from sdpatlas.web._endpoint import Download, Endpoint
from sdpatlas.web.views import (
    analysis,
    areas,
    coder,
    compare,
    components,
    context,
    data,
    eligibility,
    history,
    home,
    matrix,
    partners,
    suggest,
)

__all__ = ["DOWNLOADS", "ENDPOINTS", "SERVED", "UPLOADS"]

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
    *history.ENDPOINTS,
    *home.ENDPOINTS[1:],
)

UPLOADS: tuple[Endpoint, ...] = (*coder.ENDPOINTS, *components.ENDPOINTS, *suggest.ENDPOINTS)

SERVED: tuple[Endpoint, ...] = (*ENDPOINTS[:-1], *UPLOADS, ENDPOINTS[-1])

DOWNLOADS: tuple[Download, ...] = (*data.DOWNLOADS, *analysis.CHARTS)
