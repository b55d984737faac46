"""The search index of a large site comes in parts, one Pagefind run each, so that no run
holds more than `PART_PAGES` pages in memory; together the parts index every page once."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dmoves_site import build as b
from dmoves_site import searchindex
from tests.conftest import ROOT


def indexed_urls(bundle: Path) -> list[str]:
    """The URL of every page in a Pagefind bundle (its fragments: gzip, then JSON)."""
    urls = []
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.append(json.loads(data)["url"])
    return urls


def html_files(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for p in out.rglob("*.html")]


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built without a search index."""
    out = tmp_path_factory.mktemp("parts") / "build"
    report = b.build(b.Options(ROOT, out, images=False, search=False, cache=False))
    assert report.written, report.errors[:3]
    return out


def test_a_site_that_fits_is_indexed_in_one_part(tmp_path: Path) -> None:
    pages = ["index.html", "massnahmen/index.html", "massnahmen/e-akte/index.html",
             "daten/massnahmen.csv"]
    assert searchindex.part_globs(pages, limit=3) == [("**/*.{html}", 3)]
    odd = [f"massnahmen/{name}/index.html" for name in ("a", "b", "c{d}")]
    assert searchindex.part_globs(odd, limit=2) == [("**/*.{html}", 3)]  # no glob of "{"


def test_the_parts_index_every_page_once(plain_build: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    whole, parted = tmp_path / "whole", tmp_path / "parted"
    shutil.copytree(plain_build, whole)
    shutil.copytree(plain_build, parted)
    pages = [p for p in html_files(plain_build)
             if "data-pagefind-body" in (plain_build / p).read_text(encoding="utf-8")]
    assert searchindex.run_pagefind(whole, pages) == ""
    expected = sorted("/" + p.removesuffix("index.html") for p in pages)
    assert sorted(indexed_urls(whole / "pagefind")) == expected and len(expected) > 150
    monkeypatch.setattr(searchindex, "PART_PAGES", 60)
    globs = searchindex.part_globs(pages)
    assert len(globs) >= len(pages) // 60 and all(count <= 60 for _glob, count in globs)
    assert searchindex.run_pagefind(parted, pages) == ""
    names = json.loads((parted / "pagefind/teile.json").read_text(encoding="utf-8"))["teile"]
    assert names == [f"teil-{n}/" for n in range(2, len(globs) + 1)]
    found = indexed_urls(parted / "pagefind")
    for name in names:
        part = indexed_urls(parted / "pagefind" / name)
        assert part, name  # each part holds pages
        found += part
    assert sorted(found) == expected  # every page, none twice
    assert json.loads((whole / "pagefind/teile.json").read_text(encoding="utf-8")) == {
        "teile": []}


def test_each_part_gets_time_for_its_pages(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[tuple[str, float]] = []

    def run(cmd: list[str], *, timeout: float, **_: object
            ) -> subprocess.CompletedProcess[str]:
        runs.append((cmd[cmd.index("--glob") + 1], timeout))
        (tmp_path / cmd[cmd.index("--output-subdir") + 1]).mkdir(parents=True, exist_ok=True)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(searchindex.subprocess, "run", run)
    assert searchindex.run_pagefind(tmp_path, ["index.html", "suche/index.html"]) == ""
    assert [glob for glob, _t in runs] == ["**/*.{html}"] and runs[0][1] >= 60
    runs.clear()
    measures = [f"massnahmen/massnahme-{n:06d}/index.html" for n in range(100_000)]
    assert searchindex.run_pagefind(tmp_path, ["index.html", *measures]) == ""
    assert len(runs) == 10 or len(runs) == 11  # 10.000 pages at most in each
    # Pagefind's 216 s for 100.000 pages, on a machine 3× slower
    assert sum(timeout for _glob, timeout in runs) > 3 * 216
