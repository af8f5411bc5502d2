"""Read a small table from CSV or Excel (.xlsx) into a header and raw rows, safely.

Rows carry the spreadsheet row number a planner sees (the header is row 1). Workbooks are
opened with ``read_only=True, data_only=True`` (formulas give their cached values); a file
that is not a valid workbook, or a table beyond :data:`MAX_CELLS` cells, raises
:class:`~sim.errors.InputError`.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError

__all__ = ["Table", "read_table", "MAX_CELLS"]

#: Largest table accepted (rows × columns, header included).
MAX_CELLS = 100_000


@dataclass(frozen=True)
class Table:
    """A table as read: trimmed header names and the non-empty rows.

    Attributes
    ----------
    file : str
        The path as the user gave it.
    header : list of str
        Column names, whitespace trimmed; empty trailing header cells removed.
    rows : list of (int, list)
        ``(spreadsheet row number, cells)``; cells are ``str`` (CSV) or the workbook's
        values (numbers, text, booleans, dates, None), padded to the header width.
    """

    file: str
    header: list[str]
    rows: list[tuple[int, list]]


def _too_big(file: str) -> InputError:
    return InputError.single(
        file, "", f"the table is too large: more than {MAX_CELLS:,} cells (rows × columns)"
    )


def _raw_rows_csv(path: Path, file: str):
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            yield from csv.reader(fh)
    except UnicodeDecodeError as err:
        raise InputError.single(file, "", f"not a UTF-8 text CSV file ({err.reason})") from None
    except csv.Error as err:
        raise InputError.single(file, "", f"not a readable CSV file ({err})") from None


def _raw_rows_xlsx(path: Path, file: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise InputError.single(
            file, "", f"not a valid Excel workbook (.xlsx): {type(err).__name__}"
        ) from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise InputError.single(file, "", "the workbook has no worksheet")
        try:
            declared = (ws.max_row or 0) * (ws.max_column or 0)
        except Exception:  # noqa: BLE001 - dimensions are only a hint
            declared = 0
        if declared > MAX_CELLS:
            raise _too_big(file)
        try:
            yield from ws.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
            raise InputError.single(
                file, "", f"not a valid Excel workbook (.xlsx): {type(err).__name__}"
            ) from None
    finally:
        wb.close()


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_table(path: str | Path) -> Table:
    """Read the first sheet of ``path`` (.csv, .xlsx or .xlsm).

    Raises
    ------
    InputError
        Missing file, unsupported format, invalid workbook, too many cells, no header, or
        values under a column with no name.
    """
    file = str(path)
    path = Path(path)
    if not path.is_file():
        raise InputError.single(file, "", "file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _raw_rows_csv(path, file)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _raw_rows_xlsx(path, file)
    elif suffix == ".xls":
        raise InputError.single(file, "", "old .xls workbooks are not supported; save as .xlsx "
                                          "or .csv")
    else:
        raise InputError.single(file, "", f"unsupported file type {suffix or '(none)'}; use "
                                          ".csv or .xlsx")
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    cells = 0
    for number, row in enumerate(raw, start=1):
        row = list(row)
        cells += max(len(row), len(header or ()))
        if cells > MAX_CELLS:
            raise _too_big(file)
        if header is None:
            if all(_blank(c) for c in row):
                continue
            while row and _blank(row[-1]):
                row.pop()
            header = ["" if c is None else str(c).strip() for c in row]
            continue
        if all(_blank(c) for c in row):
            continue
        extra = row[len(header):]
        if any(not _blank(c) for c in extra):
            col = len(header) + next(i for i, c in enumerate(extra) if not _blank(c)) + 1
            raise InputError.single(file, f"row {number}, column {col}",
                                    "a value in a column that has no header")
        row = row[: len(header)] + [None] * (len(header) - len(row))
        rows.append((number, row))
    if header is None:
        raise InputError.single(file, "", "the table is empty (no header row)")
    return Table(file=file, header=header, rows=rows)
