"""Text handed to Plotly is shown, never interpreted.

Plotly reads its own small HTML dialect in every label (`<a href>`, `<span style>`, `<b>`):
a title with `<a href="…">` would become a link in the charts and images, and a
`style="fill:url(https://…)"` would make the reader's browser fetch another host. Every
string of a figure is escaped (Plotly shows `&lt;` as `<`); only the line break and the
hover box's `<extra>` that the charts write themselves stay markup.
"""

from __future__ import annotations

from typing import Any

KEPT = {"&lt;br&gt;": "<br>", "&lt;extra&gt;": "<extra>", "&lt;/extra&gt;": "</extra>"}


def escape(text: str) -> str:
    """One label as Plotly text: `&`, `<`, `>` as entities, `<br>` and `<extra>` kept."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for escaped, tag in KEPT.items():
        text = text.replace(escaped, tag)
    return text


def safe_figure(value: Any) -> Any:
    """A copy of a figure (dicts, lists, strings, numbers) with every string escaped."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: safe_figure(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_figure(item) for item in value]
    return value
