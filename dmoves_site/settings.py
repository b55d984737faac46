"""Site settings: validate `content/site.yaml`, then check its references once all is read.

Everything that differs from one city to the next is a setting here (name, terms, stages,
headline figures, logo, colours, required pages, source kind labels); see docs/content.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dmoves_site import checks as c
from dmoves_site import formatting as fmt
from dmoves_site import model as m
from dmoves_site import schema as s
from dmoves_site.problems import Problems
from dmoves_site.reader import RawFile, RawList, RawMap

MIN_CONTRAST = 4.5   # WCAG 2.1 AA for normal text
TERMS = ("program", "measure", "stage")


SITE_FIELDS = {
    "title": c.Field(c.short_text, True),
    "publisher": c.Field(c.short_text, True),
    "base_url": c.Field(c.url, True),
    "language": c.Field(c.choice(("de",), "Sprache"), True),
    "as_of": c.Field(c.date, True),
    "description": c.Field(c.short_text),
    "contact": c.Field(c.short_text),
    "name": c.Field(c.short_text),
    "intro": c.Field(c.markdown),
    "terms": c.Field(None),
    "stages": c.Field(None),
    "highlights": c.Field(None),
    "logo": c.Field(None),
    "colors": c.Field(None),
    "pages": c.Field(None),
    "source_kinds": c.Field(None),
    "ozg_kpi": c.Field(c.slug),
    "page_size": c.Field(c.integer(10, 100_000)),
    "license": c.Field(None),
    "repository_url": c.Field(c.url),
}
TERM_FIELDS = {"singular": c.Field(c.short_text, True), "plural": c.Field(c.short_text, True)}
STAGE_FIELDS = {
    "number": c.Field(c.integer(1, 9), True),
    "label": c.Field(c.short_text, True),
    "period": c.Field(c.short_text),
}
HIGHLIGHT_FIELDS = {
    "measures": c.Field(c.choice(("by_status",), "Kennzahl")),
    "services": c.Field(c.choice(("online",), "Kennzahl")),
    "kpi": c.Field(c.slug),
    "budget": c.Field(c.slug),
    "line": c.Field(c.slug),
    "label": c.Field(c.short_text),
    "note": c.Field(c.boolean),
}
LOGO_FIELDS = {"file": c.Field(c.rel_path, True), "alt": c.Field(c.short_text, True)}
COLOR_FIELDS = {"primary": c.Field(c.color), "accent": c.Field(c.color)}
PAGES_FIELDS = {key: c.Field(c.slug) for key in m.LEGAL_PAGES}
SOURCE_KIND_FIELDS = {"short": c.Field(c.short_text), "name": c.Field(c.short_text)}
LICENSE_FIELDS = {"name": c.Field(c.short_text, True), "id": c.Field(c.short_text, True),
                  "url": c.Field(c.url, True)}


def contrast(color: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours (1 to 21)."""
    def luminance(hex_color: str) -> float:
        channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(color), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class SiteReader:
    """Validates site.yaml into a Site; every problem goes to `problems`."""

    def __init__(self, raw: RawFile, problems: Problems) -> None:
        self.raw = raw
        self.reader = s.Reader(raw.path, raw.data, problems)
        self.problems = problems

    def read(self) -> m.Site | None:
        reader = self.reader
        values = reader.check_fields(SITE_FIELDS)
        base = values.get("base_url", "")
        if base and not base.endswith("/"):
            reader.fail("base_url", "muss mit '/' enden", f"{base}/")
        if s.placeholder_host(base):
            self.problems.warn(self.raw.path, reader.line("base_url"), "base_url",
                               f"Platzhalter-Adresse {base!r}: Links in Zitaten, Feed und "
                               "Sitemap zeigen dorthin",
                               "vor der Veröffentlichung die echte Adresse der Website "
                               "eintragen, z. B. https://www.stadt.de/digital/")
        extra: dict[str, Any] = {
            "terms": self.terms(), "stages": self.stages(), "highlights": self.highlights(),
            "logo": self.logo(), "colors": self.colors(), "pages": self.pages(),
            "source_kinds": self.source_kinds(), **self.license(),
        }
        if not reader.ok:
            return None
        plain = ("description", "contact", "name", "intro", "ozg_kpi", "page_size")
        extra |= {k: values[k] for k in plain if k in values}
        if "repository_url" in values:
            extra["repository_url"] = values["repository_url"].rstrip("/")
        return m.Site(values["title"], values["publisher"], values["base_url"],
                      values["language"], values["as_of"], **extra,
                      path=self.raw.path, lines=self.lines())

    def lines(self) -> dict[str, int]:
        """The line of every setting and of each key inside the mappings."""
        data = self.raw.data
        found = {key: data.line_of(key) for key in data}
        for key in ("pages", "logo", "terms"):
            sub = data.get(key)
            if isinstance(sub, RawMap):
                found |= {f"{key}.{k}": sub.line_of(k) for k in sub}
        found["site"] = data.line
        return found

    def mapping(self, key: str, example: str) -> s.Reader | None:
        raw = self.reader.data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, RawMap):
            self.reader.fail(key, "Zuordnung erwartet", example)
            return None
        return s.Reader(self.reader.path, raw, self.problems, f"{key}.")

    def each(self, key: str, example: str) -> list[s.Reader]:
        raw = self.reader.data.get(key)
        if raw is None:
            return []
        if not isinstance(raw, RawList):
            self.reader.fail(key, "Liste erwartet", example)
            return []
        subs = [s.sub_reader(self.reader, f"{key}[{i}]", entry, raw.lines[i])
                for i, entry in enumerate(raw)]
        return [sub for sub in subs if sub is not None]

    def nested(self, sub: s.Reader, fields: dict[str, c.Field]) -> dict[str, Any]:
        values = sub.check_fields(fields)
        self.reader.ok = self.reader.ok and sub.ok
        return values if sub.ok else {}

    def terms(self) -> dict[str, str]:
        sub = self.mapping("terms", "terms: {program: {singular: Handlungsfeld, "
                                    "plural: Handlungsfelder}}")
        if sub is None:
            return {}
        self.nested(sub, {key: c.Field(None) for key in TERMS})
        result: dict[str, str] = {}
        for key in TERMS:
            inner = sub.data.get(key)
            if inner is None:
                continue
            words = self.nested(inner_reader, TERM_FIELDS) if (
                inner_reader := s.sub_reader(sub, key, inner, sub.line(key))) else {}
            self.reader.ok = self.reader.ok and sub.ok
            if words:
                result[key], result[f"{key}s"] = words["singular"], words["plural"]
        return result

    def stages(self) -> tuple[m.Stage, ...]:
        result: list[m.Stage] = []
        for sub in self.each("stages", '- {number: 1, label: "Phase 1", period: "2024/2025"}'):
            values = self.nested(sub, STAGE_FIELDS)
            if not values:
                continue
            if any(st.number == values["number"] for st in result):
                sub.fail("number", f"{values['number']} ist doppelt angelegt")
                self.reader.ok = False
                continue
            result.append(m.Stage(values["number"], values["label"], values.get("period", "")))
        return tuple(sorted(result, key=lambda st: st.number))

    def highlights(self) -> tuple[m.Highlight, ...] | None:
        if self.reader.data.get("highlights") is None:
            return None
        result = []
        for sub in self.each("highlights", "- {measures: by_status}"):
            values = self.nested(sub, HIGHLIGHT_FIELDS)
            item = self.highlight(sub, values) if values else None
            if item is not None:
                result.append(item)
        return tuple(result)

    def highlight(self, sub: s.Reader, values: dict[str, Any]) -> m.Highlight | None:
        kinds = [k for k in ("measures", "services", "kpi", "budget") if k in values]
        if len(kinds) != 1:
            sub.fail("highlights", "genau eine Angabe erwartet: measures, services, kpi oder "
                     "budget", "z. B. {kpi: online-dienste}", sub.data.line)
            self.reader.ok = False
            return None
        kind = kinds[0]
        if kind == "budget" and "line" not in values:
            sub.fail("line", "Haushaltszeile fehlt", "{budget: <id>, line: <zeilen-id>}",
                     sub.line("budget"))
            self.reader.ok = False
            return None
        ref = values[kind] if kind in ("kpi", "budget") else ""
        return m.Highlight(kind, ref, values.get("line", ""), values.get("label", ""),
                           values.get("note", True))

    def logo(self) -> m.Logo | None:
        raw = self.reader.data.get("logo")
        if raw is None:
            return None
        if isinstance(raw, str):   # the short form: a path, the logo decorative
            try:
                return m.Logo(c.rel_path(raw), "")
            except c.Invalid as exc:
                self.reader.fail("logo", exc.message, exc.hint)
                return None
        sub = self.mapping("logo", 'logo: {file: images/logo.svg, alt: "Wappen der Stadt"}')
        values = self.nested(sub, LOGO_FIELDS) if sub is not None else {}
        return m.Logo(values["file"], values["alt"]) if values else None

    def colors(self) -> dict[str, str]:
        sub = self.mapping("colors", 'colors: {primary: "#1f5a96"}')
        values = self.nested(sub, COLOR_FIELDS) if sub is not None else {}
        for key, value in values.items():
            ratio = contrast(value)
            if ratio < MIN_CONTRAST:
                assert sub is not None
                sub.fail(key, f"Kontrast {value} auf Weiß ist {fmt.number(round(ratio, 2), 2)}:1, "
                         f"zu wenig für WCAG AA ({fmt.number(MIN_CONTRAST)}:1)",
                         "eine dunklere Farbe wählen")
                self.reader.ok = False
        return values

    def pages(self) -> dict[str, str]:
        sub = self.mapping("pages", "pages: {imprint: impressum}")
        values = self.nested(sub, PAGES_FIELDS) if sub is not None else {}
        return {**m.DEFAULT_PAGES, **values}

    def source_kinds(self) -> dict[str, dict[str, str]]:
        sub = self.mapping("source_kinds", 'source_kinds: {drucksache: "Vorlage"}')
        if sub is None:
            return {}
        sub.check_fields({kind: c.Field(None) for kind in m.SOURCE_KINDS})
        result = {}
        for kind in m.SOURCE_KINDS:
            value = sub.data.get(kind)
            if isinstance(value, RawMap):
                inner = s.Reader(sub.path, value, self.problems, f"source_kinds.{kind}.")
                result[kind] = self.nested(inner, SOURCE_KIND_FIELDS)
            elif value is not None:
                result[kind] = self.checked(sub, kind, c.short_text, {"short": value})
        self.reader.ok = self.reader.ok and sub.ok
        return result

    def checked(self, sub: s.Reader, key: str, check: Callable[[Any], Any],
                result: dict[str, Any]) -> dict[str, str]:
        try:
            return {k: check(v) for k, v in result.items()}
        except c.Invalid as exc:
            sub.fail(key, exc.message, exc.hint)
            return {}

    def license(self) -> dict[str, str]:
        sub = self.mapping("license", "license: {name: …, id: …, url: …}")
        values = self.nested(sub, LICENSE_FIELDS) if sub is not None else {}
        if not values:
            return {}
        return {"license_name": values["name"], "license_id": values["id"],
                "license_url": values["url"]}


def read_site(raw: RawFile, problems: Problems) -> m.Site | None:
    """site.yaml → Site, or None with the problems recorded."""
    return SiteReader(raw, problems).read()


# --- after every file is read ---------------------------------------------------------


def check_site(site: m.Site, content: Path, records: dict[str, list[Any]],
               problems: Problems, strict: bool = True) -> None:
    """References of the settings: logo file, required pages, highlights, stages.

    Without `strict` (build, serve) a missing required page is a warning: the site builds
    without its link, and `check` and `publish` still refuse it.
    """
    def error(key: str, message: str, hint: str = "") -> None:
        problems.error(site.path, _site_line(site, key), key, message, hint)

    if site.logo is not None and not (content / site.logo.file).is_file():
        error("logo.file", f"Logodatei {site.logo.file!r} gibt es nicht",
              "Pfad relativ zu content/ angeben, z. B. images/logo.svg")
    check_required_pages(site, content, records["page"], problems, strict)
    kpis = {k.id for k in records["kpi"]}
    budgets = {b.id: b for b in records["budget"]}
    for index, item in enumerate(site.highlights or ()):
        where = f"highlights[{index}]"
        if item.kind == "kpi" and item.ref not in kpis:
            error("highlights", f"{where}: Kennzahl {item.ref!r} gibt es nicht")
        if item.kind == "budget" and (item.ref not in budgets
                                      or budgets[item.ref].line_by_id(item.line) is None):
            error("highlights", f"{where}: Haushaltszeile {item.ref}/{item.line} gibt es nicht")
    if site.ozg_kpi and site.ozg_kpi not in kpis:
        error("ozg_kpi", f"Kennzahl {site.ozg_kpi!r} gibt es nicht")
    check_stages(site, content, records["measure"], problems)


def _site_line(site: m.Site, key: str) -> int:
    """The line of `key` (`pages.imprint`) in site.yaml, else of its section, else 1."""
    return site.lines.get(key) or site.lines.get(key.split(".")[0]) or 1


def check_required_pages(site: m.Site, content: Path, pages: list[m.Page],
                         problems: Problems, strict: bool) -> None:
    """Each legal page the theme links to exists and is not a draft (see check_site)."""
    def required(key: str, message: str, hint: str) -> None:
        line = _site_line(site, key)
        if strict:
            problems.error(site.path, line, key, message, hint)
        else:
            problems.warn(site.path, line, key, message,
                          hint + "; bis dahin fehlt ihr Link, und publish veröffentlicht nicht")

    by_id = {p.id: p for p in pages}
    for key in m.LEGAL_PAGES:
        page = by_id.get(site.pages[key])
        if page is None and (content / "pages" / f"{site.pages[key]}.md").is_file():
            continue   # the file is there but broken: its own error says what is wrong
        if page is None:
            required(f"pages.{key}", f"Pflichtseite content/pages/{site.pages[key]}.md fehlt",
                     f"Seite anlegen oder unter 'pages: {{{key}: <id>}}' eine vorhandene nennen")
        elif page.draft:
            required(f"pages.{key}", f"Pflichtseite {page.path} ist ein Entwurf",
                     "'draft: false' setzen: die Seite wird von jeder Seite aus verlinkt")


def check_stages(site: m.Site, content: Path, measures: list[m.Measure], problems: Problems
                 ) -> None:
    """With stages declared, a measure's stage must be one of them."""
    declared = {st.number for st in site.stages}
    if not declared:
        return
    for x in measures:
        for number in x.all_stages:
            if number not in declared:
                key = "stages" if x.stages else "stage"
                problems.error(x.path, _line_of(content.parent / x.path, key), key,
                               f"{number} ist in site.yaml unter 'stages' nicht angelegt",
                               "erlaubt: " + ", ".join(str(n) for n in sorted(declared)))


def _line_of(path: Path, key: str) -> int:
    """The line where `key:` starts in a front matter (records keep no line per field)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 0)
