"""Accountability pages: schedule, changes with their feeds, citable figures with cards."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2

from dmoves_site import cards, citable, data, routes, schedule
from dmoves_site import changes as chg
from dmoves_site import model as m
from dmoves_site.charts import section_label
from dmoves_site.contexts import Context, Pager
from dmoves_site.pages import home_crumbs, paged_title, paginate
from dmoves_site.render import FileGroup, PageSpec, SiteModel

FEED_SIZE = 100


@dataclass(frozen=True, slots=True)
class SchedulePage(Context):
    rows: list[schedule.Row]
    counts: dict[str, int]
    chart: Any                              # charts.Chart | None
    dated_programs: list[Any]               # the programs with dated measures
    pager: Pager | None = None              # of a long schedule, else None


@dataclass(frozen=True, slots=True)
class ChangesPage(Context):
    groups: list[tuple[str, list[chg.Change]]]
    periods: list[tuple[int, list[int]]]    # (year, its quarters), newest first
    feed: str
    year: int | None
    quarter: int | None


@dataclass(frozen=True, slots=True)
class FiguresPage(Context):
    figures: list[citable.Figure]


@dataclass(frozen=True, slots=True)
class FigurePage(Context):
    figure: citable.Figure
    card: str                               # file name of the share card, beside the page
    description: str


def schedule_specs(model: SiteModel) -> Iterator[PageSpec]:
    """`/zeitplan/`: every dated measure as a timeline chart and a table."""
    c = model.content
    found = model.schedule_rows
    chart = model.chart_by_id.get(routes.SCHEDULE_CHART)
    dated = [p for p in c.programs if any(r.program.id == p.id for r in found)]
    counts = schedule.summary(found)
    for url, rows, pager in paginate(found, c.site.page_size, routes.url_for("schedule")):
        first = pager is None or pager.number == 1  # the chart is drawn on the first page
        yield PageSpec(routes.page_path(url), "schedule.html", SchedulePage(
            rows=list(rows), counts=counts, chart=chart if first else None,
            dated_programs=dated, pager=pager),
            paged_title(model, model.t("page_title.schedule"), pager), home_crumbs(model),
            (chart.id,) if chart and first else ())


def _by_year(changes: list[chg.Change]) -> list[tuple[str, list[chg.Change]]]:
    return [(str(y), chg.in_period(changes, y)) for y in chg.years(changes)]


def _by_quarter(model: SiteModel, changes: list[chg.Change], year: int
                ) -> list[tuple[str, list[chg.Change]]]:
    groups = [(model.t("changes.quarter", quarter=q, year=year), chg.in_period(changes, year, q))
              for q in chg.quarters(changes, year)]
    vague = [c for c in chg.in_period(changes, year) if chg.quarter_of(c.date) is None]
    return groups + ([(model.t("changes.undated", year=year), vague)] if vague else [])


def changes_specs(model: SiteModel) -> Iterator[PageSpec]:
    """`/aenderungen/` with one page per year and per quarter (no script needed)."""
    found = model.changes
    section = routes.url_for("changes")
    periods = [(y, chg.quarters(found, y)) for y in chg.years(found)]
    feed = routes.feed_of(section)
    t = model.t
    yield PageSpec(routes.page_path(section), "changes.html",
                   ChangesPage(_by_year(found), periods, feed, None, None),
                   t("page_title.changes"), home_crumbs(model))
    crumbs = (*home_crumbs(model), (t("page_title.changes"), section))
    for year, qs in periods:
        yield PageSpec(routes.page_path(routes.period_url(year)), "changes.html",
                       ChangesPage(_by_quarter(model, found, year), periods, feed, year, None),
                       t("page_title.changes_year", year=year), crumbs, searchable=False)
        for q in qs:
            items = chg.in_period(found, year, q)
            quarter = t("changes.quarter", quarter=q, year=year)
            yield PageSpec(routes.page_path(routes.period_url(year, q)), "changes.html",
                           ChangesPage([(quarter, items)], periods, feed, year, q),
                           t("page_title.changes_quarter", quarter=quarter),
                           (*crumbs, (str(year), routes.period_url(year))), searchable=False)


def figure_specs(model: SiteModel) -> Iterator[PageSpec]:
    """`/zahlen/`: every headline figure with its own citable page."""
    section = routes.url_for("figure")
    yield PageSpec(routes.page_path(section), "figures.html", FiguresPage(model.figures),
                   model.t("page_title.figures"), home_crumbs(model))
    for f in model.figures:
        yield PageSpec(routes.page_path(routes.url_for("figure", f.id)), "figure.html",
                       FigurePage(f, f"{f.id}.png",
                                  model.t("figure.description", title=f.title, shown=f.shown,
                                          date=f.as_of.german())),
                       f.title, (*home_crumbs(model), (model.t("figures.crumb"), section)))


def specs(model: SiteModel) -> Iterator[PageSpec]:
    """Every page of this module."""
    yield from schedule_specs(model)
    yield from changes_specs(model)
    yield from figure_specs(model)


def source_line(model: SiteModel, figure: citable.Figure) -> str:
    """'Mitteilungsvorlage … vom 06.07.2021, Abschn. 1.1.1' or how the figure is derived."""
    if figure.source is None:
        return figure.basis
    src = model.sources[figure.source.source]
    return f"{model.source_title(src)}, {section_label(figure.source.section, model.t)}"


def figure_groups(model: SiteModel) -> list[FileGroup]:
    """The site's share card, and each figure's card, BibTeX and CSL-JSON."""
    site = model.content.site
    note = model.t("cards.site_as_of", date=site.as_of.german())
    groups = [FileGroup((routes.SITE_CARD,), ("site card", note),
                        lambda: {routes.SITE_CARD: cards.site_card(site, note)})]
    for f in model.figures:
        source = source_line(model, f)
        groups.append(FileGroup(figure_file_names(f), ("figure", f, source),
                                partial(figure_files, model, f, source)))
    return groups


def figure_file_names(f: citable.Figure) -> tuple[str, str, str]:
    """A figure's share card, BibTeX and CSL-JSON: the output paths of `figure_files`."""
    card = routes.card_file(f.id)
    base = card[: -len(".png")]
    return card, base + ".bib", base + ".csl.json"


def figure_files(model: SiteModel, f: citable.Figure, source: str) -> dict[str, bytes]:
    """One figure's share card and citations; `source`: its `source_line`."""
    site, t = model.content.site, model.t
    url = site.base_url + routes.url_for("figure", f.id)
    card, bib, csl = figure_file_names(f)
    return {card: cards.figure_card(site, f.title, f.shown,
                                    t("cards.as_of", date=f.as_of.german()),
                                    t("cards.source", source=source), url),
            bib: data.bibtex(f, site, url, t).encode("utf-8"),
            csl: data.dumps([data.csl(f, site, url, t)])}


def made(groups: Iterable[FileGroup]) -> dict[str, bytes]:
    """Every file of `groups`, made."""
    files: dict[str, bytes] = {}
    for group in groups:
        files.update(group.make())
    return files


# --- feeds --------------------------------------------------------------------------------


def render_feed(env: jinja2.Environment, model: SiteModel, page: str, title: str,
          items: list[chg.Change]) -> bytes:
    c = model.content
    newest = items[0].date if items else c.site.as_of
    return env.get_template("changes_feed.xml").render(
        site=c.site, lookup=model.lookup, feed_path=routes.feed_of(page), page=page,
        feed_title=title,
        changes=items[:FEED_SIZE], updated=newest.first_day().isoformat() + "T00:00:00Z",
        url_for=routes.url_for).encode("utf-8")


def feed_groups(model: SiteModel, env: jinja2.Environment) -> list[FileGroup]:
    """The Atom feeds of all changes and of each program: what each shows."""
    found = model.changes
    c = model.content
    section = routes.url_for("changes")
    shown = [(section, model.t("changes.feed_title"), found[:FEED_SIZE])]
    for p in c.programs:
        url = routes.url_for("program", p.id)
        shown.append((url, model.t("changes.record_feed_title", title=p.title),
                      chg.for_program(found, p.id, c)[:FEED_SIZE]))
    return [FileGroup((routes.feed_of(page),), ("feed", page, title, items),
                      partial(_feed_file, env, model, page, title, items))
            for page, title, items in shown]


def _feed_file(env: jinja2.Environment, model: SiteModel, page: str, title: str,
               items: list[chg.Change]) -> dict[str, bytes]:
    return {routes.feed_of(page): render_feed(env, model, page, title, items)}


def measure_feeds(model: SiteModel, measures: Iterable[m.Measure]
                  ) -> Iterator[tuple[str, tuple[str, str, list[chg.Change]]]]:
    """(file, (page, title, changes)) of each of `measures`' Atom feeds: what it shows."""
    found = model.changes_by_measure
    for x in measures:
        url = routes.url_for("measure", x.id)
        yield routes.feed_of(url), (url, model.t("changes.record_feed_title", title=x.title),
                                    found.get(x.id, [])[:FEED_SIZE])


def measure_feed_files(model: SiteModel, env: jinja2.Environment,
                       measures: Iterable[m.Measure]) -> dict[str, bytes]:
    """The Atom feed of each of `measures`."""
    return {rel: render_feed(env, model, *shown)
            for rel, shown in measure_feeds(model, measures)}
