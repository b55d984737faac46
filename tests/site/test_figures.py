"""Citable figures: one page per headline number with Stand, source, citation and card."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.site.test_schedule import build, text_of

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
BASE = "https://example.org/test/"


@pytest.fixture
def out(make_site: MakeSite) -> Path:
    return build(make_site({}))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_one_page_per_headline_figure(out: Path) -> None:
    # MINIMAL: KPI 'dienste' (63, then 93 in Q2 2021), table 'tabelle' with printed total 11,
    # one measure 'in_umsetzung'
    pages = sorted(p.name for p in (out / "zahlen").iterdir() if p.is_dir())
    assert pages == ["haushalt-tabelle-summe", "kennzahl-dienste", "massnahmen-gesamt",
                     "massnahmen-in-umsetzung"]
    kpi = text_of(out / "zahlen/kennzahl-dienste/index.html")
    assert "Online-Dienste 93 Stand 2. Quartal 2021 Quelle Vorlage" in kpi
    assert "Abschn. 1.1.1" in kpi
    assert "Online-Dienste: 93. Teststadt (2021): Online-Dienste." in kpi
    budget = text_of(out / "zahlen/haushalt-tabelle-summe/index.html")
    assert "Tabelle: Summe (2022–2023) 11 TEUR" in budget


def test_citation_files_and_card(out: Path) -> None:
    folder = out / "zahlen/kennzahl-dienste"
    bib = (folder / "kennzahl-dienste.bib").read_text(encoding="utf-8")
    assert "@misc{kennzahl_dienste," in bib and f"url = {{{BASE}zahlen/kennzahl-dienste/}}" in bib
    csl = json.loads((folder / "kennzahl-dienste.csl.json").read_text(encoding="utf-8"))
    assert csl[0]["issued"] == {"date-parts": [[2021]]} and csl[0]["title"] == "Online-Dienste"
    assert png_size((folder / "kennzahl-dienste.png").read_bytes()) == (1200, 630)
    assert png_size((out / "zahlen/seite.png").read_bytes()) == (1200, 630)


def test_cards_are_deterministic(out: Path, make_site: MakeSite) -> None:
    again = build(make_site({}), "again")
    for rel in ("zahlen/kennzahl-dienste/kennzahl-dienste.png", "zahlen/seite.png"):
        assert (again / rel).read_bytes() == (out / rel).read_bytes()


def meta(html: str, key: str) -> str:
    found = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert len(found) == 1, (key, found)
    return found[0]


def test_every_page_has_open_graph_and_twitter_tags(out: Path) -> None:
    pages = [p for p in out.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        image = meta(html, "og:image")
        assert image.startswith(BASE), page
        assert (out / image[len(BASE):]).is_file(), (page, image)
        assert meta(html, "twitter:image") == image
        assert meta(html, "twitter:card") == "summary_large_image"
        assert meta(html, "og:title") and meta(html, "og:description")
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
        assert [meta(html, "og:url")] == canonical, page
    figure = (out / "zahlen/kennzahl-dienste/index.html").read_text(encoding="utf-8")
    assert meta(figure, "og:image") == BASE + "zahlen/kennzahl-dienste/kennzahl-dienste.png"
    assert meta(figure, "og:description") == "Online-Dienste: 93 (Stand 2. Quartal 2021)"
