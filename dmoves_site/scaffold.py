"""New content files for editors: `dmoves-site new update|measure` writes a commented template."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from dmoves_site import checks
from dmoves_site import formatting as fmt
from dmoves_site import model as m
from dmoves_site.load import load_content

MAX_SLUG = 60
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


class ScaffoldError(Exception):
    """Nothing was written; the message (German) says why and what to do."""


def slugify(title: str) -> str:
    """'Bürgerbüro: Straße & Co.' → 'buergerbuero-strasse-co' (ASCII, at most 60 characters)."""
    text = fmt.slug(title)
    if len(text) > MAX_SLUG:
        cut = text[:MAX_SLUG + 1]
        text = cut[: cut.rfind("-")] if "-" in cut else text[:MAX_SLUG]
    return text


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def yaml_list(ids: tuple[str, ...]) -> str:
    return "[" + ", ".join(ids) + "]"


# --- what exists ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Known:
    """The ids of the records an editor can refer to, and the ids already taken."""

    programs: frozenset[str]
    measures: frozenset[str]
    updates: dict[str, str]          # update id → its file
    sources: frozenset[str] = frozenset()
    stages: tuple[m.Stage, ...] = ()

    def example(self, ids: frozenset[str], fallback: str) -> str:
        """An id to show in a commented example: the first existing one."""
        return min(ids) if ids else fallback


def known_ids(site: Path) -> Known:
    """Ids of the loaded content, plus the file names (the ids even while content has errors)."""
    content = site / "content"
    loaded, _problems = load_content(content, drafts=True)

    def stems(folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        base = content / folder
        if not base.is_dir():
            return []
        return sorted(p for p in base.iterdir() if p.suffix in suffixes
                      and not p.name.startswith("."))

    programs = {p.stem for p in stems("programs", (".yaml", ".yml"))}
    measures = {p.stem for p in stems("measures", (".md",))}
    updates = {DATE_PREFIX.sub("", p.stem): f"content/updates/{p.name}"
               for p in stems("updates", (".md",))}
    sources = {p.stem for p in stems("sources", (".yaml", ".yml"))}
    stages: tuple[m.Stage, ...] = ()
    if loaded is not None:
        programs |= {p.id for p in loaded.programs}
        measures |= {x.id for x in loaded.measures}
        updates |= {u.id: u.path for u in loaded.updates}
        stages = loaded.site.stages
    return Known(frozenset(programs), frozenset(measures), updates, frozenset(sources), stages)


def check_refs(given: tuple[str, ...], known: frozenset[str], label: str, folder: str
               ) -> list[str]:
    """A German message for each id in `given` that does not exist, with a suggestion."""
    messages = []
    for ref in given:
        if ref in known:
            continue
        close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.6)
        hint = (f"meinten Sie {close[0]!r}?" if close else
                f"die Kennung ist der Dateiname in content/{folder}/ ohne Endung")
        messages.append(f"{label} {ref!r} gibt es nicht – {hint}")
    return messages


def valid_title(title: str) -> str:
    try:
        return checks.short_text(title)
    except checks.Invalid as exc:
        raise ScaffoldError(f"Titel: {exc.message}") from exc


def title_slug(title: str) -> str:
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"Aus dem Titel {title!r} lässt sich kein Dateiname bilden – "
                            "der Titel braucht Buchstaben oder Ziffern")
    return slug


def write_new(path: Path, text: str, site: Path) -> Path:
    """Create `path` with `text`; never overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError as exc:
        raise ScaffoldError(f"{relative(path, site)} gibt es schon – nichts überschrieben. "
                            "Datei öffnen und bearbeiten, oder einen anderen Titel wählen"
                            ) from exc
    return path


def relative(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)


# --- updates -----------------------------------------------------------------------------------


def update_text(title: str, date: str, measures: tuple[str, ...], programs: tuple[str, ...],
                draft: bool, known: Known | None = None) -> str:
    """Front matter and body of a new update, each field with a German comment."""
    known = known or Known(frozenset(), frozenset(), {})
    source = known.example(known.sources, "beschluss-2024")
    lines = [
        "---",
        "# Überschrift der Meldung (Pflichtfeld).",
        f"title: {yaml_string(title)}",
        "# Datum der Veröffentlichung im Format JJJJ-MM-TT (Pflichtfeld).",
        f"date: {date}",
        "# Anreißer für die Liste und den Feed, ein bis zwei Sätze (optional).",
        "# Zum Einschalten die Raute (#) am Zeilenanfang entfernen.",
        '# summary: "…"',
        "# Maßnahmen, um die es geht: Dateinamen aus content/measures/ ohne .md.",
        f"measures: {yaml_list(measures)}" if measures else
        f"# measures: [{known.example(known.measures, 'beispiel-massnahme')}]",
        "# Programme, um die es geht: Dateinamen aus content/programs/ ohne .yaml.",
        f"programs: {yaml_list(programs)}" if programs else
        f"# programs: [{known.example(known.programs, 'beispiel-programm')}]",
        "# Belege: Kennung der Quelle (content/sources/) und Abschnitt wie im Dokument.",
        "# sources:",
        f'#   - {{source: {source}, section: "1.1"}}',
        "# Verfasserin oder Verfasser (optional).",
        '# author: "Presse- und Informationsamt"',
        "# Entwurf: true = nur in der Vorschau sichtbar. Zum Veröffentlichen auf false setzen.",
        f"draft: {'true' if draft else 'false'}",
        "---",
        "[[BITTE ERGÄNZEN: Text der Meldung in ganzen Sätzen. Absätze trennen Sie durch eine "
        "Leerzeile. Nennen Sie zu jeder Zahl die Quelle.]]",
        "",
    ]
    return "\n".join(lines)


def full_date(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return checks.full_date(value).iso()
    except checks.Invalid as exc:
        raise ScaffoldError(f"--date: {exc.message} – {exc.hint}") from exc


def new_update(site: Path, title: str, date: str | None = None,
               measures: tuple[str, ...] = (), programs: tuple[str, ...] = (),
               draft: bool = True) -> Path:
    """Create content/updates/<date>-<slug>.md; raise ScaffoldError and write nothing."""
    title = valid_title(title)
    day = full_date(date)
    slug = title_slug(title)
    known = known_ids(site)
    errors = (check_refs(measures, known.measures, "Maßnahme", "measures")
              + check_refs(programs, known.programs, "Programm", "programs"))
    if errors:
        raise ScaffoldError("\n".join(errors))
    path = site / "content" / "updates" / f"{day}-{slug}.md"
    other = known.updates.get(slug)
    if other is not None and other != f"content/updates/{path.name}":
        raise ScaffoldError(f"Eine Meldung mit der Kennung {slug!r} gibt es schon: {other} – "
                            "anderen Titel wählen (die Kennung ist der Dateiname ohne Datum)")
    return write_new(path, update_text(title, day, measures, programs, draft, known), site)


# --- measures ----------------------------------------------------------------------------------


def stage_comment(stages: tuple[m.Stage, ...]) -> list[str]:
    """The commented `stage` line, naming the site's stages (none without stages)."""
    if not stages:
        return []
    named = ", ".join(f"{st.number} = {st.long_label()}" for st in stages)
    return [f"# Umsetzungsabschnitt, in dem die Maßnahme zuerst vorkommt: {named}.",
            "# Zum Einschalten die Raute (#) am Zeilenanfang entfernen.",
            f"# stage: {stages[-1].number}"]


def measure_text(title: str, program: str, status: str, draft: bool,
                 known: Known | None = None) -> str:
    """Front matter and body of a new measure, each field with a German comment."""
    known = known or Known(frozenset(), frozenset(), {})
    source = known.example(known.sources, "beschluss-2024")
    lines = [
        "---",
        "# Name der Maßnahme (Pflichtfeld).",
        f"title: {yaml_string(title)}",
        "# Programm der Maßnahme: Dateiname aus content/programs/ ohne .yaml (Pflichtfeld).",
        f"program: {program}",
        "# Stand: geplant, in_umsetzung, abgeschlossen, zurueckgestellt oder eingestellt "
        "(Pflichtfeld; bei eingestellt zusätzlich reason: Begründung).",
        f"status: {status}",
        *stage_comment(known.stages),
        "# Projektstart und geplantes Ende: JJJJ, JJJJ-Qn, JJJJ-MM oder JJJJ-MM-TT.",
        "# start: 2024-01",
        "# end: 2025-Q4",
        "# Fortschritt in Prozent (0 bis 100), nur wenn eine Quelle ihn nennt.",
        "# progress: 50",
        '# Zuständige Stelle, z. B. ein Amt oder eine Abteilung.',
        '# responsible: "Amt für Digitalisierung"',
        "# Belege: Kennung der Quelle (content/sources/) und Abschnitt wie im Dokument.",
        "# sources:",
        f'#   - {{source: {source}, section: "2.1"}}',
        "# Entwurf: true = nur in der Vorschau sichtbar. Zum Veröffentlichen auf false setzen.",
        f"draft: {'true' if draft else 'false'}",
        "---",
        "[[BITTE ERGÄNZEN: Beschreibung der Maßnahme: Was wird gemacht, für wen, bis wann? "
        "Nennen Sie zu jeder Angabe die Quelle.]]",
        "",
    ]
    return "\n".join(lines)


def valid_status(status: str) -> str:
    try:
        result: str = checks.choice(m.MEASURE_STATUSES, "Status")(status)
    except checks.Invalid as exc:
        raise ScaffoldError(f"--status: {exc.message} – {exc.hint}") from exc
    return result


def new_measure(site: Path, title: str, program: str, status: str = "geplant",
                draft: bool = True) -> Path:
    """Create content/measures/<slug>.md; raise ScaffoldError and write nothing."""
    title = valid_title(title)
    status = valid_status(status)
    slug = title_slug(title)
    known = known_ids(site)
    errors = check_refs((program,), known.programs, "Programm", "programs")
    if errors:
        raise ScaffoldError("\n".join(errors))
    path = site / "content" / "measures" / f"{slug}.md"
    return write_new(path, measure_text(title, program, status, draft, known), site)
