"""KPI charts: a KPI's points as a line, with its target."""

from __future__ import annotations

from typing import Any

from dmoves_site import charts as ch
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import routes


def kpi_chart(content: m.Content, kpi: m.Kpi, t: msg.Messages) -> ch.Chart:
    """Line of a KPI's points, with its target as a dashed line."""
    xs = [p.date.midpoint().isoformat() for p in kpi.points]
    labels = [p.date.german() for p in kpi.points]
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "mode": "lines+markers+text", "name": kpi.title,
        "x": xs, "y": [ch._num(p.value) for p in kpi.points], "customdata": labels,
        "text": [fmt.number(p.value) for p in kpi.points], "textposition": "top center",
        "line": {"color": "#1f5a96", "width": 3}, "marker": {"size": 9},
        "hovertemplate": "%{customdata}<br>" + kpi.title + ": %{y:,}" + _unit_suffix(kpi.unit)
        + "<extra></extra>",
    }]
    if kpi.target is not None:
        start = kpi.points[0].date.midpoint().isoformat() if kpi.points else None
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": t("chart.kpi.target"),
            "x": [x for x in (start, kpi.target.date.midpoint().isoformat()) if x],
            "y": [ch._num(kpi.target.value)] * (2 if start else 1),
            "line": {"color": "#8a5a00", "dash": "dash", "width": 2},
            "hovertemplate": t("chart.kpi.target_hover", date=kpi.target.date.german())
            + ": %{y:,}<extra></extra>",
        })
    figure = {"data": traces, "layout": ch._layout(
        kpi.title, xaxis={"type": "date", "tickformat": "%Y", "dtick": "M12"},
        yaxis={"title": {"text": kpi.unit}, "rangemode": "tozero"})}
    rows = tuple((p.date.german(), p.value, p.note, f"{p.source.source}, {p.source.section}")
                 for p in kpi.points)
    finding = kpi_finding(kpi, t)
    refs = ch._refs(tuple(p.source for p in kpi.points),
                 (kpi.target.source,) if kpi.target and kpi.target.source else ())
    as_of = kpi.points[-1].date if kpi.points else content.site.as_of
    return ch.Chart(routes.chart_id("kpi", kpi.id), kpi.title, finding, as_of, refs, figure,
                 (t("chart.kpi.col_date"), t("chart.kpi.col_value", unit=kpi.unit),
                  t("chart.kpi.col_note"), t("chart.kpi.col_source")), rows, kpi.unit,
                 ch._home("kpi", kpi.id), kind="line")


def _unit_suffix(unit: str) -> str:
    """' %' or ' Stellen' after a value; nothing for a bare count ('250', not '250 Anzahl')."""
    return "" if unit.lower() in ch.COUNT_UNITS else f" {unit}"


def kpi_finding(kpi: m.Kpi, t: msg.Messages) -> str:
    if not kpi.points:
        return t("chart.kpi.no_points")
    first, last = kpi.points[0], kpi.points[-1]
    unit = _unit_suffix(kpi.unit)
    if len(kpi.points) == 1:
        text = t("chart.kpi.one_point", date=last.date.german(), value=fmt.number(last.value),
                 unit=unit)
    else:
        text = t("chart.kpi.trend", first=fmt.number(first.value), unit=unit,
                 first_date=first.date.german(), last=fmt.number(last.value),
                 last_date=last.date.german())
    if kpi.target is not None:
        text += t("chart.kpi.target_text", value=fmt.number(kpi.target.value), unit=unit,
                  date=kpi.target.date.german())
    return text
