"""``jcm backtest``: the JSON it writes, bad options, and hand-made cases inside/outside a band.

The data live beside the repository in ``shared/data`` (never copied into the project);
without them the tests that need them are skipped.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sim.backtest import Case, Observable, band, cumulative_at, parse_cutoff, run_backtest
from sim.calibration import calibrate
from sim.errors import InputError
from sim.jcm_data import Data
from tests.conftest import run_jcm

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT.parent / "shared" / "data"

needs_data = pytest.mark.skipif(
    not (DATA / "jcm_projects.csv").is_file(),
    reason=f"JCM data not found at {DATA} (expected shared/ beside the repository)",
)


# hand-made cases --------------------------------------------------------------------------
def test_position_and_coverage_of_hand_made_cases():
    obs = Observable("x", "hand-made", "months", [
        Case(["a"], 5.0, 1.0, 2.0, 3.0),  # obviously above
        Case(["b"], 0.5, 1.0, 2.0, 3.0),  # obviously below
        Case(["c"], 2.5, 1.0, 2.0, 3.0),  # inside
        Case(["d"], 3.0, 1.0, 2.0, 3.0),  # on the P90: inside
    ])
    assert [c.position for c in obs.cases_detail] == ["above", "below", "inside", "inside"]
    d = obs.as_dict()
    assert (d["cases"], d["inside"], d["below"], d["above"]) == (4, 2, 1, 1)
    assert d["coverage"] == 0.5
    assert Observable("y", "none", "t").as_dict()["coverage"] is None


def test_band_of_known_draws():
    assert band(np.arange(101.0)) == (10.0, 50.0, 90.0)


def test_cumulative_at_spreads_a_year_evenly():
    credits = np.zeros((1, 2, 3))  # one trial, two projects, FY2016-FY2018
    credits[0, 0] = [10.0, 12.0, 24.0]
    credits[0, 1] = [0.0, 12.0, 0.0]
    years = np.array([2016, 2017, 2018])
    half = cumulative_at(credits, years, date(2017, 10, 1))[0]
    assert half == pytest.approx(10.0 + 24.0 * 183 / 30.4375 / 12)
    assert cumulative_at(credits, years, date(2019, 4, 1))[0] == pytest.approx(58.0)


@pytest.mark.parametrize("text,rule", [
    ("2016-05", "start of a fiscal year"), ("abc", "YYYY-MM"), ("2016-13", "YYYY-MM"),
    ("2010-04", "between 2014-04 and 2025-04"),
])
def test_bad_cutoff(text, rule):
    with pytest.raises(InputError) as err:
        parse_cutoff(text)
    assert rule in str(err.value) and "--cutoff" in str(err.value)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


@needs_data
def test_tiny_data_set_inside_and_outside(tmp_path):
    """Two made-up issuances: a 13-month lag (inside the band) and a 199-month one (above)."""
    real = Data.load(DATA)
    cal = calibrate(real)
    header = list(csv.DictReader((DATA / "jcm_projects.csv").open(encoding="utf-8")).fieldnames)
    base = {k: "" for k in header}
    _write(tmp_path / "jcm_projects.csv", header, [
        {**base, "row_id": "1", "partner_country": "Indonesia", "status": "credits_issued",
         "monitoring_period": "2019-01-01 to 2019-01-31", "issuance_date": "2020-03-01"},
        {**base, "row_id": "2", "partner_country": "Indonesia", "status": "credits_issued",
         "monitoring_period": "1999-01-01 to 2000-01-31", "issuance_date": "2016-09-01"},
    ])
    for name in ("jcm_aggregates.csv", "jcm_partner_countries.csv", "priors.csv"):
        fields = csv.DictReader((DATA / name).open(encoding="utf-8")).fieldnames
        _write(tmp_path / name, list(fields), [])
    result = run_backtest(Data.load(tmp_path), date(2016, 4, 1), 2000, 5, cal=cal)
    lag = result.observables[0].as_dict()
    assert lag["name"] == "monitoring_end_to_issuance_months"
    positions = {c["rows"][0]: c["position"] for c in lag["cases_detail"]}
    assert positions == {"jcm_projects.csv#1": "inside", "jcm_projects.csv#2": "above"}
    assert (lag["cases"], lag["inside"], lag["above"], lag["coverage"]) == (2, 1, 1, 0.5)
    assert all(o.cases_detail == [] for o in result.observables[1:])


# through the command line -------------------------------------------------------------------
@needs_data
@pytest.mark.parametrize("cutoff", ["2016-04", "2018-04"])
def test_cli_json(tmp_path, cutoff):
    out = tmp_path / "bt.json"
    proc = run_jcm("backtest", "--cutoff", cutoff, "--trials", "40", "--seed", "3",
                   "--json", out)
    assert proc.returncode == 0, proc.stderr
    assert "coverage" in proc.stdout and "cumulative_jcm_issuance_t" in proc.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["cutoff"] == cutoff
    names = [o["name"] for o in report["observables"]]
    assert names == ["monitoring_end_to_issuance_months",
                     "registration_to_first_issuance_months", "monitoring_period_months",
                     "first_issuance_t", "cumulative_jcm_issuance_t"]
    total = 0
    for o in report["observables"]:
        assert o["cases"] == len(o["cases_detail"])
        assert o["inside"] + o["below"] + o["above"] == o["cases"]
        if o["cases"]:
            assert 0.0 <= o["coverage"] <= 1.0
            assert o["coverage"] == pytest.approx(o["inside"] / o["cases"])
        for c in o["cases_detail"]:
            assert c["rows"] and c["p10"] <= c["p50"] <= c["p90"]
            assert {"observed", "p10", "p50", "p90"} <= set(c)
        total += o["cases"]
    assert report["all"]["cases"] == total > 0
    # every case is observed after the cut-off (or undated, before the first issuance)
    dated = [c["date"] for o in report["observables"] for c in o["cases_detail"] if c["date"]]
    assert all(d >= cutoff for d in dated)


@pytest.mark.parametrize("args,message", [
    (["--cutoff", "2016-05"], "start of a fiscal year"),
    (["--cutoff", "April 2016"], "YYYY-MM"),
    (["--trials", "0"], "--trials: must lie between 1 and 20,000"),
    (["--data", "/nonexistent-jcm-data"], "data file not found"),
])
def test_cli_bad_options(args, message):
    proc = run_jcm("backtest", *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
