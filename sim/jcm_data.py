"""The public JCM/CDM data in ``../shared/data``: reading the CSV files and picking out
observations with the rows they came from.

Pure functions over the csv module; nothing here fits or draws. :mod:`sim.calibration` fits
the defaults to these observations and :mod:`sim.backtest` compares forecasts with them.

Row references: ``jcm_projects.csv#9`` is the row whose ``row_id`` is 9;
``jcm_aggregates.csv:L68`` is line 68 of the file (the header is line 1); the same for
``priors.csv`` and ``nedo_program.csv``; ``jcm_partner_countries.csv#7`` is ``order`` 7.
Durations are in months of 30.4375 days.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sim.errors import InputError

#: Environment variable that overrides where the shared data live.
DATA_ENV = "JCM_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent
DAYS_PER_MONTH = 30.4375

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
