"""Wording of the built site: what a reader sees says what the figures are."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from dmoves_site.build import check
from tests.conftest import ROOT

CONTENT, _ = check(ROOT)
assert CONTENT is not None
KPI_TITLES = {k.id: k.title for k in CONTENT.kpis}


def page(built_site: Path, path: str) -> str:
    return (built_site / path / "index.html").read_text("utf-8")


def test_chart_page_names_the_page_that_shows_the_chart(built_site: Path) -> None:
    home = page(built_site, "grafiken/umsetzungsstand-je-programm")
    assert ('Die Grafik erscheint auf der Seite „<a href="../../#grafik-'
            'umsetzungsstand-je-programm">Startseite</a>“.') in home
    kpi = page(built_site, "grafiken/kennzahl-mobile-arbeitsplaetze")
    link = re.search(r'erscheint auf der Seite „<a href="([^"]+)">([^<]+)</a>“', kpi)
    assert link is not None
    assert link[1] == ("../../kennzahlen/mobile-arbeitsplaetze/"
                       "#grafik-kennzahl-mobile-arbeitsplaetze")
    assert link[2] == KPI_TITLES["mobile-arbeitsplaetze"]


def test_progress_columns_of_the_excel_csv_hold_plain_numbers(built_site: Path) -> None:
    raw = (built_site / "grafiken/umsetzungsstand-je-programm/"
           "umsetzungsstand-je-programm-excel.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    mean, basis = (header.index("mittlerer Fortschritt (%)"),
                   header.index("Maßnahmen mit Fortschrittsangabe"))
    by_number = {p.number: p.id for p in CONTENT.programs}
    for row in rows[1:]:
        program = by_number[int(row[0].split(".", 1)[0])]
        given = [x.progress for x in CONTENT.measures
                 if x.program == program and x.progress is not None]
        assert row[basis] == str(len(given)), row
        assert row[mean] == (str(round(sum(given) / len(given))) if given else ""), row


def test_home_page_states_plainly_how_old_the_data_is(built_site: Path) -> None:
    home = (built_site / "index.html").read_text("utf-8")
    dates = sorted(s.date.sort_key() for s in CONTENT.sources)
    newest = max(CONTENT.sources, key=lambda s: s.date.sort_key())
    # the most cited source, counted in the content files themselves
    text = "".join(p.read_text("utf-8") for p in (ROOT / "content").rglob("*")
                   if p.suffix in (".md", ".yaml"))
    main = max(CONTENT.sources, key=lambda s: text.count(f"source: {s.id}"))
    assert main.id == "mitteilungsvorlage-2021"
    sentence = re.search(r'<p class="data-age">(.*?)</p>', home, re.DOTALL)
    assert sentence is not None
    plain = re.sub(r"<[^>]+>", "", sentence[1])
    assert (f"Alle Angaben stammen aus Dokumenten der Jahre {dates[0][0]} bis {dates[-1][0]}; "
            f"das neueste ist vom {newest.date.day:02d}.{newest.date.month:02d}."
            f"{newest.date.year}") in plain
    assert f"die meisten Angaben stammen aus der Quelle „{main.short_title('')}“" in plain


def card(home: str, link: str) -> str:
    """The text of the headline card that links to `link`."""
    for item in re.findall(r"<li><span class=\"figure\">.*?</li>", home, re.DOTALL):
        if f'href="./{link}"' in item:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
    raise AssertionError(link)


def test_headline_cards_say_planned_money_and_name_a_figure_once(built_site: Path) -> None:
    home = (built_site / "index.html").read_text("utf-8")
    overall = next(b for b in CONTENT.budgets if b.id == "gesamtdarstellung")
    total = next(ln for ln in overall.lines if ln.id == "gesamtergebnis")
    budget = card(home, "haushalt/gesamtdarstellung/")
    # planned, not spent: the table holds budget plans for 2022 to 2026
    assert f"geplant für {overall.years[0]}–{overall.years[-1]} („{total.label}“" in budget
    assert not budget.startswith(f"184,5 Mio. € {total.label}")
    mobile = card(home, "kennzahlen/mobile-arbeitsplaetze/")
    # "über 7800" is the answer's wording (09.02.2023); the card says it once, not twice
    assert mobile.count("Arbeitsplätze") == 1, mobile
    assert mobile.startswith("7.800 mobile Arbeitsplätze (laut Quelle „über 7800“, Stand: "
                             "09.02.2023)"), mobile
