"""Render pages: Jinja environment, page contexts, and the map {relative path: bytes}."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from dmoves_site import charts as ch
from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import mdrender, routes
from dmoves_site import model as m
from dmoves_site.kinds import KINDS, Kind
from dmoves_site.model import SERVICE_LABELS, SOURCE_KIND_LABELS, STATUS_ICONS, STATUS_LABELS
from dmoves_site.problems import Problem

THEME = Path(__file__).parent / "theme"
PAGE_SIZE = 10
PLOTLY_JS = routes.asset("vendor/plotly-basic-4.1.1.min.js")


def make_env(site_templates: Path | None) -> jinja2.Environment:
    """Jinja with autoescape and StrictUndefined; a site's templates/ override the theme."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.FileSystemLoader(str(THEME / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update({
        "number": fmt.number, "money": fmt.money, "millions": fmt.millions,
        "percent": fmt.percent, "date": fmt.date, "markdown": _markdown,
        "markdown_block": _markdown_block, "status_label": STATUS_LABELS.get,
        "json_script": _json_script, "section": ch.section_label,
        "sections": ch.sections_label,
    })
    env.globals.update({"url_for": routes.url_for, "chart_file": routes.chart_file,
                        "filter_url": routes.filter_url, "listing_url": routes.listing_url,
                        "source_document": routes.source_document, "asset": routes.asset,
                        "media": routes.media,
                        "FEED": routes.FEED,
                        "STATUS_LABELS": STATUS_LABELS, "STATUS_ICONS": STATUS_ICONS,
                        "SERVICE_LABELS": SERVICE_LABELS, "SOURCE_KIND_LABELS":
                        SOURCE_KIND_LABELS, "STATUSES": m.MEASURE_STATUSES})
    return env


def _markdown(text: str) -> Markup:
    return Markup(mdrender.render(text, shift_headings=1))


def _markdown_block(text: str) -> Markup:
    return Markup(mdrender.render(text, shift_headings=0))


def _json_script(value: Any) -> Markup:
    """JSON safe inside <script type=application/json>."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@dataclass
class SiteModel:
    """Loaded content plus everything derived from it, shared by all pages."""

    content: m.Content
    diffs: list[fg.SumDifference]
    charts: tuple[ch.Chart, ...]
    warnings: list[Problem]
    drafts: bool = False
    images: dict[str, str] = field(default_factory=dict)   # chart id → "svg"/"png" present
    search: bool = True
    datasets: tuple[Any, ...] = ()
    site_dir: Path | None = None
    dataset_jsonld: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def programs(self) -> dict[str, m.Program]:
        return {p.id: p for p in self.content.programs}

    @cached_property
    def measures(self) -> dict[str, m.Measure]:
        return {x.id: x for x in self.content.measures}

    @cached_property
    def sources(self) -> dict[str, m.Source]:
        return {s.id: s for s in self.content.sources}

    @cached_property
    def kpis(self) -> dict[str, m.Kpi]:
        return {k.id: k for k in self.content.kpis}

    @cached_property
    def budgets(self) -> dict[str, m.Budget]:
        return {b.id: b for b in self.content.budgets}

    @cached_property
    def chart_by_id(self) -> dict[str, ch.Chart]:
        return {c.id: c for c in self.charts}

    @cached_property
    def measures_by_program(self) -> dict[str, list[m.Measure]]:
        groups: dict[str, list[m.Measure]] = defaultdict(list)
        for x in sorted(self.content.measures, key=lambda x: (x.stage or 0, x.title.lower())):
            groups[x.program].append(x)
        return groups

    @cached_property
    def updates_by_measure(self) -> dict[str, list[m.Update]]:
        groups: dict[str, list[m.Update]] = defaultdict(list)
        for u in self.content.updates:
            for mid in u.measures:
                groups[mid].append(u)
        return groups

    @cached_property
    def services_by_measure(self) -> dict[str, list[m.Service]]:
        groups: dict[str, list[m.Service]] = defaultdict(list)
        for s in self.content.services:
            if s.measure:
                groups[s.measure].append(s)
        return groups

    @cached_property
    def citations(self) -> dict[str, list[tuple[str, str, str, str]]]:
        """Source id → [(kind label, title, url path, section)] of every record citing it."""
        found: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)

        for kind in KINDS:
            for record in self.content.of(kind.name):
                url = routes.url_for(kind.name, record.id)
                for ref in kind.cites(record):
                    if ref is not None:
                        found[ref.source].add((kind.label, record.title, url, ref.section))
        return {k: sorted(v) for k, v in found.items()}

    @staticmethod
    def ref_groups(refs: tuple[m.SourceRef, ...]) -> list[tuple[str, list[str]]]:
        return ch.group_refs(refs)

    @cached_property
    def base_path(self) -> str:
        return urlsplit(self.content.site.base_url).path or "/"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to render: where it goes, which template, and its own context."""

    path: str            # output path, e.g. "massnahmen/e-akte/index.html"
    template: str
    context: dict[str, Any]
    title: str
    crumbs: tuple[tuple[str, str], ...] = ()
    charts: tuple[str, ...] = ()
    autoload: bool = True
    searchable: bool = True


def root_for(path: str) -> str:
    """Relative prefix from the page at `path` to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


class Renderer:
    """Renders PageSpecs of one SiteModel with one environment."""

    def __init__(self, model: SiteModel, env: jinja2.Environment) -> None:
        self.model = model
        self.env = env
        self.common = {
            "site": model.content.site, "model": model, "programs": model.content.programs,
            "pages": [p for p in model.content.pages if p.id != "leichte-sprache"],
            "plotly_js": PLOTLY_JS, "drafts": model.drafts,
        }
        self._chrome: dict[tuple[str, str], tuple[Markup, Markup]] = {}
        self._templates: dict[str, jinja2.Template] = {}

    def chrome(self, root: str, path: str) -> tuple[Markup, Markup]:
        """Header and footer; the same for many pages, so rendered once per variant."""
        section = path.split("/", 1)[0] + "/" if "/" in path else ""
        key = (root, section)
        if key not in self._chrome:
            context = {**self.common, "root": root, "section": section}
            self._chrome[key] = (
                Markup(self.template("_header.html").render(context)),
                Markup(self.template("_footer.html").render(context)))
        return self._chrome[key]

    def template(self, name: str) -> jinja2.Template:
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def render(self, spec: PageSpec) -> bytes:
        template = self.template(spec.template)
        root = self.model.base_path if spec.path == routes.NOT_FOUND else root_for(spec.path)
        header, footer = self.chrome(root, spec.path)
        html = template.render(
            **self.common, **spec.context, root=root, page_path=spec.path,
            chrome_header=header, chrome_footer=footer,
            page_url=self.page_url(spec.path), title=spec.title, crumbs=spec.crumbs,
            page_charts=[self.model.chart_by_id[c] for c in spec.charts],
            autoload=spec.autoload, searchable=spec.searchable)
        return html.encode("utf-8")

    def page_url(self, path: str) -> str:
        return self.model.content.site.base_url + routes.page_url(path)


# --- page specifications -----------------------------------------------------------------

Crumbs = tuple[tuple[str, str], ...]
HOME: Crumbs = (("Start", ""),)


def _path(kind: str, record_id: str = "") -> str:
    return routes.page_path(routes.url_for(kind, record_id))


def page_specs(model: SiteModel) -> Iterator[PageSpec]:
    """Every HTML page of the site."""
    for make in SPEC_MAKERS:
        yield from make(model)


def home_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    services_online = next((k.points[-1] for k in c.kpis if k.id == "ozg-online-services"
                            and k.points), None)
    mobile = next((k.points[-1] for k in c.kpis if k.id == "mobile-arbeitsplaetze"
                   and k.points), None)
    yield PageSpec(routes.page_path(routes.url_for("home")), "home.html", {
        "counts": fg.status_counts(c.measures), "services_point": services_online,
        "mobile_point": mobile, "budget_total": _headline_budget(model),
        "updates": c.updates[:3], "chart": model.chart_by_id[routes.STATUS_CHART],
        "progress": fg.progress_by_program(c.programs, c.measures),
    }, c.site.title, (), (routes.STATUS_CHART,), autoload=False)


def _headline_budget(model: SiteModel) -> dict[str, Any] | None:
    """The grand total of the overall budget table, if there is one."""
    for budget in sorted(model.content.budgets, key=lambda b: -len(b.lines)):
        total = next((ln for ln in reversed(budget.lines) if ln.kind == "total"
                      and ln.total is not None), None)
        if total is not None and budget.unit in m.MONEY_UNITS and len(budget.years) > 2:
            return {"budget": budget, "line": total}
    return None


def program_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    progress = fg.progress_by_program(c.programs, c.measures)
    yield PageSpec(_path("program"), "programs.html", {"progress": progress},
                   "Programme", HOME)
    for p in c.programs:
        kpis = [k for k in c.kpis if k.program == p.id]
        updates = [u for u in c.updates if p.id in u.programs
                   or any(model.measures.get(i) and model.measures[i].program == p.id
                          for i in u.measures)]
        shares = [(b, ln) for b in c.budgets for ln in b.lines if ln.program == p.id]
        chart = routes.chart_id("program", p.id)
        yield PageSpec(_path("program", p.id), "program.html", {
            "program": p, "measures": model.measures_by_program.get(p.id, []),
            "progress": progress[p.id], "kpis": kpis, "updates": updates[:5],
            "shares": shares, "chart": model.chart_by_id[chart],
        }, p.title, (*HOME, ("Programme", routes.url_for("program"))), (chart,))


FILTERS = {"programm": "Programm", "status": "Status", "stufe": "Stufe"}


def measure_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    stages = sorted({s for x in c.measures for s in x.all_stages})
    base = {"stages": stages, "all_count": len(c.measures)}
    yield PageSpec(_path("measure"), "measures.html",
                   {**base, "measures": c.measures, "active": None}, "Maßnahmen", HOME)
    views: list[tuple[str, str, str, list[m.Measure]]] = []
    for p in c.programs:
        views.append(("programm", p.id, p.title, [x for x in c.measures if x.program == p.id]))
    for s in m.MEASURE_STATUSES:
        views.append(("status", s, STATUS_LABELS[s], [x for x in c.measures if x.status == s]))
    for st in stages:
        views.append(("stufe", str(st), f"Stufe {st}",
                      [x for x in c.measures if st in x.all_stages]))
    for kind, value, label, items in views:
        yield PageSpec(routes.page_path(routes.filter_url(kind, value)), "measures.html",
                       {**base, "measures": tuple(items), "active": (kind, value, label)},
                       f"Maßnahmen – {FILTERS[kind]}: {label}",
                       (*HOME, ("Maßnahmen", routes.url_for("measure"))), searchable=False)
    for x in c.measures:
        program = model.programs[x.program]
        yield PageSpec(_path("measure", x.id), "measure.html", {
            "measure": x, "program": program,
            "kpis": [model.kpis[k] for k in x.kpis if k in model.kpis],
            "updates": model.updates_by_measure.get(x.id, []),
            "services": model.services_by_measure.get(x.id, []),
        }, x.title, (*HOME, ("Maßnahmen", routes.url_for("measure")),
                     (program.title, routes.url_for("program", program.id))))


def ozg_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    ids = tuple(i for i in (routes.OZG_OVER_TIME_CHART, routes.OZG_PLATFORM_CHART)
                if i in model.chart_by_id)
    themen: dict[str, int] = defaultdict(int)
    for s in c.services:
        themen[s.themenfeld or "nicht angegeben"] += 1
    yield PageSpec(_path("service"), "ozg.html", {
        "services": sorted(c.services, key=lambda s: (s.status != "online", s.title.lower())),
        "themen": sorted(themen.items()), "kpi": model.kpis.get("ozg-online-services"),
        "chart_ids": ids}, "Online-Dienste (OZG)", HOME, ids)


def budget_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    yield PageSpec(_path("budget"), "budgets.html", {"budgets": c.budgets,
                   "diffs": model.diffs}, "Haushalt", HOME, overview_budget_charts(model),
                   autoload=False)
    for b in c.budgets:
        chart_id = routes.chart_id("budget", b.id)
        diffs = [d for d in model.diffs if d.table == b.id]
        yield PageSpec(_path("budget", b.id), "budget.html", {
            "budget": b, "diffs": diffs, "diff_cells": {(d.line, d.column) for d in diffs},
            "notes": [ch.diff_note(d, b) for d in diffs],
            "chart": model.chart_by_id.get(chart_id)},
            b.title, (*HOME, ("Haushalt", routes.url_for("budget"))),
            (chart_id,) if chart_id in model.chart_by_id else ())


def overview_budget_charts(model: SiteModel) -> tuple[str, ...]:
    """The overall table (largest money total over years) and the split by program."""
    chosen = []
    headline = _headline_budget(model)
    if headline is not None:
        chosen.append(routes.chart_id("budget", headline["budget"].id))
    for budget in model.content.budgets:
        if any(ln.program for ln in budget.lines) and budget.unit in m.MONEY_UNITS:
            chosen.append(routes.chart_id("budget", budget.id))
    return tuple(c for c in dict.fromkeys(chosen) if c in model.chart_by_id)


def kpi_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    yield PageSpec(_path("kpi"), "kpis.html", {"kpis": c.kpis}, "Kennzahlen", HOME)
    for k in c.kpis:
        measures = [x for x in c.measures if k.id in x.kpis]
        chart = routes.chart_id("kpi", k.id)
        yield PageSpec(_path("kpi", k.id), "kpi.html", {
            "kpi": k, "measures": measures, "chart": model.chart_by_id[chart],
            "program": model.programs.get(k.program)},
            k.title, (*HOME, ("Kennzahlen", routes.url_for("kpi"))), (chart,))


def update_specs(model: SiteModel) -> Iterator[PageSpec]:
    updates = model.content.updates
    pages = max(1, -(-len(updates) // PAGE_SIZE))
    for number in range(1, pages + 1):
        path = routes.page_path(routes.listing_url("update", number))
        chunk = updates[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        yield PageSpec(path, "updates.html", {"updates": chunk, "number": number,
                                              "page_count": pages},
                       "Aktuelles" + (f" – Seite {number}" if number > 1 else ""), HOME,
                       searchable=number == 1)
    for u in updates:
        yield PageSpec(_path("update", u.id), "update.html", {
            "update": u, "measures": [model.measures[i] for i in u.measures
                                      if i in model.measures],
            "update_programs": [model.programs[i] for i in u.programs]},
            u.title, (*HOME, ("Aktuelles", routes.url_for("update"))))


def source_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    ordered = sorted(c.sources, key=lambda s: (s.date.sort_key(), s.id), reverse=True)
    yield PageSpec(_path("source"), "sources.html", {"sources": ordered}, "Quellen", HOME)
    for s in c.sources:
        yield PageSpec(_path("source", s.id), "source.html", {
            "source": s, "cited_by": model.citations.get(s.id, [])},
            s.title, (*HOME, ("Quellen", routes.url_for("source"))))


def chart_specs(model: SiteModel) -> Iterator[PageSpec]:
    yield PageSpec(_path("chart"), "charts.html", {"charts": model.charts}, "Grafiken", HOME)
    for chart in model.charts:
        yield PageSpec(_path("chart", chart.id), "chart.html", {"chart": chart},
                       chart.title, (*HOME, ("Grafiken", routes.url_for("chart"))), (chart.id,))
        yield PageSpec(routes.page_path(routes.embed_url(chart.id)), "chart_embed.html",
                       {"chart": chart}, chart.title, (), (chart.id,), searchable=False)


def free_specs(model: SiteModel) -> Iterator[PageSpec]:
    for page in model.content.pages:
        yield PageSpec(_path("page", page.id), "page.html", {"page": page}, page.title, HOME)
    yield PageSpec(_path("search"), "search.html", {}, "Suche", HOME, searchable=False)
    yield PageSpec(_path("data"), "data.html", {}, "Offene Daten", HOME)
    yield PageSpec(routes.NOT_FOUND, "404.html", {"inline_css": Markup(theme_css(model))},
                   "Seite nicht gefunden", (), searchable=False)


def kind_specs(model: SiteModel) -> Iterator[PageSpec]:
    """Pages of the kinds without page makers of their own: a list and one page a record."""
    for kind in KINDS:
        if kind.name not in OWN_PAGES:
            yield from generic_specs(model, kind)


def generic_specs(model: SiteModel, kind: Kind) -> Iterator[PageSpec]:
    records = model.content.of(kind.name)
    section = (kind.title, routes.url_for(kind.name))
    if kind.index_template:
        yield PageSpec(_path(kind.name), kind.index_template, {"records": records},
                       kind.title, HOME)
    if kind.template:
        for record in records:
            yield PageSpec(_path(kind.name, record.id), kind.template,
                           {"record": record, kind.name: record}, record.title,
                           (*HOME, section))


def theme_css(model: SiteModel) -> str:
    """The site's stylesheet as text (a site's own static/site.css wins)."""
    own = model.site_dir / "static" / "site.css" if model.site_dir else None
    path = own if own is not None and own.is_file() else THEME / "static" / "site.css"
    return path.read_text(encoding="utf-8").replace("</", "<\\/")


SPEC_MAKERS: tuple[Callable[[SiteModel], Iterator[PageSpec]], ...] = (
    home_specs, program_specs, measure_specs, ozg_specs, budget_specs, kpi_specs,
    update_specs, source_specs, chart_specs, free_specs, kind_specs,
)
# the kinds whose pages the makers above build (they need more than one record each)
OWN_PAGES = frozenset({"program", "measure", "service", "budget", "kpi", "update", "source",
                       "page"})
