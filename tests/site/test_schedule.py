"""The schedule page: dated measures, baseline and slippage, overdue flags, program part."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def measure(title: str, front: str) -> str:
    return f"---\ntitle: {title}\nprogram: buergerservices\n{front}---\nText\n"


FILES: dict[str, str | bytes | None] = {
    # start and end: a bar from 01.07.2020 to 31.12.2022; as_of 2021-07-06: not overdue
    "measures/online-termin.md": measure("Termine", "status: in_umsetzung\nstart: 2020-07\n"
                                         "end: 2022-Q4\n"),
    # end only, before as_of and not done: overdue
    "measures/spaet.md": measure("Spät", "status: geplant\nend: 2021-03\n"),
    # moved: first stated end 2021 (history), now 2023
    "measures/verschoben.md": measure(
        "Verschoben", "status: in_umsetzung\nstart: 2020\nend: 2023\nhistory:\n"
        "  - {date: 2020-05, end: 2021, source: vorlage, section: '1.1'}\n"),
    # no dates at all: not in the schedule
    "measures/ohne.md": measure("Ohne Datum", "status: geplant\n"),
}


def build(site: Path, name: str = "out") -> Path:
    """Build `site` without images and search into site/<name>; return that folder."""
    out = site / name
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    return out


def text_of(path: Path) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def test_schedule_lists_dated_measures_with_slippage_and_overdue(make_site: MakeSite) -> None:
    out = build(make_site(FILES))
    html = (out / "zeitplan/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr(?: class="overdue")?><th scope="row"><a href="[^"]+">([^<]+)</a>',
                      html)
    assert rows == ["Verschoben", "Termine", "Spät"]      # by start date, undated last
    assert "Ohne Datum" not in html
    assert re.findall(r'<tr class="overdue"><th scope="row"><a href="[^"]+">([^<]+)', html) \
        == ["Spät"]
    text = text_of(out / "zeitplan/index.html")
    assert "Ende verschoben von 2021 auf 2023 (+2 Jahre)" in text
    assert "3 Maßnahmen mit Zeitplan 1 mit verschobenem Ende 1 überfällig" in text


def test_schedule_chart_carries_the_table_dates(make_site: MakeSite) -> None:
    out = build(make_site(FILES))
    html = (out / "grafiken/zeitplan/index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" class="chart-data"[^>]*>(.*?)</script>',
                      html, re.S)
    assert found is not None
    spec = json.loads(found.group(1))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1
    bar = dict(zip(bars[0]["y"], zip(bars[0]["base"], bars[0]["x"], strict=True), strict=True))
    # 2020 → 01.01.2020 … 31.12.2023 (1461 days); 2020-07 … 2022-Q4: 01.07.2020 … 31.12.2022
    assert bar == {"Verschoben": ("2020-01-01", 1461 * 86_400_000),
                   "Termine": ("2020-07-01", 914 * 86_400_000)}
    markers = {t["name"]: dict(zip(t["y"], t["x"], strict=True))
               for t in spec["data"] if t["type"] == "scatter"}
    assert markers == {"geplantes Ende (ohne Startdatum)": {"Spät": "2021-03-31"},
                       "zuerst genanntes Ende": {"Verschoben": "2021-12-31"}}


def test_program_page_shows_its_schedule(make_site: MakeSite) -> None:
    out = build(make_site(FILES))
    text = text_of(out / "programme/buergerservices/index.html")
    assert "Zeitplan der Maßnahmen im Programm 1" in text
    assert "Ende verschoben von 2021 auf 2023 (+2 Jahre)" in text
    assert (out / "grafiken/zeitplan-buergerservices/index.html").is_file()
