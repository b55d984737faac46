"""Render pages: Jinja environment, page contexts, and the map {relative path: bytes}."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from dmoves_site import changes as chg
from dmoves_site import charts as ch
from dmoves_site import citable, citing, gitlog, mdrender, routes, schedule
from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import narrow as nw
from dmoves_site.contexts import Context
from dmoves_site.kinds import KINDS
from dmoves_site.model import STATUS_ICONS
from dmoves_site.problems import Problem

THEME = Path(__file__).parent / "theme"
NARROW_IMAGE = "-schmal.svg"   # the phone-width chart image beside CHART.svg
PLOTLY_JS = routes.asset("vendor/plotly-basic-4.1.1.min.js")


class _Template(jinja2.Template):
    """A template whose imports skip Jinja's comparison of globals where it cannot matter.

    On every `{% from … import … %}` Jinja subtracts the imported template's globals, a
    ChainMap, from the importing one's, key by key in Python, to decide whether the cached
    module will do: about 0,1 ms a page, 6–8 % of a measure page. When every global of the
    importing template is one of the environment's (always so here: no template sets its
    own), the difference is empty, and the same test on the environment's dict is exact.
    """

    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None
                            ) -> jinja2.environment.TemplateModule:
        if ctx is not None and ctx.globals_keys <= self.environment.globals.keys():
            ctx = None  # the imported template's globals hold the environment's
        return super()._get_default_module(ctx)


def make_env(site_templates: Path | None, compiled: Path | None = None) -> jinja2.Environment:
    """Jinja with autoescape and StrictUndefined; a site's templates/ override the theme.

    `compiled`: a folder where compiled templates are kept between runs (keyed by source).
    """
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
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
    )
    env.template_class = _Template
    env.filters.update({
        "number": fmt.number, "money": fmt.money, "millions": fmt.millions,
        "percent": fmt.percent, "date": fmt.date, "markdown": _markdown,
        "markdown_block": _markdown_block, "json_script": _json_script,
        "narrow_figure": nw.narrow_figure,
        # the theme's texts until a Renderer binds the site's catalogue
        "section": partial(ch.section_label, t=msg.catalogue()),
        "sections": partial(ch.sections_label, t=msg.catalogue()),
    })
    env.globals.update({"url_for": routes.url_for, "chart_file": routes.chart_file,
                        "NARROW_IMAGE": NARROW_IMAGE, "NARROW_SIZE": (nw.WIDTH, nw.HEIGHT),
                        "DATE_PLACEHOLDER": citing.DATE_PLACEHOLDER,
                        "filter_url": routes.filter_url, "listing_url": routes.listing_url,
                        "service_view_url": routes.service_view_url,
                        "source_document": routes.source_document, "asset": routes.asset,
                        "media": routes.media, "period_url": routes.period_url,
                        "feed_of": routes.feed_of, "FEED": routes.FEED,
                        "STATUS_ICONS": STATUS_ICONS, "STATUSES": m.MEASURE_STATUSES})
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
    narrow_images: dict[str, str] = field(default_factory=dict)  # chart id → phone-width SVG
    search: bool = True
    datasets: tuple[Any, ...] = ()
    site_dir: Path | None = None
    dataset_jsonld: dict[str, Any] = field(default_factory=dict)
    t: msg.Messages = field(default_factory=msg.catalogue)   # the message catalogue
    changelog: dict[str, list[gitlog.Commit]] = field(default_factory=dict)  # path → commits

    @cached_property
    def legal(self) -> dict[str, str]:
        """Ids of the required pages that exist (a missing one is linked from nowhere)."""
        present = {p.id for p in self.content.pages if not p.draft}
        return {key: page for key, page in self.content.site.pages.items() if page in present}

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
    def figures(self) -> list[citable.Figure]:
        return citable.all_figures(self.content, self.t)

    @cached_property
    def schedule_rows(self) -> list[schedule.Row]:
        """Every dated measure, in program and date order (`schedule.rows`)."""
        return schedule.rows(self.content)

    @cached_property
    def changes(self) -> list[chg.Change]:
        return chg.all_changes(self.content, self.t)

    @cached_property
    def changes_by_measure(self) -> dict[str, list[chg.Change]]:
        return chg.by_measure(self.changes, self.content.updates)

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
    def data_age(self) -> tuple[m.Source, m.Source, m.Source] | None:
        """Oldest, newest and most cited source: how old the site's figures are."""
        if not self.content.sources:
            return None
        by_date = sorted(self.content.sources, key=lambda s: (s.date.sort_key(), s.id))
        main = max(by_date, key=lambda s: len(self.citations.get(s.id, ())))
        return by_date[0], by_date[-1], main

    @cached_property
    def citations(self) -> dict[str, list[tuple[str, str, str, str]]]:
        """Source id → [(kind label, title, url path, section)] of every record citing it."""
        found: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)

        for kind in KINDS:
            key = f"source.cited_{kind.name}"
            label = self.t(key) if self.t.has(key) else kind.label
            for record in self.content.of(kind.name):
                url = routes.url_for(kind.name, record.id)
                for ref in kind.cites(record):
                    if ref is not None:
                        found[ref.source].add((label, record.title, url, ref.section))
        return {k: sorted(v) for k, v in found.items()}

    def source_kind(self, kind: str, form: str = "short") -> str:
        """A source kind's label from the settings, else the catalogue ('short' or 'name')."""
        key = m.SOURCE_ALIASES.get(kind, kind)
        own = self.content.site.source_kinds
        given = own.get(kind, {}).get(form) or own.get(key, {}).get(form)
        return given or self.t(f"source_{'short' if form == 'short' else 'kind'}.{key}")

    def source_title(self, source: m.Source) -> str:
        """The short caption of a source: kind label, number, date."""
        return source.short_title(self.source_kind(source.kind))

    @cached_property
    def lookup(self) -> Lookup:
        return Lookup(self.sources, self.programs, self.images, self.narrow_images)

    @cached_property
    def stages(self) -> tuple[m.Stage, ...]:
        """The declared stages; without any, the numbers the measures use, plainly named."""
        declared = self.content.site.stages
        if declared:
            return declared
        used = sorted({n for x in self.content.measures for n in x.all_stages})
        return tuple(m.Stage(n, f"{self.t('terms.stage_label', number=n)}") for n in used)

    @cached_property
    def sections(self) -> dict[str, bool]:
        """Which optional sections have content (the others leave navigation and sitemap)."""
        c = self.content
        return {"ozg": bool(c.services), "budgets": bool(c.budgets), "kpis": bool(c.kpis)}

    @cached_property
    def nav(self) -> tuple[tuple[str, str], ...]:
        """(href, message key) of the main navigation."""
        items = (("home", "home"), ("program", "programs"), ("measure", "measures"),
                 ("schedule", "schedule"),
                 ("service", "ozg"), ("budget", "budgets"), ("kpi", "kpis"), ("chart", "charts"),
                 ("update", "updates"), ("data", "data"), ("search", "search"))
        return tuple((routes.url_for(kind), key) for kind, key in items
                     if self.sections.get(key, True))

    @cached_property
    def colors_css(self) -> str:
        """The site's colours as CSS custom properties of the theme ('' without any)."""
        names = {"primary": "--primary", "accent": "--link"}
        colors = self.content.site.colors
        rules = "; ".join(f"{names[k]}: {v}" for k, v in sorted(colors.items()) if k in names)
        return f":root {{ {rules}; }}" if rules else ""

    @cached_property
    def logo_path(self) -> str:
        """Where the logo is copied to in the output."""
        logo = self.content.site.logo
        return routes.media(logo.file) if logo else ""

    def number_word(self, count: int) -> str:
        """2 → 'zwei' (up to twelve, as German text prefers), else digits."""
        key = f"numbers.{count}"
        return self.t(key) if self.t.has(key) else str(count)

    def status_labels(self, group: str, statuses: tuple[str, ...]) -> dict[str, str]:
        """Each status's label from the catalogue: `group` is 'status' or 'service_status'."""
        return {s: self.t(f"{group}.{s}") for s in statuses}

    @cached_property
    def base_path(self) -> str:
        return urlsplit(self.content.site.base_url).path or "/"


@dataclass(frozen=True, slots=True)
class Lookup:
    """What every template may look up by id: sources, programs and present chart images."""

    sources: dict[str, m.Source]
    programs: dict[str, m.Program]
    images: dict[str, str]
    narrow_images: dict[str, str]   # chart id → phone-width SVG present

    @staticmethod
    def ref_groups(refs: tuple[m.SourceRef, ...]) -> list[tuple[str, list[str]]]:
        return ch.group_refs(refs)


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to render: where it goes, which template, and its own context."""

    path: str            # output path, e.g. "massnahmen/e-akte/index.html"
    template: str
    context: Context
    title: str
    crumbs: tuple[tuple[str, str], ...] = ()
    charts: tuple[str, ...] = ()
    searchable: bool = True


@dataclass(frozen=True, slots=True)
class FileGroup:
    """Files (not pages) made together by `make()` from `shown` and the context shared by
    all pages: a chart's downloads, a figure's card and citations, a feed. A cached build
    links them from the last build while `shown` is unchanged, without making them."""

    names: tuple[str, ...]    # output paths of the files `make()` returns
    shown: Any
    make: Callable[[], dict[str, bytes]]


def root_for(path: str) -> str:
    """Relative prefix from the page at `path` to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


class Renderer:
    """Renders PageSpecs of one SiteModel with one environment."""

    def __init__(self, model: SiteModel, env: jinja2.Environment) -> None:
        self.model = model
        self.env = env
        # macros imported without context see globals only
        env.globals["t"] = model.t
        env.filters["section"] = partial(ch.section_label, t=model.t)
        env.filters["sections"] = partial(ch.sections_label, t=model.t)
        env.globals["others_label"] = partial(citing.others_label, t=model.t)
        env.globals["chart_citation"] = partial(citing.citation, t=model.t)
        # the theme says t("status.…"); these stay for a site's own older templates
        env.globals["STATUS_LABELS"] = model.status_labels("status", m.MEASURE_STATUSES)
        env.globals["SERVICE_LABELS"] = model.status_labels("service_status", m.SERVICE_STATUSES)
        env.globals.update({"source_title": model.source_title,
                            "source_kind": model.source_kind,
                            "number_word": model.number_word})
        self.common: dict[str, Any] = {
            "site": model.content.site, "programs": model.content.programs,
            "pages": [p for p in model.content.pages
                      if p.id != model.content.site.pages["easy_language"]],
            "legal": model.legal, "nav": model.nav, "sections": model.sections,
            "logo_path": model.logo_path, "colors_css": model.colors_css,
            "plotly_js": PLOTLY_JS, "drafts": model.drafts, "lookup": model.lookup,
            "changelog": model.changelog,
        }
        self._chrome: dict[tuple[str, str], tuple[Markup, Markup]] = {}
        # set while a page renders: gets every shared part the page uses (see serve)
        self.recorder: Callable[[tuple[str, ...], Any], None] | None = None
        self._templates: dict[str, jinja2.Template] = {}

    def record_dependency(self, key: tuple[str, ...], value: Any) -> None:
        """Note that the page being rendered used the shared part `key` (as Lektor does)."""
        if self.recorder is not None:
            self.recorder(key, value)

    def dependency(self, key: tuple[str, ...]) -> Any:
        """The current value of a recorded shared part, to compare with the recorded one."""
        name, *args = key
        assert name == "chrome", key
        return self.chrome(*args)

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
        self.record_dependency(("chrome", root, spec.path), (header, footer))
        html = template.render(
            **self.common, **spec.context.variables(), root=root, page_path=spec.path,
            chrome_header=header, chrome_footer=footer,
            page_url=self.page_url(spec.path), title=spec.title, crumbs=spec.crumbs,
            page_charts=[self.model.chart_by_id[c] for c in spec.charts],
            searchable=spec.searchable,
            share=share_meta(self.model, spec))
        return html.encode("utf-8")

    def page_url(self, path: str) -> str:
        return self.model.content.site.base_url + routes.page_url(path)


def share_meta(model: SiteModel, spec: PageSpec) -> dict[str, Any]:
    """Open Graph / Twitter card data: the page's figure card, chart image or the site card."""
    site = model.content.site
    figure = getattr(spec.context, "figure", None)
    charts = [model.chart_by_id[c] for c in spec.charts if c in model.images]
    text = str(getattr(spec.context, "description", "")) or (charts[0].finding if charts else "")
    meta: dict[str, Any] = {"description": text or site.description or site.title,
                            "image": site.base_url + routes.SITE_CARD, "width": 1200,
                            "height": 630, "alt": f"{site.title} – {site.publisher}"}
    if isinstance(figure, citable.Figure):
        meta.update(image=site.base_url + routes.card_file(figure.id),
                    alt=model.t("share.figure_alt", title=figure.title, shown=figure.shown,
                                date=figure.as_of.german()))
    elif charts:
        meta.update(image=site.base_url + routes.chart_file(charts[0].id, ".png"),
                    width=None, height=None, alt=model.t("share.chart_alt", title=charts[0].title))
    return meta
