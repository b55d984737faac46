"""Typed page contexts: what each page kind's template may use, one dataclass per kind.

A template sees the fields of its context, the shared context (`site`, `programs`,
`pages`, `lookup`, …, see `render.Renderer`) and the page's own `title`, `crumbs` and
`root`. Nothing else: a template cannot reach into the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from markupsafe import Markup

from dmoves_site import charts as ch
from dmoves_site import figures as fg
from dmoves_site import model as m
from dmoves_site import ozgviews
from dmoves_site.highlights import Figure
from dmoves_site.kinds import Dataset


class Context:
    """Base of every page context."""

    def variables(self) -> dict[str, Any]:
        """The names a template sees: one per field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class HomePage(Context):
    figures: list[Figure]                   # the headline figures (setting `highlights`)
    updates: tuple[m.Update, ...]
    chart: ch.Chart
    progress: dict[str, fg.ProgramProgress]
    more_pages: list[m.Page]                # free pages other than the legal ones
    data_age: tuple[m.Source, m.Source, m.Source] | None = None  # oldest, newest, most cited


@dataclass(frozen=True, slots=True)
class ProgramsPage(Context):
    progress: dict[str, fg.ProgramProgress]


@dataclass(frozen=True, slots=True)
class ProgramPage(Context):
    program: m.Program
    measures: list[m.Measure]
    progress: fg.ProgramProgress
    kpis: list[m.Kpi]
    updates: list[m.Update]
    shares: list[tuple[m.Budget, m.BudgetLine]]
    chart: ch.Chart
    schedule: list[Any]                     # schedule.Row of the program's dated measures
    schedule_chart: ch.Chart | None
    feed: str                               # URL of the program's Atom feed of changes
    measure_count: int = 0                  # all of its measures; `measures` holds at most
    schedule_count: int = 0                 # `page_size`, as `schedule` does


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a long list stands: page `number` of `count`, rows `first`–`last`
    of `total`; `urls` are the URLs of all its pages."""

    number: int
    count: int
    first: int
    last: int
    total: int
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeasuresPage(Context):
    stages: tuple[m.Stage, ...]
    all_count: int
    measures: tuple[m.Measure, ...]         # this page's share, by program and title
    active: tuple[str, str, str] | None     # (facet, value, label) of a filtered list
    pager: Pager | None = None              # None: the whole list is on one page
    group_counts: dict[str, int] = field(default_factory=dict)  # program → in the list


@dataclass(frozen=True, slots=True)
class MeasurePage(Context):
    measure: m.Measure
    program: m.Program
    kpis: list[m.Kpi]
    updates: list[m.Update]
    services: list[m.Service]
    timeline: list[Any]                     # history.Phase, oldest first
    slip: Any                               # history.Slippage | None
    baseline_source: m.SourceRef | None
    overdue: bool
    feed: str                               # URL of the measure's Atom feed of changes


@dataclass(frozen=True, slots=True)
class OzgPage(Context):
    """The list of services (all, or one Themenfeld or status: `active`)."""

    services: tuple[m.Service, ...]
    active: ozgviews.OzgView | None
    all_count: int
    views: list[ozgviews.OzgView]
    statuses: tuple[str, ...]
    columns: tuple[str, ...]
    choices: dict[str, list[str]]
    counts: list[ozgviews.CountRow]
    kpi: m.Kpi | None
    charts: tuple[ch.Chart, ...]
    measures: dict[str, m.Measure]          # the measures the services belong to


@dataclass(frozen=True, slots=True)
class BudgetsPage(Context):
    budgets: tuple[m.Budget, ...]
    diffs: list[fg.SumDifference]


@dataclass(frozen=True, slots=True)
class BudgetPage(Context):
    budget: m.Budget
    program: m.Program | None
    diffs: list[fg.SumDifference]
    diff_cells: set[tuple[str, str]]
    notes: list[str]
    chart: ch.Chart | None


@dataclass(frozen=True, slots=True)
class KpisPage(Context):
    kpis: tuple[m.Kpi, ...]


@dataclass(frozen=True, slots=True)
class KpiPage(Context):
    kpi: m.Kpi
    measures: list[m.Measure]
    chart: ch.Chart
    program: m.Program | None


@dataclass(frozen=True, slots=True)
class UpdatesPage(Context):
    updates: tuple[m.Update, ...]
    number: int
    page_count: int
    page_urls: tuple[str, ...] = ()        # of every page of the list


@dataclass(frozen=True, slots=True)
class UpdatePage(Context):
    update: m.Update
    measures: list[m.Measure]
    update_programs: list[m.Program]


@dataclass(frozen=True, slots=True)
class SourcesPage(Context):
    sources: list[m.Source]
    citations: dict[str, int]               # source id → how many places cite it


@dataclass(frozen=True, slots=True)
class SourcePage(Context):
    source: m.Source
    cited_by: list[tuple[str, str, str, str]]   # (kind label, title, url, section)


@dataclass(frozen=True, slots=True)
class ChartsPage(Context):
    charts: tuple[ch.Chart, ...]


@dataclass(frozen=True, slots=True)
class ChartPage(Context):
    chart: ch.Chart
    home_title: str = ""    # title of the page that shows the chart


@dataclass(frozen=True, slots=True)
class FreePage(Context):
    page: m.Page


@dataclass(frozen=True, slots=True)
class SearchPage(Context):
    search: bool                            # False: the build has no search index


@dataclass(frozen=True, slots=True)
class DataPage(Context):
    datasets: tuple[Dataset, ...]
    dataset_jsonld: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NotFoundPage(Context):
    inline_css: Markup


@dataclass(frozen=True, slots=True)
class RecordsPage(Context):
    """The section page of a kind without page makers of its own."""

    records: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class RecordPage(Context):
    """One record of such a kind: as `record` and under the kind's name."""

    record: Any
    kind: str = field(default="")

    def variables(self) -> dict[str, Any]:
        return {"record": self.record, self.kind: self.record}

