"""Markdown → sanitised HTML (allow-list), with German-aware heading ids."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "section",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
FILL_IN = re.compile(r"\[\[BITTE ERGÄNZEN:\s*([^\]]+)\]\]")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe",
                          "Ü": "ue"})


def slugify(value: str, separator: str = "-") -> str:
    """German-aware slug: 'Straße' → 'strasse', 'Bürgerbüro' → 'buergerbuero'."""
    value = value.translate(_UMLAUTS)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s_]+", separator, value)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "attr_list", "footnotes", "toc", "sane_lists"],
        extension_configs={"toc": {"slugify": slugify, "permalink": False},
                           "footnotes": {"BACKLINK_TITLE": "Zurück zu Fußnote %d"}},
        output_format="html",
    )


_MD = _converter()


def sanitize(html: str) -> str:
    """Clean HTML with an allow-list: no scripts, no event handlers, no javascript: URLs."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                     strip_comments=True)


def render(text: str, shift_headings: int = 0) -> str:
    """Render content Markdown to safe HTML; `[[BITTE ERGÄNZEN: …]]` becomes a marked gap."""
    _MD.reset()
    html = _MD.convert(text)
    if shift_headings:
        html = _shift(html, shift_headings)
    html = sanitize(html)
    return FILL_IN.sub(r'<mark class="fill-in">Bitte ergänzen: \1</mark>', html)


def _shift(html: str, by: int) -> str:
    def repl(match: Any) -> str:
        level = min(6, int(match.group(2)) + by)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])", repl, html)


def fill_ins(text: str) -> list[str]:
    """The placeholders `[[BITTE ERGÄNZEN: …]]` in a text."""
    return FILL_IN.findall(text)


def plain(text: str) -> str:
    """Markdown to plain text (for summaries, feeds and search)."""
    html = render(text)
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
