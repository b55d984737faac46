"""References across records: every id a record names must exist (ids of records that
failed validation count as existing, so one broken file gives one problem)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dmoves_site.checks import closest
from dmoves_site.kinds import KINDS
from dmoves_site.problems import Problems
from dmoves_site.schema import Validator

# ids compared for "meinten Sie …?" hints in one load: a comparison of two ids takes
# 10–300 µs, and 15.000 records removed from a site of 20.000 took minutes of hints
SUGGESTION_BUDGET = 5000


class References:
    """Checks the references `validator` gathered against the records' ids."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.budget = SUGGESTION_BUDGET
        self.hints: dict[tuple[str, str], str] = {}

    def check(self, groups: Mapping[str, list[Any]], failed_ids: Mapping[str, set[str]],
              validator: Validator) -> None:
        ids = {kind: {r.id for r in records} for kind, records in groups.items()}
        for kind in KINDS:
            ids[kind.name] |= failed_ids.get(kind.folder, set())
        ids["budget-line"] = {f"{b.id}/{ln.id}" for b in groups["budget"] for ln in b.lines}
        labels = {kind.name: kind.label for kind in KINDS} | {"budget-line": "Tabellenzeile"}
        for ref in validator.refs:
            if ref.target not in ids[ref.kind]:
                self.unknown(labels[ref.kind], ref.kind, ref.target, ids[ref.kind], ref.path,
                             ref.line, ref.field)
        for src, path, line in validator.source_refs:
            if src.source not in ids["source"]:
                self.unknown("Quelle", "source", src.source, ids["source"], path, line,
                             "source")

    def unknown(self, label: str, kind: str, target: str, known: set[str], path: str,
                line: int, fld: str) -> None:
        self.problems.error(path, line, fld, f"{label} {target!r} gibt es nicht",
                            self.hint(kind, target, known))

    def hint(self, kind: str, target: str, known: set[str]) -> str:
        """The closest existing id, while the budget lasts; else what ids are."""
        key = (kind, target)
        if key not in self.hints:
            close = ""
            if self.budget >= len(known):
                self.budget -= len(known)
                close = closest(target, known)
            if close:
                self.hints[key] = f"meinten Sie {close!r}?"
            elif known and len(known) <= 12:
                self.hints[key] = "vorhanden: " + ", ".join(sorted(known))
            else:
                self.hints[key] = "die Kennung ist der Dateiname ohne Endung"
        return self.hints[key]
