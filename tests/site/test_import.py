"""`dmoves-site import`: fixture files in the shapes cities have → records that build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dmoves_site.build import check
from dmoves_site.problems import Problems
from dmoves_site.reader import read_yaml_file
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
CATALOGUE_SOURCE: dict[str, str | bytes | None] = {"sources/ozg-katalog.yaml": """\
    title: OZG-Umsetzungskatalog
    kind: sonstige
    date: 2024-01-15
    publisher: Bund
    """}
# the federal catalogue's layout, with its own status words and a decimal-comma column
OZG_CSV = """\
OZG-ID;Leistungsbezeichnung;Themenfeld;Lebenslage;Leistungsbündel;LeiKa-IDs;Status;Reifegrad
10001;Anmeldung einer Wohnung;Ein- und Auswanderung;Umzug;Meldewesen;\
99115001000000, 99115002000000;verfügbar;3
10002;Hundesteuer;Steuern & Zoll;Haustiere;Steuern;;in Umsetzung;2,0
10003;Fischereischein;Freizeit;Hobby;;;offen;0
10004;Anmeldung einer Wohnung;Bauen & Wohnen;Umzug;;;geplant;1
"""


def import_(site: Path, *args: str) -> tuple[int, str]:
    result = run_cli("--site", str(site), "import", *args)
    return result.exit_code, result.output


def errors_and_warnings(site: Path) -> tuple[list[str], list[str]]:
    _content, report = check(site)
    return [p.format() for p in report.errors], [p.format() for p in report.warnings]


def services(site: Path, name: str) -> list[dict[str, Any]]:
    raw = read_yaml_file(site / "content" / "ozg" / name, name, Problems())
    assert raw is not None
    return [dict(s) for s in raw.data["services"]]


@pytest.mark.parametrize(("encoding", "bom"), [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_ozg_csv_gives_services_that_check(make_site: MakeSite, tmp_path: Path, encoding: str,
                                           bom: bytes) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "Katalog_2024.csv"
    csv.write_bytes(bom + OZG_CSV.encode(encoding))
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert code == 0, out
    assert "1 angelegt, 0 geändert, 0 unverändert" in out
    rows = services(site, "katalog-2024.yaml")
    by_ozg = {r["ozg_id"]: r for r in rows}
    assert set(by_ozg) == {"10001", "10002", "10003", "10004"}
    assert by_ozg["10001"]["status"] == "online"          # "verfügbar"
    assert by_ozg["10003"]["status"] == "offen"
    assert by_ozg["10002"]["reifegrad"] == 2                # "2,0"
    assert by_ozg["10002"]["themenfeld"] == "Steuern & Zoll"
    assert by_ozg["10001"]["lebenslage"] == "Umzug"
    assert by_ozg["10001"]["leika_ids"] == ["99115001000000", "99115002000000"]
    # two services of the same name get distinct ids, the second one by its OZG-ID
    assert {by_ozg["10001"]["id"], by_ozg["10004"]["id"]} == {
        "anmeldung-einer-wohnung", "anmeldung-einer-wohnung-10004"}
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)   # sorted by id
    errors, warnings = errors_and_warnings(site)
    assert errors == []
    assert not [w for w in warnings if "ozg" in w]


def test_rerun_is_a_no_op_and_edits_are_kept(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "katalog.csv"
    csv.write_text(OZG_CSV, encoding="utf-8")
    import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    target = site / "content" / "ozg" / "katalog.yaml"
    first = target.read_bytes()
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert code == 0 and "0 angelegt, 0 geändert, 1 unverändert" in out
    assert target.read_bytes() == first
    edited = first.replace(b"title: Fischereischein", b"title: Fischereischein (Land)")
    target.write_bytes(edited)
    csv.write_text(OZG_CSV.replace("Hundesteuer", "Hundesteuer-Anmeldung"), encoding="utf-8")
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert "übersprungen (seit dem Import bearbeitet, --force überschreibt)" in out
    assert target.read_bytes() == edited                  # the edit survives
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog", "--force")
    assert "geändert: content/ozg/katalog.yaml" in out
    assert b"Hundesteuer-Anmeldung" in target.read_bytes()


def test_unchanged_import_file_is_updated_without_force(make_site: MakeSite,
                                                        tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "katalog.csv"
    csv.write_text(OZG_CSV, encoding="utf-8")
    import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    csv.write_text(OZG_CSV.replace(";offen;0", ";in Umsetzung;1"), encoding="utf-8")
    _code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog", "--dry-run")
    assert "würde geändert: content/ozg/katalog.yaml" in out
    assert "offen" in {s["status"] for s in services(site, "katalog.yaml")}   # nothing written
    _code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert "geändert: content/ozg/katalog.yaml" in out
    assert {s["status"] for s in services(site, "katalog.yaml")} == {
        "online", "in_umsetzung", "geplant"}


def test_bad_row_is_one_line_with_file_row_and_column(make_site: MakeSite,
                                                      tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "katalog.csv"
    csv.write_text(OZG_CSV + "10005;Bad;Freizeit;;;;kaputt;9\n", encoding="utf-8")
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert code == 1
    bad = [line for line in out.splitlines() if line.startswith(f"{csv}:")]
    assert bad == [f"{csv}:6: Status: unbekannter Status 'kaputt'; erkannt werden z. B. "
                   "online, in Umsetzung, geplant, offen"]
    assert len(services(site, "katalog.yaml")) == 4        # the good rows are written


def test_map_option_and_missing_source(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "liste.csv"
    csv.write_text("Nr,Dienst,Zustand\n1,Wohngeld,online\n", encoding="utf-8")
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog")
    assert code == 2 and "keine Kopfzeile" in out and "Nichts geschrieben" in out
    code, out = import_(site, "ozg", str(csv), "--map", "title=Dienst", "--map",
                        "status=Zustand", "--map", "ozg_id=Nr")
    assert code == 2 and "--source ID angeben" in out
    code, out = import_(site, "ozg", str(csv), "--source", "ozg-katalog",
                        "--map", "title=Dienst", "--map", "status=Zustand", "--map", "ozg_id=Nr")
    assert code == 0, out
    assert services(site, "liste.yaml")[0]["title"] == "Wohngeld"


def plan_workbook(path: Path, balance_2024: int = 500) -> Path:
    """A Teilplan as budget offices send it: a notes sheet first, a title merged across the
    table, 'Plan' merged over two year columns, '= Summe …' lines typed as text."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Hinweise"
    book.active["A1"] = "Dieses Blatt enthält keine Tabelle."
    ws = book.create_sheet("Teilplan 1.10")
    ws["A1"] = "Teilergebnishaushalt 1.10 Digitalisierung"
    ws.merge_cells("A1:E1")
    ws["A2"] = "Beträge in EUR"
    for ref, value in (("A3", "Nr."), ("B3", "Ertrags- und Aufwandsarten"), ("C3", "Ergebnis"),
                       ("D3", "Plan"), ("C4", 2022), ("D4", "2023"), ("E4", 2024)):
        ws[ref] = value
    ws.merge_cells("D3:E3")
    rows: list[tuple[int, str, int, int | str, int]] = [
        (1, "Zuweisungen und Zuwendungen", 1000, "1.200,50", 1300),
        (2, "Kostenerstattungen", 500, "-", 700),
        (3, "= Summe der ordentlichen Erträge", 1500, "1.200,50", 2000),
        (4, "Personalaufwendungen", 800, 900, 1000),
        (5, "Sach- und Dienstleistungen", 400, 450, 500),
        (6, "= Summe der ordentlichen Aufwendungen", 1200, 1350, 1500),
        (7, "Ordentliches Ergebnis = Erträge − Aufwendungen", 300, "-149,50", balance_2024)]
    for number, row in enumerate(rows, start=5):
        for column, item in enumerate(row, start=1):
            cell = ws.cell(number, column, item)
            if isinstance(item, str) and item.startswith("="):
                cell.data_type = "s"   # text, as Excel keeps "= Summe …" typed with a quote
    ws.cell(13, 2, "Nachrichtlich: steht nach einer Leerzeile, gehört nicht zur Tabelle")
    book.save(path)
    return path


def budget_lines(site: Path, name: str) -> dict[str, dict[str, object]]:
    raw = read_yaml_file(site / "content" / "budgets" / name, name, Problems())
    assert raw is not None
    return {str(ln["id"]): dict(ln) for ln in raw.data["lines"]}


def test_budget_from_xlsx_sheet_with_merged_headings(make_site: MakeSite,
                                                     tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    book = plan_workbook(tmp_path / "plan.xlsx")
    code, out = import_(site, "budget", str(book), "--source", "ozg-katalog")
    assert code == 2      # the first sheet holds no table: the message names the others
    assert "(gelesen: Tabellenblatt 'Hinweise'; weitere: 'Teilplan 1.10' – mit --sheet" in out
    code, out = import_(site, "budget", str(book), "--sheet", "Teilplan 1.10", "--source",
                        "ozg-katalog", "--id", "teilplan")
    assert code == 0, out
    raw = read_yaml_file(site / "content/budgets/teilplan.yaml", "t", Problems())
    assert raw is not None
    assert raw.data["years"] == ["Ergebnis 2022", "Plan 2023", "Plan 2024"]
    assert raw.data["unit"] == "EUR" and raw.data["kind"] == "plan"
    assert raw.data["title"] == "Teilergebnishaushalt 1.10 Digitalisierung"
    lines = budget_lines(site, "teilplan.yaml")
    assert list(lines)[-1] == "ordentliches-ergebnis"          # the block ends at the gap
    assert lines["zuweisungen-und-zuwendungen"]["values"] == [1000, 1200.5, 1300]
    assert lines["kostenerstattungen"]["values"] == [500, None, 700]
    assert lines["summe-der-ordentlichen-ertraege"]["sum_of"] == [
        "zuweisungen-und-zuwendungen", "kostenerstattungen"]
    assert lines["summe-der-ordentlichen-aufwendungen"]["kind"] == "subtotal"
    assert lines["ordentliches-ergebnis"]["difference_of"] == [
        "summe-der-ordentlichen-ertraege", "summe-der-ordentlichen-aufwendungen"]
    errors, warnings = errors_and_warnings(site)
    assert errors == []
    assert not [w for w in warnings if "teilplan" in w]        # 2000 − 1500 = 500 as stated


def test_balance_that_is_not_its_difference_gives_one_warning(make_site: MakeSite,
                                                              tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    book = plan_workbook(tmp_path / "plan.xlsx", balance_2024=400)
    import_(site, "budget", str(book), "--sheet", "Teilplan 1.10", "--source", "ozg-katalog",
            "--id", "teilplan")
    _errors, warnings = errors_and_warnings(site)
    own = [w for w in warnings if "teilplan" in w]
    assert len(own) == 1
    assert "ordentliches-ergebnis" in own[0] and "Plan 2024" in own[0]
    assert "angegeben 400, berechnet 500" in own[0]


def test_budget_csv_with_decimal_comma_builds(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(CATALOGUE_SOURCE)
    csv = tmp_path / "kosten.csv"
    csv.write_bytes("Kosten der Digitalisierung (in TEUR)\n\nPosition;2024;2025\n"
                    "Lizenzen;1.234,5;1.300\nHardware;-;250,25\nGesamt;1.234,5;1.550,25\n"
                    .encode("cp1252"))
    code, out = import_(site, "budget", str(csv), "--source", "ozg-katalog")
    assert code == 0, out
    lines = budget_lines(site, "kosten.yaml")
    assert lines["gesamt"] == {"id": "gesamt", "label": "Gesamt", "kind": "total",
                               "values": [1234.5, 1550.25], "sum_of": ["lizenzen", "hardware"]}
    out_dir = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out_dir), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    assert (out_dir / "haushalt" / "kosten" / "index.html").is_file()
    code, out = import_(site, "budget", str(csv), "--source", "ozg-katalog")
    assert "0 angelegt, 0 geändert, 1 unverändert" in out


MEASURES_CSV = (
    "Maßnahme,Programm,Status,Projektstart,Projektende,Federführung,Beschreibung\n"
    "Online-Terminvergabe Bürgerbüro,Bürgerservices,in Umsetzung,01.07.2020,3. Quartal 2022,"
    '32-1,"Termine online buchen.\nZweite Zeile der Beschreibung."\n'
    "E-Akte,Programm 1,fertig,2019,12/2021,10-4,\n"
    "Chatbot,Unbekanntes Programm,geplant,,,,\n")


def test_measures_from_a_city_list(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    csv = tmp_path / "massnahmen.csv"
    csv.write_text(MEASURES_CSV, encoding="utf-8")
    code, out = import_(site, "measures", str(csv))
    assert code == 1    # the third row (line 5: a quoted cell spans lines 2–3) is unknown
    assert f"{csv}:5: Programm: Programm 'Unbekanntes Programm' gibt es nicht; " \
        "vorhanden: buergerservices" in out
    text = (site / "content/measures/online-terminvergabe-buergerbuero.md").read_text("utf-8")
    front, body = text.split("\n---\n", 1)
    assert "program: buergerservices" in front and "status: in_umsetzung" in front
    assert 'start: "2020-07-01"' in front and 'end: "2022-Q3"' in front
    assert body == "Termine online buchen.\nZweite Zeile der Beschreibung.\n"
    e_akte = (site / "content/measures/e-akte.md").read_text("utf-8")
    assert "status: abgeschlossen" in e_akte and 'end: "2021-12"' in e_akte
    errors, _warnings = errors_and_warnings(site)
    assert errors == []
    code, out = import_(site, "measures", str(csv))
    assert "0 angelegt, 0 geändert, 2 unverändert" in out


def write_hugo(folder: Path) -> Path:
    """A Hugo post folder with the front matter such sites have."""
    posts = folder / "posts"
    (posts / "termine").mkdir(parents=True)
    (posts / "2015-03-02_Neue_Bürgerämter.md").write_text(
        "---\nTitle: \"Neue Bürgerämter\"\ndate: 2015-03-02T10:00:00+01:00\n"
        "tags: [buergeramt, service]\naliases:\n  - /alt/neue.html\n"
        "description: Zwei neue Bürgerämter öffnen.\nauthors: [Presseamt, Redaktion]\n"
        "draft: false\n---\nDie Stadt eröffnet zwei neue Bürgerämter.\n", encoding="utf-8")
    (posts / "2016-07-01-WLAN_im_Rathaus.md").write_text(
        "---\ntitle: WLAN im Rathaus\nfeatured_image: /img/wlan.jpg\n---\nFreies WLAN.\n",
        encoding="utf-8")
    (posts / "termine" / "index.md").write_text(
        '+++\ntitle = "Online-Termine"\ndate = 2017-05-04T23:30:00-02:00\n'
        'slug = "Online_Termine"\n[params]\n  color = "blue"\n+++\nTermine online.\n',
        encoding="utf-8")
    (posts / "ohne-datum.md").write_text("---\ntitle: Ohne Datum\n---\nText.\n", "utf-8")
    return posts


def test_updates_from_hugo_posts(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    posts = write_hugo(tmp_path / "hugo")
    code, out = import_(site, "updates", str(posts))
    assert code == 1
    assert [line for line in out.splitlines() if "ohne-datum" in line] == [
        f"{posts}/ohne-datum.md:1: date: kein Datum im Front Matter und keins im Dateinamen "
        "(JJJJ-MM-TT-name.md) – --map date=FELD"]
    updates = site / "content" / "updates"
    assert sorted(p.name for p in updates.iterdir()) == [
        "2015-03-02-neue-buergeraemter.md",     # timestamp reduced to its day, name slugified
        "2016-07-01-wlan-im-rathaus.md",        # date from the file name
        "2017-05-04-online-termine.md",         # TOML, the slug field, local date kept
        "2021-07-06-start.md"]
    first = (updates / "2015-03-02-neue-buergeraemter.md").read_text("utf-8")
    assert "summary: Zwei neue Bürgerämter öffnen." in first
    assert 'author: "Presseamt, Redaktion"' in first
    assert "extra:\n  aliases: [\"/alt/neue.html\"]\n  tags: [buergeramt, service]" in first
    errors, _warnings = errors_and_warnings(site)
    assert errors == []
    out_dir = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out_dir), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    assert (out_dir / "aktuelles" / "online-termine" / "index.html").is_file()
    code, out = import_(site, "updates", str(posts))
    assert "0 angelegt, 0 geändert, 3 unverändert" in out


def test_pages_from_foreign_markdown(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    page = tmp_path / "Über_uns.md"
    page.write_text("---\ntitle: Über uns\nweight: 4\nlayout: wide\n---\nWir sind …\n", "utf-8")
    code, out = import_(site, "pages", str(page), "--map", "summary=layout")
    assert code == 0, out
    text = (site / "content/pages/ueber-uns.md").read_text("utf-8")
    assert "order: 4" in text and "summary: wide" in text and "extra" not in text
    assert errors_and_warnings(site)[0] == []


def test_records_go_through_the_kinds_validation(make_site: MakeSite, tmp_path: Path) -> None:
    """A row the table reader accepts but the measure kind rejects is reported, not written."""
    site = make_site({})
    csv = tmp_path / "lang.csv"
    long_title = "Sehr lange Maßnahme " * 110                # over 2.000 characters
    csv.write_text(f"Titel;Programm;Status\n{long_title};buergerservices;geplant\n"
                   "Kurz;buergerservices;geplant\n", encoding="utf-8")
    code, out = import_(site, "measures", str(csv))
    assert code == 1
    rejected = [line for line in out.splitlines() if "zu lang" in line]
    assert len(rejected) == 1
    assert rejected[0].startswith("content/measures/sehr-lange-massnahme-sehr-lange-massnahme")
    assert ": title: zu lang (2199 Zeichen, höchstens 2000)" in rejected[0]
    assert sorted(p.name for p in (site / "content" / "measures").iterdir()) == [
        "kurz.md", "online-termin.md"]
