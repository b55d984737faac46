"""Run one import: read the input, plan the files, write what changed."""

from __future__ import annotations

import importlib

from dmoves_site.importers import FILE_KINDS, TABLE_KINDS
from dmoves_site.importers.base import Request, Result
from dmoves_site.importers.records import Summary, apply
from dmoves_site.importers.tables import TableError, read_table


def collect(request: Request) -> Result:
    """Read the input and return the files the import would write; raise TableError."""
    if not request.file.exists():
        raise TableError(f"{request.shown}: Datei nicht gefunden")
    if request.kind in FILE_KINDS:
        module = importlib.import_module(f"dmoves_site.importers.{FILE_KINDS[request.kind]}")
        result: Result = module.run(request)
        return result
    if request.file.is_dir():
        raise TableError(f"{request.shown}: ist ein Ordner; CSV- oder XLSX-Datei erwartet")
    sheet = read_table(request.file, request.sheet)
    module = importlib.import_module(f"dmoves_site.importers.{TABLE_KINDS[request.kind]}")
    try:
        result = module.run(request, sheet)
    except TableError as exc:
        if sheet.others and request.sheet is None:
            others = ", ".join(repr(n) for n in sheet.others)
            raise TableError(f"{exc} (gelesen: Tabellenblatt {sheet.name!r}; weitere: "
                             f"{others} – mit --sheet NAME wählen)") from exc
        raise
    return result


def run_import(request: Request) -> Summary:
    """Import one file: write (unless dry run) what changed, keep what was edited."""
    result = collect(request)
    summary = Summary(row_errors=list(result.row_errors))
    apply(request.site, result.files, request.dry_run, request.force, summary)
    return summary


__all__ = ["Request", "Summary", "TableError", "collect", "run_import"]
