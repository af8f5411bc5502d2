"""Names in a given language (:mod:`report.names`): everything the shipped scenarios contain
has a Japanese name, a name not in the catalogue stays as written, and the app's names
(:mod:`webapp.names`, the session's language) are the same lookups."""

from __future__ import annotations

import pytest

from report import names
from sim.loader import load_scenario
from tests.test_app_support import ROOT

SHIPPED = sorted((ROOT / "scenarios").rglob("*.toml"))


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario(path) for path in SHIPPED]


def test_everything_the_shipped_scenarios_contain_has_a_japanese_name(scenarios):
    for sc in scenarios:
        assert names.scenario_name(sc.name, "ja") != sc.name, sc.name
        for p in sc.projects:
            assert names.project_name(p.id, p.name, "ja") != p.name, (sc.name, p.id)
            assert p.technology in names.catalog()["technologies"], (sc.name, p.technology)
            assert names.country(p.country, "ja") != p.country, (sc.name, p.country)
        for source in sc.sources.values():
            cited = names.source(source, "ja")
            assert not cited.startswith(("assumption", "illustrative", "what-if")), source
            assert ".csv" not in cited and "PROGRAM.md" not in cited, source


def test_names_not_in_the_catalogue_stay_as_written():
    assert names.scenario_name("My upload", "ja") == "My upload"
    assert names.project_name("mine", "Our own idea", "ja") == "Our own idea"
    assert names.technology("our technology", "ja") == "our technology"
    assert names.country("Atlantis", "ja") == "Atlantis"
    assert names.project_name("mine", None, "ja") == ""
    # a generated candidate's name is said by its pattern
    assert names.project_name("x", "Solar PV demonstration in Viet Nam", "ja") == \
        "ベトナムにおける太陽光発電の実証"
    # English: everything as written, shipped sources as citations
    assert names.scenario_name("Baseline", "en") == "Baseline"
    assert names.project_name("mx-waste-heat", "Cement", "en") == "Cement"
    assert names.source("assumption", "en") == "Assumption"
    assert names.source("assumption: my guess", "ja") == "仮定：my guess"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_apps_names_are_the_same_lookups(monkeypatch, scenarios, lang):
    from webapp import i18n
    from webapp import names as app

    monkeypatch.setattr(i18n, "lang", lambda: lang)
    for sc in scenarios:
        assert app.scenario(sc.name) == names.scenario_name(sc.name, lang)
        for p in sc.projects:
            assert app.project(p.id, p.name) == names.project_name(p.id, p.name, lang)
            assert app.technology(p.technology) == names.technology(p.technology, lang)
            assert app.country(p.country) == names.country(p.country, lang)
        for source in sc.sources.values():
            assert app.source(source) == names.source(source, lang)
