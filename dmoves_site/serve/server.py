"""HTTP: serve the current State, the reload script, its event stream and the error page."""

from __future__ import annotations

import ipaddress
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

import jinja2

from dmoves_site import routes
from dmoves_site.serve.state import LAST_GOOD, Preview, State

EVENTS_PATH = "/__events"
SCRIPT_PATH = "/__reload.js"
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
TEXT_TYPE = CONTENT_TYPES[".txt"]
IDLE_SECONDS = 30
WRONG_HOST = (b"Die Vorschau antwortet nur unter der Adresse, die beim Start von "
              b"`dmoves-site serve` genannt wurde.\n")
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


ERROR_PAGE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    keep_trailing_newline=True,
)


def error_page(state: State, rel: str) -> bytes:
    """The German error page shown for every page while the content has errors."""
    last_good = ""
    if state.files:
        page = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        last_good = f"{LAST_GOOD}{state.base_path}{quote(page)}"
    return ERROR_PAGE.get_template("error.html").render(
        errors=state.errors, last_good=last_good, built_at=state.built_at,
        draft_note=DRAFT_NOTE).encode("utf-8")


class PreviewServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that serves the files of one Preview.

    Only requests naming the address it listens on (or `localhost` for a loopback
    address) in their Host header are answered: a page on another site that points a
    DNS name at 127.0.0.1 (DNS rebinding) cannot read the drafts.
    """

    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections under load

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def allows(self, host_header: str | None) -> bool:
        """True if the Host header names this server (a missing one is HTTP/1.0: allowed)."""
        if host_header is None:
            return True
        bound, port = cast(str, self.server_address[0]), int(self.server_address[1])
        name, given_port = split_host(host_header)
        if given_port and given_port != str(port):
            return False
        return wildcard(bound) or name in names_of(bound)


def split_host(header: str) -> tuple[str, str]:
    """`[::1]:8000` → ('::1', '8000'); `localhost` → ('localhost', '')."""
    value = header.strip().lower()
    if value.startswith("["):
        name, _sep, rest = value[1:].partition("]")
        if rest and not rest.startswith(":"):
            return "", ""  # not a host
        return name, rest[1:]
    if value.count(":") == 1:
        name, _sep, port = value.partition(":")
        return name, port
    return value, ""


def wildcard(address: str) -> bool:
    return address in ("", "0.0.0.0", "::")


def names_of(address: str) -> set[str]:
    """The names a browser may use for `address`."""
    names = {address}
    if is_loopback(address):
        names |= {"localhost", "127.0.0.1", "::1"}
    return names


def is_loopback(host: str) -> bool:
    """True for localhost and every loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    """Serves the current State: pages, assets, the reload script and its event stream."""

    server_version = "dmoves-site-preview"
    timeout = IDLE_SECONDS  # a connection that sends nothing is closed

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
            if not cast(PreviewServer, self.server).allows(self.headers.get("Host")):
                self.send(HTTPStatus.MISDIRECTED_REQUEST, WRONG_HOST, TEXT_TYPE, head)
            elif path == EVENTS_PATH and not head:
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
