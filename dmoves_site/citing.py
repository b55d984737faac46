"""Citing a chart: its primary documents, the suggested citation and the data ZIP.

Texts come from the site's message catalogue `t` (`cite.*`)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping

from dmoves_site import charts as ch
from dmoves_site import model as m
from dmoves_site.messages import Messages

DATE_PLACEHOLDER = "TT.MM.JJJJ"  # filled with the date of copying by the page's script
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date ZIP can store: the same bytes each build


def document_reference(source: m.Source) -> str:
    """One primary document as a reference: publisher, title, number, date, address."""
    text = f"{source.publisher}: {source.title}"
    if source.number:
        text += f", {source.number}"
    text += f", {source.date.german()}"
    return text + (f", {source.url}" if source.url else "")


def source_line(chart: ch.Chart, title: Callable[[m.Source], str], t: Messages) -> str:
    """One short line: 'Quellen: <first document> und 4 weitere' (`title`: a source's
    short caption with the site's label of its kind)."""
    docs = chart.documents
    if not docs:
        return ""
    if len(docs) == 1:
        return t("cite.source_one", source=title(docs[0]))
    return t("cite.source_many", source=title(docs[0]), others=others_label(len(docs) - 1, t))


def others_label(count: int, t: Messages) -> str:
    """'eine weitere', '4 weitere' (documents)."""
    return t("partials.more_sources_one" if count == 1 else "partials.more_sources", count=count)


def citation(chart: ch.Chart, site: m.Site, url: str, t: Messages,
             accessed: str = DATE_PLACEHOLDER) -> str:
    """The suggested citation: the dashboard's chart, then the primary documents."""
    text = t("cite.text", publisher=site.publisher, year=chart.as_of.year, title=chart.title,
             site=site.title, date=chart.as_of.german(), license=site.license_name, url=url,
             accessed=accessed)
    docs = chart.documents
    if docs:
        text += t("cite.primary", documents="; ".join(document_reference(s) for s in docs))
    return text


def readme(chart: ch.Chart, site: m.Site, url: str, t: Messages) -> str:
    """README.md of the data ZIP: what the data is, when, from where, under which licence."""
    def r(key: str, **params: object) -> str:
        return t(f"cite.readme.{key}", **params)
    lines = [f"# {chart.title}", "", chart.finding, "",
             f"- {r('as_of', date=chart.as_of.german())}", f"- {r('unit', unit=chart.unit)}",
             f"- {r('publisher', publisher=site.publisher)}",
             f"- {r('license', name=site.license_name, id=site.license_id, url=site.license_url)}",
             f"- {r('online', url=url)}", "", f"## {r('files')}", "",
             f"- `{chart.id}.csv`: {r('csv_file')}",
             f"- `{chart.id}.metadata.json`: {r('metadata_file')}", "",
             f"## {r('columns')}", "", *(f"- {c}" for c in chart.columns), "",
             f"## {r('sources')}", ""]
    sources = {s.id: s for s in chart.documents}
    for sid, sections in ch.group_refs(chart.sources):
        src = sources.get(sid)
        name = document_reference(src) if src else sid
        lines.append(f"- {name}; {ch.sections_label(sections, t)}")
    if chart.notes:
        lines += ["", f"## {r('notes')}", "", *(f"- {n}" for n in chart.notes)]
    lines += ["", f"## {r('citation')}", "", citation(chart, site, url, t), ""]
    return "\n".join(lines)


def metadata(chart: ch.Chart, site: m.Site, url: str, t: Messages) -> dict[str, object]:
    """The README's facts as JSON."""
    sources = {s.id: s for s in chart.documents}
    return {
        "titel": chart.title, "aussage": chart.finding, "stand": chart.as_of.iso(),
        "einheit": chart.unit, "url": url, "herausgeber": site.publisher,
        "lizenz": {"name": site.license_name, "id": site.license_id, "url": site.license_url},
        "spalten": list(chart.columns), "hinweise": list(chart.notes),
        "quellen": [{"dokument": document_reference(sources[r.source])
                     if r.source in sources else r.source, "quelle": r.source,
                     "abschnitt": r.section} for r in chart.sources],
        "zitiervorschlag": citation(chart, site, url, t),
    }


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A ZIP of `files` with fixed dates and permissions: identical bytes on every build."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def data_zip(chart: ch.Chart, site: m.Site, url: str, csv: bytes, t: Messages) -> bytes:
    """The chart's data with its metadata, as Our World in Data offers it."""
    meta = json.dumps(metadata(chart, site, url, t), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"
    return zip_bytes({f"{chart.id}.csv": csv, "README.md": readme(
        chart, site, url, t).encode("utf-8"),
        f"{chart.id}.metadata.json": meta.encode("utf-8")})
