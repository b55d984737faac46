"""Typed records of the content model: frozen dataclasses and small value types."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

MeasureStatus = Literal["geplant", "in_umsetzung", "abgeschlossen", "zurueckgestellt",
                        "eingestellt"]
ServiceStatus = Literal["online", "in_umsetzung", "geplant", "offen"]
LineKind = Literal["item", "subtotal", "total"]
SourceKind = Literal["drucksache", "grdrs", "anfrage", "niederschrift", "presse", "sonstige"]
Precision = Literal["year", "quarter", "month", "day"]

MEASURE_STATUSES: tuple[str, ...] = ("geplant", "in_umsetzung", "abgeschlossen", "zurueckgestellt",
                                     "eingestellt")
SERVICE_STATUSES: tuple[str, ...] = ("online", "in_umsetzung", "geplant", "offen")
LINE_KINDS: tuple[str, ...] = ("item", "subtotal", "total")
TABLE_KINDS: tuple[str, ...] = ("plan", "costs")
EURO_FACTORS = {"EUR": Decimal(1), "TEUR": Decimal(1000), "Mio. EUR": Decimal(1_000_000)}
# `drucksache`: a council paper, labelled per site; `grdrs` is its older name, kept
SOURCE_KINDS: tuple[str, ...] = ("drucksache", "grdrs", "anfrage", "niederschrift", "presse",
                                 "sonstige")
SOURCE_ALIASES: dict[str, str] = {"grdrs": "drucksache"}
MONEY_UNITS: tuple[str, ...] = ("TEUR", "EUR", "Mio. EUR")
TABLE_UNITS: tuple[str, ...] = (*MONEY_UNITS, "Anzahl", "Stellen")

# The statuses' labels are texts of the message catalogue (`status.*`, `service_status.*`).
STATUS_ICONS = {"abgeschlossen": "✓", "in_umsetzung": "◐", "geplant": "○",
                "zurueckgestellt": "‖", "eingestellt": "✕"}

# a section cited by number ("1.1.4"), not by a verbatim phrase
SECTION_NUMBER_RE = re.compile(r"\d+(\.\d+)*\.?")
# the file name of a dated record: 2021-07-06-haushaltsentwurf
DATED_NAME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_DATE_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")


_PARSED: dict[str, PartialDate] = {}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with the precision of its source: year, quarter, month or day."""

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `2021`, `2021-Q2`, `2021-07` or `2021-07-06`; raise ValueError otherwise.

        One object per date text: a Land's records name the same dates many times over.
        """
        known = _PARSED.get(text)
        if known is None:
            known = _PARSED[text] = cls._parse(text)
        return known

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(text)
        year, quarter, month, day = match.groups()
        if quarter:
            return cls(int(year), quarter=int(quarter))
        if day:
            dt.date(int(year), int(month), int(day))  # validates the day
            return cls(int(year), int(month), int(day))
        if month:
            if not 1 <= int(month) <= 12:
                raise ValueError(text)
            return cls(int(year), int(month))
        return cls(int(year))

    @property
    def precision(self) -> Precision:
        if self.day:
            return "day"
        if self.month:
            return "month"
        return "quarter" if self.quarter else "year"

    def iso(self) -> str:
        """The ISO-like form it was written in."""
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def html_datetime(self) -> str:
        """A valid HTML `datetime` value: quarters have none, so their year is used."""
        return str(self.year) if self.quarter else self.iso()

    def german(self) -> str:
        """Print in German: 2021, Juli 2021, 2. Quartal 2021, 06.07.2021."""
        if self.quarter:
            return f"{self.quarter}. Quartal {self.year}"
        if self.day:
            return f"{self.day:02d}.{self.month:02d}.{self.year}"
        if self.month:
            return f"{MONTHS_DE[self.month - 1]} {self.year}"
        return str(self.year)

    def first_day(self) -> dt.date:
        month = self.month or ((self.quarter - 1) * 3 + 1 if self.quarter else 1)
        return dt.date(self.year, month, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day()
        end_month = self.month or (self.quarter * 3 if self.quarter else 12)
        following = dt.date(self.year + end_month // 12, end_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def midpoint(self) -> dt.date:
        """The middle of the period: where a chart places a value of this precision."""
        first, last = self.first_day(), self.last_day()
        return first + (last - first) // 2

    def sort_key(self) -> tuple[int, int, int, int]:
        """Sort by start of the period, coarser precision first on ties.

        The fields of `first_day()`, computed without building a date (sorting calls this
        millions of times on a large site)."""
        quarter = self.quarter
        month = self.month or ((quarter - 1) * 3 + 1 if quarter else 1)
        rank = 3 if self.day else 2 if self.month else 1 if quarter else 0
        return (self.year, month, self.day or 1, rank)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __str__(self) -> str:
        return self.german()


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a unit, as printed in the source."""

    amount: Decimal
    unit: str

    def in_euro(self) -> Decimal:
        return self.amount * EURO_FACTORS[self.unit]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A citation: a source record, a section of it, optionally a page."""

    source: str
    section: str
    page: int | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Stage:
    """One implementation stage of the strategy (a setting of the site)."""

    number: int
    label: str
    period: str = ""

    def long_label(self) -> str:
        """'Phase 1 (2024/2025)'; the label alone where no period is set."""
        return f"{self.label} ({self.period})" if self.period else self.label


@dataclass(frozen=True, slots=True)
class Highlight:
    """One headline figure of the home page: what it counts and, optionally, its text."""

    kind: Literal["measures", "kpi", "budget", "services"]
    ref: str = ""     # kpi or budget id
    line: str = ""    # budget line id
    label: str = ""   # text beside the figure (default: derived)
    note: bool = True  # a KPI's note on its latest point, in brackets


@dataclass(frozen=True, slots=True)
class Logo:
    file: str         # relative to content/
    alt: str


LEGAL_PAGES: tuple[str, ...] = ("imprint", "privacy", "accessibility", "easy_language")
DEFAULT_PAGES: dict[str, str] = {"imprint": "impressum", "privacy": "datenschutz",
                                 "accessibility": "barrierefreiheit",
                                 "easy_language": "leichte-sprache"}


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    publisher: str
    base_url: str
    language: str
    as_of: PartialDate
    description: str = ""
    contact: str = ""
    logo: Logo | None = None
    colors: dict[str, str] = field(default_factory=dict)
    license_name: str = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    license_id: str = "dl-de/by-2-0"
    license_url: str = "https://www.govdata.de/dl-de/by-2-0"
    name: str = ""                                   # short name in the header
    intro: str = ""                                  # home page lead, Markdown
    terms: dict[str, str] = field(default_factory=dict)   # message parameter → word
    stages: tuple[Stage, ...] = ()
    highlights: tuple[Highlight, ...] | None = None  # None: the default figures
    pages: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PAGES))
    source_kinds: dict[str, dict[str, str]] = field(default_factory=dict)
    ozg_kpi: str = ""                                # KPI drawn in the OZG chart
    page_size: int = 500                             # rows per page of a long list
    path: str = ""
    lines: dict[str, int] = field(default_factory=dict)   # setting → line in site.yaml

    @property
    def short_name(self) -> str:
        return self.name or self.title

    def stage(self, number: int) -> Stage:
        """The declared stage, or one named after the number alone."""
        found = next((s for s in self.stages if s.number == number), None)
        return found or Stage(number, str(number))
    repository_url: str = ""


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    number: int
    title: str
    summary: str
    color: str
    description: str = ""
    vision: str = ""
    sources: tuple[SourceRef, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True)
class Milestone:
    date: PartialDate
    title: str
    done: bool
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An earlier dated observation of a record: what a source said at `date`."""

    date: PartialDate
    status: str = ""
    progress: int | None = None
    end: PartialDate | None = None
    note: str = ""
    source: SourceRef | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    title: str
    program: str
    status: MeasureStatus
    body: str = ""
    stage: int | None = None
    stages: tuple[int, ...] = ()
    progress: int | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    responsible: str = ""
    budget: Money | None = None
    milestones: tuple[Milestone, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    tags: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    draft: bool = False
    path: str = ""
    history: tuple[HistoryEntry, ...] = ()
    reason: str = ""

    @property
    def all_stages(self) -> tuple[int, ...]:
        """Every stage the measure appears in."""
        if self.stages:
            return self.stages
        return (self.stage,) if self.stage else ()


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    title: str
    status: ServiceStatus
    sources: tuple[SourceRef, ...]
    since: PartialDate | None = None
    epayment: bool | None = None
    platform: str = ""
    ozg_id: str = ""
    themenfeld: str = ""
    measure: str = ""
    path: str = ""
    line: int = 0
    lebenslage: str = ""
    leistungsbuendel: str = ""
    leika_ids: tuple[str, ...] = ()
    reifegrad: int | None = None  # federal maturity level 0–4
    history: tuple[HistoryEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class BudgetLine:
    id: str
    label: str
    kind: LineKind
    values: tuple[Decimal | None, ...]
    total: Decimal | None = None
    sum_of: tuple[str, ...] = ()
    same_as: str = ""
    program: str = ""
    line: int = 0
    difference_of: tuple[str, ...] = ()   # (a, b): stated to be a − b


@dataclass(frozen=True, slots=True)
class Budget:
    id: str
    title: str
    unit: str
    years: tuple[str, ...]
    lines: tuple[BudgetLine, ...]
    sources: tuple[SourceRef, ...]
    program: str = ""
    notes: tuple[str, ...] = ()
    order: int = 0
    path: str = ""
    kind: str = ""   # "plan" (income, expense, balance), "costs" (a cost list) or ""

    def line_by_id(self, line_id: str) -> BudgetLine | None:
        return next((ln for ln in self.lines if ln.id == line_id), None)


@dataclass(frozen=True, slots=True)
class KpiPoint:
    date: PartialDate
    value: Decimal
    source: SourceRef
    note: str = ""


@dataclass(frozen=True, slots=True)
class KpiTarget:
    date: PartialDate
    value: Decimal
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    title: str
    unit: str
    points: tuple[KpiPoint, ...]
    target: KpiTarget | None = None
    program: str = ""
    description: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class Update:
    id: str
    title: str
    date: PartialDate
    body: str = ""
    summary: str = ""
    measures: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    author: str = ""
    image: str = ""
    image_alt: str = ""
    draft: bool = False
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    kind: SourceKind
    date: PartialDate
    publisher: str
    number: str = ""
    url: str = ""
    file: str = ""
    summary: str = ""
    path: str = ""
    short: str = ""

    def short_title(self, kind_label: str) -> str:
        """A short label for captions: the kind's printed label, number and date."""
        if self.short:
            return f"{self.short} vom {self.date.german()}" if self.date.precision == "day" \
                else f"{self.short} ({self.date.german()})"
        label = kind_label
        if self.number:
            label = f"{label} {self.number}".strip()
        elif not label:
            label = self.title if len(self.title) <= 40 else self.title[:38].rstrip() + "…"
        return f"{label} vom {self.date.german()}" if self.date.precision == "day" else \
            f"{label} ({self.date.german()})"


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    title: str
    body: str = ""
    summary: str = ""
    order: int = 0
    sources: tuple[SourceRef, ...] = ()
    draft: bool = False
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from one `content/` folder: the site and the records of each kind."""

    site: Site
    records: dict[str, tuple[Any, ...]] = field(default_factory=dict)   # kind name → records

    def of(self, kind: str) -> tuple[Any, ...]:
        """The records of one kind (none if the kind has no records)."""
        return self.records.get(kind, ())

    @property
    def programs(self) -> tuple[Program, ...]:
        return self.of("program")

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self.of("measure")

    @property
    def services(self) -> tuple[Service, ...]:
        return self.of("service")

    @property
    def budgets(self) -> tuple[Budget, ...]:
        return self.of("budget")

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        return self.of("kpi")

    @property
    def updates(self) -> tuple[Update, ...]:
        return self.of("update")

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.of("source")

    @property
    def pages(self) -> tuple[Page, ...]:
        return self.of("page")
