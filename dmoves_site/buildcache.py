"""The persistent build cache in `<site>/.cache/build/`: a rebuild redoes only what changed.

Two stores, each valid only for the same tool code and Python version:

- records (`records.pickle`): what reading and validating each content file gave
  (`load.FileResult`), reused while the file's size, modification and change times and
  inode are the same;
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
import dataclasses
import hashlib
import importlib.metadata
import marshal
import os
import pickle
import shutil
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import partial
from pathlib import Path, PurePath
from typing import Any, TypeVar

from dmoves_site import output, pickling
from dmoves_site.pickling import FIELDS, field_names
from dmoves_site.render import FileGroup, PageSpec, Renderer

FORMAT = 4
S = TypeVar("S", "Records", "Pages")
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


# --- fingerprints ----------------------------------------------------------------------


class Uncacheable(TypeError):
    """A value without a defined fingerprint: the page that uses it is always rendered."""


_PLAIN = (type(None), bool, int, float, str, bytes, Decimal, date, datetime, PurePath, Enum)


class Digester:
    """Deterministic fingerprints of values (records, contexts, charts), memoised by object.

    Two values get the same fingerprint only if they print the same: types count (1 and
    1.0, 6.4 and 6.40 differ), order counts in sequences and mappings, not in sets. Every
    part is self-delimiting (a type tag and a length, or a 16-byte digest), so different
    values never encode alike. The memo holds every object it saw: ids stay unique.
    """

    def __init__(self) -> None:
        self.memo: dict[int, tuple[Any, bytes]] = {}

    def of(self, value: Any) -> bytes:
        if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
            return hashlib.blake2b(_plain(value), digest_size=16).digest()
        hit = self.memo.get(id(value))
        if hit is not None:
            return hit[1]
        digest = hashlib.blake2b(self.plain_data(value) or self.encode(value),
                                 digest_size=16).digest()
        self.memo[id(value)] = (value, digest)
        return digest

    @staticmethod
    def plain_data(value: Any) -> bytes | None:
        """A list, tuple or dict of nothing but built-in values (a chart's figure, rows of a
        table) in one pass of `marshal`, which tells types apart as `encode` does (1, 1.0
        and True; a list and a tuple); None for anything else. Format 2 writes no
        back-references, so equal values give equal bytes. A set inside comes out in its
        hash order, which can differ between runs: at worst its page is rendered again."""
        if type(value) not in _MARSHAL_KINDS:
            return None
        try:
            return b"m" + marshal.dumps(value, 2)  # `encode` starts with "p": never alike
        except ValueError:  # holds a record, a date, Markup, …
            return None

    def encode(self, value: Any) -> bytes:
        kind = type(value)
        parts = [_prefix(kind)]
        part = self.part
        if kind is tuple or kind is list or isinstance(value, (tuple, list)):
            parts += [part(v) for v in value]
        elif isinstance(value, dict):
            for key, item in value.items():
                parts += [part(key), part(item)]
        elif isinstance(value, (set, frozenset)):
            parts += sorted(part(v) for v in value)
        elif kind in FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            parts += [part(getattr(value, name)) for name in field_names(kind)]
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
            parts.append(_plain(f"{value.__module__}.{value.__qualname__}"))
        else:
            raise Uncacheable(f"no fingerprint for {kind.__qualname__}")
        return b"".join(parts)

    def part(self, value: Any) -> bytes:
        if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
            return _plain(value)
        return b"d" + self.of(value)


_MARSHAL_KINDS = frozenset({list, tuple, dict})
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), Decimal, date, datetime, bytes})
_PREFIXES: dict[type, bytes] = {}


def _prefix(kind: type) -> bytes:
    prefix = _PREFIXES.get(kind)
    if prefix is None:
        prefix = _PREFIXES[kind] = f"p{kind.__module__}.{kind.__qualname__}:".encode()
    return prefix


def _plain(value: Any) -> bytes:
    """'s' + length + UTF-8 for text, else type + length + repr (6.4 and 6.40 differ)."""
    if type(value) is str:
        data = value.encode("utf-8", "surrogatepass")
        return b"s%d:" % len(data) + data
    data = repr(value).encode("utf-8", "surrogatepass")
    return _prefix(type(value)) + b"%d:" % len(data) + data


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
        self.store = self.read("records.pickle", Records) or Records(self.tool)
        self.used_records: dict[str, Any] = {}
        self.new_pages: dict[str, PageEntry] = {}

    def read(self, name: str, kind: type[S]) -> S | None:
        """The store in `name` if it is one of `kind` written by this very tool."""
        try:
            with (self.folder / name).open("rb") as handle:
                store = pickle.Unpickler(handle).load()
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                TypeError, ValueError):
            return None
        if not isinstance(store, kind) or store.tool != self.tool:
            return None
        return store

    def record_cache(self) -> RecordCache:
        """The mapping `load.Loader` reads and fills (see `RecordCache`)."""
        return RecordCache(self.store.records, self.used_records)

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
                if item is not None and not isinstance(item, _PLAIN):
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
        whatever becomes of the build (builds write it while their workers render)."""
        previous = self.store.records
        if len(previous) == len(self.used_records) and all(
                previous.get(path) is result for path, result in self.used_records.items()):
            return
        with contextlib.suppress(OSError):
            self.write("records.pickle", Records(self.tool, self.used_records))
            self.store = Records(self.tool, self.used_records)

    def save(self, out: Path) -> None:
        """Write the stores for the build just swapped into `out` (each atomically)."""
        self.save_records()
        with contextlib.suppress(OSError):
            self.write("pages.pickle", Pages(self.tool, self.templates, str(out),
                                             self.new_pages))

    def write(self, name: str, store: Records | Pages) -> None:
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
