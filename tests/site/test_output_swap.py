"""The output folder: readable by a web server, swapped in one step, no leftovers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import build as b
from dmoves_site import output
from tests.conftest import run_cli

MakeSite = Callable[[dict[str, str | bytes | None]], Path]


def build(site: Path, out: Path, *extra: str) -> int:
    result = run_cli("--site", str(site), "build", "--out", str(out), "--no-images",
                     "--no-search", *extra)
    return result.exit_code


def modes(root: Path) -> tuple[set[int], set[int]]:
    """The modes of the folders and of the files under `root` (itself included)."""
    paths = [root, *root.rglob("*")]
    return ({stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_dir()},
            {stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_file()})


@pytest.mark.parametrize(("mask", "folders", "files"), [(0o022, 0o755, 0o644),
                                                        (0o027, 0o750, 0o640)])
def test_output_modes_follow_the_umask(make_site: MakeSite, tmp_path: Path, mask: int,
                                       folders: int, files: int) -> None:
    site = make_site({})
    previous = os.umask(mask)
    try:
        assert build(site, tmp_path / "out") == 0
        assert build(site, tmp_path / "out") == 0  # a rebuild swaps in a new folder
    finally:
        os.umask(previous)
    assert modes(tmp_path / "out") == ({folders}, {files})


def test_publish_to_a_folder_is_readable(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"pages/leichte-sprache.md": "---\ntitle: L\n---\nT\n",
                      "pages/barrierefreiheit.md": "---\ntitle: B\n---\n## Feedback\n"})
    previous = os.umask(0o022)
    try:
        result = run_cli("--site", str(site), "publish", str(tmp_path / "www"), "--no-images",
                         "--no-search")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert modes(tmp_path / "www") == ({0o755}, {0o644})
    assert f"Live: {tmp_path / 'www'} (die soeben gebaute Fassung)." in result.output


def test_the_swap_never_leaves_the_folder_absent(make_site: MakeSite, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill after the first of two renames would leave no folder: there is no such step."""
    site = make_site({})
    out = tmp_path / "out"
    assert build(site, out) == 0

    class Killed(BaseException):
        pass

    def killed(self: Path, target: Path) -> Path:
        raise Killed  # the process dies at the first rename it tries

    monkeypatch.setattr(Path, "rename", killed)
    monkeypatch.setattr(os, "rename", killed)
    (site / "content/site.yaml").write_text((site / "content/site.yaml").read_text(
        "utf-8").replace("Testseite", "Neue Seite"), encoding="utf-8")
    # without the cache: with it, the swapped-out tree is moved into .cache after the swap
    assert build(site, out, "--no-cache") == 0
    monkeypatch.undo()
    assert "Neue Seite" in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


@pytest.mark.parametrize("builds_before", [1, 2])
def test_a_kill_while_keeping_folders_leaves_a_whole_site(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        builds_before: int) -> None:
    """The cache's folder moves come before the swap (reusing the kept folders, after two
    builds) or after it (keeping the old tree's): a kill at either leaves one whole site,
    and the next build cleans up."""
    site = make_site({})
    out = tmp_path / "out"
    for _ in range(builds_before):
        assert build(site, out) == 0
    old_page = (out / "index.html").read_text(encoding="utf-8")

    class Killed(BaseException):
        pass

    def killed(self: Path, target: Path) -> Path:
        raise Killed

    (site / "content/site.yaml").write_text((site / "content/site.yaml").read_text(
        "utf-8").replace("Testseite", "Neue Seite"), encoding="utf-8")
    monkeypatch.setattr(Path, "rename", killed)
    with pytest.raises(Killed):
        b.build(b.Options(site, out, images=False, search=False))
    monkeypatch.undo()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page == old_page or "Neue Seite" in page
    monkeypatch.setattr(output, "process_alive", lambda pid: False)  # the killed one is gone
    assert build(site, out) == 0
    assert "Neue Seite" in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a", encoding="utf-8")
    (tmp_path / "b").mkdir()
    assert output.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "x").read_text(encoding="utf-8") == "a"
    assert not any((tmp_path / "a").iterdir())


def test_swap_without_exchange_falls_back_to_two_renames(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "x").write_text("new", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("old", encoding="utf-8")
    output.swap_in(tmp_path / "new", tmp_path / "out")
    assert (tmp_path / "out" / "x").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_staging_folders_of_killed_runs_are_removed(make_site: MakeSite,
                                                    tmp_path: Path) -> None:
    site = make_site({})
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [tmp_path / ".out-new-abcd1234", tmp_path / f".out-new-{dead.stdout.strip()}-"
                 "abcd1234", tmp_path / ".out-old-k2j3h4g5"]
        busy = tmp_path / f".out-new-{running.pid}-abcd1234"
        other = tmp_path / ".outer-new-abcd1234"  # another folder's staging
        for folder in [*stale, busy, other]:
            (folder / "site").mkdir(parents=True)
            (folder / "site" / "index.html").write_text("x", encoding="utf-8")
        assert build(site, out) == 0
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == sorted([busy.name, other.name, "out", "site"])
    finally:
        running.kill()
        running.wait()


def test_remove_unlisted_keeps_exactly_the_listed_files(tmp_path: Path) -> None:
    root, outside = tmp_path / "tree", tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the tree's")
    for rel in ("index.html", "a/index.html", "a/b/old.html", "c/d/e/old.html", "f/new.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    (root / "a" / "link").symlink_to(outside, target_is_directory=True)
    (root / "f" / "kept-link").symlink_to(root / "index.html")
    output.remove_unlisted(root, {"index.html", "a/index.html", "f/new.html", "f/kept-link"})
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert left == ["a", "a/index.html", "f", "f/kept-link", "f/new.html", "index.html"]
    assert (outside / "keep.txt").read_text() == "not the tree's"  # a link is not followed
