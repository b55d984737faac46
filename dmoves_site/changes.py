"""What changed when: every dated change derived from the records and their histories."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dmoves_site import formatting as fmt
from dmoves_site import history as hi
from dmoves_site import model as m
from dmoves_site import routes
from dmoves_site.messages import Messages

# The kinds of change, in the order they are listed on one date; labelled `changes.kind.*`.
KINDS = ("neu", "status", "termin", "dienst", "kennzahl", "haushalt", "meldung")


@dataclass(frozen=True, slots=True)
class Change:
    """One change: when, what kind, about which record, and the source that states it."""

    date: m.PartialDate
    kind: str
    title: str
    text: str
    url: str                       # relative to the site root
    key: str                       # unique and stable: the entry id in feeds
    program: str = ""
    measure: str = ""
    source: m.SourceRef | None = None


def newest_first(changes: Iterable[Change]) -> list[Change]:
    """Newest date first; on one date in the order of KINDS, then by title."""
    ranked = sorted(changes, key=lambda c: (KINDS.index(c.kind), c.title, c.key))
    return sorted(ranked, key=lambda c: c.date.sort_key(), reverse=True)


def _first_mentioned(x: m.Measure, sources: dict[str, m.Source]) -> m.PartialDate | None:
    dates = [e.date for e in x.history]
    dates += [sources[r.source].date for r in x.sources if r.source in sources]
    return min(dates, key=lambda d: d.sort_key()) if dates else None


def measure_changes(x: m.Measure, sources: dict[str, m.Source], t: Messages
                    ) -> Iterator[Change]:
    """First mention, each status change and each moved planned end of one measure."""
    url = routes.url_for("measure", x.id)
    first = _first_mentioned(x, sources)
    if first is not None:
        yield Change(first, "neu", x.title, t("changes.first_mentioned"), url,
                     f"massnahme-{x.id}-neu", x.program, x.id,
                     x.history[0].source if x.history else (x.sources or (None,))[0])
    phases = hi.status_timeline(x, hi.stated_date(x.sources, sources),
                                hi.stated_ref(x.sources, sources))
    for before, after in itertools.pairwise(phases):
        if after.since is not None:
            yield Change(after.since, "status", x.title,
                         t("changes.status", before=t(f"status.{before.status}"),
                           after=t(f"status.{after.status}")), url,
                         f"massnahme-{x.id}-status-{after.since.iso()}", x.program, x.id,
                         after.source)
    yield from _moved_ends(x, sources, url, t)


def _moved_ends(x: m.Measure, sources: dict[str, m.Source], url: str, t: Messages
                ) -> Iterator[Change]:
    """An end stated differently from the one before it, at the date it was stated."""
    stated: list[tuple[m.PartialDate, m.PartialDate, m.SourceRef | None]] = [
        (e.date, e.end, e.source) for e in x.history if e.end is not None]
    now = hi.stated_date(x.sources, sources)
    if x.end is not None and now is not None:
        stated.append((now, x.end, hi.stated_ref(x.sources, sources)))
    for (_d, old, _s), (when, new, ref) in itertools.pairwise(stated):
        slip = hi.slippage(old, new)
        if slip.moved:
            yield Change(when, "termin", x.title, t("changes.moved", slip=slip.sentence(t)), url,
                         f"massnahme-{x.id}-ende-{when.iso()}", x.program, x.id, ref)


def service_changes(s: m.Service, t: Messages) -> Iterator[Change]:
    """An online service going online, and each status its history states."""
    url = routes.url_for("service", s.id)
    for e in s.history:
        if e.status:
            yield Change(e.date, "dienst", s.title,
                         t("changes.service_status", status=t(f"service_status.{e.status}")),
                         url, f"dienst-{s.id}-{e.date.iso()}", measure=s.measure,
                         source=e.source)
    if s.status == "online" and s.since is not None:
        yield Change(s.since, "dienst", s.title, t("changes.online"), url,
                     f"dienst-{s.id}-online", measure=s.measure,
                     source=(s.sources or (None,))[0])


def kpi_changes(k: m.Kpi, t: Messages) -> Iterator[Change]:
    url = routes.url_for("kpi", k.id)
    for p in k.points:
        yield Change(p.date, "kennzahl", k.title,
                     t("changes.kpi_value", value=fmt.number(p.value), unit=k.unit), url,
                     f"kennzahl-{k.id}-{p.date.iso()}", k.program, source=p.source)


def budget_changes(b: m.Budget, sources: dict[str, m.Source], t: Messages
                   ) -> Iterator[Change]:
    dates = [(sources[r.source].date, r) for r in b.sources if r.source in sources]
    if dates:
        date, ref = min(dates, key=lambda d: d[0].sort_key())
        yield Change(date, "haushalt", b.title, t("changes.budget_published", unit=b.unit),
                     routes.url_for("budget", b.id), f"haushalt-{b.id}", b.program,
                     source=ref)


def update_changes(u: m.Update, measures: dict[str, m.Measure], t: Messages
                   ) -> Iterator[Change]:
    programs = [*u.programs, *(measures[i].program for i in u.measures if i in measures)]
    yield Change(u.date, "meldung", u.title, u.summary or t("changes.new_update"),
                 routes.url_for("update", u.id), f"meldung-{u.id}",
                 programs[0] if programs else "", u.measures[0] if u.measures else "")


def all_changes(content: m.Content, t: Messages) -> list[Change]:
    """Every change of the site, newest first, its texts from the catalogue `t`."""
    sources = {s.id: s for s in content.sources}
    measures = {x.id: x for x in content.measures}
    found: list[Change] = []
    for x in content.measures:
        found += measure_changes(x, sources, t)
    for s in content.services:
        found += service_changes(s, t)
    for k in content.kpis:
        found += kpi_changes(k, t)
    for b in content.budgets:
        found += budget_changes(b, sources, t)
    for u in content.updates:
        found += update_changes(u, measures, t)
    return newest_first(found)


def by_measure(changes: list[Change], updates: Iterable[m.Update]) -> dict[str, list[Change]]:
    """The changes about each measure, with the updates that name it, in their order.

    One pass over all changes: asking per measure would cost measures × changes.
    """
    named = {f"meldung-{u.id}": u.measures for u in updates}
    found: dict[str, list[Change]] = {}
    for c in changes:
        for measure in dict.fromkeys((c.measure, *named.get(c.key, ()))):
            if measure:
                found.setdefault(measure, []).append(c)
    return found


def for_program(changes: list[Change], program: str, content: m.Content) -> list[Change]:
    """The changes of a program's measures, KPIs, tables and updates."""
    own = {x.id for x in content.measures if x.program == program}
    updates = {f"meldung-{u.id}" for u in content.updates
               if program in u.programs or own & set(u.measures)}
    return [c for c in changes if c.program == program or c.measure in own or c.key in updates]


# --- views by period ----------------------------------------------------------------------


def quarter_of(date: m.PartialDate) -> int | None:
    """The quarter a date lies in; None for a bare year (never guessed)."""
    if date.quarter:
        return date.quarter
    return (date.month - 1) // 3 + 1 if date.month else None


def years(changes: list[Change]) -> list[int]:
    return sorted({c.date.year for c in changes}, reverse=True)


def in_period(changes: list[Change], year: int, quarter: int | None = None) -> list[Change]:
    return [c for c in changes if c.date.year == year
            and (quarter is None or quarter_of(c.date) == quarter)]


def quarters(changes: list[Change], year: int) -> list[int]:
    found = {quarter_of(c.date) for c in in_period(changes, year)}
    return sorted((q for q in found if q is not None), reverse=True)
