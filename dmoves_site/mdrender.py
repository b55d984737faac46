"""Markdown (CommonMark + tables, footnotes) → sanitised HTML with German-aware heading ids."""

from __future__ import annotations

import re
import unicodedata
from html import escape, unescape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

from dmoves_site.reader import FILL_IN

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
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe",
                          "Ü": "ue"})


def slugify(value: str, separator: str = "-") -> str:
    """German-aware slug: 'Straße' → 'strasse', 'Bürgerbüro' → 'buergerbuero'."""
    value = value.translate(_UMLAUTS)
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s_]+", separator, value)


def _heading_ids(state: StateCore) -> None:
    """Give each heading an id: `{#id}` at its end, or a German-aware slug of its text."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = _EXPLICIT_ID.search(inline.content)
        if match:
            ident = match.group(1)
            inline.content = inline.content[: match.start()].rstrip()
            if inline.children:
                last = inline.children[-1]
                last.content = _EXPLICIT_ID.sub("", last.content).rstrip()
        else:
            ident = slugify(inline.content) or "abschnitt"
        count = seen.get(ident, 0)
        seen[ident] = count + 1
        token.attrSet("id", ident if count == 0 else f"{ident}-{count}")


_EXPLICIT_ID = re.compile(r"\s*\{:?\s*#([A-Za-z][\w-]*)\s*\}\s*$")


def _converter() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and heading ids; raw HTML is text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


_MD = _converter()


def sanitize(html: str) -> str:
    """Clean HTML with an allow-list: no scripts, no event handlers, no javascript: URLs."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True)


def render(text: str, shift_headings: int = 0) -> str:
    """Render content Markdown to safe HTML; `[[BITTE ERGÄNZEN: …]]` becomes a marked gap."""
    html = _ALIGN.sub(_align_class, _MD.render(text))
    if shift_headings:
        html = _shift(html, shift_headings)
    html = _wrap_tables(_NUMBER_CELL.sub(r'<td class="num">\1</td>', sanitize(html)))
    return mark_fill_ins(html)


FILL_IN_START = "[[BITTE ERGÄNZEN:"  # the literal start of every FILL_IN match
# a tag of sanitised HTML: text never holds a raw "<", attribute values are double-quoted
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')


def mark_fill_ins(html: str) -> str:
    """Placeholders in text become a marked gap; inside a tag (a link title) plain text."""
    if FILL_IN_START not in html:  # most bodies have none: skip splitting every tag
        return html
    parts = _TAG.split(html)
    for index, part in enumerate(parts):
        if index % 2:
            parts[index] = FILL_IN.sub(r"Bitte ergänzen: \1", part)
        else:
            parts[index] = FILL_IN.sub(r'<mark class="fill-in">Bitte ergänzen: \1</mark>', part)
    return "".join(parts)


_ALIGN = re.compile(r'<(t[hd]) style="text-align:(left|center|right)">')
_ALIGN_CLASS = {"left": "align-left", "center": "align-center", "right": "num"}
# a cell holding only a German number, optionally with a unit: "1.234", "−5,5 %", "0,3 Mio. €"
_NUMBER_CELL = re.compile(
    r"<td>((?:ca\. )?[−+-]?\d[\d.]*(?:,\d+)?(?: ?(?:%|€|EUR|TEUR|Mio\. (?:€|EUR)))?)</td>")
_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _align_class(match: re.Match[str]) -> str:
    """Column alignment from `---:` as a class (inline styles do not pass the sanitiser)."""
    return f'<{match[1]} class="{_ALIGN_CLASS[match[2]]}">'


def _wrap_tables(html: str) -> str:
    """Put each table in a focusable scroll region named after its column headings."""
    seen: dict[str, int] = {}

    def wrap(match: re.Match[str]) -> str:
        head = re.findall(r"<th[^>]*>(.*?)</th>", match[1], re.DOTALL)
        name = "Tabelle: " + ", ".join(_TAGS.sub("", h).strip() for h in head if h.strip())
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name += f" ({seen[name]})"
        label = escape(unescape(name.rstrip(": ")), quote=True)
        return (f'<div class="table-scroll" tabindex="0" role="region" '
                f'aria-label="{label}">{match[0]}</div>')

    return _TABLE.sub(wrap, html)


def _shift(html: str, by: int) -> str:
    def repl(match: Any) -> str:
        level = min(6, int(match.group(2)) + by)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])", repl, html)

