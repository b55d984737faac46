"""Keyboard only: the skip link comes first and works, every focus stop is visibly marked,
the measure filter can be operated without a mouse and keeps its state in the URL;
the search finds German words without contacting another server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from dmoves_site.load import load_content
from tests.browser.conftest import new_context
from tests.browser.server import StaticServer
from tests.browser.site_pages import WIDTHS
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

OpenPage = Callable[[int], Page]

# Describe document.activeElement and how it is drawn while focused.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && String(el.className),
    href: el.getAttribute('href'), text: text.replace(/\\s+/g, ' ').slice(0, 60),
    outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor, boxShadow: cs.boxShadow,
    x: r.left, y: r.top, w: r.width, h: r.height,
    vw: window.innerWidth, vh: window.innerHeight,
    inMain: !!document.getElementById('inhalt') &&
            document.getElementById('inhalt').contains(el) && el.id !== 'inhalt',
    key: el.outerHTML.slice(0, 200) + '@' + [...document.querySelectorAll('*')].indexOf(el),
  };
}"""

# The first element in document order that Tab can reach.
FIRST_FOCUSABLE_JS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, iframe, [tabindex], ' +
              '[contenteditable=""], [contenteditable="true"]';
  const ok = el => !el.disabled && el.tabIndex >= 0 && !el.closest('[hidden], [inert]') &&
                   getComputedStyle(el).visibility !== 'hidden' &&
                   el.getClientRects().length > 0;
  const el = [...document.querySelectorAll(sel)].find(ok);
  return el ? el.outerHTML.slice(0, 120) : null;
}"""


@pytest.fixture
def open_page(browser: Browser, site_server: StaticServer) -> Iterator[OpenPage]:
    """Open a page in a fresh context of the given width; errors are collected."""
    contexts = []
    errors: list[str] = []

    def open_(width: int) -> Page:
        context = new_context(browser, site_server, width)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript-/Konsolenfehler: {errors}"


def has_visible_indicator(stop: dict) -> bool:
    transparent = (stop["outlineColor"] == "transparent"
                   or re.fullmatch(r"rgba\(.*,\s*0(\.0*)?\)", stop["outlineColor"]))
    outline = (stop["outlineStyle"] not in ("none", "hidden") and stop["outlineWidth"] > 0
               and not transparent)
    shadow = stop["boxShadow"] not in ("", "none")
    return outline or shadow


def tab_through(page: Page, limit: int = 400) -> list[dict]:
    """Press Tab until focus leaves the document or comes back; return every stop."""
    stops: list[dict] = []
    seen: set[str] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None or stop["key"] in seen:
            return stops
        seen.add(stop["key"])
        stops.append(stop)
    raise AssertionError(f"nach {limit} Tabulatorschritten noch kein Ende der Seite")


def describe(stop: dict) -> str:
    name = f"<{stop['tag']}{' id=' + stop['id'] if stop['id'] else ''}"
    name += f"{' class=' + stop['cls'] if stop['cls'] else ''}"
    name += f"{' href=' + stop['href'] if stop['href'] else ''}> „{stop['text']}“"
    return (f"{name}: outline {stop['outlineStyle']} {stop['outlineWidth']}px "
            f"{stop['outlineColor']}, box-shadow {stop['boxShadow']}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "grafiken/umsetzungsstand-je-programm/"],
                         ids=["home", "chart"])
def test_every_focus_stop_has_a_visible_focus_indicator(
        open_page: OpenPage, site_server: StaticServer, path: str, width: int) -> None:
    page = open_page(width)
    page.goto(site_server.url(path), wait_until="load")
    if path:  # on chart pages, load the interactive chart and tab through it as well
        page.locator(".chart-activate").first.click()
        page.wait_for_selector(".js-plot .main-svg")
    page.wait_for_load_state("networkidle")
    stops = tab_through(page)
    assert len(stops) >= 15, [describe(s) for s in stops]
    invisible = [describe(s) for s in stops if not has_visible_indicator(s)]
    assert not invisible, (f"{page.url} ({width} px): Fokus ohne sichtbare Markierung:\n"
                           + "\n".join(invisible))
    offscreen = [describe(s) for s in stops
                 if s["w"] < 1 or s["h"] < 1 or s["x"] + s["w"] <= 0 or s["x"] >= s["vw"]]
    assert not offscreen, (f"{page.url} ({width} px): fokussiertes Element nicht sichtbar:\n"
                           + "\n".join(offscreen))


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_is_first_and_moves_focus_to_the_content(
        open_page: OpenPage, site_server: StaticServer, width: int) -> None:
    page = open_page(width)
    page.goto(site_server.url(""), wait_until="load")
    first = page.evaluate(FIRST_FOCUSABLE_JS)
    assert first is not None and 'class="skip-link"' in first, first
    page.keyboard.press("Tab")
    stop = page.evaluate(FOCUS_JS)
    assert stop is not None and stop["cls"] == "skip-link", stop
    assert stop["href"] == "#inhalt"
    assert stop["x"] >= 0 and stop["x"] + stop["w"] <= stop["vw"] and 0 <= stop["y"] < stop["vh"], (
        f"Sprunglink beim Fokussieren nicht sichtbar: {stop}")
    page.keyboard.press("Enter")
    # the fragment navigation is asynchronous: wait for it (slow under load), then check
    page.wait_for_function("location.hash === '#inhalt'", timeout=10_000)
    assert urlsplit(page.url).fragment == "inhalt"
    assert page.evaluate("document.activeElement.id") == "inhalt"
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_JS)
    assert after is not None and after["inMain"], (
        f"nach dem Sprunglink führt Tab nicht in den Inhalt: {after}")


def measure_statuses() -> dict[str, str]:
    content, _problems = load_content(ROOT / "content")
    assert content is not None
    return {x.id: x.status for x in content.measures}


def filter_state(page: Page) -> dict:
    return page.evaluate("""() => ({
      value: document.getElementById('f-status').value,
      focused: document.activeElement && document.activeElement.id,
      count: document.getElementById('filter-count').textContent.trim(),
      lead: document.getElementById('lead-count').textContent.trim(),
      visible: [...document.querySelectorAll('.measure-item')]
        .filter(li => li.offsetParent !== null)
        .map(li => li.querySelector('a').getAttribute('href')),
      groups: [...document.querySelectorAll('.measure-group')].map(g => ({
        hidden: g.offsetParent === null, count: g.querySelector('.count').textContent.trim(),
        visible: [...g.querySelectorAll('.measure-item')]
          .filter(li => li.offsetParent !== null).length})),
    })""")


@pytest.mark.parametrize("width", WIDTHS)
def test_measure_filter_works_by_keyboard_and_keeps_state_in_url(
        open_page: OpenPage, site_server: StaticServer, width: int) -> None:
    statuses = measure_statuses()
    total = len(statuses)
    wanted = "abgeschlossen"
    expected = sorted(i for i, s in statuses.items() if s == wanted)
    assert 0 < len(expected) < total
    page = open_page(width)
    page.goto(site_server.url("massnahmen/"), wait_until="load")
    before = filter_state(page)
    assert before["count"] == f"{total} von {total} Maßnahmen", before["count"]
    assert len(before["visible"]) == total
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-status":
            break
    else:
        raise AssertionError("Statusauswahl #f-status ist mit Tab nicht erreichbar")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == wanted:
            break
        page.keyboard.press("ArrowDown")
    after = filter_state(page)
    assert after["value"] == wanted
    assert after["focused"] == "f-status", "der Fokus muss auf der Auswahl bleiben"
    shown = sorted(h.rstrip("/").rsplit("/", 1)[-1] for h in after["visible"])
    assert shown == expected
    assert after["count"] == f"{len(expected)} von {total} Maßnahmen", after["count"]
    assert after["lead"] == after["count"], "die Einleitung nennt dieselbe Zahl wie der Filter"
    for group in after["groups"]:
        assert group["hidden"] == (group["visible"] == 0), group
        if not group["hidden"]:
            assert group["count"] == f"({group['visible']})", group
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"status": [wanted]}, page.url
    page.reload(wait_until="load")
    restored = filter_state(page)
    assert restored["value"] == wanted
    assert restored["count"] == after["count"]
    assert restored["visible"] == after["visible"]


def test_search_finds_german_words_on_this_site(open_page: OpenPage,
                                                site_server: StaticServer) -> None:
    page = open_page(1280)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server.url("suche/"), wait_until="load")
    box = page.locator("#suche input")
    box.wait_for()
    for word in ("Bürgerbüro", "Straße"):
        box.fill(word)
        first = page.locator(".pagefind-ui__result-link").first
        first.wait_for(timeout=15_000)
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
            "links => links.map(a => a.href)")
        assert hrefs, word
        assert all(h.startswith(site_server.base) for h in hrefs), hrefs
    page.wait_for_load_state("networkidle")
    foreign = [u for u in requests if not u.startswith(site_server.origin + "/")]
    assert not foreign, foreign


def test_search_field_has_a_visible_label_and_lists_no_chart_page(
        open_page: OpenPage, site_server: StaticServer) -> None:
    page = open_page(375)
    page.goto(site_server.url("suche/"), wait_until="load")
    box = page.locator("#suche input")
    box.wait_for()
    label = page.locator("label[for=suchbegriff]")
    assert label.is_visible() and label.inner_text().strip() == "Suchbegriff"
    assert box.get_attribute("id") == "suchbegriff"
    assert box.get_attribute("title") is None  # a title alone is no label (axe label-title-only)
    # the Breitband chart appears on the KPI page; the search lists that page, not the chart
    box.fill("Breitbandanschluss")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    assert any("/kennzahlen/breitband-liegenschaften/" in h for h in hrefs), hrefs
    assert not [h for h in hrefs if re.search(r"/grafiken/[^/]+/", h)], hrefs  # list page only
