"""Read a small table from CSV or Excel (.xlsx) into a header and raw rows, safely.

Used for candidate tables in scenario files and for the optimizer's spreadsheet mode. Rows
carry the spreadsheet row number a planner sees (the header is row 1). Workbooks are opened
with ``read_only=True, data_only=True`` (formulas give their cached values). A file larger
than :data:`MAX_FILE_BYTES`, a workbook that unpacks to more than
:data:`MAX_UNPACKED_BYTES` (a zip bomb), a file that is not a valid workbook, or a table
beyond :data:`MAX_CELLS` cells raises :class:`~sim.errors.InputError`.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError

__all__ = ["Table", "read_table", "check_file", "MAX_CELLS", "MAX_FILE_BYTES", "MAX_UNPACKED_BYTES"]

#: Largest table accepted (rows × columns, header included).
MAX_CELLS = 100_000
#: Largest file accepted [bytes].
MAX_FILE_BYTES = 5_000_000
#: Largest total a workbook may unpack to [bytes].
MAX_UNPACKED_BYTES = 20 * MAX_FILE_BYTES


@dataclass(frozen=True)
class Table:
    """A table as read: trimmed header names and the non-empty rows.

    Attributes
    ----------
    file : str
        The path as the user gave it.
    header : list of str
        Column names, whitespace trimmed; empty trailing header cells removed.
    header_row : int
        Row number of the header (blank rows above it are skipped).
    rows : list of (int, list)
        ``(spreadsheet row number, cells)``; cells are ``str`` (CSV) or the workbook's
        values (numbers, text, booleans, dates, None), padded to the header width.
    """

    file: str
    header: list[str]
    rows: list[tuple[int, list]]
    header_row: int = 1


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
    except OSError as err:
        raise InputError.single(file, "", f"cannot read the file: {err.strerror}") from None


def _raw_rows_xlsx(path: Path, file: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError.single(
            file, "", f"not a valid Excel workbook (.xlsx): {type(err).__name__}"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError.single(file, "", "the workbook unpacks to too much data (refused)")
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


def check_file(path: Path, shown: str) -> None:
    """Refuse a missing path, a directory, or a file too large to be an input."""
    if not path.exists():
        raise InputError.single(shown, "", "file not found")
    if not path.is_file():
        raise InputError.single(shown, "", "not a file (a directory?)")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError.single(shown, "", f"cannot read the file: {err.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise InputError.single(shown, "", f"file larger than {MAX_FILE_BYTES // 1_000_000} MB")


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_table(path: str | Path, shown: str | None = None) -> Table:
    """Read the first sheet of ``path`` (.csv, .xlsx or .xlsm).

    ``shown`` is the name messages use for the file (default: ``path`` as given).

    Raises
    ------
    InputError
        Missing or unreadable file, unsupported format, too large, invalid workbook, too
        many cells, no header, or values under a column with no name.
    """
    file = str(path) if shown is None else shown
    path = Path(path)
    check_file(path, file)
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
    header_row = 1
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
            header_row = number
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
    return Table(file=file, header=header, rows=rows, header_row=header_row)
