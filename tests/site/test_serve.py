"""`dmoves-site serve`: in-memory preview, incremental rebuilds, error page, clean stop."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import pytest

from dmoves_site import build as b
from dmoves_site import serve
from dmoves_site.cli import serve as serve_command
from dmoves_site.render import THEME
from tests.conftest import ROOT, write_site

UPDATE = "content/updates/2021-07-06-start.md"


# --- helpers -----------------------------------------------------------------------------------


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bundled_copy(tmp_path: Path) -> Path:
    site = tmp_path / "bundled"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def full_render(site: Path, drafts: bool = True) -> dict[str, bytes]:
    content, report = b.check(site, drafts)
    assert content is not None and not report.errors
    model = b.make_model(content, report, b.Options(site, site / "build", drafts, False, False))
    files, _pages = b.render_files(model, site)
    return files


@pytest.fixture
def running(tmp_path: Path) -> Iterator[serve.Running]:
    site = write_site(tmp_path / "site", {})
    lines: list[str] = []
    preview = serve.start(site, port=0, echo=lines.append)
    yield preview
    preview.stop()
    assert not (site / "build").exists(), "serve must never write the user's build/"


# --- serving -----------------------------------------------------------------------------------


def test_serves_pages_assets_and_content_types(running: serve.Running) -> None:
    url = running.url
    assert url.endswith("/test/")  # the path of base_url, as when published
    expected = {
        "": "text/html; charset=utf-8",
        "massnahmen/online-termin/": "text/html; charset=utf-8",
        "assets/site.css": "text/css; charset=utf-8",
        "assets/site.js": "text/javascript; charset=utf-8",
        "aktuelles/feed.xml": "application/atom+xml; charset=utf-8",
        "sitemap.xml": "application/xml; charset=utf-8",
        "daten/datapackage.json": "application/json",
        "robots.txt": "text/plain; charset=utf-8",
    }
    files = running.preview.current().files
    csv = next(rel for rel in sorted(files) if rel.endswith(".csv"))
    expected[csv] = "text/csv; charset=utf-8"
    svg = next((rel for rel in sorted(files) if rel.endswith(".svg")), None)
    if svg:
        expected[svg] = "image/svg+xml"
    for rel, ctype in expected.items():
        status, headers, body = fetch(url + rel)
        assert status == 200, rel
        assert headers["Content-Type"] == ctype, rel
        assert int(headers["Content-Length"]) == len(body)
    status, headers, body = fetch(url + "massnahmen/online-termin/")
    assert body.rstrip().endswith(b"</html>")
    assert b'<script src="/__reload.js" data-version="' in body
    assert headers["Cache-Control"] == "no-store"
    _, _, css = fetch(url + "assets/site.css")
    assert b"__reload" not in css  # the script goes into HTML only


def test_directories_redirects_and_404(running: serve.Running) -> None:
    url = running.url
    origin = url[: -len("/test/")]
    status, headers, _ = fetch(url + "massnahmen")
    assert status == 301 and headers["Location"] == "/test/massnahmen/"
    status, headers, _ = fetch(origin + "/")
    assert status == 301 and headers["Location"] == "/test/"
    for missing in ("gibt-es-nicht/", "massnahmen/nix/index.html", "../../etc/passwd",
                    "assets/nix.js"):
        status, headers, body = fetch(url + missing)
        assert status == 404, missing
        assert headers["Content-Type"].startswith("text/html")
        assert "Seite nicht gefunden" in body.decode()
    status, _, body = fetch(url, "HEAD")
    assert status == 200 and body == b""
    status, headers, body = fetch(origin + "/__reload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body and b"/__events" in body


def test_search_and_images_are_off_in_the_preview(running: serve.Running) -> None:
    _, _, body = fetch(running.url + "suche/")
    assert "Volltextsuche ist in dieser Ausgabe nicht enthalten" in body.decode()
    assert not any(rel.startswith("pagefind/") for rel in running.preview.current().files)


# --- live updates ------------------------------------------------------------------------------


def test_change_error_and_recovery(running: serve.Running) -> None:
    site = running.preview.site
    update = site / UPDATE
    page = running.url + "aktuelles/start/"
    version = running.preview.current().version
    edit(update, "title: Start", "title: Startschuss gefallen")
    wait_until(lambda: "Startschuss gefallen" in fetch(page)[2].decode())
    assert running.preview.current().version != version

    good = update.read_text(encoding="utf-8")
    update.write_text(good.replace("date: 2021-07-06\n", ""), encoding="utf-8")
    wait_until(lambda: fetch(page)[0] == 500)
    status, headers, body = fetch(page)
    text = body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Die Vorschau kann nicht aktualisiert werden" in text
    assert f"<code>{UPDATE}:2</code>: <strong>date</strong>: Pflichtfeld fehlt" in text
    assert "Tipp: &#39;date: JJJJ-MM-TT&#39; ergänzen" in text
    assert '<html lang="de">' in text and text.rstrip().endswith("</html>")
    assert "/__letzter-stand/test/aktuelles/start/" in text
    assert '<script src="/__reload.js"' in text  # the error page reloads by itself, too
    for other in ("", "massnahmen/", "gibt-es-nicht/"):
        assert fetch(running.url + other)[0] == 500
    # the last good version stays reachable, assets stay served
    status, _, body = fetch(running.url.replace("/test/", "/__letzter-stand/test/")
                            + "aktuelles/start/")
    assert status == 200 and "Startschuss gefallen" in body.decode()
    assert "Letzte fehlerfreie Fassung" in body.decode()
    assert fetch(running.url + "assets/site.css")[0] == 200

    update.write_text(good, encoding="utf-8")
    wait_until(lambda: fetch(page)[0] == 200)
    assert "Startschuss gefallen" in fetch(page)[2].decode()


def test_template_error_is_shown_and_recovers(running: serve.Running) -> None:
    site = running.preview.site
    override = site / "templates" / "update.html"
    override.parent.mkdir()
    original = (THEME / "templates" / "update.html").read_text(encoding="utf-8")
    override.write_text(original.replace("{% block main %}", "{% block main %}{% if %}", 1),
                        encoding="utf-8")
    page = running.url + "aktuelles/start/"
    wait_until(lambda: fetch(page)[0] == 500)
    assert "Vorlagenfehler" in fetch(page)[2].decode()
    override.write_text(original.replace("{% block main %}", "{% block main %}<p>Neu</p>", 1),
                        encoding="utf-8")
    wait_until(lambda: fetch(page)[0] == 200 and b"<p>Neu</p>" in fetch(page)[2])


def test_events_announce_every_new_version(running: serve.Running) -> None:
    parts = urlsplit(running.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(f"GET /__events HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    stream = sock.makefile("rb")
    first = read_event(stream)
    assert first == running.preview.current().version
    edit(running.preview.site / UPDATE, "Es geht los.", "Es geht richtig los.")
    second = read_event(stream)
    assert second != first and second == running.preview.current().version
    sock.close()


def read_event(stream: BinaryIO) -> str:
    while True:
        line = stream.readline().decode()
        assert line, "stream closed"
        if line.startswith("data: "):
            return line[len("data: "):].strip()


def test_saving_without_changes_does_not_reload(running: serve.Running) -> None:
    version = running.preview.current().version
    count = running.preview.count
    path = running.preview.site / UPDATE
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    time.sleep(1.5)  # notification (or poll), settle and rebuild are long done
    assert running.preview.current().version == version
    assert running.preview.count == count


def test_drafts_are_shown_and_marked(tmp_path: Path) -> None:
    draft = ("---\ntitle: Geheimer Plan\nprogram: buergerservices\nstatus: geplant\n"
             "draft: true\n---\nNoch nicht öffentlich.\n")
    site = write_site(tmp_path / "site", {"measures/geheim.md": draft})
    running = serve.start(site, port=0, echo=lambda _line: None)
    try:
        status, _, body = fetch(running.url + "massnahmen/geheim/")
        text = body.decode()
        assert status == 200
        assert "Entwurf – nicht veröffentlicht: Dieser Eintrag hat" in text
        assert 'class="draft-banner"' in text
        _, _, other = fetch(running.url + "massnahmen/online-termin/")
        assert "Dieser Eintrag hat" not in other.decode()
    finally:
        running.stop()
    hidden = serve.start(site, port=0, drafts=False, echo=lambda _line: None)
    try:
        assert fetch(hidden.url + "massnahmen/geheim/")[0] == 404
    finally:
        hidden.stop()


def test_first_build_with_errors_still_serves_the_error_page(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {UPDATE[len("content/"):]: "---\ntitle: X\n"})
    running = serve.start(site, port=0, echo=lambda _line: None)
    try:
        status, _, body = fetch(f"http://127.0.0.1:{running.server.server_address[1]}/")
        assert status == 500
        text = body.decode()
        assert "Front Matter wird nicht mit &#39;---&#39; geschlossen" in text
        assert "Es gibt noch keine fehlerfreie Fassung" in text
    finally:
        running.stop()


# --- incremental rebuilds ----------------------------------------------------------------------


def test_incremental_rebuild_matches_a_full_build(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    lines: list[str] = []
    preview = serve.Preview(site, True, lines.append)
    assert preview.start().files is not None
    total = sum(1 for rel in preview.current().files if rel.endswith(".html"))
    measure = site / "content/measures/e-akte.md"
    edits = [
        (measure, "status: in_umsetzung", "status: abgeschlossen"),
        (measure, "title: Einführung der stadtweiten E-Akte", "title: Stadtweite E-Akte"),
        (site / "content/updates/2021-09-07-wlan-im-rathaus.md", "Im Dezember 2019",
         "Schon im Dezember 2019"),
        (site / "content/kpis/notebooks.yaml", "title: Notebooks", "title: Neue Notebooks"),
        (site / "content/programs/digitale-verwaltung.yaml", "title: Digitale Verwaltung",
         "title: Die digitale Verwaltung"),
        (site / "content/site.yaml", "publisher: Landeshauptstadt Stuttgart",
         "publisher: Stadt Stuttgart"),
    ]
    rendered = []
    for path, old, new in edits:
        edit(path, old, new)
        wait_until(preview.poll)  # the change arrives as a notification (or by polling)
        outcome_files = preview.current().files
        assert not preview.current().errors, preview.current().errors
        expected = full_render(site)
        stale = [rel for rel, blob in expected.items() if outcome_files.get(rel) != blob]
        assert not stale, (path, stale[:5])
        rendered.append(preview.cache.rendered)
    assert rendered[0] < total / 4  # one measure: its page, lists, program, home, charts
    assert rendered[-1] == total   # the site's publisher is on every page
    preview.stop()


def test_incremental_rebuild_time_for_one_measure(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    preview = serve.Preview(site, True, lambda _line: None)
    preview.start()
    measure = site / "content/measures/e-akte.md"
    times, rendered = [], []
    for number in range(10):
        status = "abgeschlossen" if number % 2 == 0 else "in_umsetzung"
        text = measure.read_text(encoding="utf-8")
        measure.write_text(re.sub(r"(?m)^status: .*$", f"status: {status}", text),
                           encoding="utf-8")
        outcome = preview.rebuild([str(measure)])
        assert outcome.files is not None
        times.append(outcome.seconds)
        rendered.append(outcome.rendered)
    median = statistics.median(times)
    print(f"\nincremental rebuild after editing one measure: median {median * 1000:.0f} ms "
          f"over 10, {statistics.median(rendered):.0f} of {outcome.pages} pages re-rendered")
    assert median < 5.0


# --- never half-built --------------------------------------------------------------------------


def test_requests_during_rebuilds_never_see_a_half_built_site(tmp_path: Path) -> None:
    site = bundled_copy(tmp_path)
    running = serve.start(site, port=0, echo=lambda _line: None)
    paths = ["", "massnahmen/", "massnahmen/e-akte/", "programme/digitale-verwaltung/",
             "aktuelles/", "grafiken/umsetzungsstand-je-programm/"]
    stop = threading.Event()
    bad: list[str] = []
    seen: list[int] = [0]

    def hammer() -> None:
        while not stop.is_set():
            for rel in paths:
                status, headers, body = fetch(running.url + rel)
                seen[0] += 1
                text = body.decode()
                if int(headers["Content-Length"]) != len(body) or \
                        not text.rstrip().endswith("</html>") or status not in (200, 500):
                    bad.append(f"{rel}: {status} {text[-80:]!r}")
                versions = set(re.findall(r"Grundlage (\d+) der", text))
                if len(versions) > 1:
                    bad.append(f"{rel}: parts of different builds {versions}")

    workers = [threading.Thread(target=hammer) for _ in range(4)]
    for worker in workers:
        worker.start()
    measure = site / "content/measures/e-akte.md"
    good = measure.read_text(encoding="utf-8")
    try:
        for number in range(12):
            if number % 4 == 3:
                measure.write_text(good.replace("status: in_umsetzung", "status: kaputt"),
                                   encoding="utf-8")
            else:
                measure.write_text(good.replace("Grundlage der", f"Grundlage {number} der"),
                                   encoding="utf-8")
            time.sleep(0.35)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        running.stop()
    assert seen[0] > 50
    assert not bad, bad[:5]


# --- command line ------------------------------------------------------------------------------


def test_serve_options_and_defaults() -> None:
    params = {p.name: p for p in serve_command.params}
    assert params["port"].default == 8000
    assert params["host"].default == "127.0.0.1"
    drafts = params["drafts"]
    assert drafts.default is True
    assert drafts.opts == ["--drafts"] and drafts.secondary_opts == ["--no-drafts"]


def start_cli(site: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "dmoves_site", "--site", str(site), "serve",
                             "--port", "0", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for _ in range(20):
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line)
        if match:
            return proc, match.group(1)
    proc.kill()
    raise AssertionError("no URL printed")


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    proc, url = start_cli(site)
    try:
        assert fetch(url)[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Vorschau beendet." in out
    assert not (site / "build").exists()


def test_port_in_use_gives_a_german_message(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        done = subprocess.run([sys.executable, "-m", "dmoves_site", "--site", str(site), "serve",
                               "--port", str(port)], capture_output=True, text=True,
                              timeout=60, check=False)
    finally:
        blocker.close()
    assert done.returncode == 2
    assert f"Port {port} ist schon belegt" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_same_tells_apart_what_prints_differently() -> None:
    from decimal import Decimal

    assert serve.same({"a": (1, Decimal("6.4"))}, {"a": (1, Decimal("6.4"))})
    assert not serve.same(Decimal("6.4"), Decimal("6.40"))
    assert not serve.same(1, 1.0)
    assert not serve.same(1, True)
    assert not serve.same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # order is rendered
