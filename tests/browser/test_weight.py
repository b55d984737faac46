"""Light pages: before the reader asks for an interactive chart, every page kind stays within
60 kB gzip and plotly.js neither loads nor runs; asking for it moves focus to the chart."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from dmoves_site.render import PLOTLY_JS
from tests.browser.conftest import RENDERED_JS, Visits, new_context
from tests.browser.server import StaticServer
from tests.browser.site_pages import CHART_KINDS, PAGE_KINDS, WIDTHS

pytestmark = pytest.mark.browser

BUDGET = 60_000  # bytes gzip before interaction (issue: "≤ 60 KB gzip")


def served_file(server: StaticServer, url: str) -> Path:
    """The file of the build that answers `url` (404.html for unknown paths)."""
    path = urlsplit(url).path[len(server.prefix):]
    file = server.root / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    return file if file.is_file() else server.root / "404.html"


def gzip_size(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=9, mtime=0))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_stays_light_until_the_reader_asks_for_a_chart(
        visits: Visits, site_server: StaticServer, kind: str, width: int) -> None:
    visit = visits.get(kind, width)
    where = f"{visit.url} ({width} px)"
    plotly = [u for u in visit.initial_requests if "plotly" in urlsplit(u).path]
    assert not plotly, f"{where}: plotly.js ohne Klick geladen: {plotly}"
    assert not visit.plotly_before_click, f"{where}: window.Plotly existiert vor dem Klick"
    local = [u for u in dict.fromkeys(visit.initial_requests)
             if u.startswith(site_server.origin + "/")]
    sizes = {u: gzip_size(served_file(site_server, u)) for u in local}
    assert sum(sizes.values()) <= BUDGET, (
        f"{where}: {sum(sizes.values())} Byte gzip vor der ersten Interaktion: {sizes}")


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_chart_pages_offer_the_interactive_chart_on_request(visits: Visits, kind: str) -> None:
    """Each chart page starts static, with a button per chart (plotly.js comes after it)."""
    visit = visits.get(kind, 375)
    assert visit.charts >= 1, visit.url
    assert visit.axe.get("statisch") is not None, f"{visit.url}: kein Knopf zum Laden"
    assert any(PLOTLY_JS in u for u in visit.requests), f"{visit.url}: nach Klick kein plotly.js"


def test_loading_the_chart_moves_focus_to_it(fresh_page: Page,
                                             site_server: StaticServer) -> None:
    page = fresh_page
    page.goto(site_server.url("grafiken/umsetzungsstand-je-programm/"), wait_until="load")
    button = page.locator("#grafik-umsetzungsstand-je-programm .chart-activate")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#grafik-umsetzungsstand-je-programm .js-plot .main-svg")
    page.wait_for_function("document.activeElement.classList.contains('js-plot')")
    assert page.evaluate("document.activeElement.closest('figure').id") == (
        "grafik-umsetzungsstand-je-programm")
    assert button.is_hidden()


def test_a_click_on_the_static_image_loads_the_chart(fresh_page: Page,
                                                    site_server: StaticServer) -> None:
    page = fresh_page
    page.goto(site_server.url("kennzahlen/mobile-arbeitsplaetze/"), wait_until="load")
    assert page.evaluate("typeof window.Plotly") == "undefined"
    page.locator("figure.chart .chart-canvas img").first.click()
    page.wait_for_function(f"{RENDERED_JS} === 1")


def test_chart_buttons_on_one_page_have_distinct_names(fresh_page: Page,
                                                       site_server: StaticServer) -> None:
    page = fresh_page
    page.goto(site_server.url("haushalt/"), wait_until="load")
    titles = [t.strip() for t in page.locator("figure.chart .chart-title").all_inner_texts()]
    assert len(titles) >= 2
    assert page.locator(".chart-activate").count() == len(titles)
    for title in titles:  # found by its computed accessible name, once
        name = f"Interaktive Grafik laden: {title}"
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name


GERMAN_MODE_BAR = {"Grafik als PNG herunterladen (mit Titel, Stand und Quellen)", "Zoomen",
                   "Verschieben", "Vergrößern", "Verkleinern", "Achsen zurücksetzen"}


def test_mode_bar_is_german_without_cloud_and_saves_the_captioned_png(
        fresh_page: Page, site_server: StaticServer) -> None:
    page = fresh_page
    page.goto(site_server.url("grafiken/umsetzungsstand-je-programm/"), wait_until="load")
    page.locator(".chart-activate").click()
    page.wait_for_selector(".js-plot .modebar-btn", state="attached")
    titles = set(page.locator(".js-plot .modebar-btn").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-title'))"))
    assert titles == GERMAN_MODE_BAR
    with page.expect_download() as download:
        page.locator(".js-plot .modebar-btn[data-title^='Grafik als PNG']").click(force=True)
    assert download.value.url == site_server.url(
        "grafiken/umsetzungsstand-je-programm/umsetzungsstand-je-programm.png")


@pytest.mark.parametrize(("width", "suffix"), [(375, "-schmal.svg"), (1280, "programm.svg")])
def test_phones_get_the_narrow_static_image(browser: Browser, site_server: StaticServer,
                                            width: int, suffix: str) -> None:
    context = new_context(browser, site_server, width)
    try:
        page = context.new_page()
        page.goto(site_server.url("grafiken/umsetzungsstand-je-programm/"), wait_until="load")
        page.wait_for_function("document.querySelector('.chart-canvas img').complete")
        assert page.evaluate("document.querySelector('.chart-canvas img').currentSrc").endswith(
            suffix)
    finally:
        context.close()
