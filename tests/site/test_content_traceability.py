"""The bundled content: every figure cites a source record and a section that exists."""

from __future__ import annotations

import re
from decimal import Decimal

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


MV = TEXTS["mitteilungsvorlage-2021"]
MEASURES = {x.id: x for x in CONTENT.measures}
SERVICES = {s.id: s for s in CONTENT.services}
UPDATES = {u.id: u for u in CONTENT.updates}


def section(text: str, start: str, end: str) -> str:
    """The document text from the heading `start` up to the heading `end`."""
    begin = text.index(f"\n{start} ")
    return text[begin:text.index(f"\n{end} ", begin)]


def row(text: str, label: str) -> str:
    """The table row of the document whose first cell is `label`."""
    [found] = [ln for ln in text.splitlines() if ln.startswith(f"{label}\t")]
    return found


def test_printed_row_totals_of_the_same_line_in_two_tables_are_compared() -> None:
    # Mitteilungsvorlage: Gesamtdarstellung prints 47.790 and 36.680; the sums of the same
    # lines in the tables of the measures and of TK/Netze are 47.734 and 36.682
    assert "Summe einmalige Aufwendungen\t16.780\t15.533\t7.567\t5.404\t2.450\t47.734" in MV
    assert "3. Telekommunikation und Netze\t6.181\t7.151\t7.626\t7.913\t7.809\t36.680" in MV
    assert "Gesamtsumme TK/Netze\t6.182\t7.152\t7.626\t7.913\t7.809\n" in MV
    texts = [p.message for p in REPORT.warnings if "Summenprüfung" in p.message]
    for needle in ("gesamtdarstellung/massnahmen-einmalig, Gesamt: angegeben 47.790, "
                   "berechnet 47.734",
                   "gesamtdarstellung/telekommunikation-netze, Gesamt: angegeben 36.680, "
                   "berechnet 36.682"):
        assert any(needle in t for t in texts), needle


def test_mobiles_arbeiten_is_no_row_of_the_stage_2_table() -> None:
    stage_2 = section(MV, "2.1.3", "2.1.4")
    assert "Attraktiver Arbeitsplatz\t" in stage_2
    assert "\nMobiles Arbeiten\t" not in stage_2
    assert "Mobiles Arbeiten\t" in section(MV, "1.1.3", "1.1.4")
    assert MEASURES["mobiles-arbeiten"].all_stages == (1,)


def test_planned_dates_tasks_and_ongoing_work_are_not_reported_as_completion() -> None:
    # the rule of pages/daten-und-methodik.md: "abgeschlossen" only where a document
    # reports the measure as done
    assert "Go Live im 2. Quartal 2021" in row(MV, "Mietspiegel Online")
    assert "Sicherstellung einer" in row(
        MV, "Einführung der elektronischen Reisekostenabrechnung SAP HCM")
    assert "aktuell werden die einzelnen Microsites überarbeitet" in row(
        MV, "Relaunch www.stuttgart.de")
    for measure_id in ("mietspiegel-online", "reisekostenabrechnung", "relaunch-stuttgart-de"):
        assert MEASURES[measure_id].status == "in_umsetzung", measure_id
    assert SERVICES["mietspiegel-online"].status != "online"


def test_no_progress_rests_on_a_total_the_document_does_not_print() -> None:
    # 2.1.1 names "weiteren 16 Standesämtern" and "17 Bezirksstandesämtern", never 18
    assert "Rollout in weiteren 16 Standesämtern" in MV
    assert "18 Standesämter" not in MV
    assert MEASURES["traukalender-online"].progress is None
    assert MEASURES["terminvereinbarung-standesamt-online"].progress is None


BOUNDARY = re.compile(r"\b(Anfang|Ende|Beginn des Jahres|Jahresbeginn)\s+(\d{4})\b")


def test_start_and_end_of_a_year_are_dated_as_quarters() -> None:
    """docs/content.md: "Anfang 2020" is 2020-Q1, "Ende 2020" is 2020-Q4."""
    checked = 0
    for measure in CONTENT.measures:
        for milestone in measure.milestones:
            match = BOUNDARY.search(milestone.title)
            if match and int(match[2]) == milestone.date.year:
                quarter = 4 if match[1] == "Ende" else 1
                assert (milestone.date.quarter, milestone.date.month) == (quarter, None), (
                    measure.id, milestone.title)
                checked += 1
    assert checked >= 11
    # "Online-Reservierung … beim Standesamt Mitte ab Anfang 2021"
    assert "beim Standesamt Mitte ab Anfang 2021" in MV
    assert str(SERVICES["terminvereinbarung-standesamt-online"].since) == "1. Quartal 2021"


def test_updates_do_not_report_tasks_as_done() -> None:
    travel = row(MV, "Einführung der elektronischen Reisekostenabrechnung SAP HCM")
    assert "eingerichtet" not in travel  # "durch Einrichtung einer Compliance-Stelle": a task
    body = UPDATES["elektronische-reisekostenabrechnung"].body
    assert "wurde eine Compliance-Stelle eingerichtet" not in body
    assert "hat die elektronische Reisekostenabrechnung in SAP HCM\neingeführt" not in body
    assert "Einführung einer modernen Prozessmanagementsoftware (ADONIS NP)" in MV
    body = UPDATES["e-akte-und-digitale-personalprozesse"].body
    assert "ADONIS NP eingeführt" not in body
    body = UPDATES["93-online-dienste"].body
    assert "online gegangen" not in body


def test_easy_language_names_the_one_council_member_who_asked_for_visible_tracking() -> None:
    minutes = TEXTS["niederschrift-321-2019"]
    # one speaker (StR Perc) asked for visible tracking; the word occurs once
    assert minutes.count("für die Öffentlichkeit sichtbar") == 1
    assert minutes.count("sichtbar") == 1
    page = (ROOT / "content" / "pages" / "leichte-sprache.md").read_text("utf-8")
    assert "Ein Mitglied vom Gemeinde·rat hat gesagt" in page
    assert "Einige Mitglieder" not in page


KPIS = {k.id: k for k in CONTENT.kpis}
BUDGETS = {b.id: b for b in CONTENT.budgets}


def test_survey_and_mobile_working_time_of_the_article_are_key_figures() -> None:
    article = TEXTS["presse-schnell-gehandelt-2022"]
    assert "mit über 5.600 Teilnehmenden im Juli 2020" in article
    assert "nur 14 Prozent der Teilnehmenden angegeben, künftig nicht mobil" in article
    assert "künftig bis zu 40 Prozent der Arbeitszeit mobil" in article
    for kpi_id, date, value in (("befragung-mobiles-arbeiten", "Juli 2020", 5600),
                                ("befragung-nicht-mobil", "Juli 2020", 14),
                                ("mobile-arbeitszeit-hoechstanteil", "14.03.2022", 40)):
        [point] = KPIS[kpi_id].points
        assert (str(point.date), point.value) == (date, value), kpi_id
        assert point.source.source == "presse-schnell-gehandelt-2022"
        assert kpi_id in MEASURES["mobiles-arbeiten"].kpis


def test_basis_imp_increase_and_recurring_costs_are_budget_lines() -> None:
    # "ca. 1,3 / 0,3 / 0,2 / 0,2 / 0,5 Mio. Euro" make up "die ab 2022 beantragte Erhöhung
    # über 2,5 Mio. Euro"; recurring: Windows 10 ca. 0,3, ca. 0,7, Mietmodell ca. 0,4
    printed = re.findall(r"^- ca\. (\d,\d) Mio\. Euro:", MV, re.MULTILINE)
    assert printed == ["1,3", "0,3", "0,2", "0,2", "0,5"]
    table = BUDGETS["basis-imp-erhoehung"]
    items = [ln.values[0] for ln in table.lines if ln.kind == "item"]
    assert [str(v).replace(".", ",") for v in items] == printed
    assert table.line_by_id("erhoehung").values == (Decimal("2.5"),)
    assert "Windows 10 (ca. 0,3 Mio. Euro)" in MV
    assert "(ca. 0,7 Mio. Euro)" in MV and "mit ca. 0,4 Mio. Euro" in MV
    recurring = BUDGETS["basis-imp-laufende-mehraufwendungen"]
    assert [ln.values[0] for ln in recurring.lines] == [Decimal(v) for v in ("0.3", "0.7", "0.4")]
    assert recurring.unit == table.unit == "Mio. EUR"


def test_procurement_for_virtual_citizen_services_is_a_budget_line() -> None:
    answer = TEXTS["anfrage-videomeetings-2022"]
    assert "einen Finanzbedarf von bis zu 500.000 € für Einführung, Lizenzen und Support" in answer
    table = BUDGETS["virtueller-buergerservice"]
    assert (table.unit, table.lines[0].values) == ("EUR", (500000,))
    assert table.sources[0].source == "anfrage-videomeetings-2022"
