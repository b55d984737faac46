"""Bad input and a hostile machine give a problem line, never a traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import output
from tests.conftest import MINIMAL, run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
HUGE = ["12345678901234567890123456789", "1.0e+308", "1.0e999", "9" * 5000, "-1.0e308"]


def check(site: Path) -> tuple[int, str]:
    result = run_cli("--site", str(site), "check")
    return result.exit_code, result.output


def build(site: Path, out: Path) -> tuple[int, str]:
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    return result.exit_code, result.output


@pytest.mark.parametrize("value", HUGE)
def test_huge_numbers_are_content_errors(make_site: MakeSite, tmp_path: Path,
                                         value: str) -> None:
    measure = MINIMAL["measures/online-termin.md"].replace(
        "start: 2020-07", f"start: 2020-07\n        budget: {{amount: {value}, unit: TEUR}}")
    files = {
        "budgets/tabelle.yaml": MINIMAL["budgets/tabelle.yaml"].replace("values: [1, 2]",
                                                                         f"values: [{value}, 2]"),
        "kpis/dienste.yaml": MINIMAL["kpis/dienste.yaml"].replace("value: 63", f"value: {value}"),
        "measures/online-termin.md": measure,
    }
    site = make_site(files)
    lines = {rel: next(number for number, line in enumerate(
        (site / "content" / rel).read_text("utf-8").splitlines(), start=1) if value in line)
        for rel in files}
    code, out = check(site)
    assert code == 1, out
    for rel, field in (("budgets/tabelle.yaml", "lines[0].values"),
                       ("kpis/dienste.yaml", "points[0].value"),
                       ("measures/online-termin.md", "budget.amount")):
        where = f"content/{rel}:{lines[rel]}: {field}: Zahl ist zu groß"
        assert where in out, out
    assert build(site, tmp_path / "out")[0] == 1
    assert len(out) < 5000  # the 5.000 digits are not repeated back


@pytest.mark.parametrize(("name", "message"), [
    ("a" * 240, "eine zu lange Kennung (240 Zeichen)"),
    ("con", "die unter Windows reservierte Kennung 'con'"),
    ("nul", "die unter Windows reservierte Kennung 'nul'"),
    ("lpt1", "die unter Windows reservierte Kennung 'lpt1'"),
])
def test_ids_that_cannot_be_file_names(make_site: MakeSite, tmp_path: Path, name: str,
                                       message: str) -> None:
    site = make_site({f"measures/{name}.md": MINIMAL["measures/online-termin.md"]})
    code, out = check(site)
    assert code == 1
    assert f"content/measures/{name}.md:1: id: Dateiname ergibt {message}" in out, out
    assert build(site, tmp_path / "out")[0] == 1


def test_an_id_of_100_characters_builds(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({f"measures/{'a' * 100}.md": MINIMAL["measures/online-termin.md"]})
    code, out = build(site, tmp_path / "out")
    assert code == 0, out


def test_out_is_a_file_or_under_a_file(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    file = tmp_path / "datei"
    file.write_text("bleibt", encoding="utf-8")
    code, out = build(site, file)
    assert code == 1 and f"{file}: --out: ist eine Datei, kein Ordner" in out
    code, out = build(site, file / "unter")
    assert code == 1, out
    assert "Schreiben fehlgeschlagen: ein Teil des Pfads ist eine Datei, kein Ordner" in out
    assert file.read_text(encoding="utf-8") == "bleibt"


@pytest.mark.parametrize(("number", "reason"), [
    (errno.EROFS, "das Dateisystem ist schreibgeschützt"),
    (errno.ENOSPC, "kein Speicherplatz mehr frei"),
])
def test_read_only_or_full_disk_keeps_the_last_build(make_site: MakeSite, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     number: int, reason: str) -> None:
    site = make_site({})
    out = tmp_path / "out"
    assert build(site, out)[0] == 0
    before = (out / "index.html").read_bytes()
    real = output.create
    calls = {"n": 0}

    def failing(target: Path, data: bytes) -> None:
        calls["n"] += 1
        # the third new file: a cached build links unchanged files, but makes at least the
        # feed, sitemap, robots.txt, data package and folder marker anew
        if calls["n"] > 2:
            raise OSError(number, os.strerror(number), str(target))
        real(target, data)

    monkeypatch.setattr(output, "create", failing)
    code, text = build(site, out)
    monkeypatch.undo()
    assert code == 1
    assert f"{out}: --out: Schreiben fehlgeschlagen: {reason}" in text
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_unreadable_content_folder(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
                                   ) -> None:
    site = make_site({})
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "measures":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out = check(site)
    assert code == 1
    assert "content/measures: ordner: Ordner nicht lesbar: Permission denied" in out, out


@pytest.mark.parametrize("reference", ["&#14;", "&#x1b;", "&#127;"])
def test_character_reference_to_a_control_character(make_site: MakeSite,
                                                    reference: str) -> None:
    site = make_site({"kpis/dienste.yaml": MINIMAL["kpis/dienste.yaml"].replace(
        "title: Online-Dienste", f"title: 'Online{reference}Dienste'")})
    code, out = check(site)
    assert code == 1
    assert (f"content/kpis/dienste.yaml:1: yaml: Zeichenreferenz {reference} steht für ein "
            "unsichtbares Steuerzeichen") in out, out


def test_entries_that_are_not_read_are_named(make_site: MakeSite) -> None:
    site = make_site({"measures/alt/online-termin.md": MINIMAL["measures/online-termin.md"]})
    content = site / "content"
    (content / "measures/ordner.md").mkdir()
    (content / "measures/weg.md").symlink_to(content / "measures/gibt-es-nicht.md")
    os.mkfifo(content / "measures/pipe.md")
    code, out = check(site)
    assert code == 0, out
    for rel, message in (("measures/alt", "Unterordner wird ignoriert"),
                         ("measures/ordner.md", "Unterordner wird ignoriert"),
                         ("measures/weg.md", "Verknüpfung (Symlink) zeigt ins Leere"),
                         ("measures/pipe.md", "keine gewöhnliche Datei")):
        assert f"content/{rel}: datei: Warnung: {message}" in out, out


def test_links_out_of_static_and_of_site_yaml_are_refused(make_site: MakeSite,
                                                          tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("Passwort", encoding="utf-8")
    site = make_site({})
    (site / "static").mkdir()
    (site / "static/geheim.txt").symlink_to(secret)
    code, out = build(site, tmp_path / "out")
    assert code == 1
    assert "static/geheim.txt: datei: Verknüpfung (Symlink) zeigt aus static/ heraus" in out
    assert not (tmp_path / "out").exists()

    (site / "static/geheim.txt").unlink()
    outside = tmp_path / "site.yaml"
    outside.write_bytes((site / "content/site.yaml").read_bytes())
    (site / "content/site.yaml").unlink()
    (site / "content/site.yaml").symlink_to(outside)
    code, out = check(site)
    assert code == 1
    assert "content/site.yaml: datei: Verknüpfung (Symlink) zeigt aus content/ heraus" in out
