"""Charts chosen by a budget table's `kind`: a plan (income, expense, balance) or a cost list."""

from __future__ import annotations

from typing import Any

from dmoves_site import charts as ch
from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import routes


def table_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference],
                t: msg.Messages) -> ch.Chart | None:
    """The chart of a table: the one its kind asks for, else the bars of its parts."""
    if budget.kind in TABLE_CHARTS:
        return TABLE_CHARTS[budget.kind](content, budget, diffs, t)
    return ch.budget_chart(content, budget, diffs, t)


def _table_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference],
                 figure: dict[str, Any], lines: list[m.BudgetLine], t: msg.Messages
                 ) -> ch.Chart:
    """The chart of one table with its rows, notes and date."""
    notes = tuple(ch.diff_note(d, budget, t) for d in diffs if d.table == budget.id)
    as_of = fg.newest_date([d for d in (ch.content_source_date(content, r.source)
                                        for r in budget.sources) if d]) or content.site.as_of
    return ch.Chart(routes.chart_id("budget", budget.id), budget.title,
                    ch._budget_finding(budget, t), as_of, budget.sources, figure,
                    (t("chart.budget.col_line"), *budget.years),
                    tuple((ln.label, *ln.values) for ln in lines),
                    budget.unit, "/" + routes.url_for("budget", budget.id), notes=notes)


def plan_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference],
               t: msg.Messages) -> ch.Chart | None:
    """A plan: income and expense side by side per column, the balance as a line."""
    balance = next((ln for ln in reversed(budget.lines) if ln.difference_of), None)
    if balance is None:
        return None
    income, expense = (budget.line_by_id(i) for i in balance.difference_of)
    if income is None or expense is None:
        return None
    years = list(budget.years)
    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": ln.label, "x": years, "y": [ch._num(v) for v in ln.values],
         "marker": {"color": color, "pattern": {"shape": shape}},
         "hovertemplate": "%{x}: %{y:,} " + budget.unit + "<extra>" + ln.label + "</extra>"}
        for ln, color, shape in ((income, "#1b6e3a", ""), (expense, "#a3472a", "/"))]
    traces.append({"type": "scatter", "mode": "lines+markers", "name": balance.label,
                   "x": years, "y": [ch._num(v) for v in balance.values],
                   "line": {"color": "#1a1a1a", "width": 3}, "marker": {"size": 9},
                   "hovertemplate": "%{x}: %{y:,} " + budget.unit + "<extra>"
                   + balance.label + "</extra>"})
    layout = ch._layout(budget.title, barmode="group", xaxis={"type": "category"},
                     yaxis={"title": {"text": budget.unit}, "automargin": True,
                            "zeroline": True})
    return _table_chart(content, budget, diffs, {"data": traces, "layout": layout},
                        [income, expense, balance], t)


def costs_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference],
                t: msg.Messages) -> ch.Chart | None:
    """A cost list: one horizontal bar per item (its printed or summed row total)."""
    items = [ln for ln in budget.lines if ln.kind == "item"]
    if not items:
        return None
    totals = [ln.total if ln.total is not None else fg.row_sum(ln) for ln in items]
    label = budget.years[0] if len(budget.years) == 1 else t("chart.budget.all_years")
    trace = {"type": "bar", "orientation": "h", "y": [ln.label for ln in items],
             "x": [ch._num(v) for v in totals], "name": label, "marker": {"color": "#1f5a96"},
             "text": [fmt.number(v) for v in totals], "textposition": "auto",
             "hovertemplate": "%{y}: %{x:,} " + budget.unit + "<extra></extra>"}
    layout = ch._layout(budget.title, height=160 + 34 * len(items),
                     yaxis={"automargin": True, "autorange": "reversed", "type": "category"},
                     xaxis={"title": {"text": f"{budget.unit} ({label})"}, "automargin": True})
    return _table_chart(content, budget, diffs, {"data": [trace], "layout": layout}, items,
                        t)


TABLE_CHARTS = {"plan": plan_chart, "costs": costs_chart}
