"""Find the header of a sheet and the column of every field (aliases, `--map`), read rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dmoves_site.importers.tables import Cell, Row, Sheet, TableError, cell_text, is_blank

HEADER_SCAN = 30
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise(label: str) -> str:
    """'Leistungs­bündel (Bund)' → 'leistungsbuendel bund': for comparing headings."""
    text = label.replace("\u00ad", "").casefold().translate(_UMLAUTS)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True, slots=True)
class Header:
    """The header found: its last row, the label of each column, the column of each field."""

    row: int
    labels: tuple[str, ...]
    columns: dict[str, int]

    def label(self, fld: str) -> str:
        return self.labels[self.columns[fld]]


def parse_maps(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--map FIELD=COLUMN` options as a mapping; raise TableError for a malformed one."""
    result = {}
    for pair in pairs:
        fld, sep, column = pair.partition("=")
        if not sep or not fld.strip() or not column.strip():
            raise TableError(f"--map {pair!r}: Form FELD=SPALTE erwartet, z. B. "
                             "--map title=Leistungsname")
        result[fld.strip()] = column.strip()
    return result


def header_candidates(sheet: Sheet) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Each row as a header, and each row joined with a group row above (two-row headers).

    A row above that holds one text in every cell (a title merged across the table) is no
    group row.
    """
    previous: tuple[str, ...] = ()
    for row in sheet.rows[:HEADER_SCAN]:
        labels = tuple(cell_text(c) for c in row.cells)
        yield row.number, labels
        if any(previous) and not (all(previous) and len(set(previous)) == 1):
            width = max(len(previous), len(labels))
            joined = tuple(_join(_at(previous, i), _at(labels, i)) for i in range(width))
            yield row.number, joined
        previous = labels


def _at(labels: tuple[str, ...], index: int) -> str:
    return labels[index] if index < len(labels) else ""


def _join(upper: str, lower: str) -> str:
    if not upper or normalise(upper) == normalise(lower):
        return lower
    return f"{upper} {lower}".strip()


def match_columns(labels: tuple[str, ...], aliases: Mapping[str, tuple[str, ...]],
                  maps: Mapping[str, str]) -> dict[str, int]:
    """The column of each field: by `--map`, else the first label equal to an alias."""
    found: dict[str, int] = {}
    names = [normalise(label) for label in labels]
    for fld, wanted in aliases.items():
        options = (maps[fld],) if fld in maps else wanted
        for option in options:
            key = normalise(option)
            if key in names and names.index(key) not in found.values():
                found[fld] = names.index(key)
                break
    return found


def find_header(sheet: Sheet, aliases: Mapping[str, tuple[str, ...]],
                required: tuple[str, ...], maps: Mapping[str, str]) -> Header:
    """The first header (one or two rows) in which every required field has a column."""
    unknown = sorted(set(maps) - set(aliases))
    if unknown:
        raise TableError(f"--map: unbekanntes Feld {unknown[0]!r}; bekannt: "
                         + ", ".join(aliases))
    best: tuple[int, tuple[str, ...], dict[str, int]] | None = None
    for number, labels in header_candidates(sheet):
        if best is not None and number != best[0]:
            break
        columns = match_columns(labels, aliases, maps)
        if all(f in columns for f in required) and (best is None or
                                                     len(columns) > len(best[2])):
            best = (number, labels, columns)
    if best is None:
        raise TableError(_missing_message(sheet, aliases, required, maps))
    return Header(*best)


def _missing_message(sheet: Sheet, aliases: Mapping[str, tuple[str, ...]],
                     required: tuple[str, ...], maps: Mapping[str, str]) -> str:
    first = next((r for r in sheet.rows if not r.is_empty()), None)
    shown = ", ".join(repr(cell_text(c)) for c in first.cells if not is_blank(c)) if first \
        else "(leer)"
    wanted = "; ".join(f"{f}: {maps.get(f) or ' / '.join(aliases[f][:3])}" for f in required)
    return (f"keine Kopfzeile mit den nötigen Spalten gefunden ({wanted}); erste Zeile: "
            f"{shown} – Spalten mit --map FELD=SPALTE zuordnen")


@dataclass(frozen=True, slots=True)
class RowError(Exception):
    """A cell that cannot be read: reported as `file:row: column: message`."""

    column: str
    message: str


def data_rows(sheet: Sheet, header: Header) -> Iterator[Row]:
    """The rows below the header that hold anything."""
    for row in sheet.rows:
        if row.number > header.row and not row.is_empty():
            yield row


def values(row: Row, header: Header) -> dict[str, Cell]:
    """The cells of a row by field."""
    return {fld: row.cell(index) for fld, index in header.columns.items()}


def convert(raw: Mapping[str, Cell], header: Header,
            converters: Mapping[str, Callable[[Cell], Any]]) -> dict[str, Any]:
    """Apply each field's converter; a ValueError becomes a RowError naming the column."""
    result: dict[str, Any] = {}
    for fld, value in raw.items():
        if is_blank(value):
            continue
        try:
            result[fld] = converters.get(fld, cell_text)(value)
        except ValueError as exc:
            raise RowError(header.label(fld), str(exc)) from exc
    return result


# --- cell converters --------------------------------------------------------------------

_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")
_QUARTER = re.compile(r"^(?:Q([1-4])[ /]*(\d{4})|([1-4])\. ?Quartal (\d{4}))$", re.I)
_ISO = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?|-Q[1-4])?(?=$|[T ])")


def date_text(value: Cell) -> str:
    """A date cell as the content model writes it: day, month, quarter or year precision."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    if match := _DE_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day).isoformat()
    if match := _MONTH.match(text):
        return f"{match.group(2)}-{int(match.group(1)):02d}"
    if match := _QUARTER.match(text):
        groups = match.groups()
        quarter, in_year = groups[0:2] if groups[0] else groups[2:4]
        return f"{in_year}-Q{quarter}"
    if match := _ISO.match(text):   # an ISO timestamp keeps its date
        return match.group(0)
    raise ValueError(f"kein Datum: {text!r} (erwartet z. B. 06.07.2021, 07/2021, 2021-07-06)")


YES = {"ja", "j", "x", "yes", "true", "1", "wahr", "vorhanden"}
NO = {"nein", "n", "no", "false", "0", "falsch"}


def yes_no(value: Cell) -> bool:
    text = cell_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"ja oder nein erwartet, nicht {cell_text(value)!r}")
