"""Builds: bundled content, determinism, atomic swap, output stays inside its folder."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from dmoves_site import output
from dmoves_site.render import make_env
from tests.conftest import ROOT, run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build(site: Path, out: Path, *extra: str) -> int:
    return run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                   "--no-search", *extra).exit_code


def test_bundled_content_checks_without_errors() -> None:
    result = run_cli("--site", str(ROOT), "check")
    assert result.exit_code == 0, result.output
    assert "0 Fehler" in result.output


def test_minimal_site_builds_every_page_kind(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(make_site({}), out) == 0
    for rel in ("index.html", "massnahmen/online-termin/index.html",
                "programme/buergerservices/index.html", "haushalt/tabelle/index.html",
                "kennzahlen/dienste/index.html", "aktuelles/start/index.html",
                "quellen/vorlage/index.html", "impressum/index.html", "404.html",
                "aktuelles/feed.xml", "sitemap.xml", "robots.txt",
                "grafiken/umsetzungsstand-je-programm/index.html", "daten/datapackage.json"):
        assert (out / rel).is_file(), rel


def test_the_report_counts_every_file_written(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--site", str(make_site({})), "build", "--out", str(out), "--no-images",
                     "--no-search")
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    assert (out / "massnahmen/online-termin/feed.xml") in files  # written beside the pages
    assert f"{len(pages)} Seiten, {len(files)} Dateien" in result.output


def test_two_builds_are_byte_identical(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    assert build(site, tmp_path / "a") == 0
    assert build(site, tmp_path / "b") == 0
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_content_error_leaves_last_good_build(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    out = tmp_path / "out"
    assert build(site, out) == 0
    before = tree_digest(out)
    (site / "content/measures/online-termin.md").write_text(
        "---\ntitle: T\nprogram: nix\nstatus: geplant\n---\n", encoding="utf-8")
    assert build(site, out) == 1
    assert tree_digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out-")]


def test_failure_while_writing_leaves_last_good_build(make_site: MakeSite, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({})
    out = tmp_path / "out"
    assert build(site, out) == 0
    before = tree_digest(out)
    calls = {"n": 0}
    real = output.create

    def flaky(target: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError("disk full")
        real(target, data)

    monkeypatch.setattr(output, "create", flaky)
    # without the cache every file is written again (with it most are linked)
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search", "--no-cache")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"{out}: --out: Schreiben fehlgeschlagen: disk full" in result.output
    assert tree_digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out-")]


def test_sigkill_during_build_leaves_last_good_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "dmoves_site", "--site", str(ROOT), "build", "--out", str(out),
           "--no-images", "--no-search"]
    subprocess.run(cmd, check=True, capture_output=True)
    before = tree_digest(out)
    for delay in (0.3, 0.5, 0.7):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert tree_digest(out) == before


@pytest.mark.parametrize("rel", ["../x.html", "/etc/passwd", "a/../../x", "a\\b", "a\0b", "",
                                 ".", "a/.."])
def test_unsafe_output_paths_are_rejected(tmp_path: Path, rel: str) -> None:
    with pytest.raises(output.UnsafePath):
        output.Writer(tmp_path / "out").write_all({rel: b"x"})
    assert not (tmp_path / "x.html").exists()


def test_refuses_to_replace_a_foreign_folder(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "important"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"do not delete")
    result = run_cli("--site", str(make_site({})), "build", "--out", str(out), "--no-images",
                     "--no-search")
    assert result.exit_code == 1
    assert (out / "thesis.docx").read_bytes() == b"do not delete"


def test_site_templates_override_theme_file_by_file(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text("eigene 404", encoding="utf-8")
    out = tmp_path / "out"
    assert build(site, out) == 0
    assert (out / "404.html").read_text(encoding="utf-8") == "eigene 404"
    assert "<main" in (out / "index.html").read_text(encoding="utf-8")


def test_imported_macros_see_the_globals_of_the_template_that_imports_them(tmp_path: Path
                                                                         ) -> None:
    # imports skip Jinja's comparison of globals only where the importer has no own ones
    (tmp_path / "lib.html").write_text("{% macro hello() %}Hallo {{ who }}{% endmacro %}",
                                       encoding="utf-8")
    (tmp_path / "page.html").write_text('{% from "lib.html" import hello %}{{ hello() }}',
                                        encoding="utf-8")
    env = make_env(tmp_path)
    own = env.get_template("page.html", globals={"who": "Esslingen"})
    assert own.render() == "Hallo Esslingen"
    assert own.render() == "Hallo Esslingen"  # not the module cached for the first render
    plain = make_env(tmp_path).get_template("page.html")  # the environment's globals only
    with pytest.raises(jinja2.UndefinedError):
        plain.render()


def test_drafts_only_with_flag(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"updates/2021-07-07-entwurf.md":
                      "---\ntitle: Entwurf\ndate: 2021-07-07\ndraft: true\n---\nText\n"})
    assert build(site, tmp_path / "a") == 0
    assert not (tmp_path / "a/aktuelles/entwurf").exists()
    assert build(site, tmp_path / "b", "--drafts") == 0
    page = (tmp_path / "b/aktuelles/entwurf/index.html").read_text(encoding="utf-8")
    assert "Entwurf – nicht veröffentlicht" in page

