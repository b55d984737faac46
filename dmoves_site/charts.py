"""Charts: loaded records → chart specifications (Plotly figure dicts plus data tables).

Figures are plain dictionaries in Plotly's JSON schema; `plotly.graph_objects` is not
imported (it costs most of a second). Chart ids follow fixed rules from content ids, so a
chart's address never changes when content grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import ozgviews, routes
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


def section_label(section: str, t: msg.Messages) -> str:
    """'1.1.4' → 'Abschn. 1.1.4'; a verbatim phrase → 'Textstelle „…“' (shortened)."""
    text = section.strip()
    if m.SECTION_NUMBER_RE.fullmatch(text):
        return t("partials.section", section=text)
    if len(text) > 60:
        text = text[:57].rsplit(" ", 1)[0] + " …"
    return t("partials.quote", text=text)


def sections_label(sections: list[str], t: msg.Messages) -> str:
    """Numbers joined after one 'Abschn.', phrases each as their own label."""
    numbers = [s for s in sections if m.SECTION_NUMBER_RE.fullmatch(s.strip())]
    phrases = [section_label(s, t) for s in sections if s not in numbers]
    parts = ([t("partials.sections", sections=", ".join(numbers))] if numbers else []) + phrases
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


def status_by_program(content: m.Content, t: msg.Messages) -> Chart:
    """Stacked bars: measures by status per program (chart 'umsetzungsstand-je-programm')."""
    progress = fg.progress_by_program(content.programs, content.measures)
    names = [f"{p.number}. {p.title}" for p in content.programs]
    traces = []
    for status in DISPLAY_ORDER:
        counts = [progress[p.id].by_status[status] for p in content.programs]
        if not any(counts):
            continue
        traces.append({
            "type": "bar", "orientation": "h", "name": t(f"status.{status}"),
            "y": names, "x": counts, "marker": status_marker(status),
            "customdata": [_count(t, n, "measure") + " " + t(f"status.{status}")
                           for n in counts],
            "hovertemplate": "%{y}: %{customdata}<extra></extra>",
        })
    title = t("chart.status_by_program.title")
    figure = {"data": traces, "layout": _layout(
        title, barmode="stack", yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": t("chart.axis_measures")}})}
    rows = tuple(
        (f"{p.number}. {p.title}", *(progress[p.id].by_status[s] for s in m.MEASURE_STATUSES),
         progress[p.id].total, _mean(progress[p.id]), progress[p.id].with_progress)
        for p in content.programs)
    tally = fg.status_counts(content.measures)
    finding = t("chart.status_by_program.finding", total=len(content.measures),
                done=tally["abgeschlossen"], doing=tally["in_umsetzung"],
                planned=tally["geplant"])
    return Chart(
        routes.STATUS_CHART, title, finding,
        _measures_as_of(content), status_refs(content.measures), figure,
        (t("chart.status_by_program.col_program"),
         *(t(f"status.{s}") for s in m.MEASURE_STATUSES), t("chart.total"),
         t("chart.mean_progress"), t("chart.with_progress")),
        rows, t("chart.axis_measures"), _home("home"),
        notes=(t("chart.status_by_program.note"),))


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


def program_status(content: m.Content, program: m.Program, t: msg.Messages) -> Chart:
    """Stacked bars for one program: measures by status in each stage (or all together).

    A measure without a stage has its own column, so every measure is counted.
    """
    own = [x for x in content.measures if x.program == program.id]
    columns = _stage_columns(content.site, own, t)
    traces = []
    rows = []
    for status in DISPLAY_ORDER:
        counts = [sum(1 for x in own if x.status == status and member(x)) for _, member in columns]
        label = t(f"status.{status}")
        rows.append((label, *counts))
        if any(counts):
            traces.append({
                "type": "bar", "name": label, "x": [name for name, _ in columns], "y": counts,
                "marker": status_marker(status),
                "customdata": [_count(t, n, "measure") + " " + label for n in counts],
                "hovertemplate": "%{x}: %{customdata}<extra></extra>",
            })
    staged = any(x.all_stages for x in content.measures)
    title = t("chart.program_status.title" if staged else "chart.program_status.title_no_stages",
              number=program.number)
    figure = {"data": traces, "layout": _layout(
        title, barmode="stack", yaxis={"title": {"text": t("chart.axis_measures")}})}
    finding = t("chart.program_status.finding", title=program.title, count=len(own),
                done=sum(1 for x in own if x.status == "abgeschlossen"))
    return Chart(routes.chart_id("program", program.id), title, finding,
                 _measures_as_of(content), status_refs(own), figure,
                 (t("chart.program_status.col_status"), *(name for name, _ in columns)),
                 tuple(rows), t("chart.axis_measures"), _home("program", program.id))


Member = Callable[[m.Measure], bool]


def _stage_columns(site: m.Site, own: list[m.Measure], t: msg.Messages
                   ) -> list[tuple[str, Member]]:
    """(column name, membership) per stage the measures use, plus one for those without."""
    numbers = sorted({n for x in own for n in x.all_stages})
    if not numbers:
        return [(t("chart.program_status.all"), lambda x: True)]
    columns: list[tuple[str, Member]] = [
        (stage_name(site, n, t), lambda x, n=n: n in x.all_stages)  # type: ignore[misc]
        for n in numbers]
    if any(not x.all_stages for x in own):
        columns.append((t("chart.program_status.no_stage"), lambda x: not x.all_stages))
    return columns


def stage_name(site: m.Site, number: int, t: msg.Messages) -> str:
    """A declared stage's label with its period; an undeclared one by its number."""
    declared = next((st for st in site.stages if st.number == number), None)
    return declared.long_label() if declared else t("terms.stage_label", number=number)


def _count(t: msg.Messages, count: int, noun: str) -> str:
    """'1 Maßnahme', '3 Maßnahmen': the count with the catalogue's singular or plural."""
    return fmt.count_text(count, t(f"chart.counted.{noun}_one"), t(f"chart.counted.{noun}_many"))


# --- OZG -------------------------------------------------------------------------------


def ozg_chart(content: m.Content, kpi: m.Kpi | None, t: msg.Messages) -> Chart | None:
    """Online services over time: the reported totals and the named services online."""
    over_time = fg.services_online_over_time(content.services)
    if kpi is None and not over_time:
        return None
    traces: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    if kpi is not None:
        traces.append(_reported_trace(kpi, t))
        rows += [(p.date.german(), t("chart.ozg.reported_row"), p.value) for p in kpi.points]
    if over_time:
        traces.append(_named_trace(over_time, t))
        rows += [(d.german(), t("chart.ozg.named_row"), n) for d, n in over_time]
    title = t("chart.ozg.title")
    figure = {"data": traces, "layout": _layout(
        title, xaxis={"type": "date", "tickformat": "%b %Y"},
        yaxis={"title": {"text": t("chart.count")}, "rangemode": "tozero"})}
    refs = _refs(tuple(p.source for p in kpi.points) if kpi else (),
                 *(s.sources for s in content.services if s.since))
    dates = [p.date for p in kpi.points] if kpi else []
    dates += [d for d, _ in over_time]
    from dmoves_site.kpicharts import kpi_finding  # it imports this module
    finding = (kpi_finding(kpi, t) if kpi
               else t("chart.ozg.finding", count=over_time[-1][1]))
    return Chart(routes.OZG_OVER_TIME_CHART, title, finding,
                 fg.newest_date(dates) or content.site.as_of, refs, figure,
                 (t("chart.ozg.col_date"), t("chart.ozg.col_series"), t("chart.ozg.col_count")),
                 tuple(rows), t("chart.count"), _home("service"), kind="line")


def _reported_trace(kpi: m.Kpi, t: msg.Messages) -> dict[str, Any]:
    """The line of the reported number of online services."""
    return {
        "type": "scatter", "mode": "lines+markers+text",
        "name": t("chart.ozg.reported"),
        "x": [p.date.midpoint().isoformat() for p in kpi.points],
        "y": [_num(p.value) for p in kpi.points],
        "text": [fmt.number(p.value) for p in kpi.points], "textposition": "top center",
        "customdata": [p.date.german() for p in kpi.points],
        "line": {"color": "#1f5a96", "width": 3},
        "hovertemplate": f"%{{customdata}}: %{{y}} {t('chart.ozg.reported_hover')}"
        "<extra></extra>"}


def _named_trace(over_time: list[tuple[m.PartialDate, int]], t: msg.Messages
                 ) -> dict[str, Any]:
    """The step line of the services the sources name, cumulated by date online."""
    return {
        "type": "scatter", "mode": "lines+markers", "line": {"shape": "hv",
                                                              "color": "#1b6e3a"},
        "name": t("chart.ozg.named"),
        "x": [d.midpoint().isoformat() for d, _ in over_time],
        "y": [n for _, n in over_time],
        "customdata": [f"{d.german()}: {_count(t, n, 'named_service')} "
                       f"{t('chart.ozg.online')}" for d, n in over_time],
        "hovertemplate": "%{customdata}<extra></extra>"}


def ozg_by_platform(content: m.Content, t: msg.Messages) -> Chart | None:
    """Bars: named services by platform and status (none where no platform is given)."""
    if not any(s.platform for s in content.services):
        return None
    unnamed = t("chart.not_given")
    platforms = sorted({s.platform or unnamed for s in content.services})
    traces, rows = [], []
    for status in ozgviews.statuses_present(content.services):
        label, style = t(f"service_status.{status}"), SERVICE_STYLE[status]
        counts = [sum(1 for s in content.services if s.status == status
                      and (s.platform or unnamed) == p) for p in platforms]
        rows.append((label, *counts))
        if any(counts):
            traces.append({"type": "bar", "name": label, "x": platforms, "y": counts,
                           "marker": status_marker(style),
                           "customdata": [_count(t, n, "service") + " " + label
                                          for n in counts],
                           "hovertemplate": "%{x}: %{customdata}<extra></extra>"})
    title = t("chart.platforms.title")
    figure = {"data": traces, "layout": _layout(title, barmode="stack",
                                                yaxis={"title": {"text": t("chart.count")}})}
    online = sum(1 for s in content.services if s.status == "online")
    finding = t("chart.platforms.finding", online=online, total=len(content.services))
    dates = [content_source_date(content, r.source) for s in content.services
             for r in s.sources]
    return Chart(routes.OZG_PLATFORM_CHART, title, finding,
                 fg.newest_date([d for d in dates if d]) or content.site.as_of,
                 _refs(*(s.sources for s in content.services)), figure,
                 (t("chart.platforms.col_status"), *platforms), tuple(rows), t("chart.count"),
                 _home("service"))


def content_source_date(content: m.Content, source_id: str) -> m.PartialDate | None:
    return next((s.date for s in content.sources if s.id == source_id), None)


# --- budgets ---------------------------------------------------------------------------


def budget_chart(content: m.Content, budget: m.Budget, diffs: list[fg.SumDifference],
                 t: msg.Messages) -> Chart | None:
    """Bars of a table: the parts of its total per column (or its items)."""
    lines = _chart_lines(budget)
    if not lines:
        return None
    figure = _budget_figure(content, budget, lines)
    rows = tuple((ln.label, *ln.values) for ln in lines)
    own = [d for d in diffs if d.table == budget.id]
    notes = tuple(diff_note(d, budget, t) for d in own)
    finding = _budget_finding(budget, t)
    as_of = fg.newest_date([d for d in (content_source_date(content, r.source)
                                        for r in budget.sources) if d]) or content.site.as_of
    return Chart(routes.chart_id("budget", budget.id), budget.title, finding, as_of,
                 budget.sources, figure, (t("chart.budget.col_line"), *budget.years), rows,
                 budget.unit, _home("budget", budget.id), notes=notes)




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


def _budget_finding(budget: m.Budget, t: msg.Messages) -> str:
    total = next((ln for ln in reversed(budget.lines)
                  if ln.kind == "total" or ln.difference_of), None)
    if total is None:
        return t("chart.budget.finding_plain", title=budget.title, unit=budget.unit)
    parts = [f"{y}: {fmt.number(v)}" for y, v in zip(budget.years, total.values, strict=True)
             if v is not None]
    text = t("chart.budget.finding_total", label=total.label, unit=budget.unit,
             parts="; ".join(parts))
    if total.total is not None:
        text += t("chart.budget.finding_sum", total=fmt.number(total.total))
    return text + "."


def diff_note(diff: fg.SumDifference, budget: m.Budget, t: msg.Messages) -> str:
    """A data-quality note for one difference."""
    line = budget.line_by_id(diff.line)
    label = line.label if line else diff.line
    column = t("chart.budget.row_total") if diff.column == "Gesamt" else diff.column
    return t("chart.budget.diff_note", label=label, column=column,
             stated=fmt.number(diff.stated), computed=fmt.number(diff.computed),
             basis=diff.basis, difference=fmt.number(diff.difference), unit=budget.unit)


# --- all -------------------------------------------------------------------------------


def all_charts(content: m.Content, diffs: list[fg.SumDifference],
               t: msg.Messages | None = None) -> tuple[Chart, ...]:
    """Every chart of the site, in a stable order (`t`: the site's message catalogue)."""
    t = t or msg.catalogue(content.site.language, content.site.terms)
    charts: list[Chart | None] = [status_by_program(content, t)]
    charts += [program_status(content, p, t) for p in content.programs]
    kpis = {k.id: k for k in content.kpis}
    charts.append(ozg_chart(content, kpis.get(content.site.ozg_kpi), t))
    charts.append(ozg_by_platform(content, t))
    from dmoves_site import kpicharts, ozgcharts, tablecharts  # they import this module
    charts.append(ozgcharts.ozg_by_themenfeld(content, t))
    charts += [tablecharts.table_chart(content, b, diffs, t) for b in content.budgets]
    charts += [kpicharts.kpi_chart(content, k, t) for k in content.kpis]
    by_id = {s.id: s for s in content.sources}
    return tuple(with_documents(replace(c, figure=safe_figure(c.figure)), by_id)
                 for c in charts if c is not None)


def with_documents(chart: Chart, sources: dict[str, m.Source]) -> Chart:
    """The chart with the documents its figures come from, the most-cited first."""
    docs = tuple(sources[sid] for sid, _sections in group_refs(chart.sources) if sid in sources)
    return replace(chart, documents=docs)
