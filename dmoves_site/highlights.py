"""The home page's headline figures, from the `highlights` setting (or sensible defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import routes


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure: the number, what it is, and where to read more."""

    value: str
    label: str
    href: str        # relative to the site root
    link: str


def default_highlights(content: m.Content) -> tuple[m.Highlight, ...]:
    """Measures by status; named services online; the largest budget table's total."""
    chosen = [m.Highlight("measures")]
    if content.services:
        chosen.append(m.Highlight("services"))
    headline = headline_budget(content.budgets)
    if headline is not None:
        chosen.append(m.Highlight("budget", headline[0].id, headline[1].id))
    return tuple(chosen)


def headline_budget(budgets: tuple[m.Budget, ...]) -> tuple[m.Budget, m.BudgetLine] | None:
    """The grand total of the overall budget table (most lines, money, several years)."""
    for budget in sorted(budgets, key=lambda b: -len(b.lines)):
        total = next((ln for ln in reversed(budget.lines) if ln.kind == "total"
                      and ln.total is not None), None)
        if total is not None and budget.unit in m.MONEY_UNITS and len(budget.years) > 2:
            return budget, total
    return None


def figures(content: m.Content, t: msg.Messages) -> list[Figure]:
    """The figures of the home page, in the order of the setting."""
    chosen = content.site.highlights
    items = default_highlights(content) if chosen is None else chosen
    made = [_figure(content, item, t) for item in items]
    return [f for f in made if f is not None]


def _figure(content: m.Content, item: m.Highlight, t: msg.Messages) -> Figure | None:
    if item.kind == "measures":
        counts = fg.status_counts(content.measures)
        label = item.label or t("home.measures_figure", done=counts["abgeschlossen"],
                                doing=counts["in_umsetzung"], planned=counts["geplant"])
        return Figure(str(sum(counts.values())), label, routes.url_for("measure"),
                      t("home.all_measures"))
    if item.kind == "services":
        online = sum(1 for s in content.services if s.status == "online")
        return Figure(str(online), item.label or t("home.services_online"),
                      routes.url_for("service"), t("home.services_link"))
    if item.kind == "kpi":
        return _kpi_figure(content, item, t)
    return _budget_figure(content, item, t)


def _kpi_figure(content: m.Content, item: m.Highlight, t: msg.Messages) -> Figure | None:
    kpi = next((k for k in content.kpis if k.id == item.ref), None)
    if kpi is None or not kpi.points:
        return None
    point = kpi.points[-1]
    name = item.label or kpi.title
    label = (t("home.kpi_figure_note", label=name, note=point.note, date=point.date.german())
             if point.note and item.note else
             t("home.kpi_figure", label=name, date=point.date.german()))
    if kpi.id == content.site.ozg_kpi and content.services:
        return Figure(fmt.number(point.value), label, routes.url_for("service"),
                      t("home.services_link"))
    return Figure(fmt.number(point.value), label, routes.url_for("kpi", kpi.id),
                  t("home.kpi_link"))


def _budget_figure(content: m.Content, item: m.Highlight, t: msg.Messages) -> Figure | None:
    budget = next((b for b in content.budgets if b.id == item.ref), None)
    line = budget.line_by_id(item.line) if budget else None
    if budget is None or line is None:
        return None
    total = line.total if line.total is not None else sum(
        (v for v in line.values if v is not None), Decimal(0))
    value = (fmt.millions(total, budget.unit) if budget.unit in m.MONEY_UNITS
             else fmt.money(total, budget.unit))
    sources = {s.id: s for s in content.sources}
    dated = [sources[r.source].date for r in budget.sources if r.source in sources]
    years = (budget.years[0] if len(budget.years) == 1
             else t("home.year_range", first=budget.years[0], last=budget.years[-1]))
    label = t("home.budget_figure", label=item.label or line.label, years=years,
              date=dated[0].german() if dated else "")
    return Figure(value, label, routes.url_for("budget", budget.id), t("home.budget_link"))
