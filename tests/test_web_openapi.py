"""The OpenAPI document: complete, in step with the routes, and true (property test)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from starlette.routing import Route
from webclient import TestClient, client_for

from sdpatlas.web._errors import ERROR_CODES

from conftest import FIXTURE_DATA, REAL_DATA

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

API = ("/api/", "/downloads/")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _api_routes(client: TestClient) -> dict[str, Route]:
    app = client.app
    routes = app.routes  # type: ignore[attr-defined]
    return {r.path: r for r in routes
            if isinstance(r, Route) and (r.path.startswith(API) or r.path == "/api/v1")}


def _operation(item: dict[str, Any]) -> dict[str, Any]:
    """The one operation of a path: GET, or POST for the upload endpoints."""
    assert len(item) == 1
    return next(iter(item.values()))  # type: ignore[no-any-return]


def test_every_api_route_is_in_the_schema_and_documented(client: TestClient) -> None:
    from sdpatlas.web.views import UPLOADS

    spec = client.get("/openapi.json").json()
    routes = _api_routes(client)
    assert set(routes) == set(spec["paths"])
    posted = {e.api for e in UPLOADS} | {f"{e.api}.csv" for e in UPLOADS if e.csv}
    for path, item in spec["paths"].items():
        assert set(item) == ({"post"} if path in posted else {"get"}), path
        assert routes[path].methods == ({"POST"} if path in posted else {"GET", "HEAD"})
        op = _operation(item)
        assert op["summary"].strip() and len(op["description"]) > 30, path
        assert op["operationId"] and op["tags"]
        documented = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert documented == set(re.findall(r"{(\w+)}", path)), path
        for p in op["parameters"]:
            assert p["description"].strip(), f"{path} {p['name']}"
        assert "200" in op["responses"] and "400" in op["responses"]


def test_operation_ids_are_unique(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = [_operation(item)["operationId"] for item in spec["paths"].values()]
    assert len(ids) == len(set(ids))


def test_error_schema_lists_every_code(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["properties"]["code"]["enum"] == list(ERROR_CODES)


def test_docs_page_lists_every_operation_offline(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    page = client.get("/api").text
    for path, item in spec["paths"].items():
        assert f'id="op-{_operation(item)["operationId"]}"' in page, path
    assert "<script src=\"/static/atlas.js" in page
    assert "http://" not in page.split("<main")[1].split("</main>")[0].replace(
        "http://data.europa.eu", "")


def test_api_index_lists_the_operations(client: TestClient) -> None:
    index = client.get("/api/v1").json()
    spec = client.get("/openapi.json").json()
    assert [o["path"] for o in index["operations"]] == list(spec["paths"])
    assert index["openapi"] == "/openapi.json"


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield schemathesis.openapi.from_asgi("/openapi.json", c.app)


def _cases() -> list[tuple[str, str, GenerationMode]]:
    """Every documented path, with valid requests and, where there is a parameter, invalid."""
    from sdpatlas.web.views import DOWNLOADS, ENDPOINTS, UPLOADS

    paths = [(d.path, "GET", bool(d.params)) for d in DOWNLOADS]
    for e in ENDPOINTS:
        if e.api:
            paths += [(e.api, "GET", bool(e.all_params))]
            paths += [(f"{e.api}.csv", "GET", bool(e.all_params))] if e.csv else []
    paths += [(e.api, "POST", True) for e in UPLOADS if e.api]
    return [(path, method, mode) for path, method, has_params in paths
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            if has_params or mode is GenerationMode.POSITIVE]


def _form_valid(case: schemathesis.Case, schema: dict[str, Any]) -> bool:
    """Whether a generated form meets the documented request body (schemathesis mixes
    values it has seen into generated forms, so its own label is not always right)."""
    if not isinstance(case.body, dict):
        return False
    if any(isinstance(v, list) for v in case.body.values()):
        return False  # a list is sent as the field repeated: each field is documented once
    body = {k: v if isinstance(v, str) else "<file>" for k, v in case.body.items()}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return validator.is_valid(body)


@pytest.mark.parametrize(("path", "method", "mode"), _cases())
def test_api_conforms_to_its_schema_and_never_fails(api_schema: Any, path: str, method: str,
                                                    mode: GenerationMode) -> None:
    """Schemathesis: generated requests never get a 5xx; valid ones are accepted and invalid
    ones refused; the answers match the schema (status codes, content types, bodies)."""
    operation = api_schema[path][method]
    form = operation.definition.raw.get("requestBody", {}).get("content", {}).get(
        "multipart/form-data", {}).get("schema", {})
    # A form is judged below: a valid one is read, though its document may be refused (422).
    excluded = [positive_data_acceptance, negative_data_rejection] if method == "POST" else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        assert response.status_code < 500, (case.formatted_path, case.query, response.text)
        if response.status_code == 414:  # generated addresses can exceed the documented limit
            assert response.json()["error"]["code"] == "uri-too-long"
            return
        if method == "POST":  # a valid form is read, an invalid one refused
            expected = (200, 422) if _form_valid(case, form) else range(400, 500)
            assert response.status_code in expected, (case.body, response.text)
        case.validate_response(response, excluded_checks=excluded)

    check()
