"""The persistent build cache in `<site>/.cache/build/`: a rebuild redoes only what changed.

Two stores, each valid only for the same tool code and Python version:

- records (`records.pickle`): what reading and validating each content file gave
  (`load.FileResult`), reused while the file's size, modification and change times and
  inode are the same. A build that changed few of them writes only those, into
  `records-changed.pickle` beside it, read on top of it;
- pages (`pages.pickle`, read by builds only): for every page of the last build, a
  fingerprint of everything it was rendered from (its PageSpec with its typed context,
  its charts, the context shared by all pages, the message catalogue with the site's own
  messages/) and the identity of the file written for it. A page whose fingerprint is
  unchanged, and whose file in the previous output is the one written then, is
  hard-linked into the new output instead of rendered. The measures' Atom feeds are kept
  the same way. Any change to a template drops the page store.

The output is the same as a clean build's: a page is reused only when every input it
was rendered from is unchanged. The cache is an optimisation: an unreadable or foreign
cache is ignored, a cache that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from dmoves_site import output, pickling
from dmoves_site.fingerprints import PLAIN, Digester, Uncacheable
from dmoves_site.render import FileGroup, PageSpec, Renderer

FORMAT = 4
S = TypeVar("S", "Records", "ChangedRecords", "Pages")
PACKAGE = Path(__file__).parent
def _tree_digest(roots: Iterable[Path], suffixes: tuple[str, ...]) -> str:
    """A digest of the names and bytes of every matching file under `roots`."""
    h = hashlib.sha256()
    for root in roots:
        if not root.is_dir():
            continue
        h.update(b"root\0" + str(root).encode())
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.suffix in suffixes:
                h.update(file.relative_to(root).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


# what the output is made with besides the tool's own code: their versions are in the key
MAKERS = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "nh3", "pillow",
          "plotly", "pyyaml")


def maker_versions() -> str:
    versions = []
    for name in MAKERS:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return ",".join(versions)


def tool_key() -> str:
    """The tool's own code, the versions of the libraries that make its output (a new
    Pillow draws other cards) and the Python version: a change invalidates everything."""
    code = _tree_digest([PACKAGE], (".py", ".html", ".xml", ".txt", ".j2"))
    return f"{FORMAT}-{sys.version_info[:3]}-{code}-{maker_versions()}"


def template_key(site: Path) -> str:
    """The site's templates/ (overrides) and the theme's templates."""
    return _tree_digest([site / "templates", PACKAGE / "theme" / "templates"],
                        (".html", ".xml", ".txt", ".j2", ".css", ".js", ".svg"))


# --- the stores --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageEntry:
    """How one page was rendered last time, and the file written for it."""

    fingerprint: bytes
    stamp: tuple[int, ...]   # output_stamp of the file written for it


@dataclass(slots=True)
class Records:
    """The file results of the last build (`records.pickle`)."""

    tool: str
    records: dict[str, Any] = field(default_factory=dict)
    token: str = ""  # names this very store: what a `ChangedRecords` was written on


@dataclass(slots=True)
class ChangedRecords:
    """The file results that differ from those in the `Records` named by `base`
    (`records-changed.pickle`): the new or changed ones, and the paths no longer read.
    Each result holds the stamp of its file, so one read on top of any store is still
    reused only for the very file it was made from."""

    tool: str
    base: str
    records: dict[str, Any] = field(default_factory=dict)
    removed: tuple[str, ...] = ()


# a changed-records store larger than this share of the records rewrites the whole store
CHANGED_SHARE = 0.125


@dataclass(slots=True)
class Pages:
    """The pages of the last build into one output folder (`pages.pickle`): a file of its
    own, which `check` never reads."""

    tool: str
    templates: str = ""
    out: str = ""
    pages: dict[str, PageEntry] = field(default_factory=dict)


class BuildCache:
    """Reads the stores at the start of a build (the pages when asked) and writes the new
    ones at its end."""

    def __init__(self, site: Path) -> None:
        self.folder = site / ".cache" / "build"
        self.spare = self.folder / "tree"  # the tree the last build replaced
        shutil.rmtree(self.folder / "folders", ignore_errors=True)  # its folders, formerly
        with contextlib.suppress(FileNotFoundError):
            (self.folder / "store.pickle").unlink()  # both stores in one file, formerly
        self.tool = tool_key()
        self.templates = template_key(site)
        self.base = self.read("records.pickle", Records) or Records(self.tool)
        self.records = dict(self.base.records)  # the results of the last build
        changed = self.read("records-changed.pickle", ChangedRecords)
        if changed is not None and self.base.token and changed.base == self.base.token:
            self.records.update(changed.records)
            for path in changed.removed:
                self.records.pop(path, None)
        self.used_records: dict[str, Any] = {}
        self.new_pages: dict[str, PageEntry] = {}

    def read(self, name: str, kind: type[S]) -> S | None:
        """The store in `name` if it is one of `kind` written by this very tool."""
        try:
            with (self.folder / name).open("rb") as handle:
                store = pickling.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                TypeError, ValueError):
            return None
        if not isinstance(store, kind) or store.tool != self.tool:
            return None
        return store

    def record_cache(self) -> RecordCache:
        """The mapping `load.Loader` reads and fills (see `RecordCache`)."""
        return RecordCache(self.records, self.used_records)

    def record_digests(self) -> dict[int, tuple[Any, bytes]]:
        """Fingerprints of the records this build loaded, from their files' bytes.

        A record depends only on its own file (that is what makes reusing it sound): so
        the file's path and the digest of its bytes stand for the record's values, and
        its fields need not be walked. The bytes, not the file's times: a fresh checkout
        (in CI, with `.cache/` and the output restored) gives the same fingerprints.
        Keyed by object id, for `Digester.memo`; only these very objects are covered.
        """
        known: dict[int, tuple[Any, bytes]] = {}
        for path, result in self.used_records.items():
            if not result.digest:
                continue  # unread: its records are walked
            record = result.record
            seed = f"{path}\0".encode() + result.digest
            items = list(enumerate(record)) if isinstance(record, list) else [(-1, record)]
            for index, item in items:
                if item is not None and not isinstance(item, PLAIN):
                    digest = hashlib.blake2b(seed + b"%d" % index, digest_size=16).digest()
                    known[id(item)] = (item, digest)
        return known

    def previous_pages(self, out: Path) -> dict[str, PageEntry]:
        """Entries of the last build into `out` with the same templates, else none."""
        store = self.read("pages.pickle", Pages)
        if store is None or store.templates != self.templates or store.out != str(out):
            return {}
        return store.pages

    def save_records(self) -> None:
        """Write the records store, unless it holds these very results already (then it
        is this build's store). Any time after loading: a result stays true of its file
        whatever becomes of the build (builds write it while their workers render).

        Where few results differ from `records.pickle`, only they are written (into
        `records-changed.pickle`): one edit of a large site costs milliseconds, not the
        whole store."""
        used, base = self.used_records, self.base.records
        if len(self.records) == len(used) and all(
                self.records.get(path) is result for path, result in used.items()):
            return
        changed = {path: result for path, result in used.items() if base.get(path) is not result}
        removed = tuple(path for path in base if path not in used)
        with contextlib.suppress(OSError):
            if self.base.token and len(changed) + len(removed) <= CHANGED_SHARE * len(base):
                self.write("records-changed.pickle",
                           ChangedRecords(self.tool, self.base.token, changed, removed))
            else:
                self.base = Records(self.tool, used, f"{time.time_ns()}-{os.getpid()}")
                self.write("records.pickle", self.base)
                (self.folder / "records-changed.pickle").unlink(missing_ok=True)
            self.records = dict(used)

    def save(self, out: Path) -> None:
        """Write the stores for the build just swapped into `out` (each atomically)."""
        self.save_records()
        with contextlib.suppress(OSError):
            self.write("pages.pickle", Pages(self.tool, self.templates, str(out),
                                             self.new_pages))

    def write(self, name: str, store: Records | ChangedRecords | Pages) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f"{name}.{os.getpid()}"
        with temp.open("wb") as handle:
            pickling.dump(store, handle)
        temp.replace(self.folder / name)

    def clear(self) -> None:
        """Forget the store (after a failed build, nothing of it is trusted)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class RecordCache(dict[str, Any]):
    """The previous file results; remembers which ones this build used or added."""

    def __init__(self, previous: dict[str, Any], used: dict[str, Any]) -> None:
        super().__init__(previous)
        self.used = used

    def get(self, key: str, default: Any = None) -> Any:
        hit = super().get(key, default)
        if hit is not None:
            self.used[key] = hit
        return hit

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.used[key] = value

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


# --- pages ---------------------------------------------------------------------------------


def output_stamp(stat: os.stat_result) -> tuple[int, int]:
    """Size and modification time of an output file: a hard link keeps both, and so does a
    copy that keeps its times (a CI cache restored, `cp -p`, `rsync -t`); any write
    changes the time."""
    return (stat.st_size, stat.st_mtime_ns)


class PageWriter:
    """Writes pages into the staging folder: rendered, or linked from the last build.

    A page is made from its PageSpec (typed context, title, crumbs), its charts and the
    context shared by all pages (`Renderer.common`, from which header and footer are
    rendered): templates see nothing else. Their fingerprint decides. `previous` are the
    entries of the last build into `previous_out`; `entries` collects those of this build,
    `rendered` counts the pages rendered (not reused).
    """

    def __init__(self, renderer: Renderer, staged: Path, previous_out: Path,
                 previous: dict[str, PageEntry],
                 known: dict[int, tuple[Any, bytes]] | None = None,
                 packed: bool = True) -> None:
        self.renderer = renderer
        self.packed = packed  # write .gz and .br beside each page
        self.model = renderer.model
        self.writer = output.Writer(staged)
        self.previous_out = previous_out
        self.previous_base = str(previous_out)
        self.previous = previous
        self.digester = Digester()
        self.digester.memo.update(known or {})
        self.entries: dict[str, PageEntry] = {}
        self.rendered = 0
        try:
            # the catalogue is a template global, outside the shared context
            self.common: bytes | None = self.digester.of((renderer.common,
                                                          renderer.model.t.parts()))
        except Uncacheable:
            self.common = None

    @property
    def paths(self) -> set[str]:
        """Every file written or kept so far."""
        return self.writer.written

    def write(self, spec: PageSpec) -> None:
        if self.reuse_or_write(spec.path, self.fingerprint(spec),
                               lambda: self.renderer.render(spec)):
            self.rendered += 1

    def write_file(self, rel: str, shown: Any, make: Callable[[], bytes]) -> None:
        """Write the file at `rel` that `make()` renders from `shown` and the shared context,
        or link it from the last build if both are unchanged (a feed: not a page)."""
        self.reuse_or_write(rel, self.shown_fingerprint(shown), make)

    def write_group(self, group: FileGroup) -> None:
        """Link the files of `group` from the last build where what they show is unchanged;
        the others are made (all by one call of `group.make`) and written."""
        fingerprint = self.shown_fingerprint(group.shown)
        made: dict[str, bytes] = {}

        def make(rel: str) -> bytes:
            if not made:
                made.update(group.make())
                if set(made) != set(group.names):
                    raise ValueError(f"file group names {sorted(group.names)}, "
                                     f"makes {sorted(made)}")
            return made[rel]

        for rel in group.names:
            self.reuse_or_write(rel, fingerprint, partial(make, rel))

    def shown_fingerprint(self, shown: Any) -> bytes | None:
        """Of `shown` and the shared context; None if a value has no fingerprint."""
        if self.common is None:
            return None
        try:
            return hashlib.blake2b(self.common + self.digester.encode(shown),
                                   digest_size=16).digest()
        except Uncacheable:
            return None

    def reuse_or_write(self, rel: str, fingerprint: bytes | None,
                       make: Callable[[], bytes]) -> bool:
        """Link `rel` from the last build if its fingerprint matches, else write `make()`;
        True if it was written."""
        old = self.previous.get(rel)
        if (fingerprint is not None and old is not None and fingerprint == old.fingerprint
                and self.link(rel, old.stamp)):
            self.entries[rel] = old
            return False
        target = self.writer.write(rel, make(), self.packed)
        if fingerprint is not None:
            self.entries[rel] = PageEntry(fingerprint, output_stamp(os.stat(target)))
        return True

    def fingerprint(self, spec: PageSpec) -> bytes | None:
        """Of everything the page is rendered from; None if a value has no fingerprint."""
        if self.common is None:
            return None
        try:
            charts = tuple(self.model.chart_by_id[c] for c in spec.charts)
            parts = (self.common, self.digester.encode(spec), self.digester.of(charts))
        except Uncacheable:
            return None
        return hashlib.blake2b(b"".join(parts), digest_size=16).digest()

    def link(self, rel: str, stamp: tuple[int, ...]) -> bool:
        """Reuse the last build's file for `rel` if it is the one written then: where the
        recycled tree holds that very file already it stays, else it is hard-linked."""
        new = self.writer.place(rel)
        try:
            here: tuple[int, ...] | None = output_stamp(os.stat(new))
        except OSError:
            here = None
        if here != stamp:
            old = f"{self.previous_base}/{rel}"
            try:
                if output_stamp(os.stat(old)) != stamp:
                    return False
                if here is not None:
                    os.unlink(new)
                os.link(old, new)
            except OSError:
                return False
        if self.packed:
            self.link_packed(rel, Path(new))
        return True

    def link_packed(self, rel: str, new: Path) -> None:
        """The .gz and .br copies of a reused file, made from it by the last build."""
        old = self.previous_out.joinpath(*rel.split("/"))
        for suffix, _pack in output.PACKERS:
            self.writer.written.add(rel + suffix)
            old_copy, new_copy = old.with_name(old.name + suffix), new.with_name(new.name + suffix)
            try:
                if new_copy.stat().st_ino == old_copy.stat().st_ino:
                    continue
            except OSError:
                pass
            with contextlib.suppress(FileNotFoundError):
                new_copy.unlink()
            with contextlib.suppress(OSError):  # none: the precompress pass makes it
                os.link(old_copy, new_copy)
