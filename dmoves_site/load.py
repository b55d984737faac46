"""Load a `content/` folder: read every file, validate, check ids and references."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from dmoves_site import history, pickling
from dmoves_site import model as m
from dmoves_site.checks import closest
from dmoves_site.kinds import KINDS, Kind
from dmoves_site.problems import Problems
from dmoves_site.reader import FILL_IN, RawFile, read_markdown_file, read_yaml_file
from dmoves_site.references import References
from dmoves_site.routes import reserved_page_ids
from dmoves_site.schema import Validator
from dmoves_site.settings import check_site, read_site

T = TypeVar("T")

# folders that hold no records: files the records name (`images`: the logo, update images)
OTHER_DIRS = ("documents", "images")


class Loader:
    """Reads one content folder; all problems end up in `problems`."""

    def __init__(self, root: Path, drafts: bool = False,
                 cache: dict[str, FileResult] | None = None, strict: bool = True) -> None:
        self.root = root
        self.drafts = drafts
        self.strict = strict  # False: a missing required page is a warning (build, serve)
        # serve keeps this between runs: unchanged files are not read or validated again
        self.cache = cache
        self.problems = Problems()
        self.validator = Validator(self.problems)
        # ids of records that failed validation: they still exist for reference checks,
        # so one broken file gives one problem, not one per file that refers to it
        self.failed_ids: dict[str, set[str]] = {}

    def rel(self, file: Path) -> str:
        return file.relative_to(self.root.parent).as_posix()

    def files(self, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        base = self.root / folder
        if not base.is_dir():
            return []
        if base.is_symlink() and not self.inside(base):
            self.outside_link(base, "ordner")
            return []
        try:
            with os.scandir(base) as entries:
                names = sorted(e.name for e in entries if self.usable(e, suffixes))
        except OSError as exc:
            self.problems.error(self.rel(base), 0, "ordner", f"Ordner nicht lesbar: "
                                f"{exc.strerror}", "Zugriffsrechte des Ordners prüfen")
            return []
        found = []
        for name in names:  # sorted by name, as the paths of one folder sort
            file = base / name
            if name.endswith(suffixes):
                found.append(file)
            else:
                self.problems.warn(self.rel(file), 0, "datei",
                                   "Datei wird ignoriert (unbekannte Endung)",
                                   "erwartet: " + ", ".join(suffixes))
        return found

    def usable(self, entry: os.DirEntry[str], suffixes: tuple[str, ...]) -> bool:
        """A regular file to read; anything else but hidden files is reported."""
        if entry.name.startswith("."):
            return False
        try:
            if entry.is_file() and not entry.is_symlink():
                return True  # the usual case, from the folder listing alone
        except OSError:
            pass
        path = Path(entry.path)
        try:
            if entry.is_file():
                if entry.is_symlink() and not self.inside(path):
                    self.outside_link(path, "datei")
                    return False
                return True
            kind = entry.is_dir() and not entry.is_symlink()
        except OSError:  # e.g. a symlink loop
            self.problems.error(self.rel(path), 0, "datei",
                                "Verknüpfung (Symlink) lässt sich nicht auflösen",
                                "Verknüpfung löschen oder durch die Datei ersetzen")
            return False
        self.problems.warn(self.rel(path), 0, "datei", *skipped(entry, kind, suffixes))
        return False

    def read_kind(self, kind: Kind) -> list[Any]:
        """Read and validate every file of one kind."""
        suffixes = (".md",) if kind.markdown else (".yaml", ".yml")
        files = self.files(kind.folder, suffixes)
        count = parallel_workers(len(files))
        if count > 1 and (self.cache is None or self.mostly_unread(files)):
            records = self.read_parallel(kind, files, count)
        else:
            records = self.read_files(kind.folder, kind.markdown, self.maker(kind), files)
        return [r for batch in records for r in batch] if kind.many else records

    def mostly_unread(self, files: list[Path]) -> bool:
        """Whether the cache lacks at least half of `files` as they are now (all, in a fresh
        checkout), judged from 32 of them: each is stat()ed again when it is read."""
        cache = self.cache or {}
        sample = files[:: max(1, len(files) // 32)]
        unread: int = sum(getattr(dict.get(cache, str(f)), "stamp", None)
                          != file_stamp(f.stat()) for f in sample)
        return 2 * unread >= len(sample)

    def maker(self, kind: Kind) -> Callable[[RawFile, str], Any]:
        """The kind's validation, bound to this loader's validator."""
        return functools.partial(kind.validate, self.validator)

    def read_parallel(self, kind: Kind, files: list[Path], count: int) -> list[Any]:
        """Read and validate `files` in forked workers; merge their results in file order."""
        folder = kind.folder
        keep = self.cache is not None
        chunks = [(self.root, kind.name, files[i::count], keep) for i in range(count)]
        with multiprocessing.get_context("fork").Pool(count) as pool:
            parts: list[_Chunk] = [pickling.loads(part) for part in pool.map(_read_chunk, chunks)]
        records: list[Any] = []
        for part in parts:
            records += part.records
            self.problems.extend(part.problems)
            self.validator.refs += part.refs
            self.validator.source_refs += part.source_refs
            self.failed_ids.setdefault(folder, set()).update(part.failed)
            if self.cache is not None:
                self.cache.update(part.results)
        order = {self.rel(f): i for i, f in enumerate(files)}
        return sorted(records, key=lambda r: order.get(_path_of(r), 0))

    def read_files(self, folder: str, markdown: bool, make: Callable[[RawFile, str], T | None],
                   files: list[Path]) -> list[T]:
        reader = read_markdown_file if markdown else read_yaml_file
        read = self.read_one if self.cache is None else self.read_cached
        result = []
        for file in files:
            record, failed = read(file, reader, make)
            if record is not None:
                result.append(record)
            else:
                self.failed_ids.setdefault(folder, set()).add(failed)
        return result

    def read_one(self, file: Path, reader: Callable[..., RawFile | None],
                 make: Callable[[RawFile, str], T | None]) -> tuple[T | None, str]:
        """Read and validate one file: (record or None, the id to assume if it failed)."""
        raw = reader(file, self.rel(file), self.problems)
        record = None
        if raw is not None:
            self.check_fill_ins(raw)
            record = make(raw, file.stem)
        return record, self.guess_id(raw, file.stem)

    def read_cached(self, file: Path, reader: Callable[..., RawFile | None],
                    make: Callable[[RawFile, str], T | None]) -> tuple[T | None, str]:
        """`read_one` through the cache: reuse the result while size and mtime match."""
        assert self.cache is not None
        stamp = file_stamp(file.stat())
        hit = self.cache.get(str(file))
        if hit is None or hit.stamp != stamp:
            before = (len(self.problems.items), len(self.validator.refs),
                      len(self.validator.source_refs))
            record, failed = self.read_one(file, reader, make)
            hit = FileResult(stamp, record, self.problems.items[before[0]:],
                             self.validator.refs[before[1]:],
                             self.validator.source_refs[before[2]:], failed,
                             content_digest(file))
            self.cache[str(file)] = hit
        else:
            self.problems.extend(hit.problems)
            self.validator.refs += hit.refs
            self.validator.source_refs += hit.source_refs
        return hit.record, hit.failed

    def check_fill_ins(self, raw: RawFile) -> None:
        """Warn for every `[[BITTE ERGÄNZEN: …]]` placeholder, with its line."""
        for match in FILL_IN.finditer(raw.body):
            line = raw.body_line + raw.body.count("\n", 0, match.start())
            self.problems.warn(raw.path, line, "body", f"Platzhalter: {match.group(1)}",
                               "vor der Veröffentlichung ausfüllen")
        for key, value in raw.data.items():
            if isinstance(value, str):
                for match in FILL_IN.finditer(value):
                    self.problems.warn(raw.path, raw.data.line_of(key), key,
                                       f"Platzhalter: {match.group(1)}",
                                       "vor der Veröffentlichung ausfüllen")

    @staticmethod
    def guess_id(raw: RawFile | None, stem: str) -> str:
        given = raw.data.get("id") if raw is not None else None
        if isinstance(given, str):
            return given
        match = m.DATED_NAME_RE.match(stem)
        return match.group(2) if match else stem

    def load(self) -> m.Content | None:
        """Return the content, or None when there are errors (see `problems`)."""
        if not self.root.is_dir():
            self.problems.error(str(self.root), 0, "content", "Ordner nicht gefunden",
                                "mit --site den Ordner angeben, der content/ enthält")
            return None
        site = self.load_site()
        groups = {kind.name: self.read_kind(kind) for kind in KINDS}
        self.check_unknown_folders()
        for kind, records in groups.items():
            self.check_unique(kind, records)
        self.check_pages(groups["page"])
        self.check_programs(groups["program"])
        self.check_source_files(groups["source"])
        self.check_update_images(groups["update"])
        References(self.problems).check(groups, self.failed_ids, self.validator)
        self.check_sections(groups["source"])
        if site is not None:
            check_site(site, self.root, groups, self.problems, self.strict)
            history.check_history(groups["measure"], site.as_of, self.problems)
            history.check_services(groups["service"], site.as_of, self.problems)
        if site is None or self.problems.errors:
            return None
        return m.Content(site=site, records={
            kind.name: kind.sort(groups[kind.name], self.drafts) for kind in KINDS})

    def load_site(self) -> m.Site | None:
        file = self.root / "site.yaml"
        if not file.is_file():
            self.problems.error(self.rel(file), 0, "datei", "site.yaml fehlt",
                                "content/site.yaml mit title, publisher, base_url, language, "
                                "as_of anlegen")
            return None
        if not self.inside(file):
            self.outside_link(file, "datei", line=0)
            return None
        raw = read_yaml_file(file, self.rel(file), self.problems)
        if raw is not None:
            self.check_fill_ins(raw)
        return read_site(raw, self.problems) if raw is not None else None

    def check_unknown_folders(self) -> None:
        known = (*KINDS.folders(), *OTHER_DIRS)
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and entry.name not in known and not entry.name.startswith("."):
                close = closest(entry.name, known)
                hint = f"meinten Sie {close!r}?" if close else "erlaubt: " + ", ".join(known)
                self.problems.warn(self.rel(entry), 0, "ordner", "unbekannter Ordner wird "
                                   "ignoriert", hint)

    def check_unique(self, kind: str, records: Iterable[Any]) -> None:
        seen: dict[str, Any] = {}
        for record in records:
            if record.id in seen:
                first = seen[record.id]
                self.problems.error(record.path, getattr(record, "line", 0) or 1, "id",
                                    f"Kennung {record.id!r} ist bereits vergeben",
                                    f"auch in {first.path}")
            else:
                seen[record.id] = record

    def check_pages(self, pages: list[m.Page]) -> None:
        reserved = reserved_page_ids()
        for page in pages:
            if page.id in reserved:
                self.problems.error(page.path, 1, "id", f"{page.id!r} ist für einen Bereich "
                                    "der Website reserviert", "andere Kennung wählen")

    def check_programs(self, programs: list[m.Program]) -> None:
        numbers: dict[int, str] = {}
        for program in programs:
            if program.number in numbers:
                self.problems.error(program.path, 1, "number",
                                    f"Nummer {program.number} ist schon vergeben",
                                    f"auch in {numbers[program.number]}")
            numbers[program.number] = program.path

    def inside(self, path: Path) -> bool:
        """True if `path`, with every link resolved, lies inside the content folder."""
        try:
            return path.resolve().is_relative_to(self.root.resolve())
        except (OSError, RuntimeError):  # a link loop never lies inside
            return False

    def outside_link(self, path: Path, fld: str, rel: str | None = None, line: int = 1) -> None:
        self.problems.error(rel or self.rel(path), line, fld,
                            "Verknüpfung (Symlink) zeigt aus content/ heraus",
                            "nur Dateien innerhalb von content/ werden veröffentlicht")

    def check_source_files(self, sources: list[m.Source]) -> None:
        for source in sources:
            self.check_linked_file(source.path, "file", source.file)

    def check_update_images(self, updates: list[m.Update]) -> None:
        for update in updates:
            self.check_linked_file(update.path, "image", update.image)
            path = self.root / update.image
            if update.image and path.is_file() and self.inside(path):
                problem = raster_problem(path)
                if problem:
                    self.problems.error(update.path, 1, "image", problem,
                                        "ein Foto oder eine Grafik als PNG, JPEG, GIF oder "
                                        "WebP angeben (SVG und andere Dateiarten nicht)")

    def check_linked_file(self, rel: str, fld: str, name: str) -> None:
        """A file named in a record must exist inside content/ (no links out)."""
        if not name:
            return
        path = self.root / name
        if not path.is_file():
            self.problems.error(rel, 1, fld, f"Datei {name!r} nicht gefunden",
                                "Pfad relativ zu content/ angeben")
        elif not self.inside(path):
            self.outside_link(path, fld, rel)

    def check_sections(self, sources: list[m.Source]) -> None:
        """Warn where a cited section does not occur in the cited document's text."""
        texts = {}
        for source in sources:
            if source.file and (self.root / source.file).is_file():
                raw = (self.root / source.file).read_bytes().decode("utf-8", "replace")
                texts[source.id] = raw
        missing: dict[tuple[str, str], list[tuple[m.SourceRef, int]]] = defaultdict(list)
        for ref, path, line in self.validator.source_refs:
            text = texts.get(ref.source)
            if text is not None and is_checked_section(ref.section) \
                    and not section_occurs(ref.section, text):
                missing[(path, ref.source)].append((ref, line))
        for (path, cited), refs in sorted(missing.items()):
            self.warn_sections(path, cited, refs)

    def warn_sections(self, path: str, source: str, refs: list[tuple[m.SourceRef, int]]
                      ) -> None:
        """One warning per cited section; one for the whole file where a list cites many."""
        hint = "Abschnittsnummer oder Überschrift wörtlich angeben"
        if len(refs) > MAX_SECTION_WARNINGS:
            shown = ", ".join(repr(r.section) for r, _ in refs[:3])
            self.problems.warn(path, refs[0][1], "section", f"{len(refs)} zitierte Abschnitte "
                               f"kommen im Dokument der Quelle {source!r} nicht vor, z. B. "
                               f"{shown}", hint)
            return
        for ref, line in refs:
            self.problems.warn(path, line, "section", f"Abschnitt {ref.section!r} kommt "
                               f"im Dokument der Quelle {source!r} nicht vor", hint)


@dataclass(slots=True)
class FileResult:
    """What reading one file gave: kept by serve between rebuilds."""

    stamp: tuple[int, ...]      # size, mtime and ctime (ns), inode
    record: Any
    problems: list[Any]
    refs: list[Any]
    source_refs: list[Any]
    failed: str                 # the id assumed for the file if it has no record
    digest: bytes = b""         # of the file's bytes: what the record is made from


def file_stamp(stat: os.stat_result) -> tuple[int, ...]:
    """Size, modification and change times, inode: any write changes one."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def content_digest(file: Path) -> bytes:
    """A digest of the file's bytes (empty if it cannot be read)."""
    try:
        return hashlib.blake2b(file.read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


def load_content(root: Path, drafts: bool = False, cache: dict[str, FileResult] | None = None,
                 strict: bool = True) -> tuple[m.Content | None, Problems]:
    """Load `root` (a content folder) and return the content and all problems."""
    loader = Loader(root, drafts, cache, strict)
    content = loader.load()
    return content, loader.problems


@functools.lru_cache(maxsize=16)
def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split()).casefold()


MAX_SECTION_WARNINGS = 3   # more missing sections in one file: one warning for all
_PASSAGE_ID = re.compile(r"^\S*\d\S*$")   # one token with a digit: 10001, OZG-10001, L100


def is_checked_section(section: str) -> bool:
    """Heading numbers ('1.1.4') and quoted phrases are checked against the document text;
    other passage ids (an OZG-ID, a LeiKa key, a row number) cannot be, and are not."""
    text = section.strip()
    if re.fullmatch(r"\d{1,2}(\.\d{1,3})*\.?", text):
        return True
    return not _PASSAGE_ID.match(text)


@functools.lru_cache(maxsize=4096)
def section_occurs(section: str, text: str) -> bool:
    """True if `section` (a number like '1.1.4' or a verbatim phrase) occurs in `text`."""
    wanted = section.strip()
    if m.SECTION_NUMBER_RE.fullmatch(wanted):
        pattern = rf"(?m)^\s*(?:\*\*)?{re.escape(wanted.rstrip('.'))}\.?(?:\s|\*|$)"
        return re.search(pattern, text) is not None
    return _squash(wanted) in _squash(text)


# below, workers cost more than they save (2 cores: 1.000 files 0,64 → 0,41 s, 5.000 3,2 → 1,9)
PARALLEL_MIN_FILES = 500


def fork_workers() -> int:
    """Worker processes for parallel work: one per core, only where fork is available."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def parallel_workers(files: int) -> int:
    """Worker processes for reading `files` files: parallel only for large folders."""
    return 1 if files < PARALLEL_MIN_FILES else fork_workers()


@dataclass(slots=True)
class _Chunk:
    records: list[Any]
    problems: list[Any]
    refs: list[Any]
    source_refs: list[Any]
    failed: set[str]
    results: dict[str, FileResult]


def _path_of(record: Any) -> str:
    """The file of a record, or of the first record of a file that holds many."""
    first = record[0] if isinstance(record, list) and record else record
    return str(getattr(first, "path", ""))


def _read_chunk(args: tuple[Path, str, list[Path], bool]) -> bytes:
    """Worker: read and validate some files of one kind with a fresh loader.

    With `keep`, the result of each file comes back too (for the caller's cache). Pickled
    as the build cache pickles: several times faster than the default for dataclasses.
    """
    root, name, files, keep = args
    results: dict[str, FileResult] = {}
    loader, kind = Loader(root, cache=results if keep else None), KINDS[name]
    records = loader.read_files(kind.folder, kind.markdown, loader.maker(kind), files)
    return pickling.dumps(_Chunk(records, loader.problems.items, loader.validator.refs,
                                 loader.validator.source_refs,
                                 loader.failed_ids.get(kind.folder, set()), results))


# first bytes of the raster formats a browser shows as an image, by file ending
RASTER = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
          ".jpeg": (b"\xff\xd8\xff",), ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",)}


def raster_problem(path: Path) -> str:
    """Why `path` is not a raster image a page may show ('' when it is one).

    The web server picks the type by the ending, the browser may sniff the content: both
    must say image, or an `.html` or `.svg` file would run script on the site's origin.
    """
    magic = RASTER.get(path.suffix.lower())
    if magic is None:
        return f"{path.name}: Bilder müssen PNG, JPEG, GIF oder WebP sein (Endung {path.suffix!r})"
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except OSError as exc:
        return f"{path.name} ist nicht lesbar: {exc.strerror}"
    if not head.startswith(magic) or (path.suffix.lower() == ".webp" and head[8:12] != b"WEBP"):
        return (f"{path.name} ist kein {path.suffix[1:].upper()}-Bild (der Inhalt passt "
                "nicht zur Endung)")
    return ""


def skipped(entry: os.DirEntry[str], folder: bool, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """(message, hint) for an entry of a content folder that is not read."""
    if folder:
        return ("Unterordner wird ignoriert", "Dateien dieser Art gehören direkt in den "
                "Ordner darüber, nicht in Unterordner")
    if entry.is_symlink():
        return ("Verknüpfung (Symlink) zeigt ins Leere und wird ignoriert",
                "Verknüpfung löschen oder durch die Datei ersetzen")
    return ("keine gewöhnliche Datei (z. B. eine Pipe) – wird ignoriert",
            "erwartet: Textdateien mit " + ", ".join(suffixes))
