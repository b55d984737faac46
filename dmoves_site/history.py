"""Records over time: history checks, status timelines, schedule slippage, overdue flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from dmoves_site import model as m
from dmoves_site.messages import Messages
from dmoves_site.problems import Problems

DONE = ("abgeschlossen", "eingestellt")
# a slippage counts in the coarser precision of the two dates: `history.unit.<precision>_one`
RANK = {"year": 0, "quarter": 1, "month": 2, "day": 3}


class Tracked(Protocol):
    """A record with a history: measures and online services."""

    @property
    def history(self) -> tuple[m.HistoryEntry, ...]: ...

    @property
    def path(self) -> str: ...


def check_history(records: Iterable[Tracked], as_of: m.PartialDate, problems: Problems,
                  prefix: str = "") -> None:
    """Entries must be in date order and no later than `as_of` (the site's Stand)."""
    for record in records:
        previous: m.PartialDate | None = None
        for index, entry in enumerate(record.history):
            name = f"{prefix}history[{index}].date"
            if entry.date.first_day() > as_of.last_day():
                problems.error(record.path, entry.line, name,
                               f"{entry.date.german()} liegt nach dem Stand der Seite "
                               f"({as_of.german()})",
                               "frühere Beobachtungen eintragen; den aktuellen Stand in die "
                               "Felder des Datensatzes schreiben")
            if previous is not None and entry.date < previous:
                problems.error(record.path, entry.line, name,
                               f"{entry.date.german()} liegt vor dem vorigen Eintrag "
                               f"({previous.german()})", "Einträge nach Datum aufsteigend ordnen")
            previous = entry.date


def check_services(services: Iterable[m.Service], as_of: m.PartialDate,
                   problems: Problems) -> None:
    """`check_history` for services: their fields are named after their list position."""
    by_file: dict[str, list[m.Service]] = {}
    for service in services:
        by_file.setdefault(service.path, []).append(service)
    for group in by_file.values():
        for index, service in enumerate(sorted(group, key=lambda s: s.line)):
            check_history((service,), as_of, problems, f"services[{index}].")


# --- status timeline ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phase:
    """A status as observed from `since` on, with the source that states it."""

    status: str
    since: m.PartialDate | None
    source: m.SourceRef | None
    current: bool = False
    from_history: bool = True

    @property
    def word(self) -> str:
        """How the date reads, as a catalogue key under `history.`: 'since' ('seit 07/2019'),
        'as_of' ('(Stand 07/2021)') or '' for a finished status ('abgeschlossen 12/2022')."""
        if not self.from_history:
            return "as_of"
        return "" if self.status in DONE else "since"


def status_timeline(measure: m.Measure, stated: m.PartialDate | None,
                    stated_by: m.SourceRef | None = None) -> list[Phase]:
    """The statuses in order: history entries that change the status, then the current one.

    `stated` is the date of the newest source of the current fields (None if unknown),
    `stated_by` the reference to it.
    """
    phases: list[Phase] = []
    for entry in measure.history:
        if entry.status and (not phases or phases[-1].status != entry.status):
            phases.append(Phase(entry.status, entry.date, entry.source))
    if phases and phases[-1].status == measure.status:
        last = phases[-1]
        phases[-1] = Phase(last.status, last.since, last.source, True)
    else:
        phases.append(Phase(measure.status, stated, stated_by, True, False))
    return phases


def stated_ref(refs: Iterable[m.SourceRef], sources: dict[str, m.Source]
               ) -> m.SourceRef | None:
    """The citation of the newest source (the first such on ties)."""
    best, newest = None, None
    for ref in refs:  # one pass: asked several times for each of thousands of measures
        source = sources.get(ref.source)
        if source is not None:
            key = source.date.sort_key()
            if newest is None or key > newest:
                best, newest = ref, key
    return best


def stated_date(refs: Iterable[m.SourceRef], sources: dict[str, m.Source]
                ) -> m.PartialDate | None:
    """The newest date of the cited sources: when the record's current fields were stated."""
    ref = stated_ref(refs, sources)
    return sources[ref.source].date if ref is not None else None


# --- schedule -----------------------------------------------------------------------------


def baseline_end(measure: m.Measure) -> m.PartialDate | None:
    """The first planned end stated: the earliest history entry with an `end`, else `end`."""
    for entry in measure.history:
        if entry.end is not None:
            return entry.end
    return measure.end


def baseline_source(measure: m.Measure) -> m.SourceRef | None:
    """The source of the baseline end, if it comes from the history."""
    return next((e.source for e in measure.history if e.end is not None), None)


def _steps(date: m.PartialDate, precision: m.Precision) -> int:
    """`date` counted in units of `precision` (never finer than the date itself)."""
    first = date.first_day()
    if precision == "year":
        return date.year
    if precision == "quarter":
        return date.year * 4 + (first.month - 1) // 3
    if precision == "month":
        return date.year * 12 + first.month - 1
    return first.toordinal()


def coarser(a: m.PartialDate, b: m.PartialDate) -> m.Precision:
    return a.precision if RANK[a.precision] <= RANK[b.precision] else b.precision


@dataclass(frozen=True, slots=True)
class Slippage:
    """How far the planned end moved, in the coarser precision of the two dates."""

    baseline: m.PartialDate
    current: m.PartialDate
    steps: int
    precision: m.Precision

    @property
    def moved(self) -> bool:
        return self.steps != 0

    def amount(self, t: Messages) -> str:
        """E.g. '+8 Quartale', '−1 Jahr' (units from the catalogue `t`)."""
        count = abs(self.steps)
        unit = t(f"history.unit.{self.precision}_{'one' if count == 1 else 'many'}")
        return f"{'+' if self.steps > 0 else '−'}{count} {unit}"

    def sentence(self, t: Messages) -> str:
        """E.g. 'Ende verschoben von 2022 auf 2024 (+2 Jahre)'."""
        return t("history.moved_later" if self.steps > 0 else "history.moved_earlier",
                 before=self.baseline.german(), after=self.current.german(),
                 amount=self.amount(t))


def slippage(baseline: m.PartialDate, current: m.PartialDate) -> Slippage:
    """Compare two planned ends; a year against a quarter is compared in years."""
    precision = coarser(baseline, current)
    steps = _steps(current, precision) - _steps(baseline, precision)
    return Slippage(baseline, current, steps, precision)


def measure_slippage(measure: m.Measure) -> Slippage | None:
    """The slippage of a measure whose end was stated more than once and differs."""
    first = baseline_end(measure)
    if first is None or measure.end is None:
        return None
    result = slippage(first, measure.end)
    return result if result.moved else None


def overdue(measure: m.Measure, as_of: m.PartialDate) -> bool:
    """Its planned end lies wholly before `as_of` and it is neither done nor dropped."""
    if measure.end is None or measure.status in (*DONE, "zurueckgestellt"):
        return False
    return measure.end.last_day() < as_of.first_day()
