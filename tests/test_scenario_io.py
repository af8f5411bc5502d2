"""Scenario dictionaries: resolve, TOML round trip, diff and apply."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sim.loader import load_scenario, scenario_from_dict
from sim.scenario_io import apply, diff, resolve_scenario_dict, to_toml

ROOT = Path(__file__).resolve().parents[1]


def test_resolved_dictionary_round_trips_through_toml_to_the_same_scenario():
    for name in ("baseline", "budget_low"):
        raw = resolve_scenario_dict(ROOT / "scenarios" / f"{name}.toml")
        again = tomllib.loads(to_toml(raw))
        assert again == raw
        a = scenario_from_dict(again)
        b = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        assert a.projects == b.projects
        assert a.budget_oku_yen == b.budget_oku_yen


def test_diff_names_only_what_changed_and_apply_restores_it():
    base = resolve_scenario_dict(ROOT / "scenarios" / "baseline.toml")
    edited = resolve_scenario_dict(ROOT / "scenarios" / "baseline.toml")
    edited["budget"]["FY2027"] = 6.0
    dropped = next(iter(edited["projects"]))
    del edited["projects"][dropped]
    changes = diff(base, edited)
    assert changes == {"budget": {"FY2027": 6.0}, "exclude_projects": [dropped]}
    assert apply(base, changes) == edited
