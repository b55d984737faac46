"""Phone-width variants of chart figures: wrapped labels, sideways bars, room for values.

The same variant is drawn into the narrow static image and used by the interactive chart
on narrow screens, so both look alike.
"""

from __future__ import annotations

import copy
import re
from typing import Any

WIDTH, HEIGHT = 360, 600        # the narrow static image, CSS pixels
LABEL_CHARS = 14                # category labels wrap after this many characters
LEGEND_CHARS = 30
SIDEWAYS_LABEL_CHARS = 8        # longer labels under vertical bars turn the bars sideways


def wrap(text: Any, width: int) -> Any:
    """Break text at spaces into lines of at most `width` characters (Plotly's <br>)."""
    if not isinstance(text, str) or len(text) <= width:
        return text
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


def _swap_xy(template: str) -> str:
    return re.sub(r"%\{([xy])", lambda m: "%{" + ("y" if m.group(1) == "x" else "x"), template)


def turn_sideways(fig: dict[str, Any]) -> None:
    """Vertical bars → horizontal bars, first category on top."""
    for trace in fig["data"]:
        trace["x"], trace["y"] = trace.get("y"), trace.get("x")
        trace["orientation"] = "h"
        if "hovertemplate" in trace:
            trace["hovertemplate"] = _swap_xy(trace["hovertemplate"])
    layout = fig["layout"]
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    layout["xaxis"] = yaxis
    layout["yaxis"] = {k: v for k, v in xaxis.items() if k != "type"} | {"autorange": "reversed"}


def _wants_sideways(data: list[dict[str, Any]]) -> bool:
    if not data or any(t.get("type") != "bar" or t.get("orientation") == "h" for t in data):
        return False
    labels = data[0].get("x") or []
    return len(labels) > 2 and max(len(str(v)) for v in labels) > SIDEWAYS_LABEL_CHARS


def narrow_figure(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure laid out for a phone screen (a new dict; the original stays)."""
    fig = copy.deepcopy(figure)
    if _wants_sideways(fig["data"]):
        turn_sideways(fig)
    outside = False
    for trace in fig["data"]:
        if "name" in trace:
            trace["name"] = wrap(trace["name"], LEGEND_CHARS)
        if trace.get("orientation") == "h" and isinstance(trace.get("y"), list):
            trace["y"] = [wrap(v, LABEL_CHARS) for v in trace["y"]]
        if trace.get("textposition") == "outside":
            trace["cliponaxis"] = False
            outside = True
    layout = fig["layout"]
    layout["font"] = {**layout.get("font", {}), "size": 12}
    # room on the right for value labels outside the bars
    layout["margin"] = {**layout.get("margin", {}), "l": 8, "r": 44 if outside else 16}
    layout["legend"] = {**layout.get("legend", {}), "x": 0, "xanchor": "left"}
    for name in ("xaxis", "yaxis"):
        if layout.get(name, {}).get("type") == "date":
            layout[name]["nticks"] = 4
    return fig
