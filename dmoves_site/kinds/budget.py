"""Budget tables as printed in the sources (`content/budgets/<id>.yaml`)."""

from __future__ import annotations

from typing import Any

from dmoves_site import model as m
from dmoves_site.checks import (
    ID,
    Field,
    choice,
    closest,
    integer,
    list_of,
    markdown,
    number,
    optional_number,
    short_text,
    slug,
    text,
)
from dmoves_site.kinds.base import Column, Dataset, Kind, join_refs
from dmoves_site.reader import RawFile
from dmoves_site.schema import Reader, Validator, each_mapping

FIELDS = {
    "id": ID,
    "title": Field(short_text, True),
    "unit": Field(choice(m.TABLE_UNITS, "Einheit"), True),
    "years": Field(list_of(text), True),
    "lines": Field(None, True),
    "sources": Field(None, True),
    "program": Field(slug),
    "notes": Field(list_of(markdown)),
    "order": Field(integer(0)),
    "kind": Field(choice(m.TABLE_KINDS, "Tabellenart")),
}
LINE_FIELDS = {
    "id": Field(slug, True),
    "label": Field(short_text, True),
    "kind": Field(choice(m.LINE_KINDS, "Zeilenart"), True),
    "values": Field(list_of(optional_number), True),
    "total": Field(number),
    "sum_of": Field(list_of(slug)),
    "difference_of": Field(list_of(slug)),
    "same_as": Field(short_text),
    "program": Field(slug),
}


def validate(v: Validator, raw: RawFile, stem: str) -> m.Budget | None:
    """One budget file → a Budget (or None, with problems)."""
    reader = Reader(raw.path, raw.data, v.problems)
    values = reader.check_fields(FIELDS)
    rid = v.record_id(reader, values, stem)
    sources = v.refs_of(reader, "sources")
    years = values.get("years", ())
    lines = _lines(v, reader, len(years))
    if "program" in values:
        v.expect("program", values["program"], reader, "program")
    if not reader.ok:
        return None
    return m.Budget(id=rid, title=values["title"], unit=values["unit"], years=tuple(years),
                    lines=lines, sources=sources, program=values.get("program", ""),
                    notes=tuple(values.get("notes", ())), order=values.get("order", 0),
                    path=raw.path, kind=values.get("kind", ""))


def _lines(v: Validator, reader: Reader, columns: int) -> tuple[m.BudgetLine, ...]:
    result: list[m.BudgetLine] = []
    for _index, sub in each_mapping(reader, "lines"):
        values = sub.check_fields(LINE_FIELDS)
        _check_line(v, sub, values, columns, result)
        reader.ok = reader.ok and sub.ok
        if sub.ok:
            result.append(m.BudgetLine(
                id=values["id"], label=values["label"], kind=values["kind"],
                values=tuple(values.get("values", ())), total=values.get("total"),
                sum_of=tuple(values.get("sum_of", ())), same_as=values.get("same_as", ""),
                program=values.get("program", ""), line=sub.data.line,
                difference_of=tuple(values.get("difference_of", ()))))
    _check_sum_refs(reader, result)
    return tuple(result)


def _check_line(v: Validator, sub: Reader, values: dict[str, Any], columns: int,
                before: list[m.BudgetLine]) -> None:
    numbers = values.get("values", ())
    if "values" in values and len(numbers) != columns:
        sub.fail("values", f"{len(numbers)} Werte, aber {columns} Spalten in 'years'",
                 "je Spalte ein Wert, leere Zellen als null")
    if any(ln.id == values.get("id") for ln in before):
        sub.fail("id", f"Zeilenkennung {values['id']!r} doppelt in dieser Tabelle")
    if "program" in values:
        v.expect("program", values["program"], sub, "program")
    if "same_as" in values:
        v.expect("budget-line", values["same_as"], sub, "same_as")
    if len(values.get("difference_of", (0, 0))) != 2:
        sub.fail("difference_of", "genau zwei Zeilen erwartet: [a, b] für a − b",
                 "z. B. difference_of: [ertraege, aufwendungen]")


def _check_sum_refs(reader: Reader, lines: list[m.BudgetLine]) -> None:
    ids = {ln.id for ln in lines}
    for ln in lines:
        for key, parts in (("sum_of", ln.sum_of), ("difference_of", ln.difference_of)):
            for part in (p for p in parts if p not in ids):
                close = closest(part, ids)
                reader.fail(key, f"Zeile {part!r} gibt es in dieser Tabelle nicht",
                            f"meinten Sie {close!r}?" if close else "", ln.line)


S, N = "string", "number"
COLUMNS = (
    Column("zeile", S, "Kennung der Zeile"), Column("bezeichnung", S, "Bezeichnung"),
    Column("art", S, ", ".join(m.LINE_KINDS[:-1]) + " oder " + m.LINE_KINDS[-1]),
    Column("spalte", S, "Jahr oder Spaltenkopf; 'Gesamt' für die gedruckte Zeilensumme"),
    Column("wert", N, "Wert wie veröffentlicht"), Column("einheit", S, "Einheit"),
)


def dataset(budget: m.Budget) -> Dataset:
    """A budget table in long form: one row per line and column, as printed."""
    rows = []
    for line in budget.lines:
        cells = [*zip(budget.years, line.values, strict=True)]
        if line.total is not None:
            cells.append(("Gesamt", line.total))
        rows += [{"zeile": line.id, "bezeichnung": line.label, "art": line.kind,
                  "spalte": column, "wert": value, "einheit": budget.unit}
                 for column, value in cells]
    return Dataset(
        f"haushalt-{budget.id}", f"Haushalt: {budget.title}",
        f"Die Tabelle „{budget.title}“ wie veröffentlicht ({budget.unit}); Quelle: "
        f"{join_refs(budget.sources)}.", COLUMNS, tuple(rows))


def _order(budget: Any) -> Any:
    return (budget.order, budget.id)


KIND = Kind(
    name="budget", label="Haushaltstabelle", folder="budgets", markdown=False,
    record=m.Budget, fields=FIELDS, validate=validate, url="haushalt/", title="Haushalt",
    template="budget.html", index_template="budgets.html", parts={"lines": LINE_FIELDS},
    order=_order, record_dataset=dataset,
)
