"""The Atom feed follows RFC 4287 and the sitemap follows sitemaps.org; both point only to
pages that exist in the build, under the site's base_url."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dmoves_site.load import load_content
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                          r"(Z|[+-]\d{2}:\d{2}))?)?)?$")
TEXT_TYPES = {"text", "html", "xhtml"}


def build_path(url: str, base_url: str, built_site: Path) -> Path:
    """The file of the build that serves `url` (an absolute URL under base_url)."""
    assert url.startswith(base_url), f"{url} liegt nicht unter {base_url}"
    rel = unquote(urlsplit(url).path)[len(urlsplit(base_url).path):]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return built_site / rel


def rfc3339(value: str | None, what: str) -> datetime:
    assert value is not None and RFC3339.match(value.strip()), \
        f"{what}: kein RFC-3339-Datum: {value!r}"
    return datetime.fromisoformat(value.strip())


def is_absolute_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "tag"))


def one(parent: ET.Element, tag: str, where: str) -> ET.Element:
    found = parent.findall(tag)
    assert len(found) == 1, f"{where}: {len(found)}× <{tag.replace(ATOM, 'atom:')}>, erwartet 1"
    return found[0]


def check_text_construct(element: ET.Element, where: str) -> None:
    kind = element.get("type", "text")
    assert kind in TEXT_TYPES, f"{where}: type={kind!r}"
    if kind == "xhtml":
        assert element.find("{http://www.w3.org/1999/xhtml}div") is not None, where
    assert "".join(element.itertext()).strip(), f"{where}: leer"


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@pytest.fixture(scope="module")
def feed(built_site: Path) -> ET.Element:
    path = built_site / "aktuelles" / "feed.xml"
    assert path.is_file()
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed", root.tag
    return root


def test_feed_has_the_required_atom_elements(feed: ET.Element, base_url: str,
                                             built_site: Path) -> None:
    where = "feed"
    feed_id = one(feed, f"{ATOM}id", where).text or ""
    assert is_absolute_iri(feed_id.strip()), f"feed id {feed_id!r}"
    check_text_construct(one(feed, f"{ATOM}title", where), "feed title")
    updated = rfc3339(one(feed, f"{ATOM}updated", where).text, "feed updated")
    authors = feed.findall(f"{ATOM}author")
    for author in authors:
        assert (one(author, f"{ATOM}name", "feed author").text or "").strip()
    links = feed.findall(f"{ATOM}link")
    self_links = [ln for ln in links if ln.get("rel") == "self"]
    assert len(self_links) == 1, "feed: genau ein link rel=self"
    assert self_links[0].get("href") == base_url + "aktuelles/feed.xml"
    assert self_links[0].get("type", "application/atom+xml") == "application/atom+xml"
    alternates = [ln for ln in links if ln.get("rel", "alternate") == "alternate"]
    pairs = [(ln.get("type"), ln.get("hreflang")) for ln in alternates]
    assert len(pairs) == len(set(pairs)), "RFC 4287 4.1.1: höchstens ein alternate je type/hreflang"
    for link in links:
        assert link.get("href"), f"feed: link ohne href {link.attrib}"
    for alt in alternates:
        assert build_path(alt.get("href", ""), base_url, built_site).is_file(), alt.attrib

    entries = feed.findall(f"{ATOM}entry")
    content, _problems = load_content(ROOT / "content")
    assert content is not None
    assert len(entries) == min(50, len(content.updates)) > 0
    ids = []
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        entry_id = (one(entry, f"{ATOM}id", where).text or "").strip()
        assert is_absolute_iri(entry_id), f"{where}: id {entry_id!r}"
        ids.append(entry_id)
        check_text_construct(one(entry, f"{ATOM}title", where), f"{where} title")
        entry_updated = rfc3339(one(entry, f"{ATOM}updated", where).text, f"{where} updated")
        assert entry_updated <= updated, f"{where}: updated nach feed updated"
        published = entry.findall(f"{ATOM}published")
        assert len(published) <= 1
        if published:
            assert rfc3339(published[0].text, f"{where} published") <= entry_updated
        if not authors:
            assert entry.findall(f"{ATOM}author"), f"{where}: kein author (feed hat keinen)"
        alt = [ln for ln in entry.findall(f"{ATOM}link") if ln.get("rel", "alternate")
               == "alternate"]
        assert alt, f"{where}: kein link rel=alternate"
        for link in alt:
            assert build_path(link.get("href", ""), base_url, built_site).is_file(), link.attrib
        contents = entry.findall(f"{ATOM}content")
        assert len(contents) <= 1
        for summary in entry.findall(f"{ATOM}summary"):
            check_text_construct(summary, f"{where} summary")
        if contents:
            body = contents[0]
            kind = body.get("type", "text")
            if body.get("src") is None:
                check_text_construct(body, f"{where} content")
            if kind == "html":
                parser = _TagCollector()
                parser.feed(body.text or "")
                bad = [t for t, attrs in parser.tags if t in ("script", "iframe", "object")
                       or any(k.startswith("on") for k, _v in attrs)]
                assert not bad, f"{where}: {bad}"
    assert len(ids) == len(set(ids)), "entry ids müssen eindeutig sein"
    assert feed_id not in ids


def test_feed_is_linked_from_every_page_head(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*'
                     r'aktuelles/feed.xml"', home)


@pytest.fixture(scope="module")
def sitemap_locs(built_site: Path, base_url: str) -> list[str]:
    path = built_site / "sitemap.xml"
    assert path.stat().st_size <= 50 * 1024 * 1024
    root = ET.parse(path).getroot()
    assert root.tag == f"{SM}urlset", root.tag
    locs = []
    for url in root:
        assert url.tag == f"{SM}url", f"unerwartetes Element {url.tag}"
        children = {c.tag for c in url}
        assert children <= {f"{SM}loc", f"{SM}lastmod", f"{SM}changefreq", f"{SM}priority"}, \
            children
        loc = (one(url, f"{SM}loc", "url").text or "").strip()
        assert len(loc) < 2048
        locs.append(loc)
        lastmod = url.find(f"{SM}lastmod")
        if lastmod is not None:
            assert W3C_DATETIME.match((lastmod.text or "").strip()), lastmod.text
        freq = url.find(f"{SM}changefreq")
        if freq is not None:
            assert freq.text in ("always", "hourly", "daily", "weekly", "monthly", "yearly",
                                 "never")
        prio = url.find(f"{SM}priority")
        if prio is not None:
            assert 0.0 <= float(prio.text or "x") <= 1.0
    assert 0 < len(locs) <= 50_000
    return locs


def test_sitemap_lists_absolute_urls_of_existing_pages(sitemap_locs: list[str], base_url: str,
                                                       built_site: Path) -> None:
    assert len(sitemap_locs) == len(set(sitemap_locs)), "doppelte <loc>"
    missing = []
    for loc in sitemap_locs:
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, loc
        assert loc.startswith(base_url), f"{loc} liegt nicht unter {base_url}"
        assert not parts.fragment and not parts.query, loc
        if not build_path(loc, base_url, built_site).is_file():
            missing.append(loc)
    assert not missing, f"Sitemap nennt Seiten, die es nicht gibt: {missing}"
    assert base_url in sitemap_locs


def test_sitemap_lists_every_canonical_page(sitemap_locs: list[str], base_url: str,
                                            html_pages: list[Path], built_site: Path) -> None:
    """A page whose canonical URL is itself (and is not noindex) belongs in the sitemap."""
    absent = []
    for page in html_pages:
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<link rel="canonical" href="([^"]+)"', html)
        if not match or re.search(r'<meta name="robots" content="[^"]*noindex', html):
            continue
        canonical = match.group(1)
        if build_path(canonical, base_url, built_site) == page and canonical not in sitemap_locs:
            absent.append(canonical)
    assert not absent, f"kanonische Seiten fehlen in sitemap.xml: {absent}"


def test_robots_txt_points_to_the_sitemap(built_site: Path, base_url: str) -> None:
    lines = (built_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base_url}sitemap.xml" in lines
