"""`/aenderungen/` and the Atom feeds list exactly the changes of a fixture site."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.quality.test_feed_sitemap import (
    ATOM,
    check_text_construct,
    is_absolute_iri,
    one,
    rfc3339,
)
from tests.site.test_schedule import build, text_of

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
BASE = "https://example.org/test/"

FILES: dict[str, str | bytes | None] = {
    "sources/alt.yaml": "title: Alt\nkind: niederschrift\ndate: 2019-07-03\n"
                        "publisher: Teststadt\n",
    # named 2019 as planned with end 2020, in 2021 (vorlage) in progress with end 2021-Q2
    "measures/online-termin.md": (
        "---\ntitle: Online-Terminvereinbarung\nprogram: buergerservices\nstatus: in_umsetzung\n"
        "end: 2021-Q2\nhistory:\n  - {date: 2019-07-03, status: geplant, end: 2020, "
        "source: alt, section: x}\nsources:\n  - {source: vorlage, section: '1.1.1'}\n---\n"),
    "ozg/dienste.yaml": ("services:\n  - {id: wohngeld, title: Wohngeld, status: online, "
                         "since: 2021-03, sources: [{source: vorlage, section: '1.1'}]}\n"),
}
# derived by hand from FILES and tests/conftest.py MINIMAL (kpi points 2021-Q1/Q2, the
# update of 06.07.2021, the budget table cited from the vorlage of 06.07.2021)
# one date: status, dates, services, KPI values, tables, updates
EXPECTED = [
    ("06.07.2021", "Status geändert", "Online-Terminvereinbarung"),
    ("06.07.2021", "Termin geändert", "Online-Terminvereinbarung"),
    ("06.07.2021", "Haushaltstabelle", "Tabelle"),
    ("06.07.2021", "Meldung", "Start"),
    ("2. Quartal 2021", "Neuer Wert", "Online-Dienste"),
    ("März 2021", "Online-Dienst", "Wohngeld"),
    ("1. Quartal 2021", "Neuer Wert", "Online-Dienste"),
    ("03.07.2019", "Neue Maßnahme", "Online-Terminvereinbarung"),
]


@pytest.fixture
def out(make_site: MakeSite) -> Path:
    return build(make_site(FILES))


def listed(html: str) -> list[tuple[str, str, str]]:
    found = re.findall(r'<li class="change change-[a-z]+"><time[^>]*>([^<]+)</time> '
                       r'<span class="change-kind">([^<]+):</span> <a href="[^"]*">([^<]+)</a>',
                       html)
    return [(d, k, t) for d, k, t in found]


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_changes_page_lists_every_change(out: Path) -> None:
    assert listed(page(out, "aenderungen/index.html")) == EXPECTED
    text = text_of(out / "aenderungen/index.html")
    assert "Status: geplant → in Umsetzung." in text
    assert "Ende verschoben von 2020 auf 2. Quartal 2021 (+1 Jahr)." in text


def test_year_and_quarter_views(out: Path) -> None:
    assert listed(page(out, "aenderungen/2019/index.html")) == EXPECTED[-1:]
    assert listed(page(out, "aenderungen/2021/q3/index.html")) == EXPECTED[:4]
    assert listed(page(out, "aenderungen/2021/q1/index.html")) == EXPECTED[5:7]
    assert listed(page(out, "aenderungen/2021/q2/index.html")) == EXPECTED[4:5]
    assert not (out / "aenderungen/2021/q4").exists()


def entries(feed: ET.Element) -> list[str]:
    return [(one(e, f"{ATOM}title", "entry").text or "") for e in feed.findall(f"{ATOM}entry")]


def valid_atom(path: Path, self_url: str) -> ET.Element:
    """RFC 4287: feed id, title, updated, author, one rel=self; entries with id/title/updated."""
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert is_absolute_iri((one(feed, f"{ATOM}id", "feed").text or "").strip())
    check_text_construct(one(feed, f"{ATOM}title", "feed"), "feed title")
    updated = rfc3339(one(feed, f"{ATOM}updated", "feed").text, "feed updated")
    assert (one(one(feed, f"{ATOM}author", "feed"), f"{ATOM}name", "author").text or "").strip()
    selfs = [ln for ln in feed.findall(f"{ATOM}link") if ln.get("rel") == "self"]
    assert [ln.get("href") for ln in selfs] == [self_url]
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        ids.append((one(entry, f"{ATOM}id", "entry").text or "").strip())
        assert is_absolute_iri(ids[-1])
        check_text_construct(one(entry, f"{ATOM}title", "entry"), "entry title")
        assert rfc3339(one(entry, f"{ATOM}updated", "entry").text, "entry") <= updated
        assert [ln for ln in entry.findall(f"{ATOM}link") if ln.get("href", "").startswith(BASE)]
    assert len(ids) == len(set(ids))
    return feed


def test_site_feed_lists_the_same_changes(out: Path) -> None:
    feed = valid_atom(out / "aenderungen/feed.xml", BASE + "aenderungen/feed.xml")
    assert entries(feed) == [f"{k}: {t} ({d})" for d, k, t in EXPECTED]
    assert one(feed, f"{ATOM}updated", "feed").text == "2021-07-06T00:00:00Z"


def test_measure_and_program_feeds(out: Path) -> None:
    feed = valid_atom(out / "massnahmen/online-termin/feed.xml",
                      BASE + "massnahmen/online-termin/feed.xml")
    mine = [(d, k, t) for d, k, t in EXPECTED if t in ("Online-Terminvereinbarung", "Start")]
    assert entries(feed) == [f"{k}: {t} ({d})" for d, k, t in mine]
    program = valid_atom(out / "programme/buergerservices/feed.xml",
                         BASE + "programme/buergerservices/feed.xml")
    assert len(entries(program)) == len(mine)   # the kpi and table belong to no program
    html = page(out, "massnahmen/online-termin/index.html")
    assert '<link rel="alternate" type="application/atom+xml" title="Änderungen dieser ' \
           'Maßnahme" href="../../massnahmen/online-termin/feed.xml">' in html
    assert 'href="../../massnahmen/online-termin/feed.xml" type="application/atom+xml"' in html


def test_feeds_are_deterministic(out: Path, make_site: MakeSite) -> None:
    first = (out / "aenderungen/feed.xml").read_bytes()
    again = build(make_site(FILES), "again")
    assert (again / "aenderungen/feed.xml").read_bytes() == first
