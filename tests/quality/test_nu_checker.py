"""Every HTML page of the bundled build passes the Nu HTML Checker (vnu.jar) without errors.

All pages go through one java invocation, together with a deliberately invalid canary page
that must be reported (so a checker that silently checks nothing fails the test).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import ROOT
from tests.quality.conftest import NU_CHECKED

VNU_JAR = ROOT / "tests" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANARY = "<!DOCTYPE html><html lang=de><head><title>x</title></head><body><p><div></p></body>"


def file_of(message: dict[str, Any]) -> Path:
    return Path(unquote(urlsplit(message.get("url", "")).path))


@pytest.fixture(scope="module")
def nu_report(built_site: Path, html_pages: list[Path], tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[list[Path], Path, list[dict[str, Any]]]:
    java = shutil.which("java")
    assert java, "java fehlt (apt-get install default-jre-headless)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} fehlt: cd tests/node && npm ci"
    canary = tmp_path_factory.mktemp("nu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files = [*html_pages, canary]
    done = subprocess.run([java, "-Xss8m", "-jar", str(VNU_JAR), "--format", "json",
                           "--skip-non-html", *map(str, files)],
                          capture_output=True, text=True, timeout=600, check=False)
    try:
        messages = json.loads(done.stderr or done.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"vnu.jar lieferte kein JSON (exit {done.returncode}):\n"
                             f"{done.stderr[-3000:]}\n{done.stdout[-1000:]}") from exc
    NU_CHECKED.append(len(html_pages))
    return html_pages, canary, messages


def test_checker_reports_the_invalid_canary(nu_report: tuple[list[Path], Path, list[Any]]
                                            ) -> None:
    _pages, canary, messages = nu_report
    assert any(m["type"] == "error" and file_of(m) == canary for m in messages), messages[:5]


def test_every_page_is_valid_html(built_site: Path,
                                  nu_report: tuple[list[Path], Path, list[Any]]) -> None:
    pages, canary, messages = nu_report
    errors: dict[str, list[str]] = defaultdict(list)     # message → "page:line"
    warnings: dict[str, list[str]] = defaultdict(list)
    for m in messages:
        path = file_of(m)
        if path == canary:
            continue
        where = path.relative_to(built_site).as_posix() if path.is_relative_to(built_site) \
            else str(path)
        is_error = m["type"] in ("error", "non-document-error") or m.get("subType") == "fatal"
        (errors if is_error else warnings)[m["message"]].append(
            f"{where}:{m.get('lastLine', '?')}")
    for message, places in sorted(warnings.items()):
        print(f"Nu-Warnung ({len(places)}×): {message}\n  " + ", ".join(places))
    print(f"Nu HTML Checker: {len(pages)} Seiten geprüft, "
          f"{sum(map(len, errors.values()))} Fehler, {sum(map(len, warnings.values()))} Warnungen")
    pages_with_errors = {p.rsplit(":", 1)[0] for places in errors.values() for p in places}
    report = [f"- {message} ({len(places)}×), z. B. " + ", ".join(places[:4])
              for message, places in sorted(errors.items(), key=lambda kv: -len(kv[1]))]
    assert not errors, (f"{len(pages_with_errors)} von {len(pages)} Seiten mit Fehlern:\n"
                        + "\n".join(report))
