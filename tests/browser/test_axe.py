"""axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation on any page kind, at desktop and
phone width, before and after the interactive charts are loaded."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE_RUNS, Visits, format_violations
from tests.browser.site_pages import PAGE_KINDS, WIDTHS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_axe_finds_no_wcag_violations(visits: Visits, kind: str, width: int) -> None:
    visit = visits.get(kind, width)
    assert visit.axe, f"{visit.url}: axe lief nicht"
    report = []
    for state, violations in visit.axe.items():
        AXE_RUNS.append((kind, width, state, len(violations)))
        if violations:
            report.append(f"{visit.url} ({width} px, {state}):\n{format_violations(violations)}")
    assert not report, "axe-core meldet Verstöße:\n" + "\n".join(report)
