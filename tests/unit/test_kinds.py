"""The kinds registry: one declaration per kind, read by every stage; duplicates refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dmoves_site import routes
from dmoves_site.checks import Field, short_text
from dmoves_site.kinds import KINDS, Column, DatasetSpec, Kind
from dmoves_site.kinds.base import DuplicateKind
from dmoves_site.schema import plain
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry: the smallest kind one could add."""

    id: str
    title: str
    meaning: str
    body: str = ""
    path: str = ""


TERM_FIELDS = {"id": Field(None), "title": Field(short_text, True),
               "meaning": Field(short_text, True)}
TERM = Kind(
    name="term", label="Begriff", folder="glossar", markdown=True, record=Term,
    fields=TERM_FIELDS, validate=plain(Term, TERM_FIELDS), url="glossar/",
    title="Glossar", template="term.html", index_template="terms.html",
    datasets=(DatasetSpec("glossar", "Glossar", "Alle Begriffe.",
                          (Column("id", "string", "Kennung"),
                           Column("bedeutung", "string", "Bedeutung")),
                          lambda terms: ({"id": t.id, "bedeutung": t.meaning}
                                         for t in terms)),),
)
TEMPLATES = {
    "term.html": '{% extends "base.html" %}{% block main %}<h1>{{ term.title }}</h1>'
                 "<p>{{ term.meaning }}</p>{{ term.body|markdown }}{% endblock %}",
    "terms.html": '{% extends "base.html" %}{% block main %}<ul>{% for t in records %}'
                  '<li><a href="{{ root }}{{ url_for("term", t.id) }}">{{ t.title }}</a></li>'
                  "{% endfor %}</ul>{% endblock %}",
}


@pytest.fixture
def term_kind() -> Iterator[Kind]:
    KINDS.register(TERM)
    try:
        yield TERM
    finally:
        KINDS.unregister("term")


def test_a_new_kind_needs_only_its_declaration_and_templates(
        term_kind: Kind, make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"glossar/ozg.md": "---\ntitle: OZG\nmeaning: Onlinezugangsgesetz\n"
                                        "---\nDas Gesetz von 2017.\n"})
    (site / "templates").mkdir()
    for name, text in TEMPLATES.items():
        (site / "templates" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    page = (out / "glossar" / "ozg" / "index.html").read_text(encoding="utf-8")
    assert "<h1>OZG</h1>" in page and "Onlinezugangsgesetz" in page
    assert "Das Gesetz von 2017." in page
    listing = (out / "glossar" / "index.html").read_text(encoding="utf-8")
    assert 'href="../glossar/ozg/"' in listing
    csv = (out / "daten" / "glossar.csv").read_bytes()
    assert csv == b"id,bedeutung\r\nozg,Onlinezugangsgesetz\r\n"
    package = json.loads((out / "daten" / "datapackage.json").read_text(encoding="utf-8"))
    assert "glossar" in [r["name"] for r in package["resources"]]
    assert "glossar" in routes.reserved_page_ids()


def test_a_new_kind_is_validated_from_its_field_table(term_kind: Kind,
                                                      make_site: MakeSite) -> None:
    site = make_site({"glossar/ozg.md": "---\ntitle: OZG\nbedeutung: falsch\n---\n"})
    result = run_cli("--site", str(site), "check")
    assert result.exit_code == 1
    assert "content/glossar/ozg.md:3: bedeutung: unbekanntes Feld 'bedeutung'" in result.output
    assert "content/glossar/ozg.md:2: meaning: Pflichtfeld fehlt" in result.output


def test_registry_refuses_a_second_kind_of_a_name_or_folder(term_kind: Kind) -> None:
    with pytest.raises(DuplicateKind):
        KINDS.register(TERM)
    with pytest.raises(DuplicateKind):
        KINDS.register(Kind(name="begriff", label="x", folder="glossar", markdown=True,
                            record=Term, fields={}, validate=plain(Term, {}), url="x/"))


def test_a_kind_cannot_take_another_kinds_address(term_kind: Kind) -> None:
    other = Kind(name="wort", label="Wort", folder="woerter", markdown=True, record=Term,
                 fields={}, validate=plain(Term, {}), url="massnahmen/")
    with pytest.raises(routes.DuplicateSection):
        KINDS.register(other)
    assert "wort" not in KINDS


def test_built_in_kinds_in_load_order() -> None:
    assert [k.name for k in KINDS] == ["program", "measure", "service", "budget", "kpi",
                                       "update", "source", "page"]
    assert routes.url_for("measure", "x") == "massnahmen/x/"
