"""The schedule: dated measures as rows and as a Plotly timeline, with baseline and slippage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dmoves_site import charts as ch
from dmoves_site import history as hi
from dmoves_site import model as m
from dmoves_site import routes
from dmoves_site.model import STATUS_LABELS

MS_PER_DAY = 86_400_000
COLUMNS = ("Maßnahme", "Programm", "Start", "Geplantes Ende", "Zuerst genanntes Ende",
           "Verschiebung", "Status", "Überfällig")


@dataclass(frozen=True, slots=True)
class Row:
    """One dated measure in the schedule."""

    measure: m.Measure
    program: m.Program
    baseline: m.PartialDate | None
    slip: hi.Slippage | None
    overdue: bool

    def cells(self) -> tuple[str, ...]:
        x = self.measure
        return (x.title, f"{self.program.number}. {self.program.title}", _d(x.start), _d(x.end),
                _d(self.baseline), self.slip.amount() if self.slip else "–",
                STATUS_LABELS[x.status], "ja" if self.overdue else "nein")


def _d(date: m.PartialDate | None) -> str:
    return date.german() if date else "–"


def rows(content: m.Content, program: str = "") -> list[Row]:
    """Every measure with a start, an end or an earlier end, in program and date order."""
    programs = {p.id: p for p in content.programs}
    result = []
    for x in content.measures:
        baseline = hi.baseline_end(x)
        if (program and x.program != program) or not (x.start or x.end or baseline):
            continue
        result.append(Row(x, programs[x.program], baseline, hi.measure_slippage(x),
                          hi.overdue(x, content.site.as_of)))
    return sorted(result, key=lambda r: (r.program.number, _first(r.measure), r.measure.title))


def _first(x: m.Measure) -> tuple[int, int, int, int]:
    date = x.start or x.end
    return date.sort_key() if date else (9999, 0, 0, 0)


def summary(found: list[Row]) -> dict[str, int]:
    return {"dated": len(found), "moved": sum(1 for r in found if r.slip),
            "overdue": sum(1 for r in found if r.overdue)}


# --- chart --------------------------------------------------------------------------------


def _bar_trace(program: m.Program, found: list[Row]) -> dict[str, Any]:
    """Bars from the first day of the start to the last day of the planned end."""
    spans = [r for r in found if r.measure.start and r.measure.end]
    base = [r.measure.start.first_day().isoformat() for r in spans]  # type: ignore[union-attr]
    widths = [((r.measure.end.last_day() - r.measure.start.first_day()).days + 1)  # type: ignore[union-attr]
              * MS_PER_DAY for r in spans]
    labels = [f"{_d(r.measure.start)} bis {_d(r.measure.end)}" for r in spans]
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


def _traces(content: m.Content, found: list[Row]) -> list[dict[str, Any]]:
    traces = []
    for p in content.programs:
        own = [r for r in found if r.program.id == p.id]
        if any(r.measure.start and r.measure.end for r in own):
            traces.append(_bar_trace(p, own))
    only_end = [(r.measure.title, r.measure.end) for r in found
                if r.measure.end is not None and not r.measure.start]
    if only_end:
        traces.append(_marker_trace("geplantes Ende (ohne Startdatum)", only_end, "diamond",
                                    "#1a1a1a"))
    only_start = [(r.measure.title, r.measure.start) for r in found
                  if r.measure.start is not None and not r.measure.end]
    if only_start:
        traces.append(_marker_trace("Start (ohne geplantes Ende)", only_start,
                                    "triangle-right", "#1a1a1a", first_day=True))
    moved = [(r.measure.title, r.baseline) for r in found if r.slip and r.baseline is not None]
    if moved:
        traces.append(_marker_trace("zuerst genanntes Ende", moved, "line-ns-open", "#222222"))
    return traces


def _layout(content: m.Content, title: str, count: int) -> dict[str, Any]:
    as_of = content.site.as_of.first_day().isoformat()
    return ch._layout(
        title, barmode="overlay", height=max(320, 140 + 28 * count),
        xaxis={"type": "date", "tickformat": "%Y", "dtick": "M12"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": as_of, "x1": as_of,
                 "y0": 0, "y1": 1, "line": {"color": "#1a1a1a", "dash": "dot", "width": 2}}],
        annotations=[{"x": as_of, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                      "text": f"Stand {content.site.as_of.german()}", "showarrow": False}])


def _finding(found: list[Row]) -> str:
    counts = summary(found)
    moved = {0: "bei keiner", 1: "bei einer"}.get(counts["moved"], f"bei {counts['moved']}")
    late = {0: "keine ist", 1: "eine ist"}.get(counts["overdue"], f"{counts['overdue']} sind")
    dated = counts["dated"]
    return (f"{dated} {'Maßnahme hat' if dated == 1 else 'Maßnahmen haben'} einen belegten "
            f"Zeitplan; {moved} wurde das geplante Ende verschoben, {late} überfällig "
            "(geplantes Ende vor dem Stand, nicht abgeschlossen).")


def _as_of(content: m.Content, found: list[Row]) -> m.PartialDate:
    sources = {s.id: s for s in content.sources}
    dates = [d for r in found if (d := hi.stated_date(r.measure.sources, sources))]
    return max(dates, key=lambda d: d.sort_key()) if dates else content.site.as_of


def chart(content: m.Content, program: m.Program | None = None) -> ch.Chart | None:
    """The timeline of all dated measures, or of one program's ('zeitplan-<program>')."""
    found = rows(content, program.id if program else "")
    if not found:
        return None
    title = "Zeitplan der Maßnahmen" + (f" im Programm {program.number}" if program else "")
    figure = {"data": _traces(content, found), "layout": _layout(content, title, len(found))}
    refs = tuple(ref for r in found for ref in r.measure.sources)
    cid = routes.chart_id("schedule", program.id) if program else routes.SCHEDULE_CHART
    home = "/" + (routes.url_for("program", program.id) if program else
                  routes.url_for("schedule"))
    notes = ("Balken reichen vom ersten Tag des Starts bis zum letzten Tag des geplanten "
             "Endes in der Genauigkeit der Quelle (Jahr, Quartal, Monat oder Tag).",
             "Maßnahmen ohne belegtes Startdatum erscheinen nur mit ihrem geplanten Ende.")
    return ch.Chart(cid, title, _finding(found), _as_of(content, found), ch._refs(refs), figure,
                    COLUMNS, tuple(r.cells() for r in found), "Zeitraum", home, notes,
                    kind="timeline")


def charts(content: m.Content) -> tuple[ch.Chart, ...]:
    """The site's schedule chart and one per program with dated measures."""
    made = [chart(content), *(chart(content, p) for p in content.programs)]
    return tuple(c for c in made if c is not None)

