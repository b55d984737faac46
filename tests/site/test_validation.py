"""Each validation rule gives its exact `path:line: field: message`, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def check_lines(site: Path) -> list[str]:
    result = run_cli("--site", str(site), "check")
    assert result.exit_code in (0, 1), result.output
    return [ln for ln in result.output.splitlines() if ": " in ln and "Warnung" not in ln
            and not ln.startswith(("0 Fehler", "1 Fehler"))]


def test_minimal_site_checks_clean(make_site: MakeSite) -> None:
    result = run_cli("--site", str(make_site({})), "check")
    assert result.exit_code == 0, result.output


MEASURE = "measures/online-termin.md"


@pytest.mark.parametrize(("files", "expected"), [
    ({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: in Umsetzung\n---\n"},
     "content/measures/online-termin.md:4: status: Status 'in Umsetzung' ist unbekannt – "
     "erlaubt sind: geplant, in_umsetzung, abgeschlossen, zurueckgestellt, eingestellt "
     "(meinten Sie 'in_umsetzung'?)"),
    ({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: geplant\nstauts: x\n---\n"},
     "content/measures/online-termin.md:5: stauts: unbekanntes Feld 'stauts' – "
     "meinten Sie 'status'?"),
    ({MEASURE: "---\ntitle: T\nprogram: buergerservise\nstatus: geplant\n---\n"},
     "content/measures/online-termin.md:3: program: Programm 'buergerservise' gibt es nicht – "
     "meinten Sie 'buergerservices'?"),
    ({MEASURE: "---\nprogram: buergerservices\nstatus: geplant\n---\n"},
     "content/measures/online-termin.md:2: title: Pflichtfeld fehlt – 'title: …' ergänzen"),
    ({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: geplant\nend: 2021-13\n---\n"},
     "content/measures/online-termin.md:5: end: ungültiges Datum '2021-13' – Format "
     "JJJJ-MM-TT, JJJJ-MM, JJJJ-Qn oder JJJJ (z. B. 2021-07-06)"),
    ({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: geplant\n"},
     "content/measures/online-termin.md:1: front matter: Front Matter wird nicht mit '---' "
     "geschlossen – nach dem letzten Feld eine Zeile mit '---' einfügen"),
    ({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: geplant\n"
               "sources:\n\t- {source: vorlage, section: '1'}\n---\n"},
     "content/measures/online-termin.md:6: yaml: Tabulatorzeichen in YAML – YAML erlaubt nur "
     "Leerzeichen zum Einrücken"),
    ({MEASURE: "---\ntitle: T\ntitle: U\nprogram: buergerservices\nstatus: geplant\n---\n"},
     "content/measures/online-termin.md:3: yaml: Feld 'title' steht doppelt – erstes "
     "Vorkommen in Zeile 2"),
    ({"updates/2021-07-06-start.md": "---\ntitle: Start\nmeasures: [online-termn]\n---\n"},
     "content/updates/2021-07-06-start.md:2: date: Pflichtfeld fehlt – 'date: JJJJ-MM-TT' "
     "ergänzen, z. B. date: 2021-07-06"),
    ({"updates/2021-07-06-start.md": "---\ntitle: S\ndate: 2021-07-06\n"
                                     "measures: [online-termn]\n---\n"},
     "content/updates/2021-07-06-start.md:4: measures: Maßnahme 'online-termn' gibt es nicht – "
     "meinten Sie 'online-termin'?"),
    ({"programs/buergerservices.yaml": ""},
     "content/programs/buergerservices.yaml:1: datei: Datei ist leer – mindestens die "
     "Pflichtfelder eintragen"),
    ({"programs/buergerservices.yaml": "- a\n- b\n"},
     "content/programs/buergerservices.yaml:1: datei: Datei enthält keine Zuordnung "
     "(Feld: Wert) – jede Zeile beginnt mit einem Feldnamen, z. B. 'title: …'"),
    ({"programs/buergerservices.yaml": b"number: 1\ntitle: B\xfcrger\n"},
     "content/programs/buergerservices.yaml:2: datei: ungültiges UTF-8 in Zeile 2 – bitte als "
     "UTF-8 speichern"),
    ({"programs/buergerservices.yaml": "\ufeffnumber: 1".encode("utf-16")},
     "content/programs/buergerservices.yaml:1: datei: Datei ist UTF-16 kodiert – bitte als "
     "UTF-8 speichern"),
    ({"measures/Böse Datei.md": "---\ntitle: T\nprogram: buergerservices\nstatus: geplant\n---\n"},
     "content/measures/Böse Datei.md:1: id: Dateiname ergibt ungültige Kennung 'Böse Datei' – "
     "nur Kleinbuchstaben a–z, Ziffern und Bindestriche (ä → ae, ß → ss)"),
    ({"measures/zwei.md": "---\nid: online-termin\ntitle: T\nprogram: buergerservices\n"
                          "status: geplant\n---\n"},
     "content/measures/zwei.md:1: id: Kennung 'online-termin' ist bereits vergeben – auch in "
     "content/measures/online-termin.md"),
    ({"measures/x.md": "---\nid: ../../etc/passwd\ntitle: T\nprogram: buergerservices\n"
                       "status: geplant\n---\n"},
     "content/measures/x.md:2: id: ungültige Kennung '../../etc/passwd' – nur Kleinbuchstaben "
     "a–z, Ziffern und Bindestriche (ä → ae, ß → ss)"),
])
def test_each_error_has_exact_message(make_site: MakeSite, files: dict[str, str | bytes | None],
                                      expected: str) -> None:
    lines = check_lines(make_site(files))
    assert expected in lines, "\n".join(lines)


def test_all_problems_reported_at_once_sorted(make_site: MakeSite) -> None:
    site = make_site({
        MEASURE: "---\ntitle: T\nprogram: nix\nstatus: offen\n---\n",
        "kpis/dienste.yaml": "title: K\nunit: Anzahl\npoints:\n  - {date: 2021, value: x, "
                             "source: vorlage, section: '1.1'}\n",
    })
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    # the fixture's placeholder base_url adds a warning; the three errors are the point
    errors = [ln for ln in result.output.splitlines() if ln.startswith("content/")
              and "Warnung" not in ln]
    assert len(errors) == 3
    assert errors == sorted(errors)


def test_check_json_format(make_site: MakeSite) -> None:
    site = make_site({MEASURE: "---\ntitle: T\nprogram: buergerservices\nstatus: x\n---\n"})
    result = run_cli("--site", str(site), "check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 1
    [problem] = [p for p in data["problems"] if p["severity"] == "error"]
    assert (problem["path"], problem["line"], problem["field"]) == (
        "content/measures/online-termin.md", 4, "status")


def test_budget_difference_is_a_warning_with_table_line_year(make_site: MakeSite) -> None:
    site = make_site({"budgets/tabelle.yaml": """\
        title: Tabelle
        unit: TEUR
        years: [2022, 2023]
        sources: [{source: vorlage, section: "1.1"}]
        lines:
          - {id: a, label: A, kind: item, values: [625, 1]}
          - {id: b, label: B, kind: item, values: [750, 1]}
          - {id: summe, label: Summe, kind: subtotal, values: [1376, 2], sum_of: [a, b]}
        """})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 0
    assert ("content/budgets/tabelle.yaml:8: lines.summe: Warnung: Summenprüfung tabelle/summe, "
            "2022: angegeben 1.376, berechnet 1.375") in result.output


def test_section_missing_in_document_warns(make_site: MakeSite) -> None:
    site = make_site({"kpis/dienste.yaml": "title: K\nunit: Anzahl\npoints:\n"
                      "  - {date: 2021, value: 1, source: vorlage, section: '9.9'}\n"})
    result = run_cli("--site", str(site), "check")
    assert "content/kpis/dienste.yaml:4: section: Warnung: Abschnitt '9.9' kommt im Dokument" \
        in result.output


@pytest.mark.parametrize("blob", [
    "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]\n",
    "a: " + "[" * 500 + "]" * 500 + "\n",
])
def test_hostile_yaml_is_rejected_quickly(make_site: MakeSite, blob: str) -> None:
    lines = check_lines(make_site({"programs/buergerservices.yaml": blob}))
    assert any(ln.startswith("content/programs/buergerservices.yaml:") for ln in lines), lines


@pytest.mark.parametrize(("front", "expected"), [
    ("title: Neu: WLAN im Rathaus\ndate: 2021-07-06\n",
     "content/updates/2021-07-06-start.md:2: yaml: Doppelpunkt im Wert – den ganzen Wert in "
     'Anführungszeichen setzen: title: "…: …"'),
    ('title: "WLAN im Rathaus\ndate: 2021-07-06\nsummary: x\n',
     "content/updates/2021-07-06-start.md:2: yaml: Anführungszeichen wird nicht geschlossen – "
     "am Ende des Werts dasselbe Anführungszeichen setzen"),
    ("title: WLAN\ndate:2021-07-06\nsummary: x\n",
     "content/updates/2021-07-06-start.md:3: yaml: nach dem Doppelpunkt fehlt ein Leerzeichen – "
     "z. B. 'date: 2021-07-06' statt 'date:2021-07-06'"),
    ("title: WLAN\n",
     "content/updates/2021-07-06-start.md:2: date: Pflichtfeld fehlt – 'date: JJJJ-MM-TT' "
     "ergänzen, z. B. date: 2021-07-06"),
    ("title: WLAN\ndate: 2021-07-06\nmeasures: online-termin\n",
     "content/updates/2021-07-06-start.md:4: measures: Liste erwartet – in eckige Klammern "
     "setzen: [online-termin]"),
])
def test_common_editor_mistakes_get_german_hints(make_site: MakeSite, front: str,
                                                 expected: str) -> None:
    lines = check_lines(make_site({"updates/2021-07-06-start.md": f"---\n{front}---\nText\n"}))
    assert expected in lines, "\n".join(lines)


def test_status_synonym_gets_suggestion(make_site: MakeSite) -> None:
    lines = check_lines(make_site({MEASURE: "---\ntitle: T\nprogram: buergerservices\n"
                                            "status: fertig\n---\n"}))
    assert any("Status 'fertig' ist unbekannt" in ln and "meinten Sie 'abgeschlossen'?" in ln
               for ln in lines), lines


def test_hashtag_in_unquoted_value_warns(make_site: MakeSite) -> None:
    site = make_site({"updates/2021-07-06-start.md":
                      "---\ntitle: Neu im Rathaus #WLAN\ndate: 2021-07-06\n---\nText\n"})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 0
    assert ("content/updates/2021-07-06-start.md:2: title: Warnung: Text nach ' #' gilt in YAML "
            "als Kommentar") in result.output
