"""The OZG charts that need the OZG page's grouping: services by Themenfeld and status."""

from __future__ import annotations

from dmoves_site import charts as ch
from dmoves_site import figures as fg
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site import ozgviews, routes


def ozg_by_themenfeld(content: m.Content, t: msg.Messages) -> ch.Chart | None:
    """Horizontal bars: services per Themenfeld (largest first), stacked by status."""
    if not any(s.themenfeld for s in content.services):
        return None
    counts = ozgviews.themenfeld_counts(content.services, t("ozg.not_given"))
    statuses = ozgviews.statuses_present(content.services)
    names = [r.label for r in counts]
    traces = []
    for index, status in enumerate(statuses):
        label, style = t(f"service_status.{status}"), ch.SERVICE_STYLE[status]
        traces.append({"type": "bar", "orientation": "h", "name": label, "y": names,
                       "x": [r.by_status[index] for r in counts],
                       "marker": {"color": ch.STATUS_COLORS[style],
                                  "pattern": {"shape": ch.STATUS_PATTERNS[style]}},
                       "hovertemplate": "%{y}: %{x} " + label + "<extra></extra>"})
    title = t("chart.ozg_topics.title")
    layout = ch._layout(title, barmode="stack", height=200 + 26 * len(names),
                     yaxis={"type": "category", "autorange": "reversed", "automargin": True},
                     xaxis={"title": {"text": t("chart.count")}})
    online = sum(1 for s in content.services if s.status == "online")
    finding = t("chart.ozg_topics.finding", online=online, total=len(content.services),
                topics=len(names))
    dates = [ch.content_source_date(content, r.source) for s in content.services
             for r in s.sources]
    rows = tuple((r.label, *r.by_status, r.total) for r in counts)
    return ch.Chart(routes.OZG_THEMENFELD_CHART, title, finding,
                 fg.newest_date([d for d in dates if d]) or content.site.as_of,
                 ch._refs(*(s.sources for s in content.services)), {"data": traces,
                                                                 "layout": layout},
                 (t("chart.ozg_topics.col_topic"), *(t(f"service_status.{s}") for s in statuses),
                  t("chart.total")), rows,
                 t("chart.count"), ch._home("service"))
