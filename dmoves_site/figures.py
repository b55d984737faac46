"""Pure derivations from loaded records: sum checks, counts, progress per program."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from dmoves_site import model as m


@dataclass(frozen=True, slots=True)
class SumDifference:
    """A stated figure that differs from what its parts add up to."""

    table: str
    line: str
    column: str      # a year or column heading, or "Gesamt" for the row total
    stated: Decimal
    computed: Decimal
    path: str
    file_line: int
    basis: str       # German: what the computed figure is

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed


def _add(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def check_sum_of(budget: m.Budget) -> list[SumDifference]:
    """Recompute each `sum_of` line per column."""
    result = []
    for line in budget.lines:
        parts = [budget.line_by_id(pid) for pid in line.sum_of]
        if not line.sum_of or any(p is None for p in parts):
            continue
        for col, stated in enumerate(line.values):
            computed = _add([p.values[col] for p in parts if p is not None])
            if stated is not None and computed is not None and stated != computed:
                basis = "Summe der Zeilen " + ", ".join(
                    f"„{p.label}“" for p in parts if p is not None)
                result.append(SumDifference(budget.id, line.id, budget.years[col], stated,
                                            computed, budget.path, line.line, basis))
    return result


def check_difference_of(budget: m.Budget) -> list[SumDifference]:
    """Recompute each balance line `difference_of: [a, b]` as a − b per column."""
    result = []
    for line in budget.lines:
        first, second = (budget.line_by_id(pid) for pid in (*line.difference_of, "", "")[:2])
        if first is None or second is None:
            continue
        for col, stated in enumerate(line.values):
            a, b = first.values[col], second.values[col]
            if stated is None or a is None or b is None or stated == a - b:
                continue
            basis = f"Differenz „{first.label}“ − „{second.label}“"
            result.append(SumDifference(budget.id, line.id, budget.years[col], stated, a - b,
                                        budget.path, line.line, basis))
    return result


def row_sum(line: m.BudgetLine) -> Decimal | None:
    """The sum of a line's values (None if it has none)."""
    return _add(list(line.values))


def check_totals(budget: m.Budget) -> list[SumDifference]:
    """Compare each printed row total with the sum of the row's values."""
    result = []
    for line in budget.lines:
        computed = _add(list(line.values))
        if line.total is not None and computed is not None and line.total != computed:
            result.append(SumDifference(budget.id, line.id, "Gesamt", line.total, computed,
                                        budget.path, line.line, "Summe der Jahreswerte"))
    return result


def _same_as_pairs(line: m.BudgetLine, budget: m.Budget, other: m.BudgetLine,
                   other_years: tuple[str, ...]
                   ) -> list[tuple[str, Decimal | None, Decimal | None, str]]:
    """(column, here, there, what there is) per shared year, then for the row total."""
    pairs = [(year, line.values[col], other.values[other_years.index(year)], "")
             for col, year in enumerate(budget.years) if year in other_years]
    if other.total is not None:
        return [*pairs, ("Gesamt", line.total, other.total, "")]
    # the other table prints no row total: compare with the sum of its years
    there = _add(list(other.values)) if other_years == budget.years else None
    return [*pairs, ("Gesamt", line.total, there, "Summe der Jahreswerte von ")]


def check_same_as(budgets: tuple[m.Budget, ...]) -> list[SumDifference]:
    """Compare lines that print the same figure in two tables, row totals included."""
    by_id = {b.id: b for b in budgets}
    result = []
    for budget in budgets:
        for line in budget.lines:
            table_id, _, line_id = line.same_as.partition("/")
            other = by_id[table_id].line_by_id(line_id) if table_id in by_id else None
            if not line.same_as or other is None:
                continue
            for column, stated, there, what in _same_as_pairs(line, budget, other,
                                                              by_id[table_id].years):
                if stated is not None and there is not None and stated != there:
                    basis = (f"{what or 'dieselbe Angabe '}„{other.label}“ in der Tabelle "
                             f"„{by_id[table_id].title}“")
                    result.append(SumDifference(budget.id, line.id, column, stated, there,
                                                budget.path, line.line, basis))
    return result


def sum_differences(budgets: tuple[m.Budget, ...]) -> list[SumDifference]:
    """Every difference between stated and recomputed figures, in a stable order."""
    found = [d for b in budgets
             for d in (*check_sum_of(b), *check_difference_of(b), *check_totals(b))]
    found += check_same_as(budgets)
    return sorted(found, key=lambda d: (d.path, d.file_line, d.column))


@dataclass(frozen=True, slots=True)
class ProgramProgress:
    """How far the measures of one program are."""

    program: str
    total: int
    by_status: dict[str, int]
    by_stage: dict[int, int]
    mean_progress: float | None
    with_progress: int


def progress_by_program(programs: tuple[m.Program, ...], measures: tuple[m.Measure, ...]
                        ) -> dict[str, ProgramProgress]:
    """Counts by status and stage and the mean progress where one is given."""
    result = {}
    for program in programs:
        own = [x for x in measures if x.program == program.id]
        status: Counter[str] = Counter(x.status for x in own)
        stages = Counter(s for x in own for s in x.all_stages)
        given = [x.progress for x in own if x.progress is not None]
        mean = sum(given) / len(given) if given else None
        result[program.id] = ProgramProgress(
            program.id, len(own), {s: status.get(s, 0) for s in m.MEASURE_STATUSES},
            dict(sorted(stages.items())), mean, len(given))
    return result


def status_counts(measures: tuple[m.Measure, ...]) -> dict[str, int]:
    counts: Counter[str] = Counter(x.status for x in measures)
    return {s: counts.get(s, 0) for s in m.MEASURE_STATUSES}


def services_online_over_time(services: tuple[m.Service, ...]
                              ) -> list[tuple[m.PartialDate, int]]:
    """Cumulative number of named services online, by the date they went online."""
    dated = sorted((s.since for s in services if s.status == "online" and s.since),
                   key=lambda d: d.sort_key())
    result: list[tuple[m.PartialDate, int]] = []
    for count, since in enumerate(dated, start=1):
        if result and result[-1][0] == since:
            result[-1] = (since, count)
        else:
            result.append((since, count))
    return result


def newest_date(dates: list[m.PartialDate]) -> m.PartialDate | None:
    return max(dates, key=lambda d: d.sort_key()) if dates else None
