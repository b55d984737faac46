"""`dmoves-site serve` in Chromium: pages reload by themselves on change, error and recovery."""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ROOT

UPDATE = "content/updates/2021-09-07-wlan-im-rathaus.md"
UPDATE_URL = "aktuelles/wlan-im-rathaus/"
ERROR_H1 = "Die Vorschau kann nicht aktualisiert werden"
TIMEOUT_MS = 15_000


@dataclass
class Preview:
    site: Path
    url: str
    process: subprocess.Popen[str]


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """`dmoves-site serve --port 0` on a copy of the bundled content, as an editor starts it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dmoves_site", "--site", str(site), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    url = ""
    for _ in range(20):
        match = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", process.stdout.readline())
        if match:
            url = match.group(1)
            break
    try:
        assert url, "serve printed no URL"
        yield Preview(site, url, process)
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert "Traceback" not in err


def set_title(site: Path, title: str) -> None:
    path = site / UPDATE
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title: .*$', f'title: "{title}"', text, count=1),
                    encoding="utf-8")


def loaded_at_ms(page: Page) -> float:
    """Wall-clock time (ms since the epoch) at which the current document was ready."""
    return float(page.evaluate(
        "performance.timeOrigin + "
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))


@pytest.mark.browser
def test_page_follows_changes_errors_and_fixes(browser: Browser, preview: Preview) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url)
            if frame == page.main_frame else None)
    page.goto(preview.url + UPDATE_URL)
    heading = page.locator("main h1").first
    expect(heading).to_contain_text("WLAN im Rathaus")
    expect(page.locator(".draft-banner").first).to_contain_text("nicht veröffentlicht")

    # a saved change shows up without anyone touching the browser
    set_title(preview.site, "WLAN jetzt im ganzen Rathaus")
    expect(heading).to_have_text("WLAN jetzt im ganzen Rathaus", timeout=TIMEOUT_MS)

    # a mistake: the page turns into the error page, naming file, line, field and hint
    path = preview.site / UPDATE
    good = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^date: .*\n", "", good), encoding="utf-8")
    expect(page.locator("h1")).to_have_text(ERROR_H1, timeout=TIMEOUT_MS)
    problem = page.locator("main ol li").first
    expect(problem).to_contain_text(f"{UPDATE}:2")
    expect(problem).to_contain_text("date: Pflichtfeld fehlt")
    expect(problem).to_contain_text("Tipp: 'date: JJJJ-MM-TT' ergänzen")
    expect(page.locator("main")).to_contain_text("letzte fehlerfreie Fassung")

    # fixing the file brings the page back by itself
    path.write_text(good, encoding="utf-8")
    expect(page.locator("main h1").first).to_have_text("WLAN jetzt im ganzen Rathaus",
                                                       timeout=TIMEOUT_MS)
    assert all(url.startswith(preview.url + UPDATE_URL) for url in navigations)
    assert len(navigations) >= 4  # first load plus three reloads the page did itself
    context.close()


@pytest.mark.browser
def test_save_to_reload_time(browser: Browser, preview: Preview) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(preview.url + UPDATE_URL)
    heading = page.locator("main h1").first
    expect(heading).to_contain_text("WLAN im Rathaus")
    times = []
    for number in range(10):
        time.sleep(0.3)  # let the previous reload settle, as between two real saves
        title = f"Messung Nummer {number}"
        saved = time.time() * 1000
        set_title(preview.site, title)
        expect(heading).to_have_text(title, timeout=TIMEOUT_MS)
        times.append(loaded_at_ms(page) - saved)
    median = statistics.median(times)
    print(f"\nsave → reloaded page (bundled site, median of 10): {median:.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f})")
    assert median < 5000
    context.close()


@pytest.mark.browser
def test_reload_script_is_the_only_addition(browser: Browser, preview: Preview) -> None:
    """The preview adds its own script only; nothing is loaded from another origin."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    foreign: list[str] = []
    origin = preview.url.split("/", 3)[:3]
    page.on("request", lambda r: foreign.append(r.url)
            if r.url.split("/", 3)[:3] != origin and not r.url.startswith("data:") else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(preview.url)
    expect(page.locator("script[src='/__reload.js']")).to_have_count(1)
    page.wait_for_timeout(500)
    assert foreign == [] and errors == []
    context.close()
