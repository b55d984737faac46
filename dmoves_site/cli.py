"""Command line: `dmoves-site build | check | serve | new | publish | import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dmoves_site.importers import KINDS as IMPORT_KINDS
from dmoves_site.problems import Problem

if TYPE_CHECKING:
    from dmoves_site.publish import Result

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
IMAGES_OPTION = click.option("--images/--no-images", default=True, show_default=True,
                             help="Render PNG/SVG chart images (needs Chromium and kaleido).")
SEARCH_OPTION = click.option("--search/--no-search", default=True, show_default=True,
                             help="Build the Pagefind search index.")


def print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(problem.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--site", "site", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True,
              help="Folder of the site (holds content/ and optionally templates/).")
@click.version_option(package_name="dmoves-site")
@click.pass_context
def main(ctx: click.Context, site: Path) -> None:
    """Build a city's digitalisation dashboard from content/ (start one with `init`)."""
    ctx.obj = site.resolve()


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <site>/build).")
@click.option("--drafts/--no-drafts", default=False, show_default=True,
              help="Include drafts (for preview only).")
@IMAGES_OPTION
@SEARCH_OPTION
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse what did not change since the last build (.cache/build/).")
@click.option("--precompress/--no-precompress", default=False, show_default=True,
              help="Write .gz and .br copies of every text file (publish always does).")
@click.pass_obj
def build(site: Path, out: Path | None, drafts: bool, images: bool, search: bool,
          cache: bool, precompress: bool) -> None:
    """Load, validate, render and write the site atomically."""
    from dmoves_site import build as b

    options = b.Options(site, (out or site / "build").resolve(), drafts, images, search,
                        cache=cache, precompress=precompress)
    renderer = None
    if images:
        from dmoves_site.images import render_images
        renderer = render_images
    report = b.build(options, renderer)
    print_problems(report.problems)
    if report.errors:
        click.echo(f"{len(report.errors)} Fehler – nichts geschrieben, {options.out} ist "
                   "unverändert.", err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(f"{report.pages} Seiten, {report.files} Dateien nach {options.out} geschrieben "
               f"({report.seconds:.2f} s, {len(report.warnings)} Warnungen). "
               f"Öffnen: {options.out / 'index.html'}")
    if report.rendered < report.pages:
        click.echo(f"{report.pages - report.rendered} unveränderte Seiten aus dem letzten "
                   "Build übernommen (.cache/build/).")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--drafts/--no-drafts", default=True, show_default=True)
@click.pass_obj
def check(site: Path, fmt: str, drafts: bool) -> None:
    """Validate content/ without writing anything."""
    from dmoves_site import build as b
    from dmoves_site.buildcache import BuildCache

    # files unchanged since the last build are not validated again (the cache is only read)
    _content, report = b.check(site, drafts, BuildCache(site).record_cache())
    if fmt == "json":
        click.echo(json.dumps({"errors": len(report.errors), "warnings": len(report.warnings),
                               "problems": [p.as_dict() for p in sorted(report.problems)]},
                              ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print_problems(report.problems)
        click.echo(f"{len(report.errors)} Fehler, {len(report.warnings)} Warnungen.", err=True)
    sys.exit(EXIT_CONTENT if report.errors else EXIT_OK)


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port of the preview (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: only this computer).")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show drafts (marked 'Entwurf – nicht veröffentlicht').")
@click.pass_obj
def serve(site: Path, port: int, host: str, drafts: bool) -> None:
    """Preview the site in the browser; rebuild and reload on every saved change."""
    from dmoves_site import serve as sv

    sys.exit(sv.run(site, host, port, drafts, click.echo))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="Title of the site.")
@click.option("--publisher", default=None, help='Publisher, e.g. "Stadt Musterstadt".')
@click.option("--base-url", default=None, help="Address the site is published at (ends in /).")
def init(folder: Path, title: str | None, publisher: str | None, base_url: str | None) -> None:
    """Create a new site in FOLDER (new or empty) from a neutral starter."""
    from dmoves_site import starter

    given = {"title": title, "publisher": publisher, "base_url": base_url}
    options = starter.Options(**{k: v for k, v in given.items() if v is not None})
    try:
        written = starter.init_site(folder, options)
    except starter.InitError as exc:
        click.echo(f"{exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Neue Website angelegt: {folder} ({len(written)} Dateien).")
    click.echo(f"Nächste Schritte: cd {folder}, dann `dmoves-site check`, `dmoves-site serve`; "
               "Hinweise für Ihr Team stehen in README.md.")


@main.group()
def new() -> None:
    """Create a new update or measure from a commented template."""


@new.command("update")
@click.argument("title")
@click.option("--date", "date", default=None, help="Publication date YYYY-MM-DD (default: today).")
@click.option("--measure", "measures", multiple=True, metavar="ID",
              help="Measure the update is about (repeatable).")
@click.option("--program", "programs", multiple=True, metavar="ID",
              help="Program the update is about (repeatable).")
@click.option("--draft/--no-draft", default=True, show_default=True,
              help="Mark as draft (shown in the preview only).")
@click.pass_obj
def new_update(site: Path, title: str, date: str | None, measures: tuple[str, ...],
               programs: tuple[str, ...], draft: bool) -> None:
    """Create content/updates/<date>-<slug>.md."""
    from dmoves_site import scaffold

    try:
        path = scaffold.new_update(site, title, date, measures, programs, draft)
    except scaffold.ScaffoldError as exc:
        click.echo(f"{exc}\nNichts angelegt.", err=True)
        sys.exit(EXIT_CONTENT)
    _created(site, path, draft)


@new.command("measure")
@click.argument("title")
@click.option("--program", required=True, metavar="ID", help="Program of the measure.")
@click.option("--status", default="geplant", show_default=True,
              help="geplant, in_umsetzung, abgeschlossen, zurueckgestellt or "
                   "eingestellt.")
@click.option("--draft/--no-draft", default=True, show_default=True,
              help="Mark as draft (shown in the preview only).")
@click.pass_obj
def new_measure(site: Path, title: str, program: str, status: str, draft: bool) -> None:
    """Create content/measures/<slug>.md."""
    from dmoves_site import scaffold

    try:
        path = scaffold.new_measure(site, title, program, status, draft)
    except scaffold.ScaffoldError as exc:
        click.echo(f"{exc}\nNichts angelegt.", err=True)
        sys.exit(EXIT_CONTENT)
    _created(site, path, draft)


def _created(site: Path, path: Path, draft: bool) -> None:
    from dmoves_site import scaffold

    click.echo(f"Angelegt: {scaffold.relative(path, site)}")
    click.echo("Nächste Schritte: Datei öffnen, Text schreiben, mit `dmoves-site serve` "
               "ansehen.")
    if draft:
        click.echo("Die Datei ist ein Entwurf (draft: true): zum Veröffentlichen "
                   "`draft: false` setzen.")


@main.command()
@click.argument("target")
@click.option("--dry-run/--no-dry-run", default=False, show_default=True,
              help="Only show what would change.")
@click.option("--rollback", is_flag=True, default=False,
              help="Switch a web server target back to the previous release.")
@IMAGES_OPTION
@SEARCH_OPTION
@click.pass_obj
def publish(site: Path, target: str, dry_run: bool, rollback: bool, images: bool,
            search: bool) -> None:
    """Build, check and replace the site at TARGET (folder or user@host:path)."""
    from dmoves_site import publish as pb

    with pb.reporting():  # a Ctrl-C after the work no longer cuts off what is live
        sys.exit(_report(pb.publish(pb.Request(site, target, dry_run, images, search,
                                               rollback)), target, dry_run))


def _report(result: Result, target: str, dry_run: bool) -> int:
    """Print what `publish` found and did; the exit code."""
    from dmoves_site.publish import Changes

    if result.refused:
        click.echo(result.refused, err=True)
        return EXIT_USAGE
    print_problems(result.problems)
    if result.errors:
        click.echo(f"{len(result.errors)} Fehler – nichts veröffentlicht, {target} ist "
                   "unverändert.", err=True)
        return EXIT_CONTENT
    for draft in result.drafts:
        click.echo(f"Nicht veröffentlicht, weil Entwurf (draft: true): {draft}")
    changes = result.changes or Changes()
    if result.changes is not None:
        for line in changes.lines():
            click.echo(line)
    return _published(result, target, dry_run, bool(changes))


def _published(result: Result, target: str, dry_run: bool, changed: bool) -> int:
    """Print the outcome and what is live; the exit code."""
    if result.interrupted:
        click.echo("Abgebrochen.", err=True)
    elif result.failed:
        click.echo(result.failed, err=True)
    if dry_run:
        click.echo(f"Probelauf: nichts veröffentlicht. Ohne --dry-run wird {target} ersetzt.")
    elif result.published:
        click.echo(f"Veröffentlicht: {target}")
    elif not (result.failed or result.interrupted) and not changed:
        click.echo(f"Keine Änderungen: {target} ist schon aktuell.")
    else:
        click.echo("Nichts veröffentlicht.", err=True)
    if result.live:
        click.echo(result.live)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_CONTENT if result.failed and not result.published else EXIT_OK


@main.command("import")
@click.argument("kind", type=click.Choice(IMPORT_KINDS))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column (or front matter key) of a field, if its heading is not known.")
@click.option("--sheet", default=None, metavar="NAME", help="Sheet of an XLSX file.")
@click.option("--source", default="", metavar="ID",
              help="Source record the imported rows cite (ozg, budget, measures).")
@click.option("--unit", default="", metavar="UNIT", help="Unit of a budget table (TEUR, EUR, …).")
@click.option("--id", "table_id", default="", metavar="ID", help="Id of the budget table.")
@click.option("--dry-run/--no-dry-run", default=False, show_default=True,
              help="Only show what would be written.")
@click.option("--force/--no-force", default=False, show_default=True,
              help="Also overwrite files edited since they were imported.")
@click.pass_obj
def import_(site: Path, kind: str, file: Path, maps: tuple[str, ...], sheet: str | None,
            source: str, unit: str, table_id: str, dry_run: bool, force: bool) -> None:
    """Import a CSV/XLSX table or a folder of Markdown files into content/."""
    from dmoves_site.importers import run as im
    from dmoves_site.importers.columns import parse_maps

    try:
        request = im.Request(kind, site, file.resolve(), str(file), parse_maps(maps), sheet,
                             source, unit, table_id, dry_run, force)
        summary = im.run_import(request)
    except im.TableError as exc:
        click.echo(f"{file}: {exc}\nNichts geschrieben.", err=True)
        sys.exit(EXIT_USAGE)
    for line in summary.row_errors:
        click.echo(line, err=True)
    for line in summary.lines(dry_run):
        click.echo(line)
    if summary.row_errors:
        sys.exit(EXIT_CONTENT)
