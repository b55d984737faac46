"""The preview state: build in memory, swap whole builds in under a lock, rebuild on change."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from dmoves_site import build as b
from dmoves_site import output
from dmoves_site.problems import Problem
from dmoves_site.render import THEME
from dmoves_site.serve.deps import PageCache, StaticFiles
from dmoves_site.serve.watch import POLL_SECONDS, Watcher

LAST_GOOD = "/__letzter-stand"


def seconds(value: float) -> str:
    """'0,31 s': a duration for German console messages."""
    return f"{value:.2f} s".replace(".", ",")


@dataclass(frozen=True, slots=True)
class State:
    """One complete, consistent view of the preview: what every request is served from."""

    version: str
    files: dict[str, bytes] = field(default_factory=dict)       # last good build
    errors: tuple[Problem, ...] = ()                              # non-empty: content broken
    base_path: str = "/"
    drafts: frozenset[str] = frozenset()
    built_at: str = ""


@dataclass(slots=True)
class Outcome:
    """The result of one rebuild, before the server gets it."""

    files: dict[str, bytes] | None
    problems: list[Problem]
    base_path: str = "/"
    drafts: frozenset[str] = frozenset()
    pages: int = 0
    rendered: int = 0
    load_seconds: float = 0.0
    seconds: float = 0.0


class Preview:
    """Builds the site in memory, watches its folders and hands out the current State."""

    def __init__(self, site: Path, drafts: bool = True,
                 echo: Callable[[str], None] = print) -> None:
        self.site = site
        self.drafts = drafts
        self.echo = echo
        self.cache = PageCache(site)
        self.file_cache: dict[str, Any] = {}   # parsed content files, by path and mtime
        self.statics = StaticFiles()
        self.boot = format(time.time_ns(), "x")
        self.count = 0
        self.lock = threading.Condition()       # guards `state`; waiters hear of changes
        self.building = threading.Lock()         # one rebuild at a time (cache is not shared)
        self.stopping = False
        self.state = State(self.version_id())
        self.template_roots = [site / "templates", THEME / "templates"]
        self.watcher = Watcher([site / "content", *self.template_roots, site / "static",
                                THEME / "static"])
        self.last_seconds = 0.0

    def version_id(self) -> str:
        return f"{self.boot}-{self.count}"

    def current(self) -> State:
        with self.lock:
            return self.state

    # rebuilding

    def build(self) -> Outcome:
        """Load, validate and render everything that changed; never raises for content."""
        start = time.perf_counter()
        try:
            content, report = b.check(self.site, self.drafts, self.file_cache, strict=False)
            load_seconds = time.perf_counter() - start
            if content is None or report.errors:
                return Outcome(None, report.errors, load_seconds=load_seconds)
            # Options.out is never written: the preview keeps the site in memory
            options = b.Options(self.site, self.site / "build", self.drafts, images=False,
                                search=False)
            model = b.make_model(content, report, options)
            self.cache.begin(model)
            files, pages = b.render_files(model, self.site, self.cache.render)
            statics, problems = self.statics.read(b.static_files(self.site, content))
            if problems:
                return Outcome(None, problems, load_seconds=load_seconds)
            output.add(files, statics)
        except jinja2.TemplateError as exc:
            self.cache.templates_changed()
            return Outcome(None, [template_problem(exc)])
        except Exception as exc:  # a bug: keep the preview alive and show it
            traceback.print_exc()
            self.cache.templates_changed()
            return Outcome(None, [Problem("dmoves-site", 0, "vorschau",
                                          f"interner Fehler: {exc!r}", "error",
                                          "Details stehen im Terminal; bitte melden")])
        return Outcome(files, [], model.base_path, frozenset(self.cache.drafts), pages,
                       self.cache.rendered, load_seconds, time.perf_counter() - start)

    def install(self, outcome: Outcome) -> tuple[int, bool]:
        """Swap the outcome in atomically; return (files changed, whether pages reload)."""
        with self.lock:
            old = self.state
            if outcome.files is None:
                if old.errors == tuple(outcome.problems):
                    return 0, False
                new = dataclasses.replace(old, errors=tuple(outcome.problems))
                changed = 0
            else:
                changed = count_changed(old.files, outcome.files)
                if not changed and not old.errors and old.files:
                    return 0, False
                new = State("", outcome.files, (), outcome.base_path, outcome.drafts,
                            time.strftime("%H:%M:%S"))
            self.count += 1
            self.state = dataclasses.replace(new, version=self.version_id())
            self.lock.notify_all()
            return changed, True

    def rebuild(self, changed: list[str]) -> Outcome:
        """Rebuild after `changed` files changed, swap it in, and report on the console."""
        with self.building:
            if any(self.is_template(p) for p in changed):
                self.cache.templates_changed()
            outcome = self.build()
            files_changed, reloads = self.install(outcome)
        self.report(outcome, changed, files_changed, reloads)
        return outcome

    def is_template(self, path: str) -> bool:
        return any(path.startswith(str(root) + os.sep) for root in self.template_roots)

    def report(self, outcome: Outcome, changed: list[str], files_changed: int,
               reloads: bool) -> None:
        stamp = time.strftime("%H:%M:%S")
        what = ", ".join(self.short(p) for p in changed[:3]) + (" …" if len(changed) > 3 else "")
        prefix = f"{stamp} {what}: " if what else f"{stamp} "
        if outcome.files is None:
            self.echo(f"{prefix}{len(outcome.problems)} Fehler – im Browser steht die "
                      "Fehlerseite, die letzte fehlerfreie Fassung bleibt unter "
                      f"{LAST_GOOD}/ erreichbar:")
            for problem in outcome.problems:
                self.echo("  " + problem.format())
            return
        self.last_seconds = outcome.seconds
        self.echo(f"{prefix}neu erstellt in {seconds(outcome.seconds)} (Laden "
                  f"{seconds(outcome.load_seconds)}, {outcome.rendered} von {outcome.pages} "
                  f"Seiten neu gerendert, {files_changed} Dateien ausgetauscht"
                  f"{'' if reloads else ', keine Änderung'})")

    def short(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.site).as_posix()
        except ValueError:
            return Path(path).name

    # watching

    def poll(self) -> bool:
        """Look for changes once; rebuild if there are any. True if it rebuilt."""
        changed = self.watcher.changes()
        if changed:
            self.rebuild(changed)
        return bool(changed)

    def start(self) -> Outcome:
        """The first build."""
        with self.building:
            self.watcher.start()
            outcome = self.build()
            self.install(outcome)
        self.last_seconds = outcome.seconds
        return outcome

    def watch(self, interval: float = POLL_SECONDS) -> None:
        """Poll until stop() is called."""
        while not self.stopped(interval):
            self.poll()

    def stopped(self, timeout: float) -> bool:
        with self.lock:
            if not self.stopping:
                self.lock.wait(timeout)
            return self.stopping

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            self.lock.notify_all()
        self.watcher.stop()

    def wait_for(self, seen: str | None, timeout: float) -> str | None:
        """Block until the version differs from `seen` (or timeout); None when stopping."""
        with self.lock:
            self.lock.wait_for(lambda: self.stopping or self.state.version != seen, timeout)
            return None if self.stopping else self.state.version


def template_problem(exc: jinja2.TemplateError) -> Problem:
    """A template error as a Problem with file and line where Jinja knows them."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", 0) or 0
    return Problem(str(name), line, "template", f"Vorlagenfehler: {exc.message or exc!r}",
                   "error", "die zuletzt geänderte Vorlage prüfen")


def count_changed(old: dict[str, bytes], new: dict[str, bytes]) -> int:
    """How many files differ between two builds (added, changed or removed)."""
    return sum(1 for rel in old.keys() | new.keys() if old.get(rel) != new.get(rel))
