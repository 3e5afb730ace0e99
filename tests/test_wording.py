"""Words for users: no editors' words, file names or broken plurals in what people read.

Runs every command's text output and gets every page of the explorer (every partner, area,
SAFE answer, the UK's matrix cells, an uploaded bill of materials and agreement) on the real
data, and looks for the phrases an editor writes for editors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.dataset import load
from sdpatlas.web.views import ENDPOINTS

from conftest import REAL_DATA, ROOT

EXAMPLES = ROOT / "examples"
FORBIDDEN = (
    ".yaml", "FACTS.md", "field ", "group:", "region:", "(paragraph unverified)",
    "(article unverified)", "exists already exists", "Safe collapsed", "SAFE Collapsed",
    "member of EFTA member states", "member of EEA EFTA States", "would make this exact",
)
PATTERNS = (
    re.compile(r"\w\(s\)"),  # partnership(s), line(s), error(s)
    re.compile(r"(?<![\d.,])\b1 (?:areas|partnerships|partners|lines|sources|claims|countries|"
               r"parties|errors|warnings|notes|changes|more areas)\b"),
    re.compile(r"\bfield [a-z_]+\.[\w.-]+"),  # a field path such as coverage.19
)


def problems(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every forbidden phrase in a text (but the ``allowed`` ones), with some context."""
    found = []
    for phrase in (p for p in FORBIDDEN if p not in allowed):
        at = text.find(phrase)
        if at >= 0:
            found.append(f"{phrase!r} in …{text[max(0, at - 60):at + 60]}…")
    for pattern in PATTERNS:
        match = pattern.search(text)
        if match:
            around = text[max(0, match.start() - 60):match.end() + 40]
            found.append(f"{match.group()!r} in …{around}…")
    return found


DATA = load(REAL_DATA)
PARTNERS = tuple(p.partner for p in DATA.partnerships)
SIGNED = tuple(p.partner for p in DATA.signed())
AREAS = tuple(str(a.id) for a in DATA.areas)
PARTIES = tuple(p.code for p in DATA.parties)


def _commands() -> list[tuple[str, ...]]:
    """Every command a reader runs (``validate`` and ``changelog`` speak to the data's editors
    and name its files on purpose)."""
    runs: list[tuple[str, ...]] = [
        ("matrix",), ("matrix", "--format", "md"), ("partners",), ("areas",), ("timeline",),
        ("sources",), ("conflicts",), ("compare", "GBR", "CAN"), ("compare", *SIGNED[:4]),
        ("eligibility", "--all"), ("analyse",), ("export", "--format", "md"),
        ("components", str(EXAMPLES / "bom.csv")), ("code", str(EXAMPLES / "agreement.md")),
        ("similar", "GBR"), ("predict", "ISL"),
        ("analyse", "--as-of", str(DATA.signed()[0].signed)),
        ("areas", "--as-of", str(DATA.signed()[0].signed)),
        ("matrix", "--as-of", str(DATA.signed()[0].signed)),
    ]
    runs += [("partner", code) for code in PARTNERS]
    runs += [("area", area) for area in AREAS]
    runs += [("eligibility", code) for code in PARTIES]
    runs += [("eligibility", code, "--format", "md") for code in ("GBR", "CAN", "ISL", "CHE")]
    return runs


@pytest.mark.parametrize("args", _commands(), ids=" ".join)
def test_command_output_has_words_for_users(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, ["--data", str(REAL_DATA), *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert problems(result.stdout + result.stderr) == []


def _pages() -> list[str]:
    pages: list[str] = []
    for e in ENDPOINTS:
        if e.page is None:
            continue
        if "{code}" in e.page and "{area}" in e.page:
            pages += [e.page.format(code="GBR", area=a) for a in AREAS]
        elif "{code}" in e.page:
            codes = PARTIES if e.name.startswith("eligibility") else PARTNERS
            pages += [e.page.format(code=code) for code in codes]
        elif "{area}" in e.page:
            pages += [e.page.format(area=a) for a in AREAS]
        else:
            pages.append(e.page)
    first = DATA.signed()[0]  # one signed partnership: where "1 partnerships" would show
    day = f"?as_of={first.signed}"
    early = [f"/analysis{day}", f"/areas{day}", f"/matrix{day}", f"/areas/1{day}",
             f"/partners/{first.partner}{day}"]
    return [*pages, *early, "/compare?partner=GBR&partner=CAN", "/eligibility?country=GBR",
            "/components", "/code"]


# The API reference documents the JSON by its field names; What's new quotes each changed
# value as it was, editors' words included.
API_REFERENCE = {"/api": ("field ",), "/whats-new": (".yaml", "FACTS.md")}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _visible(html: str) -> str:
    """The text a reader sees (tags dropped, entities decoded)."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_page_has_words_for_users(client: TestClient) -> None:
    found = {}
    for page in _pages():
        response = client.get(page)
        assert response.status_code == 200, page
        bad = problems(_visible(response.text), API_REFERENCE.get(page, ()))
        if bad:
            found[page] = bad
    assert found == {}


@pytest.mark.parametrize(("path", "example"), [("/components", "bom.csv"),
                                               ("/code", "agreement.md")])
def test_uploaded_answers_have_words_for_users(client: TestClient, path: str,
                                               example: str) -> None:
    body = (EXAMPLES / example).read_bytes()
    response = client.post(path, files={"file": (example, body)})
    assert response.status_code == 200, response.text
    assert problems(_visible(response.text)) == []


def test_the_check_itself_catches_each_phrase() -> None:
    for text in ("see conflicts.yaml", "over 3 line(s)", "covered by 1 areas",
                 "About partnership:GBR, field coverage.19", "Safe collapsed"):
        assert problems(text), text
    assert problems("covered by 21 areas and 1 area") == []


def test_examples_exist() -> None:
    assert Path(EXAMPLES / "bom.csv").is_file() and Path(EXAMPLES / "agreement.md").is_file()


@pytest.mark.parametrize("code", ["GBR", "CAN", "ISL", "CHE", "ALB", "DEU"])
def test_safe_answer_comes_first_in_the_same_sentences(client: TestClient, code: str) -> None:
    import datetime as dt

    from sdpatlas.eligibility import evaluate, load_rules
    from sdpatlas.eligibility._answer import answer_sentences
    from sdpatlas.snapshots import Snapshots

    day, rules = "2026-03-18", load_rules(REAL_DATA, DATA)
    decision = evaluate(DATA, rules, code, dt.date.fromisoformat(day))
    sentences = answer_sentences(decision)
    assert all(s.endswith(".") for s in sentences) and "35 %" in sentences[2]
    assert ("do not count as European" in sentences[2]) != decision.components_count_as_european
    text = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "eligibility", code, "--as-of",
                                    day, "--wide"]).stdout
    answer = text.split("Answer\n------\n", 1)[1].split("\n\n", 1)[0]
    assert [line.strip() for line in answer.splitlines()] == list(sentences)
    visible = _visible(client.get(f"/eligibility?country={code}&as_of={day}").text)
    assert all(s in visible for s in sentences)
    since = Snapshots.of_party(DATA, code, rules).canonical(dt.date.fromisoformat(day))
    same = answer_sentences(evaluate(DATA, rules, code, since))  # its answer on every day since
    visible = _visible(client.get(f"/eligibility/{code}?as_of={day}").text)
    assert all(s in visible for s in same)


def test_the_html_report_has_words_for_users(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "report", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert problems(_visible(target.read_text(encoding="utf-8"))) == []
