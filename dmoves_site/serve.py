"""Preview: build in memory, rebuild on change, show problems in the browser, live-reload.

`dmoves-site serve` never writes to disk. The site lives in a map {relative path: bytes}
that is replaced as a whole under a lock, so a request sees either the old or the new
build, never a half-built one. A watcher polls the mtimes of content/, templates/ and
static/ (stdlib only); on a change it reloads the content and re-renders only the pages
whose inputs changed. Open pages reload through /__reload.js, which listens to
Server-Sent Events on /__events.

While the content has errors, every page request gets an error page (HTTP 500) that lists
each problem with its hint; the last good build stays available under /__letzter-stand/.
Search (Pagefind) and chart images are skipped in the preview.
"""

from __future__ import annotations

import dataclasses
import errno
import html
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

import jinja2

from dmoves_site import build as b
from dmoves_site import output, routes
from dmoves_site.problems import Problem
from dmoves_site.render import THEME, PageSpec, Renderer, SiteModel, make_env

POLL_SECONDS = 0.2
SETTLE_SECONDS = 0.03          # a save that is still being written settles within this
EVENTS_PATH = "/__events"
SCRIPT_PATH = "/__reload.js"
LAST_GOOD = "/__letzter-stand"
DRAFT_NOTE = "Entwurf – nicht veröffentlicht"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}
SPECIAL_TYPES = {routes.FEED: "application/atom+xml; charset=utf-8"}
HTML_TYPE = CONTENT_TYPES[".html"]
JS_TYPE = CONTENT_TYPES[".js"]

RELOAD_JS = """\
// dmoves-site preview: reload this page when the preview has a new build.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var source = new EventSource("/__events");
  source.onmessage = function (event) {
    if (event.data && event.data !== version) {
      source.close();
      window.location.reload();
    }
  };
  // EventSource reconnects by itself when the preview restarts.
})();
"""


def content_type(rel: str) -> str:
    """The Content-Type header for an output path."""
    if rel in SPECIAL_TYPES:
        return SPECIAL_TYPES[rel]
    return CONTENT_TYPES.get(Path(rel).suffix.lower(), "application/octet-stream")


def seconds(value: float) -> str:
    """'0,31 s': a duration for German console messages."""
    return f"{value:.2f} s".replace(".", ",")


# --- change detection ---------------------------------------------------------------------

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(roots: list[Path]) -> Snapshot:
    """mtime, size and inode of every file under `roots` (symlinked folders followed)."""
    found: Snapshot = {}
    for root in roots:
        for dirpath, _dirs, names in os.walk(root, followlinks=True):
            for name in names:
                path = Path(dirpath, name)
                try:
                    st = path.stat()
                except OSError:  # removed while we looked
                    continue
                found[str(path)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


def changed_paths(old: Snapshot, new: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots."""
    return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


# --- incremental rendering -----------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Deep equality that also tells apart values printed differently (1 and 1.0, 6.4 and 6.40).

    Used to decide whether a page can be reused: a false "different" costs a re-render,
    a false "same" would show a stale page, so unknown objects compare by `==`.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, Decimal):
        return bool(a.as_tuple() == b.as_tuple())
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return bool(a == b)


@dataclass(slots=True)
class CachedPage:
    """One rendered page and everything it was rendered from."""

    spec: PageSpec
    charts: list[Any]
    parts: dict[tuple[Any, ...], Any]       # shared parts it used (header and footer)
    html: bytes


class PageCache:
    """Renders pages, reusing the previous bytes of every page whose inputs are unchanged.

    A page's inputs are its PageSpec (typed context, title, crumbs), its charts, the
    context shared by all pages (site, programs, free pages, drafts, the lookups by id)
    and the shared header/footer it used (recorded while rendering).
    A template change re-renders all pages.
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self.env: jinja2.Environment | None = None
        self.pages: dict[str, CachedPage] = {}
        self.previous: dict[str, CachedPage] = {}
        self.common: dict[str, Any] | None = None
        self.renderer: Renderer | None = None
        self.shared_part: Callable[..., Any] | None = None
        self.parts: dict[tuple[Any, ...], Any] = {}
        self.full = True
        self.rendered = 0
        self.drafts: set[str] = set()

    def templates_changed(self) -> None:
        """Forget the compiled templates and every rendered page."""
        self.env = None
        self.pages = {}

    def begin(self, model: SiteModel) -> None:
        """Start a rebuild for `model`."""
        if self.env is None:
            self.env = make_env(self.site / "templates")
        self.renderer = Renderer(model, self.env)
        self.record_shared_parts(self.renderer)
        common = dict(self.renderer.common)
        self.full = self.common is None or not same(self.common, common)
        self.common = common
        self.rendered = 0
        self.drafts = set()
        self.previous, self.pages = self.pages, {}

    def record_shared_parts(self, renderer: Renderer) -> None:
        """Note which cached header/footer (`Renderer.chrome`) each page uses."""
        original = getattr(renderer, "chrome", None)
        self.shared_part = original
        if original is None:
            return

        def recorded(*key: Any) -> Any:
            value = original(*key)
            self.parts[key] = value
            return value

        setattr(renderer, "chrome", recorded)  # noqa: B010 - instance override on purpose

    def render(self, _renderer: Renderer, spec: PageSpec) -> bytes:
        """The hook for `build.render_files`: reuse or render one page."""
        renderer = self.renderer
        assert renderer is not None, "begin() first"
        charts = [renderer.model.chart_by_id[c] for c in spec.charts]
        if any(getattr(v, "draft", False) is True for v in spec.context.variables().values()):
            self.drafts.add(spec.path)
        old = self.previous.get(spec.path)
        if old is not None and self.reusable(old, spec, charts):
            self.pages[spec.path] = old
            return old.html
        self.parts = {}
        html_bytes = renderer.render(spec)
        self.pages[spec.path] = CachedPage(spec, charts, self.parts, html_bytes)
        self.rendered += 1
        return html_bytes

    def reusable(self, old: CachedPage, spec: PageSpec, charts: list[Any]) -> bool:
        if self.full or not same(old.spec, spec) or not same(old.charts, charts):
            return False
        part = self.shared_part
        return part is None or all(part(*key) == value for key, value in old.parts.items())


class StaticFiles:
    """Reads static files (theme assets, documents, images), re-reading only changed ones."""

    def __init__(self) -> None:
        self.cache: dict[Path, tuple[tuple[int, int], bytes]] = {}

    def read(self, sources: dict[str, Path]) -> tuple[dict[str, bytes], list[Problem]]:
        files: dict[str, bytes] = {}
        problems: list[Problem] = []
        for rel, path in sources.items():
            try:
                st = path.stat()
                stamp = (st.st_mtime_ns, st.st_size)
                cached = self.cache.get(path)
                if cached is None or cached[0] != stamp:
                    cached = (stamp, path.read_bytes())
                    self.cache[path] = cached
                files[rel] = cached[1]
            except OSError as exc:
                problems.append(Problem(str(path), 0, "datei", f"nicht lesbar: {exc.strerror}",
                                        "error", "Pfad in content/ prüfen"))
        return files, problems


# --- the preview state ----------------------------------------------------------------------


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
        self.roots = [site / "content", *self.template_roots, site / "static", THEME / "static"]
        self.seen: Snapshot = {}
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
            content, report = b.check(self.site, self.drafts, self.file_cache)
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
        now = snapshot(self.roots)
        changed = changed_paths(self.seen, now)
        if not changed:
            return False
        for _ in range(30):  # let a save that is still being written finish
            time.sleep(SETTLE_SECONDS)
            settled = snapshot(self.roots)
            if settled == now:
                break
            changed = sorted(set(changed) | set(changed_paths(now, settled)))
            now = settled
        self.seen = now
        self.rebuild(changed)
        return True

    def start(self) -> Outcome:
        """The first build."""
        with self.building:
            self.seen = snapshot(self.roots)
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


# --- HTTP -----------------------------------------------------------------------------------


def inject(page: bytes, state: State, banner: str = "") -> bytes:
    """Add the reload script (and a banner) to one HTML page as it is served."""
    script = (f'<script src="{SCRIPT_PATH}" data-version="{state.version}"></script>\n'
              ).encode()
    if banner:
        start = page.find(b"<main")
        end = page.find(b">", start) + 1 if start >= 0 else 0
        if end:
            page = page[:end] + banner.encode("utf-8") + page[end:]
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def draft_banner() -> str:
    return (f'\n<p class="draft-banner" role="status">{DRAFT_NOTE}: Dieser Eintrag hat '
            '<code>draft: true</code> und erscheint nur in der Vorschau.</p>\n')


def last_good_banner() -> str:
    return ('\n<p class="draft-banner" role="status">Letzte fehlerfreie Fassung – die '
            'Inhalte enthalten gerade Fehler, siehe <a href="/">Fehlerseite</a>.</p>\n')


def error_page(state: State, rel: str) -> bytes:
    """The German error page shown for every page while the content has errors."""
    items = []
    for p in state.errors:
        where = f"{p.path}:{p.line}" if p.line else p.path
        hint = f'<br><span class="hint">Tipp: {html.escape(p.hint)}</span>' if p.hint else ""
        items.append(f"<li><code>{html.escape(where)}</code>: <strong>"
                     f"{html.escape(p.field)}</strong>: {html.escape(p.message)}{hint}</li>")
    if state.files:
        page = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        target = f"{LAST_GOOD}{state.base_path}{quote(page)}"
        last = (f'<p>Bis dahin zeigt die Vorschau die letzte fehlerfreie Fassung (erstellt um '
                f'{html.escape(state.built_at)}) unter <a href="{html.escape(target)}">'
                f"{html.escape(target)}</a>.</p>")
    else:
        last = "<p>Es gibt noch keine fehlerfreie Fassung, die angezeigt werden kann.</p>"
    count = len(state.errors)
    body = f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler in den Inhalten – Vorschau</title>
<style>
body {{ font: 1.05rem/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ color: #7a0019; }}
li {{ margin: 0 0 1rem; }}
code {{ background: #f3f3f3; padding: 0 .25rem; }}
.hint {{ color: #1d3f6e; }}
.banner {{ margin: 0; padding: .5rem 1rem; background: #7a0019; color: #fff; font-weight: 700; }}
</style>
</head>
<body>
<p class="banner" role="status">Vorschau – {DRAFT_NOTE}</p>
<main id="inhalt">
<h1>Die Vorschau kann nicht aktualisiert werden</h1>
<p>In den Inhalten {"steckt" if count == 1 else "stecken"} {count} Fehler. Jede Zeile nennt
Datei, Zeile und Feld. Beheben Sie die Stelle und speichern Sie die Datei: Diese Seite lädt
sich dann von selbst neu.</p>
<ol>
{chr(10).join(items)}
</ol>
{last}
<p>Die veröffentlichte Website ist davon nicht betroffen.</p>
</main>
</body>
</html>
"""
    return body.encode("utf-8")


class PreviewServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that serves the files of one Preview."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    """Serves the current State: pages, assets, the reload script and its event stream."""

    server_version = "dmoves-site-preview"

    @property
    def preview(self) -> Preview:
        return cast(PreviewServer, self.server).preview

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the console is for content problems, not for every request."""

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        try:
            if path == EVENTS_PATH and not head:
                self.events()
            elif path == SCRIPT_PATH:
                self.send(HTTPStatus.OK, RELOAD_JS.encode(), JS_TYPE, head)
            else:
                self.page(path, head)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def page(self, path: str, head: bool) -> None:
        state = self.preview.current()
        last_good = path == LAST_GOOD or path.startswith(LAST_GOOD + "/")
        if last_good:
            path = path[len(LAST_GOOD):] or "/"
        base = state.base_path
        if not path.startswith(base):
            if path in ("/", base.rstrip("/")):
                self.redirect(("" if not last_good else LAST_GOOD) + base)
                return
            self.missing(state, path.lstrip("/"), head, last_good)
            return
        rel = unquote(path[len(base):])
        if not rel or rel.endswith("/"):
            rel += "index.html"
        if ".." in rel.split("/"):
            self.missing(state, rel, head, last_good)
            return
        body = state.files.get(rel)
        if body is None and state.files.get(rel + "/index.html") is not None:
            self.redirect(("" if not last_good else LAST_GOOD) + path + "/")
            return
        is_page = body is None or rel.endswith(".html")
        if state.errors and is_page and not last_good:
            self.send(HTTPStatus.INTERNAL_SERVER_ERROR, inject(error_page(state, rel), state),
                      HTML_TYPE, head)
        elif body is None:
            self.missing(state, rel, head, last_good)
        elif rel.endswith(".html"):
            banner = last_good_banner() if last_good and state.errors else ""
            if rel in state.drafts:
                banner += draft_banner()
            self.send(HTTPStatus.OK, inject(body, state, banner), content_type(rel), head)
        else:
            self.send(HTTPStatus.OK, body, content_type(rel), head)

    def missing(self, state: State, rel: str, head: bool, last_good: bool) -> None:
        if state.errors and not last_good:
            self.send(HTTPStatus.INTERNAL_SERVER_ERROR, inject(error_page(state, rel), state),
                      HTML_TYPE, head)
            return
        page = state.files.get("404.html")
        if page is None:
            page = (b"<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>"
                    b"Nicht gefunden</title></head><body><h1>Seite nicht gefunden</h1></body>"
                    b"</html>\n")
        self.send(HTTPStatus.NOT_FOUND, inject(page, state), HTML_TYPE, head)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: HTTPStatus, body: bytes, ctype: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def events(self) -> None:
        """Server-Sent Events: the current version now and after every change."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 300\n\n")
        sent: str | None = None
        while True:
            version = self.preview.wait_for(sent, timeout=15)
            if version is None:
                return
            self.wfile.write(f"data: {version}\n\n".encode() if version != sent
                             else b": ping\n\n")
            self.wfile.flush()
            sent = version


# --- command --------------------------------------------------------------------------------


class BindError(Exception):
    """The address could not be bound: a German message for the console."""


def make_server(preview: Preview, host: str, port: int) -> PreviewServer:
    """Bind the preview server, translating the usual errors into German messages."""
    try:
        return PreviewServer((host, port), preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BindError(f"Port {port} ist schon belegt – mit --port eine andere Nummer "
                            "wählen, z. B. --port 8001") from exc
        if exc.errno == errno.EACCES:
            raise BindError(f"Port {port} darf nicht benutzt werden – eine Nummer über 1024 "
                            "wählen") from exc
        raise BindError(f"Adresse {host}:{port} nicht verfügbar: {exc.strerror}") from exc


@dataclass(slots=True)
class Running:
    """A started preview: its URL and how to stop it (used by `run` and by tests)."""

    preview: Preview
    server: PreviewServer
    threads: list[threading.Thread]

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{self.preview.current().base_path}"

    def stop(self) -> None:
        self.preview.stop()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def start(site: Path, host: str = "127.0.0.1", port: int = 0, drafts: bool = True,
          echo: Callable[[str], None] = print) -> Running:
    """Build once, then serve and watch in background threads."""
    preview = Preview(site, drafts, echo)
    server = make_server(preview, host, port)
    first = preview.start()
    if first.files is None:
        preview.report(first, [], 0, True)
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                name="preview-http", daemon=True),
               threading.Thread(target=preview.watch, name="preview-watch", daemon=True)]
    for thread in threads:
        thread.start()
    return Running(preview, server, threads)


def stop_on_sigterm() -> None:
    """Let `kill` (SIGTERM) stop the preview as cleanly as Ctrl-C."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def run(site: Path, host: str, port: int, drafts: bool, echo: Callable[[str], None]) -> int:
    """`dmoves-site serve`: run until Ctrl-C; return the exit code."""
    if not (site / "content").is_dir():
        echo(f"{site / 'content'}: Ordner nicht gefunden – mit --site den Ordner angeben, der "
             "content/ enthält")
        return 2
    stop_on_sigterm()
    running = None
    try:
        running = start(site, host, port, drafts, echo)
        greet(running, host, drafts, echo)
        while not running.preview.stopped(1.0):
            pass
    except BindError as exc:
        echo(str(exc))
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: no traceback
        if running is not None:
            running.stop()
    echo("Vorschau beendet.")
    return 0


def greet(running: Running, host: str, drafts: bool, echo: Callable[[str], None]) -> None:
    """The first lines on the console: how many pages, where, and how to stop."""
    state = running.preview.current()
    if not state.errors:
        pages = sum(1 for rel in state.files if rel.endswith(".html"))
        echo(f"{pages} Seiten erstellt in {seconds(running.preview.last_seconds)}.")
    echo(f"Vorschau{' mit Entwürfen' if drafts else ''}: {running.url}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo("Achtung: Die Vorschau ist im Netzwerk erreichbar.")
    echo("Änderungen in content/ und templates/ erscheinen nach dem Speichern von selbst. "
         "Suche und Diagrammbilder sind in der Vorschau abgeschaltet. Beenden mit Strg+C.")
