"""Default distributions derived from the public JCM/CDM data in ``../shared/data``.

Pure functions: read the CSV files (csv module), pick out the observations each default rests
on (with the file and row they came from), fit a stated distribution to them, and describe
the result. ``scripts/calibrate.py`` writes the table (``docs/calibration.md`` and
``docs/calibration.json``); ``tests/test_calibration.py`` checks that
``scenarios/baseline.toml`` holds exactly what is derived here, so the two cannot drift.

Row references: ``jcm_projects.csv#9`` is the row whose ``row_id`` is 9;
``jcm_aggregates.csv:L68`` is line 68 of the file (the header is line 1); the same for
``priors.csv`` and ``nedo_program.csv``; ``jcm_partner_countries.csv#7`` is ``order`` 7.

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

import csv
import math
import os
import re
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from sim.distributions import (
    Beta,
    Distribution,
    LogNormal,
    Triangular,
    Uniform,
)
from sim.errors import InputError

#: Environment variable that overrides where the shared data live.
DATA_ENV = "JCM_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent
DAYS_PER_MONTH = 30.4375
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

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
ALIASES = {"Lao PDR": ("Lao PDR", "Laos"), "Viet Nam": ("Viet Nam", "Vietnam")}


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------
def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Where the shared data live: ``override``, else ``$JCM_DATA_DIR``, else ``../shared/data``."""
    if override:
        return Path(override)
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class Row:
    """One data row: its file, a reference to cite and its cells."""

    file: str
    ref: str
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return (self.cells.get(key) or "").strip()


def read_rows(directory: Path, name: str) -> list[Row]:
    """Rows of ``name`` in ``directory``; :class:`InputError` when missing or unreadable."""
    path = Path(directory) / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = []
            for line_no, cells in enumerate(reader, start=2):
                if name == "jcm_projects.csv" and cells.get("row_id"):
                    ref = f"{name}#{cells['row_id'].strip()}"
                elif name == "jcm_partner_countries.csv" and cells.get("order"):
                    ref = f"{name}#{cells['order'].strip()}"
                else:
                    ref = f"{name}:L{line_no}"
                rows.append(Row(name, ref, {k: v for k, v in cells.items() if k is not None}))
            return rows
    except FileNotFoundError:
        raise InputError.single(str(path), "", f"data file not found (set {DATA_ENV} or "
                                "--data to the folder holding the JCM data)") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError.single(str(path), "", f"cannot read the data file: {err}") from None


@dataclass(frozen=True)
class Data:
    """The shared data files, read once."""

    projects: list[Row]
    aggregates: list[Row]
    countries: list[Row]
    priors: list[Row]
    directory: str = "../shared/data"

    @classmethod
    def load(cls, directory: str | os.PathLike | None = None) -> Data:
        d = data_dir(directory)
        default = REPO_ROOT.parent / "shared" / "data"
        shown = "../shared/data" if d.resolve() == default.resolve() else str(d)
        return cls(
            projects=read_rows(d, "jcm_projects.csv"),
            aggregates=read_rows(d, "jcm_aggregates.csv"),
            countries=read_rows(d, "jcm_partner_countries.csv"),
            priors=read_rows(d, "priors.csv"),
            directory=shown,
        )


# --------------------------------------------------------------------------------------------
# parsing dates and numbers
# --------------------------------------------------------------------------------------------
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?![\d-])")
_DMY = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{2,4})")


def first_date(text: str) -> date | None:
    """The first ``YYYY-MM-DD`` (else ``YYYY-MM``, read as the 1st) in ``text``."""
    m = _ISO_DAY.search(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _ISO_MONTH.search(text)
    if m and 1 <= int(m[2]) <= 12:
        return date(int(m[1]), int(m[2]), 1)
    return None


def dmy_dates(text: str) -> list[date]:
    """Every ``07 Jan 25`` / ``18 Dec 2024`` style date in ``text``, in order."""
    out = []
    for d, mon, y in _DMY.findall(text):
        if mon.lower() not in MONTHS:
            continue
        year = int(y) + (2000 if len(y) == 2 else 0)
        out.append(date(year, MONTHS[mon.lower()], int(d)))
    return out


def month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def months_between(a: date, b: date) -> float:
    """Months (of 30.4375 days) from ``a`` to ``b``."""
    return (b - a).days / DAYS_PER_MONTH


def number(text: str) -> float | None:
    """The first number in ``text`` (commas allowed), or None."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return float(m[0].replace(",", "")) if m else None


def fraction(text: str) -> float | None:
    """``a/b`` (commas allowed) at the start of ``text`` as a ratio, or None."""
    m = re.match(r"\s*([\d,]+)\s*/\s*([\d,]+)", text)
    if not m:
        return None
    return float(m[1].replace(",", "")) / float(m[2].replace(",", ""))


# --------------------------------------------------------------------------------------------
# observations
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Observation:
    """One observed value, the rows it rests on, and what it is."""

    refs: tuple[str, ...]
    value: float
    country: str = ""
    known: date | None = None  # when it became public (e.g. the issuance date)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"rows": list(self.refs), "value": round(self.value, 3), "country": self.country,
                "date": self.known.isoformat() if self.known else None, "note": self.note}


def _issued(r: Row) -> bool:
    return r.get("status").startswith("credits_issued")


def monitoring_end(r: Row) -> date | None:
    """End of the (first) monitoring period of a project row, where the row gives it."""
    text = r.get("monitoring_period")
    days = _ISO_DAY.findall(text)
    if days:
        y, m, d = days[-1]
        return date(int(y), int(m), int(d))
    m = re.search(r"/(\d{2})/(\d{4})\s*$", text)
    if m:
        return month_end(int(m[2]), int(m[1]))
    m = re.search(r"to end ([A-Za-z]{3})[a-z]* (\d{4})", r.get("notes"))
    if m and m[1].lower() in MONTHS:
        return month_end(int(m[2]), MONTHS[m[1].lower()])
    return None


def issuance_date(r: Row) -> date | None:
    """The row's issuance date when it starts with one (undated or yearless ones give None)."""
    text = r.get("issuance_date")
    return first_date(text) if re.match(r"\s*\d{4}-", text) else None


def monitoring_end_to_issuance(data: Data) -> list[Observation]:
    """Months from the end of monitoring to issuance; rows with the same dates form one case."""
    cases: dict[tuple[date, date], list[Row]] = {}
    for r in data.projects:
        end, issued = monitoring_end(r), issuance_date(r)
        if _issued(r) and end and issued:
            cases.setdefault((end, issued), []).append(r)
    out = []
    for (end, issued), rows in sorted(cases.items(), key=lambda kv: kv[0][1]):
        note = "same Joint Committee decision" if len(rows) > 1 else ""
        out.append(Observation(tuple(r.ref for r in rows), months_between(end, issued),
                               rows[0].get("partner_country"), issued, note))
    return out


def registration_to_first_issuance(data: Data) -> list[Observation]:
    """Months from registration to the first issuance, where a row dates both."""
    out = []
    for r in data.projects:
        reg, issued = first_date(r.get("registration_date")), issuance_date(r)
        if _issued(r) and reg and issued:
            note = ""
            if "not confirmed" in r.get("notes").lower():
                note = "may not be the first issuance (upper bound)"
            out.append(Observation((r.ref,), months_between(reg, issued),
                                   r.get("partner_country"), issued, note))
    return out


def monitoring_periods(data: Data) -> list[Observation]:
    """Length of the monitoring period before an issuance [months] (``monitoring_months``)."""
    out = []
    for r in data.projects:
        text = r.get("monitoring_months")
        value = number(text)
        if value is None:
            continue
        note = ""
        if "sum over both" in text:
            value /= 2
            note = f"'{text}': half per project"
        out.append(Observation((r.ref,), value, r.get("partner_country"), issuance_date(r), note))
    return out


def _alias_pattern(country: str) -> str:
    names = ALIASES.get(country, (country,))
    return "(" + "|".join(re.escape(n) for n in names) + ")"


def is_first_registration(r: Row) -> bool:
    """The row says it is its country's first registered JCM project."""
    c = _alias_pattern(r.get("partner_country"))
    text = " ".join(r.get(k) for k in ("project_id", "registration_date", "notes"))
    patterns = [
        rf"first (jcm )?project (registered )?in {c}",
        rf"first jcm project registered in {c}",
        rf"{c}'s (1st|first) registered",
        rf"first {c} jcm project",
    ]
    if re.fullmatch(r"[A-Z]{2}001", r.get("project_id")):
        return True
    return any(re.search(p, text, re.I) for p in patterns)


def signing_month(data: Data, country: str) -> tuple[str | None, str, str]:
    """(``YYYY-MM`` or None, row ref, how it was read) of ``country``'s signing."""
    for r in data.countries:
        names = [n.strip() for n in re.split(r",|\+", r.get("country"))]
        if country not in names:
            continue
        text, prec = r.get("signing_date"), r.get("date_precision")
        d = first_date(text)
        if prec.startswith(("day", "month")) and d:
            return f"{d.year:04d}-{d.month:02d}", r.ref, "as recorded"
        lo, hi = _range_of(text)
        if lo and hi:
            mid = lo + (hi - lo) / 2
            return f"{mid.year:04d}-{mid.month:02d}", r.ref, (
                f"middle of the recorded range '{text}'")
        return None, r.ref, f"'{text}' not readable as a month"
    return None, "", "not in jcm_partner_countries.csv"


def _range_of(text: str) -> tuple[date | None, date | None]:
    """Earliest and latest possible signing date of a range written in the countries file."""
    m = re.match(r"between (\S+) and (\S+)", text)
    if m:
        return first_date(m[1]), first_date(m[2])
    m = re.match(r"(\d{4}) \(before (\d{4}-\d{2}-\d{2})\)", text)
    if m:
        return date(int(m[1]), 1, 1), first_date(m[2])
    m = re.match(r"(\d{4})-(\d{4}) \(before ([A-Za-z]{3})[a-z]* (\d{4})\)", text)
    if m:
        return date(int(m[1]), 1, 1), date(int(m[4]), MONTHS[m[3].lower()], 1)
    return None, None


def signing_to_first_registration(data: Data) -> list[Observation]:
    """Months from a country's signing to its first registered project."""
    out = []
    for r in data.projects:
        reg = first_date(r.get("registration_date"))
        if not reg or not is_first_registration(r):
            continue
        country = r.get("partner_country")
        signed, ref, _how = signing_month(data, country)
        if signed is None:
            continue
        s = date(int(signed[:4]), int(signed[5:]), 1)
        out.append(Observation((ref, r.ref), months_between(s, reg), country, reg))
    return out


def japan_shares(data: Data) -> list[Observation]:
    """Government of Japan's share of issued credits, per issuance (derived rows)."""
    out = []
    for r in data.aggregates:
        if r.get("metric") == "observed_gov_of_japan_share_of_issued_credits":
            v = fraction(r.get("value"))
            if v is not None:
                out.append(Observation((r.ref,), v, note=r.get("as_of")))
    return out


def cdm_values(data: Data, parameter: str) -> list[Observation]:
    """CDM snapshots of ``parameter`` in priors.csv, as shares (percent / 100 or a/b)."""
    out = []
    for r in data.priors:
        if r.get("mechanism") == "CDM" and r.get("parameter") == parameter:
            text = r.get("value")
            v = fraction(text)
            if v is None:
                n = number(text)
                if n is None:
                    continue
                v = n / 100.0
            out.append(Observation((r.ref,), v, note=r.get("as_of")))
    return out


def cdm_validation_months(data: Data) -> list[Observation]:
    """CDM public comment to registration [months] (100 days; 100 + 20 days)."""
    out = []
    by = {r.get("parameter"): r for r in data.priors if r.get("mechanism") == "CDM"}
    a = by.get("delay_comment_start_to_registration")
    if a is not None:
        out.append(Observation((a.ref,), number(a.get("value")) / DAYS_PER_MONTH))
    b = by.get("delay_comment_start_to_request_registration")
    c = by.get("delay_request_registration_to_registration")
    if b is not None and c is not None:
        days = number(b.get("value")) + number(c.get("value"))
        out.append(Observation((b.ref, c.ref), days / DAYS_PER_MONTH, note="sum of two steps"))
    return out


def nedo_demonstrations_issued(data: Data) -> tuple[int, int, list[str]]:
    """(issued, registered or issued, rows) of the NEDO JCM demonstrations in the data."""
    rows = [r for r in data.projects if "NEDO" in r.get("financing_program")
            and (r.get("status").startswith(("credits_issued", "registered")))]
    issued = [r for r in rows if _issued(r)]
    return len(issued), len(rows), [r.ref for r in rows]


# Joint Committees -------------------------------------------------------------------------
@dataclass(frozen=True)
class Meetings:
    """A country's recorded Joint Committee meetings and their mean spacing."""

    country: str
    count: int
    first: date
    last: date
    from_signing: bool
    refs: tuple[str, ...]

    @property
    def mean_interval_months(self) -> float:
        gaps = self.count if self.from_signing else self.count - 1
        return months_between(self.first, self.last) / gaps


#: Two-letter codes the data use for countries in Joint Committee rows.
CODES = {"ID": "Indonesia", "MN": "Mongolia", "TH": "Thailand", "CR": "Costa Rica",
         "BD": "Bangladesh", "VN": "Viet Nam", "LA": "Lao PDR", "KE": "Kenya", "PW": "Palau"}


def jc_country(metric: str) -> str | None:
    """``jc_count_costa_rica`` → ``Costa Rica``; None for other metrics."""
    if not metric.startswith("jc_count_"):
        return None
    return metric.removeprefix("jc_count_").replace("_", " ").title()


def jc_meetings(data: Data) -> list[Meetings]:
    """Meeting counts per country from jcm_aggregates.csv (governance rows)."""
    out = []
    for r in data.aggregates:
        country = jc_country(r.get("metric"))
        if country is None:
            continue
        text = r.get("value")
        m = re.match(r"(\d+) JCs", text) or re.match(r"(\d+)(?:st|nd|rd|th) JC", text)
        if not m:
            continue
        count = int(m[1])
        last = first_date(r.get("as_of"))
        m1 = re.search(r"1st (?:(\d{1,2}) )?([A-Za-z]{3})[a-z]* (\d{4})", text)
        if m1 and m1[2].lower() in MONTHS:
            first = date(int(m1[3]), MONTHS[m1[2].lower()], int(m1[1] or 1))
            from_signing, refs = False, (r.ref,)
        else:
            signed, cref, _ = signing_month(data, country)
            if signed is None:
                continue
            first = date(int(signed[:4]), int(signed[5:]), 1)
            from_signing, refs = True, (r.ref, cref)
        if last is None:
            continue
        out.append(Meetings(country, count, first, last, from_signing, refs))
    return out


def jc_decision_gaps(data: Data) -> tuple[str, list[Observation]]:
    """Gaps between dated Joint Committee decisions (meeting + electronic) of one country."""
    for r in data.aggregates:
        if r.get("metric") != "electronic_decisions_example":
            continue
        text = r.get("value")
        country = CODES.get(text[:2], "")
        dates = dmy_dates(text)
        refs = [r.ref]
        # the meeting just before the first electronic decision, when the data date it
        for mt in data.aggregates:
            if jc_country(mt.get("metric")) == country:
                last = first_date(mt.get("as_of"))
                if last and dates and last < dates[0]:
                    dates.insert(0, last)
                    refs.insert(0, mt.ref)
        gaps = [Observation(tuple(refs), months_between(a, b), country, b)
                for a, b in zip(dates, dates[1:], strict=False)]
        return country, gaps
    return "", []


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


def quantiles(dist: Distribution, rng: np.random.Generator, n: int = CAL_DRAWS) -> tuple:
    """P10, P50, P90 of ``dist`` from ``n`` seeded draws."""
    x = np.asarray(dist.sample(rng, n), dtype=float)
    return tuple(float(v) for v in np.percentile(x, [10, 50, 90]))


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

