"""What a record kind is: one declaration that every stage of the build reads.

A `Kind` says where its files live, how they are validated into records, where the
records are published and which open data they give. Loading, reference checks,
rendering, data export and the docs test iterate over the `Registry`; none of them
names a kind it does not treat specially.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dmoves_site import routes
from dmoves_site.checks import Field
from dmoves_site.model import SourceRef

Validate = Callable[[Any, Any, str], Any]   # (Validator, RawFile, file stem) → record | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dataset (Frictionless types: string, integer, number, boolean)."""

    name: str
    type: str
    description: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """One downloadable table: CSV and JSON under `daten/`, described in the data package."""

    name: str
    title: str
    description: str
    fields: tuple[Column, ...]
    records: tuple[dict[str, Any], ...]

    @property
    def rows(self) -> int:
        return len(self.records)


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """A dataset made from all records of a kind."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[tuple[Any, ...]], Iterable[dict[str, Any]]]

    def build(self, records: tuple[Any, ...]) -> Dataset:
        return Dataset(self.name, self.title, self.description, self.columns,
                       tuple(self.rows(records)))


def _own_sources(record: Any) -> Iterable[SourceRef | None]:
    return tuple(getattr(record, "sources", ()))


def _by_id(record: Any) -> Any:
    return record.id


@dataclass(frozen=True, slots=True)
class Kind:
    """The declaration of one record kind."""

    name: str                      # "measure": in url_for, references and the registry
    label: str                     # German singular for messages and citations
    folder: str                    # under content/
    markdown: bool                 # .md with front matter, else .yaml/.yml
    record: type                   # the frozen dataclass of one record
    fields: Mapping[str, Field]    # the fields of one file (documented in docs/content.md)
    validate: Validate
    url: str                       # the section, e.g. "massnahmen/"; records below it
    title: str = ""                # German plural: the section's heading
    template: str = ""             # page of one record ("" → no page of its own)
    index_template: str = ""       # page of the section ("" → none)
    parts: Mapping[str, Mapping[str, Field]] = field(default_factory=dict)  # nested tables
    order: Callable[[Any], Any] = _by_id
    newest_first: bool = False
    drafts: bool = False           # `draft: true` hides a record unless --drafts
    many: bool = False             # one file holds a list of records
    cites: Callable[[Any], Iterable[SourceRef | None]] = _own_sources
    datasets: tuple[DatasetSpec, ...] = ()
    record_dataset: Callable[[Any], Dataset] | None = None   # one dataset per record

    def sort(self, records: Iterable[Any], drafts: bool) -> tuple[Any, ...]:
        """The records as Content keeps them: drafts dropped unless wanted, in order."""
        kept = [r for r in records if drafts or not (self.drafts and r.draft)]
        return tuple(sorted(kept, key=self.order, reverse=self.newest_first))


class DuplicateKind(ValueError):
    """A kind whose name, folder or address is taken already."""


class Registry:
    """The record kinds of a site, in the order they are loaded and listed."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, kind: Kind) -> Kind:
        """Add `kind`; refuse a second kind with the same name, folder or address."""
        for other in self._kinds.values():
            if kind.name == other.name or kind.folder == other.folder:
                raise DuplicateKind(f"{kind.name}/{kind.folder}: taken by {other.name}")
        routes.add_section(kind.name, kind.url)
        self._kinds[kind.name] = kind
        return kind

    def unregister(self, name: str) -> None:
        """Remove a kind again (tests register small kinds of their own)."""
        del self._kinds[name]
        routes.remove_section(name)

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[Kind]:
        return iter(list(self._kinds.values()))

    def folders(self) -> tuple[str, ...]:
        return tuple(k.folder for k in self)


def join_refs(refs: Iterable[SourceRef]) -> str:
    """Source references in one dataset cell: `quelle 1.1; quelle 2.3`."""
    return "; ".join(f"{r.source} {r.section}" for r in refs)
