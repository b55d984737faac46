"""The schedule: dated measures as rows and as a Plotly timeline, with baseline and slippage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dmoves_site import charts as ch
from dmoves_site import formatting as fmt
from dmoves_site import history as hi
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import routes

MS_PER_DAY = 86_400_000
# the chart's table: the columns of the schedule table (`schedule_table.col_*`)
COLUMNS = ("measure", "program", "start", "end", "baseline", "slip", "status", "overdue_flag")


@dataclass(frozen=True, slots=True)
class Row:
    """One dated measure in the schedule."""

    measure: m.Measure
    program: m.Program
    baseline: m.PartialDate | None
    slip: hi.Slippage | None
    overdue: bool

    def cells(self, t: msg.Messages) -> tuple[str, ...]:
        x = self.measure
        return (x.title, f"{self.program.number}. {self.program.title}", _d(x.start), _d(x.end),
                _d(self.baseline), self.slip.amount(t) if self.slip else "–",
                t(f"status.{x.status}"), t("common.answer_yes" if self.overdue
                                           else "common.answer_no"))


def _d(date: m.PartialDate | None) -> str:
    return date.german() if date else "–"


def rows(content: m.Content) -> list[Row]:
    """Every measure with a start, an end or an earlier end, in program and date order
    (one program's rows: those of its measures, in the same order)."""
    programs = {p.id: p for p in content.programs}
    result = []
    for x in content.measures:
        baseline = hi.baseline_end(x)
        if not (x.start or x.end or baseline):
            continue
        result.append(Row(x, programs[x.program], baseline, hi.measure_slippage(x),
                          hi.overdue(x, content.site.as_of)))
    return sorted(result, key=lambda r: (r.program.number, _first(r.measure), r.measure.title))


def of_program(found: list[Row], program: str) -> list[Row]:
    """The rows of `found` whose measure belongs to the program `program`, in their order."""
    return [r for r in found if r.program.id == program]


def _first(x: m.Measure) -> tuple[int, int, int, int]:
    date = x.start or x.end
    return date.sort_key() if date else (9999, 0, 0, 0)


def summary(found: list[Row]) -> dict[str, int]:
    return {"dated": len(found), "moved": sum(1 for r in found if r.slip),
            "overdue": sum(1 for r in found if r.overdue)}


# --- chart --------------------------------------------------------------------------------


def _bar_trace(program: m.Program, found: list[Row], t: msg.Messages) -> dict[str, Any]:
    """Bars from the first day of the start to the last day of the planned end."""
    spans = [r for r in found if r.measure.start and r.measure.end]
    base = [r.measure.start.first_day().isoformat() for r in spans]  # type: ignore[union-attr]
    widths = [((r.measure.end.last_day() - r.measure.start.first_day()).days + 1)  # type: ignore[union-attr]
              * MS_PER_DAY for r in spans]
    labels = [t("chart.schedule.span", start=_d(r.measure.start), end=_d(r.measure.end))
              for r in spans]
    return {"type": "bar", "orientation": "h", "name": f"{program.number}. {program.title}",
            "legendgroup": program.id, "y": [r.measure.title for r in spans], "base": base,
            "x": widths, "customdata": labels, "marker": {"color": program.color},
            "hovertemplate": "%{y}: %{customdata}<extra></extra>"}


def _marker_trace(name: str, points: list[tuple[str, m.PartialDate]], symbol: str,
                  color: str, first_day: bool = False) -> dict[str, Any]:
    """Markers at the last day of each date's period (an end; a start: its first day)."""
    days = [date.first_day() if first_day else date.last_day() for _, date in points]
    return {"type": "scatter", "mode": "markers", "name": name, "legendgroup": name,
            "y": [title for title, _ in points], "x": [day.isoformat() for day in days],
            "customdata": [date.german() for _, date in points],
            "marker": {"symbol": symbol, "size": 12, "color": color,
                       "line": {"width": 2, "color": color}},
            "hovertemplate": "%{y}: " + name + " %{customdata}<extra></extra>"}


def _traces(content: m.Content, found: list[Row], t: msg.Messages) -> list[dict[str, Any]]:
    traces = []
    for p in content.programs:
        own = of_program(found, p.id)
        if any(r.measure.start and r.measure.end for r in own):
            traces.append(_bar_trace(p, own, t))
    only_end = [(r.measure.title, r.measure.end) for r in found
                if r.measure.end is not None and not r.measure.start]
    if only_end:
        traces.append(_marker_trace(t("chart.schedule.only_end"), only_end, "diamond",
                                    "#1a1a1a"))
    only_start = [(r.measure.title, r.measure.start) for r in found
                  if r.measure.start is not None and not r.measure.end]
    if only_start:
        traces.append(_marker_trace(t("chart.schedule.only_start"), only_start,
                                    "triangle-right", "#1a1a1a", first_day=True))
    moved = [(r.measure.title, r.baseline) for r in found if r.slip and r.baseline is not None]
    if moved:
        traces.append(_marker_trace(t("chart.schedule.baseline"), moved, "line-ns-open",
                                    "#222222"))
    return traces


def _layout(content: m.Content, title: str, count: int, t: msg.Messages) -> dict[str, Any]:
    as_of = content.site.as_of.first_day().isoformat()
    return ch._layout(
        title, barmode="overlay", height=max(320, 140 + 28 * count),
        xaxis={"type": "date", "tickformat": "%Y", "dtick": "M12"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": as_of, "x1": as_of,
                 "y0": 0, "y1": 1, "line": {"color": "#1a1a1a", "dash": "dot", "width": 2}}],
        annotations=[{"x": as_of, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                      "text": t("chart.schedule.as_of", date=content.site.as_of.german()),
                      "showarrow": False}])


def _finding(found: list[Row], t: msg.Messages) -> str:
    counts = summary(found)
    return t("chart.schedule.finding", dated=_plural(t, "dated", counts["dated"]),
             moved=_plural(t, "moved", counts["moved"]),
             late=_plural(t, "late", counts["overdue"]))


def _plural(t: msg.Messages, key: str, count: int) -> str:
    """`chart.schedule.<key>_none`, `_one` or `_many` with the count."""
    form = {0: "none", 1: "one"}.get(count, "many")
    return t(f"chart.schedule.{key}_{form}", count=fmt.number(count))


def _as_of(content: m.Content, found: list[Row]) -> m.PartialDate:
    sources = {s.id: s for s in content.sources}
    dates = [d for r in found if (d := hi.stated_date(r.measure.sources, sources))]
    return max(dates, key=lambda d: d.sort_key()) if dates else content.site.as_of


def chart(content: m.Content, found: list[Row], t: msg.Messages,
          program: m.Program | None = None) -> ch.Chart | None:
    """The timeline of the dated measures `found` (`rows`): all, or one program's
    ('zeitplan-<program>')."""
    if not found:
        return None
    title = (t("chart.schedule.title_program", number=program.number) if program
             else t("chart.schedule.title"))
    # a long schedule draws its first page of bars: thousands of bars show no one anything,
    # and the chart's page carries its table. The finding counts all; /zeitplan/ lists all
    drawn = found[:content.site.page_size]
    figure = {"data": _traces(content, drawn, t),
              "layout": _layout(content, title, len(drawn), t)}
    refs = tuple(ref for r in drawn for ref in r.measure.sources)
    cid = routes.chart_id("schedule", program.id) if program else routes.SCHEDULE_CHART
    home = "/" + (routes.url_for("program", program.id) if program else
                  routes.url_for("schedule"))
    notes: tuple[str, ...] = (t("chart.schedule.note_bars"), t("chart.schedule.note_no_start"))
    if len(drawn) < len(found):
        notes += (t("chart.schedule.note_first", shown=fmt.number(len(drawn)),
                    total=fmt.number(len(found))),)
    columns = tuple(t(f"schedule_table.col_{c}") for c in COLUMNS)
    return ch.Chart(cid, title, _finding(found, t), _as_of(content, drawn), ch._refs(refs),
                    figure, columns, tuple(r.cells(t) for r in drawn), t("chart.schedule.unit"),
                    home, notes, kind="timeline")


def charts(content: m.Content, t: msg.Messages) -> tuple[ch.Chart, ...]:
    """The site's schedule chart and one per program with dated measures (`t`: the site's
    message catalogue)."""
    every = rows(content)  # in program order: each program's rows keep their order
    made = [chart(content, every, t),
            *(chart(content, of_program(every, p.id), t, p) for p in content.programs)]
    return tuple(c for c in made if c is not None)

