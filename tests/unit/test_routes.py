"""The URL scheme lives in one module: addresses, chart ids, reserved ids, one path per file."""

from __future__ import annotations

import re

import pytest

from dmoves_site import output, routes
from dmoves_site.render import THEME


@pytest.mark.parametrize(("kind", "record", "expected"), [
    ("measure", "e-akte", "massnahmen/e-akte/"),
    ("program", "buergerservices", "programme/buergerservices/"),
    ("kpi", "dienste", "kennzahlen/dienste/"),
    ("budget", "gesamt", "haushalt/gesamt/"),
    ("update", "start", "aktuelles/start/"),
    ("source", "grdrs-1", "quellen/grdrs-1/"),
    ("chart", "programm-x", "grafiken/programm-x/"),
    ("service", "wohngeld", "ozg/#dienst-wohngeld"),
    ("page", "impressum", "impressum/"),
    ("measure", "", "massnahmen/"),
    ("home", "", ""),
])
def test_url_for(kind: str, record: str, expected: str) -> None:
    assert routes.url_for(kind, record) == expected


def test_output_paths_follow_urls() -> None:
    assert routes.page_path("massnahmen/e-akte/") == "massnahmen/e-akte/index.html"
    assert routes.page_path("") == "index.html"
    assert routes.page_path("ozg/#dienst-x") == "ozg/index.html"
    assert routes.page_url("massnahmen/index.html") == "massnahmen/"
    assert routes.listing_url("update", 1) == "aktuelles/"
    assert routes.listing_url("update", 3) == "aktuelles/seite/3/"
    assert routes.filter_url("status", "geplant") == "massnahmen/status/geplant/"


def test_chart_ids_and_files() -> None:
    assert routes.chart_id("program", "p") == "programm-p"
    assert routes.chart_id("kpi", "k") == "kennzahl-k"
    assert routes.chart_id("budget", "b") == "haushalt-b"
    assert routes.chart_file("kennzahl-k", ".csv") == "grafiken/kennzahl-k/kennzahl-k.csv"
    assert routes.embed_url("x") == "grafiken/x/embed/"


def test_reserved_ids_cover_every_section_and_folder() -> None:
    for url in routes.SECTIONS.values():
        if url:
            assert url.rstrip("/") in routes.reserved_page_ids()
    for folder in ("assets", "media", "pagefind"):
        assert folder in routes.reserved_page_ids()


def test_templates_spell_out_no_section_address() -> None:
    """Templates ask `url_for` instead of writing `massnahmen/` after `root`."""
    sections = "|".join(re.escape(u) for u in routes.SECTIONS.values() if u)
    pattern = re.compile(rf"(?:root|base_url) \}}\}}(?:{sections})")
    offenders = [f"{t.name}: {m.group(0)}" for t in sorted((THEME / "templates").iterdir())
                 for m in pattern.finditer(t.read_text(encoding="utf-8"))]
    assert offenders == []


def test_writing_one_path_twice_is_an_error() -> None:
    files = {"a/index.html": b"1"}
    output.add(files, {"b/index.html": b"2"})
    assert sorted(files) == ["a/index.html", "b/index.html"]
    with pytest.raises(output.DuplicatePath, match=r"a/index\.html"):
        output.add(files, {"a/index.html": b"3"})
    assert files["a/index.html"] == b"1"
    with pytest.raises(output.DuplicatePath, match="x"):
        output.check_unique(["x", "y"], {"x": b""})
