"""Import one budget table from a spreadsheet block: years as columns, line kinds and sums."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dmoves_site.importers import columns as col
from dmoves_site.importers.base import Request, Result, UniqueIds
from dmoves_site.importers.kinds import record_path
from dmoves_site.importers.records import yaml_file
from dmoves_site.importers.tables import Row, Sheet, TableError, cell_text, parse_number
from dmoves_site.scaffold import slugify

YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
LABEL_ALIASES = ("Bezeichnung", "Zeile", "Position", "Ertrags- und Aufwandsarten",
                 "Einzahlungs- und Auszahlungsarten", "Kontengruppe", "Text", "Maßnahme")
KIND_WORDS = {"item": "item", "posten": "item", "position": "item", "subtotal": "subtotal",
              "summe": "subtotal", "zwischensumme": "subtotal", "total": "total",
              "gesamt": "total", "gesamtsumme": "total", "insgesamt": "total"}
UNITS = (("Mio", "Mio. EUR"), ("TEUR", "TEUR"), ("Tsd", "TEUR"), ("T€", "TEUR"),
         ("EUR", "EUR"), ("€", "EUR"))
_FORMULA = re.compile(r"^(?P<name>[^=]*?)\s*\(?=\s*(?P<terms>[^=()]+?[+\-−][^=()]+?)\)?\s*$")
_TOTAL = re.compile(r"^(gesamt|insgesamt|gesamtsumme|summe gesamt|summe insgesamt)\b")
_SUBTOTAL = re.compile(r"^(=|summe|zwischensumme)|\bsumme\b")


@dataclass(slots=True)
class Layout:
    """Where the table is: header row, label column, year columns and their headings."""

    header: int
    label: int
    years: list[int]
    headings: list[str]
    kind: int | None = None


@dataclass(slots=True)
class Line:
    """One table line while it is being read."""

    id: str
    label: str
    kind: str
    values: list[Decimal | None]
    sum_of: list[str] = field(default_factory=list)
    difference_of: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "kind": self.kind,
                               "values": self.values}
        if self.sum_of:
            out["sum_of"] = self.sum_of
        if self.difference_of:
            out["difference_of"] = self.difference_of
        return out


def find_layout(sheet: Sheet, maps: dict[str, str]) -> Layout:
    """The header with the most year columns (distinct headings) in the first rows."""
    best: Layout | None = None
    for number, labels in col.header_candidates(sheet):
        years = [i for i, text in enumerate(labels) if YEAR.search(text) and len(text) <= 40]
        if len({labels[i] for i in years}) != len(years) or not years:
            continue
        label = _label_column(labels, years, maps)
        better = best is None or len(years) > len(best.years) or (
            len(years) == len(best.years) and number == best.header)   # a joined header
        if label is None or not better:
            continue
        kind = col.match_columns(labels, {"kind": ("Zeilenart", "Art")}, maps).get("kind")
        best = Layout(number, label, years, [labels[i] for i in years], kind)
    if best is None:
        raise TableError("keine Kopfzeile mit Jahresspalten (z. B. 2024 oder 'Plan 2024') "
                         "gefunden – Spalte der Zeilenbezeichnung mit --map label=SPALTE")
    return best


def _label_column(labels: tuple[str, ...], years: list[int], maps: dict[str, str]) -> int | None:
    found = col.match_columns(labels, {"label": LABEL_ALIASES}, maps)
    if "label" in found:
        return found["label"]
    if "label" in maps:
        return None
    before = [i for i in range(min(years)) if labels[i]]
    return before[-1] if before else None


def block_rows(sheet: Sheet, layout: Layout) -> list[Row]:
    """The rows below the header up to the first empty row: one table."""
    rows: list[Row] = []
    for row in sheet.rows:
        if row.number <= layout.header:
            continue
        if row.is_empty():
            if rows:
                break
            continue
        rows.append(row)
    return rows


def detect_unit(sheet: Sheet, layout: Layout, given: str) -> str:
    if given:
        return given
    for row in sheet.rows:
        if row.number > layout.header:
            break
        for cell in row.cells:
            text = cell_text(cell)
            if re.search(r"\b(in|Beträge|Angaben|Einheit)\b", text) or len(text) < 12:
                unit = next((u for word, u in UNITS if word in text), "")
                if unit:
                    return unit
    raise TableError("Einheit nicht erkannt – --unit TEUR, EUR, 'Mio. EUR', Anzahl oder "
                     "Stellen angeben")


def detect_title(sheet: Sheet, layout: Layout) -> str:
    for row in sheet.rows:
        if row.number >= layout.header:
            break
        texts = [cell_text(c) for c in row.cells if cell_text(c)]
        if texts and not re.match(r"^(Beträge|Angaben|Einheit)\b|^in\s", texts[0]):
            return texts[0]
    return sheet.name


def line_kind(label: str, stated: str) -> str:
    """A line's kind: from a kind column, else from 'Summe', 'Gesamt' and '=' in its label."""
    if stated:
        kind = KIND_WORDS.get(col.normalise(stated))
        if kind is None:
            raise ValueError(f"unbekannte Zeilenart {stated!r}; erlaubt: Posten, Summe, Gesamt")
        return kind
    text = col.normalise(label)
    if _TOTAL.search(text):
        return "total"
    if _SUBTOTAL.search(text) or label.lstrip().startswith("="):
        return "subtotal"
    return "item"


def formula(label: str) -> tuple[str, str, list[str]] | None:
    """'Ergebnis = Erträge − Aufwendungen' → ('Ergebnis', '-', ['Erträge', 'Aufwendungen'])."""
    match = _FORMULA.match(label.strip())
    if not match:
        return None
    terms = match.group("terms").replace("−", "-")
    operator = "-" if "-" in re.sub(r"\w-\w", "", terms) else "+"
    parts = [p.strip() for p in re.split(r"\s[+\-]\s|\s?[+]\s?", terms) if p.strip()]
    return match.group("name").strip("= "), operator, parts


def resolve(term: str, lines: list[Line]) -> str:
    """The id of the latest earlier line whose label names `term`; sums before items."""
    key = col.normalise(term)
    named = [ln for ln in lines if re.search(rf"\b{re.escape(key)}\b", col.normalise(ln.label))]
    sums = [ln for ln in named if ln.kind != "item"]
    chosen = (sums or named)[-1:] if named else []
    if not chosen:
        raise ValueError(f"Zeile {term!r} aus der Formel steht nicht weiter oben in der Tabelle")
    return chosen[0].id


def add_sums(line: Line, lines: list[Line]) -> None:
    """Fill sum_of/difference_of: from a formula in the label, else from the lines above."""
    found = formula(line.label)
    if found is not None:
        _name, operator, terms = found
        ids = [resolve(t, lines) for t in terms]
        if operator == "-" and len(ids) == 2:   # a − b
            line.difference_of = ids
        elif operator == "+":
            line.sum_of = ids
        else:
            raise ValueError("nur 'a − b' oder 'a + b + …' werden als Formel erkannt")
        if line.kind == "item":
            line.kind = "subtotal"
        return
    if line.kind == "item":
        return
    line.sum_of = _parts_above(line.kind, lines)


def _parts_above(kind: str, lines: list[Line]) -> list[str]:
    """A subtotal adds the items since the last sum; a total adds the subtotals since the
    last total (or, without any, its items)."""
    since: list[Line] = []
    for ln in reversed(lines):
        if ln.kind == "total" or (kind == "subtotal" and ln.kind == "subtotal"):
            break
        since.insert(0, ln)
    subtotals = [ln.id for ln in since if ln.kind == "subtotal" and not ln.difference_of]
    items = [ln.id for ln in since if ln.kind == "item"]
    return subtotals if kind == "total" and subtotals else items


def read_line(row: Row, layout: Layout, ids: UniqueIds, lines: list[Line]) -> Line:
    label = cell_text(row.cell(layout.label))
    if not label:
        raise col.RowError("Bezeichnung", "Zeile ohne Bezeichnung")
    values = []
    for index, heading in zip(layout.years, layout.headings, strict=True):
        try:
            values.append(parse_number(row.cell(index)))
        except ValueError as exc:
            raise col.RowError(heading, str(exc)) from exc
    stated = cell_text(row.cell(layout.kind)) if layout.kind is not None else ""
    try:
        kind = line_kind(label, stated)
        found = formula(label)
        text = label.lstrip("= ").strip()
        line = Line(ids.make(found[0] if found and found[0] else text), text, kind, values)
        add_sums(line, lines)
    except ValueError as exc:
        raise col.RowError("Bezeichnung", str(exc)) from exc
    return line


def run(request: Request, sheet: Sheet) -> Result:
    """The first block of the sheet becomes `budgets/<id>.yaml`."""
    source = request.require_source("Tabelle")
    layout = find_layout(sheet, request.maps)
    unit, title = detect_unit(sheet, layout, request.unit), detect_title(sheet, layout)
    result, ids, lines = Result(), UniqueIds(), list[Line]()
    for row in block_rows(sheet, layout):
        try:
            lines.append(read_line(row, layout, ids, lines))
        except col.RowError as error:
            result.row_error(request, row, error)
    table_id = request.table_id or slugify(f"{request.file.stem} {sheet.name}"
                                           if request.sheet else request.file.stem)
    record: dict[str, Any] = {"title": title, "unit": unit, "years": layout.headings}
    if any(ln.difference_of for ln in lines):
        record["kind"] = "plan"
    record["sources"] = [{"source": source, "section": title}]
    record["lines"] = [ln.record() for ln in lines]
    result.add("budget", record_path("budget", table_id),
               yaml_file("budget", request.file.name, record))
    return result
