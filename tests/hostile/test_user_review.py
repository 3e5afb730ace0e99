"""What a first-time analyst met off the happy path: refused documents, an impossible date,
a file where a folder goes, a negative page size, the wording of thin analyses.

Each message must say what is wrong in the user's own terms: the refusal's code in the
brackets and its hint on its own ``hint:`` line; a well-formed day that is not in the
calendar named as such (not as a format mismatch); a file called a file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import random
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from webclient import TestClient, client_for

from sdpatlas import analysis
from sdpatlas.cli import cli
from sdpatlas.model import Dataset
from sdpatlas.render.analysis import analysis_sections, area_findings_lines
from sdpatlas.render.keyfindings import key_findings

from conftest import FIXTURE_DATA, REAL_DATA


def run(*args: str, data: Path = FIXTURE_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.mark.parametrize(("name", "data", "code", "hinted"), [
    ("empty.md", b"", "empty", False),
    ("notes.dat", b"\x00\x01binary", "unsupported", True),
    ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "corrupt", True),
])
def test_a_refused_document_is_one_error_line_with_its_code_then_its_hint(
        tmp_path: Path, name: str, data: bytes, code: str, hinted: bool) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("code", str(path), data=REAL_DATA)
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"error [{code}]: cannot code {path}: "), lines
    assert not lines[0].endswith(f"({code})")
    assert [line.startswith("hint: ") for line in lines[1:]] == ([True] if hinted else [])


def test_a_file_where_a_folder_goes_is_called_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("mine\n", encoding="utf-8")
    result = run("export", "--format", "datapackage", "-o", str(target))
    assert result.exit_code == 2
    assert f"{target} is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(("args", "why"), [
    (("matrix", "--as-of", "2025-02-30"), "day is out of range for month"),
    (("eligibility", "CAN", "--as-of", "2025-13-01"), "month must be in 1..12"),
    (("suggest", "CAN", "--reason", "r", "--source-title", "t",
      "--source-url", "https://example.org", "--source-date", "2023-02-29"), "day is out"),
])
def test_an_impossible_day_is_named_as_such_on_the_command_line(
        args: tuple[str, ...], why: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "is not a day of the calendar" in result.stderr and why in result.stderr
    assert "does not match the format" not in result.stderr


def test_a_malformed_day_still_names_the_format() -> None:
    result = run("matrix", "--as-of", "15/07/2025")
    assert result.exit_code == 2 and "does not match the format" in result.stderr


def test_an_impossible_day_is_named_as_such_on_the_web(client: TestClient) -> None:
    answer = client.get("/api/v1/matrix", params={"as_of": "2025-02-30"})
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "day of the calendar" in message and "out of range" in message
    assert client.get("/api/v1/matrix", params={"as_of": "30/02/2025"}).json()[
        "error"]["message"].endswith("must be a date as YYYY-MM-DD, not '30/02/2025'")


@pytest.mark.parametrize("limit", ["-1", "-0", "-5.0"])
def test_a_negative_page_size_is_out_of_range_not_a_non_number(client: TestClient,
                                                              limit: str) -> None:
    answer = client.get("/api/v1/partners", params={"limit": limit})
    assert answer.status_code == 400
    assert "must lie between 1 and" in answer.json()["error"]["message"]


def test_rare_areas_of_two_partnerships_are_those_only_one_covers(real_data: Dataset) -> None:
    result = analysis.analyse(real_data, dt.date(2024, 6, 1))
    assert result.areas.n == 2 and result.areas.rare_max == 2
    rare = next(f for f in key_findings(result, real_data) if "rare" in f.text)
    assert "covered by at most 1 of the 2" in rare.text
    found = analysis.area_findings(result, result.areas.rare[0].area)
    assert "Standing: rare: covered by at most 1 of the 2." in area_findings_lines(
        found, result, real_data)


def test_no_assessed_partnership_reads_as_a_sentence(real_data: Dataset) -> None:
    result = analysis.analyse(real_data, dt.date(2020, 1, 1))
    basis = analysis_sections(result, real_data)[0]
    assert basis.lines[0] == "No signed partnership with an assessed coverage yet."


@pytest.fixture(scope="module")
def real_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("real-cache")) as c:
        yield c


def test_a_partner_page_before_its_signature_does_not_call_its_coded_areas_unassessed(
        real_client: TestClient) -> None:
    before = real_client.get("/partners/CAN", params={"as_of": "2025-01-01"}).text
    assert "not yet signed (it was signed on 23 June 2025)" in before
    assert "Canada's areas are not assessed" not in before
    after = real_client.get("/partners/CAN", params={"as_of": "2025-07-15"}).text
    assert "prediction-note" not in after and "not yet signed" not in after
    unassessed = real_client.get("/partners/ISL", params={"as_of": "2025-01-01"}).text
    assert "Iceland's areas are not assessed" in unassessed


@pytest.mark.parametrize(("code", "day", "borrow", "components"), [
    ("FRA", "2025-01-01", "loans are not open on 2025-01-01",
     "limit on components from outside the EU, the EEA EFTA States and Ukraine does not apply"),
    ("FRA", "2031-06-01", "loans are not open on 2031-06-01", "Components made in France count"),
    ("FRA", "2026-01-01", "It may borrow", "Components made in France count as European"),
    ("CAN", "2025-01-01", "loans are not open on 2025-01-01", "does not apply on 2025-01-01"),
    ("CAN", "2026-01-01", "loans go only to EU Member States",
     "Components made in Canada do not count as European"),
])
def test_safe_sentences_do_not_deny_a_member_state_what_no_one_has_on_that_day(
        real_data: Dataset, code: str, day: str, borrow: str, components: str) -> None:
    from sdpatlas.eligibility import evaluate, load_rules
    from sdpatlas.eligibility._answer import answer_sentences

    decision = evaluate(real_data, load_rules(REAL_DATA, real_data), code,
                        dt.date.fromisoformat(day))
    _join, borrowing, parts, _change = answer_sentences(decision)
    assert borrow in borrowing and components in parts
    if code == "FRA":
        assert "only to EU Member States" not in borrowing
        assert "do not count as European" not in parts


@pytest.mark.parametrize(("args", "name"), [
    (("export",), "sdp.xlsx"),
    (("export",), "table.csv"),
    (("chart", "matrix"), "chart.jpg"),
    (("report",), "briefing.docx"),
])
def test_no_file_is_written_under_a_name_that_says_another_format(
        tmp_path: Path, args: tuple[str, ...], name: str) -> None:
    target = tmp_path / name
    result = run(*args, "-o", str(target))
    assert result.exit_code == 2 and result.stderr.startswith("error [bad-input]: ")
    assert "hint: " in result.stderr and "--format" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize(("args", "name", "starts"), [
    (("export", "--format", "xlsx"), "sdp.xlsx", b"PK"),
    (("export",), "sdp.json", b"{"),
    (("export", "--format", "csv-excel"), "table.csv", b"\xef\xbb\xbf"),
    (("export", "--format", "json"), "data.txt", b"{"),
    (("chart", "matrix"), "chart", b"<?xml"),
    (("report",), "briefing.htm", b"<!DOCTYPE html>"),
    (("report", "--format", "md"), "briefing.txt", b"# "),
])
def test_a_matching_or_explicit_format_is_still_written(
        tmp_path: Path, args: tuple[str, ...], name: str, starts: bytes) -> None:
    target = tmp_path / name
    assert run(*args, "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(starts)


def test_code_with_an_output_but_no_draft_says_how_to_save_the_proposal() -> None:
    result = run("code", str(REAL_DATA.parent / "examples" / "agreement.md"), "-o", "x.csv",
                 data=REAL_DATA)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error [bad-input]: -o/--output is for --draft",
        "hint: without --draft the proposal goes to standard output: redirect it to a file "
        "(> proposal.csv)"]


def test_safe_pages_of_a_dataset_without_rules_say_so(tmp_path: Path) -> None:
    with client_for(FIXTURE_DATA, tmp_path) as small:
        for path in ("/api/v1/eligibility", "/api/v1/eligibility/JPN", "/eligibility"):
            response = small.get(path)
            assert response.status_code == 404, (path, response.text[:200])
            if path.startswith("/api"):
                assert response.json()["error"]["code"] == "no-rules"
            else:
                assert "SAFE rules" in response.text


DATED = re.compile(r"^/(?:matrix|analysis(?:/[a-z-]+)?|areas(?:/\d+)?|partners(?:/[A-Z]{3})?"
                   r"|eligibility(?:/[A-Z]{3})?|timeline)(?:\?|$)")


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/[^"]*)"', page)]


@pytest.mark.parametrize(("path", "data"), [
    ("/matrix", "client"), ("/partners/JPN", "client"), ("/areas/3", "client"),
    ("/analysis", "client"), ("/eligibility", "real_client"), ("/partners/CAN", "real_client")])
def test_a_dated_page_links_to_dated_pages_on_its_own_day(request: pytest.FixtureRequest,
                                                         path: str, data: str) -> None:
    client: TestClient = request.getfixturevalue(data)
    page = client.get(path, params={"as_of": "2025-07-15"}).text
    day = re.search(r'data-as-of="([0-9-]+)"', page)
    assert day is not None
    dated = [link for link in _links(page) if DATED.match(link)]
    assert len(dated) >= 5, dated
    assert all(f"as_of={day.group(1)}" in link for link in dated), dated
    assert f"/matrix?as_of={day.group(1)}" in dated  # the navigation too
    pages = [link for link in _links(page) if not link.startswith(("/api/", "/downloads/"))]
    assert not [link for link in pages if "as_of" in link and not DATED.match(link)]


@pytest.mark.parametrize("path", ["/matrix", "/partners/JPN", "/areas/3", "/analysis"])
def test_an_undated_page_links_without_a_day(client: TestClient, path: str) -> None:
    assert not [link for link in _links(client.get(path).text) if "as_of" in link]


@pytest.mark.parametrize("page", ["/partners", "/eligibility"])
def test_an_unknown_partners_404_suggests_the_pages_it_links_to(real_client: TestClient,
                                                               page: str) -> None:
    answer = real_client.get(f"{page}/NARNIA")
    assert answer.status_code == 404
    named = re.findall(r"\(([A-Z]{3})\)", html.unescape(answer.text.split("<h2")[0]))
    linked = re.findall(rf'<li><a href="{page}/([A-Z]{{3}})">', answer.text)
    assert named and named == linked
    assert all(real_client.get(f"{page}/{code}").status_code == 200 for code in linked)
    suggested = real_client.get(f"/api/v1{page}/NARNIA").json()["error"]["suggestions"]
    assert suggested == linked


def test_a_refused_upload_is_named_once(real_client: TestClient, tmp_path: Path) -> None:
    answer = real_client.post("/api/v1/code", files={"file": ("bin.dat", b"\x00\x01binary")})
    message = answer.json()["error"]["message"]
    assert answer.status_code == 422 and message.count("bin.dat") == 1, message
    assert message.startswith("cannot code bin.dat: ")
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\x00\x01binary")
    first = run("code", str(path), data=REAL_DATA).stderr.splitlines()[0]
    assert first.count(str(path)) == 1 and first.endswith("not a format the coder reads")


@pytest.mark.parametrize(("area", "suggested"), [
    ("-1", ["1"]), ("+3", ["3"]), ("−2", ["2"]), ("-15", [])])
def test_a_signed_number_is_not_an_area_on_the_web(client: TestClient, area: str,
                                                   suggested: list[str]) -> None:
    answer = client.get(f"/areas/{area}", follow_redirects=False)
    assert answer.status_code == 404
    error = client.get(f"/api/v1/areas/{area}").json()["error"]
    assert error["code"] == "unknown-area" and "has no sign" in error["message"]
    assert error["suggestions"] == suggested


@pytest.mark.parametrize("args", [("--", "-15"), ("--", "+15"), ("--", "-99"), ("-1",),
                                  ("-15", "--as-of", "2026-01-01")])
def test_a_signed_number_is_not_an_area_on_the_command_line(args: tuple[str, ...]) -> None:
    area = args[1] if args[0] == "--" else args[0]
    result = run("area", *args, data=REAL_DATA)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"unknown area '{area}' (an area number has no sign)" in result.stderr
    assert "hint: an area is its number (1–26)" in result.stderr


def test_a_timeline_before_anything_happened_says_so() -> None:
    result = run("timeline", "--as-of", "1900-01-01")
    assert result.exit_code == 0
    assert result.stdout == ("Nothing is recorded by 1900-01-01 (first dated fact: "
                             "2022-03-21, Strategic Compass adopted).\n")
    assert run("timeline", "--as-of", "1900-01-01", "--format", "json").stdout.strip() == "[]"


def _safe_horizon(data: Dataset) -> dt.date:
    from sdpatlas.eligibility import load_rules

    return max(r.window.end for r in load_rules(REAL_DATA, data).rules if r.window.end)


def test_a_safe_answer_beyond_the_rules_says_what_is_known_up_to_when(
        real_data: Dataset, real_client: TestClient) -> None:
    known = f"SAFE is known here only up to {_safe_horizon(real_data)}"
    beyond = run("eligibility", "CAN", "--as-of", "2100-01-01", data=REAL_DATA)
    assert beyond.exit_code == 0
    assert known in " ".join(beyond.stdout.split("\nDetails\n")[0].split())
    every = run("eligibility", "--all", "--as-of", "2100-01-01", data=REAL_DATA).stdout
    assert known in " ".join(every.split())
    last = run("eligibility", "CAN", "--as-of", str(_safe_horizon(real_data)), data=REAL_DATA)
    assert "known here only" not in last.stdout
    for path in ("/eligibility/CAN", "/eligibility"):
        page = html.unescape(real_client.get(path, params={"as_of": "2100-01-01"}).text)
        assert page.count(known) == 1, path
    assert "known here only" not in real_client.get("/eligibility/CAN").text


def test_components_findings_are_one_line_each_then_one_hint_line() -> None:
    bom = Path(__file__).parents[1] / "fixtures" / "bom" / "bad_rows.csv"
    lines = run("components", str(bom), data=REAL_DATA).stderr.splitlines()
    assert lines[0] == f"error [bad-input]: {bom} has errors; nothing was checked:"
    assert len(lines) > 3 and all(line.startswith(f"{bom}:") for line in lines[1:-1]), lines
    assert lines[-1].startswith("hint: ") and not any(line[:1].isspace() for line in lines)


def test_a_near_core_threshold_above_the_partners_is_refused_on_the_cli(
        real_data: Dataset, real_client: TestClient) -> None:
    partners = len(analysis.analyse(real_data).profiles.partners)
    assert run("analyse", "--near", str(partners), "--section", "areas",
               data=REAL_DATA).exit_code == 0
    result = run("analyse", "--near", str(partners + 1), data=REAL_DATA)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"hint: give --near from 1 to {partners}" in result.stderr
    # the API's schema cannot bound near by each day's partners: above them, it means all
    above = real_client.get("/api/v1/analysis", params={"near": partners + 1})
    assert above.status_code == 200
    assert above.json() == real_client.get("/api/v1/analysis",
                                           params={"near": partners}).json()


def _png(seed: int) -> bytes:
    rows = random.Random(seed).randbytes(32 * 97)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    head = struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


GARBAGE = {
    "random": lambda r: r.randbytes(4096),
    "no NUL": lambda r: bytes(r.randrange(1, 256) for _ in range(4096)),
    "UTF-16 BOM": lambda r: codecs.BOM_UTF16_LE + r.randbytes(4096),
    "UTF-16BE BOM": lambda r: codecs.BOM_UTF16_BE + r.randbytes(4096),
    "UTF-32 BOM": lambda r: codecs.BOM_UTF32_LE + r.randbytes(4096),
    "UTF-8 BOM": lambda r: codecs.BOM_UTF8 + r.randbytes(4096),
    "U+FFFD": lambda r: r.randbytes(4096).decode("utf-8", "replace").encode(),
    "PNG": lambda r: _png(r.randrange(1 << 30)),
}


@pytest.mark.parametrize("kind", GARBAGE)
def test_binary_garbage_is_refused_as_binary(kind: str) -> None:
    from sdpatlas.coding import RefusedInput
    from sdpatlas.coding.extract import extract

    for seed in range(20):
        with pytest.raises(RefusedInput) as refused:
            extract(GARBAGE[kind](random.Random(seed)), "upload.txt")
        assert refused.value.code == "binary" and refused.value.hint, (kind, seed)


REAL_TEXTS = [
    ("Tous les êtres humains naissent libres et égaux en dignité et en droits.", "cp1252"),
    ("Wszyscy ludzie rodzą się wolni i równi pod względem swej godności.", "cp1250"),
    ("Все люди рождаются свободными и равными в своем достоинстве и правах.", "cp1251"),
    ("Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια.", "iso-8859-7"),
    ("يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق.", "cp1256"),
    ("すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。",
     "shift_jis"),
    ("人人生而自由,在尊严和权利上一律平等。", "gb18030"),
    ("모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다.", "euc-kr"),
    ("सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता प्राप्त है।", "utf-16"),
    ("Great meeting today 🎉🇪🇺🤝 cooperation on cyber 🛡️ and maritime ⚓ security ✅", "utf-8"),
]


@pytest.mark.parametrize(("text", "encoding"), REAL_TEXTS)
@pytest.mark.parametrize("unicode", [False, True])
def test_real_texts_in_any_language_are_read(text: str, encoding: str, unicode: bool) -> None:
    from sdpatlas.coding._decode import unreadable_share
    from sdpatlas.coding.extract import extract

    body = "\n".join([text] * 20).encode("utf-8" if unicode else encoding)
    read = extract(body, "statement.txt").text  # a legacy encoding's guess may be a sibling
    assert (text in read) if unicode else (len(read.split()) == 20 * len(text.split()))
    assert unreadable_share(read) == 0


def test_pdf_and_docx_are_still_read() -> None:
    import codingdocs

    from sdpatlas.coding.extract import extract

    sentence = "The parties will cooperate on maritime security and space."
    assert sentence in extract(codingdocs.pdf([[sentence]]), "a.pdf").text
    assert sentence in extract(codingdocs.docx([sentence]), "a.docx").text


def test_binary_garbage_is_refused_on_the_command_line_and_the_web(
        tmp_path: Path, real_client: TestClient) -> None:
    image = tmp_path / "photo.txt"
    image.write_bytes(_png(1))
    lines = run("code", str(image), data=REAL_DATA).stderr.splitlines()
    assert lines[0] == (f"error [binary]: cannot code {image}: the input is binary data, not "
                        "text (no known encoding reads it)")
    assert lines[1].startswith("hint: give a text, Markdown, HTML, PDF or DOCX file")
    garbage = GARBAGE["UTF-16 BOM"](random.Random(7))
    error = real_client.post("/api/v1/code", files={"file": ("x.txt", garbage)}).json()["error"]
    assert error["code"] == "binary" and "binary data, not text (read as utf-16" in error[
        "message"] and "; hint: give a text" in error["message"]
    pasted = real_client.post("/api/v1/code", data={"text": GARBAGE["U+FFFD"](
        random.Random(7)).decode()})
    assert pasted.status_code == 422 and pasted.json()["error"]["code"] == "binary"
    page = real_client.post("/code", files={"file": ("x.txt", garbage)})
    assert page.status_code == 422 and "binary data, not text" in page.text
