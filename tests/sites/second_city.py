"""A second city that differs from the bundled one in everything the settings cover.

Eight programs called "Handlungsfeld", no stages, no budget tables, its own colours and
logo, other ids for the legal pages, council papers called "Vorlage". Tests derive their
expected values from the tables below, never from the output.
"""

from __future__ import annotations

from pathlib import Path

FIELDS = (
    ("bildung", "Bildung und Schule"), ("mobilitaet", "Mobilität"),
    ("umwelt", "Umwelt und Klima"), ("wirtschaft", "Wirtschaft"),
    ("verwaltung", "Moderne Verwaltung"), ("kultur", "Kultur und Freizeit"),
    ("soziales", "Soziales und Gesundheit"), ("beteiligung", "Beteiligung"),
)
# measure id → (field, status); none has a stage
MEASURES = {
    "schul-wlan": ("bildung", "in_umsetzung"), "tablets": ("bildung", "abgeschlossen"),
    "lernplattform": ("bildung", "geplant"), "radnetz-app": ("mobilitaet", "geplant"),
    "ladesaeulen-karte": ("mobilitaet", "in_umsetzung"),
    "baumkataster": ("umwelt", "abgeschlossen"),
    "gruenflaechen": ("umwelt", "geplant"), "gewerbe-online": ("wirtschaft", "in_umsetzung"),
    "e-rechnung": ("verwaltung", "abgeschlossen"), "e-akte": ("verwaltung", "in_umsetzung"),
    "bibliothek-app": ("kultur", "in_umsetzung"), "pflege-portal": ("soziales", "geplant"),
    "buergerhaushalt": ("beteiligung", "abgeschlossen"),
}
PAGES = {"imprint": "impressum-und-kontakt", "privacy": "datenschutzerklaerung",
         "accessibility": "barrierefreiheitserklaerung", "easy_language": "einfach-erklaert"}
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" ' \
       b'height="40" fill="#00566b"/></svg>\n'

SITE = """\
title: Digitales Auental – Umsetzungsbericht
publisher: Stadt Auental
base_url: https://auental.example/digital/
language: de
as_of: 2025-03-31
name: Digitales Auental
intro: |
  **Digitales Auental** ist die Strategie der Stadt Auental in acht Handlungsfeldern.
terms:
  program: {singular: Handlungsfeld, plural: Handlungsfelder}
  measure: {singular: Vorhaben, plural: Vorhaben}
highlights:
  - {measures: by_status}
  - {kpi: portal-nutzer, label: Nutzerkonten im Bürgerportal}
  - {services: online}
logo: {file: images/logo.svg, alt: Wappen der Stadt Auental}
colors: {primary: "#7a1f3d", accent: "#00566b"}
pages:
  imprint: impressum-und-kontakt
  privacy: datenschutzerklaerung
  accessibility: barrierefreiheitserklaerung
  easy_language: einfach-erklaert
source_kinds:
  drucksache: {short: Vorlage, name: Beschlussvorlage}
"""


def files() -> dict[str, str | bytes]:
    """content/ of the second city: relative path → text (or bytes)."""
    result: dict[str, str | bytes] = {"site.yaml": SITE, "images/logo.svg": LOGO}
    result["sources/strategie.yaml"] = (
        "title: Digitalstrategie Auental\nkind: drucksache\nnumber: \"12/2024\"\n"
        "date: 2024-05-02\npublisher: Stadt Auental\nfile: documents/strategie.txt\n")
    result["sources/alt.yaml"] = (   # the older kind name still works
        "title: Zwischenbericht\nkind: grdrs\nnumber: \"3/2025\"\ndate: 2025-02-01\n"
        "publisher: Stadt Auental\n")
    result["documents/strategie.txt"] = "\n".join(
        f"{i} {title}\nText." for i, (_, title) in enumerate(FIELDS, 1)) + "\n"
    for number, (pid, title) in enumerate(FIELDS, 1):
        result[f"programs/{pid}.yaml"] = (
            f"number: {number}\ntitle: {title}\nsummary: Vorhaben zu {title}.\n"
            f'color: "#00566b"\nsources:\n  - {{source: strategie, section: "{number}"}}\n')
    numbers = {pid: i for i, (pid, _) in enumerate(FIELDS, 1)}
    for mid, (pid, status) in MEASURES.items():
        result[f"measures/{mid}.md"] = (
            f"---\ntitle: Vorhaben {mid}\nprogram: {pid}\nstatus: {status}\nsources:\n"
            f'  - {{source: strategie, section: "{numbers[pid]}"}}\n'
            f"  - {{source: alt, section: \"{numbers[pid]}\"}}\n---\nBeschreibung.\n")
    result["ozg/dienste.yaml"] = (
        "services:\n"
        "  - {id: anmeldung, title: Anmeldung, status: online, since: 2024-06, "
        'sources: [{source: strategie, section: "5"}]}\n'
        "  - {id: gewerbe, title: Gewerbeanmeldung, status: geplant, "
        'sources: [{source: strategie, section: "4"}]}\n')
    result["kpis/portal-nutzer.yaml"] = (
        "title: Nutzerkonten\nunit: Anzahl\npoints:\n"
        '  - {date: 2024-Q4, value: 1200, source: strategie, section: "5"}\n'
        '  - {date: 2025-Q1, value: 1850, source: strategie, section: "5"}\n')
    result["updates/2025-03-01-start.md"] = (
        "---\ntitle: Bürgerhaushalt online\ndate: 2025-03-01\nmeasures: [buergerhaushalt]\n"
        "---\nDer Bürgerhaushalt läuft jetzt online.\n")
    for key, pid in PAGES.items():
        body = "## Rückmeldung {#feedback}\n" if key == "accessibility" else "Text.\n"
        result[f"pages/{pid}.md"] = f"---\ntitle: Seite {key}\n---\n{body}"
    return result


def write(root: Path) -> Path:
    """Write the second city under root/content; return root."""
    for rel, text in files().items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
