"""`dmoves-site new update|measure`: commented templates that pass `check`, never overwrite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site.scaffold import slugify
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def new(site: Path, *args: str) -> tuple[int, str]:
    result = run_cli("--site", str(site), "new", *args)
    return result.exit_code, result.output


def check(site: Path) -> tuple[int, str]:
    result = run_cli("--site", str(site), "check")
    return result.exit_code, result.output


@pytest.mark.parametrize(("title", "slug"), [
    ("Straße", "strasse"),
    ("Bürgerbüro", "buergerbuero"),
    ("Ärger über Öl", "aerger-ueber-oel"),
    ("  WLAN im Rathaus: Fraktionsräume!  ", "wlan-im-rathaus-fraktionsraeume"),
    ("93 Online-Dienste – 2021", "93-online-dienste-2021"),
    ("Café & Crème", "cafe-creme"),
    ("E-Akte/DMS (Stufe 2)", "e-akte-dms-stufe-2"),
    ("€ §", ""),
])
def test_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("Die Stadtverwaltung führt die elektronische Akte in allen Ämtern und "
                   "Eigenbetrieben ein")
    assert len(slug) <= 60 and not slug.endswith("-")
    assert slug == "die-stadtverwaltung-fuehrt-die-elektronische-akte-in-allen"


def test_new_update_creates_a_commented_file_that_builds(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    site = make_site({})
    code, output = new(site, "update", "Neue Online-Termine im Bürgerbüro", "--date",
                       "2024-05-02", "--measure", "online-termin")
    assert code == 0, output
    path = site / "content/updates/2024-05-02-neue-online-termine-im-buergerbuero.md"
    assert f"Angelegt: {path.relative_to(site).as_posix()}" in output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# ")
    assert 'title: "Neue Online-Termine im Bürgerbüro"' in text
    assert "date: 2024-05-02" in text
    assert "measures: [online-termin]" in text
    assert "draft: true" in text
    for field in ("title:", "date:", "measures:", "draft:"):
        line = next(i for i, ln in enumerate(text.splitlines()) if ln.startswith(field))
        assert text.splitlines()[line - 1].startswith("# "), f"no comment above {field}"
    code, output = check(site)
    assert code == 0, output
    about_it = [ln for ln in output.splitlines() if "neue-online-termine" in ln]
    # the only remark: the body placeholder still has to be written
    assert len(about_it) == 1 and "Warnung: Platzhalter: Text der Meldung" in about_it[0]
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--drafts",
                     "--no-images", "--no-search")
    assert result.exit_code == 0, result.output
    page = (out / "aktuelles/neue-online-termine-im-buergerbuero/index.html").read_text(
        encoding="utf-8")
    assert "Neue Online-Termine im Bürgerbüro" in page
    assert "Bitte ergänzen" in page  # the body placeholder is highlighted


def test_new_update_without_draft_is_published(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    code, output = new(site, "update", "Fertig", "--date", "2024-05-02", "--no-draft")
    assert code == 0, output
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    assert (out / "aktuelles/fertig/index.html").is_file()


def test_new_update_defaults_to_today(make_site: MakeSite) -> None:
    site = make_site({})
    code, output = new(site, "update", "Heute")
    assert code == 0, output
    today = dt.date.today().isoformat()
    assert (site / f"content/updates/{today}-heute.md").is_file()


def test_running_twice_does_not_overwrite(make_site: MakeSite) -> None:
    site = make_site({})
    assert new(site, "update", "Zweimal", "--date", "2024-05-02")[0] == 0
    path = site / "content/updates/2024-05-02-zweimal.md"
    path.write_text(path.read_text(encoding="utf-8") + "Mein Text.\n", encoding="utf-8")
    before = path.read_bytes()
    code, output = new(site, "update", "Zweimal", "--date", "2024-05-02")
    assert code == 1
    assert "content/updates/2024-05-02-zweimal.md gibt es schon – nichts überschrieben" in output
    assert path.read_bytes() == before


def test_same_title_on_another_day_is_refused(make_site: MakeSite) -> None:
    site = make_site({})
    code, output = new(site, "update", "Start", "--date", "2024-05-02")
    assert code == 1
    assert "Eine Meldung mit der Kennung 'start' gibt es schon: " \
           "content/updates/2021-07-06-start.md" in output
    assert not (site / "content/updates/2024-05-02-start.md").exists()


def test_unknown_ids_suggest_close_matches(make_site: MakeSite) -> None:
    site = make_site({})
    code, output = new(site, "update", "Termine", "--measure", "online-termn", "--program",
                       "buergerservice")
    assert code == 1
    assert "Maßnahme 'online-termn' gibt es nicht – meinten Sie 'online-termin'?" in output
    assert "Programm 'buergerservice' gibt es nicht – meinten Sie 'buergerservices'?" in output
    assert "Nichts angelegt." in output
    assert sorted(p.name for p in (site / "content/updates").iterdir()) == \
        ["2021-07-06-start.md"]


@pytest.mark.parametrize(("args", "message"), [
    (("--date", "06.07.2021"), "--date: ungültiges Datum '06.07.2021'"),
    (("--date", "2021-07"), "--date: vollständiges Datum erwartet"),
])
def test_bad_dates(make_site: MakeSite, args: tuple[str, ...], message: str) -> None:
    code, output = new(make_site({}), "update", "Datum", *args)
    assert code == 1 and message in output


def test_title_without_letters_is_refused(make_site: MakeSite) -> None:
    code, output = new(make_site({}), "update", "€ !", "--date", "2024-05-02")
    assert code == 1 and "lässt sich kein Dateiname bilden" in output


def test_new_measure_creates_a_file_that_checks(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    code, output = new(site, "measure", "Digitale Schöffenwahl", "--program", "buergerservices")
    assert code == 0, output
    path = site / "content/measures/digitale-schoeffenwahl.md"
    text = path.read_text(encoding="utf-8")
    assert "program: buergerservices" in text and "status: geplant" in text
    assert "# Stand: geplant, in_umsetzung, abgeschlossen, zurueckgestellt oder eingestellt" in text
    code, output = check(site)
    assert code == 0, output
    code, output = new(site, "measure", "Digitale Schöffenwahl", "--program", "buergerservices")
    assert code == 1 and "content/measures/digitale-schoeffenwahl.md gibt es schon" in output
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--drafts",
                     "--no-images", "--no-search")
    assert result.exit_code == 0, result.output
    assert (out / "massnahmen/digitale-schoeffenwahl/index.html").is_file()


def test_new_measure_checks_program_and_status(make_site: MakeSite) -> None:
    site = make_site({})
    code, output = new(site, "measure", "X", "--program", "buergerservise")
    assert code == 1
    assert "Programm 'buergerservise' gibt es nicht – meinten Sie 'buergerservices'?" in output
    code, output = new(site, "measure", "X", "--program", "buergerservices", "--status",
                       "in Umsetzung")
    assert code == 1
    assert "meinten Sie 'in_umsetzung'?" in output
    code, output = new(site, "measure", "X", "--program", "buergerservices", "--status",
                       "in_umsetzung")
    assert code == 0, output
    assert "status: in_umsetzung" in (site / "content/measures/x.md").read_text(
        encoding="utf-8")
    assert not (site / "content/measures/x.md.tmp").exists()


def test_created_files_check_on_the_bundled_site(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import ROOT

    site = tmp_path / "bundled"
    shutil.copytree(ROOT / "content", site / "content")
    assert new(site, "update", "Neue E-Akte im Jugendamt", "--measure", "e-akte",
               "--program", "digitale-verwaltung", "--date", "2024-05-02")[0] == 0
    assert new(site, "measure", "KI-Assistenz im Bürgerservice", "--program",
               "digitale-buergerservices", "--status", "in_umsetzung")[0] == 0
    code, output = check(site)
    assert code == 0, output
    assert "0 Fehler" in output
