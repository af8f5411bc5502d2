"""Default distributions derived from the public JCM/CDM data in ``../shared/data``.

Pure functions: read the CSV files (csv module), pick out the observations each default rests
on (with the file and row they came from), fit a stated distribution to them, and describe
the result. ``scripts/calibrate.py`` writes the table (``docs/calibration.md`` and
``docs/calibration.json``); ``tests/test_calibration.py`` checks that
``scenarios/baseline.toml`` holds exactly what is derived here, so the two cannot drift.

Reading the data and picking out the observations (with their row references) is
:mod:`sim.jcm_data`.

Fitting methods (each stated again in the table):

* ``band``: a lognormal whose P10 and P90 are the smallest and largest observation, widened
  by 10 % outward (0.9 × smallest, 1.1 × largest); used where there are fewer than 6 cases.
* ``range``: a triangular from 0.9 × smallest to 1.1 × largest with its mode at the median;
  used where there are 6 or more cases.
* Joint Committee cadence: uniform between the shortest and longest gap between decisions.
* The lag from the end of monitoring to issuance is ``verification_months`` plus the wait for
  the next Joint Committee decision in the project's country; ``verification_months`` is a
  lognormal chosen (by iteration on seeded draws) so that the simulated lag has the ``band``
  P10 and P90 of the observed lags.

Durations are in months of 30.4375 days.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.distributions import Beta, Distribution, LogNormal, Triangular, Uniform
from sim.errors import InputError
from sim.jcm_data import (
    Data,
    Observation,
    cdm_validation_months,
    cdm_values,
    japan_shares,
    jc_decision_gaps,
    jc_meetings,
    monitoring_end_to_issuance,
    monitoring_periods,
    nedo_demonstrations_issued,
    registration_to_first_issuance,
    signing_month,
    signing_to_first_registration,
)

#: Widening of the observed range on each side, for the ``band`` and ``range`` fits.
WIDEN = 0.10
#: Below this many cases a duration is fitted with ``band``; from it on with ``range``.
RANGE_MIN_CASES = 6
#: Weight (in projects) of the CDM prior on the chance a registered project ever issues.
ISSUANCE_PRIOR_WEIGHT = 3.0
#: Concentration a + b of the performance-ratio beta (the data give only its mean).
PERFORMANCE_CONCENTRATION = 10.0
#: Seed and draws of the simulation that calibrates and checks composite delays.
CAL_SEED = 20240601
CAL_DRAWS = 40_000
Z90 = 1.2815515655446004  # standard normal quantile at 0.9


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
def _r(x: float, nd: int = 1) -> float:
    return round(float(x), nd)


def fit_band(values: list[float], widen: float = WIDEN) -> LogNormal:
    """Lognormal with P10 = (1 - widen) × min and P90 = (1 + widen) × max (mean, sd rounded)."""
    lo, hi = (1 - widen) * min(values), (1 + widen) * max(values)
    return lognormal_from_p10_p90(lo, hi)


def lognormal_from_p10_p90(p10: float, p90: float, rounded: bool = True) -> LogNormal:
    """The lognormal with these P10 and P90 (its mean and sd rounded to 0.1 unless not
    ``rounded``)."""
    mu = (math.log(p10) + math.log(p90)) / 2
    s = (math.log(p90) - math.log(p10)) / (2 * Z90)
    mean = math.exp(mu + s * s / 2)
    sd = mean * math.sqrt(math.expm1(s * s))
    return LogNormal(_r(mean), _r(sd)) if rounded else LogNormal(mean, sd)


def fit_range(values: list[float], widen: float = WIDEN) -> Triangular:
    """Triangular from (1 - widen) × min to (1 + widen) × max, mode at the median (rounded)."""
    return Triangular(_r((1 - widen) * min(values)), _r(statistics.median(values)),
                      _r((1 + widen) * max(values)))


def fit_duration(values: list[float]) -> tuple[Distribution, str]:
    """``band`` below :data:`RANGE_MIN_CASES` cases, else ``range``; with the method's words."""
    if len(values) < RANGE_MIN_CASES:
        return fit_band(values), (
            f"band: lognormal with P10 = 0.9 × smallest ({min(values):.1f}) and P90 = 1.1 × "
            f"largest ({max(values):.1f}) observation")
    return fit_range(values), (
        f"range: triangular from 0.9 × smallest ({min(values):.1f}) to 1.1 × largest "
        f"({max(values):.1f}), mode at the median ({statistics.median(values):.1f})")


def jc_wait_months(
    interval: Distribution, after_months: np.ndarray | float, rng: np.random.Generator,
    size: int | None = None, aligned: bool = False,
) -> np.ndarray:
    """Months from ``after_months`` to the next Joint Committee decision.

    Decision times are drawn as the lifecycle's :class:`sim.resources.JointCommittee` draws
    them: the first at a random phase of the first interval (``aligned``: at time 0, e.g. a
    registration that was itself a decision), then successive intervals (at least 0.01).
    """
    t = np.broadcast_to(np.asarray(after_months, dtype=float), (size,) if size else np.shape(
        after_months)).copy()
    n = t.size
    first = np.asarray(interval.sample(rng, n), dtype=float)
    times = first if aligned else rng.uniform(0.0, 1.0, n) * first
    while True:
        behind = times <= t
        if not behind.any():
            break
        k = int(behind.sum())
        times[behind] += np.maximum(np.asarray(interval.sample(rng, k), dtype=float), 0.01)
    return times - t


@dataclass
class Fit:
    """One calibrated default: where it goes, what it rests on, how it was fitted, the result."""

    path: str  # e.g. "assumptions.verification_months"
    label: str
    observations: list[Observation]
    method: str
    dist: Distribution | bool | str
    evidence: str  # "JCM", "CDM", "JCM + CDM", "assumption"
    notes: str = ""
    check: dict[str, Any] = field(default_factory=dict)  # simulated/analytic band + coverage
    unit: str = "months"

    @property
    def text(self) -> str:
        d = self.dist
        return d.to_text() if isinstance(d, Distribution) else str(d)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "distribution": self.text,
                "method": self.method, "evidence": self.evidence, "notes": self.notes,
                "unit": self.unit, "observations": [o.as_dict() for o in self.observations],
                "check": self.check}


def _band_check(values: list[float], draws: np.ndarray,
                support: tuple[float, float] = (0.0, math.inf)) -> dict[str, Any]:
    p10, p50, p90 = (float(v) for v in np.percentile(draws, [10, 50, 90]))
    lo, hi = support
    inside = [p10 <= v <= p90 for v in values]
    return {"p10": round(p10, 2), "p50": round(p50, 2), "p90": round(p90, 2),
            "cases": len(values), "inside_p10_p90": int(sum(inside)),
            "missed": [round(v, 2) for v, ok in zip(values, inside, strict=True) if not ok],
            "in_support": int(sum(lo <= v <= hi for v in values))}


@dataclass
class Calibration:
    """Every calibrated default, plus the per-country settings for ``[countries]``."""

    fits: list[Fit]
    countries: dict[str, dict[str, Any]]
    data_dir: str

    def fit(self, path: str) -> Fit:
        for f in self.fits:
            if f.path == path:
                return f
        raise KeyError(path)

    def defaults(self) -> dict[str, Distribution]:
        """Field path → distribution, for every default fitted to data (not assumptions)."""
        return {f.path: f.dist for f in self.fits if isinstance(f.dist, Distribution)}


DEMO_KINDS = ("defaults.demonstration", "defaults.quantification")
#: Default fields with no evidence behind them (their source must say "assumption").
DISSEMINATION_FIELDS = ("dissemination_prob", "bass_p", "bass_q", "replication_lifetime_years")


def _need(items: list, file: str, what: str, n: int = 1) -> list:
    """``items`` when there are at least ``n``; else an :class:`InputError` naming the file."""
    if len(items) < n:
        raise InputError.single(file, "", f"found {len(items)} {what}; the calibration needs "
                                f"at least {n}")
    return items


def calibrate(data: Data, seed: int = CAL_SEED) -> Calibration:
    """Derive every default from ``data`` (deterministic for a given ``seed``).

    Raises :class:`InputError` naming the file when a default has no observations to rest on.
    """
    rng = np.random.default_rng(seed)
    fits: list[Fit] = []
    agg, proj, pri = "jcm_aggregates.csv", "jcm_projects.csv", "priors.csv"

    # Joint Committee cadence ---------------------------------------------------------------
    gap_country, gaps = jc_decision_gaps(data)
    gap_values = [g.value for g in _need(gaps, agg, "gaps between dated JC decisions")]
    shortest = min(gap_values)
    meetings = _need([m for m in jc_meetings(data) if m.count >= 3], agg,
                     "countries with 3 or more recorded JC meetings")
    meeting_means = {m.country: m.mean_interval_months for m in meetings}
    default_high = statistics.median(meeting_means.values())
    default_jc = Uniform(_r(0.9 * shortest), _r(default_high))
    fits.append(Fit(
        "assumptions.jc_interval_months", "Joint Committee: months between decisions "
        "(countries without cadence data)",
        [Observation(m.refs, m.mean_interval_months, m.country, note="mean gap between "
                     f"{m.count} meetings" + (" counted from signing" if m.from_signing else ""))
         for m in meetings] + gaps,
        f"uniform from 0.9 × the shortest gap between decisions observed anywhere "
        f"({shortest:.2f}, {gap_country} electronic decisions) to the median of the countries' "
        f"mean gaps between meetings ({default_high:.1f}); decisions also come by electronic "
        "decision between meetings, so a meeting gap is the longest a decision gap can be",
        default_jc, "JCM",
        notes="countries with their own data get their own cadence ([countries])"))
    countries: dict[str, dict[str, Any]] = {}
    if gaps:
        d = Uniform(_r(0.9 * shortest), _r(1.1 * max(gap_values)))
        countries.setdefault(gap_country, {})["jc_interval_months"] = d
        countries[gap_country]["jc_source"] = (
            f"JCM data: gaps between {gap_country}'s decisions {_list(gap_values)} months "
            "(calibration table)")
        countries[gap_country]["jc_rows"] = sorted({r for g in gaps for r in g.refs})
    for m in meetings:
        if m.country in countries:
            continue
        countries[m.country] = {
            "jc_interval_months": Uniform(_r(0.9 * shortest), _r(m.mean_interval_months)),
            "jc_source": (f"JCM data: {m.count} Joint Committee meetings, one every "
                          f"{m.mean_interval_months:.1f} months, electronic decisions between "
                          "(calibration table)"),
            "jc_rows": list(m.refs)}

    def jc_of(country: str) -> Distribution:
        c = countries.get(country, {})
        return c.get("jc_interval_months", default_jc)

    # monitoring period ---------------------------------------------------------------------
    periods = _need(monitoring_periods(data), proj, "monitoring periods", 2)
    period_dist, period_method = fit_duration([o.value for o in periods])
    period_fit = Fit("monitoring_period_months", "Monitoring period before an issuance",
                     periods, period_method, period_dist, "JCM",
                     notes="first monitoring periods; later ones may be shorter")
    period_fit.check = _band_check([o.value for o in periods],
                                   np.asarray(period_dist.sample(rng, CAL_DRAWS)),
                                   period_dist.support)

    # monitoring end -> issuance = verification + JC wait -----------------------------------
    lags = _need(monitoring_end_to_issuance(data), proj,
                 "issuances dated with the end of their monitoring", 2)
    lag_values = [o.value for o in lags]
    t10, t90 = (1 - WIDEN) * min(lag_values), (1 + WIDEN) * max(lag_values)
    lag_countries = [o.country for o in lags]

    def simulate_lag(verif: Distribution, r: np.random.Generator) -> np.ndarray:
        """Verification + JC wait, equal draws per case's country. Monitoring ends at no
        particular phase of the JC cycle: the wait is taken 120 months into the cycle."""
        per = CAL_DRAWS // len(lag_countries)
        parts = []
        for c in lag_countries:
            v = np.asarray(verif.sample(r, per), dtype=float)
            parts.append(v + jc_wait_months(jc_of(c), v + 120.0, r))
        return np.concatenate(parts)

    # fixed-point iteration on common random numbers: shift the verification quantiles by
    # the simulated lag's miss until the lag's P10 and P90 hit their targets
    q10, q90 = t10, t90
    for _ in range(25):
        trial = lognormal_from_p10_p90(q10, q90, rounded=False)
        sim = simulate_lag(trial, np.random.default_rng(seed + 1))
        s10, s90 = np.percentile(sim, [10, 90])
        q10 = max(q10 + (t10 - s10), 0.5)
        q90 = max(q90 + (t90 - s90), q10 + 1.0)
    verif = lognormal_from_p10_p90(q10, q90)
    lag_draws = simulate_lag(verif, np.random.default_rng(seed + 2))
    vf = Fit(
        "assumptions.verification_months",
        "Verification and issuance request (monitoring end to issuance, less the JC wait)",
        lags,
        f"the model's lag from monitoring end to issuance is verification_months + the wait for "
        f"the next JC decision in the project's country; verification_months is the lognormal "
        f"for which the simulated lag (equal weight per case's country) has P10 = 0.9 × "
        f"smallest ({t10:.1f}) and P90 = 1.1 × largest ({t90:.1f}) observed lag",
        verif, "JCM",
        notes=f"{len(lags)} distinct cases; the JC wait uses each country's cadence")
    vf.check = _band_check(lag_values, lag_draws)
    vf.check["quantity"] = "simulated monitoring end → issuance"
    fits.append(vf)

    # validation ----------------------------------------------------------------------------
    val = _need(cdm_validation_months(data), pri, "CDM validation delays")
    val_dist, val_method = fit_duration([o.value for o in val])
    vl = Fit("assumptions.validation_months", "TPE validation before registration", val,
             val_method, val_dist, "CDM",
             notes="CDM figures used: the JCM data hold no validation durations; they count "
                   "from the public comment, so the TPE's earlier work is not in them")
    vl.check = _band_check([o.value for o in val], np.asarray(val_dist.sample(rng, CAL_DRAWS)),
                          val_dist.support)
    fits.append(vl)

    # signing -> first registration ---------------------------------------------------------
    sfr = _need(signing_to_first_registration(data), proj,
                "first registrations with a signing date", 2)
    sfr_dist, sfr_method = fit_duration([o.value for o in sfr])
    sf = Fit("assumptions.signing_to_first_registration_months",
             "New partner country: signing to first registration", sfr, sfr_method, sfr_dist,
             "JCM", notes="signing months read as the 1st of the month")
    sf.check = _band_check([o.value for o in sfr], np.asarray(sfr_dist.sample(rng, CAL_DRAWS)),
                          sfr_dist.support)
    fits.append(sf)

    # project defaults (same for demonstrations and quantification support) -----------------
    for kind in DEMO_KINDS:
        f = Fit(f"{kind}.monitoring_period_months", period_fit.label, period_fit.observations,
                period_fit.method, period_fit.dist, period_fit.evidence, period_fit.notes,
                period_fit.check)
        fits.append(f)

    # registration -> first issuance (a consequence, checked by simulation) -----------------
    rfi = registration_to_first_issuance(data)
    parts = []
    r2 = np.random.default_rng(seed + 3)
    per = CAL_DRAWS // max(len(rfi), 1)
    for o in rfi:
        p = np.maximum(np.asarray(period_dist.sample(r2, per), dtype=float), 1.0)
        v = np.asarray(verif.sample(r2, per), dtype=float)
        parts.append(p + v + jc_wait_months(jc_of(o.country), p + v, r2, aligned=True))
    rfi_fit = Fit("(check) registration → first issuance", "Registration to first issuance "
                  "(not a parameter: monitoring period + verification + JC wait)", rfi,
                  "not fitted: simulated from the fitted monitoring period, verification and "
                  "the case's country's JC cadence", "(consequence)", "JCM",
                  notes="checks the fitted components against a quantity they were not fitted to")
    rfi_fit.check = _band_check([o.value for o in rfi], np.concatenate(parts))
    fits.append(rfi_fit)

    # performance ratio ---------------------------------------------------------------------
    succ = _need(cdm_values(data, "issuance_success_avg"), pri, "CDM issuance-success figures",
                 2)
    sv = [o.value for o in succ]
    m = statistics.fmean(sv)
    var = statistics.pvariance(sv)
    k_mom = m * (1 - m) / var - 1
    perf = Beta(_r(PERFORMANCE_CONCENTRATION * m, 2), _r(PERFORMANCE_CONCENTRATION * (1 - m), 2))
    for kind in DEMO_KINDS:
        pf = Fit(f"{kind}.performance_ratio", "Performance ratio (issued / expected)", succ,
                 f"beta with the mean of the {len(sv)} CDM snapshots ({m:.3f}) and a + b = "
                 f"{PERFORMANCE_CONCENTRATION:g} (assumption: spread between projects)", perf,
                 "CDM",
                 notes=f"CDM figures used: the JCM data hold no issued/expected ratios. Method "
                       f"of moments on the snapshots would give beta({m * k_mom:.1f}, "
                       f"{(1 - m) * k_mom:.1f}), the spread of the CDM-wide average over "
                       "2008-2019, far narrower than one project's", unit="ratio")
        pf.check = _band_check(sv, np.asarray(perf.sample(rng, CAL_DRAWS)),
                                 perf.support)
        fits.append(pf)

    # registration probability -------------------------------------------------------------
    neg = _need(cdm_values(data, "prob_negative_DOE_validation"), pri,
                "CDM negative-validation rates")
    rej = _need(cdm_values(data, "prob_EB_rejection"), pri, "CDM rejection rates")
    products = [(1 - a.value) * (1 - b.value) for a in neg for b in rej]
    reg = Uniform(_r(min(products), 2), _r(max(products), 2))
    for kind in DEMO_KINDS:
        fits.append(Fit(f"{kind}.registration_prob", "Chance validation and registration succeed",
                        neg + rej,
                        "uniform over (1 - P(negative validation)) × (1 - P(rejection)) for "
                        f"every pair of CDM figures ({min(products):.3f} to {max(products):.3f})",
                        reg, "CDM", notes="CDM figures used: the JCM data record no failed "
                        "validation or rejected registration", unit="probability"))

    # issuance probability -----------------------------------------------------------------
    share = _need(cdm_values(data, "share_registered_projects_with_any_issuance"), pri,
                  "CDM shares of registered projects with issuance")
    prior = statistics.fmean(o.value for o in share)
    k, n, nrows = nedo_demonstrations_issued(data)
    a0, b0 = ISSUANCE_PRIOR_WEIGHT * prior, ISSUANCE_PRIOR_WEIGHT * (1 - prior)
    iss = Beta(_r(a0 + k, 2), _r(b0 + n - k, 2))
    for kind in DEMO_KINDS:
        fits.append(Fit(
            f"{kind}.issuance_prob", "Chance a registered project ever issues",
            share + [Observation(tuple(nrows), k / n if n else 0.0,
                                 note=f"{k} of {n} NEDO JCM demonstrations issued")],
            f"beta: CDM prior with mean {prior:.3f} (share of registered CDM projects ever "
            f"issued, {len(share)} snapshots) and weight {ISSUANCE_PRIOR_WEIGHT:g} projects "
            f"(assumption), updated with the NEDO JCM demonstrations ({k} of {n} issued)",
            iss, "JCM + CDM",
            notes="CDM figures used: the JCM has 3 cases; the CDM share is depressed by the "
                  "2012 CER price collapse", unit="probability"))

    # Japan's share ------------------------------------------------------------------------
    js = _need(japan_shares(data), agg, "Japan's shares of issued credits")
    jv = [o.value for o in js]
    mode = statistics.mode(_r(v, 2) for v in jv)
    jdist = Triangular(_r(min(jv), 2), _r(mode, 2), _r(max(jv), 2))
    for kind in DEMO_KINDS:
        jf = Fit(f"{kind}.japan_share", "Japan's share of issued credits", js,
                 f"triangular from the smallest to the largest observed share, mode at the most "
                 f"frequent ({mode:.2f}: {sum(_r(v, 2) == mode for v in jv)} of {len(jv)}); mean "
                 f"{jdist.mean:.3f} vs observed mean {statistics.fmean(jv):.3f}", jdist, "JCM",
                 notes="MOEJ model projects (at least half to Japan by rule)", unit="share")
        jf.check = _band_check(jv, np.asarray(jdist.sample(rng, CAL_DRAWS)),
                                 jdist.support)
        fits.append(jf)

    # dissemination: no evidence ------------------------------------------------------------
    for fld in DISSEMINATION_FIELDS:
        fits.append(Fit(f"defaults.demonstration.{fld}", f"Dissemination: {fld}", [],
                        "none", "assumption", "assumption",
                        notes="no dissemination after NEDO JCM demonstrations is documented "
                              "(nedo_program.csv:L15); values stay assumptions",
                        unit=""))

    # countries -----------------------------------------------------------------------------
    registered = {r.get("partner_country") for r in data.projects
                  if r.get("status").startswith(("credits_issued", "registered"))}
    reg_rows: dict[str, list[str]] = {}
    for r in data.projects:
        if r.get("status").startswith(("credits_issued", "registered")):
            reg_rows.setdefault(r.get("partner_country"), []).append(r.ref)
    for r in data.countries:
        for name in [x.strip() for x in re.split(r",|\+", r.get("country"))]:
            if not name or "(" in name or name.startswith("one more"):
                continue
            signed, ref, how = signing_month(data, name)
            c = countries.setdefault(name, {})
            c["signed"] = signed
            c["signed_how"] = how
            c["signed_row"] = ref
            c["has_registered_projects"] = name in registered
            c["registered_rows"] = reg_rows.get(name, [])
    return Calibration(fits, countries, data.directory)


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def country_source(name: str, c: dict[str, Any]) -> str:
    """The ``source`` text of a country in ``[countries]``."""
    parts = []
    if "jc_source" in c:
        parts.append(c["jc_source"])
    else:
        parts.append("JC cadence: default in [assumptions]")
    reg = ("registered projects in jcm_projects.csv" if c.get("has_registered_projects")
           else "no registered project in jcm_projects.csv")
    signed = f"signed {c['signed']}" if c.get("signed") else "signing month unknown"
    if c.get("signed_how") and c["signed_how"] != "as recorded":
        signed += f" ({c['signed_how']})"
    parts.append(f"{signed}; {reg}")
    return "; ".join(parts)

