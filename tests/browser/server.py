"""A local static file server for a built site, as a static host would serve it.

The site is served under the path of its `base_url` (e.g. `/digital-moves/`), so absolute
links of the 404 page and every relative link are exercised as in production. Unknown
paths get the site's own `404.html` with status 404, like a host configured for it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def __init__(self, *args: object, prefix: str, **kwargs: object) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-base-path" / "missing")
        return super().translate_path("/" + url_path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


class StaticServer:
    """Serve `root` at http://127.0.0.1:<free port><prefix> from a background thread."""

    def __init__(self, root: Path, prefix: str = "/") -> None:
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        self.root = root
        self.prefix = prefix
        handler = functools.partial(_Handler, directory=str(root), prefix=prefix)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name=f"static-server-{root.name}")

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base(self) -> str:
        """URL of the site root, ending in '/'."""
        return self.origin + self.prefix

    def url(self, path: str) -> str:
        """URL of `path` relative to the site root ('' is the home page)."""
        return self.base + path.lstrip("/")

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def base_path(base_url: str) -> str:
    """The path part of a site's base_url ('/' if none)."""
    return unquote(urlsplit(base_url).path) or "/"
