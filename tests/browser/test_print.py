"""A chart page prints on at most two A4 pages: chart, caption, data table, Stand, sources and
citation; no embed code, no download links; addresses of external links are printed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from dmoves_site.build import check
from dmoves_site.charts import all_charts
from dmoves_site.figures import sum_differences
from tests.browser.conftest import new_context
from tests.browser.server import StaticServer
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CONTENT, _ = check(ROOT)
assert CONTENT is not None
CHART_IDS = [c.id for c in all_charts(CONTENT, sum_differences(CONTENT.budgets))]
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


@pytest.fixture(scope="module")
def print_page(browser: Browser, site_server: StaticServer) -> Iterator[Page]:
    context = new_context(browser, site_server, 1280)
    yield context.new_page()
    context.close()


def pdf_pages(page: Page) -> int:
    return len(PDF_PAGE.findall(page.pdf(format="A4", print_background=True)))


def test_pdf_page_count_is_read_from_the_pdf(print_page: Page, site_server: StaticServer
                                              ) -> None:
    print_page.goto(site_server.url("daten-und-methodik/"), wait_until="load")
    one = pdf_pages(print_page)
    print_page.evaluate("document.querySelector('main').style.minHeight = '5000mm'")
    assert pdf_pages(print_page) > one >= 1


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_page_prints_on_at_most_two_a4_pages(print_page: Page, site_server: StaticServer,
                                                   chart_id: str) -> None:
    print_page.goto(site_server.url(f"grafiken/{chart_id}/"), wait_until="load")
    assert pdf_pages(print_page) <= 2, chart_id


def test_printed_chart_page_shows_table_and_citation_but_no_embed_code(
        print_page: Page, site_server: StaticServer) -> None:
    page = print_page
    page.goto(site_server.url("grafiken/umsetzungsstand-je-programm/"), wait_until="load")
    page.emulate_media(media="print")
    try:
        assert page.locator(".chart-table table tbody tr").first.is_visible()
        assert page.locator(".chart-canvas").is_visible()
        assert page.locator("figcaption .chart-as-of").is_visible()
        assert page.locator("#herkunft").is_visible()
        citation = page.locator(".share .print-only")
        assert citation.is_visible() and "Stand:" in citation.inner_text()
        for hidden in ("textarea", "a[download]", ".copy-button", ".chart-activate"):
            assert not [i for i in range(page.locator(hidden).count())
                        if page.locator(hidden).nth(i).is_visible()], hidden
        after = page.evaluate("""() => [...document.querySelectorAll('main a[href^="http"]')]
            .map(a => [a.className, a.getAttribute('href'),
                       getComputedStyle(a, '::after').content])""")
        assert after
        for cls, href, content in after:
            if "bare-url" in cls:
                assert content in ("none", "normal"), href   # its text is the address already
            else:
                assert content == f'" ({href})"', href
    finally:
        page.emulate_media(media="screen")
