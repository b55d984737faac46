"""What every importer gets and gives: the request, the files to write, row errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dmoves_site.importers.columns import RowError
from dmoves_site.importers.kinds import problems_of
from dmoves_site.importers.tables import Row, TableError
from dmoves_site.scaffold import slugify


@dataclass(frozen=True, slots=True)
class Request:
    """One `dmoves-site import` call."""

    kind: str
    site: Path
    file: Path
    shown: str                        # the file as the user named it, for messages
    maps: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    source: str = ""
    unit: str = ""
    table_id: str = ""
    dry_run: bool = False
    force: bool = False

    @property
    def content(self) -> Path:
        return self.site / "content"

    def require_source(self, what: str) -> str:
        """The `--source` id, which must name an existing source record."""
        if not self.source:
            raise TableError(f"--source ID angeben: die Quelle der {what} "
                             "(eine Datei content/sources/<id>.yaml)")
        if not (self.content / "sources" / f"{self.source}.yaml").is_file():
            raise TableError(f"--source {self.source!r}: content/sources/{self.source}.yaml "
                             "gibt es nicht – zuerst die Quelle anlegen")
        return self.source


@dataclass(slots=True)
class Result:
    """The files an importer would write (relative to the site) and its row errors."""

    files: dict[str, str] = field(default_factory=dict)
    row_errors: list[str] = field(default_factory=list)

    def add(self, kind: str, rel: str, text: str) -> bool:
        """Plan `text` for `rel` if the kind's validation accepts it; else its errors."""
        errors = problems_of(kind, rel, text)
        self.row_errors += [p.format() for p in errors]
        if not errors:
            self.files[rel] = text
        return not errors

    def row_error(self, request: Request, row: Row | int, error: RowError) -> None:
        number = row if isinstance(row, int) else row.number
        self.row_errors.append(f"{request.shown}:{number}: {error.column}: {error.message}")


class UniqueIds:
    """Slug ids for rows, unique within one import: a repeated one gets a suffix."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def make(self, text: str, suffix: str = "") -> str:
        base = slugify(text) or "eintrag"
        candidate = base
        if candidate in self.seen and suffix:
            candidate = f"{base}-{slugify(suffix)}".strip("-")
        number = 2
        while candidate in self.seen:
            candidate = f"{base}-{number}"
            number += 1
        self.seen.add(candidate)
        return candidate


def file_slug(path: Path) -> str:
    """An id from a file name: 'Neue_Bürgerämter.md' → 'neue-buergeraemter'."""
    return slugify(re.sub(r"\.[A-Za-z0-9]+$", "", path.name)) or "import"
