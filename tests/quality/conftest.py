"""Fixtures of the quality gates: the bundled build's pages, its base URL, and helpers to
build small sites in a separate process and compare output trees."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

# what the Nu HTML checker looked at, for the summary at the end of the session
NU_CHECKED: list[int] = []

# `path:line: field: message` as printed by the CLI (line ≥ 1 required)
PROBLEM_LINE = re.compile(r"^(?P<path>content/[^:\n]+):(?P<line>\d+): (?P<field>[^:\n]+): "
                          r"(?P<message>\S.*)$")


@pytest.fixture(scope="session")
def site_config() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def base_url(site_config: dict[str, Any]) -> str:
    url = str(site_config["base_url"])
    assert url.endswith("/")
    return url


@pytest.fixture(scope="session")
def html_pages(built_site: Path) -> list[Path]:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 100, f"nur {len(pages)} HTML-Seiten in {built_site}"
    return pages


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under root (symlinks are not followed)."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@dataclass
class Run:
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool

    @property
    def problem_lines(self) -> list[re.Match[str]]:
        found = []
        for line in self.stderr.splitlines():
            match = PROBLEM_LINE.match(line)
            if match and not match["message"].startswith("Warnung:"):
                found.append(match)
        return found

    def describe(self) -> str:
        return (f"exit {self.returncode} nach {self.seconds:.1f} s"
                f"{' (Zeitlimit!)' if self.timed_out else ''}\n--- stderr ---\n"
                f"{self.stderr[-4000:]}\n--- stdout ---\n{self.stdout[-1000:]}")


def run_build(site: Path, *extra: str, timeout: float = 20.0) -> Run:
    """`python -m dmoves_site --site SITE build --no-images --no-search` in a new process."""
    cmd = [sys.executable, "-m", "dmoves_site", "--site", str(site), "build", "--no-images",
           "--no-search", *extra]
    start = time.monotonic()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=str(site), check=False, errors="replace")
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else ""
        err = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        return Run(None, out, err, time.monotonic() - start, True)
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - start, False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if NU_CHECKED:
        terminalreporter.write_line(
            f"Nu HTML Checker: {NU_CHECKED[-1]} HTML-Seiten des Builds in einem Lauf geprüft")
