"""Every field the validator accepts is documented in docs/content.md."""

import re

import pytest

from dmoves_site import schema, settings
from dmoves_site.kinds import KINDS as REGISTRY
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
KINDS = {"site": settings.SITE_FIELDS, "site.terms": settings.TERM_FIELDS,
         "site.stages": settings.STAGE_FIELDS, "site.highlights": settings.HIGHLIGHT_FIELDS,
         "site.logo": settings.LOGO_FIELDS, "site.colors": settings.COLOR_FIELDS,
         "site.pages": settings.PAGES_FIELDS, "site.source_kinds": settings.SOURCE_KIND_FIELDS,
         "source reference": schema.SOURCE_REF_FIELDS, "money": schema.MONEY_FIELDS}
for _kind in REGISTRY:
    KINDS[_kind.name] = _kind.fields
    KINDS.update({f"{_kind.name}.{part}": fields for part, fields in _kind.parts.items()})


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fields in KINDS.items()
                                             for f in fields])
def test_field_is_documented(kind: str, field: str) -> None:
    assert re.search(rf"`{re.escape(field)}`", DOC), f"{kind}.{field} missing in docs/content.md"


def test_statuses_are_documented() -> None:
    for status in ("geplant", "in_umsetzung", "abgeschlossen", "zurueckgestellt", "eingestellt"):
        assert f"`{status}`" in DOC
