"""Charts: loaded records → chart specifications (Plotly figure dicts plus data tables).

Figures are plain dictionaries in Plotly's JSON schema; `plotly.graph_objects` is not
imported (it costs most of a second). Chart ids follow fixed rules from content ids, so a
chart's address never changes when content grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import model as m
from dmoves_site import ozgviews, routes
from dmoves_site.model import SERVICE_LABELS, STATUS_LABELS
from dmoves_site.plotlytext import safe_figure

STATUS_COLORS = {  # ≥ 3:1 against white; status is also always written out
    "abgeschlossen": "#1b6e3a",
    "in_umsetzung": "#1f5a96",
    "geplant": "#8a5a00",
    "zurueckgestellt": "#6b6b6b", "eingestellt": "#222222",
}
STATUS_PATTERNS = {"abgeschlossen": "", "in_umsetzung": "/", "geplant": ".",
                   "zurueckgestellt": "x", "eingestellt": "-"}
# a service status drawn like the measure status it corresponds to
SERVICE_STYLE = {"online": "abgeschlossen", "in_umsetzung": "in_umsetzung", "geplant": "geplant",
                 "offen": "zurueckgestellt"}
DISPLAY_ORDER = ("abgeschlossen", "in_umsetzung", "geplant", "zurueckgestellt", "eingestellt")
# series without a status (budget lines): colour-blind safe (Paul Tol's "muted" scheme),
# each ≥ 3:1 against white, dark and light in turn, and always with its own pattern
SERIES_COLORS = ("#332288", "#999933", "#882255", "#117733", "#cc6677", "#004488", "#aa4499")
SERIES_PATTERNS = ("", "/", ".", "x", "-", "|", "+")
COUNT_UNITS = ("anzahl", "stück")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass(frozen=True, slots=True)
class Chart:
    """One citable chart: figure, the same numbers as a table, and where they come from."""

    id: str
    title: str
    finding: str
    as_of: m.PartialDate
    sources: tuple[m.SourceRef, ...]
    figure: dict[str, Any]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    unit: str
    home: str                      # URL path of the page that embeds it
    notes: tuple[str, ...] = ()
    kind: str = "bar"
    related: tuple[str, ...] = field(default=())
    documents: tuple[m.Source, ...] = ()   # the sources' documents, the most-cited first


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xref": "paper", "xanchor": "left",
                  "font": {"size": 17}},
        "separators": ",.",
        "font": {"family": FONT, "size": 13, "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "legend": {"orientation": "h", "y": -0.2, "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    for axis in ("xaxis", "yaxis"):
        spec = layout.setdefault(axis, {})
        # room for tick labels and the axis title, which keeps its distance to the ticks
        spec.setdefault("automargin", True)
        if "title" in spec:
            spec["title"].setdefault("standoff", 12)
        if spec.get("type") not in ("date", "category"):
            spec.setdefault("tickformat", ",~r")
    return layout


def series_marker(index: int) -> dict[str, Any]:
    """Colour and pattern of the index-th series that has no status of its own."""
    return {"color": SERIES_COLORS[index % len(SERIES_COLORS)],
            "pattern": {"shape": SERIES_PATTERNS[index % len(SERIES_PATTERNS)],
                        "fillmode": "overlay", "fgcolor": "#ffffff", "fgopacity": 0.7,
                        "size": 9, "solidity": 0.35}}


def status_marker(status: str) -> dict[str, Any]:
    return {"color": STATUS_COLORS[status], "pattern": {"shape": STATUS_PATTERNS[status]}}


def section_label(section: str) -> str:
    """'1.1.4' → 'Abschn. 1.1.4'; a verbatim phrase → 'Textstelle „…“' (shortened)."""
    text = section.strip()
    if m.SECTION_NUMBER_RE.fullmatch(text):
        return f"Abschn. {text}"
    if len(text) > 60:
        text = text[:57].rsplit(" ", 1)[0] + " …"
    return f"Textstelle „{text}“"


def sections_label(sections: list[str]) -> str:
    """Numbers joined after one 'Abschn.', phrases each as their own label."""
    numbers = [s for s in sections if section_label(s).startswith("Abschn.")]
    phrases = [section_label(s) for s in sections if s not in numbers]
    parts = ([f"Abschn. {', '.join(numbers)}"] if numbers else []) + phrases
    return "; ".join(parts)


def group_refs(refs: tuple[m.SourceRef, ...]) -> list[tuple[str, list[str]]]:
    """(source id, [sections]) with the most-cited source first."""
    groups: dict[str, list[str]] = {}
    for ref in refs:
        sections = groups.setdefault(ref.source, [])
        if ref.section not in sections:
            sections.append(ref.section)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _home(kind: str, record_id: str = "") -> str:
    """The site-absolute path of the page that embeds a chart."""
    return "/" + routes.url_for(kind, record_id)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _refs(*groups: tuple[m.SourceRef, ...]) -> tuple[m.SourceRef, ...]:
    seen: dict[tuple[str, str], m.SourceRef] = {}
    for group in groups:
        for ref in group:
            seen.setdefault((ref.source, ref.section), ref)
    return tuple(sorted(seen.values(), key=lambda r: (r.source, r.section)))


# --- measures ---------------------------------------------------------------------------


def status_by_program(content: m.Content) -> Chart:
    """Stacked bars: measures by status per program (chart 'umsetzungsstand-je-programm')."""
    progress = fg.progress_by_program(content.programs, content.measures)
    names = [f"{p.number}. {p.title}" for p in content.programs]
    traces = []
    for status in DISPLAY_ORDER:
        counts = [progress[p.id].by_status[status] for p in content.programs]
        if not any(counts):
            continue
        traces.append({
            "type": "bar", "orientation": "h", "name": STATUS_LABELS[status],
            "y": names, "x": counts, "marker": status_marker(status),
            "customdata": [fmt.count_text(n, "Maßnahme", "Maßnahmen") + " " + STATUS_LABELS[status]
                           for n in counts],
            "hovertemplate": "%{y}: %{customdata}<extra></extra>",
        })
    figure = {"data": traces, "layout": _layout(
        "Umsetzungsstand je Programm", barmode="stack",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "Anzahl Maßnahmen"}})}
    rows = tuple(
        (f"{p.number}. {p.title}", *(progress[p.id].by_status[s] for s in m.MEASURE_STATUSES),
         progress[p.id].total, _mean(progress[p.id]), progress[p.id].with_progress)
        for p in content.programs)
    total = len(content.measures)
    done = sum(1 for x in content.measures if x.status == "abgeschlossen")
    finding = (f"Von {total} erfassten Maßnahmen sind {done} abgeschlossen, "
               f"{sum(1 for x in content.measures if x.status == 'in_umsetzung')} in Umsetzung "
               f"und {sum(1 for x in content.measures if x.status == 'geplant')} geplant.")
    return Chart(
        routes.STATUS_CHART, "Umsetzungsstand je Programm", finding,
        _measures_as_of(content), status_refs(content.measures), figure,
        ("Programm", *(STATUS_LABELS[s] for s in m.MEASURE_STATUSES), "gesamt",
         "mittlerer Fortschritt (%)", "Maßnahmen mit Fortschrittsangabe"),
        rows, "Anzahl Maßnahmen", _home("home"),
        notes=("Der Status folgt dem Wortlaut der Quellen; ein Fortschritt in Prozent ist nur "
               "angegeben, wo eine Quelle eine Grundlage dafür nennt.",))


def status_refs(measures: tuple[m.Measure, ...] | list[m.Measure]) -> tuple[m.SourceRef, ...]:
    """Where the statuses come from: each measure's first source (its entry in the source's
    list of measures), not every passage the measure cites."""
    return _refs(tuple(x.sources[0] for x in measures if x.sources))


def _mean(progress: fg.ProgramProgress) -> Decimal | None:
    """The rounded mean progress as a number; its basis is a column of its own."""
    if progress.mean_progress is None:
        return None
    return Decimal(str(round(progress.mean_progress)))


def _measures_as_of(content: m.Content) -> m.PartialDate:
    """The date of the newest source that the measures cite."""
    by_id = {s.id: s for s in content.sources}
    dates = [by_id[r.source].date for x in content.measures for r in x.sources
             if r.source in by_id]
    dates += [ms.date for x in content.measures for ms in x.milestones if ms.done]
    return fg.newest_date(dates) or content.site.as_of


def program_status(content: m.Content, program: m.Program) -> Chart:
    """Grouped bars for one program: measures by status in each stage."""
    own = [x for x in content.measures if x.program == program.id]
    stages = sorted({s for x in own for s in x.all_stages}) or [0]
    stage_names = [_stage_label(s) for s in stages]
    traces = []
    rows = []
    for status in DISPLAY_ORDER:
        counts = [sum(1 for x in own if x.status == status and (s in x.all_stages or s == 0))
                  for s in stages]
        rows.append((STATUS_LABELS[status], *counts))
        if any(counts):
            traces.append({
                "type": "bar", "name": STATUS_LABELS[status], "x": stage_names, "y": counts,
                "marker": status_marker(status),
                "customdata": [fmt.count_text(n, "Maßnahme", "Maßnahmen") + " "
                               + STATUS_LABELS[status] for n in counts],
                "hovertemplate": "%{x}: %{customdata}<extra></extra>",
            })
    title = f"Maßnahmen im Programm {program.number} nach Status und Stufe"
    figure = {"data": traces, "layout": _layout(
        title, barmode="stack", yaxis={"title": {"text": "Anzahl Maßnahmen"}})}
    finding = (f"Das Programm „{program.title}“ umfasst {len(own)} Maßnahmen, davon "
               f"{sum(1 for x in own if x.status == 'abgeschlossen')} abgeschlossen.")
    return Chart(routes.chart_id("program", program.id), title, finding,
                 _measures_as_of(content),
                 status_refs(own), figure, ("Status", *stage_names),
                 tuple(rows), "Anzahl Maßnahmen", _home("program", program.id))


def _stage_label(stage: int) -> str:
    years = {1: "2020/2021", 2: "2022/2023", 3: "2024/2025"}
    return f"Stufe {stage} ({years[stage]})" if stage in years else f"Stufe {stage}"


# --- KPIs ------------------------------------------------------------------------------


def kpi_chart(content: m.Content, kpi: m.Kpi) -> Chart:
    """Line of a KPI's points, with its target as a dashed line."""
    xs = [p.date.midpoint().isoformat() for p in kpi.points]
    labels = [p.date.german() for p in kpi.points]
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "mode": "lines+markers+text", "name": kpi.title,
        "x": xs, "y": [_num(p.value) for p in kpi.points], "customdata": labels,
        "text": [fmt.number(p.value) for p in kpi.points], "textposition": "top center",
        "line": {"color": "#1f5a96", "width": 3}, "marker": {"size": 9},
        "hovertemplate": "%{customdata}<br>" + kpi.title + ": %{y:,}" + _unit_suffix(kpi.unit)
        + "<extra></extra>",
    }]
    if kpi.target is not None:
        start = kpi.points[0].date.midpoint().isoformat() if kpi.points else None
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": "Ziel",
            "x": [x for x in (start, kpi.target.date.midpoint().isoformat()) if x],
            "y": [_num(kpi.target.value)] * (2 if start else 1),
            "line": {"color": "#8a5a00", "dash": "dash", "width": 2},
            "hovertemplate": "Ziel " + kpi.target.date.german() + ": %{y:,}<extra></extra>",
        })
    figure = {"data": traces, "layout": _layout(
        kpi.title, xaxis={"type": "date", "tickformat": "%Y", "dtick": "M12"},
        yaxis={"title": {"text": kpi.unit}, "rangemode": "tozero"})}
    rows = tuple((p.date.german(), p.value, p.note, f"{p.source.source}, {p.source.section}")
                 for p in kpi.points)
    finding = _kpi_finding(kpi)
    refs = _refs(tuple(p.source for p in kpi.points),
                 (kpi.target.source,) if kpi.target and kpi.target.source else ())
    as_of = kpi.points[-1].date if kpi.points else content.site.as_of
    return Chart(routes.chart_id("kpi", kpi.id), kpi.title, finding, as_of, refs, figure,
                 ("Datum", f"Wert ({kpi.unit})", "Anmerkung", "Quelle"), rows, kpi.unit,
                 _home("kpi", kpi.id), kind="line")


def _unit_suffix(unit: str) -> str:
    """' %' or ' Stellen' after a value; nothing for a bare count ('250', not '250 Anzahl')."""
    return "" if unit.lower() in COUNT_UNITS else f" {unit}"


def _kpi_finding(kpi: m.Kpi) -> str:
    if not kpi.points:
        return "Für diese Kennzahl liegen noch keine Werte vor."
    first, last = kpi.points[0], kpi.points[-1]
    unit = _unit_suffix(kpi.unit)
    if len(kpi.points) == 1:
        text = f"{last.date.german()}: {fmt.number(last.value)}{unit}."
    else:
        text = (f"Von {fmt.number(first.value)}{unit} ({first.date.german()}) auf "
                f"{fmt.number(last.value)}{unit} ({last.date.german()}).")
    if kpi.target is not None:
        text += f" Ziel: {fmt.number(kpi.target.value)}{unit} bis {kpi.target.date.german()}."
    return text


# --- OZG -------------------------------------------------------------------------------


def ozg_chart(content: m.Content, kpi: m.Kpi | None) -> Chart | None:
    """Online services over time: the reported totals and the named services online."""
    over_time = fg.services_online_over_time(content.services)
    if kpi is None and not over_time:
        return None
    traces: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    if kpi is not None:
        traces.append(_reported_trace(kpi))
        rows += [(p.date.german(), "berichtet (gesamt)", p.value) for p in kpi.points]
    if over_time:
        traces.append(_named_trace(over_time))
        rows += [(d.german(), "namentlich genannt (kumuliert)", n) for d, n in over_time]
    title = "Online-Dienste nach OZG im Zeitverlauf"
    figure = {"data": traces, "layout": _layout(
        title, xaxis={"type": "date", "tickformat": "%b %Y"},
        yaxis={"title": {"text": "Anzahl"}, "rangemode": "tozero"})}
    refs = _refs(tuple(p.source for p in kpi.points) if kpi else (),
                 *(s.sources for s in content.services if s.since))
    dates = [p.date for p in kpi.points] if kpi else []
    dates += [d for d, _ in over_time]
    finding = _kpi_finding(kpi) if kpi else f"{over_time[-1][1]} genannte Dienste sind online."
    return Chart(routes.OZG_OVER_TIME_CHART, title, finding,
                 fg.newest_date(dates) or content.site.as_of, refs, figure,
                 ("Datum", "Reihe", "Anzahl"), tuple(rows), "Anzahl", _home("service"),
                 kind="line")


def _reported_trace(kpi: m.Kpi) -> dict[str, Any]:
    """The line of the reported number of online services."""
    return {
        "type": "scatter", "mode": "lines+markers+text",
        "name": "verfügbare OZG-Prozesse und Online-Services (berichtet)",
        "x": [p.date.midpoint().isoformat() for p in kpi.points],
        "y": [_num(p.value) for p in kpi.points],
        "text": [fmt.number(p.value) for p in kpi.points], "textposition": "top center",
        "customdata": [p.date.german() for p in kpi.points],
        "line": {"color": "#1f5a96", "width": 3},
        "hovertemplate": "%{customdata}: %{y} verfügbar (berichtet)<extra></extra>"}


def _named_trace(over_time: list[tuple[m.PartialDate, int]]) -> dict[str, Any]:
    """The step line of the services the sources name, cumulated by date online."""
    return {
        "type": "scatter", "mode": "lines+markers", "line": {"shape": "hv",
                                                              "color": "#1b6e3a"},
        "name": "davon in den Quellen namentlich genannt (kumuliert)",
        "x": [d.midpoint().isoformat() for d, _ in over_time],
        "y": [n for _, n in over_time],
        "customdata": [_named_online(d, n) for d, n in over_time],
        "hovertemplate": "%{customdata}<extra></extra>"}


def _named_online(date: m.PartialDate, count: int) -> str:
    return (f"{date.german()}: "
            + fmt.count_text(count, "namentlich genannter Dienst", "namentlich genannte Dienste")
            + " online")


def ozg_by_platform(content: m.Content) -> Chart | None:
    """Bars: named services by platform and status (none where no platform is given)."""
    if not any(s.platform for s in content.services):
        return None
    platforms = sorted({s.platform or "nicht angegeben" for s in content.services})
    traces, rows = [], []
    for status in ozgviews.statuses_present(content.services):
        label, style = SERVICE_LABELS[status], SERVICE_STYLE[status]
        counts = [sum(1 for s in content.services if s.status == status
                      and (s.platform or "nicht angegeben") == p) for p in platforms]
        rows.append((label, *counts))
        if any(counts):
            traces.append({"type": "bar", "name": label, "x": platforms, "y": counts,
                           "marker": status_marker(style),
                           "customdata": [fmt.count_text(n, "Dienst", "Dienste") + " " + label
                                          for n in counts],
                           "hovertemplate": "%{x}: %{customdata}<extra></extra>"})
    title = "Genannte Online-Dienste nach Plattform und Status"
    figure = {"data": traces, "layout": _layout(title, barmode="stack",
                                                yaxis={"title": {"text": "Anzahl"}})}
    online = sum(1 for s in content.services if s.status == "online")
    finding = f"{online} von {len(content.services)} namentlich genannten Diensten sind online."
    dates = [content_source_date(content, r.source) for s in content.services
             for r in s.sources]
    return Chart(routes.OZG_PLATFORM_CHART, title, finding,
                 fg.newest_date([d for d in dates if d]) or content.site.as_of,
                 _refs(*(s.sources for s in content.services)), figure,
                 ("Status", *platforms), tuple(rows), "Anzahl", _home("service"))


def content_source_date(content: m.Content, source_id: str) -> m.PartialDate | None:
    return next((s.date for s in content.sources if s.id == source_id), None)


# --- budgets ---------------------------------------------------------------------------


def budget_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference]
                 ) -> Chart | None:
    """Bars of a table: the parts of its total per column (or its items)."""
    lines = _chart_lines(budget)
    if not lines:
        return None
    figure = _budget_figure(content, budget, lines)
    rows = tuple((ln.label, *ln.values) for ln in lines)
    own = [d for d in diffs if d.table == budget.id]
    notes = tuple(diff_note(d, budget) for d in own)
    finding = _budget_finding(budget)
    as_of = fg.newest_date([d for d in (content_source_date(content, r.source)
                                        for r in budget.sources) if d]) or content.site.as_of
    return Chart(routes.chart_id("budget", budget.id), budget.title, finding, as_of,
                 budget.sources, figure, ("Zeile", *budget.years), rows, budget.unit,
                 _home("budget", budget.id),
                 notes=notes)




def _budget_figure(content: m.Content, budget: m.Budget, lines: list[m.BudgetLine]
                   ) -> dict[str, Any]:
    """One bar per line for the last column, or stacked lines over the columns."""
    program_colors = {p.id: p.color for p in content.programs}
    colors = [program_colors.get(ln.program) or series_marker(i)["color"]
              for i, ln in enumerate(lines)]
    if all(ln.program for ln in lines) or len(budget.years) == 1:
        col = len(budget.years) - 1
        traces = [{
            "type": "bar", "x": [ln.label for ln in lines],
            "y": [_num(ln.values[col]) for ln in lines], "name": budget.years[col],
            "marker": {"color": colors},
            "text": [fmt.number(ln.values[col]) for ln in lines], "textposition": "outside",
            "hovertemplate": "%{x}: %{y:,} " + budget.unit + "<extra></extra>"}]
        layout = _layout(budget.title, yaxis={"title": {"text": budget.unit}},
                         xaxis={"automargin": True})
    else:
        traces = [{
            "type": "bar", "name": ln.label, "x": list(budget.years),
            "y": [_num(v) for v in ln.values], "marker": series_marker(i),
            "hovertemplate": "%{x}: %{y:,} " + budget.unit + "<extra>" + ln.label
            + "</extra>"} for i, ln in enumerate(lines)]
        layout = _layout(budget.title, barmode="stack",
                         yaxis={"title": {"text": budget.unit}},
                         xaxis={"type": "category"})
    return {"data": traces, "layout": layout}


def _chart_lines(budget: m.Budget) -> list[m.BudgetLine]:
    totals = [ln for ln in budget.lines if ln.kind == "total" and ln.sum_of]
    if totals:
        parts = [budget.line_by_id(i) for i in totals[-1].sum_of]
        return [p for p in parts if p is not None]
    return [ln for ln in budget.lines if ln.kind == "item"]


def _budget_finding(budget: m.Budget) -> str:
    total = next((ln for ln in reversed(budget.lines)
                  if ln.kind == "total" or ln.difference_of), None)
    if total is None:
        return f"Die Tabelle „{budget.title}“ in {budget.unit}."
    parts = [f"{y}: {fmt.number(v)}" for y, v in zip(budget.years, total.values, strict=True)
             if v is not None]
    text = f"{total.label} ({budget.unit}): " + "; ".join(parts)
    if total.total is not None:
        text += f"; insgesamt {fmt.number(total.total)}"
    return text + "."


def diff_note(diff: fg.SumDifference, budget: m.Budget) -> str:
    """A data-quality note in German for one difference."""
    line = budget.line_by_id(diff.line)
    label = line.label if line else diff.line
    column = "Zeilensumme" if diff.column == "Gesamt" else diff.column
    return (f"„{label}“, {column}: veröffentlicht {fmt.number(diff.stated)}, "
            f"nachgerechnet {fmt.number(diff.computed)} ({diff.basis}); Abweichung "
            f"{fmt.number(diff.difference)} {budget.unit}. Gezeigt wird der veröffentlichte Wert.")


# --- all -------------------------------------------------------------------------------


def all_charts(content: m.Content, diffs: list[fg.SumDifference]) -> tuple[Chart, ...]:
    """Every chart of the site, in a stable order."""
    charts: list[Chart | None] = [status_by_program(content)]
    charts += [program_status(content, p) for p in content.programs]
    kpis = {k.id: k for k in content.kpis}
    charts.append(ozg_chart(content, kpis.get("ozg-online-services")))
    charts.append(ozg_by_platform(content))
    from dmoves_site import ozgcharts, tablecharts  # both import this module
    charts.append(ozgcharts.ozg_by_themenfeld(content))
    charts += [tablecharts.table_chart(content, b, diffs) for b in content.budgets]
    charts += [kpi_chart(content, k) for k in content.kpis]
    by_id = {s.id: s for s in content.sources}
    return tuple(with_documents(replace(c, figure=safe_figure(c.figure)), by_id)
                 for c in charts if c is not None)


def with_documents(chart: Chart, sources: dict[str, m.Source]) -> Chart:
    """The chart with the documents its figures come from, the most-cited first."""
    docs = tuple(sources[sid] for sid, _sections in group_refs(chart.sources) if sid in sources)
    return replace(chart, documents=docs)
