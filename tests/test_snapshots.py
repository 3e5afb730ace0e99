"""Snapshots: every as-of answer is the same for a date and for its canonical date."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from functools import cache
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from synthetic import GROUP_KEYS, Spec
from synthetic import make as dataset
from webclient import TestClient, client_for

from sdpatlas import analysis
from sdpatlas.dataset import load
from sdpatlas.eligibility import RuleSet, evaluate, evaluate_all, load_rules
from sdpatlas.model import Dataset, Membership, PartialDate
from sdpatlas.render.analysis import analysis_payload
from sdpatlas.render.jsonable import jsonable
from sdpatlas.render.matrix import matrix_payload
from sdpatlas.render.profiles import area_payload, partner_payload
from sdpatlas.snapshots import Snapshots, canonical_as_of, snapshot_dates
from sdpatlas.web._endpoint import Ctx, render_body
from sdpatlas.web._params import Args, Value
from sdpatlas.web._site import Site
from sdpatlas.web.views import SERVED

from conftest import REAL_DATA

DAY = dt.timedelta(days=1)


@cache
def _real() -> tuple[Dataset, RuleSet, Snapshots]:
    data = load(REAL_DATA)
    rules = load_rules(REAL_DATA, data)
    return data, rules, Snapshots.of(data, rules)


def _answer(compute: Callable[[], object]) -> object:
    """A computation's JSON, or the error it raised (an error is an answer too)."""
    try:
        return compute()
    except (ValueError, KeyError, LookupError) as exc:
        return {"error": type(exc).__name__, "message": str(exc)}


def _matrix(data: Dataset, day: dt.date, order: str = "date",
            groups: tuple[str, ...] = ()) -> object:
    return matrix_payload(analysis.matrix(data, as_of=day, order=order, groups=groups))


def _analysis(data: Dataset, day: dt.date) -> object:
    return analysis_payload(analysis.analyse(data, day), data)


def _answers(day: dt.date) -> dict[str, object]:
    """What every as-of computation answers on a day, as JSON."""
    data, rules, _ = _real()
    return {
        "matrix": _answer(lambda: _matrix(data, day)),
        "matrix by group": _answer(lambda: _matrix(data, day, order="group")),
        "matrix of NATO allies": _answer(lambda: _matrix(data, day, groups=("nato-ally",))),
        "partners": [partner_payload(data, p.code, day) for p in data.parties],
        "areas": [area_payload(data, a.id, day) for a in data.areas],
        "analysis": _answer(lambda: _analysis(data, day)),
        "timeline": jsonable(analysis.timeline(data, day)),
        "eligibility": [d.as_dict() for d in evaluate_all(data, rules, day)],
    }


@cache
def _text(day: dt.date) -> str:
    return json.dumps(_answers(day), sort_keys=True, default=str)


@cache
def _written_days() -> tuple[dt.date, ...]:
    """Every date written anywhere in data/ (found in the text, not through the code tested)."""
    found = set()
    for path in REAL_DATA.rglob("*.yaml"):
        for text in re.findall(r"\b(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\b", path.read_text()):
            year, month, day = (int(part) if part else 1 for part in text)
            if 1900 < year < 2100 and 1 <= month <= 12:
                with suppress(ValueError):
                    found.add(dt.date(year, month, day))
    return tuple(sorted(found))


@st.composite
def days(draw: st.DrawFn) -> dt.date:
    """Any day from long before the first date in data/ to long after the last, often next to
    a date written there."""
    written = _written_days()
    near = draw(st.sampled_from(written)) + draw(st.integers(-2, 2)) * DAY
    anywhere = draw(st.dates(written[0] - 800 * DAY, written[-1] + 800 * DAY))
    return draw(st.sampled_from((near, anywhere)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_every_answer_is_the_same_on_the_canonical_date(day: dt.date) -> None:
    canonical = _real()[2].canonical(day)
    assume(canonical == day or day.isoformat() not in _text(canonical))
    assert _text(day).replace(day.isoformat(), canonical.isoformat()) == _text(canonical)


def test_a_change_day_changes_some_answer() -> None:
    _, _, snapshots = _real()
    signed = next(d for d in snapshots.days if d == dt.date(2024, 5, 21))  # Moldova's SDP
    assert snapshots.canonical(signed - DAY) < signed
    assert _text(signed - DAY).replace((signed - DAY).isoformat(), signed.isoformat()) \
        != _text(signed)


@given(days(), days())
def test_canonical_is_idempotent_monotonic_and_never_after_a_change(a: dt.date,
                                                                     b: dt.date) -> None:
    snapshots = _real()[2]
    ca = snapshots.canonical(a)
    assert snapshots.canonical(ca) == ca
    assert a > b or ca <= snapshots.canonical(b)
    assert not any(ca < change <= a for change in snapshots.days)
    assert ca <= a or ca == snapshots.days[0] - DAY


def test_rule_windows_count_from_their_start_and_the_day_after_their_end() -> None:
    data, rules, snapshots = _real()
    borrowing = next(r for r in rules.rules if r.window.end is not None)
    assert borrowing.window.start in snapshots.days
    assert borrowing.window.end is not None
    assert borrowing.window.end + DAY in snapshots.days
    assert borrowing.window.end + DAY not in snapshot_dates(data)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
    fields = draw(st.integers(1, 3))
    return PartialDate(day.year, *(day.month, day.day)[:fields - 1])


@st.composite
def partial_datasets(draw: st.DrawFn) -> Dataset:
    """Up to five partners signed on partial dates, in groups joined and left on partial dates."""
    n = draw(st.integers(2, 5))
    cells = st.text("YNE?", min_size=4, max_size=4)
    specs = [Spec(f"P{i}", draw(cells), signed=str(draw(partial_dates()))) for i in range(n)]
    data = dataset(specs)
    parties = []
    for party in data.parties:
        spans = draw(st.lists(st.tuples(st.sampled_from(GROUP_KEYS), partial_dates(),
                                        st.none() | partial_dates()), max_size=3))
        joined = tuple(Membership(g, ("src",), since=min(a, b) if b else a,
                                  until=max(a, b) if b else None) for g, a, b in spans)
        parties.append(replace(party, memberships=joined))
    return replace(data, parties=tuple(parties))


def _partial_answers(data: Dataset, day: dt.date) -> str:
    answers = {
        "matrix": _answer(lambda: matrix_payload(analysis.matrix(data, as_of=day,
                                                                 order="group"))),
        "partners": [partner_payload(data, p.code, day) for p in data.parties],
        "analysis": _answer(lambda: _analysis(data, day)),
        "timeline": jsonable(analysis.timeline(data, day)),
    }
    return json.dumps(answers, sort_keys=True, default=str)


@settings(max_examples=60, deadline=None)
@given(partial_datasets(), st.dates(dt.date(2022, 6, 1), dt.date(2026, 6, 1)))
def test_partial_dates_give_the_same_answers_on_the_canonical_date(data: Dataset,
                                                                   day: dt.date) -> None:
    canonical = Snapshots.of(data).canonical(day)
    expected = _partial_answers(data, canonical)
    assume(canonical == day or day.isoformat() not in expected)
    assert _partial_answers(data, day).replace(day.isoformat(), canonical.isoformat()) \
        == expected


def test_partial_dates_change_answers_on_their_earliest_day() -> None:
    data = dataset([Spec("AAA", "YN", signed="2024"), Spec("BBB", "NY", signed="2024-12-18")])
    joined = Membership("nato-ally", ("src",), since=PartialDate(2023, 6))
    data = replace(data, parties=tuple(replace(p, memberships=(joined,)) for p in data.parties))
    assert {dt.date(2023, 6, 1), dt.date(2024, 1, 1), dt.date(2024, 12, 18)} \
        <= set(snapshot_dates(data))
    assert canonical_as_of(data, dt.date(2024, 12, 17)) == dt.date(2024, 1, 1)
    assert canonical_as_of(data, None) is None


def test_before_every_change_the_canonical_date_is_the_day_before_the_first() -> None:
    snapshots = Snapshots((dt.date(2024, 1, 1), dt.date(2025, 5, 1)))
    assert snapshots.canonical(dt.date(1990, 3, 3)) == dt.date(2023, 12, 31)
    assert snapshots.canonical(dt.date(2025, 4, 30)) == dt.date(2024, 1, 1)
    assert snapshots.canonical(dt.date(2030, 1, 1)) == dt.date(2025, 5, 1)
    assert Snapshots(()).canonical(dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)
    assert snapshots.following(dt.date(1990, 3, 3)) == dt.date(2024, 1, 1)
    assert snapshots.following(dt.date(2024, 1, 1)) == dt.date(2025, 5, 1)
    assert snapshots.following(dt.date(2025, 5, 1)) is None


@pytest.mark.parametrize("day", ["2024-05-20", "2024-05-21", "2025-06-15"])
def test_canonical_as_of_agrees_with_snapshots(day: str) -> None:
    data, rules, snapshots = _real()
    asked = dt.date.fromisoformat(day)
    assert canonical_as_of(data, asked, rules) == snapshots.canonical(asked)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as client:
        yield client


def _get(web: TestClient, path: str, day: str) -> tuple[str, dict[str, object]]:
    response = web.get(path, params={"as_of": day})
    assert response.status_code == 200, response.text
    payload: dict[str, object] = response.json()
    return response.headers["etag"], payload


@pytest.mark.parametrize("path", ["/api/v1/matrix", "/api/v1/eligibility", "/api/v1/analysis",
                                  "/api/v1/timeline", "/api/v1/partners/NOR"])
def test_the_web_answers_and_caches_a_date_as_its_snapshot(web: TestClient, path: str) -> None:
    snapshots = _real()[2]
    recent = [d for d in snapshots.days if d.year >= 2024]
    start, end = max(pairwise(recent), key=lambda pair: pair[1] - pair[0])
    first, then = start + DAY, end - DAY
    assert snapshots.canonical(first) == snapshots.canonical(then) == start < first < then
    etag, payload = _get(web, path, first.isoformat())
    assert _get(web, path, then.isoformat()) == (etag, payload)
    assert _get(web, path, snapshots.canonical(first).isoformat()) == (etag, payload)
    if "as_of" in payload:
        assert payload["as_of"] == snapshots.canonical(first).isoformat()


def test_the_web_tells_snapshots_apart_at_a_rule_window_end(web: TestClient) -> None:
    last, after, later = "2030-12-31", "2031-01-01", "2032-06-30"
    assert _get(web, "/api/v1/eligibility/FRA", last) != _get(web, "/api/v1/eligibility/FRA",
                                                              after)
    assert _get(web, "/api/v1/eligibility/FRA", later)[0] == \
        _get(web, "/api/v1/eligibility/FRA", after)[0]


_DATES = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2} (?:January|February|March|April|May|June|July|"
                    r"August|September|October|November|December) \d{4})")


def _written(day: dt.date) -> tuple[str, str]:
    """A day as answers write it: ISO in JSON and URLs, ``27 June 2024`` on pages."""
    return day.isoformat(), f"{day.day} {day.strftime('%B %Y')}"


def _same_but_the_echo(asked: str, day: dt.date, answered: str, canonical: dt.date) -> bool:
    """Two answers are equal except where the first writes ``day`` and the second
    ``canonical`` (the date the answer is given for); any other date must be equal."""
    ours, theirs = _DATES.split(asked), _DATES.split(answered)
    if len(ours) != len(theirs):
        return False
    echo = set(zip(_written(day), _written(canonical), strict=True))
    return all(a == b or (i % 2 == 1 and (a, b) in echo)
               for i, (a, b) in enumerate(zip(ours, theirs, strict=True)))


def _decision(code: str, day: dt.date) -> str:
    data, rules, _ = _real()
    return json.dumps(evaluate(data, rules, code, day).as_dict(), default=str)


def test_a_party_s_decision_is_the_same_on_its_own_canonical_date() -> None:
    data, rules, snapshots = _real()
    around = sorted({d + k * DAY for d in snapshots.days for k in (-1, 0)})
    checked = 0
    for party in data.parties:
        own = Snapshots.of_party(data, party.code, rules)
        assert set(own.days) <= set(snapshots.days)
        for day in around:
            canonical = own.canonical(day)
            assert _same_but_the_echo(_decision(party.code, day), day,
                                      _decision(party.code, canonical), canonical), \
                (party.code, day, canonical)
            checked += 1
    assert checked > 5_000


def test_a_party_s_own_days_change_its_decision() -> None:
    data, rules, _ = _real()
    own = Snapshots.of_party(data, "CAN", rules)
    signed = dt.date(2025, 6, 23)  # Canada's SDP
    assert signed in own.days and own.canonical(signed - DAY) < signed
    assert not _same_but_the_echo(_decision("CAN", signed - DAY), signed - DAY,
                                  _decision("CAN", signed), signed)
    assert len(own.days) < len(_real()[2].days) // 3


def test_the_web_gives_one_answer_for_a_party_s_whole_period(web: TestClient) -> None:
    data, rules, snapshots = _real()
    start = dt.date(2025, 6, 23)  # Canada's SDP, then no change of its own for a while
    end = Snapshots.of_party(data, "CAN", rules).following(start)
    inside = [d for d in snapshots.days if start < d < end] if end else []
    assert inside, "the dataset changes for others while Canada's answer stays"
    expected = _get(web, "/api/v1/eligibility/CAN", start.isoformat())
    assert expected[1]["as_of"] == start.isoformat()
    for day in (*inside, end - DAY):
        assert _get(web, "/api/v1/eligibility/CAN", day.isoformat()) == expected
    assert _get(web, "/api/v1/eligibility/CAN", end.isoformat()) != expected


def _view(site: Site, name: str, fmt: str, day: dt.date, **values: Value) -> str:
    """An endpoint's body for the day, computed by its view (no canonical date applied)."""
    endpoint = next(e for e in SERVED if e.name == name)
    path = {p.name: str(values[p.name]) for p in endpoint.all_params if p.where == "path"}
    args = Args(values={**values, "as_of": day}, fmt=fmt, params=endpoint.all_params,
                path_given=path)
    ctx = Ctx(site=site, args=args, endpoint=endpoint, urls=site.urls())
    return render_body(ctx)[0].decode()


SCOPED: list[tuple[str, dict[str, Value]]] = [
    ("matrix", {}), ("matrix", {"order": "group"}), ("matrix", {"group": ("nato-ally",)}),
    ("matrix", {"assessed": True}), ("areas", {}), ("area", {"area": 14}),
    ("area", {"area": 3}), ("analysis", {}), ("analysis-section", {"section": "evolution"}),
    *(("partner", {"code": code}) for code in ("JPN", "ISL", "USA", "NOR", "GBR"))]


def test_every_answer_that_reads_fewer_facts_is_checked() -> None:
    checked = {name for name, _ in SCOPED} | {"eligibility-country"}
    assert {e.name for e in SERVED if e.reads} == checked


@pytest.mark.parametrize(("name", "values"), SCOPED, ids=str)
def test_an_answer_is_the_same_on_the_canonical_date_of_what_it_reads(
        name: str, values: dict[str, Value]) -> None:
    snapshots = _real()[2]
    site = Site(REAL_DATA, SERVED)
    endpoint = next(e for e in SERVED if e.name == name)
    values = {p.name: p.default for p in endpoint.all_params if p.where == "query"} \
        | {k: v for k, v in values.items() if k in {p.name for p in endpoint.all_params}}
    own = site.snapshots_for(endpoint.reads, str(values.get("code")))
    assert set(own.days) < set(snapshots.days)
    for day in (snapshots.days[0] - DAY, *snapshots.days):
        canonical = own.canonical(day)
        for fmt in ("json", "html") if endpoint.template else ("json",):
            assert _same_but_the_echo(_view(site, name, fmt, day, **values), day,
                                      _view(site, name, fmt, canonical, **values), canonical), \
                (name, fmt, day, canonical)


def test_a_partner_joining_a_group_after_signing_is_a_partnerships_change_day() -> None:
    data = dataset([Spec("AAA", "YN", signed="2024-01-01"), Spec("BBB", "NY", signed="2024-06-01")])
    joined = Membership("nato-ally", ("src",), since=PartialDate(2025, 3, 1))
    data = replace(data, parties=tuple(replace(p, memberships=(joined,)) for p in data.parties))
    days = Snapshots.of_partnerships(data).days
    assert {dt.date(2024, 1, 1), dt.date(2025, 3, 1)} <= set(days)
    before, on = dt.date(2025, 2, 28), dt.date(2025, 3, 1)
    assert analysis.matrix(data, as_of=before).column_groups \
        != analysis.matrix(data, as_of=on).column_groups
    assert Snapshots.of_party(data, "BBB").days == (dt.date(2024, 6, 1), on)
