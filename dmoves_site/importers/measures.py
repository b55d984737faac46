"""Import a measure list as cities keep it (title, program, status, dates, office, text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site.checks import STATUS_SYNONYMS
from dmoves_site.importers import columns as col
from dmoves_site.importers.base import Request, Result, UniqueIds
from dmoves_site.importers.kinds import record_path
from dmoves_site.importers.records import markdown_file
from dmoves_site.importers.tables import Cell, Sheet, TableError, cell_text
from dmoves_site.problems import Problems
from dmoves_site.reader import read_yaml_file

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("Kennung", "Slug"),
    "title": ("Titel", "Maßnahme", "Massnahme", "Projekt", "Bezeichnung", "Name"),
    "program": ("Programm", "Handlungsfeld", "Themenfeld", "Bereich"),
    "status": ("Status", "Stand", "Umsetzungsstand"),
    "start": ("Start", "Beginn", "Projektstart", "Projektbeginn"),
    "end": ("Ende", "Projektende", "geplantes Ende", "Abschluss"),
    "responsible": ("Verantwortlich", "Zuständig", "Federführung", "federführend", "Amt",
                    "Organisationseinheit"),
    "description": ("Beschreibung", "Kurzbeschreibung", "Inhalt", "Ziel"),
}
REQUIRED = ("title", "program", "status")
ORDER = ("title", "program", "status", "start", "end", "responsible")


def measure_status(value: Cell) -> str:
    """'in Umsetzung', 'fertig', 'zurückgestellt' → the status vocabulary."""
    text = cell_text(value).strip()
    key = text.casefold()
    labels = status_labels()
    by_label = {label.casefold(): status for status, label in labels.items()}
    found = by_label.get(key) or STATUS_SYNONYMS.get(key)
    if found is None and key.replace(" ", "_") in m.MEASURE_STATUSES:
        found = key.replace(" ", "_")
    if found is None:
        raise ValueError(f"unbekannter Status {text!r}; erlaubt: "
                         + ", ".join(labels.values()))
    return found


def status_labels() -> dict[str, str]:
    """The printed status words (German catalogue) by status."""
    t = msg.catalogue()
    return {status: t(f"status.{status}") for status in m.MEASURE_STATUSES}


def program_names(content: Path) -> dict[str, str]:
    """Every way a program may be named in a list (id, title, number) → its id."""
    names: dict[str, str] = {}
    for path in sorted((content / "programs").glob("*.yaml")):
        raw = read_yaml_file(path, path.name, Problems())
        if raw is None:
            continue
        pid = str(raw.data.get("id") or path.stem)
        names[col.normalise(pid)] = pid
        names[col.normalise(str(raw.data.get("title", pid)))] = pid
        if raw.data.get("number") is not None:
            names[f"programm {raw.data['number']}"] = pid
            names[str(raw.data["number"])] = pid
    if not names:
        raise TableError("content/programs/ hat keine Programme – zuerst die Programme anlegen")
    return names


def program_of(names: dict[str, str]) -> Callable[[Cell], str]:
    def convert(value: Cell) -> str:
        key = col.normalise(cell_text(value))
        if key not in names:
            shown = ", ".join(sorted(set(names.values())))
            raise ValueError(f"Programm {cell_text(value)!r} gibt es nicht; vorhanden: {shown}")
        return names[key]

    return convert


def measure(values: dict[str, Any], source: str) -> tuple[dict[str, Any], str]:
    """Front matter in the documented field order, and the body."""
    front: dict[str, Any] = {k: values[k] for k in ORDER if k in values}
    if source:
        front["sources"] = [{"source": source, "section": values["title"]}]
    return front, values.get("description", "")


def run(request: Request, sheet: Sheet) -> Result:
    """Every readable row becomes `measures/<id>.md`."""
    if request.source:
        request.require_source("Maßnahmenliste")
    header = col.find_header(sheet, ALIASES, REQUIRED, request.maps)
    converters = {"status": measure_status, "program": program_of(program_names(
        request.content)), "start": col.date_text, "end": col.date_text,
        "description": lambda v: str(v).replace("\r\n", "\n").strip()}   # keeps its lines
    result, ids = Result(), UniqueIds()
    for row in col.data_rows(sheet, header):
        try:
            values = col.convert(col.values(row, header), header, converters)
            missing = next((f for f in REQUIRED if f not in values), None)
            if missing:
                raise col.RowError(header.label(missing), "Pflichtangabe fehlt")
        except col.RowError as error:
            result.row_error(request, row, error)
            continue
        rid = ids.make(values.get("id") or values["title"])
        front, body = measure(values, request.source)
        result.add("measure", record_path("measure", rid),
                   markdown_file("measures", request.file.name, front, body))
    return result
