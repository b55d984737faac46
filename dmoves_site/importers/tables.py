"""Read CSV and XLSX files into plain tables: decoding, delimiter, merged cells, numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

Cell = str | int | float | Decimal | dt.datetime | dt.date | None

DELIMITERS = ";,\t|"
EMPTY = {"", "-", "–", "—", "./.", "k. A.", "k.A."}
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_QUOTED = re.compile(r'"[^"]*"')
_UNIT_SUFFIX = re.compile(r"\s*(€|EUR|TEUR|%)$")


class TableError(Exception):
    """The file cannot be read as a table: message in German."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet: its 1-based number in the file and its cells."""

    number: int
    cells: tuple[Cell, ...]

    def cell(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else None

    def is_empty(self) -> bool:
        return all(is_blank(c) for c in self.cells)


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet (a CSV file is one sheet): its name, rows and the encoding read."""

    name: str
    rows: tuple[Row, ...]
    encoding: str = ""
    others: tuple[str, ...] = ()   # the workbook's other sheets


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in EMPTY)


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a trailing '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def parse_number(value: Cell) -> Decimal | None:
    """A number as written in German files: '1.234,56', '-1,5', '1234'; '-' and '' are None."""
    if is_blank(value):
        return None
    if isinstance(value, (bool, dt.date, dt.datetime)):
        raise ValueError(f"Zahl erwartet, nicht {cell_text(value)!r}")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = _UNIT_SUFFIX.sub("", str(value).strip().replace("\u2212", "-").replace(" ", ""))
    raw = raw.replace("\u00a0", "").replace("'", "")
    sign, digits = ("-", raw[1:]) if raw.startswith(("-", "+")) else ("", raw)
    sign = "" if raw.startswith("+") else sign
    if "," in digits:
        digits = digits.replace(".", "").replace(",", ".")
    elif _THOUSANDS_DOT.match(digits):
        digits = digits.replace(".", "")
    if not _NUMBER.match(digits):
        raise ValueError(f"keine Zahl: {cell_text(value)!r}")
    try:
        return Decimal(sign + digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"keine Zahl: {cell_text(value)!r}") from exc


# --- CSV --------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 with BOM, UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "UTF-8 mit BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        # bytes cp1252 leaves undefined (0x81, 0x8d, …) are kept as Latin-1
        return "".join(_cp1252_char(b) for b in data), "Windows-1252"


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of cells
    (quoted text not counted; a title line above the table does not matter)."""
    lines = [_QUOTED.sub("", line) for line in text.splitlines()[:30] if line.strip()]

    def score(delimiter: str) -> int:
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        return max(counts.values(), default=0)

    best = max(DELIMITERS, key=score)   # ties: the earlier one (';' before ',')
    return best if score(best) else ","


def read_csv(path: Path) -> Sheet:
    """Read a CSV file of any common delimiter and encoding."""
    text, encoding = decode(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = sniff_delimiter(text)
    rows, start = [], 1
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for cells in reader:   # a quoted cell may span lines: a row is numbered by its first
        rows.append(Row(start, tuple(c.strip() for c in cells)))
        start = reader.line_num + 1
    return Sheet(path.stem, tuple(rows), encoding)


# --- XLSX -------------------------------------------------------------------------------


def read_xlsx(path: Path, sheet: str | None = None) -> Sheet:
    """Read one sheet of an XLSX file; merged cells carry their value into every cell."""
    import openpyxl  # only needed for spreadsheets

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise TableError(f"keine lesbare XLSX-Datei ({type(exc).__name__})") from exc
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        raise TableError(f"Tabellenblatt {sheet!r} gibt es nicht; vorhanden: "
                         + ", ".join(names))
    ws = book[sheet or names[0]]
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        _fill_merged(grid, merged.min_row, merged.max_row, merged.min_col, merged.max_col)
    rows = tuple(Row(number, tuple(cells)) for number, cells in enumerate(grid, start=1))
    return Sheet(ws.title, rows, "XLSX", tuple(n for n in names if n != ws.title))


def _fill_merged(grid: list[list[Cell]], top: int, bottom: int, left: int, right: int) -> None:
    value = grid[top - 1][left - 1]
    for r in range(top - 1, bottom):
        for c in range(left - 1, right):
            grid[r][c] = value


def read_table(path: Path, sheet: str | None = None) -> Sheet:
    """Read a CSV or XLSX file by its extension."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise TableError("--sheet gilt nur für XLSX-Dateien")
        return read_csv(path)
    raise TableError(f"unbekanntes Dateiformat {suffix or '(ohne Endung)'!r}: "
                     "CSV oder XLSX erwartet")
