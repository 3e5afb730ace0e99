"""The web explorer and JSON API: server-rendered pages and ``/api/v1/`` from the same views.

``create_app(data_dir, options)`` returns a Starlette (ASGI) application that serves the
dataset of one folder, read once through the cached, read-only SQLite database
(:func:`sdpatlas.store.open_dataset`). ``sdpatlas serve`` runs it with uvicorn and the
limits of ``_server``; ``sdpatlas serve --workers N`` (or ``uvicorn --factory
sdpatlas.web.asgi:create``) runs several processes (the database never changes, so they
share nothing). Expensive requests (uploads, heavy pages such as the analysis) are rendered
in a bounded pool of worker processes, never on the event loop.

Layout:

- ``_endpoint``: :class:`Endpoint` (one view behind a page, a JSON route and a CSV route),
  :class:`Result`, :class:`Ctx`, :class:`Download`; conditional GET, ETag, body cache.
- ``_params``: :class:`Param` — declared once, parsed, bounded, and described in OpenAPI.
- ``_errors``: :class:`ApiError` and the registry of error codes (one JSON error shape).
- ``_forms``: :class:`Form` — an upload endpoint (a document posted as text or a file):
  its page takes GET and POST, its API route POST only, its body bounded before reading.
- ``_openapi``: ``/openapi.json``, built from the registry; ``/api`` renders it as docs.
- ``_app``: the application, security headers, limits, ``/healthz`` and error pages.
- ``_pool`` (and ``_worker``, its entry point): the bounded pool of worker processes for
  expensive requests, with a time limit and a bounded queue (503 + ``Retry-After``).
- ``_fairuse``: which requests are expensive, and the per-client rate limit (429).
- ``_options``: :class:`ServeOptions`, every limit of one server in one record.
- ``_server``: uvicorn with request deadlines, a connection cap and bounded logs;
  ``_access``: the access log (Combined Log Format).
- ``views/``: one module per subject; ``views/__init__.py`` holds the registry.
- ``templates/`` (Jinja2, always autoescaped) and ``static/`` (hand-written CSS and JS;
  the Content-Security-Policy forbids inline scripts and styles).

Adding a page and its API route (the recipe for later features)
---------------------------------------------------------------
1. Put the logic in the library (e.g. ``sdpatlas.eligibility``): a pure function that
   takes the :class:`~sdpatlas.model.Dataset` and returns typed values. The web layer
   only translates them; it never re-implements analysis.
2. Write ``views/<subject>.py`` with a view ``def my_view(ctx: Ctx) -> Result`` that reads
   parameters from ``ctx.args`` (already validated: codes, ids, keys), calls the library
   and returns ``Result(data=<JSON payload>, title=..., context={<values for the
   template>}, table=<render.table.Table for the CSV variant, or None>)``. Raise
   ``_errors.error("bad-parameter", "what to fix")`` for a bad request (register any new
   code in ``ERROR_CODES``).
3. Declare it at the bottom of the module::

       ENDPOINTS = (Endpoint(
           name="eligibility", page="/eligibility", api="/api/v1/eligibility",
           template="eligibility.html", csv=True, nav="Eligibility",
           params=(Param("partner", "partner", "The partner to check.", many=True),),
           summary="One line for the docs", description="What it returns, for the docs.",
           schema=schema("required", "keys")),)

   ``params`` gives validation, the canonical query string and the OpenAPI parameters;
   path parameters use ``where="path"`` and ``{name}`` in the paths.
4. Add ``*<subject>.ENDPOINTS`` to ``ENDPOINTS`` in ``views/__init__.py`` (before the
   ``api`` entry); ``nav`` puts it in the top bar, ``section`` files a sub-page under an
   existing entry.
5. Write ``templates/<subject>.html`` extending ``base.html``; use the macros in
   ``_macros.html`` (``formats(ctx)`` for the JSON/CSV links of a table). No inline
   ``<script>``, ``<style>`` or ``style=""``: add rules to ``static/atlas.css`` and
   behaviour to ``static/atlas.js``.
6. Test it in ``tests/test_web_<subject>.py`` with ``starlette.testclient.TestClient``;
   the existing tests already check that every API route appears in ``/openapi.json``
   with a summary and described parameters, that errors keep the one shape, and that
   pages carry no inline script or style.

A page that takes a posted document (``views/coder.py``, ``views/components.py``) is the
same, with ``form=Form(text=..., file=..., accept=..., max_body=..., params=(...))`` on its
``Endpoint`` and the endpoint listed in ``UPLOADS`` instead of ``ENDPOINTS``. Its view gets
the document as ``ctx.posted`` (``None`` for the empty form on GET) and the form's
parameters in ``ctx.args``; it raises ``ApiError`` for a refused document (the page shows
the form again with the error, the API answers in the one error shape). The view runs in a
worker process of the pool (``_pool``), so it must take only picklable values through
``ctx`` (it does: the document, the parameters); answers are never cached. OpenAPI
documents it as a ``POST`` with a ``multipart/form-data`` ``requestBody``. A page whose
view is slow gets ``heavy=True`` on its ``Endpoint``: it is rendered in the pool too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sdpatlas.web._app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    """``create_app`` on first use, so that a command importing only ``web._options`` (the
    CLI's help, for one) does not load Starlette and the views."""
    if name == "create_app":
        from sdpatlas.web._app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
