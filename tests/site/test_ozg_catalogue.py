"""A 600-service OZG catalogue: import, check and build; every OZG page stays small."""

from __future__ import annotations

import gzip
from pathlib import Path

from dmoves_site.build import check
from tests.conftest import run_cli
from tests.site.ozg_catalogue import THEMENFELDER, catalogue_csv, catalogue_site

COUNT = 600
LIMIT = 100_000   # bytes gzip per page


def test_catalogue_builds_and_pages_stay_small(tmp_path: Path) -> None:
    site, output = catalogue_site(tmp_path, COUNT)
    assert "1 angelegt" in output
    _content, report = check(site)
    assert report.errors == []
    assert [p for p in report.warnings if "ozg" in p.path] == []   # no warning per row
    out = tmp_path / "out"
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 0, result.output
    pages = sorted((out / "ozg").rglob("index.html"))
    # all services, one page per Themenfeld, one per status (online, in Umsetzung, geplant, offen)
    assert len(pages) == 1 + len(THEMENFELDER) + 4
    sizes = {str(p.relative_to(out)): len(gzip.compress(p.read_bytes())) for p in pages}
    assert max(sizes.values()) < LIMIT, sizes
    index = (out / "ozg" / "index.html").read_text("utf-8")
    assert index.count('<tr id="dienst-') == COUNT
    assert "<td>10600</td>" in index                      # the OZG-ID is shown
    assert (out / "grafiken" / "ozg-themenfelder" / "index.html").is_file()
    assert not (out / "grafiken" / "ozg-plattformen").exists()   # no service names one
    csv = catalogue_csv(tmp_path / "OZG-Katalog.csv", COUNT)
    again = run_cli("--site", str(site), "import", "ozg", str(csv), "--source", "ozg-katalog")
    assert "0 angelegt, 0 geändert, 1 unverändert" in again.output
