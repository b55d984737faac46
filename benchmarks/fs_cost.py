"""What creating folders and files costs on this machine: the floor of any static site build.

    python benchmarks/fs_cost.py                  # in a temporary folder under /tmp
    python benchmarks/fs_cost.py --dir /dev/shm   # elsewhere (e.g. a RAM disk)

Creates N folders with one page-sized file each (the layout of `massnahmen/<id>/index.html`),
then N more files in those folders, and prints the milliseconds per folder and per file,
median of `--runs`. Everything it writes is removed again.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def one_run(base: str, count: int, size: int) -> tuple[float, float, float]:
    """(ms per mkdir, ms per new file, ms to remove everything per file)."""
    blob = b"x" * size
    root = Path(base)
    start = time.perf_counter()
    for i in range(count):
        (root / f"d{i}").mkdir()
    made = time.perf_counter()
    for name in ("index.html", "feed.xml"):
        for i in range(count):
            with (root / f"d{i}" / name).open("wb") as file:
                file.write(blob)
    written = time.perf_counter()
    for i in range(count):
        shutil.rmtree(root / f"d{i}")
    removed = time.perf_counter()
    return ((made - start) / count * 1000, (written - made) / (2 * count) * 1000,
            (removed - written) / (2 * count) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default=None, help="where to create the test folder")
    parser.add_argument("--count", type=int, default=2000, help="folders per run")
    parser.add_argument("--size", type=int, default=6000, help="bytes per file")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = tempfile.mkdtemp(prefix="fs-cost-", dir=args.dir)
    try:
        results = [one_run(base, args.count, args.size) for _ in range(args.runs)]
    finally:
        shutil.rmtree(base, ignore_errors=True)
    mkdir, create, remove = (statistics.median(r[i] for r in results) for i in range(3))
    print(f"{base}: {args.count} folders, {2 * args.count} files of {args.size} bytes, "
          f"median of {args.runs}")
    print(f"mkdir     {mkdir:.3f} ms per folder")
    print(f"new file  {create:.3f} ms per file (open, write, close)")
    print(f"remove    {remove:.3f} ms per file")
    per_page = mkdir + 2 * create
    print(f"floor of 100.000 measure pages with a feed each: {per_page * 100:.0f} s "
          f"on one core, {per_page * 50:.0f} s on two")


if __name__ == "__main__":
    main()
