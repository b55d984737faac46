"""Open data and chart downloads: CSV, Excel-friendly CSV, JSON, citations, data package."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dmoves_site import charts as ch
from dmoves_site import formatting as fmt
from dmoves_site import model as m
from dmoves_site import routes


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    type: str          # Frictionless type: string, integer, number, boolean, date
    description: str


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[FieldInfo, ...]
    records: tuple[dict[str, Any], ...]

    @property
    def rows(self) -> int:
        return len(self.records)


def _plain(value: Any) -> Any:
    """JSON/CSV value: Decimals as numbers, dates as their ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, m.PartialDate):
        return value.iso()
    return value


def dumps(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, UTF-8, trailing newline."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2,
                       default=_plain) + "\n").encode("utf-8")


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """RFC 4180 CSV in UTF-8 with CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def excel_csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """CSV for German Excel: semicolons, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_excel(v) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _excel(value: Any) -> str:
    """A cell for Excel; text that Excel would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float, Decimal)):
        return fmt.number(Decimal(str(value))).replace(".", "").replace("−", "-")
    text = str(_plain(value))
    return f"'{text}" if text.startswith(FORMULA_START) else text


# --- datasets --------------------------------------------------------------------------

S, INT, N, B = "string", "integer", "number", "boolean"


def _refs(refs: tuple[m.SourceRef, ...]) -> str:
    return "; ".join(f"{r.source} {r.section}" for r in refs)


def datasets(content: m.Content) -> tuple[Dataset, ...]:
    """Every dataset of the site, built from the loaded records."""
    result = [
        Dataset("massnahmen", "Maßnahmen", "Alle Maßnahmen mit Programm, Status und Zeitplan.",
                _fields(("id", S, "Kennung der Maßnahme"), ("titel", S, "Titel"),
                        ("programm", S, "Kennung des Programms"),
                        ("status", S, "geplant, in_umsetzung, abgeschlossen, zurueckgestellt"),
                        ("stufen", S, "Umsetzungsstufen, durch Leerzeichen getrennt"),
                        ("fortschritt", INT, "Fortschritt in Prozent, falls belegt"),
                        ("start", S, "Projektstart (Genauigkeit der Quelle)"),
                        ("ende", S, "geplantes Ende (Genauigkeit der Quelle)"),
                        ("zustaendig", S, "zuständige Stelle"),
                        ("quellen", S, "Quelle und Abschnitt")),
                tuple({"id": x.id, "titel": x.title, "programm": x.program, "status": x.status,
                       "stufen": " ".join(map(str, x.all_stages)), "fortschritt": x.progress,
                       "start": x.start.iso() if x.start else None,
                       "ende": x.end.iso() if x.end else None,
                       "zustaendig": x.responsible or None, "quellen": _refs(x.sources)}
                      for x in content.measures)),
        Dataset("meilensteine", "Meilensteine", "Datierte Meilensteine der Maßnahmen.",
                _fields(("massnahme", S, "Kennung der Maßnahme"),
                        ("datum", S, "Datum (Genauigkeit der Quelle)"), ("titel", S, "Titel"),
                        ("erledigt", B, "erledigt (true) oder geplant (false)"),
                        ("quelle", S, "Quelle und Abschnitt")),
                tuple({"massnahme": x.id, "datum": ms.date.iso(), "titel": ms.title,
                       "erledigt": ms.done,
                       "quelle": _refs((ms.source,)) if ms.source else None}
                      for x in content.measures for ms in x.milestones)),
        Dataset("ozg-dienste", "Online-Dienste (OZG)", "Die in den Quellen genannten "
                "Online-Dienste.",
                _fields(("id", S, "Kennung"), ("titel", S, "Titel"),
                        ("status", S, "online, in_umsetzung, geplant"),
                        ("seit", S, "online seit"), ("epayment", B, "ePayment möglich"),
                        ("plattform", S, "Plattform"), ("ozg_id", S, "OZG-Leistungs-ID"),
                        ("themenfeld", S, "OZG-Themenfeld"),
                        ("massnahme", S, "Kennung der Maßnahme"), ("quellen", S, "Quellen")),
                tuple({"id": s.id, "titel": s.title, "status": s.status,
                       "seit": s.since.iso() if s.since else None, "epayment": s.epayment,
                       "plattform": s.platform or None, "ozg_id": s.ozg_id or None,
                       "themenfeld": s.themenfeld or None, "massnahme": s.measure or None,
                       "quellen": _refs(s.sources)} for s in content.services)),
        Dataset("kennzahlen", "Kennzahlen", "Alle Werte aller Kennzahlen mit Fundstelle.",
                _fields(("kennzahl", S, "Kennung der Kennzahl"), ("titel", S, "Titel"),
                        ("einheit", S, "Einheit"), ("datum", S, "Datum"), ("wert", N, "Wert"),
                        ("ziel", B, "Zielwert (true) oder Istwert (false)"),
                        ("anmerkung", S, "Anmerkung"), ("quelle", S, "Quelle und Abschnitt")),
                tuple(_kpi_rows(content))),
        Dataset("quellen", "Quellen", "Die Quelldokumente.",
                _fields(("id", S, "Kennung"), ("titel", S, "Titel"), ("art", S, "Art"),
                        ("nummer", S, "Nummer"), ("datum", S, "Datum"),
                        ("herausgeber", S, "Herausgeber"), ("url", S, "Adresse")),
                tuple({"id": s.id, "titel": s.title, "art": s.kind, "nummer": s.number or None,
                       "datum": s.date.iso(), "herausgeber": s.publisher, "url": s.url or None}
                      for s in content.sources)),
    ]
    result += [budget_dataset(b) for b in content.budgets]
    return tuple(result)


def _fields(*specs: tuple[str, str, str]) -> tuple[FieldInfo, ...]:
    return tuple(FieldInfo(*spec) for spec in specs)


def _kpi_rows(content: m.Content) -> list[dict[str, Any]]:
    rows = []
    for k in content.kpis:
        for p in k.points:
            rows.append({"kennzahl": k.id, "titel": k.title, "einheit": k.unit,
                         "datum": p.date.iso(), "wert": p.value, "ziel": False,
                         "anmerkung": p.note or None, "quelle": _refs((p.source,))})
        if k.target:
            rows.append({"kennzahl": k.id, "titel": k.title, "einheit": k.unit,
                         "datum": k.target.date.iso(), "wert": k.target.value, "ziel": True,
                         "anmerkung": "Zielwert",
                         "quelle": _refs((k.target.source,)) if k.target.source else None})
    return rows


def budget_dataset(budget: m.Budget) -> Dataset:
    """A budget table in long form: one row per line and column, as printed."""
    rows = []
    for line in budget.lines:
        for year, value in zip(budget.years, line.values, strict=True):
            rows.append({"zeile": line.id, "bezeichnung": line.label, "art": line.kind,
                         "spalte": year, "wert": value, "einheit": budget.unit})
        if line.total is not None:
            rows.append({"zeile": line.id, "bezeichnung": line.label, "art": line.kind,
                         "spalte": "Gesamt", "wert": line.total, "einheit": budget.unit})
    return Dataset(
        f"haushalt-{budget.id}", f"Haushalt: {budget.title}",
        f"Die Tabelle „{budget.title}“ wie veröffentlicht ({budget.unit}); Quelle: "
        f"{_refs(budget.sources)}.",
        _fields(("zeile", S, "Kennung der Zeile"), ("bezeichnung", S, "Bezeichnung"),
                ("art", S, "item, subtotal oder total"),
                ("spalte", S, "Jahr oder Spaltenkopf; 'Gesamt' für die gedruckte Zeilensumme"),
                ("wert", N, "Wert wie veröffentlicht"), ("einheit", S, "Einheit")),
        tuple(rows))


def dataset_files(ds: Dataset) -> dict[str, bytes]:
    """CSV and JSON files of one dataset."""
    names = [f.name for f in ds.fields]
    rows = [[rec.get(n) for n in names] for rec in ds.records]
    return {routes.data_file(ds.name, "csv"): csv_bytes(names, rows),
            routes.data_file(ds.name, "json"): dumps(list(ds.records))}


def datapackage(site: m.Site, sets: tuple[Dataset, ...]) -> dict[str, Any]:
    """A Frictionless Data Package describing every dataset."""
    return {
        "profile": "tabular-data-package",
        "name": "digital-moves",
        "title": site.title,
        "homepage": site.base_url,
        "version": site.as_of.iso(),
        "licenses": [{"name": site.license_id, "path": site.license_url,
                      "title": site.license_name}],
        "contributors": [{"title": site.publisher, "role": "publisher"}],
        "resources": [{
            "name": ds.name, "path": f"{ds.name}.csv", "title": ds.title,
            "description": ds.description, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": f.name, "type": f.type,
                                   "description": f.description} for f in ds.fields]},
        } for ds in sets],
    }


def dataset_jsonld(site: m.Site, sets: tuple[Dataset, ...]) -> dict[str, Any]:
    """schema.org Dataset description of the open data page."""
    return {
        "@context": "https://schema.org", "@type": "Dataset", "name": site.title,
        "description": site.description or site.title,
        "url": site.base_url + routes.url_for("data"),
        "license": site.license_url, "dateModified": site.as_of.iso(), "inLanguage": "de",
        "creator": {"@type": "GovernmentOrganization", "name": site.publisher},
        "distribution": [{"@type": "DataDownload", "encodingFormat": fmt_,
                          "contentUrl": site.base_url + routes.data_file(ds.name, ext)}
                         for ds in sets for ext, fmt_ in (("csv", "text/csv"),
                                                          ("json", "application/json"))],
    }


# --- charts ---------------------------------------------------------------------------


def chart_files(chart: ch.Chart, site: m.Site) -> dict[str, bytes]:
    """Data downloads and citation files of one chart."""
    header = list(chart.columns)
    rows = [list(r) for r in chart.rows]
    url = site.base_url + routes.url_for("chart", chart.id)
    payload = {"id": chart.id, "titel": chart.title, "aussage": chart.finding,
               "stand": chart.as_of.iso(), "einheit": chart.unit, "url": url,
               "lizenz": site.license_name, "herausgeber": site.publisher,
               "quellen": [{"quelle": r.source, "abschnitt": r.section} for r in chart.sources],
               "hinweise": list(chart.notes), "spalten": header,
               "zeilen": [[_plain(v) for v in r] for r in rows]}
    return {
        routes.chart_file(chart.id, ".csv"): csv_bytes(header, rows),
        routes.chart_file(chart.id, "-excel.csv"): excel_csv_bytes(header, rows),
        routes.chart_file(chart.id, ".json"): dumps(payload),
        routes.chart_file(chart.id, ".bib"): bibtex(chart, site, url).encode("utf-8"),
        routes.chart_file(chart.id, ".csl.json"): dumps([csl(chart, site, url)]),
    }


def bibtex(chart: ch.Chart, site: m.Site, url: str) -> str:
    key = chart.id.replace("-", "_")
    def esc(text: str) -> str:
        return text.replace("{", "\\{").replace("}", "\\}").replace("&", "\\&")
    return (f"@misc{{{key},\n  author = {{{{{esc(site.publisher)}}}}},\n"
            f"  title = {{{esc(chart.title)}}},\n  howpublished = {{{esc(site.title)}}},\n"
            f"  year = {{{chart.as_of.year}}},\n  url = {{{url}}},\n"
            f"  note = {{Stand: {chart.as_of.german()}; Lizenz: {esc(site.license_name)}}}\n}}\n")


def csl(chart: ch.Chart, site: m.Site, url: str) -> dict[str, Any]:
    parts = [chart.as_of.year] + ([chart.as_of.month] if chart.as_of.month else [])
    if chart.as_of.day:
        parts.append(chart.as_of.day)
    return {"id": chart.id, "type": "dataset", "title": chart.title,
            "author": [{"literal": site.publisher}], "publisher": site.publisher,
            "container-title": site.title, "URL": url, "issued": {"date-parts": [parts]},
            "note": f"Stand: {chart.as_of.german()}", "license": site.license_name,
            "language": "de"}
