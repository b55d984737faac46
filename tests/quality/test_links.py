"""Every link and resource reference of every built page resolves inside the build; every
fragment exists; links to other sites are only those the content itself names."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import ROOT

# attributes that hold a URL, by element ("*": any element)
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "base": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "track": ("src",), "audio": ("src",),
    "video": ("src", "poster"), "input": ("src",), "form": ("action",), "object": ("data",),
    "blockquote": ("cite",), "q": ("cite",), "del": ("cite",), "ins": ("cite",),
    "button": ("formaction",),
    # URLs the site's own scripts load: charts.js (plotly.js) and search.js (Pagefind)
    "*": ("data-plotly", "data-bundle"),
}
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
CONTENT_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\])|]+")


@dataclass
class Ref:
    tag: str
    attr: str
    value: str
    line: int


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    duplicate_ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = URL_ATTRS.get(tag, ()) + URL_ATTRS["*"]
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                if name == "id" and value in self.page.ids:
                    self.page.duplicate_ids.add(value)
                self.page.ids.add(value)
            if name in wanted:
                if name == "srcset":
                    for part in value.split(","):
                        if part.strip():
                            self.page.refs.append(Ref(tag, name, part.split()[0], line))
                else:
                    self.page.refs.append(Ref(tag, name, value.strip(), line))
        if tag == "meta":
            a = dict(attrs)
            if (a.get("property") or a.get("name") or "").lower() in ("og:url", "og:image",
                                                                       "twitter:image"):
                self.page.refs.append(Ref(tag, "content", (a.get("content") or "").strip(),
                                          line))
            if (a.get("http-equiv") or "").lower() == "refresh":
                target = (a.get("content") or "").partition("url=")[2].strip()
                if target:
                    self.page.refs.append(Ref(tag, "http-equiv", target, line))

    handle_startendtag = handle_starttag


def parse(path: Path) -> ParsedPage:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


@pytest.fixture(scope="module")
def parsed(html_pages: list[Path]) -> dict[Path, ParsedPage]:
    return {page: parse(page) for page in html_pages}


def page_url(page: Path, built_site: Path, base_url: str) -> str:
    return base_url + page.relative_to(built_site).as_posix()


def target_file(url: str, base_url: str, built_site: Path) -> Path:
    rel = unquote(urlsplit(url).path)[len(urlsplit(base_url).path):]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return built_site / rel


@pytest.fixture(scope="module")
def allowed_external() -> set[str]:
    """Every URL written in content/ (the source documents' texts excluded)."""
    found: set[str] = set()
    content = ROOT / "content"
    for file in sorted(content.rglob("*")):
        if not file.is_file() or file.relative_to(content).parts[0] == "documents":
            continue
        text = file.read_bytes().decode("utf-8", "replace")
        for match in CONTENT_URL.findall(text):
            found.add(match.rstrip(".,;:!?»“”'"))
    return found


def classify(built_site: Path, base_url: str, parsed: dict[Path, ParsedPage]
             ) -> tuple[list[str], list[str], dict[str, set[str]]]:
    """(broken internal references, missing fragments, external URL → pages)."""
    broken: list[str] = []
    fragments: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    for page, info in parsed.items():
        here = page_url(page, built_site, base_url)
        rel_page = page.relative_to(built_site).as_posix()
        for ref in info.refs:
            where = f"{rel_page}:{ref.line}: <{ref.tag} {ref.attr}=\"{ref.value}\">"
            if not ref.value:
                broken.append(f"{where}: leere Adresse")
                continue
            absolute = urljoin(here, ref.value)
            parts = urlsplit(absolute)
            if not absolute.startswith(base_url):
                if parts.scheme in EXTERNAL_SCHEMES:
                    external[absolute].add(rel_page)
                else:
                    broken.append(f"{where}: Schema {parts.scheme!r} nicht erlaubt")
                continue
            target = target_file(absolute, base_url, built_site)
            if ref.attr == "data-bundle":  # the Pagefind bundle folder, not a page
                if not (target.parent / "pagefind.js").is_file():
                    broken.append(f"{where}: kein Pagefind-Bündel in {target.parent}")
                continue
            if target.is_dir():
                broken.append(f"{where}: Ordner ohne abschließenden '/'")
                continue
            if not target.is_file():
                broken.append(f"{where}: {target.relative_to(built_site)} fehlt")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    fragments.append(f"{where}: kein id=\"{unquote(parts.fragment)}\" in "
                                     f"{target.relative_to(built_site)}")
    return broken, fragments, external


@pytest.fixture(scope="module")
def link_report(built_site: Path, base_url: str, parsed: dict[Path, ParsedPage]
                ) -> tuple[list[str], list[str], dict[str, set[str]]]:
    return classify(built_site, base_url, parsed)


def test_every_internal_reference_resolves(link_report: tuple[list[str], list[str],
                                                              dict[str, set[str]]],
                                           parsed: dict[Path, ParsedPage]) -> None:
    broken, _fragments, _external = link_report
    refs = sum(len(p.refs) for p in parsed.values())
    assert refs > 5000, f"nur {refs} Verweise gefunden"
    assert not broken, f"{len(broken)} kaputte Verweise:\n" + "\n".join(broken[:60])


def test_every_fragment_exists(link_report: tuple[list[str], list[str], dict[str, set[str]]]
                               ) -> None:
    _broken, fragments, _external = link_report
    assert not fragments, f"{len(fragments)} Sprungziele fehlen:\n" + "\n".join(fragments[:60])


def test_ids_are_unique_per_page(parsed: dict[Path, ParsedPage], built_site: Path) -> None:
    dups = {p.relative_to(built_site).as_posix(): sorted(info.duplicate_ids)
            for p, info in parsed.items() if info.duplicate_ids}
    assert not dups, dups


def test_external_links_come_only_from_content(
        link_report: tuple[list[str], list[str], dict[str, set[str]]],
        allowed_external: set[str], site_config: dict[str, object]) -> None:
    _broken, _fragments, external = link_report
    licence = site_config.get("license")
    if isinstance(licence, dict) and licence.get("url"):
        allowed_external = allowed_external | {str(licence["url"])}
    print("Externe Verweise:")
    for url, pages in sorted(external.items()):
        print(f"  {url} ({len(pages)} Seiten)")
    foreign = {url: sorted(pages)[:5] for url, pages in external.items()
               if url not in allowed_external}
    assert not foreign, ("externe Verweise, die in content/ nicht vorkommen: "
                         f"{foreign}")


def test_stylesheet_urls_resolve(built_site: Path) -> None:
    missing = []
    for css in sorted((built_site / "assets").rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)",
                              css.read_text(encoding="utf-8")):
            if url.startswith(("data:", "#")):
                continue
            assert not urlsplit(url).scheme, f"{css.name}: externe Ressource {url}"
            target = (css.parent / unquote(urlsplit(url).path)).resolve()
            if not target.is_file():
                missing.append(f"{css.relative_to(built_site)}: {url}")
    assert not missing, missing
