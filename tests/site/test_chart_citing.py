"""Citing a chart: the data ZIP with its metadata, the short source line, the citation with
the primary documents, the chart page's order, and the chart text that readers see."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from dmoves_site import build as b
from dmoves_site import citing
from dmoves_site.charts import (
    all_charts,
    budget_chart,
    group_refs,
    status_by_program,
)
from dmoves_site.figures import sum_differences
from dmoves_site.kpicharts import kpi_chart
from dmoves_site.messages import catalogue
from dmoves_site.model import Source
from tests.conftest import ROOT, run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
CONTENT, _ = b.check(ROOT)
assert CONTENT is not None
SOURCES = {s.id: s for s in CONTENT.sources}

# a second document and a measure that cites a passage of it besides its own entry
TWO_SOURCES = {
    "sources/artikel.yaml": """\
        title: Ein Artikel
        kind: presse
        date: 2022-03-14
        publisher: Zeitung
        """,
    "measures/online-termin.md": """\
        ---
        title: Online-Terminvereinbarung
        program: buergerservices
        status: abgeschlossen
        stage: 1
        sources:
          - {source: vorlage, section: "1.1.1"}
          - {source: artikel, section: "Neue Führungskultur"}
        ---
        Termine im Bürgerbüro online buchen.
        """,
}


def load(site: Path) -> b.m.Content:
    content, report = b.check(site)
    assert content is not None, [p.format() for p in report.errors]
    return content


T = catalogue()   # the default German texts


def plain_title(source: Source) -> str:
    """A source's caption with an empty kind label (the fixture's kinds print none)."""
    return source.short_title("")


def test_status_chart_sources_are_the_measures_entries_not_every_passage(
        make_site: MakeSite) -> None:
    content = load(make_site(TWO_SOURCES))
    chart = status_by_program(content, T)
    assert [(r.source, r.section) for r in chart.sources] == [("vorlage", "1.1.1")]
    chart = next(c for c in all_charts(content, []) if c.id == chart.id)
    assert citing.source_line(chart, plain_title, T) == "Quelle: Vorlage vom 06.07.2021"


def test_source_line_names_the_first_document_and_counts_the_others() -> None:
    chart = next(c for c in all_charts(CONTENT, sum_differences(CONTENT.budgets))
                 if len(c.documents) > 2)
    docs = chart.documents
    assert [d.id for d in docs] == [s for s, _ in group_refs(chart.sources)]
    assert citing.source_line(chart, plain_title, T) == (
        f"Quellen: {plain_title(docs[0])} und {len(docs) - 1} weitere")


def test_hover_texts_are_german_sentences(make_site: MakeSite) -> None:
    content = load(make_site(TWO_SOURCES))
    status = status_by_program(content, T)
    done = next(t for t in status.figure["data"] if t["name"] == "abgeschlossen")
    assert done["customdata"] == ["1 Maßnahme abgeschlossen"]   # one measure, singular
    kpi = kpi_chart(content, content.kpis[0], T)                  # unit "Anzahl"
    template = kpi.figure["data"][0]["hovertemplate"]
    assert "Anzahl" not in template and "Online-Dienste: %{y:,}" in template


def test_stacked_budget_series_differ_in_pattern_as_well_as_colour(make_site: MakeSite) -> None:
    content = load(make_site({"budgets/tabelle.yaml": """\
        title: Tabelle
        unit: TEUR
        years: [2022, 2023]
        sources:
          - {source: vorlage, section: "1.1"}
        lines:
          - {id: a, label: A, kind: item, values: [1, 2]}
          - {id: b, label: B, kind: item, values: [3, 4]}
          - {id: c, label: C, kind: item, values: [5, 6]}
          - {id: summe, label: Summe, kind: total, values: [9, 12], sum_of: [a, b, c]}
        """}))
    chart = budget_chart(content, content.budgets[0], [], T)
    assert chart is not None
    markers = [t["marker"] for t in chart.figure["data"]]
    assert len({m["color"] for m in markers}) == 3
    assert len({m["pattern"]["shape"] for m in markers}) == 3


def test_citation_names_the_primary_documents_and_keeps_the_date_placeholder() -> None:
    chart = next(c for c in all_charts(CONTENT, sum_differences(CONTENT.budgets))
                 if c.id == "haushalt-gesamtdarstellung")
    text = citing.citation(chart, CONTENT.site, "https://x.test/g/", T)
    assert "(abgerufen am TT.MM.JJJJ)" in text
    for source_id in {r.source for r in chart.sources}:
        assert SOURCES[source_id].title in text


def test_data_zip_carries_csv_readme_and_metadata_deterministically(built_site: Path) -> None:
    chart_id = "umsetzungsstand-je-programm"
    folder = built_site / "grafiken" / chart_id
    blob = (folder / f"{chart_id}.zip").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(blob))
    assert sorted(archive.namelist()) == sorted(
        ["README.md", f"{chart_id}.csv", f"{chart_id}.metadata.json"])
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert archive.read(f"{chart_id}.csv") == (folder / f"{chart_id}.csv").read_bytes()
    readme = archive.read("README.md").decode("utf-8")
    meta = json.loads(archive.read(f"{chart_id}.metadata.json"))
    page = (folder / "index.html").read_text("utf-8")
    as_of = re.search(r'class="chart-as-of">Stand: ([0-9.]+)<', page)
    assert as_of and f"Stand der Daten: {as_of.group(1)}" in readme
    assert CONTENT.site.license_name in readme and "Zitiervorschlag" in readme
    assert meta["lizenz"]["id"] == CONTENT.site.license_id
    assert meta["zitiervorschlag"] in readme
    header = next(csv.reader(io.StringIO(archive.read(f"{chart_id}.csv").decode("utf-8"))))
    assert all(f"- {column}" in readme for column in header)


def test_zip_bytes_are_the_same_for_the_same_files() -> None:
    files = {"b.txt": b"2", "a.csv": b"1"}
    assert citing.zip_bytes(files) == citing.zip_bytes(dict(reversed(files.items())))


def test_chart_page_puts_the_citation_first_and_says_what_each_download_holds(
        built_site: Path) -> None:
    page = (built_site / "grafiken/umsetzungsstand-je-programm/index.html").read_text("utf-8")
    main = page[page.index("<main"):]
    assert main.index('href="#zitieren"') < main.index('<figure')
    assert main.index('id="zitieren"') < main.index('id="downloads"') < main.index(
        'id="herkunft"')
    caption = main[main.index("<figcaption"):main.index("</figcaption>")]
    assert len(re.sub(r"<[^>]+>|\s+", " ", caption)) < 200
    assert "ohne Stand und Quellen" in main       # the bare CSV says what it lacks
    assert ".zip" in main and "README.md" in main


def test_placeholder_base_url_is_a_build_warning(make_site: MakeSite) -> None:
    site = make_site({})     # MINIMAL has base_url https://example.org/test/
    result = run_cli("--site", str(site), "check")
    assert "content/site.yaml:3: base_url: Warnung: Platzhalter-Adresse" in result.output
    site.joinpath("content/site.yaml").write_text(
        site.joinpath("content/site.yaml").read_text().replace(
            "https://example.org/test/", "https://www.teststadt.de/digital/"))
    assert "base_url" not in run_cli("--site", str(site), "check").output


def test_navigation_leads_to_the_chart_list(built_site: Path) -> None:
    home = (built_site / "index.html").read_text("utf-8")
    nav = home[home.index('class="main-nav"'):home.index("</nav>")]
    assert 'href="./grafiken/"' in nav and ">Grafiken<" in nav


def test_ozg_hover_counts_named_services_in_singular_and_plural() -> None:
    from dmoves_site.charts import ozg_chart
    from dmoves_site.figures import services_online_over_time

    over_time = services_online_over_time(CONTENT.services)
    assert any(n == 1 for _, n in over_time) and any(n > 1 for _, n in over_time)
    chart = ozg_chart(CONTENT, next(k for k in CONTENT.kpis if k.id == "ozg-online-services"),
                      T)
    assert chart is not None
    named = chart.figure["data"][1]["customdata"]
    assert named == [f"{d.german()}: {n} namentlich genannte"
                     f"{'r Dienst' if n == 1 else ' Dienste'} online" for d, n in over_time]
