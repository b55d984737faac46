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

`watch` finds changed files, `deps` reuses pages by what they recorded while rendering,
`state` holds the Preview (builds and the State requests see), `server` answers HTTP,
`command` binds and runs it.
"""

from dmoves_site.serve.command import BindError, Running, make_server, run, start
from dmoves_site.serve.deps import PageCache, same
from dmoves_site.serve.server import content_type, error_page, inject
from dmoves_site.serve.state import Outcome, Preview, State
from dmoves_site.serve.watch import changed_paths, snapshot

__all__ = [
    "BindError", "Outcome", "PageCache", "Preview", "Running", "State", "changed_paths",
    "content_type", "error_page", "inject", "make_server", "run", "same", "snapshot", "start",
]
