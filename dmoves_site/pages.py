"""Page specifications: every HTML page of the site, with its typed context."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from markupsafe import Markup

from dmoves_site import charts as ch
from dmoves_site import contexts as cx
from dmoves_site import figures as fg
from dmoves_site import highlights as hl
from dmoves_site import history as hi
from dmoves_site import model as m
from dmoves_site import ozgviews, routes, schedule
from dmoves_site.kinds import KINDS, Kind
from dmoves_site.render import THEME, PageSpec, SiteModel

PAGE_SIZE = 10   # updates per page of the list

Crumbs = tuple[tuple[str, str], ...]


def home_crumbs(model: SiteModel) -> Crumbs:
    return ((model.t("nav.home"), routes.url_for("home")),)


def crumbs(model: SiteModel, key: str, kind: str) -> Crumbs:
    """Start › the section of `kind` (`key`: its name in the catalogue's nav group)."""
    return (*home_crumbs(model), (model.t(f"nav.{key}"), routes.url_for(kind)))


def _path(kind: str, record_id: str = "") -> str:
    return routes.page_path(routes.url_for(kind, record_id))


def page_specs(model: SiteModel) -> Iterator[PageSpec]:
    """Every HTML page of the site (the chart pages name the page that shows each chart:
    the others are made first)."""
    made = [(make, list(make(model))) for make in SPEC_MAKERS]
    titles = home_titles(model, (spec for _make, specs in made for spec in specs))
    for make, specs in made:
        yield from specs
        if make is source_specs:
            yield from chart_specs(model, titles)


def home_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    legal = set(c.site.pages.values())
    yield PageSpec(routes.page_path(routes.url_for("home")), "home.html", cx.HomePage(
        figures=hl.figures(c, model.t), updates=c.updates[:3],
        chart=model.chart_by_id[routes.STATUS_CHART],
        progress=fg.progress_by_program(c.programs, c.measures),
        more_pages=[p for p in c.pages if p.id not in legal], data_age=model.data_age,
    ), c.site.title, (), (routes.STATUS_CHART,))


def program_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    progress = fg.progress_by_program(c.programs, c.measures)
    yield PageSpec(_path("program"), "programs.html", cx.ProgramsPage(progress=progress),
                   model.t("page_title.programs"), home_crumbs(model))
    for p in c.programs:
        kpis = [k for k in c.kpis if k.program == p.id]
        updates = [u for u in c.updates if p.id in u.programs
                   or any(model.measures.get(i) and model.measures[i].program == p.id
                          for i in u.measures)]
        shares = [(b, ln) for b in c.budgets for ln in b.lines if ln.program == p.id]
        chart = routes.chart_id("program", p.id)
        own, size = model.measures_by_program.get(p.id, []), c.site.page_size
        rows = schedule.of_program(model.schedule_rows, p.id)  # shown in part too
        yield PageSpec(_path("program", p.id), "program.html", cx.ProgramPage(
            program=p, measures=own[:size], progress=progress[p.id], kpis=kpis,
            updates=updates[:5], shares=shares, chart=model.chart_by_id[chart],
            schedule=rows[:size],
            schedule_chart=model.chart_by_id.get(routes.chart_id("schedule", p.id)),
            feed=routes.feed_of(routes.url_for("program", p.id)), measure_count=len(own),
            schedule_count=len(rows),
        ), p.title, crumbs(model, "programs", "program"),
            tuple(i for i in (chart, routes.chart_id("schedule", p.id)) if i in model.chart_by_id))


FILTERS = {"programm": "filter.program", "status": "filter.status", "stufe": "filter.stage"}


def measure_specs(model: SiteModel) -> Iterator[PageSpec]:
    c, t = model.content, model.t
    order = {p.id: number for number, p in enumerate(c.programs)}
    # the order the lists show: by program, then by title as Jinja's `sort` has it
    ranked = sorted(c.measures, key=lambda x: (order.get(x.program, len(order)),
                                               x.title.lower()))
    yield from measure_list_specs(model, None, ranked, t("page_title.measures"),
                                  home_crumbs(model))
    views: list[tuple[str, str, str, list[m.Measure]]] = []
    for p in c.programs:
        views.append(("programm", p.id, p.title, [x for x in ranked if x.program == p.id]))
    for s in m.MEASURE_STATUSES:
        views.append(("status", s, t(f"status.{s}"), [x for x in ranked if x.status == s]))
    for st in model.stages:
        views.append(("stufe", str(st.number), st.label,
                      [x for x in ranked if st.number in x.all_stages]))
    for kind, value, label, items in views:
        yield from measure_list_specs(
            model, (kind, value, label), items,
            t("page_title.measures_filtered", filter=t(FILTERS[kind]), label=label),
            crumbs(model, "measures", "measure"))
    for x in c.measures:
        program = model.programs[x.program]
        yield PageSpec(_path("measure", x.id), "measure.html", cx.MeasurePage(
            measure=x, program=program,
            kpis=[model.kpis[k] for k in x.kpis if k in model.kpis],
            updates=model.updates_by_measure.get(x.id, []),
            services=model.services_by_measure.get(x.id, []), **measure_schedule(model, x),
        ), x.title, (*crumbs(model, "measures", "measure"),
                     (program.title, routes.url_for("program", program.id))))


def measure_list_specs(model: SiteModel, active: tuple[str, str, str] | None,
                       items: list[m.Measure], title: str, trail: Crumbs
                       ) -> Iterator[PageSpec]:
    """A list of measures (all, or one filter's), in pages of the setting `page_size`."""
    c = model.content
    base = routes.url_for("measure") if active is None else routes.filter_url(*active[:2])
    groups = dict(Counter(x.program for x in items))
    for url, chunk, pager in paginate(items, c.site.page_size, base):
        yield PageSpec(routes.page_path(url), "measures.html", cx.MeasuresPage(
            stages=model.stages, all_count=len(c.measures), measures=tuple(chunk),
            active=active, pager=pager, group_counts=groups),
            paged_title(model, title, pager), trail,
            searchable=active is None and url == base)


T = TypeVar("T")


def paginate(items: Sequence[T], size: int, base: str
             ) -> list[tuple[str, Sequence[T], cx.Pager | None]]:
    """A long list in pages of `size`: (URL, its items, its pager, None if one page)."""
    count = max(1, -(-len(items) // size))
    urls = tuple(routes.paged_url(base, n) for n in range(1, count + 1))
    pages = []
    for number, url in enumerate(urls, start=1):
        chunk = items[(number - 1) * size: number * size]
        first = (number - 1) * size + 1
        pager = cx.Pager(number, count, first, first + len(chunk) - 1, len(items), urls)
        pages.append((url, chunk, pager if count > 1 else None))
    return pages


def paged_title(model: SiteModel, title: str, pager: cx.Pager | None) -> str:
    """The title of a list's page: 'Maßnahmen – Seite 2 von 10' after the first."""
    if pager is None or pager.number == 1:
        return title
    return model.t("page_title.paged", title=title, number=pager.number, count=pager.count)


def measure_schedule(model: SiteModel, x: m.Measure) -> dict[str, Any]:
    """Status timeline, baseline end, slippage and the overdue flag of one measure."""
    timeline: list[hi.Phase] = []
    if x.history:
        by = hi.stated_ref(x.sources, model.sources)
        stated = model.sources[by.source].date if by is not None else None
        timeline = hi.status_timeline(x, stated, by)
    return {"timeline": timeline,
            "slip": hi.measure_slippage(x), "baseline_source": hi.baseline_source(x),
            "overdue": hi.overdue(x, model.content.site.as_of),
            "feed": routes.feed_of(routes.url_for("measure", x.id))}


OZG_CHARTS = (routes.OZG_OVER_TIME_CHART, routes.OZG_THEMENFELD_CHART, routes.OZG_PLATFORM_CHART)


def ozg_specs(model: SiteModel) -> Iterator[PageSpec]:
    """The OZG list with its counts and charts, and one page per Themenfeld and status."""
    services = model.content.services
    if not model.sections["ozg"]:
        return
    ids = tuple(i for i in OZG_CHARTS if i in model.chart_by_id)
    not_given = model.t("ozg.not_given")
    views = ozgviews.views(services, model.status_labels("service_status", m.SERVICE_STATUSES),
                           not_given)
    index = cx.OzgPage(
        services=ozgviews.ordered(services), active=None, all_count=len(services),
        views=views, statuses=ozgviews.statuses_present(services),
        columns=ozgviews.columns(services),
        choices={a: ozgviews.choices(services, a) for a in ("themenfeld", "lebenslage",
                                                           "reifegrad")},
        counts=ozgviews.themenfeld_counts(services, not_given),
        kpi=model.kpis.get(model.content.site.ozg_kpi),
        charts=tuple(model.chart_by_id[i] for i in ids),
        measures={s.measure: model.measures[s.measure] for s in services
                  if s.measure in model.measures})
    yield PageSpec(_path("service"), "ozg.html", index, model.t("page_title.ozg"),
                   home_crumbs(model), ids)
    for view in views:
        yield PageSpec(routes.page_path(view.url), "ozg.html", dataclasses.replace(
            index, services=view.services, active=view, counts=[], charts=()),
            model.t("page_title.ozg_view", label=view.label),
            (*home_crumbs(model), (model.t("page_title.ozg"), routes.url_for("service"))),
            searchable=False)


def budget_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    if not model.sections["budgets"]:
        return
    yield PageSpec(_path("budget"), "budgets.html",
                   cx.BudgetsPage(budgets=c.budgets, diffs=model.diffs),
                   model.t("page_title.budgets"), home_crumbs(model),
                   overview_budget_charts(model))
    for b in c.budgets:
        chart_id = routes.chart_id("budget", b.id)
        diffs = [d for d in model.diffs if d.table == b.id]
        yield PageSpec(_path("budget", b.id), "budget.html", cx.BudgetPage(
            budget=b, program=model.programs.get(b.program), diffs=diffs,
            diff_cells={(d.line, d.column) for d in diffs},
            notes=[ch.diff_note(d, b, model.t) for d in diffs],
            chart=model.chart_by_id.get(chart_id)),
            b.title, crumbs(model, "budgets", "budget"),
            (chart_id,) if chart_id in model.chart_by_id else ())


def overview_budget_charts(model: SiteModel) -> tuple[str, ...]:
    """The overall table (largest money total over years) and the split by program."""
    chosen = []
    headline = hl.headline_budget(model.content.budgets)
    if headline is not None:
        chosen.append(routes.chart_id("budget", headline[0].id))
    for budget in model.content.budgets:
        if any(ln.program for ln in budget.lines) and budget.unit in m.MONEY_UNITS:
            chosen.append(routes.chart_id("budget", budget.id))
    return tuple(c for c in dict.fromkeys(chosen) if c in model.chart_by_id)


def kpi_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    if not model.sections["kpis"]:
        return
    yield PageSpec(_path("kpi"), "kpis.html", cx.KpisPage(kpis=c.kpis),
                   model.t("page_title.kpis"), home_crumbs(model))
    for k in c.kpis:
        measures = [x for x in c.measures if k.id in x.kpis]
        chart = routes.chart_id("kpi", k.id)
        yield PageSpec(_path("kpi", k.id), "kpi.html", cx.KpiPage(
            kpi=k, measures=measures, chart=model.chart_by_id[chart],
            program=model.programs.get(k.program)),
            k.title, crumbs(model, "kpis", "kpi"), (chart,))


def update_specs(model: SiteModel) -> Iterator[PageSpec]:
    updates = model.content.updates
    for url, chunk, pager in paginate(updates, PAGE_SIZE, routes.url_for("update")):
        number, pages = (pager.number, pager.count) if pager else (1, 1)
        yield PageSpec(routes.page_path(url), "updates.html",
                       cx.UpdatesPage(updates=tuple(chunk), number=number, page_count=pages,
                                      page_urls=pager.urls if pager else (url,)),
                       model.t("page_title.updates_page" if number > 1
                               else "page_title.updates", number=number),
                       home_crumbs(model), searchable=number == 1)
    for u in updates:
        yield PageSpec(_path("update", u.id), "update.html", cx.UpdatePage(
            update=u, measures=[model.measures[i] for i in u.measures if i in model.measures],
            update_programs=[model.programs[i] for i in u.programs]),
            u.title, crumbs(model, "updates", "update"))


def source_specs(model: SiteModel) -> Iterator[PageSpec]:
    c = model.content
    ordered = sorted(c.sources, key=lambda s: (s.date.sort_key(), s.id), reverse=True)
    citations = {s.id: len(model.citations.get(s.id, [])) for s in c.sources}
    yield PageSpec(_path("source"), "sources.html",
                   cx.SourcesPage(sources=ordered, citations=citations),
                   model.t("page_title.sources"), home_crumbs(model))
    for s in c.sources:
        yield PageSpec(_path("source", s.id), "source.html", cx.SourcePage(
            source=s, cited_by=model.citations.get(s.id, [])),
            s.title, (*home_crumbs(model), (model.t("page_title.sources"),
                                            routes.url_for("source"))))


def home_titles(model: SiteModel, specs: Iterable[PageSpec]) -> dict[str, str]:
    """Title of each page of `specs` that shows a chart, by its URL path ("/" is the start
    page)."""
    wanted = {chart.home for chart in model.charts}
    titles = {"/": "Startseite"}
    for spec in specs:
        url = "/" + routes.page_url(spec.path)
        if url in wanted:
            titles.setdefault(url, spec.title)
    return titles


def chart_specs(model: SiteModel, titles: dict[str, str]) -> Iterator[PageSpec]:
    """The list of charts, and each chart's page and embed (`titles`: see home_titles)."""
    yield PageSpec(_path("chart"), "charts.html", cx.ChartsPage(charts=model.charts),
                   model.t("page_title.charts"), home_crumbs(model))
    for chart in model.charts:
        # not in the search index: each chart is found on the page that shows it
        yield PageSpec(_path("chart", chart.id), "chart.html",
                       cx.ChartPage(chart=chart, home_title=titles.get(chart.home, chart.home)),
                       chart.title, (*home_crumbs(model), (model.t("page_title.charts"),
                                                           routes.url_for("chart"))),
                       (chart.id,), searchable=False)
        yield PageSpec(routes.page_path(routes.embed_url(chart.id)), "chart_embed.html",
                       cx.ChartPage(chart=chart), chart.title, (), (chart.id,),
                       searchable=False)


def free_specs(model: SiteModel) -> Iterator[PageSpec]:
    for page in model.content.pages:
        yield PageSpec(_path("page", page.id), "page.html", cx.FreePage(page=page), page.title,
                       home_crumbs(model))
    yield PageSpec(_path("search"), "search.html", cx.SearchPage(search=model.search),
                   model.t("page_title.search"), home_crumbs(model), searchable=False)
    yield PageSpec(_path("data"), "data.html",
                   cx.DataPage(datasets=model.datasets, dataset_jsonld=model.dataset_jsonld),
                   model.t("page_title.data"), home_crumbs(model))
    yield PageSpec(routes.NOT_FOUND, "404.html", cx.NotFoundPage(Markup(theme_css(model))),
                   model.t("page_title.not_found"), (), searchable=False)


def kind_specs(model: SiteModel) -> Iterator[PageSpec]:
    """Pages of the kinds without page makers of their own: a list and one page a record."""
    for kind in KINDS:
        if kind.name not in OWN_PAGES:
            yield from generic_specs(model, kind)


def generic_specs(model: SiteModel, kind: Kind) -> Iterator[PageSpec]:
    records = model.content.of(kind.name)
    section = (kind.title, routes.url_for(kind.name))
    if kind.index_template:
        yield PageSpec(_path(kind.name), kind.index_template, cx.RecordsPage(records),
                       kind.title, home_crumbs(model))
    if kind.template:
        for record in records:
            yield PageSpec(_path(kind.name, record.id), kind.template,
                           cx.RecordPage(record, kind.name), record.title,
                           (*home_crumbs(model), section))


def theme_css(model: SiteModel) -> str:
    """The site's stylesheet as text (a site's own static/site.css wins)."""
    own = model.site_dir / "static" / "site.css" if model.site_dir else None
    path = own if own is not None and own.is_file() else THEME / "static" / "site.css"
    return path.read_text(encoding="utf-8").replace("</", "<\\/")


SPEC_MAKERS: tuple[Callable[[SiteModel], Iterator[PageSpec]], ...] = (
    home_specs, program_specs, measure_specs, ozg_specs, budget_specs, kpi_specs,
    update_specs, source_specs, free_specs, kind_specs,
)  # and chart_specs after source_specs: see page_specs
# the kinds whose pages the makers above build (they need more than one record each)
OWN_PAGES = frozenset({"program", "measure", "service", "budget", "kpi", "update", "source",
                       "page"})
