"""A federal-style OZG catalogue of any size, written as the CSV a city downloads
(semicolons, Windows-1252), and a site that imports and builds it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli, write_site

THEMENFELDER = ("Arbeit & Ruhestand", "Bauen & Wohnen", "Bildung", "Ein- und Auswanderung",
                "Engagement & Hobby", "Familie & Kind", "Forschung & Förderung", "Gesundheit",
                "Mobilität & Reisen", "Querschnitt", "Recht & Ordnung", "Steuern & Zoll",
                "Umwelt", "Unternehmensführung & -entwicklung")
LEBENSLAGEN = ("Geburt", "Umzug", "Heirat", "Hausbau", "Gründung", "Ruhestand", "Führerschein",
               "Studium", "Pflege", "Tod und Erbe")
STATUS_WORDS = ("online", "in Umsetzung", "geplant", "offen", "verfügbar")
SOURCE: dict[str, str | bytes | None] = {"sources/ozg-katalog.yaml": """\
    title: OZG-Umsetzungskatalog
    kind: sonstige
    date: 2024-01-15
    publisher: Bundesministerium des Innern und für Heimat
    """}


def catalogue_rows(count: int) -> list[tuple[str, ...]]:
    """`count` services: OZG-ID, name, Themenfeld, Lebenslage, status word, Reifegrad."""
    rows: list[tuple[str, ...]] = []
    for i in range(count):
        status = STATUS_WORDS[i % len(STATUS_WORDS)]
        reifegrad = {"online": 3, "verfügbar": 4, "in Umsetzung": 2, "geplant": 1,
                     "offen": 0}[status]
        rows.append((str(10001 + i), f"Leistung {i + 1:03d} {LEBENSLAGEN[i % 7]}",
                     THEMENFELDER[i % len(THEMENFELDER)], LEBENSLAGEN[i % len(LEBENSLAGEN)],
                     status, str(reifegrad)))
    return rows


def catalogue_csv(path: Path, count: int) -> Path:
    header = "OZG-ID;Leistungsbezeichnung;Themenfeld;Lebenslage;Status;Reifegrad"
    lines = [header, *(";".join(row) for row in catalogue_rows(count))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def catalogue_site(root: Path, count: int) -> tuple[Path, str]:
    """A site with `count` imported services; returns it and the import's output."""
    site = write_site(root / "site", SOURCE)
    csv = catalogue_csv(root / "OZG-Katalog.csv", count)
    result = run_cli("--site", str(site), "import", "ozg", str(csv), "--source", "ozg-katalog")
    assert result.exit_code == 0, result.output
    return site, result.output
