"""The preview's network side: Host header check, IPv6, loopback wording, backlog, idle timeout."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dmoves_site import serve
from dmoves_site.serve import server as srv
from dmoves_site.serve import watch
from dmoves_site.serve.command import greet
from tests.conftest import write_site


def get(host: str, port: int, header: str | None) -> tuple[int, bytes]:
    """GET / with the given Host header (None: the header is left out)."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.putrequest("GET", "/", skip_host=True)
        if header is not None:
            conn.putheader("Host", header)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {})


@pytest.fixture
def loopback(site: Path) -> Iterator[serve.Running]:
    running = serve.start(site, "127.0.0.1", 0, echo=lambda _line: None)
    yield running
    running.stop()


def test_only_the_bound_host_is_answered(loopback: serve.Running) -> None:
    port = loopback.server.server_address[1]
    for header in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"LOCALHOST:{port}",
                   None):
        assert get("127.0.0.1", port, header)[0] in (200, 301), header
    for header in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}",
                   f"127.0.0.1:{port + 1}", f"[::1]x:{port}", ""):
        status, body = get("127.0.0.1", port, header)
        assert status == 421, header
        assert "Vorschau antwortet nur unter der Adresse" in body.decode("utf-8")


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_serve_on_ipv6_loopback(site: Path) -> None:
    if not ipv6_available():
        pytest.skip("this machine has no IPv6 loopback")  # CI machines have one
    running = serve.start(site, "::1", 0, echo=lambda _line: None)
    try:
        port = running.server.server_address[1]
        assert running.url.startswith(f"http://[::1]:{port}/")
        assert get("::1", port, f"[::1]:{port}")[0] in (200, 301)
        assert get("::1", port, f"localhost:{port}")[0] in (200, 301)
        assert get("::1", port, f"evil.example:{port}")[0] == 421
    finally:
        running.stop()


@pytest.mark.parametrize(("host", "reachable"), [("127.0.0.2", False), ("127.0.0.1", False),
                                                 ("::1", False), ("localhost", False),
                                                 ("0.0.0.0", True)])
def test_network_warning_only_for_addresses_outside_loopback(site: Path, host: str,
                                                             reachable: bool) -> None:
    if host == "::1" and not ipv6_available():
        pytest.skip("this machine has no IPv6 loopback")
    running = serve.start(site, host, 0, echo=lambda _line: None)
    try:
        lines: list[str] = []
        greet(running, host, True, lines.append)
    finally:
        running.stop()
    assert ("Achtung: Die Vorschau ist im Netzwerk erreichbar." in lines) is reachable


def test_listen_backlog_holds_a_burst_of_connections(loopback: serve.Running) -> None:
    assert loopback.server.request_queue_size >= 128
    port = loopback.server.server_address[1]
    sockets = []
    try:
        for _ in range(100):  # a burst: all connect before any is served
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        for conn in sockets:
            conn.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        answered = sum(1 for conn in sockets if conn.recv(12).startswith(b"HTTP/1.0 30"))
    finally:
        for conn in sockets:
            conn.close()
    assert answered == 100


def test_idle_connections_are_closed(loopback: serve.Running,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert srv.Handler.timeout is not None and 0 < srv.Handler.timeout <= 60
    monkeypatch.setattr(srv.Handler, "timeout", 0.5)  # the same mechanism, shorter
    port = loopback.server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        start = time.monotonic()
        assert conn.recv(100) == b""  # the server hangs up on a silent client
        assert time.monotonic() - start < 5


def changes_within(watcher: watch.Watcher, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = watcher.changes()
        if found:
            return found
        time.sleep(0.05)
    return []


def test_changes_arrive_as_notifications_without_polling(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("alt", encoding="utf-8")
    watcher = watch.Watcher([folder, tmp_path / "templates"])  # templates/ does not exist
    watcher.start()

    def no_polling(_roots: list[Path]) -> watch.Snapshot:
        raise AssertionError("walked every file although notifications are on")

    monkeypatch.setattr(watch, "snapshot", no_polling)
    try:
        assert watcher.changes() == []  # idle: nothing walked, nothing reported
        (folder / "a.md").write_text("neu", encoding="utf-8")
        assert str(folder / "a.md") in changes_within(watcher, 10)
    finally:
        watcher.stop()


def test_without_notifications_the_watcher_polls(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "watchfiles", None)
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("alt", encoding="utf-8")
    watcher = watch.Watcher([folder])
    watcher.start()
    assert watcher.notifications is None
    time.sleep(0.01)
    (folder / "a.md").write_text("neu, länger", encoding="utf-8")
    assert changes_within(watcher, 5) == [str(folder / "a.md")]
