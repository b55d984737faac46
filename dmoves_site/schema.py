"""Validate raw mappings into typed records; every problem is collected, none raised.

The value checks are in `checks`, the field tables and record validation of each kind in
`kinds/`; this module reads mappings field by field and validates `site.yaml`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dmoves_site import model as m
from dmoves_site.checks import (
    Check,
    Field,
    Invalid,
    choice,
    closest,
    color,
    date,
    integer,
    missing_hint,
    number,
    rel_path,
    short_text,
    slug,
    url,
)
from dmoves_site.problems import Problems
from dmoves_site.reader import RawFile, RawList, RawMap

SITE_FIELDS = {
    "title": Field(short_text, True),
    "publisher": Field(short_text, True),
    "base_url": Field(url, True),
    "language": Field(choice(("de",), "Sprache"), True),
    "as_of": Field(date, True),
    "description": Field(short_text),
    "contact": Field(short_text),
    "logo": Field(rel_path),
    "colors": Field(None),
    "license": Field(None),
    "repository_url": Field(url),
}
SOURCE_REF_FIELDS = {
    "source": Field(slug, True),
    "section": Field(short_text, True),
    "page": Field(integer(1)),
}
MONEY_FIELDS = {"amount": Field(number, True),
                "unit": Field(choice(m.MONEY_UNITS, "Einheit"), True)}


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")


def _placeholder_host(url: str) -> bool:
    """True for the reserved example domains (RFC 2606) and localhost."""
    host = (urlsplit(url).hostname or "") if isinstance(url, str) else ""
    return any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS) \
        or host.endswith((".example", ".test", ".invalid"))


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
                close = closest(key, fields)
                hint = f"meinten Sie {close!r}?" if close else "erlaubt: " + ", ".join(fields)
                self.fail(key, f"unbekanntes Feld {key!r}", hint)
                suggested.add(close)
        for key, spec in fields.items():
            if key not in self.data or self.data[key] is None:
                if spec.required and key not in suggested:
                    self.fail(key, "Pflichtfeld fehlt", missing_hint(key, spec),
                              self.data.line)
                continue
            if spec.check is None:   # read by the kind's own validation
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
        if _placeholder_host(base):
            self.problems.warn(raw.path, reader.line("base_url"), "base_url",
                               f"Platzhalter-Adresse {base!r}: Links in Zitaten, Feed und "
                               "Sitemap zeigen dorthin",
                               "vor der Veröffentlichung die echte Adresse der Website "
                               "eintragen, z. B. https://www.stadt.de/digital/")
        if not reader.ok:
            return None
        return m.Site(title=values["title"], publisher=values["publisher"],
                      base_url=values["base_url"], language=values["language"],
                      as_of=values["as_of"], description=values.get("description", ""),
                      contact=values.get("contact", ""), logo=values.get("logo", ""),
                      colors=colors, **lic,
                      repository_url=values.get("repository_url", "").rstrip("/"))

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

    def optional_ref(self, sub: Reader, values: dict[str, Any]) -> m.SourceRef | None:
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

    def money(self, reader: Reader, key: str) -> m.Money | None:
        raw = reader.data.get(key)
        if raw is None:
            return None
        sub = sub_reader(reader, key, raw, reader.line(key))
        if sub is None:
            return None
        values = sub.check_fields(MONEY_FIELDS)
        reader.ok = reader.ok and sub.ok
        return m.Money(values["amount"], values["unit"]) if sub.ok else None


def plain(record: type, fields: dict[str, Field]) -> Callable[[Validator, RawFile, str], Any]:
    """Validation for a kind whose fields are its record's fields, by the same names.

    The record also gets `id` (from the file name unless given), `path`, the Markdown
    `body` and checked `sources` where it has such fields.
    """
    names = {f.name for f in dataclasses.fields(record)}

    def validate(v: Validator, raw: RawFile, stem: str) -> Any:
        reader = Reader(raw.path, raw.data, v.problems)
        values = reader.check_fields(fields)
        values["id"] = v.record_id(reader, values, stem)
        if "sources" in fields:
            values["sources"] = v.refs_of(reader, "sources")
        if not reader.ok:
            return None
        given = {"path": raw.path, "body": raw.body}
        return record(**values, **{k: given[k] for k in given.keys() & names})

    return validate
