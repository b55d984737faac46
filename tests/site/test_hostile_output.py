"""Hostile text stays text in every output: embed snippet, charts, images, CSV, BibTeX, terminal."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from dmoves_site.mdrender import render
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
EVENT_TITLE = 'Notebooks " onload="alert(document.domain)'
LINK_TITLE = '<a href="https://evil.example/">Hier klicken</a>'
STYLE_LABEL = '<span style="fill:url(https://evil.example/x.svg)">A</span>'


def kpi(title: str) -> str:
    return (f"title: '{title.replace(chr(39), chr(39) * 2)}'\nunit: Anzahl\npoints:\n"
            '  - {date: 2021-Q1, value: 63, source: vorlage, section: "1.1.1"}\n')


def build(site: Path, out: Path) -> str:
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    return result.output


class Elements(HTMLParser):
    """Start tags with their attributes, and the text of each <textarea> by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.textareas: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self.current = dict(attrs).get("id") or ""
            self.textareas[self.current] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.textareas[self.current] += data


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def test_embed_snippet_carries_the_title_as_an_attribute_value(make_site: MakeSite,
                                                               tmp_path: Path) -> None:
    site = make_site({"kpis/dienste.yaml": kpi(EVENT_TITLE)})
    build(site, tmp_path / "out")
    page = (tmp_path / "out/grafiken/kennzahl-dienste/index.html").read_text("utf-8")
    snippet = parse(page).textareas["embed-kennzahl-dienste"]  # what a journalist copies
    tags = parse(snippet).tags
    assert [tag for tag, _attrs in tags] == ["iframe"]
    attrs = tags[0][1]
    assert sorted(attrs) == ["height", "src", "style", "title", "width"]
    assert attrs["title"] == EVENT_TITLE


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_text_handed_to_plotly_is_escaped(make_site: MakeSite, tmp_path: Path) -> None:
    budget = ("title: Tabelle\nunit: TEUR\nyears: [2022, 2023]\nsources:\n"
              '  - {source: vorlage, section: "1.1"}\nlines:\n'
              f"  - {{id: a, label: '{STYLE_LABEL}', kind: item, values: [1, 2]}}\n"
              "  - {id: b, label: B, kind: item, values: [3, 4]}\n")
    site = make_site({"kpis/dienste.yaml": kpi(LINK_TITLE), "budgets/tabelle.yaml": budget})
    build(site, tmp_path / "out")
    figures = []
    for page in ("grafiken/kennzahl-dienste/index.html", "grafiken/haushalt-tabelle/index.html"):
        html = (tmp_path / "out" / page).read_text("utf-8")
        for data in re.findall(r'<script type="application/json" class="chart-data">(.*?)'
                               r"</script>", html, re.S):
            figures.append(json.loads(data))
    texts = [text for figure in figures for text in strings(figure)]
    assert texts
    for text in texts:
        assert not re.search(r"<(a|span)\b", text, re.I), text
    assert "&lt;a href=\"https://evil.example/\"&gt;Hier klicken&lt;/a&gt;" in texts
    assert any("&lt;span style=" in text for text in texts)
    assert any("<extra></extra>" in text for text in texts)  # the charts' own markup stays


def image_update(name: str) -> str:
    return ("---\ntitle: Start\ndate: 2021-07-06\nmeasures: [online-termin]\n"
            f"image: documents/{name}\nimage_alt: Ein Bild\n---\nEs geht los.\n")


def test_update_images_must_be_raster_images(make_site: MakeSite) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    cases: dict[str, bytes] = {"x.html": b"<script>alert(1)</script>", "x.svg": svg,
                               "fake.png": b"<html><script>alert(1)</script>",
                               "photo.jpg": PNG}
    for name, blob in cases.items():
        site = make_site({f"documents/{name}": blob,
                          "updates/2021-07-06-start.md": image_update(name)})
        result = run_cli("--site", str(site), "check")
        assert result.exit_code == 1, (name, result.output)
        assert "content/updates/2021-07-06-start.md:1: image:" in result.output, result.output
    site = make_site({"documents/foto.png": PNG,
                      "updates/2021-07-06-start.md": image_update("foto.png")})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 0, result.output


def test_csv_cells_and_headers_never_start_a_formula(make_site: MakeSite,
                                                     tmp_path: Path) -> None:
    budget = ("title: Tabelle\nunit: TEUR\nyears: ['=HYPERLINK(\"https://evil.example\")', "
              "2023]\nsources:\n"
              '  - {source: vorlage, section: "1.1"}\nlines:\n'
              "  - {id: a, label: '@SUM(A1)', kind: item, values: [1, 2]}\n"
              "  - {id: b, label: '+B', kind: item, values: [3, 4]}\n")
    site = make_site({"budgets/tabelle.yaml": budget})
    build(site, tmp_path / "out")
    files = sorted((tmp_path / "out").rglob("*.csv"))
    assert files
    for file in files:
        text = file.read_bytes().decode("utf-8-sig")
        delimiter = ";" if file.name.endswith("-excel.csv") else ","
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (file.name, cell)
    chart_csv = (tmp_path / "out/grafiken/haushalt-tabelle/haushalt-tabelle.csv").read_text(
        "utf-8")
    assert chart_csv.splitlines()[0] == "Zeile,\"'=HYPERLINK(\"\"https://evil.example\"\")\",2023"


def bibtex_fields(entry: str) -> dict[str, str]:
    """Field values of one BibTeX entry, read the way BibTeX reads braces (no escapes)."""
    body = entry[entry.index(",") + 1:]
    fields, pos = {}, 0
    while (match := re.compile(r"\s*(\w+)\s*=\s*\{").match(body, pos)) is not None:
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(body[index], 0)
            index += 1
        fields[match.group(1)] = body[match.end():index - 1]
        pos = index + 1 if body[index:index + 1] == "," else index
    assert body[pos:].strip() == "}", f"text after the fields: {body[pos:]!r}"
    return fields


def test_bibtex_braces_in_a_title_stay_inside_the_field(make_site: MakeSite,
                                                        tmp_path: Path) -> None:
    title = "Ende} @misc{x, title={y"
    site = make_site({"kpis/dienste.yaml": kpi(title)})
    build(site, tmp_path / "out")
    entry = (tmp_path / "out/grafiken/kennzahl-dienste/kennzahl-dienste.bib").read_text("utf-8")
    fields = bibtex_fields(entry)
    assert set(fields) == {"author", "title", "howpublished", "year", "url", "note"}
    assert fields["title"] == r"Ende\textbraceright{} @misc\textbraceleft{}x, title=" \
        r"\textbraceleft{}y"


def test_placeholder_in_a_link_title_keeps_the_link_intact() -> None:
    html = render('[Link](https://example.org "[[BITTE ERGÄNZEN: Titel]]") und '
                  "[[BITTE ERGÄNZEN: Text]]")
    tags = parse(html).tags
    assert tags == [("p", {}), ("a", {"href": "https://example.org",
                                      "title": "Bitte ergänzen: Titel"}),
                    ("mark", {"class": "fill-in"})]


def test_control_characters_in_file_names_never_reach_the_terminal(make_site: MakeSite
                                                                   ) -> None:
    site = make_site({"measures/rot\x1b[31m\x07.md": "---\ntitle: X\n---\n"})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "rot\\x1b[31m\\x07.md" in result.output
