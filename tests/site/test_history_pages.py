"""History entries: validation messages with their lines, and what the measure page shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.site.test_validation import check_lines

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
MEASURE = "measures/online-termin.md"
HEAD = "---\ntitle: T\nprogram: buergerservices\nstatus: in_umsetzung\nend: 2021-Q2\n"
HISTORY = ("history:\n"
           "  - {date: 2019-07, status: geplant, end: 2020, source: vorlage, section: '1.1'}\n"
           "  - {date: 2020-02, status: in_umsetzung, source: vorlage, section: '1.1.1'}\n")


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD + "history:\n  - {date: 2020-02, status: geplant}\n  - {date: 2019-07}\n---\n",
     "content/measures/online-termin.md:8: history[1].date: Juli 2019 liegt vor dem vorigen "
     "Eintrag (Februar 2020) – Einträge nach Datum aufsteigend ordnen"),
    (HEAD + "history:\n  - {date: 2021-08, status: geplant}\n---\n",
     "content/measures/online-termin.md:7: history[0].date: August 2021 liegt nach dem Stand "
     "der Seite (06.07.2021) – frühere Beobachtungen eintragen; den aktuellen Stand in die "
     "Felder des Datensatzes schreiben"),
    (HEAD + "history:\n  - {date: 2020, status: offen}\n---\n",
     "content/measures/online-termin.md:7: history[0].status: Status 'offen' ist unbekannt – "
     "erlaubt sind: geplant, in_umsetzung, abgeschlossen, zurueckgestellt, eingestellt "
     "(meinten Sie 'geplant'?)"),
    (HEAD + "history:\n  - {date: 2020, source: vorlag, section: '1.1'}\n---\n",
     "content/measures/online-termin.md:7: source: Quelle 'vorlag' gibt es nicht – "
     "meinten Sie 'vorlage'?"),
    (HEAD + "history:\n  - {date: 2020, stauts: geplant}\n---\n",
     "content/measures/online-termin.md:7: history[0].stauts: unbekanntes Feld 'stauts' – "
     "meinten Sie 'status'?"),
    ("---\ntitle: T\nprogram: buergerservices\nstatus: eingestellt\n---\n",
     "content/measures/online-termin.md:4: reason: Pflichtfeld bei Status 'eingestellt' fehlt "
     "– 'reason: …' ergänzen: warum die Maßnahme nicht weiterverfolgt wird"),
    ("---\ntitle: T\nprogram: buergerservices\nstatus: geplant\nreason: weil\n---\n",
     "content/measures/online-termin.md:5: reason: Begründung nur bei Status 'eingestellt' "
     "oder 'zurueckgestellt' – Feld 'reason' entfernen oder Status anpassen"),
])
def test_history_problems(make_site: MakeSite, text: str, expected: str) -> None:
    assert check_lines(make_site({MEASURE: text})) == [expected]


def test_service_history_is_checked(make_site: MakeSite) -> None:
    ozg = ("services:\n"
           "  - {id: a, title: A, status: online, sources: [{source: vorlage, section: '1.1'}]}\n"
           "  - id: b\n    title: B\n    status: online\n"
           "    sources: [{source: vorlage, section: '1.1'}]\n"
           "    history:\n      - {date: 2021-Q1, status: in_umsetzung}\n"
           "      - {date: 2020, status: STATUS}\n")
    wrong = make_site({"ozg/dienste.yaml": ozg.replace("STATUS", "abgeschlossen")})
    assert check_lines(wrong) == [
        "content/ozg/dienste.yaml:9: services[1].history[1].status: Status 'abgeschlossen' "
        "ist unbekannt – erlaubt sind: online, in_umsetzung, geplant, offen"]
    unsorted = make_site({"ozg/dienste.yaml": ozg.replace("STATUS", "geplant")})
    assert check_lines(unsorted) == [
        "content/ozg/dienste.yaml:9: services[1].history[1].date: 2020 liegt vor dem vorigen "
        "Eintrag (1. Quartal 2021) – Einträge nach Datum aufsteigend ordnen"]


def build_page(site: Path, path: str) -> str:
    out = site / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    return (out / path).read_text(encoding="utf-8")


def test_measure_page_shows_timeline_slippage_and_overdue(make_site: MakeSite) -> None:
    site = make_site({MEASURE: HEAD + HISTORY + "sources:\n"
                      "  - {source: vorlage, section: '1.1.1'}\n---\nText\n"})
    html = build_page(site, "massnahmen/online-termin/index.html")
    text = " ".join(html.split())
    assert 'geplant seit <time datetime="2019-07">Juli 2019</time>' in text
    assert 'in Umsetzung seit <time datetime="2020-02">Februar 2020</time>' in text
    # baseline 2020 (history) against the current end 2. Quartal 2021: counted in years
    assert "Ende verschoben von 2020 auf 2. Quartal 2021 (+1 Jahr)" in text
    # as_of 2021-07-06 lies after the second quarter of 2021
    assert 'class="flag-overdue">überfällig' in text
    assert text.count("(Quelle: ") == 2


def test_dropped_measure_shows_its_reason(make_site: MakeSite) -> None:
    site = make_site({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: eingestellt\n"
                      "end: 2020\nreason: Durch ein Landesangebot ersetzt.\n---\n"})
    html = build_page(site, "massnahmen/online-termin/index.html")
    assert "Durch ein Landesangebot ersetzt." in html
    assert "überfällig" not in html
    listing = build_page(site, "massnahmen/status/eingestellt/index.html")
    assert "Online-Terminvereinbarung" not in listing and ">T</a>" in listing
