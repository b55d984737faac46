"""Import and build an OZG catalogue of N services; print times, page counts and page sizes.

    python benchmarks/ozg_catalogue.py                 # 600 services (the federal catalogue)
    python benchmarks/ozg_catalogue.py --sizes 600,2000 --runs 3

Target: no OZG page over 100 KB gzip (the issue's limit); the import is a no-op when run
again. Everything goes to a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import run_cli  # noqa: E402 - after the path
from tests.site.ozg_catalogue import catalogue_csv, catalogue_site  # noqa: E402

LIMIT = 100_000


def measure(root: Path, count: int, runs: int) -> str:
    start = time.perf_counter()
    site, _output = catalogue_site(root, count)
    imported = time.perf_counter() - start
    csv = catalogue_csv(root / "OZG-Katalog.csv", count)
    again = run_cli("--site", str(site), "import", "ozg", str(csv), "--source", "ozg-katalog")
    no_op = "0 angelegt, 0 geändert, 1 unverändert" in again.output
    seconds, out = [], root / "out"
    for _ in range(runs):
        start = time.perf_counter()
        result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                         "--no-search")
        seconds.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
    pages = list(out.rglob("*.html"))
    ozg = sorted((out / "ozg").rglob("index.html"))
    sizes = {p: len(gzip.compress(p.read_bytes(), 9)) for p in ozg}
    biggest = max(sizes, key=lambda p: sizes[p])
    raw = biggest.stat().st_size
    verdict = "ok" if sizes[biggest] < LIMIT else "OVER LIMIT"
    return (f"| {count:,} | {imported:.2f} s | {'ja' if no_op else 'NEIN'} | "
            f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}–{max(seconds):.2f}) | "
            f"{len(pages)} | {len(ozg)} | {biggest.relative_to(out)}: {sizes[biggest]:,} B gzip "
            f"({raw:,} B) | {verdict} |").replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="600")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| services | import | re-run no-op | build (median, min–max) | HTML pages | "
          "OZG pages | largest OZG page | limit 100 KB gzip |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        root = Path(tempfile.mkdtemp(prefix="dmoves-ozg-"))
        try:
            print(measure(root, size, args.runs), flush=True)
        finally:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
