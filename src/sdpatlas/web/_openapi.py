"""The OpenAPI 3.1 description of the JSON API, built from the endpoint registry.

Nothing here is written by hand per route: paths, parameters, responses and
error codes all come from the :class:`~sdpatlas.web._endpoint.Endpoint` and
:class:`~sdpatlas.web._endpoint.Download` records and the error registry, so
the schema cannot drift from the routes (a test checks both ways).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sdpatlas import __version__
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import EXCEL
from sdpatlas.web._errors import ERROR_CODES
from sdpatlas.web._forms import request_body
from sdpatlas.web._params import Param, openapi_parameter

if TYPE_CHECKING:
    from sdpatlas.web._endpoint import Download, Endpoint
    from sdpatlas.web._site import Site

__all__ = ["openapi"]

ERROR_SCHEMA: dict[str, JSON] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {"error": {
        "type": "object",
        "required": ["status", "code", "message", "suggestions"],
        "additionalProperties": False,
        "properties": {
            "status": {"type": "integer", "description": "The HTTP status, repeated."},
            "code": {"type": "string", "enum": list(ERROR_CODES),
                     "description": "A stable code: " + "; ".join(
                         f"`{k}` ({s}) {m}" for k, (s, m) in ERROR_CODES.items())},
            "message": {"type": "string", "description": "What went wrong and how to fix it."},
            "suggestions": {"type": "array", "items": {"type": "string"},
                            "description": "Canonical ids the request may have meant."},
        },
    }},
}

DESCRIPTION = """\
Read-only access to SDP Atlas: the European Union's Security and Defence Partnerships as
sourced, comparable data. Every list is also available as CSV (add `.csv` to the path;
`?excel=1` gives the variant Excel on Windows opens as UTF-8).

* Partners are named by ISO 3166-1 alpha-3 code, name or alias (`JPN`, `japan`, `uk`);
  areas by their Table 1 number, key or label (`15`, `maritime-security`).
  A non-canonical name in a path redirects (301) to the canonical address.
* Every error has the same shape: `{"error": {"status", "code", "message", "suggestions"}}`.
* Responses carry an `ETag` derived from the dataset's content hash; send it back in
  `If-None-Match` to get `304 Not Modified`.
* Only `GET` (and `HEAD`) is served, except where a document is posted: `POST /api/v1/code`
  (the agreement coder) and `POST /api/v1/components` (a bill of materials), which take
  `multipart/form-data` and answer `422` when the document is refused. A form posted by a
  browser from another site is refused (`403`).
* Expensive requests (uploads, the analysis, a date whose answer is not cached yet) may be
  limited per client (`429`) and wait in a bounded queue (`503` when it is full); both
  carry `Retry-After`.
"""


def _error(description: str) -> dict[str, JSON]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _responses(params: Sequence[Param], ok: dict[str, JSON]) -> dict[str, JSON]:
    out: dict[str, JSON] = {
        "200": ok,
        "304": {"description": "Not modified: the `If-None-Match` ETag is current."},
        "400": _error("A parameter is malformed, out of range or repeated."),
        "414": _error("The address is too long."),
    }
    if any(p.kind in ("partner", "area", "group", "cluster") or p.where == "path"
           for p in params):
        out["404"] = _error("A partner, area, group or cluster is unknown; `suggestions` "
                            "lists the closest known ones.")
    if any(p.where == "path" for p in params):
        out["301"] = {"description": "Redirect to the canonical address (e.g. `uk` → `GBR`)."}
    return out


def _limited(responses: dict[str, JSON], what: str) -> dict[str, JSON]:
    """The answers of an expensive request: rate limited, and refused when the pool is full."""
    return {**responses,
            "429": _error(f"Too many {what} from this client; retry after `Retry-After` "
                          "seconds."),
            "503": _error("The server's pool for heavy requests is full (`busy`) or the "
                          "answer took too long (`time-limit`); retry after `Retry-After` "
                          "seconds.")}


def _operation(site: Site, e: Endpoint, fmt: str) -> dict[str, JSON]:
    params = (*e.all_params, EXCEL) if fmt == "csv" else e.all_params
    if fmt == "csv":
        ok: dict[str, JSON] = {"description": "The same result as CSV (header row of keys; "
                               "formula-like text neutralised).",
                               "content": {"text/csv": {"schema": {"type": "string"}}}}
    else:
        schema: dict[str, JSON] = {"type": "object", **e.schema}
        ok = {"description": "The result as JSON.",
              "content": {"application/json": {"schema": schema}}}
    description = e.description
    if e.page is not None:
        description += f"\n\nThe same view as a page: `{e.page}`."
    return {"operationId": e.name + ("_csv" if fmt == "csv" else ""),
            "summary": e.summary + (" (CSV)" if fmt == "csv" else ""),
            "description": description, "tags": [e.tag],
            "parameters": [openapi_parameter(p, site.data) for p in params],
            "responses": _limited(_responses(params, ok), "expensive requests")
            if e.heavy or any(p.kind == "date" for p in params) else _responses(params, ok)}


def _upload(site: Site, e: Endpoint) -> dict[str, JSON]:
    assert e.form is not None
    schema: dict[str, JSON] = {"type": "object", **e.schema}
    ok: dict[str, JSON] = {"description": "The result as JSON.",
                           "content": {"application/json": {"schema": schema}}}
    refused = [k for k, (status, _) in ERROR_CODES.items() if status == 422]
    if e.form.download is not None:
        ok["description"] = "The result as JSON, or as a file when asked (`download=1`)."
        ok["content"] = {"application/json": {"schema": schema},
                         e.form.download[0].split(";")[0]: {"schema": {"type": "string"}}}
    responses: dict[str, JSON] = {
        "200": ok,
        "400": _error("The form is malformed: an unknown or repeated field, both text and a "
                      "file, or a bad parameter."),
        "413": _error(f"The request body is over {e.form.max_body:,} bytes."),
        "403": _error("A browser posted the form from another site (`cross-origin`)."),
        "415": _error("The body is not multipart/form-data."),
        "422": _error("The document was refused; `code` says why (one of "
                      + ", ".join(f"`{k}`" for k in refused) + ")."),
    }
    if any(p.kind in ("partner", "area") for p in e.form.params):
        responses["404"] = _error("A partner or area named in the form is unknown; "
                                  "`suggestions` lists the closest known ones.")
    responses = _limited(responses, "uploads")
    op: dict[str, JSON] = {
        "operationId": e.name, "summary": e.summary, "description": e.description,
        "tags": [e.tag], "parameters": [], "requestBody": request_body(e.form, site),
        "responses": responses}
    if e.page is not None:
        op["description"] = f"{e.description}\n\nThe same form as a page: `{e.page}`."
        op["x-page"] = e.page
    return op


def _upload_csv(site: Site, e: Endpoint) -> dict[str, JSON]:
    op = _upload(site, e)
    responses = op["responses"]
    assert isinstance(responses, dict)
    ok: dict[str, JSON] = {"description": "The result's table as CSV (header row of keys; "
                           "formula-like text neutralised).",
                           "content": {"text/csv": {"schema": {"type": "string"}}}}
    op.pop("x-page", None)
    return {**op, "operationId": f"{e.name}_csv", "summary": e.summary + " (CSV)",
            "responses": {**responses, "200": ok}}


def _download(site: Site, d: Download) -> dict[str, JSON]:
    body: dict[str, JSON] = {"type": "object"} if d.media_type == "application/json" \
        else {"type": "string", "format": "binary"}
    ok: dict[str, JSON] = {"description": f"The file ({d.media_type}).",
                           "content": {d.media_type: {"schema": body}}}
    return {"operationId": "download_" + d.name.replace("-", "_"), "summary": d.summary,
            "description": d.description, "tags": ["downloads"],
            "parameters": [openapi_parameter(p, site.data) for p in d.params],
            "responses": _responses(d.params, ok)}


def openapi(site: Site, endpoints: Sequence[Endpoint],
            downloads: Sequence[Download]) -> dict[str, JSON]:
    """The OpenAPI document of every API route and download."""
    paths: dict[str, JSON] = {}
    for e in endpoints:
        if e.api is None:
            continue
        if e.form is not None:
            paths[e.api] = {"post": _upload(site, e)}
            if e.csv:
                paths[f"{e.api}.csv"] = {"post": _upload_csv(site, e)}
            continue
        paths[e.api] = {"get": _operation(site, e, "json")}
        if e.csv:
            paths[f"{e.api}.csv"] = {"get": _operation(site, e, "csv")}
    for d in downloads:
        paths[d.path] = {"get": _download(site, d)}
    tags: list[JSON] = [
        {"name": "explore", "description": "Partners, areas, the matrix and comparisons."},
        {"name": "context", "description": "Timeline, sources, conflicting claims and the "
                                           "dataset's versions."},
        {"name": "downloads", "description": "The whole dataset as files."},
        {"name": "documents", "description": "Post a document: the agreement coder, the "
                                             "bill-of-materials check and suggested "
                                             "corrections."},
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "SDP Atlas API", "version": __version__, "description": DESCRIPTION,
                 "license": {"name": "CC-BY-4.0 (data), MIT (code)"}},
        "tags": tags,
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA}},
    }
