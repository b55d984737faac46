"""Command line: `dmoves-site build | check | serve | new | publish`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dmoves_site.problems import Problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


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
    """Build the Digital MoveS transparency dashboard from content/."""
    ctx.obj = site.resolve()


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <site>/build).")
@click.option("--drafts/--no-drafts", default=False, show_default=True,
              help="Include drafts (for preview only).")
@click.option("--images/--no-images", default=True, show_default=True,
              help="Render PNG/SVG chart images (needs Chromium and kaleido).")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Build the Pagefind search index.")
@click.pass_obj
def build(site: Path, out: Path | None, drafts: bool, images: bool, search: bool) -> None:
    """Load, validate, render and write the site atomically."""
    from dmoves_site import build as b

    options = b.Options(site, (out or site / "build").resolve(), drafts, images, search)
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


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--drafts/--no-drafts", default=True, show_default=True)
@click.pass_obj
def check(site: Path, fmt: str, drafts: bool) -> None:
    """Validate content/ without writing anything."""
    from dmoves_site import build as b

    _content, report = b.check(site, drafts)
    if fmt == "json":
        click.echo(json.dumps({"errors": len(report.errors), "warnings": len(report.warnings),
                               "problems": [p.as_dict() for p in sorted(report.problems)]},
                              ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print_problems(report.problems)
        click.echo(f"{len(report.errors)} Fehler, {len(report.warnings)} Warnungen.", err=True)
    sys.exit(EXIT_CONTENT if report.errors else EXIT_OK)
