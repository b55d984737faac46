"""Cited sections: heading numbers and phrases are checked, other passage ids are not, and a
long list never gives one warning per row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dmoves_site.build import check
from dmoves_site.load import is_checked_section

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def test_which_sections_are_checked() -> None:
    assert is_checked_section("1.1.4") and is_checked_section("3")
    assert is_checked_section("Finanzielle Auswirkungen")
    assert is_checked_section("Gesamtdarstellung")
    assert not is_checked_section("10001")           # an OZG-ID
    assert not is_checked_section("OZG-10001")
    assert not is_checked_section("99115001000000")  # a LeiKa key


def services(sections: list[str]) -> str:
    rows = [f"  - {{id: dienst-{i}, title: Dienst {i}, status: online, sources: "
            f"[{{source: vorlage, section: \"{s}\"}}]}}" for i, s in enumerate(sections)]
    return "services:\n" + "\n".join(rows) + "\n"


def section_warnings(site: Path) -> list[str]:
    _content, report = check(site)
    return [p.format() for p in report.warnings if p.field == "section"]


def test_ozg_ids_as_sections_give_no_warnings(make_site: MakeSite) -> None:
    site = make_site({"ozg/katalog.yaml": services([str(10000 + i) for i in range(600)])})
    assert section_warnings(site) == []


def test_few_missing_phrases_are_each_reported(make_site: MakeSite) -> None:
    site = make_site({"ozg/katalog.yaml": services(["Übersicht", "Gibt es nicht",
                                                    "Auch nicht"])})
    warnings = section_warnings(site)
    assert len(warnings) == 2
    assert warnings[0].startswith("content/ozg/katalog.yaml:3: section: Warnung: Abschnitt "
                                  "'Gibt es nicht' kommt")


def test_many_missing_sections_in_one_file_are_one_warning(make_site: MakeSite) -> None:
    site = make_site({"ozg/katalog.yaml": services([f"Kapitel {i}" for i in range(50)])})
    warnings = section_warnings(site)
    assert warnings == ["content/ozg/katalog.yaml:2: section: Warnung: 50 zitierte Abschnitte "
                        "kommen im Dokument der Quelle 'vorlage' nicht vor, z. B. 'Kapitel 0', "
                        "'Kapitel 1', 'Kapitel 2' – Abschnittsnummer oder Überschrift wörtlich "
                        "angeben"]
