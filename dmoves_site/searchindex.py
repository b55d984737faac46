"""The search index: Pagefind over the staged site, in parts for large sites.

Pagefind holds every page it indexes in memory, about 150 KB each (860 MB for 5.463
pages, 13,4 GiB for 100.000). A site of more than `PART_PAGES` pages is therefore indexed
in parts of at most that many, one Pagefind run after the other: the first part into
`pagefind/`, the others into `pagefind/teil-2/`, `pagefind/teil-3/`, … The search page
merges them (Pagefind's `mergeIndex`); `pagefind/teile.json` names them, for one part too.
A part is a set of folders given to Pagefind as one glob: a section's own files, a whole
section, or the records of a large section whose names begin alike (`massnahmen/ab*/`).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# Pagefind 1.5 took 216 s for 100.000 pages on 2 cores: the time allowed grows with the pages
PAGEFIND_TIMEOUT_S = 300.0
PAGEFIND_TIMEOUT_PER_PAGE_S = 0.01
PART_PAGES = 10_000  # pages of one Pagefind run: 1,2–1,9 GiB of memory
BUNDLE = "pagefind"
PARTS_FILE = f"{BUNDLE}/teile.json"
GLOB_SPECIAL = set("*?[]{},\\!")  # in a path: indexed in one part, never by a glob of it


def available() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def part_globs(pages: Iterable[str], limit: int | None = None) -> list[tuple[str, int]]:
    """The parts to index the HTML files `pages` (paths in the output folder) in, of at
    most `limit` pages (`PART_PAGES`): each a Pagefind glob and the number of pages it
    matches, the first for the main bundle. Every page is matched by exactly one glob;
    one part where all fit in one."""
    limit = PART_PAGES if limit is None else limit
    html = sorted(p for p in pages if p.endswith(".html"))
    if len(html) <= limit or any(set(p) & GLOB_SPECIAL for p in html):
        return [("**/*.{html}", len(html))]
    units = [("*.html", sum(1 for p in html if "/" not in p))]
    sections: dict[str, Counter[str]] = {}
    for page in html:
        if "/" in page:
            section, rest = page.split("/", 1)
            name = rest.split("/", 1)[0] if "/" in rest else ""
            sections.setdefault(section, Counter())[name] += 1
    for section, names in sorted(sections.items()):
        own = names.pop("", 0)  # the section's own files: `massnahmen/index.html`
        if own:
            units.append((f"{section}/*.html", own))
        if sum(names.values()) <= limit:
            if names:
                units.append((f"{section}/**/*.html", sum(names.values())))
            continue
        units += _prefix_units(section, names, "", limit)
    return _pack([u for u in units if u[1]], limit)


def _prefix_units(section: str, names: Counter[str], prefix: str, limit: int
                  ) -> list[tuple[str, int]]:
    """Globs for the folders of `section` whose names begin with `prefix`, one per longer
    prefix until each matches at most `limit` pages (a folder named `prefix` on its own)."""
    units = []
    if names.get(prefix):
        units.append((f"{section}/{prefix}/**/*.html", names[prefix]))
    by_next: dict[str, Counter[str]] = {}
    for name, count in names.items():
        if name != prefix and name.startswith(prefix):
            by_next.setdefault(name[: len(prefix) + 1], Counter())[name] = count
    for longer, inner in sorted(by_next.items()):
        total = sum(inner.values())
        if total <= limit or all(name == longer for name in inner):
            units.append((f"{section}/{longer}*/**/*.html" if any(n != longer for n in inner)
                          else f"{section}/{longer}/**/*.html", total))
        else:
            units += _prefix_units(section, inner, longer, limit)
    return units


def _pack(units: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    """Consecutive units into parts of at most `limit` pages (a larger unit alone)."""
    parts: list[list[tuple[str, int]]] = [[]]
    for unit in units:
        if parts[-1] and sum(c for _g, c in parts[-1]) + unit[1] > limit:
            parts.append([])
        parts[-1].append(unit)
    return [(globs[0][0] if len(globs) == 1 else "{" + ",".join(g for g, _c in globs) + "}",
             sum(c for _g, c in globs)) for globs in parts]


def part_folder(number: int) -> str:
    """The bundle of part `number` (1: the main one), relative to the output folder."""
    return BUNDLE if number == 1 else f"{BUNDLE}/teil-{number}"


def run_pagefind(root: Path, pages: Iterable[str]) -> str:
    """Index the staged site in `root`, whose pages to list are `pages`, with Pagefind (in
    parts: see the module); return an error text or ''.

    The parts are made from the listed pages only: each holds one at least, so Pagefind
    indexes the pages marked `data-pagefind-body` in it and no other (a run that finds
    none indexes every page it is given)."""
    parts = part_globs(pages)
    for number, (glob, count) in enumerate(parts, start=1):
        cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir",
               part_folder(number), "--force-language", "de", "--glob", glob]
        timeout = PAGEFIND_TIMEOUT_S + count * PAGEFIND_TIMEOUT_PER_PAGE_S
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return str(exc)
        if done.returncode != 0:
            return (done.stderr or done.stdout)[-2000:]
    others = [part_folder(n).removeprefix(BUNDLE + "/") + "/" for n in range(2, len(parts) + 1)]
    (root / PARTS_FILE).write_text(json.dumps({"teile": others}) + "\n", encoding="utf-8")
    return ""
