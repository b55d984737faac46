"""The OZG page with a 600-service catalogue: the filter works with and without JavaScript,
the table sorts, nothing sticks out at 375 px, and axe finds no violations (sizes and the
build itself: tests/site/test_ozg_catalogue.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import (
    OVERFLOW_JS,
    built_and_served,
    format_violations,
    new_context,
    run_axe,
)
from tests.browser.server import StaticServer
from tests.site.ozg_catalogue import catalogue_rows, catalogue_site

pytestmark = pytest.mark.browser
COUNT = 600
ROWS = catalogue_rows(COUNT)


@pytest.fixture(scope="module")
def catalogue_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    root = tmp_path_factory.mktemp("catalogue")
    site, _output = catalogue_site(root, COUNT)
    with built_and_served(site, root / "out") as server:
        yield server


def open_page(browser: Browser, server: StaticServer, path: str, width: int = 1280,
              javascript: bool = True) -> Page:
    context = new_context(browser, server, width) if javascript else browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url(path))
    return page


def visible_rows(page: Page) -> int:
    return int(page.evaluate("[...document.querySelectorAll('#ozg-table tbody tr')]"
                             ".filter(r => !r.hidden).length"))


def test_filter_with_javascript(browser: Browser, catalogue_server: StaticServer) -> None:
    page = open_page(browser, catalogue_server, "ozg/")
    try:
        assert page.locator("#ozg-filter").is_visible()
        assert visible_rows(page) == COUNT
        page.select_option("#f-themenfeld", "Umwelt")
        umwelt = [r for r in ROWS if r[2] == "Umwelt"]
        assert visible_rows(page) == len(umwelt)
        assert page.text_content("#ozg-filter-count") == f"{len(umwelt)} von {COUNT} Diensten"
        page.select_option("#f-status", "offen")
        wanted = [r for r in umwelt if r[4] == "offen"]
        assert visible_rows(page) == len(wanted) > 0
        assert "status=offen" in page.url and "themenfeld=Umwelt" in page.url
        page.select_option("#f-themenfeld", "")
        page.select_option("#f-status", "")
        page.fill("#f-suche", "LEISTUNG 123")   # every word, any case: only 10123 has "123"
        assert visible_rows(page) == sum(1 for r in ROWS if "123" in r[0] + r[1]) == 1
        page.fill("#f-suche", "")
        page.select_option("#f-lebenslage", "Pflege")
        page.select_option("#f-reifegrad", "4")
        both = [r for r in ROWS if r[3] == "Pflege" and r[5] == "4"]
        assert visible_rows(page) == len(both)
    finally:
        page.context.close()


def test_sorting_by_ozg_id(browser: Browser, catalogue_server: StaticServer) -> None:
    page = open_page(browser, catalogue_server, "ozg/")
    try:
        header = page.locator("#ozg-table thead th", has_text="OZG-ID")
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        first = page.text_content("#ozg-table tbody tr:first-child td")
        assert first == min(r[0] for r in ROWS)
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        assert page.text_content("#ozg-table tbody tr:first-child td") == max(r[0] for r in ROWS)
    finally:
        page.context.close()


def test_views_without_javascript(browser: Browser, catalogue_server: StaticServer) -> None:
    page = open_page(browser, catalogue_server, "ozg/", javascript=False)
    try:
        assert not page.locator("#ozg-filter").is_visible()
        page.click(".status-counts a:text-is('offen')")
        assert page.url.endswith("/ozg/status/offen/")
        assert page.locator("#ozg-table tbody tr").count() == sum(
            1 for r in ROWS if r[4] == "offen")
        page.goto(catalogue_server.url("ozg/"))
        page.click("table.counts a:text-is('Familie & Kind')")
        titles = page.locator("#ozg-table tbody th").all_text_contents()
        assert sorted(titles) == sorted(r[1] for r in ROWS if r[2] == "Familie & Kind")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_no_overflow_and_no_axe_violations(browser: Browser, catalogue_server: StaticServer,
                                           width: int) -> None:
    page = open_page(browser, catalogue_server, "ozg/", width)
    try:
        assert page.evaluate(OVERFLOW_JS) == []
        violations = run_axe(page)
        assert not violations, format_violations(violations)
    finally:
        page.context.close()

