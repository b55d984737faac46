#!/usr/bin/env python3
"""Weigh every page of a built site before the reader interacts with it.

Usage:  python benchmarks/page_weights.py BUILD_DIR [--site SITE] [--budget 60] [--top 10]

For each HTML page: the gzip -9 bytes of the page, its stylesheets, scripts and images,
plus plotly.js where a page loads it without a click (a `data-autoload` script). Prints
the pages over the budget, the heaviest pages and the number of pages that start plotly.js
on their own. Exit status 1 when a page is over the budget.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import KB, page_weight, read_base_url, total, weigh  # noqa: E402

AUTOLOAD = re.compile(rb"<script[^>]*data-plotly=\"([^\"]+)\"[^>]*data-autoload")


def initial_weight(out: Path, page: Path, base_url: str) -> tuple[int, bool]:
    """(gzip bytes before interaction, whether plotly.js loads without a click)."""
    pw = page_weight(out, page, base_url)
    parts = [pw.html, *(w for _h, w in pw.css), *(w for _h, w, _d in pw.js),
             *(w for _h, w in pw.img)]
    size = total(parts).gz
    match = AUTOLOAD.search(page.read_bytes())
    if match:
        plotly = (page.parent / match.group(1).decode()).resolve()
        size += weigh(plotly).gz if plotly.is_file() else 0
    return size, match is not None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a built site (dmoves-site build --out DIR)")
    parser.add_argument("--site", type=Path, default=HERE.parent,
                        help="the site folder it was built from (for base_url)")
    parser.add_argument("--budget", type=float, default=60.0, help="kB gzip per page")
    parser.add_argument("--top", type=int, default=10, help="heaviest pages to list")
    args = parser.parse_args(argv)
    base_url = read_base_url(args.site)
    pages = sorted(p for p in args.out.rglob("*.html") if "pagefind" not in p.parts)
    weights = []
    for page in pages:
        size, autoload = initial_weight(args.out, page, base_url)
        weights.append((size, autoload, page.relative_to(args.out).as_posix()))
    weights.sort(reverse=True)
    over = [w for w in weights if w[0] > args.budget * KB]
    print(f"{len(weights)} pages in {args.out}; budget {args.budget:g} kB gzip before "
          "interaction (HTML, CSS, JS, images; plotly.js where it loads without a click)")
    print(f"pages loading plotly.js without a click: {sum(1 for w in weights if w[1])}")
    print(f"pages over the budget: {len(over)}")
    print(f"heaviest: {weights[0][0] / KB:.1f} kB; median: "
          f"{weights[len(weights) // 2][0] / KB:.1f} kB")
    for size, autoload, rel in weights[: args.top]:
        print(f"  {size / KB:7.1f} kB  {rel}{'  (plotly.js without a click)' if autoload else ''}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
