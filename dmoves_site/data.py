"""Open data and chart downloads: CSV, Excel-friendly CSV, JSON, citations, data package."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any, Protocol

from dmoves_site import charts as ch
from dmoves_site import citing, routes
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site.kinds import KINDS, Dataset


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
    """RFC 4180 CSV in UTF-8 with CRLF line ends; text that a spreadsheet would run is quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else inert(_plain(v)) for v in row])
    return buffer.getvalue().encode("utf-8")


def excel_csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """CSV for German Excel: semicolons, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([inert(h) for h in header])
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
    return str(inert(str(_plain(value))))


def inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


# --- datasets --------------------------------------------------------------------------


def datasets(content: m.Content) -> tuple[Dataset, ...]:
    """Every dataset of the site: those of each kind, then one per record where a kind says so."""
    result = [spec.build(content.of(kind.name)) for kind in KINDS for spec in kind.datasets]
    for kind in KINDS:
        if kind.record_dataset is not None:
            result += [kind.record_dataset(record) for record in content.of(kind.name)]
    if not any(x.all_stages for x in content.measures):   # no stage column without stages
        result = [without_field(ds, "stufen") if ds.name == "massnahmen" else ds
                  for ds in result]
    return tuple(result)


def without_field(ds: Dataset, name: str) -> Dataset:
    """The dataset with one column left out."""
    return Dataset(ds.name, ds.title, ds.description,
                   tuple(f for f in ds.fields if f.name != name),
                   tuple({k: v for k, v in r.items() if k != name} for r in ds.records))


def dataset_file_names(ds: Dataset) -> tuple[str, str]:
    """The output paths of `dataset_files(ds)`: its CSV and JSON file."""
    return routes.data_file(ds.name, "csv"), routes.data_file(ds.name, "json")


def dataset_files(ds: Dataset) -> dict[str, bytes]:
    """CSV and JSON files of one dataset."""
    names = [f.name for f in ds.fields]
    rows = [[rec.get(n) for n in names] for rec in ds.records]
    csv_name, json_name = dataset_file_names(ds)
    return {csv_name: csv_bytes(names, rows), json_name: dumps(list(ds.records))}


def datapackage(site: m.Site, sets: tuple[Dataset, ...]) -> dict[str, Any]:
    """A Frictionless Data Package describing every dataset."""
    return {
        "profile": "tabular-data-package",
        "name": fmt.slug(site.short_name) or "daten",
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


CHART_DOWNLOADS = (".csv", "-excel.csv", ".json", ".zip", ".bib", ".csl.json")


def chart_file_names(chart: ch.Chart) -> tuple[str, ...]:
    """The output paths of `chart_files(chart, …)`."""
    return tuple(routes.chart_file(chart.id, suffix) for suffix in CHART_DOWNLOADS)


def chart_files(chart: ch.Chart, site: m.Site, t: msg.Messages) -> dict[str, bytes]:
    """Data downloads and citation files of one chart (CHART_DOWNLOADS); the ZIP carries
    its metadata. `t`: the site's message catalogue."""
    header = list(chart.columns)
    rows = [list(r) for r in chart.rows]
    url = site.base_url + routes.url_for("chart", chart.id)
    data_csv = csv_bytes(header, rows)
    payload = {"id": chart.id, "titel": chart.title, "aussage": chart.finding,
               "stand": chart.as_of.iso(), "einheit": chart.unit, "url": url,
               "lizenz": site.license_name, "herausgeber": site.publisher,
               "quellen": [{"quelle": r.source, "abschnitt": r.section} for r in chart.sources],
               "hinweise": list(chart.notes), "spalten": header,
               "zeilen": [[_plain(v) for v in r] for r in rows]}
    return {
        routes.chart_file(chart.id, ".csv"): data_csv,
        routes.chart_file(chart.id, "-excel.csv"): excel_csv_bytes(header, rows),
        routes.chart_file(chart.id, ".json"): dumps(payload),
        routes.chart_file(chart.id, ".zip"): citing.data_zip(chart, site, url, data_csv, t),
        routes.chart_file(chart.id, ".bib"): bibtex(chart, site, url, t).encode("utf-8"),
        routes.chart_file(chart.id, ".csl.json"): dumps([csl(chart, site, url, t)]),
    }


BIBTEX_SPECIAL = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}",
                  "}": "\\textbraceright{}", "&": "\\&", "%": "\\%", "#": "\\#"}


class Citable(Protocol):
    """What a citation needs: a chart or a citable figure."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def as_of(self) -> m.PartialDate: ...

    @property
    def documents(self) -> tuple[m.Source, ...]: ...


def bibtex(chart: Citable, site: m.Site, url: str, t: msg.Messages) -> str:
    key = chart.id.replace("-", "_")
    docs = "; ".join(citing.document_reference(s) for s in chart.documents)
    def esc(text: str) -> str:  # BibTeX counts braces even after a backslash
        return re.sub(r"[\\{}&%#]", lambda match: BIBTEX_SPECIAL[match.group()], text)
    return (f"@misc{{{key},\n  author = {{{{{esc(site.publisher)}}}}},\n"
            f"  title = {{{esc(chart.title)}}},\n  howpublished = {{{esc(site.title)}}},\n"
            f"  year = {{{chart.as_of.year}}},\n  url = {{{url}}},\n"
            "  note = {" + t("cite.note", date=chart.as_of.german(),
                             license=esc(site.license_name))
            + (t("cite.note_primary", documents=esc(docs)) if docs else "") + "}\n}\n")


def csl(chart: Citable, site: m.Site, url: str, t: msg.Messages) -> dict[str, Any]:
    parts = [chart.as_of.year] + ([chart.as_of.month] if chart.as_of.month else [])
    if chart.as_of.day:
        parts.append(chart.as_of.day)
    return {"id": chart.id, "type": "dataset", "title": chart.title,
            "author": [{"literal": site.publisher}], "publisher": site.publisher,
            "container-title": site.title, "URL": url, "issued": {"date-parts": [parts]},
            "note": t("cite.csl_note", date=chart.as_of.german()), "license": site.license_name,
            "references": "; ".join(citing.document_reference(s)
                                    for s in chart.documents),
            "language": "de"}
