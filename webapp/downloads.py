"""Files to download: CSV and Excel of tables, HTML of charts and of the evaluation page.

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading apostrophe, so a name typed into a scenario
can never run as a formula in someone's Excel. Numbers are written as numbers.
"""

from __future__ import annotations

import html
import io
import math
import unicodedata
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_MIME = "text/html"
TOML_MIME = "application/toml"


def neutralise(value: object) -> object:
    """A cell value safe for a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and header neutralised."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel in Japan opens it with the right script)."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], title: str | None = None) -> bytes:
    """An Excel workbook, one sheet per table, header row bold and columns sized to fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in sheets.items():
        sheet_name = _sheet_name(name, used)
        ws = wb.create_sheet(sheet_name)
        row0 = 1
        if title:
            ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True, size=12)
            row0 = 3
        frame = safe_frame(df)
        for j, col in enumerate(frame.columns, start=1):
            cell = ws.cell(row=row0, column=j, value=str(col))
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for i, row in enumerate(frame.itertuples(index=False), start=row0 + 1):
            for j, value in enumerate(row, start=1):
                ws.cell(row=i, column=j, value=_cell(value))
        for j, col in enumerate(frame.columns, start=1):
            values = [str(col)] + [str(v) for v in frame.iloc[:, j - 1].tolist()]
            width = min(60, max(8, max(_width(v) for v in values) + 2))
            ws.column_dimensions[ws.cell(row=row0, column=j).column_letter].width = width
        ws.freeze_panes = ws.cell(row=row0 + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _width(text: str) -> int:
    """Display width: full-width (CJK) characters count twice."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


#: Characters Excel refuses in a sheet name; their full-width forms (and ￥) are refused too,
#: so a character is checked in its NFKC form. A name cannot start or end with a quote.
SHEET_FORBIDDEN = frozenset("[]:*?/\\￥")
SHEET_QUOTES = "'’＇"
SHEET_MAX = 31  # characters as Excel counts them (UTF-16 code units)


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """``text`` shortened to at most ``units`` characters as Excel counts them."""
    out = []
    for c in text:
        units -= _excel_length(c)
        if units < 0:
            break
        out.append(c)
    return "".join(out)


def _sheet_key(name: str) -> str:
    """Sheet names Excel may take for the same one compare equal: case and width ignored."""
    return unicodedata.normalize("NFKC", name).casefold()


def _refused(c: str) -> bool:
    return (c in SHEET_FORBIDDEN or unicodedata.normalize("NFKC", c) in SHEET_FORBIDDEN
            or unicodedata.category(c) in ("Cc", "Cs"))


def _sheet_name(name: str, used: set[str]) -> str:
    """A sheet name Excel opens: no forbidden or control characters, at most 31 characters
    (a Japanese character counts one, as in Excel), no quote at either end, not the reserved
    "History", and distinct from the names in ``used`` (which it joins)."""
    cleaned = "".join("_" if _refused(c) else c for c in name)
    cleaned = _cut(cleaned.strip().strip(SHEET_QUOTES), SHEET_MAX).strip().strip(SHEET_QUOTES)
    cleaned = cleaned or "Sheet"
    if _sheet_key(cleaned) == "history":
        cleaned += "_"
    base, k = cleaned, 2
    keys = {_sheet_key(u) for u in used}
    while _sheet_key(cleaned) in keys:
        suffix = f" ({k})"
        cleaned = _cut(base, SHEET_MAX - len(suffix)).rstrip().rstrip(SHEET_QUOTES) + suffix
        k += 1
    used.add(cleaned)
    return cleaned


def figure_html(fig: go.Figure, title: str) -> bytes:
    """A chart as a self-contained HTML page (plotly.js included: works offline)."""
    body = pio.to_html(fig, full_html=False, include_plotlyjs=True,
                       config={"displaylogo": False})
    return _page(title, [body]).encode("utf-8")


def report_html(title: str, parts: Iterable[str | pd.DataFrame | go.Figure],
                lang: str = "ja") -> bytes:
    """A self-contained HTML page of headings/paragraphs (text), tables and charts.

    Every text is escaped; charts carry plotly.js once, inline.
    """
    blocks: list[str] = []
    js_done = False
    for part in parts:
        if isinstance(part, pd.DataFrame):
            blocks.append(_table_html(part))
        elif isinstance(part, go.Figure):
            blocks.append(pio.to_html(part, full_html=False,
                                      include_plotlyjs=not js_done,
                                      config={"displaylogo": False}))
            js_done = True
        else:
            text = str(part)
            if text.startswith("## "):
                blocks.append(f"<h2>{html.escape(text[3:])}</h2>")
            else:
                blocks.append(f"<p>{html.escape(text)}</p>")
    return _page(title, blocks, lang).encode("utf-8")


def _table_html(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


_CSS = """
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif;
       margin: 2em auto; max-width: 1200px; color: #1a1a1a; padding: 0 1em; }
h1 { font-size: 1.5em; border-bottom: 3px solid #1f4e79; padding-bottom: .3em; }
h2 { font-size: 1.2em; color: #1f4e79; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: 1em 0; }
th { background: #1f4e79; color: #fff; text-align: left; padding: .4em .6em; }
td { border-bottom: 1px solid #d0d7e1; padding: .4em .6em; vertical-align: top; }
tr:nth-child(even) td { background: #f2f5f9; }
p { line-height: 1.6; }
"""


def _page(title: str, blocks: list[str], lang: str = "ja") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{''.join(blocks)}</body></html>"
    )


# ------------------------------------------------------------------------------------------
# report parts: the evaluation material, built by :mod:`report` in the session's language
# ------------------------------------------------------------------------------------------
_REPORTS: dict[tuple, object] = {}
_REPORTS_MAX = 6


def report_run(fc) -> object:
    """The report's view of a cached forecast (:class:`report.content.Run`)."""
    from report.content import Run

    return Run(doc=fc.report, by_fy=fc.by_fy, series=fc.series, years=fc.years,
               as_of_fy=fc.as_of_fy, trials=fc.trials, seed=fc.seed)


def evaluation_report(key: tuple, scenario, fc, evaluation: str, lang: str, raw: dict,
                      scenario_text: str, tornado: dict | None) -> object:
    """The evaluation report (:class:`report.build.Report`), built once per ``key``.

    Everything it needs is passed in (language included), so a download button can call it
    after the page has run, outside the session.
    """
    hit = _REPORTS.get(key)
    if hit is not None:
        return hit
    import hashlib

    from report.build import build_report

    rep = build_report(scenario, report_run(fc), evaluation, lang, raw=raw,
                       scenario_sha256=hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
                       tornado=tornado,
                       command=f"jcm report SCENARIO.toml --evaluation {evaluation} --lang {lang} "
                       f"--trials {fc.trials} --seed {fc.seed}")
    if len(_REPORTS) >= _REPORTS_MAX:
        _REPORTS.pop(next(iter(_REPORTS)))
    _REPORTS[key] = rep
    return rep
