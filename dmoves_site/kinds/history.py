"""The `history` part of measures and online services: earlier dated observations."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import Field, choice, date, integer, short_text, slug, text
from dmoves_site.schema import Reader, Validator, each_mapping

FIELDS = {
    "date": Field(date, True),
    "status": Field(text),
    "progress": Field(integer(0, 100)),
    "end": Field(date),
    "note": Field(short_text),
    "source": Field(slug),
    "section": Field(short_text),
    "page": Field(integer(1)),
}


def read_history(v: Validator, reader: Reader, statuses: tuple[str, ...]
                 ) -> tuple[m.HistoryEntry, ...]:
    """The entries of `history:`; their order and dates are checked once `as_of` is known."""
    result = []
    fields = {**FIELDS, "status": Field(choice(statuses, "Status"))}
    for _index, sub in each_mapping(reader, "history"):
        values = sub.check_fields(fields)
        ref = v.optional_ref(sub, values)
        reader.ok = reader.ok and sub.ok
        if sub.ok:
            result.append(m.HistoryEntry(
                date=values["date"], status=values.get("status", ""),
                progress=values.get("progress"), end=values.get("end"),
                note=values.get("note", ""), source=ref, line=sub.data.line))
    return tuple(result)


def check_reason(reader: Reader, values: dict[str, Any]) -> None:
    """`eingestellt` needs a `reason`; a reason belongs to a dropped or deferred measure."""
    status = values.get("status")
    if status == "eingestellt" and "reason" not in values and "reason" not in reader.data:
        reader.fail("reason", "Pflichtfeld bei Status 'eingestellt' fehlt",
                    "'reason: …' ergänzen: warum die Maßnahme nicht weiterverfolgt wird",
                    reader.line("status"))
    elif "reason" in values and status not in ("eingestellt", "zurueckgestellt", None):
        reader.fail("reason", "Begründung nur bei Status 'eingestellt' oder "
                    "'zurueckgestellt'", "Feld 'reason' entfernen oder Status anpassen")

