"""Free pages at the site's root: imprint, privacy, methods (`content/pages/<id>.md`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import ID, Field, boolean, integer, mapping, short_text
from dmoves_site.kinds.base import Kind
from dmoves_site.schema import plain

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "summary": Field(short_text),
    "order": Field(integer(0)),
    "sources": Field(None),
    "draft": Field(boolean),
    "extra": Field(mapping),
}


def _order(page: Any) -> Any:
    return (page.order, page.id)


KIND = Kind(
    name="page", label="Seite", folder="pages", markdown=True, record=m.Page,
    fields=FIELDS, validate=plain(m.Page, FIELDS), url="", template="page.html", order=_order,
    drafts=True,
)
