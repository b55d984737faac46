"""The schedule chart draws in Chromium, and its bars span exactly the dates of its table."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from dmoves_site.model import PartialDate
from tests.browser.server import StaticServer

pytestmark = pytest.mark.browser

BARS_JS = """() => {
  const gd = document.querySelector('#plot-zeitplan .js-plot');
  return gd.data.filter(t => t.type === 'bar').flatMap(t =>
    t.y.map((title, i) => [title, t.base[i], t.x[i]]));
}"""
TABLE_JS = """() => [...document.querySelectorAll('.schedule-table tbody tr')].map(tr => [
  tr.querySelector('th').textContent.trim(),
  tr.children[2].dataset.date || '', tr.children[3].dataset.date || ''])"""


def test_schedule_bars_match_the_table(fresh_page: Page, site_server: StaticServer) -> None:
    page = fresh_page
    page.goto(site_server.url("zeitplan/"), wait_until="load")
    # charts stay static images until the reader asks for the interactive one
    page.click('button.chart-activate[data-target="zeitplan"]')
    page.wait_for_selector("#plot-zeitplan .js-plot .main-svg", timeout=20_000)
    bars = page.evaluate(BARS_JS)
    table = {title: (start, end) for title, start, end in page.evaluate(TABLE_JS)}
    spans = {t: (s, e) for t, (s, e) in table.items() if s and e}
    assert bars and len(bars) == len(spans)
    for title, base, width in bars:
        start, end = (PartialDate.parse(d) for d in spans[title])
        first = dt.date.fromisoformat(base)
        assert first == start.first_day(), title
        assert first + dt.timedelta(milliseconds=width) == end.last_day() + dt.timedelta(1)
    drawn = page.locator("#plot-zeitplan .js-plot .bars path").count()
    assert drawn >= len(spans)
