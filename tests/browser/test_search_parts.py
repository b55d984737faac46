"""A search index in parts (as large sites get it) finds in Chromium every page one index
finds, with the links of this site, from this site only, without errors. A part that
lacks a word adds Pagefind's fallback matches (pages with a word that begins the one
searched for): more pages, never fewer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from dmoves_site import build as b
from dmoves_site import searchindex
from tests.browser.conftest import new_context
from tests.browser.server import StaticServer, base_path
from tests.browser.site_pages import site_base_url
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
WORDS = ("Bürgerbüro", "Straße", "Digitalisierung")


@pytest.fixture(scope="module")
def parted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    """The bundled site with its index in parts of at most 40 pages."""
    out = tmp_path_factory.mktemp("parted") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(searchindex, "PART_PAGES", 40)
        report = b.build(b.Options(ROOT, out, images=False, cache=False))
    assert report.written, report.errors[:3]
    parts = json.loads((out / searchindex.PARTS_FILE).read_text(encoding="utf-8"))["teile"]
    assert len(parts) >= 3, parts
    with StaticServer(out, base_path(site_base_url())) as server:
        yield server


def found_pages(browser: Browser, server: StaticServer, word: str) -> tuple[str, list[str]]:
    """The result message and the paths of all results for `word` (every 'more' loaded)."""
    context = new_context(browser, server, 1280)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(r.url))
    try:
        page.goto(server.url("suche/?q=" + quote(word)), wait_until="load")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=20_000)
        more = page.locator(".pagefind-ui__button")
        while more.count():
            more.first.click()
            page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        message = page.locator(".pagefind-ui__message").inner_text()
        paths = page.locator(".pagefind-ui__result-link").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)")
    finally:
        context.close()
    assert not problems, problems
    return message, sorted(paths)


@pytest.mark.parametrize("word", WORDS)
def test_an_index_in_parts_finds_every_page_one_index_finds(
        browser: Browser, site_server: StaticServer, parted_server: StaticServer,
        word: str) -> None:
    _message, one_found = found_pages(browser, site_server, word)
    _message, found = found_pages(browser, parted_server, word)
    assert one_found and set(one_found) <= set(found), word
    base = base_path(site_base_url())
    assert all(path.startswith(base) for path in found), found  # the site's own links
