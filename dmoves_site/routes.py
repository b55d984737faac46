"""Where everything lives: one URL rule per record kind, chart ids and output paths.

URLs here are relative to the site root and never start with a slash (`massnahmen/e-akte/`);
templates put `root` in front, charts a `/`. Page ids may not take the first segment of any
address here (`RESERVED_PAGE_IDS`).
"""

from __future__ import annotations

# Sections that are no record kind; every kind adds its own (`add_section`, called by the
# registry in dmoves_site.kinds). Pages (`page`) live at the root: `impressum/`.
SECTIONS: dict[str, str] = {   # name → URL of the section (its list page)
    "home": "",
    "chart": "grafiken/",
    "search": "suche/",
    "data": "daten/",
    "schedule": "zeitplan/",
    "changes": "aenderungen/",
    "figure": "zahlen/",
}
SERVICE_ANCHOR = "dienst-"      # services have no page: an anchor in the OZG table
FEED = "aktuelles/feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
ASSETS = "assets/"
MEDIA = "media/"
DATAPACKAGE = "daten/datapackage.json"

# fixed charts; the others derive their id from a record (`chart_id`)
STATUS_CHART = "umsetzungsstand-je-programm"
OZG_OVER_TIME_CHART = "ozg-online-dienste"
OZG_PLATFORM_CHART = "ozg-plattformen"
OZG_THEMENFELD_CHART = "ozg-themenfelder"
SCHEDULE_CHART = "zeitplan"
CHART_PREFIXES = {"program": "programm-", "kpi": "kennzahl-", "budget": "haushalt-",
                  "schedule": "zeitplan-"}


class DuplicateSection(ValueError):
    """A section whose name or address is taken already."""


def add_section(name: str, url: str) -> None:
    """Give kind `name` its section `url`; a name or address may be taken only once."""
    taken = {u: n for n, u in SECTIONS.items() if u}
    if name in SECTIONS or (url and url in taken):
        raise DuplicateSection(f"{name}: {url!r} (taken by {taken.get(url, name)})")
    SECTIONS[name] = url


def remove_section(name: str) -> None:
    del SECTIONS[name]


def _section(kind: str) -> str:
    if kind not in SECTIONS:
        import dmoves_site.kinds  # noqa: F401 - the kinds register their sections
    return SECTIONS[kind]


def url_for(kind: str, record_id: str = "") -> str:
    """The URL of a record (`url_for("measure", "e-akte")`), or of its section without id."""
    section = _section(kind)
    if kind == "page":
        return f"{record_id}/" if record_id else section
    if not record_id:
        return section
    if kind == "service":
        return f"{section}#{SERVICE_ANCHOR}{record_id}"
    return f"{section}{record_id}/"


def card_file(figure: str) -> str:
    """The share image (PNG) of a citable figure: `zahlen/<id>/<id>.png`."""
    return f"{url_for('figure', figure)}{figure}.png"


SITE_CARD = "zahlen/seite.png"   # the share image of pages without a chart or figure


def feed_of(url: str) -> str:
    """The Atom feed of the changes a page lists: `massnahmen/e-akte/feed.xml`."""
    return f"{url}feed.xml"


def period_url(year: int, quarter: int | None = None) -> str:
    """The changes of one year or quarter: `aenderungen/2021/`, `aenderungen/2021/q3/`."""
    return f"{SECTIONS['changes']}{year}/" + (f"q{quarter}/" if quarter else "")


def filter_url(facet: str, value: str) -> str:
    """A filtered list of measures: `massnahmen/status/geplant/`."""
    return f"{_section('measure')}{facet}/{value}/"


def paged_url(url: str, number: int) -> str:
    """Page `number` of a long list at `url`: the list's own URL, then `…/seite/2/`."""
    return url if number == 1 else f"{url}seite/{number}/"


def service_view_url(facet: str, value: str) -> str:
    """A filtered list of online services: `ozg/themenfeld/familie-kind/`."""
    return f"{SECTIONS['service']}{facet}/{value}/"


def listing_url(kind: str, number: int) -> str:
    """Page `number` (from 1) of a paginated section."""
    return paged_url(_section(kind), number)


def embed_url(chart: str) -> str:
    """The bare chart page meant for an iframe."""
    return f"{url_for('chart', chart)}embed/"


def chart_id(kind: str, record_id: str) -> str:
    """The id of the chart drawn for one record: `chart_id("kpi", "x")` → `kennzahl-x`."""
    return CHART_PREFIXES[kind] + record_id


def chart_file(chart: str, suffix: str) -> str:
    """A download of a chart: `chart_file(id, ".csv")`, `chart_file(id, "-excel.csv")`."""
    return f"{url_for('chart', chart)}{chart}{suffix}"


def data_file(name: str, extension: str) -> str:
    """A dataset download: `daten/massnahmen.csv`."""
    return f"{_section('data')}{name}.{extension}"


def source_document(source: str) -> str:
    """The text of a source document, published beside its page."""
    return f"{url_for('source', source)}dokument.txt"


def media(name: str) -> str:
    """An image named in content (relative to content/)."""
    return MEDIA + name


def asset(name: str) -> str:
    """A theme or site static file."""
    return ASSETS + name


def page_path(url: str) -> str:
    """The output file of a URL: `massnahmen/` → `massnahmen/index.html`."""
    url = url.split("#", 1)[0]
    return url + "index.html" if url == "" or url.endswith("/") else url


def page_url(path: str) -> str:
    """The URL of an output file: `massnahmen/index.html` → `massnahmen/`."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def reserved_page_ids() -> frozenset[str]:
    """Page ids that would collide with the site's folders.

    The names of its root files (index.html, 404.html, the feed) stay free too, so no
    address is ambiguous.
    """
    _section("measure")
    urls = (*SECTIONS.values(), FEED, ASSETS, MEDIA, "pagefind/")
    folders = {url.split("/", 1)[0] for url in urls if "/" in url}
    return frozenset(folders | {"index", "404", "feed"})
