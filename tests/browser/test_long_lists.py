"""A list in pages (setting page_size): the static views are visible with JavaScript on,
the pagination is reachable, nothing sticks out at 375 px, and axe finds no violations
(the pages themselves: tests/site/test_long_lists.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import (
    OVERFLOW_JS,
    built_and_served,
    format_violations,
    new_context,
    run_axe,
)
from tests.browser.server import StaticServer
from tests.conftest import MINIMAL, write_site
from tests.site.test_long_lists import COUNT, measure

pytestmark = pytest.mark.browser
PAGES = ("massnahmen/", "massnahmen/seite/2/", "massnahmen/status/geplant/seite/2/",
         "zeitplan/seite/3/")


@pytest.fixture(scope="module")
def long_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    root = tmp_path_factory.mktemp("long")
    files: dict[str, str | bytes | None] = {"site.yaml": MINIMAL["site.yaml"] + "page_size: 10\n"}
    files |= {f"measures/m-{n:02d}.md": measure(n) for n in range(1, COUNT + 1)}
    with built_and_served(write_site(root / "site", files), root / "out") as server:
        yield server


@pytest.mark.parametrize("width", [1280, 375])
def test_paged_lists_are_accessible_at_both_widths(browser: Browser, long_server: StaticServer,
                                                   width: int) -> None:
    context = new_context(browser, long_server, width)
    try:
        page = context.new_page()
        for path in PAGES:
            page.goto(long_server.url(path))
            assert page.locator(".pagination").is_visible(), path
            assert not page.evaluate(OVERFLOW_JS), f"{path}: sticks out at {width} px"
            violations = run_axe(page)
            assert not violations, f"{path}:\n{format_violations(violations)}"
        page.goto(long_server.url("massnahmen/seite/2/"))
        assert page.locator(".filter-links").is_visible()  # the views are the filter here
        assert page.locator("#filter").count() == 0
        page.get_by_role("link", name="Seite 3").click()
        assert page.url.endswith("/massnahmen/seite/3/")
    finally:
        context.close()
