"""The OZG list at catalogue size: order, counts and the server-rendered filtered views."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dmoves_site import model as m
from dmoves_site import routes
from dmoves_site.scaffold import slugify

# optional columns of the table: shown only when a service has a value
OPTIONAL_COLUMNS = ("ozg_id", "themenfeld", "lebenslage", "reifegrad", "since", "platform",
                    "epayment", "measure")


@dataclass(frozen=True, slots=True)
class OzgView:
    """One filtered list of services with a page of its own (works without JavaScript)."""

    facet: str          # "themenfeld" or "status"
    value: str          # URL segment
    label: str
    services: tuple[m.Service, ...]

    @property
    def url(self) -> str:
        return routes.service_view_url(self.facet, self.value)


def ordered(services: tuple[m.Service, ...]) -> tuple[m.Service, ...]:
    """Online first, then by status, then by title."""
    rank = {s: i for i, s in enumerate(m.SERVICE_STATUSES)}
    return tuple(sorted(services, key=lambda s: (rank[s.status], s.title.casefold(), s.id)))


def themenfeld_of(service: m.Service, not_given: str) -> str:
    """The service's Themenfeld, or `not_given` (the catalogue's `ozg.not_given`)."""
    return service.themenfeld or not_given


def statuses_present(services: tuple[m.Service, ...]) -> tuple[str, ...]:
    present = {s.status for s in services}
    return tuple(s for s in m.SERVICE_STATUSES if s in present)


def themenfeld_slugs(services: tuple[m.Service, ...], not_given: str) -> dict[str, str]:
    """Themenfeld → URL segment, unique ('Bauen & Wohnen' → 'bauen-wohnen')."""
    slugs: dict[str, str] = {}
    for name in sorted({themenfeld_of(s, not_given) for s in services}):
        base = slugify(name) or "themenfeld"
        slug, number = base, 2
        while slug in slugs.values():
            slug, number = f"{base}-{number}", number + 1
        slugs[name] = slug
    return slugs


def views(services: tuple[m.Service, ...], labels: dict[str, str], not_given: str
          ) -> list[OzgView]:
    """A view per Themenfeld (when any is given) and per status that occurs."""
    result = []
    if any(s.themenfeld for s in services):
        for name, slug in themenfeld_slugs(services, not_given).items():
            own = tuple(s for s in services if themenfeld_of(s, not_given) == name)
            result.append(OzgView("themenfeld", slug, name, ordered(own)))
    for status in statuses_present(services):
        own = tuple(s for s in services if s.status == status)
        result.append(OzgView("status", status, labels[status], ordered(own)))
    return result


@dataclass(frozen=True, slots=True)
class CountRow:
    """Services of one Themenfeld by status."""

    label: str
    url: str
    by_status: tuple[int, ...]
    total: int


def themenfeld_counts(services: tuple[m.Service, ...], not_given: str) -> list[CountRow]:
    """One row per Themenfeld, largest first (ties by name)."""
    slugs = themenfeld_slugs(services, not_given)
    statuses = statuses_present(services)
    rows = []
    for name, slug in slugs.items():
        counts: Counter[str] = Counter(s.status for s in services
                                       if themenfeld_of(s, not_given) == name)
        rows.append(CountRow(name, routes.service_view_url("themenfeld", slug),
                             tuple(counts.get(st, 0) for st in statuses),
                             sum(counts.values())))
    return sorted(rows, key=lambda r: (-r.total, r.label.casefold()))


def columns(services: tuple[m.Service, ...]) -> tuple[str, ...]:
    """The optional columns that hold anything."""
    return tuple(c for c in OPTIONAL_COLUMNS
                 if any(getattr(s, c) not in (None, "", ()) for s in services))


def choices(services: tuple[m.Service, ...], attribute: str) -> list[str]:
    """The distinct values of a field, sorted, for a filter."""
    return sorted({str(getattr(s, attribute)) for s in services
                   if getattr(s, attribute) not in (None, "")}, key=str.casefold)
