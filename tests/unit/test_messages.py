"""The message catalogue: one file per language, terms as parameters, no text left in code."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import messages
from tests.conftest import ROOT, run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]

TEMPLATES = ROOT / "dmoves_site" / "theme" / "templates"


def test_texts_are_looked_up_by_dotted_key() -> None:
    t = messages.catalogue("de")
    assert t("nav.home") == "Start"
    assert t("status.in_umsetzung") == "in Umsetzung"


def test_terms_fill_every_text_that_names_them() -> None:
    t = messages.catalogue("de", {"program": "Handlungsfeld", "programs": "Handlungsfelder"})
    assert t("nav.programs") == "Handlungsfelder"
    assert t("chart.status_by_program.title") == "Umsetzungsstand je Handlungsfeld"
    # parameters given by the caller win over nothing: both are filled
    assert t("home.card_meta", total=3, done=1) == "3 Maßnahmen, davon 1 abgeschlossen"


def test_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError, match=r"nav\.hom"):
        messages.catalogue("de")("nav.hom")


def test_site_overrides_single_texts(tmp_path: Path) -> None:
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "de.yaml").write_text("nav:\n  home: Übersicht\n", encoding="utf-8")
    t = messages.catalogue("de", site_dir=tmp_path)
    assert t("nav.home") == "Übersicht"
    assert t("nav.search") == "Suche"    # the rest stays the theme's


def test_every_key_used_by_a_template_exists() -> None:
    t = messages.catalogue("de")
    used = set()
    for path in TEMPLATES.iterdir():
        used |= set(re.findall(r"""\bt\("([a-z_.]+)"[,)]""", path.read_text(encoding="utf-8")))
    assert used, "templates use the catalogue"
    missing = sorted(k for k in used if not t.has(k))
    assert not missing


def test_every_key_used_in_python_exists() -> None:
    """Keys the code looks up literally (`t("…")`, `model.t("…")`) are in the catalogue."""
    t = messages.catalogue("de")
    used = set()
    for path in (ROOT / "dmoves_site").rglob("*.py"):
        if path.name == "messages.py":      # its docstring's examples
            continue
        used |= set(re.findall(r"""\bt\(\s*"([a-z_.]+)"[,)]""", path.read_text(encoding="utf-8")))
    assert len(used) > 50, "the code uses the catalogue"
    assert not sorted(k for k in used if not t.has(k))


def test_every_text_formats_with_the_terms() -> None:
    """No catalogue text names a parameter by a typo of a term (a KeyError at build time)."""
    t = messages.catalogue("de")
    for key, text in t.texts.items():
        names = set(re.findall(r"\{(\w+)\}", text))
        if names <= set(messages.TERM_KEYS):
            assert "{" not in t(key), key


# --- no German text in the templates outside t(...) ---------------------------------------

JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
STRING = re.compile(r"""(\bt(?:\.has)?\(\s*)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
# German letters, or a common German word (function words and the theme's own vocabulary)
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(?:und|oder|der|die|das|den|dem|des|ein|eine|einer|mit|von|vom|zu|zum|zur"
    r"|im|ist|sind|nicht|kein|keine|auf|aus|bis|seit|nach|bei|noch|alle|Alle|ja|nein|gesamt"
    r"|Stand|Seite|Seiten|Grafik|Quelle|Quellen|Zeitplan|Programm|Programme|Daten|Datum"
    r"|Tabelle|Verlauf|Dienst|Dienste|Suche|Filtern|Zitieren|Start|Ende|Anmerkung|Wert"
    r"|Fortschritt|Kennzahl|Kennzahlen|Haushalt|Meldung|Meldungen|Zahlen|Lizenz)\b")
# literals in Jinja expressions that are data, not text
NOT_TEXT = {
    '"Gesamt"': "budget.html: the key of a budget's row total in the sum differences",
    '"BITTE"': "_footer.html: the marker of an unfilled placeholder in site.yaml",
}


def german_outside_catalogue(source: str) -> list[str]:
    """German words in text and attributes outside Jinja tags, and in string literals of
    Jinja expressions that are not a key given to t() (scripts and styles are code)."""
    found = []
    for tag in JINJA_TAG.finditer(source):
        for literal in STRING.finditer(tag.group()):
            text = literal.group(2)
            if not literal.group(1) and text not in NOT_TEXT and GERMAN.search(text):
                found.append(text)
    markup = SCRIPT.sub(" ", JINJA_TAG.sub(" ", source))
    for line in markup.splitlines():
        if GERMAN.search(line):
            found.append(line.strip())
    return found


def test_templates_have_no_german_text_outside_the_catalogue() -> None:
    """Every word a visitor reads comes from t(...): a city changes it in messages/de.yaml."""
    found = {path.name: hits for path in sorted(TEMPLATES.iterdir())
             if (hits := german_outside_catalogue(path.read_text(encoding="utf-8")))}
    assert not found


def test_the_template_check_finds_german_text() -> None:
    assert german_outside_catalogue("<h1>Zeitplan</h1>")
    assert german_outside_catalogue('<a title="Änderungen" href="x">x</a>')
    assert german_outside_catalogue('{{ "unverändert" if r.baseline else "–" }}')
    assert german_outside_catalogue('{{ table(rows, "Zeitplan der Maßnahmen") }}')
    assert not german_outside_catalogue('<h1>{{ t("schedule.heading") }}</h1>')
    assert not german_outside_catalogue('<td>{{ t("status." ~ s) if t.has("status." ~ s) }}')
    assert not german_outside_catalogue("<script>const Ende = 1;</script>{# für später #}")


def test_a_site_overrides_moved_texts_in_the_built_pages(make_site: MakeSite,
                                                         tmp_path: Path) -> None:
    site = make_site({})
    (site / "messages").mkdir()
    (site / "messages" / "de.yaml").write_text(
        "schedule:\n  heading: Terminplan der Stadt\n"
        "page_title:\n  changes: Was sich getan hat\n"
        "changes:\n  kind:\n    neu: Neu aufgenommen\n"
        "partials:\n  section: Kap. {section}\n"
        "chart:\n  schedule:\n    title: Terminplan aller Vorhaben\n"
        "cite:\n  readme:\n    files: Enthaltene Dateien\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search", "--no-cache")
    assert result.exit_code == 0, result.output
    schedule = (out / "zeitplan" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Terminplan der Stadt</h1>" in schedule and "<h1>Zeitplan</h1>" not in schedule
    changes = (out / "aenderungen" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Was sich getan hat</h1>" in changes
    assert "Neu aufgenommen:" in changes and "Neue Maßnahme" not in changes
    measure = (out / "massnahmen" / "online-termin" / "index.html").read_text(encoding="utf-8")
    assert "Kap. 1.1.1" in measure and "Abschn." not in measure
    chart = (out / "grafiken" / "zeitplan" / "index.html").read_text(encoding="utf-8")
    assert "Terminplan aller Vorhaben" in chart  # the schedule chart, made in build.py
    with zipfile.ZipFile(out / "grafiken" / "zeitplan" / "zeitplan.zip") as archive:
        readme = next(n for n in archive.namelist() if n.lower().startswith("liesmich")
                      or n.lower().startswith("readme"))
        assert "Enthaltene Dateien" in archive.read(readme).decode("utf-8")
