"""Run the chain: load → validate → derive → render → write; return a Report."""

from __future__ import annotations

import errno
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dmoves_site import charts as ch
from dmoves_site import data, gitlog, output, pages_time, routes, schedule, searchindex
from dmoves_site import figures as fg
from dmoves_site import formatting as fmt
from dmoves_site import messages as msg
from dmoves_site import model as m
from dmoves_site.buildcache import BuildCache, PageEntry, PageWriter
from dmoves_site.load import fork_workers, load_content
from dmoves_site.pages import page_specs
from dmoves_site.problems import Problem
from dmoves_site.render import THEME, FileGroup, PageSpec, Renderer, SiteModel, make_env

PageRender = Callable[[Renderer, PageSpec], bytes]


@dataclass(frozen=True, slots=True)
class Options:
    """What to build and where."""

    site: Path
    out: Path
    drafts: bool = False
    images: bool = True
    search: bool = True
    image_cache: Path | None = None
    cache: bool = True  # reuse unchanged results of the last build (.cache/build/)
    strict: bool = False  # a missing required page is an error (publish), not a warning
    precompress: bool = False  # .gz and .br beside every text file (publish: always)


@dataclass(slots=True)
class Report:
    """The outcome of a run: problems, and what was written."""

    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    notes: list[str] = field(default_factory=list)
    rendered: int = 0  # pages rendered, not reused from the last build

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def diff_problems(diffs: list[fg.SumDifference], budgets: tuple[m.Budget, ...]
                  ) -> list[Problem]:
    """Sum differences as warnings that name table, line, column, stated and computed."""
    by_id = {b.id: b for b in budgets}
    return [Problem(d.path, d.file_line, f"lines.{d.line}",
                    f"Summenprüfung {d.table}/{d.line}, {d.column}: angegeben "
                    f"{fmt.number(d.stated)}, berechnet {fmt.number(d.computed)} ({d.basis})",
                    "warning", f"Abweichung {fmt.number(d.difference)} {by_id[d.table].unit}; "
                    "der veröffentlichte "
                    "Wert bleibt stehen") for d in diffs]


def check(site: Path, drafts: bool = False, cache: dict[str, Any] | None = None,
          strict: bool = True) -> tuple[m.Content | None, Report]:
    """Load and validate without writing anything (`cache`, `strict`: see load.Loader)."""
    start = time.perf_counter()
    content, problems = load_content(site / "content", drafts, cache, strict)
    report = Report(list(problems.items) + static_link_problems(site))
    if content is not None:
        diffs = fg.sum_differences(content.budgets)
        report.problems += diff_problems(diffs, content.budgets)
    report.problems.sort()
    report.seconds = time.perf_counter() - start
    return content, report


def make_model(content: m.Content, report: Report, options: Options) -> SiteModel:
    diffs = fg.sum_differences(content.budgets)
    sets = data.datasets(content)
    t = site_messages(content, options.site)
    charts = (*ch.all_charts(content, diffs, t), *schedule.charts(content, t))
    return SiteModel(content, diffs, charts, report.warnings,
                     options.drafts, search=options.search and searchindex.available(),
                     datasets=sets, dataset_jsonld=data.dataset_jsonld(content.site, sets),
                     changelog=gitlog.read_log(options.site / "content"),
                     site_dir=options.site, t=t)


def site_messages(content: m.Content, site: Path) -> msg.Messages:
    """The message catalogue of the site's language, with its own overrides."""
    return msg.catalogue(content.site.language, content.site.terms, site)


def all_specs(model: SiteModel) -> Iterator[PageSpec]:
    """Every HTML page: the record pages and the accountability pages."""
    yield from page_specs(model)
    yield from pages_time.specs(model)


def render_files(model: SiteModel, site: Path, render_page: PageRender | None = None
                 ) -> tuple[dict[str, bytes], int]:
    """Every generated file of the site: pages, feeds, data, downloads.

    `render_page` replaces `Renderer.render` for HTML pages (serve reuses unchanged pages).
    """
    env = make_env(site / "templates")
    renderer = Renderer(model, env)
    render = render_page or Renderer.render
    files: dict[str, bytes] = {}
    pages = 0
    for spec in all_specs(model):
        output.add(files, {spec.path: render(renderer, spec)})
        pages += 1
    output.add(files, other_files(model, env, renderer, list(files)))
    return files, pages


def other_files(model: SiteModel, env: Any, renderer: Renderer, page_paths: list[str]
                ) -> dict[str, bytes]:
    """Every file that is not a page: `plain_files`, the `file_groups` made, and the
    measures' feeds."""
    files = plain_files(model, env, renderer, page_paths)
    output.add(files, pages_time.made(file_groups(model, env)))
    output.add(files, pages_time.measure_feed_files(model, env, model.content.measures))
    return files


def plain_files(model: SiteModel, env: Any, renderer: Renderer, page_paths: list[str]
                ) -> dict[str, bytes]:
    """Feed, sitemap, robots.txt, the data package: made in every build (they show all
    records)."""
    files: dict[str, bytes] = {}
    c = model.content
    files[routes.FEED] = env.get_template("feed.xml").render(
        site=c.site, updates=c.updates[:50],
        updated=(c.updates[0].date.iso() if c.updates else c.site.as_of.first_day().isoformat())
        + "T00:00:00Z").encode("utf-8")
    urls = [renderer.page_url(p) for p in sorted(page_paths) if p.endswith("index.html")
            and "/embed/" not in p]
    files[routes.SITEMAP] = env.get_template("sitemap.xml").render(urls=urls).encode("utf-8")
    files[routes.ROBOTS] = (f"User-agent: *\nAllow: /\nSitemap: {c.site.base_url}"
                            f"{routes.SITEMAP}\n").encode()
    files[routes.DATAPACKAGE] = data.dumps(data.datapackage(c.site, model.datasets))
    files[output.MARKER] = b"dmoves-site output folder\n"
    return files


def file_groups(model: SiteModel, env: Any) -> list[FileGroup]:
    """Open data, chart downloads, figure cards and citations, the feeds of changes and
    programs. Each dataset is a group of its own: one made at a time, so a large site
    never holds all its downloads at once, and one whose rows are unchanged is linked."""
    site, t = model.content.site, model.t
    groups = [FileGroup(data.dataset_file_names(ds), ("dataset", ds),
                        partial(data.dataset_files, ds)) for ds in model.datasets]
    groups += [FileGroup(data.chart_file_names(chart), ("chart", chart),
                         partial(data.chart_files, chart, site, t)) for chart in model.charts]
    return groups + pages_time.feed_groups(model, env) + pages_time.figure_groups(model)


# --- parallel rendering of large sites -------------------------------------------------

PARALLEL_MIN_PAGES = 400
_WORKER: dict[str, Any] = {}


workers = fork_workers  # processes for page rendering


@dataclass(slots=True)
class Written:
    """Pages (and the measures' feeds) written into the staging folder, and what the build
    cache keeps of them."""

    pages: int = 0
    rendered: int = 0
    entries: dict[str, PageEntry] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)  # every file written or kept
    searchable: list[str] = field(default_factory=list)  # the pages search lists

    def add(self, writer: PageWriter | Written, pages: int) -> None:
        self.pages += pages
        self.rendered += writer.rendered
        self.entries.update(writer.entries)
        self.paths |= writer.paths


def _render_chunk(index: int) -> Written:
    """Worker: write every n-th page into the staging folder (rendered or reused)."""
    specs, count = _WORKER["specs"], _WORKER["count"]
    renderer = Renderer(_WORKER["model"], make_env(_WORKER["site"] / "templates",
                                                   _WORKER["compiled"]))
    writer = PageWriter(renderer, _WORKER["staged"], _WORKER["out"], _WORKER["previous"],
                        _WORKER["known"], _WORKER["packed"])
    writer.writer.made |= _WORKER["made"]
    mine = specs[index::count]
    for spec in mine:  # written as rendered: a worker never holds its pages
        writer.write(spec)
    write_measure_feeds(renderer, writer, _WORKER["model"].content.measures[index::count])
    done = Written()
    done.add(writer, len(mine))
    return done


Meanwhile = Callable[[PageWriter, list[str]], None]


def write_pages(model: SiteModel, options: Options, staged: Path,
                cache: BuildCache | None, meanwhile: Meanwhile) -> Written:
    """Write every page into `staged` (in forked workers for large sites), and the other
    files through `meanwhile(writer, page paths)`, in this process while the workers
    render; return all of them. What still matches the cache is linked from `options.out`.
    """
    previous = cache.previous_pages(options.out) if cache is not None else {}
    known = cache.record_digests() if cache is not None else {}
    site, specs = options.site, list(all_specs(model))
    done = Written(searchable=[s.path for s in specs if s.searchable])
    output.check_unique(paths := [s.path for s in specs])
    compiled = compiled_templates(options)
    renderer = Renderer(model, make_env(site / "templates", compiled))
    count = workers()
    if count > 1 and estimated_pages(model.content) >= PARALLEL_MIN_PAGES:
        _WORKER.update(model=model, site=site, specs=specs, count=count, staged=staged,
                       out=options.out, previous=previous, compiled=compiled, known=known,
                       packed=options.precompress,
                       made=first_folders(staged, paths) if previous else set())
        try:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                pending = pool.map_async(_render_chunk, range(count))
                writer = PageWriter(renderer, staged, options.out, previous, known,
                                    options.precompress)
                meanwhile(writer, paths)
                if cache is not None:
                    cache.save_records()  # while the workers still render
                for part in pending.get():
                    done.add(part, part.pages)
        finally:
            _WORKER.clear()
        done.add(writer, 0)
        return done
    writer = PageWriter(renderer, staged, options.out, previous, known, options.precompress)
    for spec in specs:
        writer.write(spec)
    write_measure_feeds(renderer, writer, model.content.measures)
    meanwhile(writer, paths)
    done.add(writer, len(specs))
    return done


def first_folders(staged: Path, paths: list[str]) -> set[str]:
    """Make the folders of the pages at `paths` in a fresh staging folder `staged`, one
    after the other, before the workers start; return them (else none, where `staged`
    holds a recycled tree, whose folders are there).

    A build that links most of its pages from the last one does little else: its two
    workers, making their pages' folders side by side in the same parent folder, took
    0,25 ms a folder (5.000 measures), one process alone 0,08 ms."""
    if any(os.scandir(staged)):
        return set()
    folders = sorted({path.rpartition("/")[0] for path in paths})
    writer = output.Writer(staged)
    for folder in folders:
        writer.make_folder(folder)
    return set(folders)


def write_measure_feeds(renderer: Renderer, writer: PageWriter,
                        measures: Sequence[m.Measure]) -> None:
    """Write the Atom feed of each of `measures`, compressed, as the pages are; a feed
    whose page, title and changes are unchanged is linked from the last build."""
    model, env = renderer.model, renderer.env
    for rel, shown in pages_time.measure_feeds(model, measures):
        writer.write_file(rel, shown, partial(pages_time.render_feed, env, model, *shown))


def compiled_templates(options: Options) -> Path | None:
    """Where compiled templates are kept between builds (with the build cache only).

    In the user's cache folder (`$XDG_CACHE_HOME/dmoves-site/templates`, else
    `~/.cache/…`), like Python's own compiled modules: the theme's templates are the
    tool's, the same for every site, and compiling them takes about half a second. Each is
    keyed by its file and checked against its source, so a site's own templates can share
    the folder. Where it cannot be written, the site's `.cache/templates` is used.
    """
    if not options.cache:
        return None
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(home) / "dmoves-site" / "templates",
                   options.site / ".cache" / "templates"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (OSError, RuntimeError):  # RuntimeError: no home folder
            continue
        if os.access(folder, os.W_OK):
            return folder
    return None


def inside(path: Path, base: Path) -> bool:
    """True if `path`, with every link resolved, lies inside `base`."""
    try:
        return path.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def static_link_problems(site: Path) -> list[Problem]:
    """Links in the site's static/ that point outside it: their targets are never copied."""
    base = site / "static"
    if not base.is_dir():
        return []
    return [Problem(f"static/{path.relative_to(base).as_posix()}", 0, "datei",
                    "Verknüpfung (Symlink) zeigt aus static/ heraus", "error",
                    "nur Dateien innerhalb von static/ werden veröffentlicht")
            for path in sorted(base.rglob("*")) if path.is_symlink() and not inside(path, base)]


def static_files(site: Path, content: m.Content) -> dict[str, Path]:
    """Theme assets, source documents and update images, by output path."""
    result: dict[str, Path] = {}
    for base in (THEME / "static", site / "static"):
        if base.is_dir():
            for file in sorted(base.rglob("*")):
                if file.is_file() and inside(file, base):
                    result[routes.asset(file.relative_to(base).as_posix())] = file
    for source in content.sources:
        if source.file:
            result[routes.source_document(source.id)] = site / "content" / source.file
    for update in content.updates:
        if update.image:
            result[routes.media(update.image)] = site / "content" / update.image
    if content.site.logo is not None:
        result[routes.media(content.site.logo.file)] = site / "content" / content.site.logo.file
    return result


def build(options: Options, render_images: object = None) -> Report:
    """Build the site into `options.out`; on any error the old output stays as it was."""
    start = time.perf_counter()
    cache = BuildCache(options.site) if options.cache else None
    content, report = check(options.site, options.drafts,
                            cache.record_cache() if cache is not None else None, options.strict)
    if content is None or report.errors:
        return report
    refusal = out_problem(options.out)
    if refusal is not None:
        report.problems.append(refusal)
        return report
    model = make_model(content, report, options)
    if options.images and render_images is not None:
        images_report = render_images(model, options)  # type: ignore[operator]
        report.problems += images_report
        if any(p.severity == "error" for p in images_report):
            return report
    try:
        counts = write_output(model, content, options, report, cache)
    except OSError as exc:  # read-only, full, not a folder: the old output is untouched
        report.problems.append(write_problem(options.out, exc))
        return report
    if counts is not None:
        (report.pages, report.files), report.written = counts, True
    report.seconds = time.perf_counter() - start
    return report


def out_problem(out: Path) -> Problem | None:
    """Why `out` must not be replaced (a file, or a folder that is not ours)."""
    if out.exists() and not out.is_dir():
        return Problem(str(out), 0, "--out", "ist eine Datei, kein Ordner", "error",
                       "einen Ordner angeben (er wird angelegt, wenn es ihn nicht gibt)")
    if not output.is_ours_or_empty(out):
        return Problem(str(out), 0, "--out", "Zielordner ist nicht leer und wurde nicht von "
                       "dmoves-site erzeugt", "error", "einen leeren oder eigenen Ordner angeben")
    return None


WRITE_ERRORS = {errno.EROFS: "das Dateisystem ist schreibgeschützt",
                errno.ENOSPC: "kein Speicherplatz mehr frei",
                errno.EDQUOT: "das Speicherkontingent ist erschöpft",
                errno.EACCES: "keine Schreibberechtigung", errno.EPERM: "keine Schreibberechtigung",
                errno.ENOTDIR: "ein Teil des Pfads ist eine Datei, kein Ordner",
                errno.EEXIST: "ein Teil des Pfads ist eine Datei, kein Ordner",
                errno.ENAMETOOLONG: "ein Dateiname ist zu lang"}


def write_problem(out: Path, exc: OSError) -> Problem:
    """A failed write as a problem of the output folder."""
    reason = WRITE_ERRORS.get(exc.errno or 0) or exc.strerror or str(exc)
    return Problem(str(out), 0, "--out", f"Schreiben fehlgeschlagen: {reason}", "error",
                   "Speicherplatz und Rechte prüfen oder mit --out einen anderen Ordner angeben")


def write_output(model: SiteModel, content: m.Content, options: Options, report: Report,
                 cache: BuildCache | None = None) -> tuple[int, int] | None:
    """Render and write into a staging folder, then swap it in: (pages, files) or None."""
    if cache is not None:
        staged, recycled = output.recycled_staging(options.out, cache.spare)
    else:
        staged, recycled = output.staging_dir(options.out), False
    try:
        done, written = stage_site(model, options, staged, cache)
        if recycled:
            output.remove_unlisted(staged, done.paths)
        if model.search:
            failure = searchindex.run_pagefind(staged, done.searchable)
            if failure:
                report.problems.append(Problem("pagefind", 0, "suche", "Suchindex konnte "
                                               f"nicht erzeugt werden: {failure}", "error"))
                output.discard(staged)
                return None
        if options.precompress:
            output.precompress(staged, options.out if options.out.is_dir() else None)
        old = output.swap(staged, options.out)
    except BaseException:
        output.discard(staged)
        raise
    if old is not None and old == staged and cache is not None:
        output.keep_tree(old, cache.spare)  # swapped in one step: `staged` is the old tree
    elif old is not None:
        output.discard(old)
    if cache is not None:
        cache.new_pages = done.entries
        cache.save(options.out)
    report.rendered = done.rendered
    return done.pages, written


def stage_site(model: SiteModel, options: Options, staged: Path, cache: BuildCache | None
               ) -> tuple[Written, int]:
    """Render (or reuse) and write every file into `staged`; return (pages, files written)."""
    def other(writer: PageWriter, paths: list[str]) -> None:
        env = writer.renderer.env
        files = plain_files(model, env, writer.renderer, paths)
        groups = file_groups(model, env)
        statics = static_files(options.site, model.content)
        images = model_images(model, options)
        output.check_unique(paths, files, [n for g in groups for n in g.names], statics,
                            images)
        writer.writer.write_all(files, options.precompress)
        for group in groups:
            writer.write_group(group)
        writer.writer.copy_all(statics)
        writer.writer.write_all(images)

    done = write_pages(model, options, staged, cache, other)
    return done, len(done.paths)


def estimated_pages(content: m.Content) -> int:
    return len(content.measures) + len(content.updates) + len(content.sources)


def model_images(model: SiteModel, options: Options) -> dict[str, bytes]:
    """The rendered chart images (from the cache) to place in the output."""
    from dmoves_site import images  # local: images pulls in kaleido only when used

    if not options.images or not model.images:
        return {}
    return images.image_files(model, options)
