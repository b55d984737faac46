"""Publish: build into a staging folder, check the result, then replace the site at TARGET.

TARGET is a local folder (swapped in with two renames, as `build` does) or
`user@host:path`, copied with `rsync -a --delete --delay-updates` so that the remote site
switches over near-atomically. Nothing is published when the content has errors or a
check of the built site fails (broken internal link, image without alt text, invalid
Atom feed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from dmoves_site import build as b
from dmoves_site import model as m
from dmoves_site import output, routes
from dmoves_site.load import load_content
from dmoves_site.problems import Problem

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = routes.FEED
REMOTE_RE = re.compile(r"^(?P<login>(?:[^@/:\s]+@)?[A-Za-z0-9][A-Za-z0-9._-]*):(?P<path>.*)$")
LINK_ATTRIBUTES = {"href", "src", "poster", "data-plotly"}
Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


class TargetRefused(Exception):
    """TARGET must not be replaced: the message (German) says why."""


# --- target ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Remote:
    """An rsync destination `user@host:path`."""

    login: str     # "user@host" or "host"
    path: str

    @property
    def destination(self) -> str:
        """The folder as rsync names it, with the trailing slash that means 'into'."""
        return f"{self.login}:{self.path.rstrip('/')}/"


def parse_remote(target: str) -> Remote | None:
    """`user@host:path` → Remote; local paths (also `./a:b`, `/x:y`) → None."""
    if target.startswith(("/", ".", "~")):
        return None
    match = REMOTE_RE.match(target)
    if match is None:
        return None
    path = match.group("path").strip()
    if path in ("", "/", "~", "~/", ".", "./"):
        raise TargetRefused(f"{target}: kein Zielordner angegeben – den Ordner der Website "
                            "nennen, z. B. user@host:/var/www/digital-moves")
    return Remote(match.group("login"), path)


def check_local_target(target: Path) -> None:
    """Refuse a file, or a non-empty folder that dmoves-site did not write."""
    if target.exists() and not target.is_dir():
        raise TargetRefused(f"{target} ist eine Datei, kein Ordner – nichts veröffentlicht")
    if not output.is_ours_or_empty(target):
        raise TargetRefused(f"{target} ist nicht leer und enthält keine dmoves-site-Ausgabe "
                            f"(Datei {output.MARKER} fehlt) – nichts veröffentlicht. Einen "
                            "leeren Ordner oder den Ordner einer früheren Veröffentlichung "
                            "angeben")


# --- checks of the built site -------------------------------------------------------------------


class PageScan(HTMLParser):
    """Collects the links (with their line) and the <img> tags of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []      # (line, attribute, url)
        self.images: list[tuple[int, str | None]] = []   # (line, alt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        if tag == "img":
            self.images.append((line, values.get("alt")))
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append((line, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.links.append((line, name, url))

    handle_startendtag = handle_starttag


def link_target(page: str, url: str, base_url: str) -> str | None:
    """The output path an internal link points to; None for external links and anchors.

    Returns "" for a relative link that climbs out of the site.
    """
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    absolute = urljoin(base_url + page, url)
    if not absolute.startswith(base_url):
        return "" if not (parts.scheme or parts.netloc) else None
    path = unquote(urlsplit(absolute[len(base_url):]).path)
    return path + "index.html" if path == "" or path.endswith("/") else path


def scan_page(root: Path, rel: str, base_url: str, files: set[str]) -> list[Problem]:
    """Broken internal links and images without alt text of one page."""
    scan = PageScan()
    scan.feed((root / rel).read_text(encoding="utf-8"))
    scan.close()
    problems = []
    for line, attribute, url in scan.links:
        target = link_target(rel, url, base_url)
        if target is None or target in files or f"{target}/index.html" in files:
            continue
        problems.append(Problem(rel, line, attribute, f"Link {url!r} führt ins Leere",
                                "error", "das Ziel gibt es in der erstellten Website nicht"))
    for line, alt in scan.images:
        if not (alt or "").strip():
            problems.append(Problem(rel, line, "img", "Bild ohne Alternativtext (alt)",
                                    "error", "kurze Bildbeschreibung als alt-Text ergänzen "
                                    "(in Meldungen: image_alt)"))
    return problems


def check_feed(root: Path) -> list[Problem]:
    """The Atom feed parses and has id, title, updated, author and a self link."""
    file = root / FEED
    if not file.is_file():
        return [Problem(FEED, 0, "feed", "Atom-Feed fehlt", "error")]
    try:
        feed = ET.parse(file).getroot()  # our own output
    except ET.ParseError as exc:
        return [Problem(FEED, exc.position[0], "feed", f"Atom-Feed ist kein gültiges XML: "
                        f"{exc}", "error")]
    if feed.tag != f"{ATOM}feed":
        return [Problem(FEED, 1, "feed", "Wurzelelement ist nicht <feed> (Atom)", "error")]
    problems = missing_elements(feed, ("id", "title", "updated", "author/name"), "feed")
    if not any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link")):
        problems.append(Problem(FEED, 0, "feed", "Link mit rel=\"self\" fehlt", "error"))
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), start=1):
        problems += missing_elements(entry, ("id", "title", "updated"), f"entry[{number}]")
        if entry.find(f"{ATOM}link") is None:
            problems.append(Problem(FEED, 0, f"entry[{number}]", "Link fehlt", "error"))
    for element in feed.iter(f"{ATOM}id"):
        if not re.match(r"^https?://", element.text or ""):
            problems.append(Problem(FEED, 0, "id", f"id {element.text!r} ist keine "
                                    "vollständige Adresse", "error", "base_url prüfen"))
    return problems


def missing_elements(parent: ET.Element, paths: tuple[str, ...], where: str) -> list[Problem]:
    found = []
    for path in paths:
        element = parent.find("/".join(ATOM + part for part in path.split("/")))
        if element is None or not (element.text or "").strip():
            found.append(Problem(FEED, 0, where, f"<{path}> fehlt oder ist leer", "error"))
    return found


def check_site(root: Path, base_url: str) -> list[Problem]:
    """Every check of a built site; an empty list means it may be published."""
    files = set(tree_files(root))
    problems = []
    for rel in sorted(files):
        if rel.endswith(".html"):
            problems += scan_page(root, rel, base_url, files)
    return sorted(problems + check_feed(root))


# --- what changes ------------------------------------------------------------------------------


@dataclass(slots=True)
class Changes:
    """Relative paths added, changed and removed by a publication."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def lines(self) -> Iterator[str]:
        """The listing printed by `publish`."""
        for label, sign, paths in (("Neu", "+", self.added), ("Geändert", "~", self.changed),
                                   ("Entfernt", "-", self.removed)):
            if paths:
                yield f"{label} ({len(paths)}):"
                yield from (f"  {sign} {p}" for p in paths)
        yield (f"{len(self.added)} neu, {len(self.changed)} geändert, "
               f"{len(self.removed)} entfernt.")


def tree_files(root: Path) -> dict[str, Path]:
    """Every file under `root` by relative POSIX path."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def compare_trees(new: Path, old: Path) -> Changes:
    """What replacing `old` by `new` adds, changes and removes."""
    new_files, old_files = tree_files(new), tree_files(old)
    changes = Changes(sorted(new_files.keys() - old_files.keys()), [],
                      sorted(old_files.keys() - new_files.keys()))
    for rel in sorted(new_files.keys() & old_files.keys()):
        a, b_ = new_files[rel], old_files[rel]
        if a.stat().st_size != b_.stat().st_size or a.read_bytes() != b_.read_bytes():
            changes.changed.append(rel)
    return changes


def parse_itemized(text: str) -> Changes:
    """Changes from `rsync --itemize-changes` output (files only; folders are implied)."""
    changes = Changes()
    for line in text.splitlines():
        code, name = line[:11], line[12:]
        if not name or name.endswith("/"):
            continue
        if code.startswith("*deleting"):
            changes.removed.append(name)
        elif len(code) == 11 and code[0] in "<>c" and code[1] == "f":
            (changes.added if code[2:] == "+++++++++" else changes.changed).append(name)
    return changes


# --- rsync -------------------------------------------------------------------------------------


def rsync_command(staged: Path, remote: Remote, dry_run: bool) -> list[str]:
    """Copy the staged site to the remote folder; files switch over at the end of the run."""
    command = ["rsync", "-a", "--delete", "--delay-updates", "--itemize-changes"]
    if dry_run:
        command.append("--dry-run")
    return [*command, f"{staged}/", remote.destination]


def listing_command(remote: Remote) -> list[str]:
    """List the remote folder (to find the marker of a previous publication)."""
    return ["rsync", "--list-only", remote.destination]


def listing_names(text: str) -> set[str]:
    """Entry names of `rsync --list-only` output (permissions, size, date, time, name)."""
    names = set()
    for line in text.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5:
            names.add(parts[4])
    return names


def check_remote_target(remote: Remote, run: Runner) -> None:
    """Refuse a remote folder that has files but no marker of a previous publication."""
    done = run(listing_command(remote))
    if done.returncode != 0:
        if "No such file or directory" in (done.stderr or ""):
            return  # a new folder: rsync creates it
        raise TargetRefused(f"{remote.destination} ist nicht erreichbar (rsync "
                            f"{done.returncode}): {(done.stderr or '').strip()[-500:]}")
    names = listing_names(done.stdout) - {"."}
    if names and output.MARKER not in names:
        raise TargetRefused(f"{remote.destination} ist nicht leer und enthält keine "
                            f"dmoves-site-Ausgabe (Datei {output.MARKER} fehlt) – nichts "
                            "veröffentlicht")


def run_command(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=3600)
    except FileNotFoundError:
        return subprocess.CompletedProcess(command, 127, "", "rsync ist nicht installiert")


# --- the command -------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    """What `publish` did, for the command line to print."""

    problems: list[Problem] = field(default_factory=list)
    changes: Changes | None = None
    drafts: list[str] = field(default_factory=list)
    published: bool = False
    refused: str = ""
    failed: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True, slots=True)
class Request:
    """What to publish where."""

    site: Path
    target: str
    dry_run: bool = False
    images: bool = True
    search: bool = True


def draft_files(site: Path) -> list[str]:
    """Files of drafts: they are left out of the published site."""
    content, _problems = load_content(site / "content", drafts=True)
    if content is None:
        return []
    records: list[m.Measure | m.Update | m.Page] = [*content.measures, *content.updates,
                                                    *content.pages]
    return sorted(r.path for r in records if r.draft)


def stage(request: Request, staging: Path, result: Result) -> Path | None:
    """Build into `staging/site` and check it; None when anything failed."""
    out = staging / "site"
    renderer = None
    if request.images:
        from dmoves_site.images import render_images  # needs kaleido and Chromium
        renderer = render_images
    report = b.build(b.Options(request.site, out, False, request.images, request.search),
                     renderer)
    result.problems += report.problems
    if report.errors or not report.written:
        return None
    content, _report = b.check(request.site)
    base_url = content.site.base_url if content is not None else ""
    site_problems = check_site(out, base_url)
    result.problems += site_problems
    return None if site_problems else out


def publish(request: Request, run: Runner = run_command) -> Result:
    """Build, check and publish; on any failure nothing at the target changes."""
    result = Result()
    try:
        remote = parse_remote(request.target)
        local = None if remote is not None else Path(request.target).expanduser().resolve()
        if local is not None:
            check_local_target(local)
        elif remote is not None:
            check_remote_target(remote, run)
    except TargetRefused as exc:
        result.refused = str(exc)
        return result
    result.drafts = draft_files(request.site)
    beside = local is not None and not request.dry_run
    staging = (output.staging_dir(local) if beside and local is not None
               else Path(tempfile.mkdtemp(prefix="dmoves-site-publish-")))
    try:
        staged = stage(request, staging, result)
        if staged is None:
            return result
        if remote is not None:
            return publish_remote(staged, remote, request.dry_run, run, result)
        assert local is not None
        result.changes = compare_trees(staged, local)
        if not request.dry_run and result.changes:
            output.swap_in(staged, local)
            result.published = True
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish_remote(staged: Path, remote: Remote, dry_run: bool, run: Runner,
                   result: Result) -> Result:
    done = run(rsync_command(staged, remote, dry_run))
    if done.returncode != 0:
        result.failed = (f"rsync ist gescheitert ({done.returncode}): "
                         f"{(done.stderr or '').strip()[-1000:]}")
        return result
    result.changes = parse_itemized(done.stdout)
    result.published = not dry_run
    return result
