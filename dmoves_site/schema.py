"""Validate raw mappings into typed records; every problem is collected, none raised."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dmoves_site import model as m
from dmoves_site.problems import Problems
from dmoves_site.reader import RawFile, RawList, RawMap

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
MAX_TEXT = 2000

STATUS_LABELS = {
    "geplant": "geplant",
    "in_umsetzung": "in Umsetzung",
    "abgeschlossen": "abgeschlossen",
    "zurueckgestellt": "zurückgestellt",
}
SERVICE_LABELS = {"online": "online", "in_umsetzung": "in Umsetzung", "geplant": "geplant"}


class Invalid(Exception):
    """A field value is invalid: message and hint in German."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


Check = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record kind: whether it is required and how to check it."""

    check: Check
    required: bool = False


# --- value checks -------------------------------------------------------------------


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (RawMap, RawList)):
        raise Invalid("Text erwartet", "Wert als Text schreiben, ggf. in Anführungszeichen")
    result = str(value).strip()
    if not result:
        raise Invalid("darf nicht leer sein")
    return result


def short_text(value: Any) -> str:
    result = text(value)
    if len(result) > MAX_TEXT:
        raise Invalid(f"zu lang ({len(result)} Zeichen, höchstens {MAX_TEXT})")
    return result


def markdown(value: Any) -> str:
    return text(value)


def slug(value: Any) -> str:
    result = text(value)
    if not SLUG_RE.match(result):
        raise Invalid(f"ungültige Kennung {result!r}",
                      "nur Kleinbuchstaben a–z, Ziffern und Bindestriche (ä → ae, ß → ss)")
    return result


def integer(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"ganze Zahl erwartet, nicht {value!r}")
        if value < low or (high is not None and value > high):
            bounds = f"{low} bis {high}" if high is not None else f"mindestens {low}"
            raise Invalid(f"{value} liegt außerhalb des erlaubten Bereichs ({bounds})")
        return value

    return check


def number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"Zahl erwartet, nicht {value!r}",
                      "Zahlen ohne Tausenderpunkt, Dezimalpunkt statt Komma: 1376 oder 6.4")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - floats always convert
        raise Invalid(f"Zahl erwartet, nicht {value!r}") from exc


def optional_number(value: Any) -> Decimal | None:
    return None if value is None else number(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"true oder false erwartet, nicht {value!r}")
    return value


def date(value: Any) -> m.PartialDate:
    raw = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(raw, str):
        raise Invalid(f"Datum erwartet, nicht {value!r}")
    try:
        return m.PartialDate.parse(raw)
    except ValueError as exc:
        raise Invalid(f"ungültiges Datum {raw!r}",
                      "Format JJJJ-MM-TT, JJJJ-MM, JJJJ-Qn oder JJJJ (z. B. 2021-07-06)") from exc


def full_date(value: Any) -> m.PartialDate:
    result = date(value)
    if result.precision != "day":
        raise Invalid(f"vollständiges Datum erwartet, nicht {result.iso()!r}",
                      "Format JJJJ-MM-TT, z. B. 2021-07-06")
    return result


# Words editors use for a status, mapped to the vocabulary (for the hint only).
STATUS_SYNONYMS = {
    "fertig": "abgeschlossen", "erledigt": "abgeschlossen", "umgesetzt": "abgeschlossen",
    "beendet": "abgeschlossen", "done": "abgeschlossen", "live": "abgeschlossen",
    "in arbeit": "in_umsetzung", "laufend": "in_umsetzung", "läuft": "in_umsetzung",
    "in bearbeitung": "in_umsetzung", "begonnen": "in_umsetzung", "aktiv": "in_umsetzung",
    "offen": "geplant", "vorgesehen": "geplant", "neu": "geplant", "planung": "geplant",
    "pausiert": "zurueckgestellt", "gestoppt": "zurueckgestellt",
    "zurückgestellt": "zurueckgestellt", "verschoben": "zurueckgestellt",
}


def choice(options: tuple[str, ...], what: str = "Wert") -> Check:
    def check(value: Any) -> str:
        result = str(value).strip() if value is not None else ""
        if result not in options:
            shown = ", ".join(options)
            hint = f"erlaubt sind: {shown}"
            key = result.lower()
            close = STATUS_SYNONYMS.get(key) if STATUS_SYNONYMS.get(key) in options else ""
            close = close or _closest(key.replace(" ", "_"), options)
            if close:
                hint += f" (meinten Sie {close!r}?)"
            raise Invalid(f"{what} {result!r} ist unbekannt", hint)
        return result

    return check


def color(value: Any) -> str:
    result = text(value)
    if not COLOR_RE.match(result):
        raise Invalid(f"ungültige Farbe {result!r}", "Format #rrggbb, z. B. #1f5a96")
    return result.lower()


def url(value: Any) -> str:
    result = text(value)
    if not re.match(r"^https?://[^\s<>\"']+$", result):
        raise Invalid(f"ungültige Adresse {result!r}", "vollständige Adresse mit https://")
    return result


def rel_path(value: Any) -> str:
    result = text(value)
    parts = result.split("/")
    if not SAFE_PATH_RE.match(result) or ".." in parts or "\\" in result:
        raise Invalid(f"ungültiger Pfad {result!r}",
                      "relativer Pfad innerhalb von content/, ohne '..'")
    return result


def list_of(item: Check) -> Check:
    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            example = value if isinstance(value, (str, int)) else "a, b"
            raise Invalid("Liste erwartet", f"in eckige Klammern setzen: [{example}]")
        return tuple(item(entry) for entry in value)

    return check


def _closest(word: str, options: Any) -> str:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _missing_hint(key: str, spec: Field) -> str:
    if spec.check is full_date:
        return f"'{key}: JJJJ-MM-TT' ergänzen, z. B. {key}: 2021-07-06"
    if spec.check is date:
        return f"'{key}: …' ergänzen: JJJJ-MM-TT, JJJJ-MM, JJJJ-Qn oder JJJJ"
    return f"'{key}: …' ergänzen"


# --- mappings -------------------------------------------------------------------------


class Reader:
    """Validates the fields of one mapping of one file, collecting problems."""

    def __init__(self, path: str, data: RawMap, problems: Problems, prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.problems = problems
        self.prefix = prefix
        self.ok = True

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def fail(self, key: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.ok = False
        where = self.line(key) if line is None else line
        self.problems.error(self.path, where, self.name(key), message, hint)

    def check_fields(self, fields: dict[str, Field]) -> dict[str, Any]:
        """Check every field; unknown fields are errors with a hint."""
        values: dict[str, Any] = {}
        suggested: set[str] = set()   # a misspelt field is one problem, not two
        for key in self.data:
            if key not in fields:
                close = _closest(key, fields)
                hint = f"meinten Sie {close!r}?" if close else "erlaubt: " + ", ".join(fields)
                self.fail(key, f"unbekanntes Feld {key!r}", hint)
                suggested.add(close)
        for key, spec in fields.items():
            if key not in self.data or self.data[key] is None:
                if spec.required and key not in suggested:
                    self.fail(key, "Pflichtfeld fehlt", _missing_hint(key, spec),
                              self.data.line)
                continue
            try:
                values[key] = spec.check(self.data[key])
            except Invalid as exc:
                self.fail(key, exc.message, exc.hint)
        return values


def source_refs(reader: Reader, key: str, refs: list[tuple[m.SourceRef, str, int]]) -> Check:
    """Check a list of `{source, section, page}`; remember each for reference checks."""

    def check(value: Any) -> tuple[m.SourceRef, ...]:
        if not isinstance(value, RawList):
            raise Invalid("Liste erwartet", "- {source: <id>, section: \"1.1.1\"}")
        result = []
        for index, entry in enumerate(value):
            ref = source_ref(reader, f"{key}[{index}]", entry, value.lines[index], refs)
            if ref is not None:
                result.append(ref)
        return tuple(result)

    return check


SOURCE_REF_FIELDS = {
    "source": Field(slug, True),
    "section": Field(short_text, True),
    "page": Field(integer(1)),
}


def source_ref(reader: Reader, name: str, entry: Any, line: int,
               refs: list[tuple[m.SourceRef, str, int]]) -> m.SourceRef | None:
    if not isinstance(entry, RawMap):
        reader.fail(name, "Zuordnung erwartet", "{source: <id>, section: \"1.1.1\"}", line)
        return None
    sub = Reader(reader.path, entry, reader.problems, f"{reader.prefix}{name}.")
    values = sub.check_fields(SOURCE_REF_FIELDS)
    reader.ok = reader.ok and sub.ok
    if not sub.ok:
        return None
    ref = m.SourceRef(values["source"], str(values["section"]), values.get("page"),
                      entry.line_of("source"))
    refs.append((ref, reader.path, entry.line_of("source")))
    return ref


def sub_reader(reader: Reader, name: str, entry: Any, line: int) -> Reader | None:
    if not isinstance(entry, RawMap):
        reader.fail(name, "Zuordnung erwartet", "", line)
        return None
    return Reader(reader.path, entry, reader.problems, f"{reader.prefix}{name}.")


def each_mapping(reader: Reader, key: str) -> list[tuple[int, Reader]]:
    """Readers for the mappings of list field `key` (problems for non-lists)."""
    value = reader.data.get(key)
    if value is None:
        return []
    if not isinstance(value, RawList):
        reader.fail(key, "Liste erwartet")
        return []
    result = []
    for index, entry in enumerate(value):
        sub = sub_reader(reader, f"{key}[{index}]", entry, value.lines[index])
        if sub is not None:
            result.append((index, sub))
    return result


def _as_list(value: Any) -> Any:
    return value


# --- record kinds ---------------------------------------------------------------------

ID = Field(slug)
SITE_FIELDS = {
    "title": Field(short_text, True),
    "publisher": Field(short_text, True),
    "base_url": Field(url, True),
    "language": Field(choice(("de",), "Sprache"), True),
    "as_of": Field(date, True),
    "description": Field(short_text),
    "contact": Field(short_text),
    "logo": Field(rel_path),
    "colors": Field(lambda v: v),
    "license": Field(lambda v: v),
}
PROGRAM_FIELDS = {
    "id": ID,
    "number": Field(integer(1, 99), True),
    "title": Field(short_text, True),
    "summary": Field(short_text, True),
    "description": Field(markdown),
    "vision": Field(markdown),
    "color": Field(color, True),
    "sources": Field(lambda v: v),
}
MEASURE_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "program": Field(slug, True),
    "status": Field(choice(m.MEASURE_STATUSES, "Status"), True),
    "stage": Field(integer(1, 9)),
    "stages": Field(list_of(integer(1, 9))),
    "progress": Field(integer(0, 100)),
    "start": Field(date),
    "end": Field(date),
    "responsible": Field(short_text),
    "budget": Field(lambda v: v),
    "milestones": Field(lambda v: v),
    "sources": Field(lambda v: v),
    "tags": Field(list_of(short_text)),
    "kpis": Field(list_of(slug)),
    "draft": Field(boolean),
}
MILESTONE_FIELDS = {
    "date": Field(date, True),
    "title": Field(short_text, True),
    "done": Field(boolean, True),
    "source": Field(slug),
    "section": Field(short_text),
    "page": Field(integer(1)),
}
SERVICE_FIELDS = {
    "id": Field(slug, True),
    "title": Field(short_text, True),
    "status": Field(choice(m.SERVICE_STATUSES, "Status"), True),
    "since": Field(date),
    "epayment": Field(boolean),
    "platform": Field(short_text),
    "ozg_id": Field(short_text),
    "themenfeld": Field(short_text),
    "measure": Field(slug),
    "sources": Field(lambda v: v, True),
}
BUDGET_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "unit": Field(choice(m.TABLE_UNITS, "Einheit"), True),
    "years": Field(list_of(lambda v: text(v)), True),
    "lines": Field(lambda v: v, True),
    "sources": Field(lambda v: v, True),
    "program": Field(slug),
    "notes": Field(list_of(markdown)),
    "order": Field(integer(0)),
}
LINE_FIELDS = {
    "id": Field(slug, True),
    "label": Field(short_text, True),
    "kind": Field(choice(m.LINE_KINDS, "Zeilenart"), True),
    "values": Field(list_of(optional_number), True),
    "total": Field(number),
    "sum_of": Field(list_of(slug)),
    "same_as": Field(short_text),
    "program": Field(slug),
}
KPI_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "unit": Field(short_text, True),
    "points": Field(lambda v: v, True),
    "target": Field(lambda v: v),
    "program": Field(slug),
    "description": Field(markdown),
}
POINT_FIELDS = {
    "date": Field(date, True),
    "value": Field(number, True),
    "source": Field(slug, True),
    "section": Field(short_text, True),
    "page": Field(integer(1)),
    "note": Field(short_text),
}
TARGET_FIELDS = {
    "date": Field(date, True),
    "value": Field(number, True),
    "source": Field(slug),
    "section": Field(short_text),
}
UPDATE_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "date": Field(full_date, True),
    "summary": Field(short_text),
    "measures": Field(list_of(slug)),
    "programs": Field(list_of(slug)),
    "sources": Field(lambda v: v),
    "author": Field(short_text),
    "image": Field(rel_path),
    "image_alt": Field(short_text),
    "draft": Field(boolean),
}
SOURCE_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "kind": Field(choice(m.SOURCE_KINDS, "Art"), True),
    "number": Field(short_text),
    "date": Field(date, True),
    "publisher": Field(short_text, True),
    "url": Field(url),
    "file": Field(rel_path),
    "summary": Field(short_text),
    "short_title": Field(short_text),
}
PAGE_FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "summary": Field(short_text),
    "order": Field(integer(0)),
    "sources": Field(lambda v: v),
    "draft": Field(boolean),
}
MONEY_FIELDS = {"amount": Field(number, True),
                "unit": Field(choice(m.MONEY_UNITS, "Einheit"), True)}


@dataclass(slots=True)
class Reference:
    """A reference to another record, checked once every file is read."""

    kind: str
    target: str
    path: str
    line: int
    field: str


class Validator:
    """Turns raw files into records; gathers problems and references to check later."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.refs: list[Reference] = []
        self.source_refs: list[tuple[m.SourceRef, str, int]] = []

    def expect(self, kind: str, target: str, reader: Reader, key: str, line: int | None = None
               ) -> None:
        where = reader.line(key) if line is None else line
        self.refs.append(Reference(kind, target, reader.path, where, reader.name(key)))

    def record_id(self, reader: Reader, values: dict[str, Any], stem: str) -> str:
        if "id" in values:
            return str(values["id"])
        try:
            return slug(stem)
        except Invalid as exc:
            reader.fail("id", f"Dateiname ergibt {exc.message}", exc.hint, 1)
            return ""

    def refs_of(self, reader: Reader, key: str) -> tuple[m.SourceRef, ...]:
        if key not in reader.data or reader.data[key] is None:
            return ()
        try:
            return source_refs(reader, key, self.source_refs)(reader.data[key])  # type: ignore[no-any-return]
        except Invalid as exc:
            reader.fail(key, exc.message, exc.hint)
            return ()

    # site ----------------------------------------------------------------------------
    def site(self, raw: RawFile) -> m.Site | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(SITE_FIELDS)
        colors = self._colors(reader)
        lic = self._license(reader)
        base = values.get("base_url", "")
        if base and not base.endswith("/"):
            reader.fail("base_url", "muss mit '/' enden", f"{base}/")
        if not reader.ok:
            return None
        return m.Site(values["title"], values["publisher"], values["base_url"],
                      values["language"], values["as_of"], values.get("description", ""),
                      values.get("contact", ""), values.get("logo", ""), colors, **lic)

    def _colors(self, reader: Reader) -> dict[str, str]:
        raw = reader.data.get("colors")
        if raw is None:
            return {}
        if not isinstance(raw, RawMap):
            reader.fail("colors", "Zuordnung erwartet", "colors: {primary: \"#1f5a96\"}")
            return {}
        sub = Reader(reader.path, raw, self.problems, "colors.")
        values = sub.check_fields({"primary": Field(color), "accent": Field(color)})
        reader.ok = reader.ok and sub.ok
        return values

    def _license(self, reader: Reader) -> dict[str, str]:
        raw = reader.data.get("license")
        if raw is None:
            return {}
        if not isinstance(raw, RawMap):
            reader.fail("license", "Zuordnung erwartet", "license: {name: …, id: …, url: …}")
            return {}
        sub = Reader(reader.path, raw, self.problems, "license.")
        values = sub.check_fields({"name": Field(short_text, True), "id": Field(short_text, True),
                                   "url": Field(url, True)})
        reader.ok = reader.ok and sub.ok
        if not sub.ok:
            return {}
        return {"license_name": values["name"], "license_id": values["id"],
                "license_url": values["url"]}

    # programs -----------------------------------------------------------------------
    def program(self, raw: RawFile, stem: str) -> m.Program | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(PROGRAM_FIELDS)
        sources = self.refs_of(reader, "sources")
        rid = self.record_id(reader, values, stem)
        if not reader.ok:
            return None
        return m.Program(rid, values["number"], values["title"], values["summary"],
                         values["color"], values.get("description", ""),
                         values.get("vision", ""), sources, raw.path)

    # measures -----------------------------------------------------------------------
    def measure(self, raw: RawFile, stem: str) -> m.Measure | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(MEASURE_FIELDS)
        rid = self.record_id(reader, values, stem)
        milestones = self._milestones(reader)
        sources = self.refs_of(reader, "sources")
        budget = self._money(reader, "budget")
        self._stages(reader, values)
        if "program" in values:
            self.expect("program", values["program"], reader, "program")
        for index, kpi in enumerate(values.get("kpis", ())):
            self.expect("kpi", kpi, reader, "kpis", raw.data["kpis"].lines[index])
        self._start_end(reader, values)
        if not reader.ok:
            return None
        return m.Measure(
            rid, values["title"], values["program"], values["status"], raw.body,
            values.get("stage"), tuple(values.get("stages", ())), values.get("progress"),
            values.get("start"), values.get("end"), values.get("responsible", ""), budget,
            milestones, sources, tuple(values.get("tags", ())), tuple(values.get("kpis", ())),
            values.get("draft", False), raw.path,
        )

    def _stages(self, reader: Reader, values: dict[str, Any]) -> None:
        stages = values.get("stages")
        if stages and "stage" in values and values["stage"] not in stages:
            reader.fail("stages", f"enthält die Stufe {values['stage']} aus 'stage' nicht",
                        f"z. B. stages: [{values['stage']}, …]")
        if stages and list(stages) != sorted(set(stages)):
            reader.fail("stages", "Stufen aufsteigend und ohne Doppelung angeben", "z. B. [1, 2]")

    def _start_end(self, reader: Reader, values: dict[str, Any]) -> None:
        start, end = values.get("start"), values.get("end")
        if start and end and end.last_day() < start.first_day():
            reader.fail("end", f"Ende {end.german()} liegt vor dem Start {start.german()}")

    def _milestones(self, reader: Reader) -> tuple[m.Milestone, ...]:
        result = []
        for _index, sub in each_mapping(reader, "milestones"):
            values = sub.check_fields(MILESTONE_FIELDS)
            ref = self._optional_ref(sub, values)
            reader.ok = reader.ok and sub.ok
            if sub.ok:
                result.append(m.Milestone(values["date"], values["title"], values["done"], ref))
        return tuple(sorted(result, key=lambda ms: ms.date.sort_key()))

    def _optional_ref(self, sub: Reader, values: dict[str, Any]) -> m.SourceRef | None:
        if "source" not in values:
            if "section" in values:
                sub.fail("section", "Abschnitt ohne Quelle", "'source: <id>' ergänzen")
            return None
        if "section" not in values:
            sub.fail("section", "Quelle ohne Abschnitt", "'section: \"1.1.1\"' ergänzen",
                     sub.line("source"))
            return None
        ref = m.SourceRef(values["source"], values["section"], values.get("page"),
                          sub.line("source"))
        self.source_refs.append((ref, sub.path, sub.line("source")))
        return ref

    def _money(self, reader: Reader, key: str) -> m.Money | None:
        raw = reader.data.get(key)
        if raw is None:
            return None
        sub = sub_reader(reader, key, raw, reader.line(key))
        if sub is None:
            return None
        values = sub.check_fields(MONEY_FIELDS)
        reader.ok = reader.ok and sub.ok
        return m.Money(values["amount"], values["unit"]) if sub.ok else None

    # ozg ----------------------------------------------------------------------------
    def services(self, raw: RawFile) -> list[m.Service]:
        reader = Reader(raw.path, raw.data, self.problems)
        reader.check_fields({"services": Field(lambda v: v, True)})
        result = []
        for _index, sub in each_mapping(reader, "services"):
            values = sub.check_fields(SERVICE_FIELDS)
            sources = self.refs_of(sub, "sources")
            if "measure" in values:
                self.expect("measure", values["measure"], sub, "measure")
            if sub.ok:
                result.append(m.Service(
                    values["id"], values["title"], values["status"], sources,
                    values.get("since"), values.get("epayment"), values.get("platform", ""),
                    values.get("ozg_id", ""), values.get("themenfeld", ""),
                    values.get("measure", ""), raw.path, sub.data.line))
        return result

    # budgets ------------------------------------------------------------------------
    def budget(self, raw: RawFile, stem: str) -> m.Budget | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(BUDGET_FIELDS)
        rid = self.record_id(reader, values, stem)
        sources = self.refs_of(reader, "sources")
        years = values.get("years", ())
        lines = self._lines(reader, len(years))
        if "program" in values:
            self.expect("program", values["program"], reader, "program")
        if not reader.ok:
            return None
        return m.Budget(rid, values["title"], values["unit"], tuple(years), lines, sources,
                        values.get("program", ""), tuple(values.get("notes", ())),
                        values.get("order", 0), raw.path)

    def _lines(self, reader: Reader, columns: int) -> tuple[m.BudgetLine, ...]:
        result: list[m.BudgetLine] = []
        for _index, sub in each_mapping(reader, "lines"):
            values = sub.check_fields(LINE_FIELDS)
            numbers = values.get("values", ())
            if "values" in values and len(numbers) != columns:
                sub.fail("values", f"{len(numbers)} Werte, aber {columns} Spalten in 'years'",
                         "je Spalte ein Wert, leere Zellen als null")
            if any(ln.id == values.get("id") for ln in result):
                sub.fail("id", f"Zeilenkennung {values['id']!r} doppelt in dieser Tabelle")
            if "program" in values:
                self.expect("program", values["program"], sub, "program")
            if "same_as" in values:
                self.expect("budget-line", values["same_as"], sub, "same_as")
            reader.ok = reader.ok and sub.ok
            if sub.ok:
                result.append(m.BudgetLine(
                    values["id"], values["label"], values["kind"], tuple(numbers),
                    values.get("total"), tuple(values.get("sum_of", ())),
                    values.get("same_as", ""), values.get("program", ""), sub.data.line))
        self._sum_refs(reader, result)
        return tuple(result)

    def _sum_refs(self, reader: Reader, lines: list[m.BudgetLine]) -> None:
        ids = {ln.id for ln in lines}
        for ln in lines:
            for part in ln.sum_of:
                if part not in ids:
                    close = _closest(part, ids)
                    reader.fail("sum_of", f"Zeile {part!r} gibt es in dieser Tabelle nicht",
                                f"meinten Sie {close!r}?" if close else "", ln.line)

    # kpis ---------------------------------------------------------------------------
    def kpi(self, raw: RawFile, stem: str) -> m.Kpi | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(KPI_FIELDS)
        rid = self.record_id(reader, values, stem)
        points = []
        for _index, sub in each_mapping(reader, "points"):
            pv = sub.check_fields(POINT_FIELDS)
            ref = self._optional_ref(sub, pv) if sub.ok else None
            reader.ok = reader.ok and sub.ok
            if sub.ok and ref is not None:
                points.append(m.KpiPoint(pv["date"], pv["value"], ref, pv.get("note", "")))
        target = self._target(reader)
        if "program" in values:
            self.expect("program", values["program"], reader, "program")
        if not reader.ok:
            return None
        points.sort(key=lambda p: p.date.sort_key())
        return m.Kpi(rid, values["title"], values["unit"], tuple(points), target,
                     values.get("program", ""), values.get("description", ""), raw.path)

    def _target(self, reader: Reader) -> m.KpiTarget | None:
        raw = reader.data.get("target")
        if raw is None:
            return None
        sub = sub_reader(reader, "target", raw, reader.line("target"))
        if sub is None:
            return None
        values = sub.check_fields(TARGET_FIELDS)
        ref = self._optional_ref(sub, values)
        reader.ok = reader.ok and sub.ok
        return m.KpiTarget(values["date"], values["value"], ref) if sub.ok else None

    # updates ------------------------------------------------------------------------
    def update(self, raw: RawFile, stem: str) -> m.Update | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(UPDATE_FIELDS)
        match = re.match(r"^(\d{4}-\d{2}-\d{2})-(.+)$", stem)
        if not match:
            reader.fail("datei", "Dateiname muss mit dem Datum beginnen",
                        "z. B. 2021-07-06-haushaltsentwurf.md", 1)
            return None
        rid = self.record_id(reader, values, match.group(2))
        if "date" in values and values["date"].iso() != match.group(1):
            reader.fail("date", f"Datum {values['date'].iso()} passt nicht zum Dateinamen "
                        f"({match.group(1)})", "Datum oder Dateinamen angleichen")
        for key, kind in (("measures", "measure"), ("programs", "program")):
            for index, target in enumerate(values.get(key, ())):
                self.expect(kind, target, reader, key, raw.data[key].lines[index])
        if values.get("image") and not values.get("image_alt"):
            reader.fail("image_alt", "Bild ohne Alternativtext",
                        "'image_alt: …' mit einer kurzen Bildbeschreibung ergänzen",
                        reader.line("image"))
        sources = self.refs_of(reader, "sources")
        if not reader.ok:
            return None
        return m.Update(rid, values["title"], values["date"], raw.body,
                        values.get("summary", ""), tuple(values.get("measures", ())),
                        tuple(values.get("programs", ())), sources, values.get("author", ""),
                        values.get("image", ""), values.get("image_alt", ""),
                        values.get("draft", False), raw.path)

    # sources ------------------------------------------------------------------------
    def source(self, raw: RawFile, stem: str) -> m.Source | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(SOURCE_FIELDS)
        rid = self.record_id(reader, values, stem)
        if not reader.ok:
            return None
        return m.Source(rid, values["title"], values["kind"], values["date"],
                        values["publisher"], values.get("number", ""), values.get("url", ""),
                        values.get("file", ""), values.get("summary", ""), raw.path,
                        values.get("short_title", ""))

    # pages --------------------------------------------------------------------------
    def page(self, raw: RawFile, stem: str) -> m.Page | None:
        reader = Reader(raw.path, raw.data, self.problems)
        values = reader.check_fields(PAGE_FIELDS)
        rid = self.record_id(reader, values, stem)
        sources = self.refs_of(reader, "sources")
        if not reader.ok:
            return None
        return m.Page(rid, values["title"], raw.body, values.get("summary", ""),
                      values.get("order", 0), sources, values.get("draft", False), raw.path)
