"""`dmoves-site init DIR`: a neutral starter site that check, build and publish accept.

The starter's files are package data (`dmoves_site/starter/`); `site.yaml` is written here
from the options, with a German comment on every setting.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dmoves_site import checks

STARTER = "starter"
PUBLISHER_TOKEN = '"@PUBLISHER@"'   # a quoted YAML scalar in the starter files
RENAMED = {"gitignore": ".gitignore"}   # dotfiles are no package data


class InitError(Exception):
    """Nothing was written; the message (German) says why."""


@dataclass(frozen=True, slots=True)
class Options:
    title: str = "Digitalstrategie Musterstadt – Umsetzungsstand"
    publisher: str = "Stadt Musterstadt"
    base_url: str = "https://example.org/digitalstrategie/"


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def site_yaml(options: Options, today: dt.date) -> str:
    """content/site.yaml of the starter, every setting explained."""
    return "\n".join([
        "# Einstellungen der Website. Alle Felder: docs/content.md, Abschnitt site.yaml.",
        f"title: {_quoted(options.title)}",
        f"publisher: {_quoted(options.publisher)}",
        "# Adresse, unter der die Website erscheint (mit / am Ende).",
        f"base_url: {options.base_url}",
        "language: de",
        "# Stand der Daten: das Datum der neuesten Zahl.",
        f'as_of: "{today.isoformat()}"',
        "# Kurzname der Strategie im Kopf jeder Seite.",
        "name: Digitalstrategie",
        "description: Wie die Stadt ihre Digitalstrategie umsetzt – mit Quelle zu jeder Zahl.",
        "# Einleitung der Startseite (Markdown).",
        "intro: |",
        f"  {options.publisher} macht mit der Digitalstrategie die Verwaltung digital.",
        "  Diese Seite zeigt, wo die Umsetzung steht – mit Quellenangabe zu jeder Zahl.",
        "contact: \"[[BITTE ERGÄNZEN: E-Mail-Adresse für Rückmeldungen]]\"",
        *SETTINGS, ""])


# the settings every starter gets as they are, each explained
SETTINGS = (
    "# Wie Ihre Stadt ihre Teile nennt (Einzahl und Mehrzahl).",
    "terms:",
    "  program: {singular: Programm, plural: Programme}",
    "  measure: {singular: Maßnahme, plural: Maßnahmen}",
    "# Abschnitte der Umsetzung (z. B. Phasen), falls es sie gibt:",
    '# stages:',
    '#   - {number: 1, label: "Phase 1", period: "2025/2026"}',
    "# Die Zahlen oben auf der Startseite, in dieser Reihenfolge.",
    "highlights:",
    "  - {measures: by_status}",
    "  - {kpi: online-dienste, label: Online-Dienste verfügbar}",
    "  - {budget: digitalisierung, line: gesamt}",
    "# Die Kennzahl, die in der Grafik der Online-Dienste als berichtete Summe erscheint.",
    "ozg_kpi: online-dienste",
    "# Farbe von Kopfzeile und Zahlen; zu wenig Kontrast auf Weiß ist ein Fehler.",
    'colors: {primary: "#1f4e79"}',
    "# Logo (Pfad in content/) und Alternativtext, z. B.:",
    '# logo: {file: images/logo.svg, alt: "Wappen der Stadt"}',
    "# Seiten, auf die jede Seite verweist (Kennung = Dateiname in content/pages/).",
    "pages:",
    "  imprint: impressum",
    "  privacy: datenschutz",
    "  accessibility: barrierefreiheit",
    "  easy_language: leichte-sprache",
    "# Wie Vorlagen des Rates in Quellenangaben heißen.",
    "source_kinds:",
    "  drucksache: {short: Vorlage, name: Beschlussvorlage}",
)


def checked(options: Options) -> Options:
    """The options, or InitError with what is wrong."""
    try:
        checks.short_text(options.title)
        checks.short_text(options.publisher)
        checks.url(options.base_url)
    except checks.Invalid as exc:
        raise InitError(f"{exc.message} – {exc.hint}".rstrip(" –")) from exc
    if not options.base_url.endswith("/"):
        raise InitError(f"--base-url muss mit '/' enden: {options.base_url}/")
    return options


def starter_files(options: Options, today: dt.date) -> dict[str, str]:
    """Relative path → text of every file of the starter."""
    root = resources.files("dmoves_site") / STARTER
    files: dict[str, str] = {}

    def walk(node: resources.abc.Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{RENAMED.get(child.name, child.name)}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith("."):
                files[rel] = child.read_text(encoding="utf-8").replace(
                    PUBLISHER_TOKEN, _quoted(options.publisher))

    walk(root, "")
    files["content/site.yaml"] = site_yaml(options, today)
    return files


def init_site(target: Path, options: Options, today: dt.date | None = None) -> list[Path]:
    """Write the starter into `target` (new or empty); never overwrite anything."""
    options = checked(options)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} gibt es schon und ist nicht leer – nichts angelegt. "
                        "Einen neuen Ordnernamen angeben")
    files = starter_files(options, today or dt.date.today())
    written = []
    for rel, text in sorted(files.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
        written.append(path)
    return written
