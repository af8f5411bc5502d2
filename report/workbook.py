"""The report as an Excel workbook: a summary sheet (title, how to reproduce) and one sheet per
table, in the report's language. Cells hold raw numbers with Excel number formats (so they
can be calculated with) and missing values stay empty; text that a spreadsheet would read as
a formula is neutralised."""

from __future__ import annotations

import io
import math
from typing import Any

from report.content import Content, Table
from report.fmt import EXCEL_FORMATS, neutralise
from report.texts import tr

HEADER_FILL = "1F4E79"


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return neutralise(value)
    return value


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _sheet(wb, name: str, title: str, table: Table | None, rows: list[tuple[str, str]] = (),
           notes: tuple[str, ...] = ()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(name[:31])
    ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True, size=13)
    r = 2
    for note in notes:
        if note:
            ws.cell(row=r, column=1, value=neutralise(note)).alignment = Alignment(
                wrap_text=False)
            r += 1
    r += 1
    widths: dict[int, int] = {}
    if table is not None:
        for j, col in enumerate(table.columns, start=1):
            c = ws.cell(row=r, column=j, value=neutralise(col.title))
            c.font = Font(bold=True, color="FFFFFF")
            c.fill = PatternFill("solid", fgColor=HEADER_FILL)
            c.alignment = Alignment(wrap_text=True, vertical="center")
            widths[j] = min(40, max(10, _width(col.title) // 2 + 2))
        ws.freeze_panes = ws.cell(row=r + 1, column=1)
        for i, row in enumerate(table.rows):
            for j, value in enumerate(row, start=1):
                v = _cell_value(value)
                c = ws.cell(row=r + 1 + i, column=j, value=v)
                fmt = table.fmt(i, j - 1)
                if isinstance(v, int | float) and not isinstance(v, bool):
                    c.number_format = EXCEL_FORMATS.get(fmt, "General")
                elif isinstance(v, str):
                    c.alignment = Alignment(wrap_text=_width(v) > 60, vertical="top")
                    widths[j] = min(60, max(widths.get(j, 10), _width(v) + 2))
        for j, w in widths.items():
            ws.column_dimensions[ws.cell(row=r, column=j).column_letter].width = w
    for k, (label, value) in enumerate(rows):
        ws.cell(row=r + k, column=1, value=neutralise(label)).font = Font(bold=True)
        ws.cell(row=r + k, column=2, value=neutralise(value))
    if rows:
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 90


def workbook_bytes(content: Content) -> bytes:
    """The workbook (.xlsx) of a report."""
    from openpyxl import Workbook

    lang = content.lang
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, tr("sheet.summary", lang), content.title, None, rows=content.reproduce,
           notes=(tr("program", lang), content.intro, tr("rep.how", lang)))
    for key, table in content.tables.items():
        notes = (table.note,)
        if key == "ndc":
            notes = (content.ndc_note,)
        _sheet(wb, tr(f"sheet.{key}", lang), table.title, table, notes=notes)
    wb.properties.title = content.title
    wb.properties.language = lang
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
