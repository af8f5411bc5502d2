"""Backtest: put the model at a past cut-off, forecast what the data show happened after it.

For each observable the data allow, every case observed after the cut-off is compared with
the model's P10–P90 band:

* ``monitoring_end_to_issuance_months`` — ``verification_months`` plus the wait for the next
  Joint Committee decision in the case's country, sampled from the calibrated distributions
  (the same ones the lifecycle engine samples) with a seeded :class:`numpy.random.Generator`;
* ``registration_to_first_issuance_months`` — monitoring period + verification + JC wait
  (counted from the registration decision), sampled the same way;
* ``monitoring_period_months`` — the calibrated monitoring-period distribution;
* ``first_issuance_t`` — credits of a first issuance: expected t/yr × performance ratio ×
  monitoring period / 12 (the period as recorded, or drawn from the model where the data do
  not give it);
* ``cumulative_jcm_issuance_t`` — JCM credits issued in total by later dates
  (``jcm_aggregates.csv``), from :func:`sim.montecarlo.simulate` on a scenario built here
  from what was known at the cut-off: the registered projects (counts and reported
  potential), the MOEJ-financed projects not yet registered, and the credits issued so far.

The defaults come from :mod:`sim.calibration`, which fits them on all the data, later
observations included; each case says whether its rows were among those fitted
(``fitted_on``). The cumulative issuance is never fitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from sim.calibration import Calibration, calibrate, jc_wait_months
from sim.distributions import Distribution, Uniform
from sim.errors import InputError
from sim.jcm_data import (
    Data,
    Observation,
    first_date,
    issuance_date,
    monitoring_end,
    monitoring_end_to_issuance,
    monitoring_periods,
    months_between,
    number,
    registration_to_first_issuance,
)
from sim.scenario import Assumptions, Country, Program, Project, Scenario

#: Months a financed project may still need to be installed (MOEJ rule: within 3 years).
INSTALL_MONTHS = Uniform(0.0, 36.0)
#: Crediting years simulated for each JCM project (longer than any observation window; the
#: JCM crediting-period rule is not in the data).
CREDITING_YEARS = 20.0


@dataclass
class Case:
    """One observation compared with the model's band."""

    rows: list[str]
    observed: float
    p10: float
    p50: float
    p90: float
    date: str | None = None
    fitted_on: bool = False
    note: str = ""

    @property
    def position(self) -> str:
        if self.observed < self.p10:
            return "below"
        if self.observed > self.p90:
            return "above"
        return "inside"

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "observed": round(self.observed, 3),
                "p10": round(self.p10, 3), "p50": round(self.p50, 3), "p90": round(self.p90, 3),
                "position": self.position, "date": self.date, "fitted_on": self.fitted_on,
                "note": self.note}


@dataclass
class Observable:
    """An observable and its cases."""

    name: str
    description: str
    unit: str
    cases_detail: list[Case] = field(default_factory=list)
    note: str = ""

    def count(self, position: str) -> int:
        return sum(c.position == position for c in self.cases_detail)

    @property
    def coverage(self) -> float | None:
        n = len(self.cases_detail)
        return self.count("inside") / n if n else None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "unit": self.unit,
                "cases": len(self.cases_detail), "inside": self.count("inside"),
                "coverage": self.coverage, "below": self.count("below"),
                "above": self.count("above"), "note": self.note,
                "cases_detail": [c.as_dict() for c in self.cases_detail]}


@dataclass
class Backtest:
    """Everything a backtest produced."""

    cutoff: str
    trials: int
    seed: int
    observables: list[Observable]
    known: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        cases = [c for o in self.observables for c in o.cases_detail]
        inside = sum(c.position == "inside" for c in cases)
        return {"cutoff": self.cutoff, "trials": self.trials, "seed": self.seed,
                "observables": [o.as_dict() for o in self.observables],
                "all": {"cases": len(cases), "inside": inside,
                        "coverage": inside / len(cases) if cases else None},
                "known_at_cutoff": self.known}


def parse_cutoff(text: str, where: str = "--cutoff") -> date:
    """A cut-off ``YYYY-04``: the start of a Japanese fiscal year (where the model starts)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise InputError.single("<command line>", where,
                                f"'{text}' is not a month written YYYY-MM (e.g. 2016-04)")
    if int(m[2]) != 4:
        raise InputError.single("<command line>", where,
                                f"'{text}': the cut-off must be the start of a fiscal year, "
                                f"YYYY-04 (the model starts on 1 April)")
    if not 2014 <= int(m[1]) <= 2025:
        raise InputError.single("<command line>", where,
                                f"'{text}': the cut-off must lie between 2014-04 and 2025-04 "
                                "(the data must hold something before and after it)")
    return date(int(m[1]), 4, 1)


def band(draws: np.ndarray) -> tuple[float, float, float]:
    """P10, P50, P90 of ``draws``."""
    p10, p50, p90 = np.percentile(np.asarray(draws, dtype=float), [10, 50, 90])
    return float(p10), float(p50), float(p90)


def _rng(seed: int, key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key,)))


def _after(o: Observation, cutoff: date, first_issuance: date | None) -> bool:
    """Observed after the cut-off: dated after it, or undated but later than the first JCM
    issuance (which every issuance is) when the cut-off precedes that."""
    if o.known is not None:
        return o.known >= cutoff
    return first_issuance is not None and first_issuance >= cutoff


def _first_jcm_issuance(data: Data) -> date | None:
    dates = [first_date(r.get("as_of")) for r in data.aggregates
             if r.get("metric") == "jcm_credits_issued_cumulative"]
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def run_backtest(data: Data, cutoff: date, trials: int, seed: int,
                 cal: Calibration | None = None) -> Backtest:
    """Run the backtest at ``cutoff`` with ``trials`` draws per case (and Monte Carlo trials)."""
    if trials < 1:
        raise InputError.single("<command line>", "--trials", "must be at least 1")
    cal = cal or calibrate(data)

    def rows_of(*paths: str) -> set[str]:
        return {ref for p in paths for o in cal.fit(p).observations for ref in o.refs}

    verif_rows = rows_of("assumptions.verification_months")
    period_rows = rows_of("defaults.demonstration.monitoring_period_months")
    perf_rows = rows_of("defaults.demonstration.performance_ratio")
    first_iss = _first_jcm_issuance(data)
    verif = cal.fit("assumptions.verification_months").dist
    period = cal.fit("defaults.demonstration.monitoring_period_months").dist
    perf = cal.fit("defaults.demonstration.performance_ratio").dist
    default_jc = cal.fit("assumptions.jc_interval_months").dist

    def jc(country: str) -> Distribution:
        return cal.countries.get(country, {}).get("jc_interval_months", default_jc)

    def case(o: Observation, draws: np.ndarray, fitted: set[str], note: str = "") -> Case:
        p10, p50, p90 = band(draws)
        return Case(list(o.refs), o.value, p10, p50, p90,
                    o.known.isoformat() if o.known else None,
                    bool(fitted.intersection(o.refs)), note or o.note)

    observables = []

    lag = Observable("monitoring_end_to_issuance_months",
                     "months from the end of monitoring to issuance", "months")
    rng = _rng(seed, 1)
    for o in monitoring_end_to_issuance(data):
        if _after(o, cutoff, first_iss):
            v = np.asarray(verif.sample(rng, trials), dtype=float)
            w = jc_wait_months(jc(o.country), v + 120.0, rng)
            lag.cases_detail.append(case(o, v + w, verif_rows))
    observables.append(lag)

    rfi = Observable("registration_to_first_issuance_months",
                     "months from registration to the first issuance", "months")
    rng = _rng(seed, 2)
    for o in registration_to_first_issuance(data):
        if _after(o, cutoff, first_iss):
            p = np.maximum(np.asarray(period.sample(rng, trials), dtype=float), 1.0)
            v = np.asarray(verif.sample(rng, trials), dtype=float)
            w = jc_wait_months(jc(o.country), p + v, rng, aligned=True)
            rfi.cases_detail.append(case(o, p + v + w, verif_rows | period_rows))
    observables.append(rfi)

    mon = Observable("monitoring_period_months",
                     "length of the monitoring period before an issuance", "months")
    rng = _rng(seed, 3)
    for o in monitoring_periods(data):
        if _after(o, cutoff, first_iss):
            draws = np.asarray(period.sample(rng, trials), dtype=float)
            mon.cases_detail.append(case(o, draws, period_rows))
    observables.append(mon)

    amounts = Observable("first_issuance_t", "credits of a first issuance given the expected "
                         "t/yr and the monitoring period", "t-CO2")
    rng = _rng(seed, 4)
    for o, t_per_yr, months in first_issuance_amounts(data):
        if not _after(o, cutoff, first_iss):
            continue
        m = (np.full(trials, months) if months is not None
             else np.maximum(np.asarray(period.sample(rng, trials), dtype=float), 1.0))
        draws = t_per_yr * np.asarray(perf.sample(rng, trials), dtype=float) * m / 12.0
        note = (f"expected {t_per_yr:,.0f} t/yr; " + (f"monitoring {months:.1f} months" if months
                is not None else "monitoring period not in the data: drawn from the model"))
        amounts.cases_detail.append(case(o, draws, perf_rows | period_rows, note))
    observables.append(amounts)

    cum, known = cumulative_issuance(data, cal, cutoff, trials, seed)
    observables.append(cum)
    return Backtest(f"{cutoff.year:04d}-{cutoff.month:02d}", trials, seed, observables, known)


def first_issuance_amounts(data: Data) -> list[tuple[Observation, float, float | None]]:
    """(observation of credits issued, expected t/yr, monitoring months or None) per project
    whose row gives both the credits of its (first) issuance and its expected reductions."""
    out = []
    for r in data.projects:
        issued = number(r.get("credits_issued_tco2"))
        if issued is None or not r.get("status").startswith("credits_issued"):
            continue
        t_per_yr = number(r.get("expected_er_tco2_per_yr"))
        m = re.search(r"([\d,]+) tCO2 over (\d{4})-(\d{4})", r.get("expected_er_other"))
        if t_per_yr is None and m:
            t_per_yr = float(m[1].replace(",", "")) / (int(m[3]) - int(m[2]) + 1)
        if t_per_yr is None:
            continue
        months = number(r.get("monitoring_months"))
        reg, end = first_date(r.get("registration_date")), monitoring_end(r)
        if months is None and reg and end:
            months = months_between(reg, end)
        out.append((Observation((r.ref,), issued, r.get("partner_country"), issuance_date(r)),
                    t_per_yr, months))
    return out


# cumulative JCM issuance -------------------------------------------------------------------
def _latest(data: Data, metric: str, before: date, unit: str | None = None):
    best = None
    for r in data.aggregates:
        if r.get("metric") != metric or (unit and r.get("unit") != unit):
            continue
        d = first_date(r.get("as_of"))
        v = number(r.get("value"))
        if d is None or v is None or d >= before:
            continue
        if best is None or d > best[0]:
            best = (d, v, r)
    return best


def known_at(data: Data, cutoff: date) -> dict[str, Any]:
    """What the data say was known before ``cutoff`` about the JCM as a whole."""
    reg = _latest(data, "jcm_registered_projects_cumulative", cutoff)
    fin = _latest(data, "moej_jcm_financed_projects_cumulative", cutoff)
    exp = _latest(data, "expected_cumulative_or_annual_reductions_selected_projects", cutoff,
                  unit="ktCO2/yr")
    potential = None
    for r in data.aggregates:
        m = re.search(r"total potential ([\d,]+) tCO2e?/yr", r.get("notes") + " " +
                      r.get("scope_or_definition"))
        d = first_date(r.get("as_of"))
        if m and d and d < cutoff and r.get("metric") == "jcm_registered_projects_cumulative":
            potential = (d, float(m[1].replace(",", "")), number(r.get("value")), r)
    agg = _latest(data, "jcm_credits_issued_cumulative", cutoff)
    issued_rows = [(issuance_date(r), number(r.get("credits_issued_tco2")), r)
                   for r in data.projects]
    issued_rows = [x for x in issued_rows if x[0] and x[1] is not None and x[0] < cutoff]
    from_rows = sum(x[1] for x in issued_rows)
    issued = max(agg[1] if agg else 0.0, from_rows)
    out: dict[str, Any] = {
        "registered_projects": int(reg[1]) if reg else 0,
        "registered_rows": [reg[2].ref] if reg else [],
        "financed_projects": int(fin[1]) if fin else 0,
        "financed_expected_t_per_yr": exp[1] * 1000 if exp and fin else None,
        "financed_rows": [x[2].ref for x in (fin, exp) if x],
        "reported_potential": None,
        "issued_t": issued,
        "issued_rows": ([agg[2].ref] if agg and agg[1] >= from_rows else
                        [x[2].ref for x in issued_rows]),
    }
    if potential:
        out["reported_potential"] = {"projects": int(potential[2]),
                                     "t_per_yr": potential[1], "row": potential[3].ref}
    return out


def jcm_scenario(data: Data, cal: Calibration, cutoff: date) -> tuple[Scenario, dict]:
    """The JCM as known before ``cutoff``, as a scenario of quantification-kind projects.

    Registered projects credit from the cut-off; financed projects not yet registered are
    installed (up to 3 years), validated and registered first. Projects whose potential was
    reported carry it; the others the financed projects' average expected reductions. Every
    project is placed in a partner country signed before the cut-off, in turn, so each sees
    its country's Joint Committee cadence.
    """
    k = known_at(data, cutoff)
    fy = cutoff.year
    n_reg, n_fin = k["registered_projects"], k["financed_projects"]
    fin_avg = (k["financed_expected_t_per_yr"] / n_fin) if k["financed_expected_t_per_yr"] else None
    pot = k["reported_potential"]
    n_pot = min(pot["projects"], n_reg) if pot else 0
    pot_avg = pot["t_per_yr"] / pot["projects"] if pot else None
    fallback = fin_avg if fin_avg is not None else pot_avg
    if fallback is None:
        raise InputError.single("jcm_aggregates.csv", "", "no registered or financed projects "
                                f"with expected reductions are recorded before {cutoff}")
    signed = [name for name, c in cal.countries.items()
              if c.get("signed") and c["signed"] < f"{cutoff.year:04d}-{cutoff.month:02d}"]
    default_jc = cal.fit("assumptions.jc_interval_months").dist
    countries = {name: Country(jc_interval_months=cal.countries[name].get("jc_interval_months"),
                               source="calibration table") for name in signed}
    d = {f.path.rsplit(".", 1)[1]: f.dist for f in cal.fits
         if f.path.startswith("defaults.quantification.")}
    common = dict(kind="quantification", status="running", technology="JCM project",
                  main_cost_oku_yen=0.0, started_fy=fy - 1, followup_years=CREDITING_YEARS,
                  performance_ratio=d["performance_ratio"], issuance_prob=d["issuance_prob"],
                  registration_prob=d["registration_prob"], japan_share=d["japan_share"],
                  monitoring_period_months=d["monitoring_period_months"],
                  source="backtest: JCM as known at the cut-off")
    projects = []
    n_pipe = max(n_fin - n_reg, 0)
    for i in range(n_reg + n_pipe):
        registered = i < n_reg
        t_per_yr = pot_avg if i < n_pot else fallback
        projects.append(Project(
            id=f"jcm-{i + 1:03d}", name=f"JCM project {i + 1}",
            country=signed[i % len(signed)], expected_t_per_yr=t_per_yr,
            stage="followup" if registered else "main", registered=registered,
            main_months=0.0 if registered else INSTALL_MONTHS,
            issued_t=k["issued_t"] if i == 0 else 0.0, **common))
    sc = Scenario(
        name=f"JCM as known before {cutoff.isoformat()}",
        program=Program(first_fy=min(2013, fy - 1), last_fy=fy, as_of_fy=fy, horizon_fy=2040,
                        midterm_evaluation_fy=fy, final_evaluation_fy=fy),
        budget_oku_yen={},
        assumptions=Assumptions(
            tpe_capacity=1_000, staff_limit=1_000,
            validation_months=cal.fit("assumptions.validation_months").dist,
            verification_months=cal.fit("assumptions.verification_months").dist,
            jc_interval_months=default_jc),
        countries=countries, projects=tuple(projects))
    k["projects_simulated"] = {"registered": n_reg, "not_yet_registered": n_pipe,
                               "t_per_yr_reported_potential": pot_avg, "projects_at_it": n_pot,
                               "t_per_yr_others": fallback}
    return sc, k


def cumulative_at(credits_t: np.ndarray, years: np.ndarray, when: date) -> np.ndarray:
    """Cumulative credits per trial at ``when``: whole fiscal years before it, plus the
    elapsed share of its fiscal year (issuance spread evenly within a year)."""
    per_year = credits_t.sum(axis=1)  # (trials, years)
    fy = when.year if when.month >= 4 else when.year - 1
    k = int(np.searchsorted(years, fy))
    before = per_year[:, :k].sum(axis=1)
    if k >= len(years):
        return before
    frac = months_between(date(fy, 4, 1), when) / 12.0
    return before + frac * per_year[:, k]


def cumulative_issuance(data: Data, cal: Calibration, cutoff: date, trials: int,
                        seed: int) -> tuple[Observable, dict]:
    """Cumulative JCM issuance at the dates ``jcm_aggregates.csv`` reports after ``cutoff``."""
    from sim.montecarlo import simulate  # the engine, only when needed

    obs = Observable("cumulative_jcm_issuance_t",
                     "JCM credits issued in total (all projects) by a later date", "t-CO2",
                     note="simulated with sim.montecarlo.simulate on the JCM as known at the "
                          "cut-off; never used in the calibration")
    rows = []
    for r in data.aggregates:
        if r.get("metric") == "jcm_credits_issued_cumulative":
            d, v = first_date(r.get("as_of")), number(r.get("value"))
            if d and v is not None and d >= cutoff:
                rows.append((d, v, r))
    if not rows:
        return obs, known_at(data, cutoff)
    sc, known = jcm_scenario(data, cal, cutoff)
    res = simulate(sc, trials, seed)
    for d, v, r in sorted(rows, key=lambda x: x[0]):
        draws = cumulative_at(res.credits_t, res.years, d)
        p10, p50, p90 = band(draws)
        obs.cases_detail.append(Case([r.ref], v, p10, p50, p90, d.isoformat(), False,
                                     r.get("notes")))
    return obs, known
