"""Numbers and assumptions written for people, and cells made safe for spreadsheets.

Formats (``fmt``): ``int`` (counts, thousands separators), ``dec1`` (a mean count, one
decimal), ``t`` (t-CO2, whole tonnes), ``oku`` (億円, two decimals), ``jpy`` (JPY, whole yen),
``pct`` (a share stored as a fraction, shown as % with one decimal), ``num`` (three
significant digits), ``fy`` (a fiscal year), ``text``. Missing values (None, NaN) are empty,
never "nan" or "None". :data:`EXCEL_FORMATS` gives the same formats as Excel number formats,
so a workbook keeps the raw numbers and shows them like the HTML page.
"""

from __future__ import annotations

import math
from typing import Any

from report import names
from sensitivity.labels import describe
from sim.distributions import parse_distribution

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

EXCEL_FORMATS = {
    "int": "#,##0",
    "dec1": "#,##0.0",
    "t": "#,##0",
    "oku": "#,##0.00",
    "jpy": "#,##0",
    "pct": "0.0%",
    "num": "General",
    "fy": "0",
    "text": "@",
}

#: KPI unit → format of its values.
UNIT_FORMATS = {"t-CO2": "t", "share": "pct", "億円": "oku", "JPY/t-CO2": "jpy",
                "projects": "dec1"}


def missing(x: Any) -> bool:
    """None, NaN or infinity."""
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def number(x: Any, fmt: str) -> str:
    """A value as text in format ``fmt`` (module docstring); "" when missing."""
    if missing(x):
        return ""
    if fmt == "text" or isinstance(x, str):
        return str(x)
    x = float(x)
    if fmt in ("int", "t", "jpy"):
        return f"{x:,.0f}"
    if fmt == "dec1":
        return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"
    if fmt == "oku":
        return f"{x:,.2f}"
    if fmt == "pct":
        pct = 100.0 * x
        if pct != 0 and abs(pct) < 0.1:
            return f"{pct:.2g}%"
        return f"{pct:.1f}%"
    if fmt == "fy":
        return f"{x:.0f}"
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 1:
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def kpi_format(unit: str, value: Any = None) -> str:
    """The format of a KPI value: counts that are whole numbers as integers."""
    fmt = UNIT_FORMATS.get(unit, "num")
    if fmt == "dec1" and not missing(value) and abs(float(value) - round(float(value))) < 1e-9:
        return "int"
    return fmt


def with_unit(x: Any, unit: str, lang: str) -> str:
    """A KPI value with its unit for a sentence or a target ("36 件", "5,000 t-CO2", "50.0%")."""
    text = number(x, kpi_format(unit, x))
    if not text:
        return ""
    if unit == "projects":
        return f"{text} 件" if lang == "ja" else f"{text} projects"
    if unit == "share":
        return text
    if unit == "JPY/t-CO2":
        return f"{text} 円/t-CO2" if lang == "ja" else f"{text} JPY/t-CO2"
    return f"{text} {unit}"


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def describe_value(value: Any, field: str, lang: str) -> str:
    """A value as written in a scenario file (number, distribution text or table), in words."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    try:
        return describe(parse_distribution(value), field, lang)
    except (ValueError, TypeError):
        return "" if value is None else str(value)


#: Data files behind the shipped scenarios, named in plain words (English; the Japanese
#: report cites sources as the app does, :func:`report.names.source`).
SOURCE_NAMES: dict[str, str] = {
    "priors.csv": "priors from comparable mechanisms (CDM statistics, diffusion studies)",
    "jcm_projects.csv": "public records of JCM projects",
    "nedo_projects.csv": "NEDO's published project records",
    "nedo_program_more.csv": "NEDO's published program records",
    "nedo_program.csv": "NEDO's published program records",
    "jcm_partner_countries.csv": "the list of JCM partner countries",
    "jcm_aggregates.csv": "JCM aggregate statistics",
    "PROGRAM.md": "the program description",
    "NEDO program summary": "NEDO program summary",
}


def plain_source(text: str, lang: str) -> str:
    """A source as a planner reads it. In Japanese, the citation the app shows (shipped
    sources from the catalogue, data-file names replaced by the public documents they were
    compiled from: :func:`report.names.source`); in English, data-file names replaced by
    what they are. A value set in a scenario file is "set in the scenario"."""
    if lang == "ja":
        if text.startswith("set in ") and text.endswith(".toml"):
            return "シナリオで設定"
        return names.source(text, lang)
    out = text
    for name, words in SOURCE_NAMES.items():
        out = out.replace(name, words)
    if out.startswith("set in ") and out.endswith(".toml"):
        return "set in the scenario"
    return out
