"""Uploads in the app: good files load; malformed or hostile files give a message naming the
file, the field and the rule, never a traceback, and leave the current scenario as it was."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.test_app_support import ROOT, _plain, assert_clean, errors, new_app, texts
from webapp.scenarios import Upload, load_shipped, load_uploads

EXAMPLES = ROOT / "scenarios" / "examples"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(lang: str, *files: tuple[str, bytes, str]):
    at = new_app(lang, trials=20)
    before = at.session_state["_work"]
    at.file_uploader(key="upload").set_value(list(files)).run()
    assert_clean(at)
    return at, before


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * 120_000_000)
    return buf.getvalue()


BAD_FILES = {
    "text in a number column": (
        "candidates.csv",
        b"id,name,country,technology,kind,status,earliest_start_fy,expected_t_per_yr\n"
        b"x-1,Test,Kenya,solar,demonstration,candidate,2026,lots\n", CSV, "expected_t_per_yr"),
    "wrong columns": (
        "candidates.csv", b"id,colour\nx-1,blue\n", CSV, "colour"),
    "not UTF-8": ("candidates.csv", b"id,name\nx,\x81\x7f\n", CSV, "UTF-8"),
    "not a workbook": ("candidates.xlsx", b"PK\x03\x04 this is not a zip", XLSX,
                       ("not a valid Excel workbook", "Excel ブックとして読めません")),
    "zip bomb": ("candidates.xlsx", None, XLSX, ("too much data", "大きすぎる")),
    "TOML syntax": ("mine.toml", b"name = \"x\"\n[budget\n", "application/toml",
                    ("not valid TOML", "TOML として読めません")),
    "TOML reaching for a server file": ("mine.toml", b"extends = \"/etc/passwd\"\n",
                                        "application/toml",
                                        ("only extend a shipped", "組み込みシナリオだけ")),
    "TOML naming a table not uploaded": (
        "mine.toml", b"extends = \"baseline.toml\"\ncandidates_files = [\"../../x.csv\"]\n",
        "application/toml", ("was not uploaded", "アップロードされていません")),
    "wrong kind of file": ("notes.exe", b"MZ\x90\x00", "application/octet-stream",
                           ("only .toml", ".toml、.csv、.xlsx")),
    "too large": ("big.csv", b"id\n" + b"x\n" * 3_000_000, CSV, ("larger than", "を超えて")),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_upload_gives_a_message(case, lang):
    name, data, mime, rule = BAD_FILES[case]
    if data is None:
        data = _zip_bomb()
    at, before = upload(lang, (name, data, mime))
    messages = errors(at)
    assert any(("could not be used" in m) or ("使えません" in m) for m in messages), messages
    if isinstance(rule, tuple):
        rule = rule[0] if lang == "en" else rule[1]
    assert any(rule in m for m in messages), messages
    assert at.session_state["_work"] == before  # nothing changed


def test_candidate_table_is_added_to_the_chosen_scenario():
    data = (EXAMPLES / "candidates.csv").read_bytes()
    at, before = upload("en", ("candidates.csv", data, CSV))
    assert not errors(at), errors(at)
    projects = at.session_state["_work"]["projects"]
    assert "csv-ge-heat-pump" in projects
    assert set(before["projects"]) < set(projects)
    assert "Loaded candidates.csv" in texts(at)
    # the link carries the added candidates relative to the baseline
    assert at.query_params["scenario"] == "baseline.toml"
    assert at.query_params.get("changes")


def test_excel_table_and_scenario_upload_together():
    toml = (b'extends = "baseline.toml"\nname = "Mine"\n'
            b'candidates_files = ["candidates.xlsx"]\n[budget]\nFY2027 = 9\n')
    xlsx = (EXAMPLES / "candidates.xlsx").read_bytes()
    at, _ = upload("ja", ("mine.toml", toml, "application/toml"),
                   ("candidates.xlsx", xlsx, XLSX))
    assert not errors(at), errors(at)
    work = at.session_state["_work"]
    assert work["name"] == "Mine"
    assert work["budget"]["FY2027"] == 9
    assert len(work["projects"]) > len(load_shipped("baseline.toml")["projects"])


def test_upload_problem_names_the_uploaded_file_not_a_temporary_path():
    bad = b"id,name,country,technology,kind,status,earliest_start_fy\nx,y,Nowhere,t," \
          b"demonstration,candidate,2026\n"
    with pytest.raises(Exception) as info:
        load_uploads([Upload("my table.csv", bad)], "baseline.toml")
    text = str(info.value)
    assert "my table.csv" in text and "/tmp" not in text and "Nowhere" in text


@pytest.mark.parametrize("lang, words", [
    ("en", ("Read as:", "read as Shift_JIS (CP932)", "semicolon")),
    ("ja", ("読み込み形式：", "Shift_JIS (CP932) として読み込みました", "区切り文字 ;")),
])
def test_a_japanese_excel_csv_upload_says_how_it_was_read_in_the_page_language(lang, words):
    header = "id,name,country,technology,kind,status,earliest_start_fy,expected_t_per_yr\n"
    body = (header.replace(",", ";")
            + "x-1;試験;Kenya;solar;demonstration;candidate;2026;１，２００\n")
    at, _ = upload(lang, ("candidates.csv", body.encode("cp932"), CSV))
    assert not errors(at), errors(at)
    page = _plain(texts(at))  # as the planner reads it, without Markdown escapes
    for word in words:
        assert word in page, page[-600:]
    if lang == "ja":
        assert "read as" not in page


@pytest.mark.parametrize("lang, words", [
    ("en", ("the file is empty",)), ("ja", ("ファイルが空です",))])
def test_an_empty_scenario_upload_says_the_file_is_empty(lang, words):
    at, before = upload(lang, ("mine.toml", b"", "application/toml"))
    messages = errors(at)
    assert any(all(w in m for w in words) for m in messages), messages
    assert at.session_state["_work"] == before
