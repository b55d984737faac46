#!/usr/bin/env python3
"""Measure dmoves-site: build time and memory by size, start-up, page weight, image builds.

Usage:  python benchmarks/run.py [--sizes 100,1000,5000,20000,100000] [--runs 5] [--site DIR]
                                 [--image-cache DIR] [--no-image-builds] [--incremental]
                                 [--peer-bench DIR] [--peer-sizes 1000,5000] [--no-scale]

Prints one plain-text report and writes the same tables as Markdown to
benchmarks/results.md. Every figure is measured; a failing build prints its output
and ends the run with exit status 1. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  -- the sibling module, importable once HERE is on the path

DEFAULT_SIZES = (100, 1000, 5000, 20000, 100000)
LARGE = 5000  # sizes above this get --large-runs timed builds and no warm-up
KB = 1000  # byte budgets are in kB of 1000 bytes
MIB = 1024 * 1024
IMAGE_SUFFIXES = (".png", ".svg", ".webp", ".jpg", ".jpeg", ".gif", ".avif")
# (label, path pattern); "<first>" is the first sub-folder in sorted order with an index.html
PAGE_KINDS: tuple[tuple[str, str, bool], ...] = (
    ("home", "index.html", True),
    ("program", "programme/<first>/index.html", True),
    ("measure list", "massnahmen/index.html", True),
    ("measure", "massnahmen/<first>/index.html", True),
    ("ozg", "ozg/index.html", True),
    ("budget overview", "haushalt/index.html", True),
    ("budget table", "haushalt/<first>/index.html", True),
    ("kpi", "kennzahlen/<first>/index.html", True),
    ("updates", "aktuelles/index.html", True),
    ("sources", "quellen/index.html", True),
    ("chart", "grafiken/<first>/index.html", False),
)
TARGETS = {
    "build_1000_s": 1.0, "build_5000_s": 4.5, "growth_5000_1000": 5.5,
    "peak_5000_mib": 150.0, "build_100000_s": 60.0, "help_s": 0.150, "home_gzip_kb": 60.0,
    "incremental_measure_ms": 100.0,
}


class BuildFailed(Exception):
    """A build command exited non-zero: its output is in the message."""


# --- running a child ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """One finished child process: wall and CPU seconds, peak RSS, exit code, output."""

    wall: float
    cpu: float
    peak_mib: float
    code: int
    output: str


# Linux keeps the largest resident set of the process image an exec replaced: a command
# started straight from this process (hundreds of MiB after the large sizes) would report
# at least that. A small Python in between forks the command and reports its rusage.
MEASURE = """
import os, sys, time
fd, cmd = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.close(fd)
    os.execvp(cmd[0], cmd)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with os.fdopen(fd, "w") as report:
    report.write(f"{wall} {usage.ru_utime} {usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    """Run cmd and return its wall time, cpu time and peak RSS (of it and its children),
    as measured by the helper from fork to reaping: its own start-up is not counted."""
    read, write = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", MEASURE, str(write), *cmd],
                                cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                pass_fds=(write,))
        os.close(write)
        with os.fdopen(read) as pipe:
            usage = pipe.read().split()
        proc.wait()
        outer = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text = (err.read() + out.read()).decode("utf-8", "replace")
    if len(usage) != 4:  # the helper itself failed: no figures
        return Run(outer, 0.0, 0.0, proc.returncode or 1, text)
    wall, cpu = float(usage[0]), float(usage[1]) + float(usage[2])
    return Run(wall, cpu, int(usage[3]) / 1024, proc.returncode, text)  # Linux: KiB


def checked(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    """Run cmd; raise BuildFailed with its output when it exits non-zero."""
    run = run_child(cmd, cwd)
    if run.code != 0:
        raise BuildFailed(f"exit {run.code}: {' '.join(cmd)}\n{run.output.rstrip()}")
    return run


def base_command() -> list[str]:
    """The dmoves-site console script, or the module run by this interpreter.

    The script beside the interpreter comes first: a PATH entry may be a wrapper (pyenv
    shims are shell scripts) whose own start-up would be timed too.
    """
    beside = Path(sys.executable).parent / "dmoves-site"
    script = str(beside) if os.access(beside, os.X_OK) else shutil.which("dmoves-site")
    return [script] if script else [sys.executable, "-m", "dmoves_site"]


def build_command(site: Path, out: Path, images: bool, search: bool = False) -> list[str]:
    """The build; without the Pagefind index unless asked (the peers build none)."""
    cmd = [*base_command(), "--site", str(site), "build", "--out", str(out)]
    cmd += [] if search else ["--no-search"]
    return cmd if images else [*cmd, "--no-images"]


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)


# --- report tables ------------------------------------------------------------------


@dataclass(slots=True)
class Table:
    """A titled table with notes, rendered as plain text or Markdown."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left: int = 1  # leading text columns, aligned left; the others are figures

    def cell(self, index: int, value: str, width: int) -> str:
        return value.ljust(width) if index < self.left else value.rjust(width)

    def line(self, cells: Sequence[str], widths: Sequence[int]) -> str:
        return "  ".join(self.cell(i, c, w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                            strict=True)))

    def text(self) -> str:
        widths = [max(len(r[i]) for r in [self.headers, *self.rows])
                  for i in range(len(self.headers))]
        lines = [self.title, "=" * len(self.title)]
        if self.rows:
            lines.append(self.line(self.headers, widths))
            lines.append("  ".join("-" * w for w in widths))
            lines += [self.line(r, widths).rstrip() for r in self.rows]
        return "\n".join([*lines, *self.notes]) + "\n"

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if self.rows:
            lines.append("| " + " | ".join(self.headers) + " |")
            lines.append("|" + "|".join(":---" if i < self.left else "---:"
                                        for i in range(len(self.headers))) + "|")
            lines += ["| " + " | ".join(r) + " |" for r in self.rows]
            lines.append("")
        lines += [f"{note}  " for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"


@dataclass(slots=True)
class Report:
    """The tables measured so far plus the figures the targets are checked against."""

    tables: list[Table] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def add(self, table: Table) -> None:
        self.tables.append(table)
        print(table.text(), flush=True)


def seconds(value: float) -> str:
    return f"{value:.3f}"


def kb(size: int) -> str:
    return f"{size / KB:.1f}"


# --- section 1: build time by size --------------------------------------------------


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def clean_build(site: Path, out: Path, images: bool = False) -> Run:
    """A full clean build: no output folder and no cache left from an earlier run."""
    remove(out)
    remove(site / ".cache")
    return checked(build_command(site, out, images))


def check_command(site: Path) -> list[str]:
    return [*base_command(), "--site", str(site), "check"]


@dataclass(frozen=True, slots=True)
class SizePlan:
    """How often to build one size, and whether to add the check and search builds."""

    runs: int
    warmup: int
    search: bool


def measure_size(n: int, workdir: Path, plan: SizePlan, seed: int,
                 figures: dict[str, float]) -> list[str]:
    """Generate n measures, build them warmup + runs times, return one table row.

    Also times one `check` of the same content and, when `plan.search`, one clean build
    with the Pagefind index; their figures go to `figures`.
    """
    site, out = workdir / f"site-{n}", workdir / f"out-{n}"
    generate.generate(n, site, seed)
    for _ in range(plan.warmup):
        clean_build(site, out)
    timed = [clean_build(site, out) for _ in range(plan.runs)]
    pages, size = count_html(out), folder_bytes(out)
    check = checked(check_command(site))
    figures[f"check_{n}_s"] = check.wall
    figures[f"check_{n}_mib"] = check.peak_mib
    search = ""
    if plan.search:
        remove(out)
        remove(site / ".cache")
        with_search = checked(build_command(site, out, images=False, search=True))
        figures[f"search_{n}_s"] = with_search.wall
        figures[f"search_{n}_mib"] = with_search.peak_mib
        search = seconds(with_search.wall)
    remove(site)
    remove(out)
    walls = [r.wall for r in timed]
    wall = statistics.median(walls)
    return [f"{n}", f"{plan.runs}", seconds(wall), f"{seconds(min(walls))}-{seconds(max(walls))}",
            seconds(statistics.median(r.cpu for r in timed)),
            f"{max(r.peak_mib for r in timed):.1f}", f"{pages}", f"{pages / wall:.0f}",
            f"{size / MIB:.1f}", seconds(check.wall), search]


def size_plan(n: int, args: argparse.Namespace) -> SizePlan:
    large = n > LARGE
    return SizePlan(args.large_runs if large else args.runs, 0 if large else args.warmup,
                    n in args.search_sizes)


def build_section(report: Report, args: argparse.Namespace, workdir: Path) -> None:
    table = Table("1. Full clean build (--no-images --no-search)",
                  ["N", "runs", "wall med s", "(min-max)", "cpu s", "peak RSS MiB", "pages",
                   "pages/s", "out MiB", "check s", "with search s"])
    for n in args.sizes:
        print(f"… building N = {n}", file=sys.stderr, flush=True)
        row = measure_size(n, workdir, size_plan(n, args), args.seed, report.figures)
        table.rows.append(row)
        report.figures[f"build_{n}_s"] = float(row[2])
        report.figures[f"peak_{n}_mib"] = float(row[5])
    if "build_1000_s" in report.figures and "build_5000_s" in report.figures:
        growth = report.figures["build_5000_s"] / report.figures["build_1000_s"]
        report.figures["growth_5000_1000"] = growth
        table.notes.append(f"growth wall(5000) / wall(1000) = {growth:.2f} (5 = linear)")
    table.notes.append(f"{args.warmup} untimed warm-up build(s) per N up to {LARGE}, none "
                       f"above (there {args.large_runs} timed run(s)); cpu = user + sys "
                       "(median); peak RSS = largest ru_maxrss of the runs; pages = *.html "
                       "files; check s = one `dmoves-site check` of the same content; with "
                       "search s = one clean build with the Pagefind index (sizes in "
                       "--search-sizes).")
    report.add(table)


# --- section 2: start-up ------------------------------------------------------------


def timed_walls(cmd: Sequence[str], runs: int) -> list[float]:
    checked(cmd)  # warm-up, and fail early
    return [checked(cmd).wall for _ in range(runs)]


def startup_section(report: Report, runs: int) -> None:
    table = Table("2. Start-up", ["command", "runs", "wall med ms", "(min-max) ms"])
    for label, cmd in (("dmoves-site --help", [*base_command(), "--help"]),
                       ("python -c pass (baseline)", [sys.executable, "-c", "pass"])):
        walls = [w * 1000 for w in timed_walls(cmd, runs)]
        table.rows.append([label, f"{runs}", f"{statistics.median(walls):.1f}",
                           f"{min(walls):.1f}-{max(walls):.1f}"])
        report.figures.setdefault("help_s", statistics.median(walls) / 1000)
    report.add(table)


# --- section 3: the bundled site ----------------------------------------------------


def safe_cache(site: Path, cache: Path) -> bool:
    """Refuse to delete the site folder itself or one of its parents."""
    site, cache = site.resolve(), cache.resolve()
    return cache != site and cache not in site.parents and cache != Path(cache.anchor)


def failure_reason(output: str, keep: int = 3) -> str:
    """The last lines of a failed build that are not warnings ("Warnung:" in dmoves-site)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip() and "Warnung:" not in ln]
    return " | ".join(lines[-keep:]) or "no output"


def image_builds(report: Report, site: Path, cache: Path, workdir: Path) -> Path | None:
    """Time a cold and a warm build with images; return the output or None if it failed."""
    table = Table("3a. Bundled site: build with images",
                  ["build", "wall s", "cpu s", "peak RSS MiB", "pages", "image files"])
    out = workdir / "out-images"
    if not safe_cache(site, cache):
        table.notes.append(f"n/a: refusing to delete image cache {cache}")
        report.add(table)
        return None
    for label in ("cold (image cache deleted)", "warm (image cache kept)"):
        if label.startswith("cold"):
            remove(cache)
        remove(out)
        run = run_child(build_command(site, out, images=True, search=True))
        if run.code != 0:
            table.rows.append([label, "n/a", "", "", "", ""])
            table.notes.append(f"n/a: build with images failed (exit {run.code}): "
                               + failure_reason(run.output))
            report.add(table)
            return None
        images = sum(1 for p in out.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        table.rows.append([label, seconds(run.wall), seconds(run.cpu), f"{run.peak_mib:.1f}",
                           f"{count_html(out)}", f"{images}"])
    table.notes.append(f"image cache: {cache}; one run each.")
    report.add(table)
    return out


class AssetParser(HTMLParser):
    """Collect stylesheets, scripts (with a deferred flag) and images of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.css: list[str] = []
        self.js: list[tuple[str, bool]] = []
        self.img: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            deferred = "defer" in a or "async" in a or a.get("type") == "module"
            self.js.append((a["src"], deferred))
        elif tag == "img" and a.get("src"):
            self.img.append(a["src"])


@dataclass(frozen=True, slots=True)
class Weight:
    """Raw and gzip -9 bytes of one file."""

    raw: int
    gz: int


def weigh(file: Path) -> Weight:
    data = file.read_bytes()
    return Weight(len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def resolve(out: Path, page: Path, href: str, base_url: str) -> Path | None:
    """The output file an href of a page points at; None for external or data URLs."""
    base_path = urlsplit(base_url).path or "/"
    if href.startswith("data:"):
        return None
    if urlsplit(href).scheme or href.startswith("//"):
        if not href.startswith(base_url):
            return None
        href = base_path + href[len(base_url):]
    page_dir = page.parent.relative_to(out).as_posix()
    page_url = base_path + ("" if page_dir == "." else page_dir + "/")
    path = unquote(urlsplit(urljoin(page_url, href)).path)
    rel = path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
    target = out / rel
    return target / "index.html" if path.endswith("/") else target


@dataclass(slots=True)
class PageWeight:
    """The weights of one page and the assets it references."""

    html: Weight
    css: list[tuple[str, Weight | None]]
    js: list[tuple[str, Weight | None, bool]]
    img: list[tuple[str, Weight | None]]
    external: list[str]


def weigh_refs(out: Path, page: Path, hrefs: Iterable[str], base_url: str, external: list[str]
               ) -> list[tuple[str, Weight | None]]:
    """(output path or href, weight) of each reference; weight None when the file is missing."""
    result: list[tuple[str, Weight | None]] = []
    for href in hrefs:
        target = resolve(out, page, href, base_url)
        if target is None:
            external.append(href)
        elif target.is_file():
            result.append((target.relative_to(out).as_posix(), weigh(target)))
        else:
            result.append((href, None))
    return result


def page_weight(out: Path, page: Path, base_url: str) -> PageWeight:
    parser = AssetParser()
    parser.feed(page.read_text("utf-8", "replace"))
    external: list[str] = []
    css = weigh_refs(out, page, parser.css, base_url, external)
    js: list[tuple[str, Weight | None, bool]] = []
    for src, deferred in parser.js:
        js += [(name, w, deferred) for name, w in weigh_refs(out, page, [src], base_url, external)]
    img = weigh_refs(out, page, parser.img, base_url, external)
    return PageWeight(weigh(page), css, js, img, external)


def first_page(out: Path, pattern: str) -> Path | None:
    if "<first>" not in pattern:
        page = out / pattern
        return page if page.is_file() else None
    parent = out / pattern.split("<first>")[0]
    if not parent.is_dir():
        return None
    found = sorted(d for d in parent.iterdir() if (d / "index.html").is_file())
    return found[0] / "index.html" if found else None


def total(items: Iterable[Weight | None]) -> Weight:
    present = [w for w in items if w is not None]
    return Weight(sum(w.raw for w in present), sum(w.gz for w in present))


def weight_row(label: str, rel: str, pw: PageWeight) -> list[str]:
    css = total(w for _h, w in pw.css)
    js = total(w for _h, w, _d in pw.js)
    img = total(w for _h, w in pw.img)
    deferred = sum(1 for _h, _w, d in pw.js if d)
    missing = sum(1 for group in (pw.css, pw.img) for _h, w in group if w is None)
    missing += sum(1 for _h, w, _d in pw.js if w is None)
    core = Weight(pw.html.raw + css.raw + js.raw, pw.html.gz + css.gz + js.gz)
    return [label, rel, f"{kb(pw.html.raw)} / {kb(pw.html.gz)}",
            f"{len(pw.css)}: {kb(css.raw)} / {kb(css.gz)}",
            f"{len(pw.js)} ({deferred} deferred): {kb(js.raw)} / {kb(js.gz)}",
            f"{len(pw.img)}: {kb(img.raw)} / {kb(img.gz)}",
            f"{kb(core.raw)} / {kb(core.gz)}", f"{missing + len(pw.external)}"]


def asset_notes(pw: PageWeight) -> dict[str, tuple[str, Weight]]:
    """CSS and JS files of a page by href, labelled with their kind."""
    found: dict[str, tuple[str, Weight]] = {}
    for href, w in pw.css:
        if w is not None:
            found[href] = ("CSS", w)
    for href, w, deferred in pw.js:
        if w is not None:
            found[href] = ("JS (deferred)" if deferred else "JS", w)
    return found


def read_base_url(site: Path) -> str:
    import yaml  # a dependency of dmoves-site; only needed for this section

    data = yaml.safe_load((site / "content" / "site.yaml").read_text("utf-8"))
    base = str(data.get("base_url", "/")) if isinstance(data, dict) else "/"
    return base if base.endswith("/") else base + "/"


def weight_section(report: Report, out: Path, site: Path, with_images: bool) -> None:
    table = Table("3b. Bundled site: page weight (kB raw / gzip -9)",
                  ["page kind", "file", "HTML", "CSS", "JS", "images", "HTML+CSS+JS",
                   "missing/external"], left=2)
    base_url = read_base_url(site)
    assets: dict[str, tuple[str, Weight]] = {}
    external: set[str] = set()
    for label, pattern, required in PAGE_KINDS:
        page = first_page(out, pattern)
        if page is None:
            if required:
                table.rows.append([label, pattern, "missing", "", "", "", "", ""])
            continue
        pw = page_weight(out, page, base_url)
        table.rows.append(weight_row(label, page.relative_to(out).as_posix(), pw))
        if label == "home":
            core = pw.html.gz + total(w for _h, w in pw.css).gz
            report.figures["home_gzip_kb"] = (core + total(w for _h, w, _d in pw.js).gz) / KB
        assets.update(asset_notes(pw))
        external.update(pw.external)
    table.notes.append("Each referenced asset is counted on every page that references it; "
                       "JS loaded with defer/async/module counts too. kB = 1000 bytes.")
    table.notes.append("Built " + ("with" if with_images else "without (--no-images)")
                       + f" images from --site {site}.")
    table.notes += [f"{kind} {href}: {kb(w.raw)} / {kb(w.gz)} kB"
                    for href, (kind, w) in sorted(assets.items())]
    if external:
        table.notes.append("not counted (external or data: URLs): " + ", ".join(sorted(external)))
    report.add(table)


def bundled_section(report: Report, site: Path, cache: Path, workdir: Path,
                    with_image_builds: bool) -> None:
    out = image_builds(report, site, cache, workdir) if with_image_builds else None
    if out is None:
        out = workdir / "out-bundled"
        remove(out)
        checked(build_command(site, out, images=False))
    weight_section(report, out, site, with_images=out.name == "out-images")


# --- section 4: incremental rebuild -------------------------------------------------


def incremental_section(report: Report, site: Path, runs: int = 10) -> None:
    """Time the preview's rebuild after editing one measure and after editing one template.

    Uses `dmoves_site.serve.Preview` on a copy of the bundled site (in memory, as in
    `dmoves-site serve`); each figure is the median of `runs` edits.
    """
    from dmoves_site.serve import Preview

    table = Table("4. Incremental rebuild in serve (bundled site)",
                  ["change", "runs", "median ms", "(min-max) ms"])
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site / "content", copy / "content")
        shutil.copytree(site / "templates", copy / "templates")
        preview = Preview(copy, echo=lambda _text: None)
        preview.rebuild([])
        measure = sorted((copy / "content" / "measures").glob("*.md"))[0]
        template = copy / "templates" / "measure.html"
        for label, path in (("one measure", measure), ("one template", template)):
            original = path.read_text(encoding="utf-8")
            walls = []
            for i in range(runs):
                path.write_text(original + f"\n<!-- edit {i} -->\n" if path.suffix == ".html"
                                else original + f"\nÄnderung {i}\n", encoding="utf-8")
                start = time.perf_counter()
                preview.rebuild([str(path)])
                walls.append((time.perf_counter() - start) * 1000)
            path.write_text(original, encoding="utf-8")
            table.rows.append([label, f"{runs}", f"{statistics.median(walls):.0f}",
                               f"{min(walls):.0f}-{max(walls):.0f}"])
            report.figures.setdefault("incremental_measure_ms", statistics.median(walls))
    table.notes.append("load + validate + re-render of the affected pages, in memory; "
                       "the browser reload adds the page load itself")
    report.add(table)


# --- section 5: beside Hugo, in the same run ----------------------------------------


def peer_sites(bench: Path, n: int, workdir: Path) -> tuple[Path, Path]:
    """The Hugo and the dmoves layout of the same n records (../shared/bench/gen_records.py)."""
    sites = []
    for layout in ("hugo", "dmoves"):
        site = workdir / f"peer-{n}" / layout
        checked([sys.executable, str(bench / "gen_records.py"), str(n), str(site), "--layout",
                 layout, "--force"])
        sites.append(site)
    return sites[0], sites[1]


def hugo_build(hugo: str, site: Path) -> Run:
    remove(site / "public")
    return checked([hugo, "--quiet", "-d", "public"], cwd=site)


def peer_row(label: str, n: int, walls: list[float], runs: list[Run]) -> list[str]:
    wall = statistics.median(walls)
    return [label, f"{n}", f"{len(walls)}", seconds(wall),
            f"{seconds(min(walls))}-{seconds(max(walls))}",
            seconds(statistics.median(r.cpu for r in runs)),
            f"{max(r.peak_mib for r in runs):.1f}"]


def peer_section(report: Report, args: argparse.Namespace, workdir: Path) -> None:
    """Hugo and dmoves-site on the same records, builds alternating, in this one run."""
    table = Table("5. Beside Hugo in the same run (peer records, --no-images --no-search)",
                  ["generator", "N", "runs", "wall med s", "(min-max)", "cpu s",
                   "peak RSS MiB", "ratio"])
    hugo, bench = shutil.which("hugo"), args.peer_bench
    if hugo is None or not (bench / "gen_records.py").is_file():
        table.notes.append(f"n/a: needs hugo on PATH and {bench}/gen_records.py "
                           "(--peer-bench)")
        report.add(table)
        return
    for n in args.peer_sizes:
        print(f"… Hugo and dmoves-site, N = {n}", file=sys.stderr, flush=True)
        hugo_site, our_site = peer_sites(bench, n, workdir)
        hugo_build(hugo, hugo_site)
        clean_build(our_site, our_site / "build")
        theirs, ours = [], []
        for _ in range(args.runs):
            theirs.append(hugo_build(hugo, hugo_site))
            ours.append(clean_build(our_site, our_site / "build"))
        h = statistics.median(r.wall for r in theirs)
        d = statistics.median(r.wall for r in ours)
        report.figures[f"hugo_ratio_{n}"] = d / h
        table.rows.append([*peer_row("hugo", n, [r.wall for r in theirs], theirs), ""])
        table.rows.append([*peer_row("dmoves-site", n, [r.wall for r in ours], ours),
                           f"{d / h:.2f}"])
        remove(workdir / f"peer-{n}")
    table.notes.append("Records from gen_records.py (hugo and dmoves layouts, seed 1); one "
                       "untimed build each, then the timed builds alternate; output (and "
                       ".cache) removed outside the timing; ratio = dmoves-site / Hugo.")
    report.add(table)


# --- section 6: cached rebuild ----------------------------------------------------------


def edit_one_measure(site: Path) -> Path:
    """Append a sentence to the body of the first measure file (sorted by name)."""
    measure = sorted((site / "content" / "measures").glob("*.md"))[0]
    with measure.open("a", encoding="utf-8") as handle:
        handle.write("\nNachtrag: Der Zeitplan wurde im Ausschuss bestätigt.\n")
    return measure


def same_tree(a: Path, b: Path) -> bool:
    """True if both folders hold the same files with the same bytes."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(filecmp.cmp(a / f, b / f, shallow=False)
                                      for f in files_a)


def cached_section(report: Report, args: argparse.Namespace, workdir: Path) -> None:
    """Clean build, edit one measure, build again with .cache/ and output kept, compare."""
    n = args.cache_size
    table = Table(f"6. Cached rebuild after editing one measure (N = {n})",
                  ["build", "wall s", "cpu s", "peak RSS MiB"])
    site, out, fresh = workdir / "cache-site", workdir / "cache-out", workdir / "cache-fresh"
    print(f"… cached rebuild, N = {n}", file=sys.stderr, flush=True)
    generate.generate(n, site, args.seed)
    clean_build(site, out)  # warm-up
    clean = clean_build(site, out)
    edit_one_measure(site)
    cached = checked(build_command(site, out, images=False))
    remove(site / ".cache")
    checked(build_command(site, fresh, images=False))
    identical = same_tree(out, fresh)
    for label, run in (("clean (no .cache, no output)", clean),
                       ("after the edit (.cache and output kept)", cached)):
        table.rows.append([label, seconds(run.wall), seconds(run.cpu), f"{run.peak_mib:.1f}"])
    report.figures["cached_share"] = cached.wall / clean.wall
    report.figures["cached_identical"] = 1.0 if identical else 0.0
    table.notes.append(f"cached / clean = {cached.wall / clean.wall:.1%}; output "
                       + ("byte-identical to" if identical else "DIFFERENT from")
                       + " a clean build of the edited content. Edit: one sentence appended "
                       "to the first measure's body.")
    for folder in (site, out, fresh):
        remove(folder)
    report.add(table)


# --- targets and output -------------------------------------------------------------


def targets_table(figures: dict[str, float]) -> Table:
    table = Table("Targets", ["target", "limit", "measured", "verdict"])
    specs = (("1.000 measures, clean build", "build_1000_s", "s"),
             ("5.000 measures, clean build", "build_5000_s", "s"),
             ("growth 5.000 / 1.000", "growth_5000_1000", ""),
             ("peak RSS at 5.000", "peak_5000_mib", "MiB"),
             ("100.000 measures, clean build", "build_100000_s", "s"),
             ("dmoves-site --help", "help_s", "s"),
             ("home page HTML+CSS+JS gzip", "home_gzip_kb", "kB"),
             ("serve: rebuild after one measure", "incremental_measure_ms", "ms"))
    for label, key, unit in specs:
        limit, value = TARGETS[key], figures.get(key)
        shown = "not measured" if value is None else f"{value:.3f} {unit}".strip()
        verdict = "" if value is None else ("ok" if value <= limit else "MISSED")
        table.rows.append([label, f"≤ {limit:g} {unit}".strip(), shown, verdict])
    return table


@dataclass(frozen=True, slots=True)
class ScaleTarget:
    """One target of the Land-scale goal: its figures, limits and how it is shown."""

    name: str
    limit: str
    keys: tuple[str, ...]
    limits: tuple[float, ...]
    shown: str  # format with the figures in `keys` order


SCALE_TARGETS = (
    ScaleTarget("1.000 ≤ 2× Hugo", "ratio ≤ 2", ("hugo_ratio_1000",), (2.0,), "{:.2f}×"),
    ScaleTarget("5.000 ≤ Hugo", "ratio ≤ 1", ("hugo_ratio_5000",), (1.0,), "{:.2f}×"),
    ScaleTarget("linear growth", "5.000/1.000 ≤ 5,5", ("growth_5000_1000",), (5.5,), "{:.2f}"),
    ScaleTarget("100.000 build", "≤ 30 s, ≤ 500 MiB", ("build_100000_s", "peak_100000_mib"),
                (30.0, 500.0), "{:.1f} s, {:.0f} MiB"),
    ScaleTarget("cached rebuild", "≤ 10 %, identical", ("cached_share", "cached_identical"),
                (0.10, 2.0), "{:.1%}, same={:.0f}"),
    ScaleTarget("check 100.000", "≤ 10 s", ("check_100000_s",), (10.0,), "{:.1f} s"),
    ScaleTarget("Pagefind 100.000", "build with search ≤ 30 s", ("search_100000_s",), (30.0,),
                "{:.1f} s"),
)


def scale_verdict(target: ScaleTarget, figures: dict[str, float]) -> tuple[str, str]:
    values = [figures.get(k) for k in target.keys]
    if any(v is None for v in values):
        return "not measured", ""
    shown = target.shown.format(*values)
    ok = all(v is not None and v <= lim for v, lim in zip(values, target.limits, strict=True))
    if target.keys[-1] == "cached_identical":
        ok = values[0] is not None and values[0] <= target.limits[0] and values[1] == 1.0
    return shown, "ok" if ok else "MISSED"


def scale_table(figures: dict[str, float]) -> Table:
    """The Land-scale targets: one column per target, rows limit / measured / verdict."""
    table = Table("Scale targets (one column per target)",
                  ["", *(t.name for t in SCALE_TARGETS)])
    verdicts = [scale_verdict(t, figures) for t in SCALE_TARGETS]
    table.rows.append(["target", *(t.limit for t in SCALE_TARGETS)])
    table.rows.append(["measured", *(v[0] for v in verdicts)])
    table.rows.append(["verdict", *(v[1] for v in verdicts)])
    table.notes.append("Hugo ratios from section 5, growth from section 1, 100.000 build, "
                       "check and search from section 1 (N = 100000), cached rebuild from "
                       "section 6. Compare only figures of one run: the machine is shared.")
    return table


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average n/a"
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def environment() -> str:
    return (f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {platform.platform()}, "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {load_average()}, "
            f"command: {' '.join(base_command())}")


def write_markdown(path: Path, report: Report, argv: Sequence[str], failure: str) -> None:
    parts = ["# dmoves-site benchmark results", "",
             f"`python benchmarks/run.py {' '.join(argv)}`".replace("  ", " "), "",
             environment(), ""]
    if failure:
        parts += ["**Stopped: a build failed.**", "", "```", failure, "```", ""]
    parts += [t.markdown() for t in report.tables]
    path.write_text("\n".join(parts), encoding="utf-8")


def parse_sizes(text: str) -> list[int]:
    """Read '100,1.000,5_000' as [100, 1000, 5000]."""
    return [int(part.replace(".", "").replace("_", "")) for part in text.split(",") if part]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                   help="comma-separated measure counts (default 100,1000,5000,20000,100000)")
    p.add_argument("--runs", type=int, default=5, help="timed builds per size (default 5)")
    p.add_argument("--large-runs", type=int, default=1,
                   help=f"timed builds per size above {LARGE} (default 1)")
    p.add_argument("--search-sizes", type=parse_sizes, default=[100000],
                   help="sizes that get one build with the search index (default 100000)")
    p.add_argument("--peer-bench", type=Path, default=HERE.parent.parent / "shared" / "bench",
                   help="folder with gen_records.py (default ../shared/bench)")
    p.add_argument("--peer-sizes", type=parse_sizes, default=[1000, 5000],
                   help="sizes built beside Hugo (default 1000,5000)")
    p.add_argument("--cache-size", type=int, default=5000,
                   help="size of the cached-rebuild site (default 5000)")
    p.add_argument("--no-scale", action="store_true",
                   help="skip sections 5 and 6 (Hugo, cached rebuild)")
    p.add_argument("--warmup", type=int, default=1, help="untimed builds per size (default 1)")
    p.add_argument("--help-runs", type=int, default=20, help="timed --help runs (default 20)")
    p.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    p.add_argument("--site", type=Path, default=HERE.parent,
                   help="bundled site for section 3 (default: the project root)")
    p.add_argument("--image-cache", type=Path, default=None,
                   help="image cache deleted for the cold build (default SITE/.cache/images)")
    p.add_argument("--no-image-builds", action="store_true",
                   help="skip the builds with images; weigh a --no-images build")
    p.add_argument("--incremental", action="store_true", help="add section 4")
    p.add_argument("--results", type=Path, default=HERE / "results.md",
                   help="Markdown output (default benchmarks/results.md)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)
    if (args.runs < 1 or args.large_runs < 1 or args.warmup < 0 or args.help_runs < 1
            or not args.sizes):
        p.error("need --runs >= 1, --large-runs >= 1, --warmup >= 0, --help-runs >= 1 "
                "and at least one size")
    args.site = args.site.resolve()
    args.image_cache = (args.image_cache or args.site / ".cache" / "images").resolve()
    return args


def run_all(args: argparse.Namespace, report: Report, workdir: Path) -> None:
    build_section(report, args, workdir)
    startup_section(report, args.help_runs)
    bundled_section(report, args.site, args.image_cache, workdir, not args.no_image_builds)
    if args.incremental:
        incremental_section(report, args.site)
    if not args.no_scale:
        peer_section(report, args, workdir)
        cached_section(report, args, workdir)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    print(environment() + "\n", flush=True)
    report, failure = Report(), ""
    workdir = Path(tempfile.mkdtemp(prefix="dmoves-bench-"))
    try:
        run_all(args, report, workdir)
    except BuildFailed as exc:
        failure = str(exc)
        print(f"build failed: {failure}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report.add(targets_table(report.figures))
    report.add(scale_table(report.figures))
    print(load_average() + " at the end")
    write_markdown(args.results, report, argv, failure)
    print(f"written {args.results}")
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
