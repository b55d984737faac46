"""Source documents that every figure and text cites (`content/sources/<id>.yaml`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import ID, Field, choice, date, rel_path, short_text, url
from dmoves_site.kinds.base import Column, DatasetSpec, Kind
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "kind": Field(choice(m.SOURCE_KINDS, "Art"), True),
    "number": Field(short_text),
    "date": Field(date, True),
    "publisher": Field(short_text, True),
    "url": Field(url),
    "file": Field(rel_path),
    "summary": Field(short_text),
    "short_title": Field(short_text),
}


def validate(v: Validator, raw: RawFile, stem: str) -> m.Source | None:
    """One source file → a Source (or None, with problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    values = reader.check_fields(FIELDS)
    rid = v.record_id(reader, values, stem)
    if not reader.ok:
        return None
    return m.Source(id=rid, title=values["title"], kind=values["kind"], date=values["date"],
                    publisher=values["publisher"], number=values.get("number", ""),
                    url=values.get("url", ""), file=values.get("file", ""),
                    summary=values.get("summary", ""), path=raw.path,
                    short=values.get("short_title", ""))


def _cites(_source: Any) -> tuple[()]:
    return ()


S = "string"
SOURCES = DatasetSpec(
    "quellen", "Quellen", "Die Quelldokumente.",
    (Column("id", S, "Kennung"), Column("titel", S, "Titel"), Column("art", S, "Art"),
     Column("nummer", S, "Nummer"), Column("datum", S, "Datum"),
     Column("herausgeber", S, "Herausgeber"), Column("url", S, "Adresse")),
    lambda sources: ({
        "id": s.id, "titel": s.title, "art": s.kind, "nummer": s.number or None,
        "datum": s.date.iso(), "herausgeber": s.publisher, "url": s.url or None}
        for s in sources))

KIND = Kind(
    name="source", label="Quelle", folder="sources", markdown=False, record=m.Source,
    fields=FIELDS, validate=validate, url="quellen/", title="Quellen",
    template="source.html", index_template="sources.html", cites=_cites,
    datasets=(SOURCES,),
)
