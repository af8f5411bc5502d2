"""Read a small table from CSV or Excel (.xlsx) into a header and raw rows, safely.

Used for candidate tables in scenario files and for the optimizer's spreadsheet mode. Rows
carry the spreadsheet row number a planner sees (the header is row 1).

CSV files are read as UTF-8 (with or without a byte-order mark) or, failing that, as
Shift_JIS / CP932 (what Japanese Excel saves); a ``;`` or tab separator is detected. The
encoding and separator read are reported in :attr:`Table.notes`. Workbooks are opened with
``read_only=True, data_only=True`` (formulas give their cached values; a formula without one
is refused with its cell named). A file larger than :data:`MAX_FILE_BYTES`, a workbook that
unpacks to more than :data:`MAX_UNPACKED_BYTES` (a zip bomb), a password-protected or invalid
workbook, or a table beyond :data:`MAX_TABLE_ROWS` rows or :data:`MAX_CELLS` cells raises
:class:`~sim.errors.InputError`. :func:`normalise_number` reads full-width digits and units
typed in cells ("６．５", "6億円", "50%").
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import InputError
from sim.limits import MAX_CELLS, MAX_FILE_BYTES, MAX_TABLE_ROWS, MAX_UNPACKED_BYTES

__all__ = ["Table", "read_table", "check_file", "normalise_number", "cell_text", "MAX_CELLS",
           "MAX_FILE_BYTES", "MAX_UNPACKED_BYTES", "MAX_TABLE_ROWS"]

#: First bytes of an OLE2 compound file: an encrypted (password-protected) .xlsx or an .xls.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp932": "Shift_JIS (CP932)"}
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon ';'", "\t": "tab"}
#: Columns of a worksheet that are read (a candidate table has a few dozen at most).
MAX_COLUMNS = 256


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
    encoding: str = ""
    separator: str = ","
    notes: list[str] = field(default_factory=list)


def _too_big(file: str, rows: bool = False) -> InputError:
    if rows:
        return InputError.single(file, "", f"the table is too large: more than "
                                 f"{MAX_TABLE_ROWS:,} rows (the limit)")
    return InputError.single(
        file, "", f"the table is too large: more than {MAX_CELLS:,} cells (rows × columns)"
    )


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Text of a CSV file and the encoding read: UTF-8 (BOM or not), else Shift_JIS/CP932."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp932")
    for enc in encodings:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError.single(file, "", "cannot read the text: it is neither UTF-8 nor "
                            "Shift_JIS (CP932); save it from Excel as 'CSV UTF-8'")


def looks_like_utf16(data: bytes) -> bool:
    """Whether ``data`` looks like UTF-16 text: a byte-order mark, or (without one) a zero
    byte at most of the even or of the odd positions of its start and almost none at the
    others, as ASCII characters (keys, digits, '=', line ends) give in UTF-16. Binary files
    hold zero bytes too, but not in that rhythm."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:512]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    zeros = sorted((even.count(0) / len(even), odd.count(0) / len(odd)))
    return zeros[1] >= 0.4 and zeros[0] <= 0.05


def _separator(text: str) -> str:
    """The separator of the first non-blank line: comma, semicolon or tab (most frequent)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > counts[","] else ","


def _raw_rows_csv(path: Path, file: str, meta: dict):
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError.single(file, "", f"cannot read the file: {err.strerror}") from None
    if b"\x00" in data[:4096]:
        if looks_like_utf16(data):
            raise InputError.single(file, "", "not a UTF-8 text CSV file (it looks like UTF-16: "
                                    "save from Excel as 'CSV UTF-8' or 'CSV')")
        raise InputError.single(file, "", "not a text CSV file (binary data: an image, a "
                                "workbook saved with the wrong name or another binary file?)")
    text, enc = decode_text(data, file)
    sep = _separator(text)
    meta.update(encoding=enc, separator=sep)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    except csv.Error as err:
        raise InputError.single(file, "", f"not a readable CSV file ({err})") from None


def _raw_rows_xlsx(path: Path, file: str, meta: dict):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as err:
        raise InputError.single(file, "", f"cannot read the file: {err.strerror}") from None
    if magic == _OLE_MAGIC:
        raise InputError.single(file, "", "the workbook is password-protected (encrypted) or "
                                "an old .xls file: save it without a password as .xlsx")
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError.single(
            file, "", f"not a valid Excel workbook (.xlsx): {type(err).__name__}"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError.single(file, "", f"the workbook unpacks to too much data: more than "
                                f"{MAX_UNPACKED_BYTES // 1_000_000} MB (the limit)")
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
        meta["sheet"] = ws.title
        meta["other_sheets"] = [w.title for w in wb.worksheets[1:]]
        try:
            # a formatted cell far right or far down makes the sheet's used range huge: read
            # only the header's width (plus one column, to catch values without a header)
            width = MAX_COLUMNS
            for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=50):
                if any(not _blank(c) for c in row):
                    width = max(i for i, c in enumerate(row) if not _blank(c)) + 2
                    break
            yield from ws.iter_rows(values_only=True, max_col=min(width, MAX_COLUMNS))
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
    if path.is_dir():
        raise InputError.single(shown, "", "not a file (a directory?)")
    if not path.is_file():
        raise InputError.single(shown, "", "not a regular file (a device or a pipe?)")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError.single(shown, "", f"cannot read the file: {err.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise InputError.single(shown, "", f"file larger than {MAX_FILE_BYTES // 1_000_000} MB")


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet_with_data(path: Path, names: list[str]) -> str | None:
    """The first of the sheets ``names`` holding any value (looks at 50 rows each)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for name in names:
            for i, row in enumerate(wb[name].iter_rows(values_only=True)):
                if any(not _blank(c) for c in row):
                    return name
                if i >= 50:
                    break
    finally:
        wb.close()
    return None


def _formulas_without_values(path: Path, table: Table) -> None:
    """Refuse a formula cell whose calculated value was never saved (read as empty)."""
    import openpyxl

    wanted = {num: row for num, row in table.rows if any(c is None for c in row)}
    if not wanted:
        return
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > max(wanted):
                break
            if number not in wanted:
                continue
            for col, (formula, value) in enumerate(zip(row, wanted[number], strict=False)):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    name = table.header[col] if col < len(table.header) else str(col + 1)
                    raise InputError.single(
                        table.file, f"row {number}, column {name}",
                        f"a formula ({formula[:40]}) with no saved value: the file was written "
                        "by a program that does not calculate formulas; open and save it in "
                        "Excel, or type the value")
    finally:
        wb.close()


def cell_text(cell) -> str:
    """A cell as text: whole numbers without ``.0``, dates in ISO form, text NFKC-normalised
    (full-width digits and letters become ASCII) and trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, _dt.datetime | _dt.date | _dt.time):
        return cell.isoformat()
    return unicodedata.normalize("NFKC", str(cell)).strip()


#: Units a planner may type after a number, by the ending of the column's name, and the
#: factor that turns the typed number into the column's unit.
_UNITS: list[tuple[tuple[str, ...], dict[str, float]]] = [
    (("_oku_yen", "fy"), {"億円": 1.0, "億": 1.0, "oku yen": 1.0, "oku": 1.0}),
    (("_t_per_yr",), {"t/yr": 1.0, "t/年": 1.0, "t-co2/yr": 1.0, "tco2/yr": 1.0,
                      "t-co2/年": 1.0, "t": 1.0, "t-co2": 1.0, "tco2": 1.0, "トン": 1.0}),
    (("_t", "value"), {"t": 1.0, "t-co2": 1.0, "tco2": 1.0, "トン": 1.0}),
    (("_months", "_month"), {"months": 1.0, "month": 1.0, "ヶ月": 1.0, "か月": 1.0,
                             "カ月": 1.0, "ヵ月": 1.0, "ケ月": 1.0, "月": 1.0}),
    (("_years",), {"years": 1.0, "year": 1.0, "yrs": 1.0, "年": 1.0}),
    (("_prob", "_share"), {"%": 0.01}),
]
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d+)?|[+-]?\.\d+)"
                     r"\s*(.*?)$", re.IGNORECASE)


def normalise_number(text: str, column: str) -> str:
    """A number typed with full-width digits, thousands separators or a unit, as plain text.

    ``"６．５"`` → ``"6.5"``; ``"6億円"`` in a ``*_oku_yen`` column → ``"6"``; ``"1,200 t"`` in
    a ``*_t_per_yr`` column → ``"1200"``; ``"50%"`` in a probability → ``"0.5"``. Anything
    else (a distribution, a word, a unit that does not fit the column) is returned as it was
    after NFKC normalisation, for the field's own rule to judge.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    m = _NUMBER.match(text)
    if not m:
        return text
    number, unit = m.group(1).replace(",", ""), m.group(2).strip().lower()
    if not unit:
        return number
    col = column.lower()
    if col.startswith("fy") and col[2:].isdigit():
        col = "fy"
    for endings, units in _UNITS:
        if any(col.endswith(e) for e in endings) and unit in units:
            factor = units[unit]
            if factor == 1.0:
                return number
            return repr(float(number) * factor)
    return text


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
    meta: dict = {}
    if suffix == ".csv":
        raw = _raw_rows_csv(path, file, meta)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _raw_rows_xlsx(path, file, meta)
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
        if all(_blank(c) for c in row):
            continue  # blank and merely formatted rows cost nothing
        cells += max(len(row), len(header or ()))
        if cells > MAX_CELLS:
            raise _too_big(file)
        if len(rows) >= MAX_TABLE_ROWS:
            raise _too_big(file, rows=True)
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
        other = _sheet_with_data(path, meta.get("other_sheets", [])) if suffix != ".csv" \
            else None
        if other:
            raise InputError.single(file, "", f"the first sheet ('{meta['sheet']}') is empty; "
                                    f"the data is on sheet '{other}': move it to the first "
                                    "sheet")
        raise InputError.single(file, "", "the table is empty (no header row)")
    notes = []
    enc = meta.get("encoding")
    if enc and (enc != "utf-8" or meta.get("separator", ",") != ","):
        notes.append(f"{file}: read as {_ENCODING_NAMES.get(enc, enc)}"
                     + (f", separator {_SEPARATOR_NAMES[meta['separator']]}"
                        if meta.get("separator", ",") != "," else ""))
    table = Table(file=file, header=header, rows=rows, header_row=header_row,
                  encoding=enc or "", separator=meta.get("separator", ","), notes=notes)
    if suffix != ".csv":
        _formulas_without_values(path, table)
    return table
