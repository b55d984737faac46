"""Checks of a built site before it is published: internal links, alt texts, Atom feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from dmoves_site import routes
from dmoves_site.problems import Problem

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = routes.FEED
LINK_ATTRIBUTES = {"href", "src", "poster", "data-plotly"}


class PageScan(HTMLParser):
    """Collects the links (with their line) and the <img> tags of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []      # (line, attribute, url)
        self.images: list[tuple[int, str | None]] = []   # (line, alt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        if tag == "img":
            self.images.append((line, values.get("alt")))
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append((line, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.links.append((line, name, url))

    handle_startendtag = handle_starttag


def link_target(page: str, url: str, base_url: str) -> str | None:
    """The output path an internal link points to; None for external links and anchors.

    Returns "" for a relative link that climbs out of the site.
    """
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    absolute = urljoin(base_url + page, url)
    if not absolute.startswith(base_url):
        return "" if not (parts.scheme or parts.netloc) else None
    path = unquote(urlsplit(absolute[len(base_url):]).path)
    return path + "index.html" if path == "" or path.endswith("/") else path


def scan_page(root: Path, rel: str, base_url: str, files: set[str]) -> list[Problem]:
    """Broken internal links and images without alt text of one page."""
    scan = PageScan()
    scan.feed((root / rel).read_text(encoding="utf-8"))
    scan.close()
    problems = []
    for line, attribute, url in scan.links:
        target = link_target(rel, url, base_url)
        if target is None or target in files or f"{target}/index.html" in files:
            continue
        problems.append(Problem(rel, line, attribute, f"Link {url!r} führt ins Leere",
                                "error", "das Ziel gibt es in der erstellten Website nicht"))
    for line, alt in scan.images:
        if not (alt or "").strip():
            problems.append(Problem(rel, line, "img", "Bild ohne Alternativtext (alt)",
                                    "error", "kurze Bildbeschreibung als alt-Text ergänzen "
                                    "(in Meldungen: image_alt)"))
    return problems


def check_feed(root: Path) -> list[Problem]:
    """The Atom feed parses and has id, title, updated, author and a self link."""
    file = root / FEED
    if not file.is_file():
        return [Problem(FEED, 0, "feed", "Atom-Feed fehlt", "error")]
    try:
        feed = ET.parse(file).getroot()  # our own output
    except ET.ParseError as exc:
        return [Problem(FEED, exc.position[0], "feed", f"Atom-Feed ist kein gültiges XML: "
                        f"{exc}", "error")]
    if feed.tag != f"{ATOM}feed":
        return [Problem(FEED, 1, "feed", "Wurzelelement ist nicht <feed> (Atom)", "error")]
    problems = missing_elements(feed, ("id", "title", "updated", "author/name"), "feed")
    if not any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link")):
        problems.append(Problem(FEED, 0, "feed", "Link mit rel=\"self\" fehlt", "error"))
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), start=1):
        problems += missing_elements(entry, ("id", "title", "updated"), f"entry[{number}]")
        if entry.find(f"{ATOM}link") is None:
            problems.append(Problem(FEED, 0, f"entry[{number}]", "Link fehlt", "error"))
    for element in feed.iter(f"{ATOM}id"):
        if not re.match(r"^https?://", element.text or ""):
            problems.append(Problem(FEED, 0, "id", f"id {element.text!r} ist keine "
                                    "vollständige Adresse", "error", "base_url prüfen"))
    return problems


def missing_elements(parent: ET.Element, paths: tuple[str, ...], where: str) -> list[Problem]:
    found = []
    for path in paths:
        element = parent.find("/".join(ATOM + part for part in path.split("/")))
        if element is None or not (element.text or "").strip():
            found.append(Problem(FEED, 0, where, f"<{path}> fehlt oder ist leer", "error"))
    return found


def tree_files(root: Path) -> dict[str, Path]:
    """Every file under `root` by relative POSIX path."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def check_site(root: Path, base_url: str) -> list[Problem]:
    """Every check of a built site; an empty list means it may be published."""
    files = set(tree_files(root))
    problems = []
    for rel in sorted(files):
        if rel.endswith(".html"):
            problems += scan_page(root, rel, base_url, files)
    return sorted(problems + check_feed(root))
