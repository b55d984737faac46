"""The code base stays lint-clean (ruff) and type-checks (mypy --strict)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    done = run(sys.executable, "-m", "ruff", "check", "dmoves_site", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
