"""Uploads in the app: good files load; malformed or hostile files give a message naming the
file, the field and the rule, never a traceback, and leave the current scenario as it was."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.test_app_support import (
    ROOT,
    _plain,
    assert_clean,
    errors,
    new_app,
    texts,
    type_budget,
)
from webapp.scenarios import Upload, load_shipped, load_uploads

EXAMPLES = ROOT / "scenarios" / "examples"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploader_key(at) -> str:
    """The uploader's key now (a new one after each upload is handled)."""
    rounds = at.session_state["_upload_round"] if "_upload_round" in at.session_state else 0
    return f"upload_{rounds}"


def send(at, *files: tuple[str, bytes, str]):
    """Drop ``files`` on the Scenario page's uploader of an app already open there."""
    at.file_uploader(key=uploader_key(at)).set_value(list(files)).run()
    assert_clean(at)
    return at


def upload(lang: str, *files: tuple[str, bytes, str]):
    at = new_app(lang, trials=20)
    before = at.session_state["_work"]
    return send(at, *files), before


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
                    ("not valid TOML",
                     "TOML として読めません：表の見出しの最後に「]」が必要です（2 行目")),
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
    assert "Added 3 projects from candidates.csv" in _plain(texts(at))
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


CANDIDATES = ("candidates.csv", (EXAMPLES / "candidates.csv").read_bytes(), CSV)
MINE = ("mine.toml", b'extends = "baseline.toml"\nname = "Mine"\n[budget]\nFY2027 = 9\n',
        "application/toml")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_candidate_table_upload_keeps_the_budget_edits(lang):
    """Tables alone are added to the scenario being edited: both to what it started from and
    to the edits, which stay edits (the comparison with the start still shows them)."""
    at = new_app(lang, trials=20)
    type_budget(at, 2027, "25")
    assert at.session_state["_work"]["budget"]["FY2027"]["value"] == 25
    send(at, CANDIDATES)
    assert not errors(at), errors(at)
    work, base = at.session_state["_work"], at.session_state["_base_raw"]
    assert work["budget"]["FY2027"]["value"] == 25  # the edit is kept
    assert base["budget"]["FY2027"] != work["budget"]["FY2027"]  # and is still an edit
    for pid in ("csv-ge-heat-pump", "csv-sn-solar-pumps"):
        assert pid in work["projects"] and pid in base["projects"]
    assert work["projects"]["csv-ge-heat-pump"] == base["projects"]["csv-ge-heat-pump"]
    words = "Added 3 projects" if lang == "en" else "3 件の案件を編集中のシナリオに追加"
    assert words in _plain(texts(at))
    assert "_replaced" not in at.session_state  # nothing was replaced


def test_a_candidate_table_after_a_scenario_upload_is_added_to_that_scenario():
    at, _ = upload("en", MINE)
    assert at.session_state["_work"]["name"] == "Mine"
    send(at, CANDIDATES)
    assert not errors(at), errors(at)
    work = at.session_state["_work"]
    assert work["budget"]["FY2027"] == 9  # the uploaded scenario's budget, not the baseline's
    assert "csv-ge-heat-pump" in work["projects"]
    assert work["name"] == "Mine + candidates.csv"


@pytest.mark.parametrize("lang, notice, loaded", [
    ("en", "baseline.toml was replaced by this scenario and is kept, with its edits",
     "Loaded mine.toml"),
    ("ja", "baseline.toml はこのシナリオに置き換えられましたが、編集内容ごと保持しています",
     "mine.toml を読み込みました")])
def test_edits_replaced_by_a_scenario_upload_can_be_brought_back(lang, notice, loaded):
    at = new_app(lang, trials=20)
    type_budget(at, 2027, "25")
    edited = at.session_state["_work"]
    send(at, MINE)
    assert at.session_state["_work"]["name"] == "Mine"
    assert notice in _plain(texts(at)) and loaded in _plain(texts(at))
    at.button(key="restore_replaced").click().run()
    assert_clean(at)
    assert at.session_state["_work"] == edited
    assert at.session_state["_base"] == "baseline.toml"
    assert at.selectbox(key="pick_scenario").value == "baseline.toml"
    assert loaded not in _plain(texts(at))  # the message spoke of the scenario put away
    # the upload is kept in turn: one more click brings it back
    at.button(key="restore_replaced").click().run()
    assert at.session_state["_work"]["name"] == "Mine"


def test_a_table_uploaded_with_a_scenario_that_does_not_list_it_is_added():
    at, _ = upload("en", MINE, CANDIDATES)
    assert not errors(at), errors(at)
    work = at.session_state["_work"]
    assert work["name"] == "Mine" and work["budget"]["FY2027"] == 9
    assert "csv-ge-heat-pump" in work["projects"]
    assert "Loaded mine.toml, candidates.csv" in _plain(texts(at))


@pytest.mark.parametrize("lang, words", [
    ("en", ("duplicate project id 'csv-ge-heat-pump' (also in uploaded: candidates.csv",)),
    ("ja", ("案件ID「csv-ge-heat-pump」が重複しています（アップロード：candidates.csv",
            "ID を変える")),
])
def test_a_table_uploaded_twice_names_the_scenario_not_a_working_file(lang, words):
    at, _ = upload(lang, CANDIDATES)
    send(at, CANDIDATES)  # the same table again: its ids are in the scenario now
    messages = errors(at)
    for word in words:
        assert any(word in m for m in messages), messages
    assert not any("_scenario_being_edited" in m for m in messages), messages


@pytest.mark.parametrize("lang, words", [
    ("en", "not text at all"), ("ja", "テキストファイルではありません")])
def test_a_binary_file_is_said_to_be_binary(lang, words):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    at, before = upload(lang, ("junk.toml", png, "application/toml"))
    messages = errors(at)
    assert any(words in m for m in messages) and not any("Shift_JIS" in m for m in messages)
    assert at.session_state["_work"] == before


def test_edits_replaced_by_picking_another_scenario_can_be_brought_back():
    at = new_app("en", trials=20)
    type_budget(at, 2027, "25")
    edited = at.session_state["_work"]
    at.selectbox(key="pick_scenario").set_value("budget_high.toml").run()
    assert at.session_state["_work"]["name"] == "High budget"
    type_budget(at, 2026, "30")  # edit this one too: bringing the first back keeps this
    high = at.session_state["_work"]
    at.button(key="restore_replaced").click().run()
    assert at.session_state["_work"] == edited
    at.button(key="restore_replaced").click().run()  # and back again
    assert at.session_state["_work"] == high
    assert at.selectbox(key="pick_scenario").value == "budget_high.toml"


def test_a_failed_upload_does_not_block_the_next():
    at, before = upload("en", ("mine.toml", b"name = \"x\"\n[budget\n", "application/toml"))
    assert any("not valid TOML" in m for m in errors(at)), errors(at)
    assert at.session_state["_work"] == before
    send(at, MINE)  # a fresh uploader: the failed file is not read again
    assert not errors(at), errors(at)
    assert at.session_state["_work"]["name"] == "Mine"


def test_a_table_whose_project_id_is_already_an_edit_is_refused_and_nothing_changes():
    at = new_app("en", trials=20)
    work = at.session_state["_work"]
    work["projects"]["csv-ge-heat-pump"] = dict(work["projects"][next(iter(work["projects"]))])
    at.session_state["_work"] = work
    at.run()
    before = at.session_state["_work"]
    send(at, CANDIDATES)
    messages = errors(at)
    assert any("csv-ge-heat-pump" in m and "already in the scenario being edited" in m
               for m in messages), messages
    assert at.session_state["_work"] == before


def test_too_many_files_are_named_not_a_placeholder():
    files = [Upload(f"t{k}.csv", b"id\n") for k in range(8)]
    with pytest.raises(Exception) as info:
        load_uploads(files, "baseline.toml")
    text = str(info.value)
    assert "<upload>" not in text and "t0.csv, t1.csv, t2.csv (+5)" in text
