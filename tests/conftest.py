"""Shared fixtures: small fixture sites written on the fly, and one build of the bundled site."""

from __future__ import annotations

import os
import shutil
import signal
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dmoves_site.cli import main

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
# Started in the background by a shell without job control (`./.ci/run &`), the suite
# inherits SIGINT ignored, and so would every preview it starts: the tests that stop one
# with Ctrl-C need the default, which a child gets from a process that handles the signal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

MINIMAL: dict[str, str] = {
    "site.yaml": """\
        title: Testseite
        publisher: Teststadt
        base_url: https://example.org/test/
        language: de
        as_of: 2021-07-06
        """,
    "programs/buergerservices.yaml": """\
        number: 1
        title: Bürgerservices
        summary: Online-Dienste für alle.
        color: "#1f5a96"
        """,
    "sources/vorlage.yaml": """\
        title: Vorlage
        kind: sonstige
        date: 2021-07-06
        publisher: Teststadt
        file: documents/vorlage.txt
        """,
    "documents/vorlage.txt": "1.1 Übersicht\nText\n1.1.1 Bürgerservices\nMehr\n",
    "measures/online-termin.md": """\
        ---
        title: Online-Terminvereinbarung
        program: buergerservices
        status: in_umsetzung
        stage: 1
        start: 2020-07
        sources:
          - {source: vorlage, section: "1.1.1"}
        ---
        Termine im Bürgerbüro online buchen.
        """,
    "updates/2021-07-06-start.md": """\
        ---
        title: Start
        date: 2021-07-06
        measures: [online-termin]
        ---
        Es geht los.
        """,
    "budgets/tabelle.yaml": """\
        title: Tabelle
        unit: TEUR
        years: [2022, 2023]
        sources:
          - {source: vorlage, section: "1.1"}
        lines:
          - {id: a, label: A, kind: item, values: [1, 2]}
          - {id: b, label: B, kind: item, values: [3, 4]}
          - {id: summe, label: Summe, kind: total, values: [4, 7], total: 11, sum_of: [a, b]}
        """,
    "kpis/dienste.yaml": """\
        title: Online-Dienste
        unit: Anzahl
        points:
          - {date: 2021-Q1, value: 63, source: vorlage, section: "1.1.1"}
          - {date: 2021-Q2, value: 93, source: vorlage, section: "1.1.1"}
        """,
    "pages/impressum.md": """\
        ---
        title: Impressum
        ---
        Angaben.
        """,
    # the pages the theme links from every page (site.yaml `pages`, defaults)
    "pages/datenschutz.md": "---\ntitle: Datenschutz\n---\nAngaben.\n",
    "pages/barrierefreiheit.md": "---\ntitle: Barrierefreiheit\n---\n## Feedback\n",
    "pages/leichte-sprache.md": "---\ntitle: Leichte Sprache\n---\nText.\n",
}


def write_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write MINIMAL overlaid with `files` (None deletes) under root/content; return root."""
    merged: dict[str, str | bytes | None] = {**MINIMAL, **files}
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes | None]], Path]:
    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_site(tmp_path / "site", files or {})
    return make


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the bundled content/ (with images and search when available)."""
    out = tmp_path_factory.mktemp("bundled") / "build"
    args = ["--site", str(ROOT), "build", "--out", str(out), "--precompress"]
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        args.append("--no-images")
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return out
