"""The registry of record kinds; the built-in kinds register themselves here, in order."""

from __future__ import annotations

from dmoves_site.kinds import budget, kpi, measure, page, program, service, source, update
from dmoves_site.kinds.base import Column, Dataset, DatasetSpec, Kind, Registry, join_refs

__all__ = ["KINDS", "Column", "Dataset", "DatasetSpec", "Kind", "Registry", "join_refs"]

KINDS = Registry()
for _module in (program, measure, service, budget, kpi, update, source, page):
    KINDS.register(_module.KIND)
