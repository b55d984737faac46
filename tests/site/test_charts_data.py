"""Citable charts and open data: downloads parse and agree with the charts and tables."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from dmoves_site import build as b
from dmoves_site.charts import all_charts
from dmoves_site.figures import sum_differences
from tests.conftest import ROOT, run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
CONTENT, _ = b.check(ROOT)
assert CONTENT is not None
CHARTS = all_charts(CONTENT, sum_differences(CONTENT.budgets))


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", blob[16:24])
    return width, height


def test_chart_ids_are_unique_and_stable_rule() -> None:
    ids = [c.id for c in CHARTS]
    assert len(ids) == len(set(ids))
    assert "umsetzungsstand-je-programm" in ids
    assert {f"kennzahl-{k.id}" for k in CONTENT.kpis} <= set(ids)
    assert {f"haushalt-{x.id}" for x in CONTENT.budgets} & set(ids)


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.id)
def test_every_chart_page_has_all_downloads(built_site: Path, chart) -> None:  # type: ignore[no-untyped-def]
    folder = built_site / "grafiken" / chart.id
    page = (folder / "index.html").read_text(encoding="utf-8")
    for name in (f"{chart.id}.csv", f"{chart.id}-excel.csv", f"{chart.id}.json",
                 f"{chart.id}.png", f"{chart.id}.svg", f"{chart.id}.bib",
                 f"{chart.id}.csl.json"):
        assert (folder / name).is_file(), name
        assert f'href="{name}"' in page, name
    assert f"Stand: {chart.as_of.german()}" in page
    assert "abgerufen am" in page
    assert (folder / "embed/index.html").is_file()

    rows = list(csv.reader(io.StringIO((folder / f"{chart.id}.csv").read_text("utf-8"))))
    assert rows[0] == list(chart.columns)
    assert len(rows) - 1 == len(chart.rows)
    for got, want in zip(rows[1:], chart.rows, strict=True):
        for cell, value in zip(got, want, strict=True):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                assert Decimal(cell) == Decimal(value)

    excel = (folder / f"{chart.id}-excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel.decode("utf-8-sig").splitlines()[0] == ";".join(chart.columns)

    data = json.loads((folder / f"{chart.id}.json").read_text("utf-8"))
    assert data["stand"] == chart.as_of.iso() and data["spalten"] == list(chart.columns)

    svg = (folder / f"{chart.id}.svg").read_text("utf-8")
    assert f"Stand: {chart.as_of.german()}" in svg
    assert png_size((folder / f"{chart.id}.png").read_bytes()) == (1800, 1120)


def test_figure_numbers_equal_table_numbers() -> None:
    chart = next(c for c in CHARTS if c.id == "umsetzungsstand-je-programm")
    done = next(t for t in chart.figure["data"] if t["name"] == "abgeschlossen")
    assert done["x"] == [row[3] for row in chart.rows]   # column "abgeschlossen"


def test_embed_page_stands_alone(built_site: Path) -> None:
    html = (built_site / "grafiken/umsetzungsstand-je-programm/embed/index.html").read_text(
        "utf-8")
    assert "Hauptnavigation" not in html and "<footer" not in html
    assert "Quelle: " in html and 'class="chart-table"' in html


def test_datapackage_is_valid(built_site: Path) -> None:
    from frictionless import Package

    package = Package(str(built_site / "daten/datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    names = {r.name for r in package.resources}
    assert {"massnahmen", "meilensteine", "ozg-dienste", "kennzahlen", "quellen"} <= names
    assert {f"haushalt-{x.id}" for x in CONTENT.budgets} <= names


def test_data_page_has_jsonld_and_licence(built_site: Path) -> None:
    html = (built_site / "daten/index.html").read_text("utf-8")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    meta = json.loads(match.group(1))
    assert meta["@type"] == "Dataset" and meta["license"] == CONTENT.site.license_url
    assert "Datenlizenz Deutschland" in html


def test_measures_dataset_matches_records(built_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(
        (built_site / "daten/massnahmen.csv").read_text("utf-8"))))
    assert {r["id"]: r["status"] for r in rows} == {x.id: x.status for x in CONTENT.measures}


def test_chart_ids_do_not_change_when_a_measure_is_added(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    site = make_site({})
    before = {c.id for c in all_charts(b.check(site)[0], [])}  # type: ignore[arg-type]
    (site / "content/measures/aaa-neu.md").write_text(
        "---\ntitle: Neu\nprogram: buergerservices\nstatus: geplant\n---\n", encoding="utf-8")
    after = {c.id for c in all_charts(b.check(site)[0], [])}  # type: ignore[arg-type]
    assert before == after
    out = tmp_path / "o"
    assert run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                   "--no-search").exit_code == 0
    assert (out / "grafiken/umsetzungsstand-je-programm/index.html").is_file()
