"""Citable headline figures: each KPI's latest value, budget totals, measure counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dmoves_site import formatting as fmt
from dmoves_site import history as hi
from dmoves_site import model as m
from dmoves_site import routes
from dmoves_site.messages import Messages


@dataclass(frozen=True, slots=True)
class Figure:
    """One number with its Stand, the passage that states it, and where it is shown."""

    id: str
    title: str
    value: Decimal
    unit: str
    as_of: m.PartialDate
    source: m.SourceRef | None
    home: str                      # URL (relative) of the page that shows it
    basis: str = ""                # how it is derived, where no single passage states it
    note: str = ""
    documents: tuple[m.Source, ...] = ()   # the cited source's document, for citations

    @property
    def shown(self) -> str:
        """The value with its unit; a bare count ('Anzahl') needs none."""
        unit = "" if self.unit == "Anzahl" else self.unit
        return f"{fmt.number(self.value)} {unit}".strip()


def kpi_figures(content: m.Content) -> list[Figure]:
    """The latest value of every KPI."""
    result = []
    for k in content.kpis:
        if k.points:
            p = k.points[-1]
            result.append(Figure(f"kennzahl-{k.id}", k.title, p.value, k.unit, p.date,
                                 p.source, routes.url_for("kpi", k.id), note=p.note))
    return result


def budget_figures(content: m.Content) -> list[Figure]:
    """Every printed row total of a total line of a budget table."""
    sources = {s.id: s for s in content.sources}
    result = []
    for b in content.budgets:
        ref = hi.stated_ref(b.sources, sources)
        if ref is None:
            continue
        span = f"{b.years[0]}–{b.years[-1]}" if len(b.years) > 1 else b.years[0]
        for ln in b.lines:
            if ln.kind == "total" and ln.total is not None:
                result.append(Figure(f"haushalt-{b.id}-{ln.id}", f"{b.title}: {ln.label} "
                                     f"({span})", ln.total, b.unit, sources[ref.source].date,
                                     ref, routes.url_for("budget", b.id)))
    return result


def measure_figures(content: m.Content, t: Messages) -> list[Figure]:
    """The number of measures, in all and by status (statuses that occur)."""
    sources = {s.id: s for s in content.sources}
    refs = [r for x in content.measures for r in x.sources]
    as_of = hi.stated_date(refs, sources) or content.site.as_of
    basis = t("figures.measures_basis", count=len(content.measures))
    unit = t("figures.measures_unit")
    result = [Figure("massnahmen-gesamt", t("figures.measures_total"),
                     Decimal(len(content.measures)), unit, as_of, None,
                     routes.url_for("measure"), basis)]
    for status in m.MEASURE_STATUSES:
        count = sum(1 for x in content.measures if x.status == status)
        if count:
            result.append(Figure(f"massnahmen-{status.replace('_', '-')}",
                                 t("figures.measures_status", status=t(f"status.{status}")),
                                 Decimal(count), unit, as_of, None,
                                 routes.filter_url("status", status), basis))
    return result


def all_figures(content: m.Content, t: Messages) -> list[Figure]:
    """Every citable figure, in a stable order: measures, KPIs, budgets."""
    return [*measure_figures(content, t), *kpi_figures(content), *budget_figures(content)]

