"""Every page of the bundled build names a share image (Open Graph, Twitter) by an absolute
URL under base_url that exists in the build: its chart, its figure card or the site card."""

from __future__ import annotations

import re
from pathlib import Path

IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')
TWITTER = re.compile(r'<meta name="twitter:image" content="([^"]+)">')


def test_share_images_exist(html_pages: list[Path], built_site: Path, base_url: str) -> None:
    missing, seen = [], set()
    for page in html_pages:
        html = page.read_text(encoding="utf-8")
        images = IMAGE.findall(html)
        if page.name == "404.html":
            assert not images
            continue
        assert len(images) == 1 and TWITTER.findall(html) == images, page
        url = images[0]
        assert url.startswith(base_url), (page, url)
        seen.add(url)
        if not (built_site / url[len(base_url):]).is_file():
            missing.append(f"{page.relative_to(built_site)}: {url}")
    assert not missing, "\n".join(missing[:20])
    assert base_url + "zahlen/seite.png" in seen
    assert any(u.endswith("/kennzahl-mobile-arbeitsplaetze.png") for u in seen)


def test_chart_pages_share_their_chart(built_site: Path, base_url: str) -> None:
    html = (built_site / "kennzahlen/mobile-arbeitsplaetze/index.html").read_text("utf-8")
    expected = "grafiken/kennzahl-mobile-arbeitsplaetze/kennzahl-mobile-arbeitsplaetze.png"
    if (built_site / expected).is_file():   # built with chart images
        assert IMAGE.findall(html) == [base_url + expected]
    else:
        assert IMAGE.findall(html) == [base_url + "zahlen/seite.png"]
