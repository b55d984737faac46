"""Parallel loading and rendering give exactly what the serial paths give."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest

from dmoves_site import build, load
from tests.conftest import ROOT


def test_parallel_load_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    serial, serial_problems = load.load_content(ROOT / "content")
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(load, "parallel_workers", lambda files: 2)
    parallel, parallel_problems = load.load_content(ROOT / "content")
    assert parallel == serial
    assert sorted(parallel_problems.items) == sorted(serial_problems.items)
    cache: dict[str, load.FileResult] = {}
    cached, _problems = load.load_content(ROOT / "content", cache=cache)
    assert cached == serial
    assert serial is not None and serial.measures
    for x in serial.measures:  # the workers' results come back for the cache too
        assert cache[str(ROOT / x.path)].record == x


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_parallel_render_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = build.Options(ROOT, tmp_path / "serial", images=False, search=False)
    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 10**9)
    assert build.build(options).written
    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(build, "workers", lambda: 2)
    parallel = build.Options(ROOT, tmp_path / "parallel", images=False, search=False)
    assert build.build(parallel).written
    assert digest(tmp_path / "parallel") == digest(tmp_path / "serial")


def test_files_the_cache_holds_with_other_times_are_read_in_parallel(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "parallel_workers", lambda files: 2)
    cache: dict[str, load.FileResult] = {}
    first, _problems = load.load_content(ROOT / "content", cache=cache)
    calls: list[str] = []
    real = load.Loader.read_parallel

    def counted(self: load.Loader, kind: Any, files: list[Path], count: int) -> list[Any]:
        calls.append(kind.name)
        return real(self, kind, files, count)

    monkeypatch.setattr(load.Loader, "read_parallel", counted)
    again, _problems = load.load_content(ROOT / "content", cache=cache)
    assert calls == [] and again == first  # every file as the cache holds it
    # a fresh checkout: the same files, other times
    stale = {path: dataclasses.replace(result, stamp=(0,)) for path, result in cache.items()}
    checked_out, _problems = load.load_content(ROOT / "content", cache=stale)
    assert "measure" in calls and checked_out == first
