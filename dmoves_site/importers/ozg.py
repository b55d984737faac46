"""Import an OZG catalogue (federal or Land layout) into one `ozg/<file>.yaml` list."""

from __future__ import annotations

import re
from typing import Any

from dmoves_site.importers import columns as col
from dmoves_site.importers.base import Request, Result, UniqueIds, file_slug
from dmoves_site.importers.kinds import record_path
from dmoves_site.importers.records import yaml_file
from dmoves_site.importers.tables import Cell, Sheet, cell_text

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("Kennung", "Slug"),
    "title": ("Leistungsbezeichnung", "Leistungsname", "OZG-Leistung", "Leistung", "Titel",
              "Bezeichnung", "Name"),
    "status": ("Status", "Umsetzungsstatus", "Umsetzungsstand", "Stand"),
    "reifegrad": ("Reifegrad", "Reifegrad Bund", "Umsetzungsreifegrad", "OZG-Reifegrad"),
    "since": ("Online seit", "seit", "Go-live", "Onlinegang", "verfügbar seit"),
    "epayment": ("ePayment", "E-Payment", "Bezahlfunktion", "Online-Bezahlung"),
    "platform": ("Plattform", "Portal", "Onlinedienst-Plattform"),
    "ozg_id": ("OZG-ID", "OZG ID", "OZG-Leistungs-ID", "OZG-Nr", "OZG-Nummer", "ID"),
    "themenfeld": ("Themenfeld",),
    "lebenslage": ("Lebenslage", "Lebens- und Unternehmenslage", "Lebens-/Unternehmenslage",
                   "Unternehmenslage"),
    "leistungsbuendel": ("Leistungsbündel", "Leistungsbuendel", "Bündel"),
    "leika_ids": ("LeiKa-IDs", "LeiKa-ID", "LeiKa-Schlüssel", "LeiKa-Leistungsschlüssel", "LeiKa",
                  "Leistungsschlüssel"),
}
REQUIRED = ("title", "status")

# the catalogues' own status words (compared after col.normalise)
STATUS_WORDS = {
    "online": "online", "verfuegbar": "online", "umgesetzt": "online", "live": "online",
    "in betrieb": "online", "flaechendeckend verfuegbar": "online", "abgeschlossen": "online",
    "in umsetzung": "in_umsetzung", "in arbeit": "in_umsetzung", "in entwicklung": "in_umsetzung",
    "in bearbeitung": "in_umsetzung", "pilotierung": "in_umsetzung", "pilot": "in_umsetzung",
    "teilweise verfuegbar": "in_umsetzung", "in pilotierung": "in_umsetzung",
    "geplant": "geplant", "in planung": "geplant", "vorgesehen": "geplant",
    "offen": "offen", "nicht begonnen": "offen", "noch nicht begonnen": "offen",
    "ausstehend": "offen", "nicht gestartet": "offen",
}
_LEIKA_SPLIT = re.compile(r"[,;/\s]+")


def status(value: Cell) -> str:
    found = STATUS_WORDS.get(col.normalise(cell_text(value)))
    if found is None:
        raise ValueError(f"unbekannter Status {cell_text(value)!r}; erkannt werden z. B. "
                         "online, in Umsetzung, geplant, offen")
    return found


def reifegrad(value: Cell) -> int:
    match = re.fullmatch(r"(?:reifegrad|rg)?\s*([0-4])(?:[.,]0)?", cell_text(value), re.I)
    if not match:
        raise ValueError(f"Reifegrad 0 bis 4 erwartet, nicht {cell_text(value)!r}")
    return int(match.group(1))


def leika_ids(value: Cell) -> list[str]:
    return [part for part in _LEIKA_SPLIT.split(cell_text(value)) if part]


CONVERTERS = {"status": status, "reifegrad": reifegrad, "since": col.date_text,
              "epayment": col.yes_no, "leika_ids": leika_ids}
ORDER = ("id", "title", "status", "reifegrad", "since", "epayment", "platform", "ozg_id",
         "themenfeld", "lebenslage", "leistungsbuendel", "leika_ids")


def service(values: dict[str, Any], ids: UniqueIds, source: str) -> dict[str, Any]:
    """One service record in the documented field order."""
    rid = ids.make(values.get("id") or values["title"], values.get("ozg_id", ""))
    record: dict[str, Any] = {"id": rid}
    record |= {k: values[k] for k in ORDER[1:] if k in values}
    section = values.get("ozg_id") or values["title"]
    record["sources"] = [{"source": source, "section": section}]
    return record


def run(request: Request, sheet: Sheet) -> Result:
    """Every readable row becomes a service; the others are row errors."""
    source = request.require_source("OZG-Liste")
    header = col.find_header(sheet, ALIASES, REQUIRED, request.maps)
    result, ids, services = Result(), UniqueIds(), []
    for row in col.data_rows(sheet, header):
        try:
            values = col.convert(col.values(row, header), header, CONVERTERS)
            for fld in REQUIRED:
                if fld not in values:
                    raise col.RowError(header.label(fld), "Pflichtangabe fehlt")
        except col.RowError as error:
            result.row_error(request, row, error)
            continue
        services.append(service(values, ids, source))
    services.sort(key=lambda s: s["id"])
    rel = record_path("service", file_slug(request.file))
    result.add("service", rel, yaml_file("ozg", request.file.name, {"services": services}))
    return result
