"""Publish: build into a staging folder, check the result, then replace the site at TARGET.

TARGET is a local folder (swapped in one step, as `build` does) or `user@host:path` on a
web server (a new release uploaded with rsync, then switched to with one symlink rename;
see `remote`). Nothing is published when the content has errors or a check of the built
site fails (broken internal link, image without alt text, invalid Atom feed).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dmoves_site import build as b
from dmoves_site import model as m
from dmoves_site import output
from dmoves_site import remote as rm
from dmoves_site.load import load_content
from dmoves_site.problems import Problem, printable
from dmoves_site.remote import Remote, Runner, TargetRefused
from dmoves_site.sitecheck import check_site, tree_files

__all__ = ["Changes", "Remote", "Request", "Result", "TargetRefused", "publish"]


def check_local_target(target: Path) -> None:
    """Refuse a file, or a non-empty folder that dmoves-site did not write."""
    if target.exists() and not target.is_dir():
        raise TargetRefused(f"{target} ist eine Datei, kein Ordner – nichts veröffentlicht")
    if not output.is_ours_or_empty(target):
        raise TargetRefused(f"{target} ist nicht leer und enthält keine dmoves-site-Ausgabe "
                            f"(Datei {output.MARKER} fehlt) – nichts veröffentlicht. Einen "
                            "leeren Ordner oder den Ordner einer früheren Veröffentlichung "
                            "angeben")


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
                yield from (f"  {sign} {printable(p)}" for p in paths)
        yield (f"{len(self.added)} neu, {len(self.changed)} geändert, "
               f"{len(self.removed)} entfernt.")


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
    live: str = ""          # what the web server shows afterwards (German, one line)
    interrupted: bool = False

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
    rollback: bool = False


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
    options = b.Options(request.site, out, False, request.images, request.search, strict=True,
                        precompress=True)
    report = b.build(options, renderer)
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
        remote = rm.parse_target(request.target)
        if remote is not None:
            state = rm.probe(remote, run)
            why = rm.refusal(remote, state)
            if why:
                raise TargetRefused(why)
            if request.rollback:
                return rollback(remote, state, run, result)
            return publish_remote(request, remote, state, run, result)
        local = Path(request.target).expanduser().resolve()
        check_local_target(local)
        if request.rollback:
            raise TargetRefused("--rollback gibt es nur für Ziele auf einem Webserver "
                                f"({rm.HINT}); ein lokaler Ordner behält keine frühere Fassung")
    except TargetRefused as exc:
        result.refused = str(exc)
        return result
    return publish_local(request, local, result)


def publish_local(request: Request, local: Path, result: Result) -> Result:
    """Build beside the folder and swap it in; a dry run builds in a temporary folder."""
    result.drafts = draft_files(request.site)
    staging = (Path(tempfile.mkdtemp(prefix="dmoves-site-publish-")) if request.dry_run
               else output.staging_dir(local))
    try:
        try:
            staged = stage(request, staging, result)
            if staged is not None:
                result.changes = compare_trees(staged, local)
                if not request.dry_run and result.changes:
                    output.swap(staged, local)  # the old tree lands in staging
                    result.published = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        hold_interrupts()
    except KeyboardInterrupt:  # Ctrl-C: the swap is one step, `published` tells
        result.interrupted = True
        hold_interrupts()
    if not request.dry_run and (result.changes is not None or result.interrupted):
        how = "die soeben gebaute Fassung" if result.published else "unverändert"
        result.live = f"Live: {local} ({how})."
    return result


def publish_remote(request: Request, remote: Remote, state: rm.State, run: Runner,
                   result: Result) -> Result:
    """Build locally, then upload a new release and switch to it."""
    result.drafts = draft_files(request.site)
    staging = Path(tempfile.mkdtemp(prefix="dmoves-site-publish-"))
    try:
        try:
            staged = stage(request, staging, result)
            if staged is not None:
                send(request, staged, remote, state, run, result)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        hold_interrupts()
    except KeyboardInterrupt:  # Ctrl-C, even while cleaning up: say what is live
        return interrupted(remote, state.current(remote), run, result)
    return result


def send(request: Request, staged: Path, remote: Remote, state: rm.State, run: Runner,
         result: Result) -> None:
    """List what changes; unless a dry run, upload and switch."""
    dry = run(rm.rsync_command(staged, remote, remote.path, "--dry-run"))
    if dry.returncode != 0:
        result.failed = rm.failure("rsync", dry)
        return
    result.changes = parse_itemized(dry.stdout)
    current = state.current(remote)
    if request.dry_run:
        return
    if not result.changes and current:
        result.live = live_line(remote, current, "unverändert")
        return
    upload_and_switch(staged, remote, state, run, result)


def upload_and_switch(staged: Path, remote: Remote, state: rm.State, run: Runner,
                      result: Result) -> None:
    """Upload into a hidden folder beside the releases, then switch the symlink to it."""
    current, new = state.current(remote), rm.release_name()
    previous = current or (rm.LEGACY if state.live == "dir" else "")
    incoming = f"{remote.releases}/.incoming-{new}"
    basis = link_basis(remote, state, current)
    steps = [("ssh", rm.remote_command(remote, "prepare", f"{output.folder_mode():o}")),
             ("rsync", rm.rsync_command(staged, remote, incoming, *basis)),
             ("ssh", rm.remote_command(remote, "switch", new, remote.link_value(new),
                                       rm.LEGACY))]
    for what, command in steps:
        done = run(command)
        if done.returncode == RSYNC_PARTIAL and what == "rsync" and basis:
            # some rsync builds reject files made against a basis folder ("failed
            # verification"): the same upload again, each file sent whole
            done = run(rm.rsync_command(staged, remote, incoming))
        if done.returncode != 0:
            result.failed = rm.failure(what, done)
            result.live = live_line(remote, current, "unverändert") if current else ""
            return
    result.published = True
    result.live = live_line(remote, new, "neu") + (
        f" Vorherige Fassung {previous} bleibt für `dmoves-site publish --rollback "
        f"{remote.login}:{remote.path}`." if previous else "")
    done = run(rm.remote_command(remote, "clean", *[r for r in (new, previous) if r]))
    if done.returncode != 0:
        result.failed = rm.failure("Aufräumen alter Fassungen", done)


RSYNC_PARTIAL = 23  # rsync's exit code when some files were not transferred


def link_basis(remote: Remote, state: rm.State, current: str) -> list[str]:
    """rsync's --link-dest: unchanged files of the live release (or of the live folder,
    before releases were used) are hard-linked, not sent. Absolute where the site's path
    is (rsync 3.2.7 of Debian 12 since its 2026 security update fails on '../' basis
    folders); else relative to the upload folder, as rsync reads it."""
    if current:
        folder = f"{remote.releases}/{current}"
        relative = f"../{current}"
    elif state.live == "dir":
        folder, relative = remote.path, f"../../{remote.name}"
    else:
        return []
    return [f"--link-dest={folder if folder.startswith('/') else relative}"]


def rollback(remote: Remote, state: rm.State, run: Runner, result: Result) -> Result:
    """Switch the site back to the release before the live one."""
    current = state.current(remote)
    older = [r for r in state.releases if current and r < current]
    if not older:
        result.refused = (f"{remote.login}:{remote.path}: keine frühere Fassung vorhanden – "
                          "nichts geändert")
        return result
    done = run(rm.remote_command(remote, "link", remote.link_value(older[-1])))
    if done.returncode != 0:
        result.failed = rm.failure("ssh", done)
        result.live = live_line(remote, current, "unverändert")
        return result
    result.published = True
    result.live = live_line(remote, older[-1], "zurückgeschaltet")
    return result


def interrupted(remote: Remote, before: str, run: Runner, result: Result) -> Result:
    """After Ctrl-C: ask the server which release is live (the switch is one step)."""
    result.interrupted = True
    hold_interrupts()
    try:
        after = rm.probe(remote, run).current(remote)
    except TargetRefused:
        result.live = (f"Live: unbekannt – {remote.login}:{remote.path} ist nicht "
                       "erreichbar.")
        return result
    result.published = after != before
    result.live = live_line(remote, after, "neu" if result.published else "unverändert")
    return result


_HELD: list[object] = []  # while `reporting` runs: the Ctrl-C handler it restores


@contextlib.contextmanager
def reporting() -> Iterator[None]:
    """Around a publication and the report of its outcome: once the work is over
    (`hold_interrupts`), a Ctrl-C no longer cuts off the line that says what is live."""
    if threading.current_thread() is not threading.main_thread() or _HELD:
        yield
        return
    _HELD.append(signal.getsignal(signal.SIGINT))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, _HELD.pop())  # type: ignore[arg-type]


def hold_interrupts() -> None:
    """The work is over (or was interrupted once): ignore Ctrl-C until `reporting` ends."""
    if _HELD:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def live_line(remote: Remote, release: str, how: str) -> str:
    """The line that says what the web server shows."""
    if not release:
        return f"Live: unter {remote.login}:{remote.path} ist keine Fassung veröffentlicht."
    return f"Live: {remote.login}:{remote.path} → Fassung {release} ({how})."
