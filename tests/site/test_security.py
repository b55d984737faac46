"""Hostile content is neutralised: no script, no event handlers, no javascript: URLs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from dmoves_site.mdrender import render, slugify
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]

HOSTILE_BODY = """\
<script>window.__pwned = 1</script>
<img src=x onerror="window.__pwned=1">
[klick](javascript:window.__pwned=1) [daten](data:text/html,<script>x</script>)
Absatz{: onclick="window.__pwned=1" }
<!-- --><script>window.__pwned=1</script><!-- -->
<iframe src="https://evil.example"></iframe>
"""


def test_markdown_is_sanitised() -> None:
    html = render(HOSTILE_BODY)
    tags = " ".join(re.findall(r"<[^>]+>", html)).lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "data:", "<iframe", "<img"):
        assert bad not in tags, (bad, html)
    assert "<!--" not in html


def test_heading_ids_keep_umlauts_readable() -> None:
    assert slugify("Straße zum Bürgerbüro") == "strasse-zum-buergerbuero"
    assert 'id="strasse"' in render("## Straße")


def test_hostile_yaml_strings_are_escaped(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"measures/online-termin.md": (
        "---\ntitle: \"<script>window.__pwned=1</script>\"\nprogram: buergerservices\n"
        "status: geplant\nresponsible: '\"><img src=x onerror=alert(1)>'\n---\n" + HOSTILE_BODY)})
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
        assert not any("__pwned" in s for s in scripts if "application/json" not in s), page
        tags = " ".join(re.findall(r"<[^>]+>", html)).lower()
        assert "<img src=x" not in tags and "onerror" not in tags and "onclick" not in tags
        assert "javascript:" not in tags and "data:text" not in tags
    page = (out / "massnahmen/online-termin/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
