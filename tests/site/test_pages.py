"""The bundled site: every record has its page, every page kind its key elements."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dmoves_site.build import check
from tests.conftest import ROOT

CONTENT, _ = check(ROOT)
assert CONTENT is not None


def read(built: Path, rel: str) -> str:
    return (built / rel).read_text(encoding="utf-8")


def test_every_record_has_its_page(built_site: Path) -> None:
    c = CONTENT
    expected = [f"programme/{p.id}/index.html" for p in c.programs]
    expected += [f"massnahmen/{x.id}/index.html" for x in c.measures]
    expected += [f"kennzahlen/{k.id}/index.html" for k in c.kpis]
    expected += [f"haushalt/{b.id}/index.html" for b in c.budgets]
    expected += [f"quellen/{s.id}/index.html" for s in c.sources]
    expected += [f"aktuelles/{u.id}/index.html" for u in c.updates]
    expected += [f"{p.id}/index.html" for p in c.pages]
    missing = [rel for rel in expected if not (built_site / rel).is_file()]
    assert not missing
    # about 110 table rows of the two stages; a measure in both stages is one record
    assert sum(len(x.all_stages) for x in c.measures) >= 105


def test_home_has_key_elements(built_site: Path) -> None:
    html = read(built_site, "index.html")
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#inhalt"' in html
    assert 'id="grafik-umsetzungsstand-je-programm"' in html
    assert "<figcaption>" in html and "Stand: " in html
    assert re.search(r"<table>\s*<caption>Umsetzungsstand je Programm", html)
    assert html.count('class="card"') == len(CONTENT.programs)
    newest = CONTENT.updates[0]
    assert f'aktuelles/{newest.id}/' in html
    assert 'href="./leichte-sprache/"' in html
    assert "barrierefreiheit/#feedback" in html
    assert f"Stand der Daten: {CONTENT.site.as_of.german()}" in html


@pytest.mark.parametrize("rel", ["index.html", "massnahmen/index.html", "ozg/index.html",
                                 "haushalt/gesamtdarstellung/index.html", "404.html",
                                 "aktuelles/index.html", "quellen/index.html"])
def test_every_page_has_landmarks_and_footer_stand(built_site: Path, rel: str) -> None:
    html = read(built_site, rel)
    for needle in ('<main id="inhalt"', "<header", "<footer", 'aria-label="Hauptnavigation"',
                   "Stand der Daten:"):
        assert needle in html, (rel, needle)


def test_measure_page_shows_status_timeline_and_sources(built_site: Path) -> None:
    measure = next(x for x in CONTENT.measures if x.milestones and x.sources)
    html = read(built_site, f"massnahmen/{measure.id}/index.html")
    assert f"status-{measure.status}" in html
    assert 'class="timeline"' in html
    assert "Woher die Angaben stammen" in html
    assert f'quellen/{measure.sources[0].source}/' in html


def test_filter_views_work_without_javascript(built_site: Path) -> None:
    for status in ("abgeschlossen", "in_umsetzung", "geplant"):
        html = read(built_site, f"massnahmen/status/{status}/index.html")
        items = re.findall(r'data-status="(\w+)"', html)
        expected = sum(1 for x in CONTENT.measures if x.status == status)
        assert items and set(items) == {status} and len(items) == expected


def test_budget_table_as_printed_with_quality_notes(built_site: Path) -> None:
    html = read(built_site, "haushalt/telekommunikation-netze/index.html")
    assert "1.376" in html          # the published figure, not the recomputed 1.375
    assert 'class="num flagged"' in html
    assert "nachgerechnet 1.375" in html
    assert 'class="line-subtotal"' in html and 'class="line-total"' in html


def test_plotly_only_on_chart_pages(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        has_chart = 'class="chart"' in html
        assert ("assets/charts.js" in html) == has_chart, page
        assert "plotly" not in re.sub(r'data-plotly="[^"]+"', "", html).lower() or has_chart


def test_no_third_party_urls_except_content_links(built_site: Path) -> None:
    allowed = set()
    for file in (ROOT / "content").rglob("*"):
        if file.is_file() and file.suffix in (".md", ".yaml"):
            allowed |= set(re.findall(r"https?://[^\s\"'<>)\]]+", file.read_text("utf-8")))
    base = CONTENT.site.base_url
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="(https?://[^"]+)"', html):
            assert url.startswith(base) or url in allowed, (page, url)


def test_atom_feed_and_sitemap(built_site: Path) -> None:
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built_site / "aktuelles/feed.xml").getroot()
    assert feed.find("a:id", ns) is not None and feed.find("a:updated", ns) is not None
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(CONTENT.updates)
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{CONTENT.site.base_url}massnahmen/" in locs


def test_every_text_file_has_deterministic_gzip_and_brotli_copies(built_site: Path) -> None:
    """For nginx gzip_static/brotli_static: each HTML, CSS, JS, JSON, SVG, CSV and XML file
    has .gz (no timestamp) and .br copies with exactly its bytes."""
    import gzip

    import brotli

    kinds = (".html", ".css", ".js", ".json", ".svg", ".csv", ".xml")
    files = [f for f in sorted(built_site.rglob("*")) if f.suffix in kinds and f.is_file()]
    assert {f.suffix for f in files} == set(kinds)
    for file in files:
        gz = file.with_name(file.name + ".gz").read_bytes()
        assert gz[4:8] == bytes(4), f"{file}: gzip mtime"
        assert gzip.decompress(gz) == file.read_bytes(), file
        assert brotli.decompress(file.with_name(file.name + ".br").read_bytes()) == (
            file.read_bytes()), file


def test_shipped_plotly_gzip_matches_the_script() -> None:
    import gzip

    import brotli

    from dmoves_site.render import PLOTLY_JS, THEME

    js = THEME / "static" / PLOTLY_JS.removeprefix("assets/")
    assert gzip.decompress(js.with_name(js.name + ".gz").read_bytes()) == js.read_bytes()
    assert brotli.decompress(js.with_name(js.name + ".br").read_bytes()) == js.read_bytes()
