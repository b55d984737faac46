"""The page kinds of the bundled site that the browser tests visit, and how to find them."""

from __future__ import annotations

from pathlib import Path

import yaml

from dmoves_site.load import load_content
from tests.conftest import ROOT

WIDTHS = (1280, 375)

# kind → path relative to the site root; "<…>" entries are resolved from content/.
PAGE_KINDS: dict[str, str] = {
    "home": "",
    "program": "<first program>",
    "measures": "massnahmen/",
    "measures-filtered": "massnahmen/status/abgeschlossen/",
    "measure": "<richest measure>",
    "schedule": "zeitplan/",
    "ozg": "ozg/",
    "budgets": "haushalt/",
    "budget-table": "haushalt/gesamtdarstellung/",
    "kpi": "kennzahlen/mobile-arbeitsplaetze/",
    "chart": "grafiken/umsetzungsstand-je-programm/",
    "chart-embed": "grafiken/umsetzungsstand-je-programm/embed/",
    "updates": "aktuelles/",
    "update": "<newest update>",
    "sources": "quellen/",
    "source": "<most cited source>",
    "data": "daten/",
    "free-page": "ueber/",
    "easy-language": "leichte-sprache/",
    "search": "suche/",
    "404-page": "404.html",
    # an unknown URL two levels deep: the host answers 404 with 404.html
    "missing-url": "massnahmen/gibt-es-nicht/",
}

# Kinds that show at least one chart; each must render interactively from local plotly.js.
CHART_KINDS = ("home", "program", "ozg", "budgets", "budget-table", "kpi", "chart",
               "chart-embed", "schedule")
# The one deliberate 404 load.
NOT_FOUND_KINDS = ("missing-url",)


def site_base_url(root: Path = ROOT) -> str:
    data = yaml.safe_load((root / "content" / "site.yaml").read_text(encoding="utf-8"))
    return str(data["base_url"])


def resolve_kinds(root: Path = ROOT) -> dict[str, str]:
    """PAGE_KINDS with the placeholders replaced by real paths of the bundled content."""
    content, problems = load_content(root / "content")
    assert content is not None, [p.format() for p in problems.errors]
    first_program = min(content.programs, key=lambda p: (p.number, p.id))
    richest = max(content.measures, key=lambda x: (
        len(x.milestones) + len(x.sources) + len(x.kpis) + (x.budget is not None)
        + (x.progress is not None) + len(x.tags), x.id))
    newest = content.updates[0]
    cited: dict[str, int] = {}
    for x in content.measures:
        for ref in x.sources:
            cited[ref.source] = cited.get(ref.source, 0) + 1
    source = max(content.sources, key=lambda s: (cited.get(s.id, 0), s.id))
    resolved = dict(PAGE_KINDS)
    resolved["program"] = f"programme/{first_program.id}/"
    resolved["measure"] = f"massnahmen/{richest.id}/"
    resolved["update"] = f"aktuelles/{newest.id}/"
    resolved["source"] = f"quellen/{source.id}/"
    return resolved
