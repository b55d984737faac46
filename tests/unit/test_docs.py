"""Every field the validator accepts is documented in docs/content.md."""

import re

import pytest

from dmoves_site import schema
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
KINDS = {
    "SITE_FIELDS": schema.SITE_FIELDS, "PROGRAM_FIELDS": schema.PROGRAM_FIELDS,
    "MEASURE_FIELDS": schema.MEASURE_FIELDS, "MILESTONE_FIELDS": schema.MILESTONE_FIELDS,
    "SERVICE_FIELDS": schema.SERVICE_FIELDS, "BUDGET_FIELDS": schema.BUDGET_FIELDS,
    "LINE_FIELDS": schema.LINE_FIELDS, "KPI_FIELDS": schema.KPI_FIELDS,
    "POINT_FIELDS": schema.POINT_FIELDS, "TARGET_FIELDS": schema.TARGET_FIELDS,
    "UPDATE_FIELDS": schema.UPDATE_FIELDS, "SOURCE_FIELDS": schema.SOURCE_FIELDS,
    "PAGE_FIELDS": schema.PAGE_FIELDS,
}


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fields in KINDS.items()
                                             for f in fields])
def test_field_is_documented(kind: str, field: str) -> None:
    assert re.search(rf"`{re.escape(field)}`", DOC), f"{kind}.{field} missing in docs/content.md"


def test_statuses_are_documented() -> None:
    for status in ("geplant", "in_umsetzung", "abgeschlossen", "zurueckgestellt"):
        assert f"`{status}`" in DOC
