"""Online services under the OZG: one list per file (`content/ozg/*.yaml`)."""

from __future__ import annotations

from dmoves_site import model as m
from dmoves_site.checks import Field, boolean, choice, date, integer, list_of, short_text, slug
from dmoves_site.kinds.base import Column, DatasetSpec, Kind, join_refs
from dmoves_site.kinds.history import FIELDS as HISTORY_FIELDS
from dmoves_site.kinds.history import read_history
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator, each_mapping

FILE_FIELDS = {"services": Field(None, True)}
FIELDS = {
    "id": Field(slug, True),
    "title": Field(short_text, True),
    "status": Field(choice(m.SERVICE_STATUSES, "Status"), True),
    "since": Field(date),
    "epayment": Field(boolean),
    "platform": Field(short_text),
    "ozg_id": Field(short_text),
    "themenfeld": Field(short_text),
    "lebenslage": Field(short_text),
    "leistungsbuendel": Field(short_text),
    "leika_ids": Field(list_of(short_text)),
    "reifegrad": Field(integer(0, 4)),
    "measure": Field(slug),
    "sources": Field(None, True),
    "history": Field(None),
}


def validate(v: Validator, raw: RawFile, _stem: str) -> list[m.Service]:
    """One OZG file → its services (those without problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    reader.check_fields(FILE_FIELDS)
    result = []
    for _index, sub in each_mapping(reader, "services"):
        values = sub.check_fields(FIELDS)
        sources = v.refs_of(sub, "sources")
        if "measure" in values:
            v.expect("measure", values["measure"], sub, "measure")
        history = read_history(v, sub, m.SERVICE_STATUSES)
        if sub.ok:
            result.append(m.Service(
                id=values["id"], title=values["title"], status=values["status"],
                sources=sources, since=values.get("since"), epayment=values.get("epayment"),
                platform=values.get("platform", ""), ozg_id=values.get("ozg_id", ""),
                themenfeld=values.get("themenfeld", ""), measure=values.get("measure", ""),
                path=raw.path, line=sub.data.line, lebenslage=values.get("lebenslage", ""),
                leistungsbuendel=values.get("leistungsbuendel", ""),
                leika_ids=tuple(values.get("leika_ids", ())), reifegrad=values.get("reifegrad"),
                history=history))
    return result


S, B, INT = "string", "boolean", "integer"
SERVICES = DatasetSpec(
    "ozg-dienste", "Online-Dienste (OZG)", "Die in den Quellen genannten Online-Dienste.",
    (Column("id", S, "Kennung"), Column("titel", S, "Titel"),
     Column("status", S, ", ".join(m.SERVICE_STATUSES)), Column("seit", S, "online seit"),
     Column("epayment", B, "ePayment möglich"), Column("plattform", S, "Plattform"),
     Column("ozg_id", S, "OZG-Leistungs-ID"), Column("themenfeld", S, "OZG-Themenfeld"),
     Column("lebenslage", S, "Lebenslage"), Column("leistungsbuendel", S, "Leistungsbündel"),
     Column("leika_ids", S, "LeiKa-Schlüssel (durch Leerzeichen getrennt)"),
     Column("reifegrad", INT, "Reifegrad 0–4"),
     Column("massnahme", S, "Kennung der Maßnahme"), Column("quellen", S, "Quellen")),
    lambda services: ({
        "id": s.id, "titel": s.title, "status": s.status,
        "seit": s.since.iso() if s.since else None, "epayment": s.epayment,
        "plattform": s.platform or None, "ozg_id": s.ozg_id or None,
        "themenfeld": s.themenfeld or None, "lebenslage": s.lebenslage or None,
        "leistungsbuendel": s.leistungsbuendel or None,
        "leika_ids": " ".join(s.leika_ids) or None, "reifegrad": s.reifegrad,
        "massnahme": s.measure or None,
        "quellen": join_refs(s.sources)} for s in services))

KIND = Kind(
    name="service", label="Online-Dienst", folder="ozg", markdown=False, record=m.Service,
    fields=FIELDS, validate=validate, url="ozg/", title="Online-Dienste (OZG)",
    index_template="ozg.html", parts={"services": FILE_FIELDS, "history": HISTORY_FIELDS},
    many=True,
    datasets=(SERVICES,),
)
