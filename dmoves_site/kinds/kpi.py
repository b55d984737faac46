"""Key figures with dated values and an optional target (`content/kpis/<id>.yaml`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import ID, Field, date, integer, markdown, number, short_text, slug
from dmoves_site.kinds.base import Column, DatasetSpec, Kind, join_refs
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator, each_mapping, sub_reader

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "unit": Field(short_text, True),
    "points": Field(None, True),
    "target": Field(None),
    "program": Field(slug),
    "description": Field(markdown),
}
POINT_FIELDS = {
    "date": Field(date, True),
    "value": Field(number, True),
    "source": Field(slug, True),
    "section": Field(short_text, True),
    "page": Field(integer(1)),
    "note": Field(short_text),
}
TARGET_FIELDS = {
    "date": Field(date, True),
    "value": Field(number, True),
    "source": Field(slug),
    "section": Field(short_text),
}


def validate(v: Validator, raw: RawFile, stem: str) -> m.Kpi | None:
    """One KPI file → a Kpi (or None, with problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    values = reader.check_fields(FIELDS)
    rid = v.record_id(reader, values, stem)
    points = _points(v, reader)
    target = _target(v, reader)
    if "program" in values:
        v.expect("program", values["program"], reader, "program")
    if not reader.ok:
        return None
    return m.Kpi(id=rid, title=values["title"], unit=values["unit"], points=points,
                 target=target, program=values.get("program", ""),
                 description=values.get("description", ""), path=raw.path)


def _points(v: Validator, reader: Reader) -> tuple[m.KpiPoint, ...]:
    points = []
    for _index, sub in each_mapping(reader, "points"):
        values = sub.check_fields(POINT_FIELDS)
        ref = v.optional_ref(sub, values) if sub.ok else None
        reader.ok = reader.ok and sub.ok
        if sub.ok and ref is not None:
            points.append(m.KpiPoint(date=values["date"], value=values["value"], source=ref,
                                     note=values.get("note", "")))
    return tuple(sorted(points, key=lambda p: p.date.sort_key()))


def _target(v: Validator, reader: Reader) -> m.KpiTarget | None:
    raw = reader.data.get("target")
    if raw is None:
        return None
    sub = sub_reader(reader, "target", raw, reader.line("target"))
    if sub is None:
        return None
    values = sub.check_fields(TARGET_FIELDS)
    ref = v.optional_ref(sub, values)
    reader.ok = reader.ok and sub.ok
    if not sub.ok:
        return None
    return m.KpiTarget(date=values["date"], value=values["value"], source=ref)


def _cites(kpi: Any) -> Any:
    return (*(p.source for p in kpi.points), kpi.target.source if kpi.target else None)


def _rows(kpis: tuple[m.Kpi, ...]) -> list[dict[str, Any]]:
    rows = []
    for k in kpis:
        for p in k.points:
            rows.append({"kennzahl": k.id, "titel": k.title, "einheit": k.unit,
                         "datum": p.date.iso(), "wert": p.value, "ziel": False,
                         "anmerkung": p.note or None, "quelle": join_refs((p.source,))})
        if k.target:
            rows.append({"kennzahl": k.id, "titel": k.title, "einheit": k.unit,
                         "datum": k.target.date.iso(), "wert": k.target.value, "ziel": True,
                         "anmerkung": "Zielwert",
                         "quelle": join_refs((k.target.source,)) if k.target.source else None})
    return rows


S, N, B = "string", "number", "boolean"
KPIS = DatasetSpec(
    "kennzahlen", "Kennzahlen", "Alle Werte aller Kennzahlen mit Fundstelle.",
    (Column("kennzahl", S, "Kennung der Kennzahl"), Column("titel", S, "Titel"),
     Column("einheit", S, "Einheit"), Column("datum", S, "Datum"), Column("wert", N, "Wert"),
     Column("ziel", B, "Zielwert (true) oder Istwert (false)"),
     Column("anmerkung", S, "Anmerkung"), Column("quelle", S, "Quelle und Abschnitt")),
    _rows)

KIND = Kind(
    name="kpi", label="Kennzahl", folder="kpis", markdown=False, record=m.Kpi,
    fields=FIELDS, validate=validate, url="kennzahlen/", title="Kennzahlen",
    template="kpi.html", index_template="kpis.html",
    parts={"points": POINT_FIELDS, "target": TARGET_FIELDS}, cites=_cites,
    datasets=(KPIS,),
)
