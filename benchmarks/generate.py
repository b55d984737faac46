#!/usr/bin/env python3
"""Generate a synthetic dmoves-site content folder with N measures for benchmarks.

Usage:  python benchmarks/generate.py N OUTDIR [--seed 42] [--force]

Writes OUTDIR/content/ in the content model of docs/content.md: site.yaml, 4 programs,
N measures (front matter + German Markdown body), about N/5 OZG services, about N/20
updates, 10 sources, 2 budget tables, 3 KPIs and 2 pages. Only documented fields are
written. The same N and seed always give byte-identical files. Standard library only;
YAML is written by hand (JSON strings are valid YAML double-quoted scalars).
"""

# German typography: the en dash in titles is deliberate.

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SEED = 42
AS_OF = "2025-03-31"
OZG_PER_FILE = 5000  # the reader caps the YAML nodes of one file; spill into more files

PROGRAMS: tuple[tuple[str, str, str], ...] = (
    ("digitale-buergerservices", "Digitale Bürgerservices", "#1f5a96"),
    ("digitale-verwaltung", "Digitale Verwaltung", "#2e7d32"),
    ("moderne-arbeitswelt", "Moderne Arbeitswelt", "#b35c00"),
    ("digitale-infrastruktur", "Digitale Infrastruktur", "#6a3d9a"),
)
# (id, kind, number, date, title)
SOURCES: tuple[tuple[str, str, str, str, str], ...] = (
    ("grdrs-388-2019", "grdrs", "388/2019", "2019-06-04",
     "Digital MoveS – Strategie für eine digitale Stadtverwaltung"),
    ("grdrs-655-2019", "grdrs", "655/2019", "2019-10-15",
     "IuK-Maßnahmenplan zum Doppelhaushalt 2020/2021"),
    ("grdrs-288-2021", "grdrs", "288/2021", "2021-07-06",
     "Umsetzung und weitere Planungen innerhalb der Strategie"),
    ("grdrs-912-2022", "grdrs", "912/2022", "2022-11-08",
     "Sachstandsbericht Onlinezugangsgesetz"),
    ("grdrs-145-2023", "grdrs", "145/2023", "2023-03-21",
     "Stellenschaffungen für die Digitalisierung der Verwaltung"),
    ("anfrage-77-2022", "anfrage", "77/2022", "2022-04-12",
     "Anfrage: Wartezeiten in den Bürgerbüros"),
    ("anfrage-203-2023", "anfrage", "203/2023", "2023-09-26",
     "Anfrage: Stand der E-Akte in den Ämtern"),
    ("niederschrift-vwa-2023-05", "niederschrift", "Nr. 112/2023", "2023-05",
     "Niederschrift des Verwaltungsausschusses"),
    ("presse-2024-02-14", "presse", "PM 45/2024", "2024-02-14",
     "Pressemitteilung: Neue Online-Dienste im Bürgerbüro"),
    ("digitalbericht-2024", "sonstige", "Bericht 2024", "2024-Q4",
     "Digitalisierungsbericht der Landeshauptstadt 2024"),
)
SECTIONS = ("1.1.1", "1.1.4", "1.2.3", "2.1.1", "2.3.2", "3.1", "3.4.1", "4.4.2",
            "Finanzielle Auswirkungen", "Gesamtdarstellung", "Begründung", "Beschlussantrag")
STATUSES = ("geplant", "in_umsetzung", "abgeschlossen", "zurueckgestellt")
STATUS_WEIGHTS = (25, 45, 25, 5)

ACTIONS = ("Einführung", "Ausbau", "Umstellung", "Modernisierung", "Erweiterung", "Prüfung",
           "Öffnung", "Bündelung", "Erneuerung", "Förderung", "Vereinfachung", "Digitalisierung")
OBJECTS = ("der elektronischen Akte", "des Bürgerportals", "der Online-Terminvergabe",
           "des Glasfasernetzes", "der Gebührenbescheide", "des Meldewesens",
           "der Straßenbeleuchtung", "der Schulnetzwerke", "der Videokonferenzräume",
           "des Ratsinformationssystems", "der Müllabfuhr-Tourenplanung",
           "der Grünflächenpflege", "des Führerscheinantrags", "der Kfz-Zulassung",
           "der Bauanträge", "des Wohngeldantrags", "der Zahlungsverkehrsplattform",
           "der mobilen Arbeitsplätze", "des WLAN in Bürgerbüros", "der Beschaffungsprozesse")
CONTEXTS = ("im Bürgerbüro", "für Schulträger", "in allen Stadtbezirken", "im Ordnungsamt",
            "der Straßenmeisterei", "für Kitas und Schülerhäuser", "im Baurechtsamt",
            "für das Sozialamt", "in der Stadtkämmerei", "für Bürgerinnen und Bürger",
            "im Rathaus", "der Bäderbetriebe", "im Amt für Umweltschutz",
            "für Ältere und Menschen mit Behinderung")
DISTRICTS = ("Mitte", "Nord", "Ost", "Süd", "West", "Bad Cannstatt", "Birkach", "Botnang",
             "Degerloch", "Feuerbach", "Hedelfingen", "Möhringen", "Mühlhausen", "Münster",
             "Obertürkheim", "Plieningen", "Sillenbuch", "Stammheim", "Untertürkheim",
             "Vaihingen", "Wangen", "Weilimdorf", "Zuffenhausen")
OFFICES = ("Haupt- und Personalamt (10)", "Amt für Digitalisierung, Organisation und IT (12)",
           "Stadtkämmerei (20)", "Amt für öffentliche Ordnung (32)", "Bürgerbüros (33-3)",
           "Schulverwaltungsamt (40)", "Sozialamt (50)", "Amt für Stadtplanung (61)",
           "Baurechtsamt (63)", "Tiefbauamt (66)", "Garten-, Friedhofs- und Forstamt (67)")
TAGS = ("Bürgerservice", "Barrierefreiheit", "Open Data", "Schule", "Infrastruktur",
        "Künstliche Intelligenz", "Nachhaltigkeit", "Datenschutz", "Straßenverkehr")
SENTENCES = (
    "Ziel ist es, Wartezeiten zu verkürzen und Wege ins Amt überflüssig zu machen.",
    "Die Umsetzung erfolgt schrittweise und wird mit dem Gesamtpersonalrat abgestimmt.",
    "Für die Bürgerinnen und Bürger entsteht ein durchgängig digitaler Zugang.",
    "Die Fachämter werden frühzeitig beteiligt, damit die Lösung im Alltag trägt.",
    "Datenschutz und Informationssicherheit werden von Beginn an berücksichtigt.",
    "Die Maßnahme baut auf den Ergebnissen der ersten Umsetzungsstufe auf.",
    "Die Kosten von rund 250.000 € sind im IuK-Maßnahmenplan veranschlagt.",
    "Ein Pilotbetrieb in zwei Stadtbezirken liefert erste Erfahrungen.",
    "Medienbrüche zwischen Papier und Fachverfahren sollen vollständig entfallen.",
    "Die Schulungen für die Beschäftigten finden überwiegend online statt.",
    "Über den Fortschritt wird dem Verwaltungsausschuss regelmäßig berichtet.",
    "Die Barrierefreiheit nach BITV 2.0 ist Teil der Abnahmekriterien.",
    "Verzögerungen ergaben sich durch Lieferengpässe bei der Hardware.",
    "Die Anbindung an service-bw ermöglicht eine landesweit einheitliche Bedienung.",
    "Der Betrieb wird nach Abschluss vom Eigenbetrieb übernommen.",
    "Eine Nutzerbefragung zeigt eine hohe Zufriedenheit mit dem „neuen Angebot“.",
    "Die Straßenverkehrsbehörde profitiert von kürzeren Bearbeitungszeiten.",
    "Gemäß § 1a OZG sind die Leistungen auch elektronisch anzubieten.",
)
GOALS = ("Bearbeitungszeit um 30 % senken", "Papierakten vollständig ersetzen",
         "Termine rund um die Uhr buchbar machen", "Gebühren online bezahlen (ePayment)",
         "Barrierefreie Formulare nach BITV 2.0", "Transparenz über den Bearbeitungsstand",
         "Entlastung der Beschäftigten im Bürgerbüro", "Offene Daten im Open-Data-Portal")
STEPS = ("Anforderungen mit den Fachämtern erheben", "Ausschreibung und Vergabe vorbereiten",
         "Pilotbetrieb in ausgewählten Dienststellen", "Schulung der Beschäftigten",
         "Schnittstellen zu bestehenden Fachverfahren schaffen",
         "Rollout in allen Stadtbezirken", "Evaluation und Bericht an den Gemeinderat",
         "Übergabe in den Regelbetrieb")
MILESTONES = ("Beschluss des Gemeinderats", "Abschluss der Ausschreibung",
              "Start des Pilotbetriebs", "Go-live im Bürgerbüro", "Schulungen abgeschlossen",
              "Anbindung an service-bw", "Übergabe in den Regelbetrieb",
              "Abnahme der Barrierefreiheit")
SERVICES = ("Wohngeld beantragen", "Anwohnerparkausweis beantragen", "Hundesteuer anmelden",
            "Wohnsitz ummelden", "Führungszeugnis beantragen", "Gewerbe anmelden",
            "Baugenehmigung beantragen", "Elterngeld beantragen", "Kita-Platz vormerken",
            "Sondernutzung öffentlicher Straßen", "Fundsache melden", "Meldebescheinigung",
            "Briefwahl beantragen", "Schwerbehindertenausweis beantragen",
            "Fahrerlaubnis umtauschen", "Fahrzeug zulassen", "Geburtsurkunde bestellen",
            "Eheschließung anmelden", "Gaststättenerlaubnis beantragen",
            "Baumfällgenehmigung beantragen", "Sperrmüll anmelden", "Bewohnerparken verlängern",
            "Grundsteuerbescheid abrufen", "Zweitwohnungsteuer erklären")
VARIANTS = ("für Unternehmen", "Änderung", "Verlängerung", "für Vereine", "Widerspruch",
            "Nachweis hochladen", "Ersatzbescheinigung", "Abmeldung")
THEMENFELDER = ("Arbeit & Ruhestand", "Bauen & Wohnen", "Bildung", "Ein- & Auswanderung",
                "Engagement & Hobby", "Familie & Kind", "Forschung & Förderung", "Gesundheit",
                "Mobilität & Reisen", "Querschnittsleistungen", "Recht & Ordnung",
                "Steuern & Zoll", "Umwelt", "Unternehmensführung & -entwicklung")
NEWS = ("gestartet", "erfolgreich abgeschlossen", "geht in die Pilotphase",
        "jetzt in allen Stadtbezirken", "Zwischenbericht vorgelegt", "verzögert sich")

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def q(text: str) -> str:
    """Return a YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def slugify(text: str, limit: int = 60) -> str:
    """Return an ASCII slug (ä → ae, ß → ss), cut at a word boundary."""
    slug = _NON_SLUG.sub("-", text.lower().translate(_UMLAUTS)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


class Ids:
    """Hand out unique slugs: the second 'x' becomes 'x-2', and so on."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, text: str) -> str:
        base = slugify(text)
        count = self.next.get(base, 1)
        candidate = base if count == 1 else f"{base}-{count}"
        while candidate in self.used:  # "x-2" may also be the slug of another title
            count += 1
            candidate = f"{base}-{count}"
        self.next[base] = count + 1
        self.used.add(candidate)
        return candidate


@dataclass(slots=True)
class Context:
    """The random source plus what later records refer to."""

    rng: random.Random
    measure_ids: list[str] = field(default_factory=list)
    measures_by_program: dict[str, list[str]] = field(default_factory=dict)


# --- small helpers ------------------------------------------------------------------


def partial_date(rng: random.Random, year: int) -> str:
    """A date of mixed precision in `year`, already written as a YAML scalar."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.randrange(4)
    if kind == 0:
        return q(str(year))  # quoted: a bare 2021 is a YAML integer
    if kind == 1:
        return f"{year}-{month:02d}"
    if kind == 2:
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}-{day:02d}"


def full_date(rng: random.Random, first_year: int, last_year: int) -> str:
    """An ISO day between 1 Jan of first_year and the 28th of a month of last_year."""
    year = rng.randint(first_year, last_year)
    last_month = 3 if year == int(AS_OF[:4]) else 12
    return f"{year}-{rng.randint(1, last_month):02d}-{rng.randint(1, 28):02d}"


def source_ref(rng: random.Random, with_page: bool = True) -> str:
    """A flow mapping `{source, section[, page]}`."""
    sid = rng.choice(SOURCES)[0]
    page = f", page: {rng.randint(1, 40)}" if with_page and rng.random() < 0.3 else ""
    return f"{{source: {sid}, section: {q(rng.choice(SECTIONS))}{page}}}"


def source_list(rng: random.Random, low: int, high: int, indent: str = "") -> list[str]:
    """Block-list lines `- {source, section}` under a `sources:` key."""
    return [f"{indent}  - {source_ref(rng)}" for _ in range(rng.randint(low, high))]


def write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


# --- measures -----------------------------------------------------------------------


def measure_title(rng: random.Random) -> str:
    title = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}"
    if rng.random() < 0.6:
        title += f" – {rng.choice(DISTRICTS)}"
    return title


def progress_for(rng: random.Random, status: str) -> int | None:
    """Progress only for some measures, consistent with the status."""
    if rng.random() < 0.4:
        return None
    if status == "abgeschlossen":
        return 100
    if status == "geplant":
        return 0
    return rng.randrange(5, 100, 5)


def milestone_lines(rng: random.Random, status: str, start: int, end: int) -> list[str]:
    lines: list[str] = []
    for title in rng.sample(MILESTONES, rng.randint(0, 3)):
        year = rng.randint(start, end)
        done = status == "abgeschlossen" or (status == "in_umsetzung" and year < 2024)
        lines.append(
            f"  - {{date: {partial_date(rng, year)}, title: {q(title)}, "
            f"done: {'true' if done else 'false'}, source: {rng.choice(SOURCES)[0]}, "
            f"section: {q(rng.choice(SECTIONS))}}}"
        )
    return ["milestones:", *lines] if lines else []


def measure_years(rng: random.Random, stage: int, status: str) -> tuple[int, int]:
    start = rng.choice((2020, 2021)) if stage == 1 else rng.choice((2022, 2023))
    last = 2024 if status == "abgeschlossen" else 2027
    return start, rng.randint(start + 1, max(start + 1, min(last, start + 4)))


def measure_front(rng: random.Random, title: str, program: str) -> tuple[list[str], int | None]:
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    stage = 1 if rng.random() < 0.55 else 2
    start, end = measure_years(rng, stage, status)
    progress = progress_for(rng, status)
    lines = [f"title: {q(title)}", f"program: {program}", f"status: {status}",
             f"stage: {stage}"]
    if stage == 1 and rng.random() < 0.2:
        lines.append("stages: [1, 2]")
    if progress is not None:
        lines.append(f"progress: {progress}")
    lines += [f"start: {partial_date(rng, start)}", f"end: {partial_date(rng, end)}",
              f"responsible: {q(rng.choice(OFFICES))}"]
    if rng.random() < 0.5:
        lines.append(f"budget: {{amount: {rng.randint(5, 2500)}, unit: TEUR}}")
    lines += milestone_lines(rng, status, start, end)
    lines += ["sources:", *source_list(rng, 1, 3)]
    if rng.random() < 0.3:
        tags = ", ".join(q(t) for t in rng.sample(TAGS, rng.randint(1, 3)))
        lines.append(f"tags: [{tags}]")
    if rng.random() < 0.05:
        lines.append(f"kpis: [{rng.choice(KPI_IDS)}]")
    return lines, progress


def measure_body(rng: random.Random, mid: str, title: str, program_title: str,
                 progress: int | None) -> str:
    picks = rng.sample(SENTENCES, 7)
    source = rng.choice(SOURCES)
    parts = [
        f"Die Maßnahme **{title}** gehört zum Programm *{program_title}*. "
        f"{picks[0]} {picks[1]} Einzelheiten stehen in der "
        f"[Vorlage im Ratsinformationssystem](https://www.example.org/ratsinfo/{mid}).",
        "### Ziele",
        "\n".join(f"- {goal}" for goal in rng.sample(GOALS, rng.randint(2, 4))),
        f"{picks[2]} {picks[3]} Die nächsten Schritte sind:",
        "\n".join(f"{i}. {step}" for i, step in
                  enumerate(rng.sample(STEPS, rng.randint(3, 5)), 1)),
        " ".join(picks[4:7]),
    ]
    if progress is not None:
        parts.append(f"Der Fortschritt von {progress} % beruht auf der Vorlage "
                     f"{source[2]} („{source[4]}“).")
    return "\n\n".join(parts) + "\n"


def write_measures(content: Path, ctx: Context, n: int) -> None:
    folder = content / "measures"
    folder.mkdir()
    ids = Ids()
    for _ in range(n):
        pid, ptitle, _color = ctx.rng.choice(PROGRAMS)
        title = measure_title(ctx.rng)
        mid = ids.take(title)
        front, progress = measure_front(ctx.rng, title, pid)
        body = measure_body(ctx.rng, mid, title, ptitle, progress)
        write(folder / f"{mid}.md", "---\n" + "\n".join(front) + "\n---\n" + body)
        ctx.measure_ids.append(mid)
        ctx.measures_by_program.setdefault(pid, []).append(mid)


# --- OZG services -------------------------------------------------------------------


def service_entry(ctx: Context, ids: Ids, index: int) -> str:
    rng = ctx.rng
    base = SERVICES[index % len(SERVICES)]
    title = base if index < len(SERVICES) else f"{base} – {rng.choice(VARIANTS)}"
    status = rng.choices(("online", "in_umsetzung", "geplant"), (60, 25, 15))[0]
    lines = [f"  - id: {ids.take(title)}", f"    title: {q(title)}", f"    status: {status}"]
    if status == "online":
        lines += [f"    since: {partial_date(rng, rng.randint(2019, 2024))}",
                  f"    epayment: {'true' if rng.random() < 0.5 else 'false'}"]
    lines += [f"    platform: {rng.choice(('service-bw', 'Stadtportal', 'OZG-Hub'))}",
              f"    ozg_id: {q(str(rng.randint(10001, 10575)))}",
              f"    themenfeld: {q(rng.choice(THEMENFELDER))}"]
    citizen_measures = ctx.measures_by_program.get("digitale-buergerservices", [])
    if citizen_measures and rng.random() < 0.5:
        lines.append(f"    measure: {rng.choice(citizen_measures)}")
    lines += ["    sources:", *source_list(rng, 1, 2, "    ")]
    return "\n".join(lines)


def write_services(content: Path, ctx: Context, n: int) -> None:
    folder = content / "ozg"
    folder.mkdir()
    ids = Ids()
    entries = [service_entry(ctx, ids, i) for i in range(max(1, n // 5))]
    for chunk in range(0, len(entries), OZG_PER_FILE):
        name = "services.yaml" if chunk == 0 else f"services-{chunk // OZG_PER_FILE + 1}.yaml"
        write(folder / name, "services:\n" + "\n".join(entries[chunk:chunk + OZG_PER_FILE]) + "\n")


# --- updates ------------------------------------------------------------------------


def update_text(ctx: Context) -> tuple[str, str]:
    rng = ctx.rng
    subject = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)}"
    title = f"{subject}: {rng.choice(NEWS)}"
    summary = f"{rng.choice(SENTENCES)} Ein Überblick über den Stand im Bürgerbüro " \
              f"{rng.choice(DISTRICTS)}."
    return title, summary


def update_file(ctx: Context, title: str, summary: str, day: str) -> str:
    rng = ctx.rng
    refs = ", ".join(rng.sample(ctx.measure_ids, min(len(ctx.measure_ids), rng.randint(1, 3))))
    lines = ["---", f"title: {q(title)}", f"date: {day}",
             f"summary: {q(summary)}", f"measures: [{refs}]"]
    if rng.random() < 0.3:
        lines.append(f"programs: [{rng.choice(PROGRAMS)[0]}]")
    if rng.random() < 0.3:
        lines += ["sources:", *source_list(rng, 1, 1)]
    if rng.random() < 0.5:
        lines.append(f"author: {q('Presse- und Informationsamt')}")
    body = (f"{' '.join(rng.sample(SENTENCES, 3))}\n\n"
            + "\n".join(f"- {s}" for s in rng.sample(STEPS, 3))
            + f"\n\n{rng.choice(SENTENCES)} Fragen beantwortet das Bürgerbüro "
              f"{rng.choice(DISTRICTS)}.\n")
    return "\n".join(lines) + "\n---\n" + body


def write_updates(content: Path, ctx: Context, n: int) -> None:
    folder = content / "updates"
    folder.mkdir()
    ids = Ids()
    for _ in range(max(1, n // 20)):
        title, summary = update_text(ctx)
        day = full_date(ctx.rng, 2021, 2025)
        text = update_file(ctx, title, summary, day)
        write(folder / f"{day}-{ids.take(title)}.md", text)


# --- the small, fixed files ---------------------------------------------------------


SITE_DESCRIPTION = ("Synthetische Inhalte für Laufzeitmessungen: Maßnahmen, OZG-Leistungen, "
                    "Haushalt und Kennzahlen.")


def site_yaml(n: int) -> str:
    return (f"title: {q(f'Digital MoveS – Benchmark mit {n} Maßnahmen')}\n"
            "publisher: Landeshauptstadt Stuttgart\n"
            "base_url: https://example.org/digital-moves/\n"
            f"language: de\nas_of: {AS_OF}\n"
            f"description: {q(SITE_DESCRIPTION)}\n"
            "contact: digitalisierung@example.org\n"
            "colors: {primary: \"#1f5a96\"}\n")


def program_yaml(rng: random.Random, number: int, title: str, color: str) -> str:
    goals = rng.sample(GOALS, 2)
    return (f"number: {number}\ntitle: {q(title)}\n"
            f"summary: {q(f'Programm {number} bündelt die Maßnahmen „{title}“.')}\n"
            f"description: |\n  {rng.choice(SENTENCES)}\n\n  - {goals[0]}\n  - {goals[1]}\n"
            f"vision: {q(f'{title}: einfach, sicher und barrierefrei für alle.')}\n"
            f"color: \"{color}\"\nsources:\n  - {source_ref(rng, with_page=False)}\n")


def source_yaml(sid: str, kind: str, number: str, date: str, title: str) -> str:
    publisher = "Presse- und Informationsamt" if kind == "presse" else "Landeshauptstadt Stuttgart"
    return (f"title: {q(title)}\nkind: {kind}\nnumber: {q(number)}\ndate: {date}\n"
            f"publisher: {q(publisher)}\n")


def write_fixed(content: Path, rng: random.Random, n: int) -> None:
    write(content / "site.yaml", site_yaml(n))
    (content / "programs").mkdir()
    for number, (pid, title, color) in enumerate(PROGRAMS, 1):
        write(content / "programs" / f"{pid}.yaml", program_yaml(rng, number, title, color))
    (content / "sources").mkdir()
    for sid, kind, number, date, title in SOURCES:
        write(content / "sources" / f"{sid}.yaml", source_yaml(sid, kind, number, date, title))
    write_budgets(content, rng)
    write_kpis(content, rng)
    write_pages(content)


# --- budgets ------------------------------------------------------------------------


def num(value: float) -> str:
    """A number as YAML: integers without a decimal point, halves as 4.5."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def budget_line(lid: str, label: str, kind: str, values: Sequence[float],
                extra: str = "") -> str:
    shown = ", ".join(num(v) for v in values)
    return (f"  - id: {lid}\n    label: {q(label)}\n    kind: {kind}\n"
            f"    values: [{shown}]\n    total: {num(sum(values))}\n{extra}")


def iuk_budget(rng: random.Random) -> str:
    years = (2022, 2023, 2024)
    rows = {pid: [rng.randint(200, 9000) for _ in years] for pid, _t, _c in PROGRAMS}
    lines = [budget_line(pid, f"Programm {title}", "item", rows[pid], f"    program: {pid}\n")
             for pid, title, _c in PROGRAMS]
    totals = [sum(col) for col in zip(*rows.values(), strict=True)]
    parts = ", ".join(rows)
    lines.append(budget_line("gesamt", "Summe IuK-Maßnahmenplan", "total", totals,
                             f"    sum_of: [{parts}]\n"))
    return ("title: \"Finanzbedarf IuK-Maßnahmenplan nach Programmen\"\nunit: TEUR\n"
            "years: [2022, 2023, 2024]\nlines:\n" + "".join(lines)
            + "sources:\n  - {source: grdrs-655-2019, section: \"Finanzielle Auswirkungen\"}\n"
            "notes:\n  - \"Ohne Personalkosten; Beträge in Tausend Euro (TEUR).\"\norder: 1\n")


def staff_budget(rng: random.Random) -> str:
    offices = (("amt-12", "Amt für Digitalisierung (12)"),
               ("amt-10", "Haupt- und Personalamt (10)"),
               ("amt-32", "Amt für öffentliche Ordnung (32)"), ("amt-50", "Sozialamt (50)"))
    values = [[rng.randint(1, 12) / 2, rng.randint(0, 8) / 2] for _ in offices]
    lines = [budget_line(oid, label, "item", vals) for (oid, label), vals in
             zip(offices, values, strict=True)]
    groups = (("zentral", "Zentrale Dienste", 0, 2), ("fachaemter", "Fachämter", 2, 4))
    for gid, label, lo, hi in groups:
        sub = [sum(col) for col in zip(*values[lo:hi], strict=True)]
        ids = ", ".join(oid for oid, _ in offices[lo:hi])
        lines.append(budget_line(gid, label, "subtotal", sub, f"    sum_of: [{ids}]\n"))
    total = [sum(col) for col in zip(*values, strict=True)]
    lines.append(budget_line("gesamt", "Stellenschaffungen gesamt", "total", total,
                             "    sum_of: [zentral, fachaemter]\n"))
    return ("title: \"Stellenschaffungen für die Digitalisierung\"\nunit: Stellen\n"
            "years: [2023, 2024]\nlines:\n" + "".join(lines)
            + "sources:\n  - {source: grdrs-145-2023, section: \"Begründung\"}\n"
            "program: digitale-verwaltung\norder: 2\n")


def write_budgets(content: Path, rng: random.Random) -> None:
    (content / "budgets").mkdir()
    write(content / "budgets" / "iuk-massnahmenplan.yaml", iuk_budget(rng))
    write(content / "budgets" / "stellenschaffungen.yaml", staff_budget(rng))


# --- KPIs ---------------------------------------------------------------------------

KPI_IDS = ("ozg-leistungen-online", "e-akte-arbeitsplaetze", "wlan-standorte")
KPIS = (("ozg-leistungen-online", "Online verfügbare OZG-Leistungen", "Anzahl",
         "digitale-buergerservices", 40, 60),
        ("e-akte-arbeitsplaetze", "Arbeitsplätze mit E-Akte", "%", "digitale-verwaltung", 5, 18),
        ("wlan-standorte", "WLAN-Standorte in städtischen Gebäuden", "Anzahl",
         "digitale-infrastruktur", 25, 80))
POINT_DATES = ("2021-Q4", "2022-06", "2023-12-31", "2024")


def kpi_yaml(rng: random.Random, title: str, unit: str, program: str, step: int,
             first: int) -> str:
    value, points = first, []
    for date in POINT_DATES:
        shown = q(date) if len(date) == 4 else date
        points.append(f"  - {{date: {shown}, value: {value}, source: {rng.choice(SOURCES)[0]}, "
                      f"section: {q(rng.choice(SECTIONS))}}}")
        value = min(value + rng.randint(step // 2, step), 100) if unit == "%" else value + step
    return (f"title: {q(title)}\nunit: {q(unit)}\npoints:\n" + "\n".join(points)
            + f"\ntarget: {{date: 2026-12, value: {value + step * 2 if unit != '%' else 100}, "
            f"source: grdrs-288-2021, section: \"2.1.1\"}}\nprogram: {program}\n"
            f"description: {q(f'Die Kennzahl „{title}“ zeigt den Stand zum Quartalsende.')}\n")


def write_kpis(content: Path, rng: random.Random) -> None:
    (content / "kpis").mkdir()
    for kid, title, unit, program, step, first in KPIS:
        write(content / "kpis" / f"{kid}.yaml", kpi_yaml(rng, title, unit, program, step, first))


# --- pages --------------------------------------------------------------------------

ABOUT_PAGE = """---
title: "Über dieses Dashboard"
summary: "Was die Seite zeigt, woher die Zahlen stammen und wie oft sie aktualisiert werden."
order: 1
sources:
  - {source: grdrs-388-2019, section: "1.1.1"}
---
Die Landeshauptstadt Stuttgart berichtet hier über den Stand der **Digitalisierung** der
Verwaltung. Alle Angaben stammen aus Gemeinderatsdrucksachen, Anfragen und Pressemitteilungen.

## Was Sie hier finden

- Maßnahmen der vier Programme mit Status und Fortschritt
- OZG-Leistungen, die online beantragt werden können
- Haushaltsmittel und Stellenschaffungen
- Kennzahlen mit Quellenangabe

## Aktualisierung

Die Daten werden nach jeder Sitzung des Verwaltungsausschusses geprüft. Fragen und Hinweise
richten Sie bitte an das Amt für Digitalisierung, Organisation und IT, Eberhardstraße 39,
70173 Stuttgart.
"""
ACCESSIBILITY_PAGE = """---
title: "Erklärung zur Barrierefreiheit"
summary: "Stand der Vereinbarkeit mit der BITV 2.0 und Kontakt für Rückmeldungen."
order: 2
---
Die Landeshauptstadt Stuttgart ist bemüht, ihre Websites im Einklang mit § 10 L-BGG
barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit

Diese Website ist mit der BITV 2.0 *weitgehend* vereinbar. Diagramme werden zusätzlich als
Tabelle angeboten.

## Feedback und Kontakt

1. Schreiben Sie an digitalisierung@example.org.
2. Beschreiben Sie die Seite und das Problem möglichst genau.
3. Sie erhalten innerhalb von zwei Wochen eine Antwort.

Bleibt Ihre Anfrage unbeantwortet, können Sie sich an die Schlichtungsstelle nach § 16 BGG
wenden.
"""


def write_pages(content: Path) -> None:
    (content / "pages").mkdir()
    write(content / "pages" / "ueber-dieses-dashboard.md", ABOUT_PAGE)
    # the four pages every site must have (site.yaml `pages`, defaults)
    write(content / "pages" / "barrierefreiheit.md", ACCESSIBILITY_PAGE)
    for name, title, order in (("impressum", "Impressum", 3), ("datenschutz", "Datenschutz", 4),
                               ("leichte-sprache", "Leichte Sprache", 5)):
        write(content / "pages" / f"{name}.md",
              f'---\ntitle: "{title}"\norder: {order}\n---\n{title} der Landeshauptstadt.\n')


# --- entry point --------------------------------------------------------------------


def generate(n: int, out: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write OUT/content/ with n measures; return the content folder."""
    content = out / "content"
    content.mkdir(parents=True)
    ctx = Context(random.Random(seed))
    write_fixed(content, ctx.rng, n)
    write_measures(content, ctx, n)
    write_services(content, ctx, n)
    write_updates(content, ctx, n)
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of measures (>= 1)")
    parser.add_argument("outdir", type=Path, help="site folder; OUTDIR/content/ is written")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="replace an existing OUTDIR/content")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    content = args.outdir / "content"
    if content.exists():
        if not args.force:
            parser.error(f"{content} exists (use --force to replace it)")
        shutil.rmtree(content)
    started = time.perf_counter()
    generate(args.n, args.outdir, args.seed)
    print(f"wrote {args.n} measures to {content} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
