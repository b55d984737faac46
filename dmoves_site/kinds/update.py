"""Press updates, newest first (`content/updates/<JJJJ-MM-TT>-<id>.md`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import (
    ID,
    Field,
    boolean,
    full_date,
    list_of,
    mapping,
    rel_path,
    short_text,
    slug,
)
from dmoves_site.kinds.base import Kind
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "date": Field(full_date, True),
    "summary": Field(short_text),
    "measures": Field(list_of(slug)),
    "programs": Field(list_of(slug)),
    "sources": Field(None),
    "author": Field(short_text),
    "image": Field(rel_path),
    "image_alt": Field(short_text),
    "draft": Field(boolean),
    "extra": Field(mapping),
}


def validate(v: Validator, raw: RawFile, stem: str) -> m.Update | None:
    """One update file → an Update (or None, with problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    values = reader.check_fields(FIELDS)
    match = m.DATED_NAME_RE.match(stem)
    if not match:
        reader.fail("datei", "Dateiname muss mit dem Datum beginnen",
                    "z. B. 2021-07-06-haushaltsentwurf.md", 1)
        return None
    rid = v.record_id(reader, values, match.group(2))
    if "date" in values and values["date"].iso() != match.group(1):
        reader.fail("date", f"Datum {values['date'].iso()} passt nicht zum Dateinamen "
                    f"({match.group(1)})", "Datum oder Dateinamen angleichen")
    _expect_targets(v, reader, raw, values)
    if values.get("image") and not values.get("image_alt"):
        reader.fail("image_alt", "Bild ohne Alternativtext",
                    "'image_alt: …' mit einer kurzen Bildbeschreibung ergänzen",
                    reader.line("image"))
    sources = v.refs_of(reader, "sources")
    if not reader.ok:
        return None
    return m.Update(
        id=rid, title=values["title"], date=values["date"], body=raw.body,
        summary=values.get("summary", ""), measures=tuple(values.get("measures", ())),
        programs=tuple(values.get("programs", ())), sources=sources,
        author=values.get("author", ""), image=values.get("image", ""),
        image_alt=values.get("image_alt", ""), draft=values.get("draft", False),
        path=raw.path, extra=values.get("extra", {}))


def _expect_targets(v: Validator, reader: Reader, raw: RawFile, values: dict[str, Any]
                    ) -> None:
    for key, kind in (("measures", "measure"), ("programs", "program")):
        for index, target in enumerate(values.get(key, ())):
            v.expect(kind, target, reader, key, raw.data[key].lines[index])


def _order(update: Any) -> Any:
    return (update.date.sort_key(), update.id)


KIND = Kind(
    name="update", label="Meldung", folder="updates", markdown=True, record=m.Update,
    fields=FIELDS, validate=validate, url="aktuelles/", title="Aktuelles",
    template="update.html", index_template="updates.html", order=_order,
    newest_first=True, drafts=True,
)
