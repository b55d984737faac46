"""Any city: the `init` starter and a second city build without a trace of the bundled one.

Expected values come from the fixtures (tests/sites/second_city.py, the starter's files),
never from the output.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.sites import second_city

CITY_WORDS = ("Stuttgart", "Digital MoveS", "GRDrs", "Stufe", "vier Programme")
TEXT_SUFFIXES = (".html", ".xml", ".json", ".csv", ".svg", ".bib", ".txt")
MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def build_args(site: Path, out: Path) -> list[str]:
    args = ["--site", str(site), "build", "--out", str(out)]
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        args.append("--no-images")
    return args


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `dmoves-site init`, built (with images where Chromium is)."""
    site = tmp_path_factory.mktemp("starter") / "musterstadt"
    result = run_cli("init", str(site))
    assert result.exit_code == 0, result.output
    result = run_cli(*build_args(site, site / "build"))
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture(scope="session")
def second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second city, built."""
    site = second_city.write(tmp_path_factory.mktemp("second") / "site")
    result = run_cli(*build_args(site, site / "build"))
    assert result.exit_code == 0, result.output
    return site


def text_files(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES]


@pytest.mark.parametrize("name", ["starter", "second"])
def test_no_output_file_names_the_bundled_city(name: str, request: pytest.FixtureRequest
                                               ) -> None:
    out = request.getfixturevalue(name) / "build"
    files = text_files(out)
    kinds = Counter(p.suffix for p in files)
    # every kind of output is searched: pages, feed, sitemap, data, citations, images
    assert {".html", ".xml", ".json", ".csv", ".bib"} <= set(kinds)
    assert (out / "aktuelles/feed.xml").is_file() and (out / "daten/datapackage.json").is_file()
    found = [f"{p.relative_to(out)}: {word}" for p in files
             for word in CITY_WORDS if word in p.read_text(encoding="utf-8", errors="replace")]
    assert not found


def test_starter_checks_builds_and_publishes_without_errors(starter: Path) -> None:
    check = run_cli("--site", str(starter), "check")
    assert check.exit_code == 0 and "0 Fehler" in check.output, check.output
    target = starter.parent / "pub"
    result = run_cli("--site", str(starter), "publish", "--dry-run", str(target),
                     "--no-images", "--no-search")
    assert result.exit_code == 0, result.output
    assert "Probelauf" in result.output and not target.exists()


def test_starter_has_the_promised_parts(starter: Path) -> None:
    content = starter / "content"
    assert 2 <= len(list((content / "programs").glob("*.yaml"))) <= 3
    assert len(list((content / "budgets").glob("*.yaml"))) == 1
    assert len(list((content / "kpis").glob("*.yaml"))) == 1
    assert len(list((content / "ozg").glob("*.yaml"))) == 1
    assert len(list((content / "updates").glob("*.md"))) == 1
    for page in ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache"):
        assert "[[BITTE ERGÄNZEN:" in (content / "pages" / f"{page}.md").read_text("utf-8")
    assert "build/" in (starter / ".gitignore").read_text("utf-8")
    assert "dmoves-site check" in (starter / "README.md").read_text("utf-8")


def test_init_takes_the_first_settings(tmp_path: Path) -> None:
    site = tmp_path / "neu"
    result = run_cli("init", str(site), "--title", "Digitales Bergheim",
                     "--publisher", 'Stadt "Bergheim"', "--base-url", "https://b.example/d/")
    assert result.exit_code == 0, result.output
    check = run_cli("--site", str(site), "check", "--format", "json")
    assert json.loads(check.output)["errors"] == 0
    built = run_cli("--site", str(site), "build", "--no-images", "--no-search")
    assert built.exit_code == 0, built.output
    home = (site / "build/index.html").read_text("utf-8")
    assert "<title>Digitales Bergheim</title>" in home
    assert "Stadt &#34;Bergheim&#34;" in home
    assert '<link rel="canonical" href="https://b.example/d/">' in home


def test_init_never_overwrites(tmp_path: Path) -> None:
    site = tmp_path / "vorhanden"
    site.mkdir()
    (site / "notiz.txt").write_text("bleibt", encoding="utf-8")
    result = run_cli("init", str(site))
    assert result.exit_code == 2
    assert "nicht leer" in result.output
    assert [p.name for p in site.iterdir()] == ["notiz.txt"]


def test_init_refuses_a_bad_base_url(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "x"), "--base-url", "https://a.example/ohne")
    assert result.exit_code == 2 and "mit '/' enden" in result.output
    assert not (tmp_path / "x").exists()


# --- the second city ------------------------------------------------------------------


def page(site: Path, rel: str) -> str:
    return (site / "build" / rel).read_text(encoding="utf-8")


def test_terms_name_the_parts_everywhere(second: Path) -> None:
    home = page(second, "index.html")
    assert ">Handlungsfelder</a>" in home                    # navigation
    assert "<h2 id=\"programme-titel\">Die Handlungsfelder</h2>" in home
    lead = page(second, "programme/index.html")
    assert f"in {'acht'} Handlungsfelder gegliedert" in lead    # eight fields in the fixture
    field = page(second, "programme/bildung/index.html")
    assert '<p class="eyebrow">Handlungsfeld 1</p>' in field
    measure = page(second, "massnahmen/tablets/index.html")
    assert ">Vorhaben</a></li>" in measure                   # breadcrumb
    chart = json.loads(page(second, "grafiken/umsetzungsstand-je-programm/"
                                    "umsetzungsstand-je-programm.json"))
    assert chart["titel"] == "Umsetzungsstand je Handlungsfeld"


def test_header_shows_name_logo_and_colours(second: Path) -> None:
    home = page(second, "index.html")
    assert '<span class="brand-title">Digitales Auental</span>' in home
    assert '<img class="brand-logo" src="./media/images/logo.svg" ' \
           'alt="Wappen der Stadt Auental">' in home
    assert (second / "build/media/images/logo.svg").read_bytes() == second_city.LOGO
    assert "<style>:root { --link: #00566b; --primary: #7a1f3d; }</style>" in home
    assert "<strong>Digitales Auental</strong>" in home     # the intro is Markdown


def test_legal_pages_come_from_the_settings(second: Path) -> None:
    home = page(second, "index.html")
    assert 'href="./einfach-erklaert/"' in home
    assert 'href="./barrierefreiheitserklaerung/#feedback"' in home
    assert "leichte-sprache" not in home and "/barrierefreiheit/" not in home


def test_sections_without_content_disappear(second: Path) -> None:
    out = second / "build"
    assert not (out / "haushalt").exists()                   # the fixture has no budget
    home = page(second, "index.html")
    assert 'href="./haushalt/' not in home
    assert "digital/haushalt/" not in (out / "sitemap.xml").read_text("utf-8")
    assert 'href="./ozg/"' in home and 'href="./kennzahlen/"' in home   # these have content


def test_no_stage_anywhere_without_stages(second: Path) -> None:
    measures = page(second, "massnahmen/index.html")
    assert 'id="f-stufe"' not in measures and "massnahmen/stufe/" not in measures
    assert not (second / "build/massnahmen/stufe").exists()
    header = (second / "build/daten/massnahmen.csv").read_text("utf-8-sig").splitlines()[0]
    assert header.split(",")[:4] == ["id", "titel", "programm", "status"]
    assert "stufen" not in header


def test_stageless_measures_are_counted_in_every_chart(second: Path) -> None:
    expected = Counter(field for field, _ in second_city.MEASURES.values())
    for pid, _title in second_city.FIELDS:
        rows = chart_rows(second, f"programm-{pid}")
        assert sum(int(row[1]) for row in rows[1:]) == expected[pid], pid
    overview = chart_rows(second, "umsetzungsstand-je-programm")
    gesamt = overview[0].index("gesamt")
    assert sum(int(r[gesamt]) for r in overview[1:]) == len(second_city.MEASURES)


def test_headline_figures_follow_the_setting(second: Path) -> None:
    home = page(second, "index.html")
    figures = home.split('<ul class="headline-figures">')[1].split("</ul>")[0]
    assert figures.index(">13<") < figures.index(">1.850<") < figures.index(">1<")
    assert "Nutzerkonten im Bürgerportal (Stand: 1. Quartal 2025)" in figures


def test_council_papers_are_labelled_per_site(second: Path) -> None:
    sources = page(second, "quellen/index.html")
    assert sources.count("Beschlussvorlage 12/2024") + sources.count(
        "Beschlussvorlage 3/2025") == 2                      # `grdrs` is the same kind
    measure = page(second, "massnahmen/tablets/index.html")
    assert ">Vorlage 12/2024 vom 02.05.2024</a>" in measure
    assert ">Vorlage 3/2025 vom 01.02.2025</a>" in measure


def chart_rows(site: Path, chart: str) -> list[list[str]]:
    text = (site / "build/grafiken" / chart / f"{chart}.csv").read_text("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- stages and the errors of settings --------------------------------------------------

STAGED = """\
    title: Testseite
    publisher: Teststadt
    base_url: https://example.org/test/
    language: de
    as_of: 2021-07-06
    stages:
      - {number: 1, label: "Abschnitt A", period: "2020/2021"}
      - {number: 2, label: "Abschnitt B", period: "2022/2023"}
    """
BOTH_STAGES = """\
    ---
    title: Beide Abschnitte
    program: buergerservices
    status: geplant
    stages: [1, 2]
    ---
    Text.
    """
NO_STAGE = """\
    ---
    title: Ohne Abschnitt
    program: buergerservices
    status: geplant
    ---
    Text.
    """


def test_each_stage_prints_its_own_period(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"site.yaml": STAGED, "measures/beide.md": BOTH_STAGES,
                      "measures/ohne.md": NO_STAGE})
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    measure = (out / "massnahmen/beide/index.html").read_text("utf-8")
    assert "Abschnitt A (2020/2021) und Abschnitt B (2022/2023)" in measure
    rows = list(csv.reader(io.StringIO((out / "grafiken/programm-buergerservices/"
                                        "programm-buergerservices.csv").read_text("utf-8-sig"))))
    # MINIMAL's measure is in stage 1; 'beide' in both; 'ohne' in none: all three counted
    assert rows[0][1:] == ["Abschnitt A (2020/2021)", "Abschnitt B (2022/2023)", "ohne Phase"]
    planned = next(r for r in rows if r[0] == "geplant")
    assert planned[1:] == ["1", "1", "1"]


def test_an_undeclared_stage_is_an_error(make_site: MakeSite) -> None:
    site = make_site({"site.yaml": STAGED, "measures/drei.md": BOTH_STAGES.replace(
        "stages: [1, 2]", "stage: 3")})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    assert ("content/measures/drei.md:5: stage: 3 ist in site.yaml unter 'stages' nicht "
            "angelegt") in result.output


SETTING_ERRORS = [
    ("colors:\n  primary: \"#ffcc00\"\n", "content/site.yaml:7: colors.primary: Kontrast "
     "#ffcc00 auf Weiß ist 1,51:1, zu wenig für WCAG AA (4,5:1)"),
    ("logo: {file: images/fehlt.svg, alt: Wappen}\n",
     "content/site.yaml:6: logo.file: Logodatei 'images/fehlt.svg' gibt es nicht"),
    ("pages:\n  imprint: kontakt\n",
     "content/site.yaml:7: pages.imprint: Pflichtseite content/pages/kontakt.md fehlt"),
]


@pytest.mark.parametrize(("setting", "error"), SETTING_ERRORS)
def test_a_bad_setting_is_one_error_at_its_line(make_site: MakeSite, setting: str,
                                                error: str) -> None:
    site_yaml = ("title: Testseite\npublisher: Teststadt\nbase_url: https://example.org/t/\n"
                 "language: de\nas_of: 2021-07-06\n" + setting)
    site = make_site({"site.yaml": site_yaml})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines()
              if line.startswith("content/") and "Warnung" not in line]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(error), errors[0]
