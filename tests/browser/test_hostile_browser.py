"""Hostile content in every text field: in Chromium, on every page of the built fixture site,
no injected script runs (window.__pwned stays undefined), no dialog opens and nothing is
requested from another server — also after the interactive charts have drawn the titles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import RENDERED_JS, new_context
from tests.browser.server import StaticServer
from tests.conftest import run_cli
from tests.quality.hostile_cases import TEXT_OVERLAY

pytestmark = pytest.mark.browser

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
BASE_PATH = "/test/"  # base_url of the fixture site: https://example.org/test/
BAD_LINKS_JS = """[...document.querySelectorAll('a, area')]
  .map(a => a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
            || '')
  .filter(h => /^[\\s\\u0000-\\u001f]*(javascript|data|vbscript)\\s*:/i.test(h))"""


def test_no_injected_script_runs_in_the_browser(make_site: MakeSite, tmp_path: Path,
                                                browser: Browser) -> None:
    site = make_site(TEXT_OVERLAY)
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    if result.exit_code != 0:
        # rejecting is allowed; tests/quality/test_hostile_content.py checks the message
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        return
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) >= 20, pages
    problems: list[str] = []
    with StaticServer(out, BASE_PATH) as server:
        context = new_context(browser, server, 1280)
        page = context.new_page()
        current = {"path": ""}
        page.on("dialog", lambda d: (problems.append(f"{current['path']}: Dialog "
                                                     f"{d.message!r}"), d.dismiss()))
        page.on("pageerror", lambda e: problems.append(f"{current['path']}: {e}"))
        page.on("request", lambda r: problems.append(f"{current['path']}: Anfrage an {r.url}")
                if not r.url.startswith(server.origin + "/") else None)
        try:
            for rel in pages:
                current["path"] = rel
                page.goto(server.url(rel), wait_until="load")
                for button in page.locator(".chart-activate:visible").element_handles():
                    button.click()
                charts = page.locator("figure.chart").count()
                if charts:
                    try:
                        page.wait_for_function(f"{RENDERED_JS} === {charts}", timeout=10_000)
                    except Exception:
                        problems.append(f"{rel}: Grafik nicht gezeichnet")
                    # hover every chart: Plotly renders labels and hover texts lazily
                    for index in range(charts):
                        page.locator("figure.chart .js-plot").nth(index).hover()
                # links in HTML and in the charts' SVG (Plotly turns <a> in titles into links)
                for href in page.evaluate(BAD_LINKS_JS):
                    problems.append(f"{rel}: Link {href!r}")
                pwned = page.evaluate("typeof window.__pwned")
                if pwned != "undefined":
                    problems.append(f"{rel}: window.__pwned ist gesetzt ({pwned})")
        finally:
            context.close()
    assert not problems, "\n".join(problems[:60])
