"""Programs: the strategy's fields of action (`content/programs/<id>.yaml`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import ID, Field, color, integer, markdown, short_text
from dmoves_site.kinds.base import Kind
from dmoves_site.schema import plain

FIELDS = {
    "id": ID,
    "number": Field(integer(1, 99), True),
    "title": Field(short_text, True),
    "summary": Field(short_text, True),
    "description": Field(markdown),
    "vision": Field(markdown),
    "color": Field(color, True),
    "sources": Field(None),
}


def _order(program: Any) -> Any:
    return (program.number, program.id)


KIND = Kind(
    name="program", label="Programm", folder="programs", markdown=False, record=m.Program,
    fields=FIELDS, validate=plain(m.Program, FIELDS), url="programme/", title="Programme",
    template="program.html", index_template="programs.html", order=_order,
)
