"""Browser fixtures: one Chromium per session, the bundled build served locally, and one
recorded visit per (page kind, viewport width) shared by the page, chart and axe tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.server import StaticServer, base_path
from tests.browser.site_pages import resolve_kinds, site_base_url
from tests.conftest import ROOT, run_cli

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_JS = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# best-practice adds landmark-unique, label-title-only, region, heading-order and the like
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHART_TIMEOUT_MS = 20_000
# number of chart figures whose interactive Plotly chart has been drawn
RENDERED_JS = ("[...document.querySelectorAll('figure.chart')]"
               ".filter(f => f.querySelector('.js-plot .main-svg')).length")

# Horizontal scrolling of the whole page (WCAG 1.4.10 Reflow): the page's scroll width and
# the elements that stick out to the right (scroll containers such as .table-scroll may
# scroll inside themselves).
OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const limit = root.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 1 && r.width > 0) {
      let inner = el.parentElement, clipped = false;
      while (inner && inner !== document.body) {
        const ov = getComputedStyle(inner).overflowX;
        if (ov !== 'visible') { clipped = true; break; }
        inner = inner.parentElement;
      }
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls +
        ' (rechts ' + Math.round(r.right) + ' px)');
    }
  }
  return ['Seitenbreite ' + root.scrollWidth + ' px bei ' + limit + ' px Fenster',
          ...out.slice(0, 8)];
}"""

# (kind, width, state) of every axe run, for the summary at the end of the session
AXE_RUNS: list[tuple[str, int, str, int]] = []


# --- browser and server --------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} fehlt: apt-get install chromium"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[StaticServer]:
    """The bundled build, served under the path of its base_url."""
    with StaticServer(built_site, base_path(site_base_url())) as server:
        yield server


@pytest.fixture(scope="session")
def page_kinds() -> dict[str, str]:
    return resolve_kinds()


@contextmanager
def built_and_served(site: Path, out: Path) -> Iterator[StaticServer]:
    """Build a fixture site (base_url under /test/) into `out` and serve it there."""
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    with StaticServer(out, "/test/") as server:     # the fixture site's base_url path
        yield server


def new_context(browser: Browser, server: StaticServer, width: int) -> BrowserContext:
    """A context that refuses (and so exposes) every request to another origin."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE",
                                  service_workers="block")
    local = server.origin + "/"
    context.route(lambda url: not url.startswith(local) and not url.startswith("data:"),
                  lambda route: route.abort("blockedbyclient"))
    return context


# --- recorded visits -------------------------------------------------------------------------

@dataclass
class Visit:
    """What happened while one page loaded, its charts rendered and axe ran."""

    kind: str
    path: str
    width: int
    url: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[tuple[int, str]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # before any click: what was requested, and whether plotly.js ran
    initial_requests: list[str] = field(default_factory=list)
    plotly_before_click: bool = False
    charts: int = 0
    rendered: int = 0
    chart_error: str = ""
    overflow: list[str] = field(default_factory=list)
    axe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class Tab:
    """One context and one page for one viewport width, reused for every visit."""

    def __init__(self, browser: Browser, server: StaticServer, width: int) -> None:
        self.server = server
        self.width = width
        self.context = new_context(browser, server, width)
        self.page: Page = self.context.new_page()
        self.current: Visit | None = None
        self.page.on("request", lambda r: self._log("requests", r.url))
        self.page.on("requestfailed",
                     lambda r: self._log("failed", f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self._log("bad_responses", (r.status, r.url))
                     if r.status >= 400 else None)
        self.page.on("console", lambda m: self._log(
            "console_errors", f"{m.text} [{m.location.get('url', '')}]")
            if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self._log("page_errors", str(e)))

    def _log(self, name: str, value: Any) -> None:
        if self.current is not None:
            getattr(self.current, name).append(value)

    def visit(self, kind: str, path: str) -> Visit:
        record = Visit(kind, path, self.width, self.server.url(path))
        self.current = record
        page = self.page
        response = page.goto(record.url, wait_until="load")
        record.status = response.status if response else None
        page.wait_for_load_state("networkidle")
        record.initial_requests = list(record.requests)
        record.plotly_before_click = page.evaluate("typeof window.Plotly !== 'undefined'")
        buttons = page.locator(".chart-activate:visible").element_handles()
        if buttons:
            # the static state (image + table) before a reader asks for the interactive chart
            record.axe["statisch"] = run_axe(page)
            for button in buttons:
                button.click()
        record.charts = page.locator("figure.chart").count()
        if record.charts:
            try:
                page.wait_for_function(
                    f"{RENDERED_JS} === document.querySelectorAll('figure.chart').length",
                    timeout=CHART_TIMEOUT_MS)
            except Exception as exc:  # reported by the chart test, not here
                record.chart_error = str(exc).splitlines()[0]
            record.rendered = page.evaluate(RENDERED_JS)
        page.wait_for_load_state("networkidle")
        record.overflow = page.evaluate(OVERFLOW_JS)
        record.axe["interaktiv" if record.charts else "geladen"] = run_axe(page)
        return record

    def close(self) -> None:
        self.current = None
        self.context.close()


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Inject the pinned axe-core and return its WCAG 2.1 A/AA violations."""
    assert AXE_JS.is_file(), f"{AXE_JS} fehlt: cd tests/node && npm ci"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "helpUrl": v["helpUrl"],
             "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")}
                       for n in v["nodes"]]} for v in result["violations"]]


class Visits:
    """Visits each (kind, width) once per session; tests read the shared records."""

    def __init__(self, browser: Browser, server: StaticServer, kinds: dict[str, str]) -> None:
        self.browser = browser
        self.server = server
        self.kinds = kinds
        self.tabs: dict[int, Tab] = {}
        self.done: dict[tuple[str, int], Visit] = {}

    def get(self, kind: str, width: int) -> Visit:
        key = (kind, width)
        if key not in self.done:
            if width not in self.tabs:
                self.tabs[width] = Tab(self.browser, self.server, width)
            self.done[key] = self.tabs[width].visit(kind, self.kinds[kind])
        return self.done[key]

    def close(self) -> None:
        for tab in self.tabs.values():
            tab.close()


@pytest.fixture(scope="session")
def visits(browser: Browser, site_server: StaticServer, page_kinds: dict[str, str]
           ) -> Iterator[Visits]:
    shared = Visits(browser, site_server, page_kinds)
    yield shared
    shared.close()


@pytest.fixture
def fresh_page(browser: Browser, site_server: StaticServer) -> Iterator[Page]:
    """A page in a new context (clean history and storage) at desktop width."""
    context = new_context(browser, site_server, 1280)
    page = context.new_page()
    yield page
    context.close()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 10:
            lines.append(f"    … und {len(v['nodes']) - 10} weitere Elemente")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if AXE_RUNS:
        pages = {(kind, width) for kind, width, _state, _n in AXE_RUNS}
        failing = sum(1 for *_rest, n in AXE_RUNS if n)
        terminalreporter.write_line(
            f"axe-core: {len(AXE_RUNS)} Prüfläufe auf {len(pages)} Seitenaufrufen "
            f"({len({k for k, _ in pages})} Seitenarten × Breiten "
            f"{sorted({w for _, w in pages}, reverse=True)}), {failing} mit Verstößen")
