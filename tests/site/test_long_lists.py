"""Long lists come in pages of the setting `page_size`: the measures (all and each filter),
the schedule, and the program pages show a part with a link to the whole list."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import build as b
from dmoves_site import messages, schedule
from tests.conftest import MINIMAL

SIZE = 10
COUNT = 23  # 10 + 10 + 3, plus the one measure of the fixture site: 24
SITE = MINIMAL["site.yaml"] + f"page_size: {SIZE}\n"
ITEM = re.compile(r'<li class="measure-item"[^>]*>\s*<a href="[^"]*massnahmen/([\w-]+)/">')


def measure(number: int) -> str:
    status = "geplant" if number % 2 else "abgeschlossen"
    return f"""\
        ---
        title: Maßnahme {number:02d}
        program: buergerservices
        status: {status}
        start: 2020-{number % 12 + 1:02d}
        end: 2024-{number % 12 + 1:02d}
        sources:
          - {{source: vorlage, section: "1.1.1"}}
        ---
        Text.
        """


@pytest.fixture
def long_site(make_site: Callable[[dict[str, str | bytes | None]], Path]) -> Path:
    files: dict[str, str | bytes | None] = {"site.yaml": SITE}
    files |= {f"measures/m-{n:02d}.md": measure(n) for n in range(1, COUNT + 1)}
    site = make_site(files)
    report = b.build(b.Options(site, site / "build", images=False, search=False))
    assert report.written, report.errors[:3]
    return site / "build"


def read(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def listed(html: str) -> list[str]:
    return ITEM.findall(html)


def test_the_list_of_all_measures_is_split_into_pages(long_site: Path) -> None:
    pages = [read(long_site, url) for url in
             ("massnahmen", "massnahmen/seite/2", "massnahmen/seite/3")]
    assert not (long_site / "massnahmen/seite/4").exists()
    shown = [listed(html) for html in pages]
    assert [len(ids) for ids in shown] == [10, 10, 4]
    every = [i for ids in shown for i in ids]
    # every measure once, in the order of their titles ("Maßnahme 01" … before "Online-…")
    expected = [f"m-{n:02d}" for n in range(1, COUNT + 1)] + ["online-termin"]
    assert every == expected
    assert "11–20 von 24 Maßnahmen" in pages[1]
    assert "<title>Maßnahmen – Seite 2 von 3" in pages[1]


def test_a_page_links_to_the_others_and_has_no_instant_filter(long_site: Path) -> None:
    second = read(long_site, "massnahmen/seite/2")
    nav = second[second.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    links = {text: href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)}
    here = long_site / "massnahmen/seite/2"
    assert (here / links["Seite 1"]).resolve() == (long_site / "massnahmen").resolve()
    assert (here / links["Seite 3"]).resolve() == (long_site / "massnahmen/seite/3").resolve()
    assert '<span aria-current="page">Seite 2</span>' in nav
    # the instant filter would filter one page of many: the static views stand instead
    assert 'id="filter"' not in second
    assert 'class="filter-links always"' in second


def test_many_pages_link_the_first_the_last_and_the_near_ones(
        make_site: Callable[[dict[str, str | bytes | None]], Path]) -> None:
    files: dict[str, str | bytes | None] = {"site.yaml": SITE}
    files |= {f"measures/m-{n:02d}.md": measure(n) for n in range(1, 61)}  # 61: 7 pages
    site = make_site(files)
    assert b.build(b.Options(site, site / "build", images=False, search=False)).written
    first = read(site / "build", "massnahmen")
    nav = first[first.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    assert re.findall(r"Seite (\d)", nav) == ["1", "2", "3", "7"]
    assert '<li aria-hidden="true">…</li>' in nav


def test_a_filtered_view_has_pages_of_its_own(long_site: Path) -> None:
    first = read(long_site, "massnahmen/status/geplant")
    second = read(long_site, "massnahmen/status/geplant/seite/2")
    planned = [f"m-{n:02d}" for n in range(1, COUNT + 1, 2)]  # the odd numbers
    assert listed(first) + listed(second) == planned
    assert "11–12 von 12 Maßnahmen" in second


def test_a_short_list_stays_on_one_page(
        make_site: Callable[[dict[str, str | bytes | None]], Path]) -> None:
    site = make_site({})
    assert b.build(b.Options(site, site / "build", images=False, search=False)).written
    html = read(site / "build", "massnahmen")
    assert not (site / "build/massnahmen/seite").exists()
    assert 'class="pagination"' not in html
    assert 'id="filter"' in html


def test_the_schedule_is_split_and_draws_its_chart_once(long_site: Path) -> None:
    first, second = read(long_site, "zeitplan"), read(long_site, "zeitplan/seite/2")
    rows = re.compile(r'<tr[^>]*><th scope="row"><a href="[^"]*massnahmen/([\w-]+)/">')
    assert len(rows.findall(first)) == SIZE
    assert len(rows.findall(first + second + read(long_site, "zeitplan/seite/3"))) == 24
    assert 'class="chart"' in first and 'class="chart"' not in second


def test_the_program_page_shows_a_part_and_links_to_the_list(long_site: Path) -> None:
    html = read(long_site, "programme/buergerservices")
    assert "Hier die ersten 10 von 24." in html
    section = html[html.index('id="massnahmen-titel"'):]
    section = section[:section.index("</section>")]
    assert len(listed(section)) == SIZE
    assert 'href="../../massnahmen/programm/buergerservices/"' in section


def test_a_page_size_out_of_range_is_refused(
        make_site: Callable[[dict[str, str | bytes | None]], Path]) -> None:
    site = make_site({"site.yaml": MINIMAL["site.yaml"] + "page_size: 3\n"})
    report = b.build(b.Options(site, site / "build", images=False, search=False))
    assert not report.written
    problem = next(p for p in report.errors if p.field == "page_size")
    assert problem.path.endswith("site.yaml") and problem.line == 6


def test_a_long_schedule_chart_draws_its_first_page_and_says_so(long_site: Path) -> None:
    html = read(long_site, "grafiken/zeitplan")
    table = html[html.index('<details class="chart-table">'):]
    table = table[:table.index("</details>")]
    assert table.count('<th scope="row">') == SIZE
    assert "Die Grafik zeigt die ersten 10 von 24 Maßnahmen mit Zeitplan" in html
    csv = (long_site / "grafiken/zeitplan/zeitplan.csv").read_text(encoding="utf-8")
    assert len(csv.strip().splitlines()) == SIZE + 1  # the chart's data: what it draws
    # the finding still counts every dated measure
    assert "24 Maßnahmen haben einen belegten Zeitplan" in html


def test_the_schedule_finding_writes_counts_the_german_way() -> None:
    t = messages.catalogue("de")
    assert schedule._plural(t, "dated", 5000) == "5.000 Maßnahmen haben"
