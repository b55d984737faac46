"""The bundled content: every figure cites a source record and a section that exists."""

from __future__ import annotations

import re

from dmoves_site.build import check
from dmoves_site.load import section_occurs
from tests.conftest import ROOT

CONTENT, REPORT = check(ROOT)
assert CONTENT is not None
SOURCES = {s.id: s for s in CONTENT.sources}
TEXTS = {s.id: (ROOT / "content" / s.file).read_text("utf-8") for s in CONTENT.sources
         if s.file}
NUMBER = re.compile(r"\d")


def cited(ref) -> None:  # type: ignore[no-untyped-def]
    assert ref.source in SOURCES, ref
    assert ref.section.strip(), ref
    if ref.source in TEXTS:
        assert section_occurs(ref.section, TEXTS[ref.source]), ref


def test_no_errors_and_no_missing_sections() -> None:
    assert not REPORT.errors
    assert not [p for p in REPORT.warnings if p.field == "section"]


def test_every_kpi_point_cites_a_section() -> None:
    for kpi in CONTENT.kpis:
        assert kpi.points, kpi.id
        for point in kpi.points:
            cited(point.source)


def test_every_budget_table_cites_a_section() -> None:
    for budget in CONTENT.budgets:
        assert budget.sources, budget.id
        for ref in budget.sources:
            cited(ref)


def test_every_ozg_service_cites_a_section() -> None:
    for service in CONTENT.services:
        assert service.sources, service.id
        for ref in service.sources:
            cited(ref)


def test_every_measure_and_numeric_milestone_is_sourced() -> None:
    for measure in CONTENT.measures:
        assert measure.sources, measure.id
        for ref in measure.sources:
            cited(ref)
        for milestone in measure.milestones:
            if NUMBER.search(milestone.title):
                assert milestone.source is not None, (measure.id, milestone.title)
                cited(milestone.source)


def test_every_document_source_is_one_of_the_seed_files() -> None:
    files = {s.file for s in CONTENT.sources if s.file}
    assert len(files) == 5
    for file in files:
        assert (ROOT / "content" / file).is_file()


def test_known_inconsistencies_of_the_published_tables_are_flagged() -> None:
    texts = [p.message for p in REPORT.warnings if "Summenprüfung" in p.message]
    for needle in ("programme-projekte/gesamt, Projekte: angegeben 201, berechnet 194",
                   "programme-budget/gesamt, DHH 2022/2023: angegeben 32,3, berechnet 32,24",
                   "summe-mikrosegmentierung, 2022: angegeben 1.376, berechnet 1.375",
                   "gesamtdarstellung/telekommunikation-netze, 2022: angegeben 6.181, "
                   "berechnet 6.182",
                   "gesamtdarstellung/massnahmen-einmalig, 2022: angegeben 16.828, "
                   "berechnet 16.780"):
        assert any(needle in t for t in texts), needle


def test_as_of_is_the_newest_source_date() -> None:
    newest = max((s.date for s in CONTENT.sources), key=lambda d: d.sort_key())
    assert CONTENT.site.as_of == newest
