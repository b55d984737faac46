"""Hostile content for fixture sites (overlays for tests.conftest.write_site).

TEXT_OVERLAY puts script-injection payloads into every kind of text and Markdown field:
the build must either reject them with a clear `path:line: field: message` or neutralise
them (escape or strip) so that no script runs and nothing is loaded from elsewhere.
Every payload that would run sets `window.__pwned`.

REJECTED_CASES are values that can never be made safe (ids and paths leaving the output or
content folder, non-web URLs, CSS in a colour): the build must refuse them.
"""

from __future__ import annotations

import textwrap

PWN = "window.__pwned=1"

# One line payloads for YAML strings (quoted with single quotes in the overlays).
SCRIPT = f"<script>{PWN}</script>"
IMG = f'"><img src=x onerror="{PWN}">'
SVG = f"<svg onload={PWN}>"
COMMENT = f"--><script>{PWN}</script><!--"
CLOSE_JSON = f"</script><script>{PWN}</script>"
CDATA = f"]]><script>{PWN}</script>"
PLOTLY_LINK = f'<a href="javascript:{PWN}">Link</a>'
STYLE = "<style>body{background:url(https://evil.example/x.png)}</style>"
TEXT_PAYLOADS = (SCRIPT, IMG, SVG, COMMENT, CLOSE_JSON, CDATA, PLOTLY_LINK, STYLE)


def yq(text: str) -> str:
    """Quote `text` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def yblock(text: str, indent: int = 2) -> str:
    """`text` as a YAML literal block scalar (to follow `key: ` at the start of a line)."""
    pad = " " * indent
    return "|\n" + "".join(pad + line + "\n" if line else "\n" for line in text.splitlines())


def md(front: str, body: str) -> str:
    """A Markdown file: dedented front matter (with its fences) followed by `body`."""
    return textwrap.dedent(front) + body


# A Markdown body with every kind of HTML and link injection.
HOSTILE_MARKDOWN = f"""\
Einleitung mit <script>{PWN}</script> Skript.

<img src="https://evil.example/track.png" onerror="{PWN}">
<svg><script>{PWN}</script></svg>
<iframe src="javascript:{PWN}"></iframe>
<object data="https://evil.example/x.swf"></object>
<a href="javascript:{PWN}">klick</a> und <a href="JaVaScRiPt&#58;{PWN}">klick2</a>

[Markdown-Link](javascript:{PWN})
[Daten](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)
[vbs](vbscript:msgbox) ![Bild](https://evil.example/pixel.gif)

Absatz mit Attributen{{: onclick="{PWN}" style="background:url(https://evil.example/a)" }}

## Überschrift {{: onmouseover="{PWN}" }}

<!-- --><script>{PWN}</script><!-- -->
<!--> <script>{PWN}</script> -->
--!><script>{PWN}</script>
<div style="background:url(https://evil.example/b)">Stil</div>
<form action="https://evil.example/"><input name=x></form>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<math><mtext><table><mglyph><style><img src=x onerror="{PWN}"></style></mglyph></table>
</mtext></math>
<noscript><p title="</noscript><img src=x onerror={PWN}>"></noscript>

| a | b |
|---|---|
| <script>{PWN}</script> | <img src=x onerror={PWN}> |
"""

TEXT_OVERLAY: dict[str, str | bytes | None] = {
    "site.yaml": f"""\
        title: {yq("Testseite " + SCRIPT)}
        publisher: {yq("Teststadt " + IMG)}
        base_url: https://example.org/test/
        language: de
        as_of: 2021-07-06
        description: {yq("Beschreibung " + COMMENT + CLOSE_JSON)}
        """,
    "programs/buergerservices.yaml": textwrap.dedent(f"""\
        number: 1
        title: {yq("Bürgerservices " + CLOSE_JSON)}
        summary: {yq("Online-Dienste " + SVG)}
        color: "#1f5a96"
        vision: {yq("Vision " + STYLE + CDATA)}
        """) + "description: " + yblock(HOSTILE_MARKDOWN),
    "sources/vorlage.yaml": f"""\
        title: {yq("Vorlage " + SCRIPT + PLOTLY_LINK)}
        kind: sonstige
        date: 2021-07-06
        publisher: {yq("Teststadt " + COMMENT)}
        number: {yq(IMG)}
        summary: {yq("Zusammenfassung " + CLOSE_JSON)}
        file: documents/vorlage.txt
        """,
    "measures/online-termin.md": md(f"""\
        ---
        title: {yq("Online-Termin " + CLOSE_JSON)}
        program: buergerservices
        status: in_umsetzung
        stage: 1
        start: 2020-07
        responsible: {yq(IMG)}
        tags: [{yq(SCRIPT)}, {yq(SVG)}]
        milestones:
          - {{date: 2020-08, title: {yq("Meilenstein " + PLOTLY_LINK + COMMENT)}, done: true}}
        sources:
          - {{source: vorlage, section: "1.1.1"}}
        ---
        """, HOSTILE_MARKDOWN),
    "updates/2021-07-06-start.md": md(f"""\
        ---
        title: {yq("Start " + CDATA + SCRIPT)}
        date: 2021-07-06
        summary: {yq("Zusammenfassung " + CDATA + IMG)}
        author: {yq(SVG)}
        measures: [online-termin]
        ---
        """, HOSTILE_MARKDOWN),
    "budgets/tabelle.yaml": f"""\
        title: {yq("Tabelle " + CLOSE_JSON)}
        unit: TEUR
        years: [2022, 2023]
        notes:
          - {yq("Fußnote " + SCRIPT + " [x](javascript:" + PWN + ")")}
        sources:
          - {{source: vorlage, section: "1.1"}}
        lines:
          - {{id: a, label: {yq("A " + SCRIPT)}, kind: item, values: [1, 2]}}
          - {{id: b, label: {yq("B " + PLOTLY_LINK)}, kind: item, values: [3, 4]}}
          - {{id: summe, label: {yq("Summe " + IMG)}, kind: total, values: [4, 6], total: 10,
             sum_of: [a, b]}}
        """,
    "kpis/dienste.yaml": f"""\
        title: {yq("Online-Dienste " + CLOSE_JSON + PLOTLY_LINK)}
        unit: {yq("Anzahl " + SVG)}
        description: {yq("Beschreibung " + SCRIPT + PLOTLY_LINK)}
        points:
          - {{date: 2021-Q1, value: 63, source: vorlage, section: "1.1.1",
             note: {yq("Notiz " + IMG)}}}
          - {{date: 2021-Q2, value: 93, source: vorlage, section: "1.1.1"}}
        """,
    "ozg/dienste.yaml": f"""\
        services:
          - id: dienst
            title: {yq("Dienst " + SCRIPT + CLOSE_JSON)}
            status: online
            since: 2021-03
            platform: {yq(IMG)}
            themenfeld: {yq(PLOTLY_LINK)}
            measure: online-termin
            sources:
              - {{source: vorlage, section: "1.1.1"}}
        """,
    "pages/impressum.md": md(f"""\
        ---
        title: {yq("Impressum " + SCRIPT)}
        summary: {yq(COMMENT)}
        ---
        """, HOSTILE_MARKDOWN),
}

# (name, overlay, file the error must name). Each overlay is applied to a valid site.
REJECTED_CASES: list[tuple[str, dict[str, str | bytes | None], str]] = [
    ("measure-id-traversal", {"measures/online-termin.md": """\
        ---
        id: ../../etc/passwd
        title: T
        program: buergerservices
        status: geplant
        ---
        """}, "content/measures/online-termin.md"),
    ("measure-id-absolute", {"measures/online-termin.md": """\
        ---
        id: /tmp/dmoves-pwned
        title: T
        program: buergerservices
        status: geplant
        ---
        """}, "content/measures/online-termin.md"),
    ("measure-id-nul", {"measures/online-termin.md": """\
        ---
        id: "online\\0termin"
        title: T
        program: buergerservices
        status: geplant
        ---
        """}, "content/measures/online-termin.md"),
    ("measure-file-name", {"measures/x%2f..%2f..%2fetc.md": """\
        ---
        title: T
        program: buergerservices
        status: geplant
        ---
        """}, "content/measures/x%2f..%2f..%2fetc.md"),
    ("page-id-traversal", {"pages/impressum.md": """\
        ---
        id: ../../../../tmp/dmoves-pwned
        title: Impressum
        ---
        Text.
        """}, "content/pages/impressum.md"),
    ("page-id-backslash", {"pages/impressum.md": """\
        ---
        id: '..\\..\\dmoves-pwned'
        title: Impressum
        ---
        Text.
        """}, "content/pages/impressum.md"),
    ("ozg-id-traversal", {"ozg/dienste.yaml": """\
        services:
          - id: ../../dienst
            title: Dienst
            status: online
            sources:
              - {source: vorlage, section: "1.1.1"}
        """}, "content/ozg/dienste.yaml"),
    ("budget-line-id-script", {"budgets/tabelle.yaml": """\
        title: Tabelle
        unit: TEUR
        years: [2022]
        sources:
          - {source: vorlage, section: "1.1"}
        lines:
          - {id: "a</script><script>window.__pwned=1</script>", label: A, kind: item,
             values: [1]}
        """}, "content/budgets/tabelle.yaml"),
    ("source-file-traversal", {"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        file: ../../../../../../etc/passwd
        """}, "content/sources/vorlage.yaml"),
    ("source-file-absolute", {"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        file: /etc/passwd
        """}, "content/sources/vorlage.yaml"),
    ("source-url-javascript", {"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        url: "javascript:window.__pwned=1"
        file: documents/vorlage.txt
        """}, "content/sources/vorlage.yaml"),
    ("source-url-data", {"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        url: "data:text/html,<script>window.__pwned=1</script>"
        file: documents/vorlage.txt
        """}, "content/sources/vorlage.yaml"),
    ("source-url-breaks-attribute", {"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        url: 'https://example.org/"onmouseover="window.__pwned=1'
        file: documents/vorlage.txt
        """}, "content/sources/vorlage.yaml"),
    ("update-image-traversal", {"updates/2021-07-06-start.md": """\
        ---
        title: Start
        date: 2021-07-06
        image: ../../../../../../etc/passwd
        image_alt: Bild
        ---
        Text.
        """}, "content/updates/2021-07-06-start.md"),
    ("licence-url-javascript", {"site.yaml": """\
        title: Testseite
        publisher: Teststadt
        base_url: https://example.org/test/
        language: de
        as_of: 2021-07-06
        license: {name: Lizenz, id: x, url: "javascript:window.__pwned=1"}
        """}, "content/site.yaml"),
    ("base-url-javascript", {"site.yaml": """\
        title: Testseite
        publisher: Teststadt
        base_url: "javascript:window.__pwned=1//"
        language: de
        as_of: 2021-07-06
        """}, "content/site.yaml"),
    ("color-css-injection", {"programs/buergerservices.yaml": """\
        number: 1
        title: Bürgerservices
        summary: Online-Dienste für alle.
        color: "#1f5a96; background: url(https://evil.example/x.png)"
        """}, "content/programs/buergerservices.yaml"),
    ("primary-color-css-injection", {"site.yaml": """\
        title: Testseite
        publisher: Teststadt
        base_url: https://example.org/test/
        language: de
        as_of: 2021-07-06
        colors: {primary: "red}</style><script>window.__pwned=1</script>"}
        """}, "content/site.yaml"),
]
