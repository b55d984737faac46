"""The only module that writes the site to disk: build beside the target, then swap."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_relpath(rel: str) -> PurePosixPath:
    """Check that `rel` is a plain relative path inside the output folder."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise UnsafePath(rel)
    path = PurePosixPath(rel)
    if any(part in ("..", ".", "") for part in path.parts):
        raise UnsafePath(rel)
    return path


def write_tree(files: Mapping[str, bytes], root: Path) -> None:
    """Write `files` (relative path → bytes) under `root`, checking every path."""
    resolved = root.resolve()
    made: set[Path] = set()
    for rel in sorted(files):
        target = resolved.joinpath(*safe_relpath(rel).parts)
        if resolved not in target.parents:
            raise UnsafePath(rel)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[rel])


def copy_into(sources: Mapping[str, Path], root: Path) -> None:
    """Copy files (relative path → source file) under `root`."""
    resolved = root.resolve()
    for rel in sorted(sources):
        target = resolved.joinpath(*safe_relpath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[rel], target)


def staging_dir(target: Path) -> Path:
    """A new empty folder beside `target`, on the same file system."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))


def swap_in(staged: Path, target: Path) -> None:
    """Replace `target` by `staged` with two renames; the old tree is removed last.

    Between the renames `target` is briefly absent, never half-written. A folder that is
    not ours (a file, or a non-empty folder without our marker) is never deleted.
    """
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} is a file, not an output folder")
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        target.rename(old / "site")
    staged.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staged, ignore_errors=True)


MARKER = ".dmoves-site"


def is_ours_or_empty(target: Path) -> bool:
    """True if `target` is absent, empty, or was written by this tool."""
    if not target.exists():
        return True
    if not target.is_dir():
        return False
    return (target / MARKER).is_file() or not any(target.iterdir())


class DuplicatePath(ValueError):
    """Two parts of the build produced the same output path (a bug, never content)."""


def add(files: dict[str, bytes], more: Mapping[str, bytes]) -> None:
    """Add `more` to `files`; writing one path twice is an error, as in Pelican's writer."""
    check_unique(files, more)
    files.update(more)


def check_unique(*groups: Iterable[str]) -> None:
    """Raise DuplicatePath if an output path occurs twice in or across `groups`."""
    seen: set[str] = set()
    twice: set[str] = set()
    for group in groups:
        for rel in group:
            (twice if rel in seen else seen).add(rel)
    if twice:
        raise DuplicatePath(", ".join(sorted(twice)))
