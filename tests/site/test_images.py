"""Chart images: cached by figure hash, and a missing renderer is a clear message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import images
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def test_missing_browser_is_a_clear_error(make_site: MakeSite, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "find_browser", lambda: None)
    out = tmp_path / "out"
    result = run_cli("--site", str(make_site({})), "build", "--out", str(out), "--no-search")
    assert result.exit_code == 1
    assert "kein Chromium gefunden" in result.output
    assert "dmoves-site build --no-images" in result.output
    assert not out.exists()


def test_rebuild_with_unchanged_data_renders_no_image(make_site: MakeSite, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({})
    assert run_cli("--site", str(site), "build", "--out", str(tmp_path / "a"),
                   "--no-search").exit_code == 0
    cached = sorted((site / ".cache" / "images").glob("*"))
    assert cached and all(p.suffix in (".svg", ".png") for p in cached)

    def fail(jobs: list[object]) -> str:
        raise AssertionError(f"rendered {len(jobs)} images again")

    monkeypatch.setattr(images, "_render", fail)
    assert run_cli("--site", str(site), "build", "--out", str(tmp_path / "b"),
                   "--no-search").exit_code == 0
    svg = tmp_path / "b/grafiken/kennzahl-dienste/kennzahl-dienste.svg"
    assert "Stand: 2. Quartal 2021" in svg.read_text(encoding="utf-8")


def test_images_are_byte_identical_from_a_cold_cache(make_site: MakeSite,
                                                     tmp_path: Path) -> None:
    import shutil

    site = make_site({})
    outs = []
    for name in ("a", "b"):
        shutil.rmtree(site / ".cache", ignore_errors=True)
        out = tmp_path / name
        assert run_cli("--site", str(site), "build", "--out", str(out),
                       "--no-search").exit_code == 0
        outs.append(out)
    svgs = sorted(outs[0].rglob("*.svg"))
    assert svgs
    for svg in svgs:
        twin = outs[1] / svg.relative_to(outs[0])
        assert twin.read_bytes() == svg.read_bytes(), svg
