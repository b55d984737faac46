"""`dmoves-site serve`: bind, build once, serve and watch until Ctrl-C."""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from dmoves_site.serve.server import PreviewServer, is_loopback
from dmoves_site.serve.state import Preview, seconds


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
        host, port = cast(str, self.server.server_address[0]), self.server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.preview.current().base_path}"

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
    if not is_loopback(host):
        echo("Achtung: Die Vorschau ist im Netzwerk erreichbar.")
    echo("Änderungen in content/ und templates/ erscheinen nach dem Speichern von selbst. "
         "Suche und Diagrammbilder sind in der Vorschau abgeschaltet. Beenden mit Strg+C.")
