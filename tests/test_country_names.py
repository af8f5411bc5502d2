"""Country names as planners in Japan type them: in Japanese (``ジョージア``), in full-width
letters (``ＧＥＯＲＧＩＡ``) or in another case (``georgia``). The loader reads each as the
scenario's own name and says so in a note; a name that matches no country of the scenario, or
more than one, is refused as before. The app still shows each country in the page language.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from sim.country_names import JAPANESE, japanese, scenario_country
from sim.errors import InputError
from sim.loader import load_scenario, scenario_from_dict
from tests.conftest import BASELINE, CSV_HEADER
from tests.model_fixtures import HAND_WORKED

ROW = "{id},試験案件,{country},solar,demonstration,candidate,2027,1200\n"


def _two_countries(tmp_path: Path, body: str = "", csv: bytes | None = None) -> Path:
    """A scenario of its own with the baseline's program and defaults, Georgia and Indonesia
    as its only countries, no projects, plus ``body`` (TOML) and ``c.csv`` when given."""
    raw = tomllib.loads(BASELINE.read_text(encoding="utf-8"))
    raw["countries"] = {c: raw["countries"][c] for c in ("Georgia", "Indonesia")}
    raw["projects"] = {}
    if csv is not None:
        (tmp_path / "c.csv").write_bytes(csv)
        raw["candidates_files"] = ["c.csv"]
    path = tmp_path / "two.toml"
    path.write_text(tomli_w.dumps(raw) + body, encoding="utf-8")
    return path


def _problems(path: Path) -> list:
    with pytest.raises(InputError) as info:
        load_scenario(path)
    return info.value.problems


# ---- matching a typed name to the scenario's name ------------------------------------------
@pytest.mark.parametrize("typed", ["Georgia", "ジョージア", "ＧＥＯＲＧＩＡ", "georgia",
                                   " Georgia ", "GEORGIA", "ｼﾞｮｰｼﾞｱ", "　ジョージア　"])
def test_a_typed_name_is_the_scenario_country(typed):
    assert scenario_country(typed, ["Georgia", "Indonesia"]) == "Georgia"


@pytest.mark.parametrize("typed, countries, own", [
    ("ベトナム", ["Viet Nam", "Thailand"], "Viet Nam"),
    ("viet  nam", ["Viet Nam"], "Viet Nam"),
    ("アラブ首長国連邦", ["UAE"], "UAE"),
    ("testland", ["Testland"], "Testland"),  # a country without a Japanese name: by case
])
def test_other_countries_match_by_japanese_name_width_and_case(typed, countries, own):
    assert scenario_country(typed, countries) == own


@pytest.mark.parametrize("typed, countries", [
    ("ケニア", ["Georgia", "Indonesia"]),  # a partner country the scenario does not have
    ("Atlantis", ["Georgia"]),
    ("Vietnam", ["Viet Nam"]),  # a different spelling is a typo for the hint, not a match
    ("georgia", ["Georgia", "GEORGIA"]),  # ambiguous
    ("", ["Georgia"]),
    ("   ", ["Georgia"]),
])
def test_no_match_or_an_ambiguous_one_is_none(typed, countries):
    assert scenario_country(typed, countries) is None


def test_japanese_names_are_those_the_app_showed():
    assert len(JAPANESE) == 30
    assert japanese("Georgia") == "ジョージア" and japanese("Viet Nam") == "ベトナム"
    assert japanese("UAE") == "アラブ首長国連邦" and japanese("Lao PDR") == "ラオス"
    assert japanese("Testland") == "Testland"
    baseline = tomllib.loads(BASELINE.read_text(encoding="utf-8"))["countries"]
    assert set(baseline) == set(JAPANESE)


# ---- the loader ----------------------------------------------------------------------------
def test_a_cp932_candidate_table_with_japanese_country_names_loads(tmp_path: Path):
    text = CSV_HEADER + "".join(ROW.format(id=f"c-{i}", country=c) for i, c in
                                enumerate(["ジョージア", "ＧＥＯＲＧＩＡ", "georgia", "ジョージア",
                                           "インドネシア"]))
    path = _two_countries(tmp_path, csv=text.encode("cp932"))
    notes: list[str] = []
    s = load_scenario(path, notes)
    assert [p.country for p in s.projects] == ["Georgia"] * 4 + ["Indonesia"]
    csv = str(tmp_path / "c.csv")
    assert notes[0] == f"{csv}: read as Shift_JIS (CP932)"
    # one note per name read, naming the file; the table reader already made ＧＥＯＲＧＩＡ ASCII
    assert notes[1:] == [f"{csv}: country 'ジョージア' read as 'Georgia'",
                         f"{csv}: country 'GEORGIA' read as 'Georgia'",
                         f"{csv}: country 'georgia' read as 'Georgia'",
                         f"{csv}: country 'インドネシア' read as 'Indonesia'"]


def test_a_toml_project_in_japanese_gets_the_scenario_name(write_scenario):
    path = write_scenario('[projects.zz-new]\nname = "x"\ncountry = "インドネシア"\n'
                          'technology = "t"\nkind = "demonstration"\nstatus = "candidate"\n'
                          "earliest_start_fy = 2027\n")
    notes: list[str] = []
    s = load_scenario(path, notes)
    assert s.project("zz-new").country == "Indonesia"
    assert notes == [f"{path}: country 'インドネシア' read as 'Indonesia'"]


def test_a_full_width_toml_country_is_noted_as_typed(tmp_path: Path):
    path = _two_countries(tmp_path, '[projects.zz-new]\nname = "x"\ncountry = " ＧＥＯＲＧＩＡ "\n'
                          'technology = "t"\nkind = "demonstration"\nstatus = "candidate"\n'
                          "earliest_start_fy = 2027\n")
    notes: list[str] = []
    assert load_scenario(path, notes).project("zz-new").country == "Georgia"
    assert notes == [f"{path}: country ' ＧＥＯＲＧＩＡ ' read as 'Georgia'"]


def test_a_name_the_scenario_has_needs_no_note(write_scenario):
    notes: list[str] = []
    load_scenario(write_scenario(""), notes)
    assert notes == []


def test_a_japanese_name_of_a_country_not_in_the_scenario_is_refused(tmp_path: Path):
    body = ('[projects.zz-new]\nname = "x"\ncountry = "ケニア"\ntechnology = "t"\n'
            'kind = "demonstration"\nstatus = "candidate"\nearliest_start_fy = 2027\n')
    path = _two_countries(tmp_path, body, csv=(CSV_HEADER + ROW.format(id="c-1", country="ケニア")
                                               ).encode("cp932"))
    toml, row = _problems(path)
    assert (toml.file, toml.field) == (str(path), "projects.zz-new.country")
    assert toml.rule == "unknown country 'ケニア' (allowed: Georgia, Indonesia)"
    assert (row.file, row.field) == (str(tmp_path / "c.csv"), "row 2 (id c-1), column country")
    assert row.rule == "unknown country 'ケニア' (allowed: Georgia, Indonesia)"


def test_an_ambiguous_name_is_refused():
    raw = {**HAND_WORKED, "countries": {"Testland": {}, "TESTLAND": {}}}
    raw["projects"] = {"demo": {**HAND_WORKED["projects"]["demo"], "country": "testland"}}
    with pytest.raises(InputError) as info:
        scenario_from_dict(raw, "dict.toml")
    [problem] = info.value.problems
    assert (problem.file, problem.field) == ("dict.toml", "projects.demo.country")
    assert problem.rule.startswith("unknown country 'testland'")


def test_a_typo_still_gets_the_hint(write_scenario):
    [problem] = _problems(write_scenario('[projects.id-smart-factory]\ncountry = "Vietnam"\n'))
    assert problem.rule.startswith("unknown country 'Vietnam'; did you mean 'Viet Nam'?")


def test_the_unknown_rule_names_a_country_containing_key_as_written(tmp_path: Path):
    # the word "key" inside a name is not the message's own "unknown key"
    [problem] = _problems(_two_countries(
        tmp_path, '[projects.zz-new]\nname = "x"\ncountry = "Turkey"\ntechnology = "t"\n'
        'kind = "demonstration"\nstatus = "candidate"\nearliest_start_fy = 2027\n'))
    assert problem.rule == "unknown country 'Turkey' (allowed: Georgia, Indonesia)"


def test_jcm_validate_prints_the_note(tmp_path: Path, run_cli):
    text = CSV_HEADER + ROW.format(id="c-1", country="ジョージア")
    path = _two_countries(tmp_path, csv=text.encode("cp932"))
    proc = run_cli("validate", path)
    assert proc.returncode == 0, proc.stderr
    assert f"note: {tmp_path / 'c.csv'}: country 'ジョージア' read as 'Georgia'" in proc.stdout


# ---- the app -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, shown", [("en", "Georgia"), ("ja", "ジョージア")])
def test_the_app_shows_countries_in_the_page_language(monkeypatch, lang, shown):
    from webapp import i18n, names

    monkeypatch.setattr(i18n, "lang", lambda: lang)
    assert names.country("Georgia") == shown
    assert names.country("Atlantis") == "Atlantis"
    assert names.assumption("countries.Viet Nam") == ("ベトナム" if lang == "ja" else "Viet Nam")
    assert names.project("x", "Heat pumps demonstration in Georgia") == (
        "ジョージアにおけるヒートポンプの実証" if lang == "ja"
        else "Heat pumps demonstration in Georgia")


@pytest.mark.parametrize("message, japanese_text", [
    ("c.csv: country 'ＧＥＯＲＧＩＡ' read as 'Georgia'",
     "c.csv：国名「ＧＥＯＲＧＩＡ」を「ジョージア（Georgia）」として読み込みました"),
    ("unknown country 'ケニア' (allowed: Georgia, Indonesia, Testland)",
     "国「ケニア」は登録されていません（使用可能：ジョージア（Georgia）、インドネシア（Indonesia）、"
     "Testland）"),
    ("unknown country 'Vietnam'; did you mean 'Viet Nam'? (allowed: Thailand, Viet Nam)",
     "国「Vietnam」は登録されていません。「ベトナム（Viet Nam）」のことですか？"
     "（使用可能：タイ（Thailand）、ベトナム（Viet Nam））"),
])
def test_the_note_and_the_rule_read_in_japanese(message, japanese_text):
    from webapp.messages_ja import RULES, translate

    assert translate(message, RULES) == japanese_text


@pytest.mark.parametrize("lang, words", [
    ("en", ("candidates.csv: country 'ジョージア' read as 'Georgia'",
            "candidates.csv: country 'georgia' read as 'Georgia'")),
    ("ja", ("candidates.csv：国名「ジョージア」を「ジョージア（Georgia）」として読み込みました",
            "candidates.csv：国名「GEORGIA」を「ジョージア（Georgia）」として読み込みました",
            "candidates.csv：Shift_JIS (CP932) として読み込みました")),
])
def test_an_upload_with_japanese_country_names_loads_and_says_so(lang, words):
    from tests.test_app_support import _plain, errors, texts
    from tests.test_app_uploads import CSV, upload

    body = CSV_HEADER + "".join(ROW.format(id=f"jp-{i}", country=c) for i, c in
                                enumerate(["ジョージア", "ＧＥＯＲＧＩＡ", "georgia"]))
    at, _ = upload(lang, ("candidates.csv", body.encode("cp932"), CSV))
    assert not errors(at), errors(at)
    projects = at.session_state["_work"]["projects"]
    assert {"jp-0", "jp-1", "jp-2"} <= set(projects)
    # the edited copy (what the editor shows and a download saves) has the scenario's name
    assert [projects[f"jp-{i}"]["country"] for i in range(3)] == ["Georgia"] * 3
    page = _plain(texts(at))  # as the planner reads it, without Markdown escapes
    for word in words:
        assert word in page, page[-800:]
    if lang == "ja":
        assert "read as" not in page


def test_the_resolved_dictionary_writes_the_scenario_names(tmp_path: Path):
    from sim.scenario_io import resolve_scenario_dict

    text = CSV_HEADER + ROW.format(id="c-0", country="ジョージア") + ROW.format(
        id="c-1", country="Atlantis")
    raw = resolve_scenario_dict(_two_countries(
        tmp_path, '[projects.t-1]\nname = "x"\ncountry = { value = "indonesia", source = "s" }\n',
        csv=text.encode("cp932")))
    assert raw["projects"]["c-0"]["country"] == "Georgia"
    assert raw["projects"]["c-1"]["country"] == "Atlantis"  # unknown: left for the loader
    assert raw["projects"]["t-1"]["country"] == {"value": "Indonesia", "source": "s"}
