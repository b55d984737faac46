"""The only module that writes the site to disk: build beside the target, then swap."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import gzip
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_relpath(rel: str) -> PurePosixPath:
    """Check that `rel` is a plain relative path inside the output folder."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise UnsafePath(rel)
    path = PurePosixPath(rel)
    if not path.parts or any(part in ("..", ".", "") for part in path.parts):
        raise UnsafePath(rel)  # no parts: "." names the output folder itself
    return path


def _plain_relpath(rel: str, parts: list[str]) -> bool:
    """True if `rel` (split into `parts` at "/") names a file inside the output folder as
    it is written: no empty, "." or ".." part, no backslash or NUL, not absolute."""
    return not ("\\" in rel or "\0" in rel or "" in parts or "." in parts or ".." in parts)


class Writer:
    """Writes files one by one under `root`, checking every path; parents made once.

    `root` may be a recycled tree (see recycled_staging) whose files are hard links shared
    with the live site: a file is therefore never written into, but created anew (an old
    one at its place is unlinked first). `written` holds every path given out.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.base = str(self.root)
        self.made: set[str] = set()
        self.written: set[str] = set()

    def target(self, rel: str) -> Path:
        return Path(self.place(rel))

    def place(self, rel: str) -> str:
        """The file name for `rel` under the root (checked, its folder made), as text."""
        parts = rel.split("/")
        if not _plain_relpath(rel, parts):
            rel = safe_relpath(rel).as_posix()  # raises, or normalises "a//b" to "a/b"
            parts = rel.split("/")
        folder = "/".join(parts[:-1])
        if folder not in self.made:
            self.make_folder(folder)
            self.made.add(folder)
        self.written.add(rel)
        return f"{self.base}/{rel}"

    def make_folder(self, folder: str) -> None:
        """Make `folder` under the root: one system call where it or its parent exists (a
        recycled tree holds every page's folder already; `os.makedirs` makes three). A file
        in its place fails the build when the first file is created in it."""
        path = f"{self.base}/{folder}" if folder else self.base
        try:
            os.mkdir(path)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(path, exist_ok=True)

    def write(self, rel: str, blob: bytes, packed: bool = False) -> str:
        """Write `blob` at `rel`; with `packed`, its .gz and .br copies from memory too.
        Returns the file name written."""
        target = self.place(rel)
        create(target, blob)
        if packed and os.path.splitext(target)[1] in COMPRESS_SUFFIXES:
            for suffix, pack in PACKERS:
                self.written.add(rel + suffix)
                create(target + suffix, pack(blob))
        return target

    def copy(self, rel: str, source: Path) -> None:
        """Copy the file `source` to `rel`."""
        target = self.target(rel)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        shutil.copyfile(source, target)

    def write_all(self, files: Mapping[str, bytes], packed: bool = False) -> None:
        """Write `files` (relative path → bytes), in the order of their paths."""
        for rel in sorted(files):
            self.write(rel, files[rel], packed)

    def copy_all(self, sources: Mapping[str, Path]) -> None:
        """Copy files (relative path → source file), in the order of their paths."""
        for rel in sorted(sources):
            self.copy(rel, sources[rel])


def create(target: str | Path, blob: bytes) -> None:
    """Write `blob` into a new file at `target`, unlinking a file that is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        os.unlink(target)
        fd = os.open(target, flags, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(blob)


def umask() -> int:
    """The process umask (read without changing it where /proc tells it)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def folder_mode() -> int:
    """The mode of an output folder: 0755 under the usual umask 022."""
    return 0o777 & ~umask()


def staging_dir(target: Path) -> Path:
    """A new empty folder beside `target`, on the same file system, readable like `mkdir`.

    Its name carries the process id, so that staging folders of earlier runs that were
    killed can be told apart from those of a build still running, and removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-",
                                   dir=target.parent))
    staged.chmod(folder_mode())  # mkdtemp makes 0700: the web server could not read it
    return staged


STALE_RE = re.compile(r"^\.(?P<name>.+)-(?:new|old)-(?:(?P<pid>\d+)-)?[A-Za-z0-9_]{8}$")


def remove_stale(target: Path) -> list[Path]:
    """Remove staging folders of `target` left by earlier runs that were killed."""
    removed = []
    for entry in sorted(target.parent.glob(f".{glob.escape(target.name)}-*-*")):
        match = STALE_RE.match(entry.name)
        if match is None or match["name"] != target.name or entry.is_symlink():
            continue
        if not entry.is_dir() or (match["pid"] and process_alive(int(match["pid"]))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # kernel or file system without RENAME_EXCHANGE
    raise OSError(error, os.strerror(error), str(a), None, str(b))


def swap_in(staged: Path, target: Path) -> None:
    """Replace `target` by `staged` in one step; the old tree is removed last."""
    old = swap(staged, target)
    if old is not None:
        discard(old)


def swap(staged: Path, target: Path) -> Path | None:
    """Put `staged` at `target` in one step; return where the old tree now is.

    Where the system cannot exchange two folders in one step, two renames are the
    fallback: between them `target` is briefly absent, never half-written. A file is
    never replaced.
    """
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} is a file, not an output folder")
    if not target.exists() and not target.is_symlink():
        staged.rename(target)
        return None
    if exchange(staged, target):
        return staged  # now holds the old tree (or the old symlink)
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-",
                                dir=target.parent))
    target.rename(old / "site")
    staged.rename(target)
    return old


def recycled_staging(target: Path, spare: Path) -> tuple[Path, bool]:
    """A staging folder for `target` (see staging_dir), made of the tree kept at `spare`
    by the last build when it is there: (folder, whether it was recycled).

    Creating folders and files is the dearest step of a large build. The kept tree is the
    one the last build replaced: a page that did not change in the last two builds is
    still the live site's file there (the same inode), and stays as it is. Every other
    file is replaced by a new one (see Writer), and what this build did not write is
    removed (remove_unlisted).
    """
    staged = staging_dir(target)
    if not spare.is_dir() or spare.is_symlink():
        return staged, False
    try:
        staged.rmdir()
        spare.rename(staged)  # same file system (else the fresh folder is made again)
    except OSError:
        staged.mkdir(mode=folder_mode(), exist_ok=True)
        return staged, False
    return staged, True


def keep_tree(old: Path, spare: Path) -> None:
    """Keep the swapped-out tree `old` at `spare`, for the next build to stage into."""
    try:
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
        spare.parent.mkdir(parents=True, exist_ok=True)
        old.rename(spare)
    except OSError:
        discard(old)


def remove_unlisted(root: Path, written: set[str]) -> None:
    """Remove every file (and link) under `root` that is not in `written`, then the
    folders left empty: what a recycled tree held and this build did not write."""
    _prune(str(root), "", written)


def _prune(folder: str, prefix: str, written: set[str]) -> bool:
    """remove_unlisted in `folder` (`prefix`: its path in the tree); True if it keeps a file."""
    kept = False
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if _prune(entry.path, rel + "/", written):
                kept = True
            else:
                with contextlib.suppress(OSError):
                    os.rmdir(entry.path)
        elif rel in written:
            kept = True
        else:
            os.unlink(entry.path)
    return kept


def discard(staged: Path) -> None:
    """Remove a staging folder (after a failed build, or the old tree after a swap)."""
    if staged.is_symlink():
        staged.unlink()
    else:
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


# --- precompressed copies -----------------------------------------------------------------

COMPRESS_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".csv", ".xml", ".txt", ".bib")
BROTLI_QUALITY = 5  # measured: 7 % smaller than gzip -9 at about its speed; 11 is 30× slower


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9 without a timestamp or file name: the same bytes on every build."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    import brotli  # local: only builds that write the site need it

    return bytes(brotli.compress(data, quality=BROTLI_QUALITY))


PACKERS = ((".gz", gzip_bytes), (".br", brotli_bytes))


def _pack(file: Path, root: Path, previous: Path | None) -> None:
    """Write file.gz and file.br; copies from `previous` are reused when the file is the same."""
    data = file.read_bytes()
    old = previous / file.relative_to(root) if previous is not None else None
    same = old is not None and old.is_file() and old.read_bytes() == data
    for suffix, pack in PACKERS:
        target = file.with_name(file.name + suffix)
        if target.exists():
            continue  # shipped with the theme, like plotly.js
        if same and old is not None and old.with_name(old.name + suffix).is_file():
            shutil.copyfile(old.with_name(old.name + suffix), target)
        else:
            target.write_bytes(pack(data))


def precompress(root: Path, previous: Path | None = None) -> int:
    """Write .gz and .br copies of every text file under `root` that lacks one (for
    gzip_static and brotli_static); zlib and brotli release the GIL, so two threads use
    two cores. Pages written with `Writer.write(packed=True)` have theirs already."""
    files: list[Path] = []
    for folder, _dirs, names in os.walk(root):
        present = set(names)
        for name in sorted(names):
            if (PurePosixPath(name).suffix in COMPRESS_SUFFIXES
                    and not all(name + suffix in present for suffix, _ in PACKERS)):
                file = Path(folder, name)
                if file.is_file() and not file.is_symlink():
                    files.append(file)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda f: _pack(f, root, previous), files))
    return len(files)
