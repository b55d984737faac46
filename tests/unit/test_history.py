"""History of records: slippage in every precision pair, overdue against as_of, timelines."""

from __future__ import annotations

import pytest

from dmoves_site import history as hi
from dmoves_site import messages
from dmoves_site import model as m

P = m.PartialDate.parse


# (baseline, current, expected amount): counted by hand in the coarser unit of the pair
SLIPS = [
    ("2022", "2024", "+2 Jahre"),
    ("2022", "2024-Q3", "+2 Jahre"),
    ("2022-Q4", "2024", "+2 Jahre"),
    ("2022", "2023-05", "+1 Jahr"),
    ("2022-12-31", "2021", "−1 Jahr"),
    ("2022-Q4", "2024-Q4", "+8 Quartale"),
    ("2022-Q4", "2023-02", "+1 Quartal"),
    ("2022-11", "2023-Q1", "+1 Quartal"),
    ("2022-Q2", "2022-06-30", "±0"),
    ("2022-12-15", "2023-Q3", "+3 Quartale"),
    ("2022-12", "2024-02", "+14 Monate"),
    ("2022-12", "2022-12-31", "±0"),
    ("2022-03-15", "2022-01", "−2 Monate"),
    ("2022-12-31", "2023-01-01", "+1 Tag"),
    ("2022-02-27", "2022-03-01", "+2 Tage"),
]


@pytest.mark.parametrize(("base", "now", "expected"), SLIPS)
def test_slippage_in_the_coarser_precision(base: str, now: str, expected: str) -> None:
    slip = hi.slippage(P(base), P(now))
    if expected == "±0":
        assert not slip.moved
    else:
        assert slip.amount(messages.catalogue()) == expected


def test_every_precision_pair_is_covered() -> None:
    pairs = {frozenset((P(a).precision, P(b).precision)) for a, b, _ in SLIPS}
    precisions = ("year", "quarter", "month", "day")
    assert pairs == {frozenset((a, b)) for a in precisions for b in precisions}


def test_sentence_names_both_dates() -> None:
    t = messages.catalogue()
    assert hi.slippage(P("2022"), P("2024")).sentence(t) == \
        "Ende verschoben von 2022 auf 2024 (+2 Jahre)"
    assert hi.slippage(P("2023-Q2"), P("2023-Q1")).sentence(t) == \
        "Ende vorgezogen von 2. Quartal 2023 auf 1. Quartal 2023 (−1 Quartal)"


def measure(status: str = "in_umsetzung", end: str | None = "2022",
            history: tuple[m.HistoryEntry, ...] = ()) -> m.Measure:
    return m.Measure("x", "X", "p", status, end=P(end) if end else None,  # type: ignore[arg-type]
                     history=history)


@pytest.mark.parametrize(("end", "as_of", "status", "expected"), [
    ("2022", "2023-01-01", "in_umsetzung", True),     # the whole year lies before
    ("2022", "2022-12-31", "in_umsetzung", False),    # still inside the end year
    ("2022", "2022-12", "geplant", False),
    ("2022-Q4", "2023-Q1", "geplant", True),
    ("2022-Q4", "2022-12-31", "geplant", False),
    ("2023-01", "2023-02-09", "in_umsetzung", True),
    ("2023-02-09", "2023-02-09", "in_umsetzung", False),
    ("2023-02-08", "2023-02-09", "in_umsetzung", True),
    ("2021", "2023", "abgeschlossen", False),
    ("2021", "2023", "eingestellt", False),
    ("2021", "2023", "zurueckgestellt", False),
    (None, "2023", "in_umsetzung", False),
])
def test_overdue_against_as_of(end: str | None, as_of: str, status: str, expected: bool) -> None:
    assert hi.overdue(measure(status, end), P(as_of)) is expected


def ref(section: str) -> m.SourceRef:
    return m.SourceRef("quelle", section)


def test_baseline_is_the_first_end_stated() -> None:
    entries = (m.HistoryEntry(P("2019-07"), "geplant", source=ref("a")),
               m.HistoryEntry(P("2020-02"), "in_umsetzung", end=P("2022"), source=ref("b")),
               m.HistoryEntry(P("2021-07"), end=P("2023"), source=ref("c")))
    x = measure(end="2024", history=entries)
    assert hi.baseline_end(x) == P("2022")
    assert hi.baseline_source(x) == ref("b")
    slip = hi.measure_slippage(x)
    assert slip is not None and slip.amount(messages.catalogue()) == "+2 Jahre"
    assert hi.measure_slippage(measure(end="2024")) is None


def test_timeline_merges_repeated_statuses_and_ends_with_the_current() -> None:
    entries = (m.HistoryEntry(P("2019-07"), "geplant", source=ref("a")),
               m.HistoryEntry(P("2019-12"), "geplant", source=ref("b")),
               m.HistoryEntry(P("2020-02"), "in_umsetzung", source=ref("c")))
    phases = hi.status_timeline(measure("abgeschlossen", history=entries), P("2022-12"))
    assert [(p.status, p.since, p.word) for p in phases] == [
        ("geplant", P("2019-07"), "since"), ("in_umsetzung", P("2020-02"), "since"),
        ("abgeschlossen", P("2022-12"), "as_of")]
    assert phases[-1].current and not phases[0].current
    same = hi.status_timeline(measure("in_umsetzung", history=entries), P("2022-12"))
    assert [p.status for p in same] == ["geplant", "in_umsetzung"] and same[-1].current


def test_the_stated_source_is_the_newest_cited_the_first_on_ties() -> None:
    sources = {id_: m.Source(id_, id_, "grdrs", P(date), "Stadt")
               for id_, date in (("alt", "2021-07-06"), ("jahr", "2022"),
                                 ("neu", "2022-03"), ("auch-neu", "2022-03"))}
    cite = m.SourceRef
    # 2022-03 begins after the year 2022 does: the month is the newer statement
    refs = (cite("alt", "1"), cite("neu", "2"), cite("fehlt", "3"), cite("jahr", "4"),
            cite("auch-neu", "5"))
    assert hi.stated_ref(refs, sources) == cite("neu", "2")
    assert hi.stated_date(refs, sources) == P("2022-03")
    tie = (cite("auch-neu", "5"), cite("neu", "2"))
    assert hi.stated_ref(tie, sources) == cite("auch-neu", "5")
    assert hi.stated_ref((cite("fehlt", "1"),), sources) is None
    assert hi.stated_date((), sources) is None
