"""Hostile dates: extreme or endlessly varied ``as_of`` values cost at most one body each
snapshot, and never an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from webclient import TestClient, client_for

from sdpatlas.dataset import load
from sdpatlas.snapshots import Snapshots

from conftest import FIXTURE_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("path", ["/api/v1/matrix", "/api/v1/timeline", "/matrix", "/analysis"])
def test_the_ends_of_the_calendar_are_answered(client: TestClient, path: str, day: str) -> None:
    assert client.get(path, params={"as_of": day}).status_code == 200


def test_a_flood_of_dates_makes_one_body_per_snapshot(client: TestClient) -> None:
    snapshots = Snapshots.of(load(FIXTURE_DATA))
    start = snapshots.days[0] - dt.timedelta(days=400)
    days = [start + dt.timedelta(days=9 * i) for i in range(400)]
    tags = {client.get("/api/v1/timeline", params={"as_of": d.isoformat()}).headers["etag"]
            for d in days}
    assert len(tags) <= len(snapshots.days) + 1
