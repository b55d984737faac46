"""Measures: what the city does (`content/measures/<id>.md`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import (
    ID,
    Field,
    boolean,
    choice,
    date,
    integer,
    list_of,
    short_text,
    slug,
)
from dmoves_site.kinds.base import Column, DatasetSpec, Kind, join_refs
from dmoves_site.kinds.history import FIELDS as HISTORY_FIELDS
from dmoves_site.kinds.history import check_reason, read_history
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator, each_mapping

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "program": Field(slug, True),
    "status": Field(choice(m.MEASURE_STATUSES, "Status"), True),
    "stage": Field(integer(1, 9)),
    "stages": Field(list_of(integer(1, 9))),
    "progress": Field(integer(0, 100)),
    "start": Field(date),
    "end": Field(date),
    "responsible": Field(short_text),
    "budget": Field(None),
    "milestones": Field(None),
    "sources": Field(None),
    "tags": Field(list_of(short_text)),
    "kpis": Field(list_of(slug)),
    "draft": Field(boolean),
    "history": Field(None),
    "reason": Field(short_text),
}
MILESTONE_FIELDS = {
    "date": Field(date, True),
    "title": Field(short_text, True),
    "done": Field(boolean, True),
    "source": Field(slug),
    "section": Field(short_text),
    "page": Field(integer(1)),
}


def validate(v: Validator, raw: RawFile, stem: str) -> m.Measure | None:
    """One measure file → a Measure (or None, with problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    values = reader.check_fields(FIELDS)
    rid = v.record_id(reader, values, stem)
    milestones = _milestones(v, reader)
    sources = v.refs_of(reader, "sources")
    budget = v.money(reader, "budget")
    _check_stages(reader, values)
    if "program" in values:
        v.expect("program", values["program"], reader, "program")
    for index, kpi in enumerate(values.get("kpis", ())):
        v.expect("kpi", kpi, reader, "kpis", raw.data["kpis"].lines[index])
    _check_start_end(reader, values)
    check_reason(reader, values)
    history = read_history(v, reader, m.MEASURE_STATUSES)
    if not reader.ok:
        return None
    return m.Measure(
        id=rid, title=values["title"], program=values["program"], status=values["status"],
        body=raw.body, stage=values.get("stage"), stages=tuple(values.get("stages", ())),
        progress=values.get("progress"), start=values.get("start"), end=values.get("end"),
        responsible=values.get("responsible", ""), budget=budget, milestones=milestones,
        sources=sources, tags=tuple(values.get("tags", ())),
        kpis=tuple(values.get("kpis", ())), draft=values.get("draft", False), path=raw.path,
        history=history, reason=values.get("reason", ""))


def _check_stages(reader: Reader, values: dict[str, Any]) -> None:
    stages = values.get("stages")
    if stages and "stage" in values and values["stage"] not in stages:
        reader.fail("stages", f"enthält {values['stage']} aus 'stage' nicht",
                    f"z. B. stages: [{values['stage']}, …]")
    if stages and list(stages) != sorted(set(stages)):
        reader.fail("stages", "aufsteigend und ohne Doppelung angeben", "z. B. [1, 2]")


def _check_start_end(reader: Reader, values: dict[str, Any]) -> None:
    start, end = values.get("start"), values.get("end")
    if start and end and end.last_day() < start.first_day():
        reader.fail("end", f"Ende {end.german()} liegt vor dem Start {start.german()}")


def _milestones(v: Validator, reader: Reader) -> tuple[m.Milestone, ...]:
    result = []
    for _index, sub in each_mapping(reader, "milestones"):
        values = sub.check_fields(MILESTONE_FIELDS)
        ref = v.optional_ref(sub, values)
        reader.ok = reader.ok and sub.ok
        if sub.ok:
            result.append(m.Milestone(date=values["date"], title=values["title"],
                                      done=values["done"], source=ref))
    return tuple(sorted(result, key=lambda ms: ms.date.sort_key()))


def _cites(measure: Any) -> Any:
    return (*measure.sources, *(ms.source for ms in measure.milestones),
            *(e.source for e in measure.history))


S, INT, B = "string", "integer", "boolean"
MEASURES = DatasetSpec(
    "massnahmen", "Maßnahmen", "Alle Maßnahmen mit Programm, Status und Zeitplan.",
    (Column("id", S, "Kennung der Maßnahme"), Column("titel", S, "Titel"),
     Column("programm", S, "Kennung des Programms"),
     Column("status", S, ", ".join(m.MEASURE_STATUSES)),
     Column("stufen", S, "Umsetzungsstufen, durch Leerzeichen getrennt"),
     Column("fortschritt", INT, "Fortschritt in Prozent, falls belegt"),
     Column("start", S, "Projektstart (Genauigkeit der Quelle)"),
     Column("ende", S, "geplantes Ende (Genauigkeit der Quelle)"),
     Column("zustaendig", S, "zuständige Stelle"), Column("quellen", S, "Quelle und Abschnitt")),
    lambda measures: ({
        "id": x.id, "titel": x.title, "programm": x.program, "status": x.status,
        "stufen": " ".join(map(str, x.all_stages)), "fortschritt": x.progress,
        "start": x.start.iso() if x.start else None, "ende": x.end.iso() if x.end else None,
        "zustaendig": x.responsible or None, "quellen": join_refs(x.sources)}
        for x in measures))
MILESTONES = DatasetSpec(
    "meilensteine", "Meilensteine", "Datierte Meilensteine der Maßnahmen.",
    (Column("massnahme", S, "Kennung der Maßnahme"),
     Column("datum", S, "Datum (Genauigkeit der Quelle)"), Column("titel", S, "Titel"),
     Column("erledigt", B, "erledigt (true) oder geplant (false)"),
     Column("quelle", S, "Quelle und Abschnitt")),
    lambda measures: ({
        "massnahme": x.id, "datum": ms.date.iso(), "titel": ms.title, "erledigt": ms.done,
        "quelle": join_refs((ms.source,)) if ms.source else None}
        for x in measures for ms in x.milestones))

KIND = Kind(
    name="measure", label="Maßnahme", folder="measures", markdown=True, record=m.Measure,
    fields=FIELDS, validate=validate, url="massnahmen/", title="Maßnahmen",
    template="measure.html", index_template="measures.html",
    parts={"milestones": MILESTONE_FIELDS, "history": HISTORY_FIELDS}, drafts=True,
    cites=_cites,
    datasets=(MEASURES, MILESTONES),
)
