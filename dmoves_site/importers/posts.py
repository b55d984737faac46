"""Import Markdown files of another site (Hugo, Jekyll, …) as updates or pages."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dmoves_site.importers import columns as col
from dmoves_site.importers.base import Request, Result, UniqueIds
from dmoves_site.importers.kinds import record_path
from dmoves_site.importers.records import markdown_file
from dmoves_site.importers.tables import TableError
from dmoves_site.scaffold import slugify

# our field → the keys other systems use for it, first match wins
UPDATE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "Title", "titel", "name"),
    "date": ("date", "Date", "publishDate", "pubdate", "published", "datum"),
    "summary": ("summary", "description", "Description", "teaser", "excerpt", "lead"),
    "author": ("author", "authors", "Author", "autor"),
    "draft": ("draft", "Draft", "entwurf"),
}
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "title": UPDATE_KEYS["title"],
    "summary": UPDATE_KEYS["summary"],
    "order": ("weight", "order", "menu_order", "position"),
    "draft": UPDATE_KEYS["draft"],
}
SLUG_KEYS = ("slug", "Slug", "url_slug")
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_ ]*(.*)$")
_FENCES = {"---": ("---", "..."), "+++": ("+++",)}


@dataclass(frozen=True, slots=True)
class Post:
    """A foreign Markdown file: its front matter, body and the name it gets its id from."""

    path: Path
    front: dict[str, Any]
    body: str
    name: str


def split(text: str) -> tuple[str, str, str]:
    """(fence, front matter, body); fence '' when the file has no front matter."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in _FENCES:
        return "", "", text
    for index in range(1, len(lines)):
        if lines[index].strip() in _FENCES[fence]:
            return fence, "\n".join(lines[1:index]), "\n".join(lines[index + 1:])
    raise ValueError(f"Front Matter wird nicht mit {fence!r} geschlossen")


def parse_front(fence: str, front: str) -> dict[str, Any]:
    if not fence or not front.strip():
        return {}
    try:
        data = tomllib.loads(front) if fence == "+++" else yaml.safe_load(front)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValueError(f"Front Matter nicht lesbar: {first}") from exc
    if not isinstance(data, dict):
        raise ValueError("Front Matter ist keine Zuordnung (Feld: Wert)")
    return {str(k): v for k, v in data.items()}


def read_post(path: Path, root: Path) -> Post:
    fence, front, body = split(path.read_text("utf-8", errors="replace"))
    name = path.parent.name if path.stem in ("index", "_index") and path.parent != root \
        else path.stem
    return Post(path, parse_front(fence, front), body, name)


def plain(value: Any) -> Any:
    """A front matter value as YAML-safe data: timestamps as ISO text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def take(front: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    return next(((k, front[k]) for k in keys if front.get(k) not in (None, "", [])), None)


def as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(plain(value)).split())


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).casefold() in col.YES:
        return True
    if str(value).casefold() in col.NO:
        return False
    raise ValueError(f"true oder false erwartet, nicht {value!r}")


def as_order(value: Any) -> int:
    try:
        return max(0, int(str(value)))
    except ValueError as exc:
        raise ValueError(f"ganze Zahl erwartet, nicht {value!r}") from exc


def as_date(value: Any) -> str:
    """A date or timestamp reduced to its day ('2015-03-02T10:00:00+01:00' → '2015-03-02')."""
    text = col.date_text(plain(value) if not isinstance(value, str) else value.strip())
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"vollständiges Datum erwartet, nicht {text!r}")
    return text


CONVERT = {"title": as_text, "summary": as_text, "author": as_text, "draft": as_bool,
           "order": as_order, "date": as_date}


def fields(post: Post, keys: dict[str, tuple[str, ...]], maps: dict[str, str]
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Our fields (converted) and the rest of the front matter for `extra:`."""
    values: dict[str, Any] = {}
    used: set[str] = set(SLUG_KEYS)
    for fld, options in keys.items():
        found = take(post.front, (maps[fld],) if fld in maps else options)
        if found is None:
            continue
        key, value = found
        used.add(key)
        try:
            values[fld] = CONVERT[fld](value)
        except ValueError as exc:
            raise col.RowError(key, str(exc)) from exc
    extra = {k: plain(v) for k, v in sorted(post.front.items())
             if k not in used and v is not None}
    return values, extra


def post_name(post: Post) -> tuple[str, str]:
    """(date from the file name or '', slug of the rest or of the front matter's slug)."""
    match = _DATED.match(post.name)
    day, rest = (match.group(1), match.group(2)) if match else ("", post.name)
    given = take(post.front, SLUG_KEYS)
    return day, slugify(str(given[1]) if given else rest) or slugify(post.name) or "beitrag"


def front_matter(kind: str, post: Post, maps: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The record's front matter in documented order, and its slug."""
    values, extra = fields(post, UPDATE_KEYS if kind == "updates" else PAGE_KEYS, maps)
    day, slug = post_name(post)
    if kind == "updates" and "date" not in values:
        if not day:
            raise col.RowError("date", "kein Datum im Front Matter und keins im Dateinamen "
                               "(JJJJ-MM-TT-name.md) – --map date=FELD")
        values["date"] = day
    if "title" not in values:
        raise col.RowError("title", "kein Titel – --map title=FELD")
    order = ("title", "date", "summary", "author", "order", "draft")
    front = {k: values[k] for k in order if k in values}
    if extra:
        front["extra"] = extra
    return front, slug


def key_line(path: Path, key: str) -> int:
    """The line of `key:` (or `key =`) in a file, else 1."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*[:=]")
    lines = path.read_text("utf-8", errors="replace").split("\n")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)


def markdown_files(request: Request) -> list[Path]:
    if request.file.is_file():
        return [request.file]
    files = sorted(p for p in request.file.rglob("*.md") if p.is_file())
    if not files:
        raise TableError(f"{request.shown}: keine Markdown-Dateien (*.md) gefunden")
    return files


def run(request: Request) -> Result:
    """Every readable file becomes `updates/<date>-<slug>.md` or `pages/<slug>.md`."""
    root = request.file if request.file.is_dir() else request.file.parent
    result, ids = Result(), UniqueIds()
    for path in markdown_files(request):
        shown = f"{request.shown.rstrip('/')}/{path.relative_to(root)}" \
            if request.file.is_dir() else request.shown
        try:
            post = read_post(path, root)
            front, slug = front_matter(request.kind, post, request.maps)
        except ValueError as exc:
            result.row_errors.append(f"{shown}:1: front matter: {exc}")
            continue
        except col.RowError as error:
            line = key_line(path, error.column)
            result.row_errors.append(f"{shown}:{line}: {error.column}: {error.message}")
            continue
        rid = ids.make(slug)
        name = f"{front['date']}-{rid}" if request.kind == "updates" else rid
        kind = "update" if request.kind == "updates" else "page"
        result.add(kind, record_path(kind, name), markdown_file(
            request.kind, path.relative_to(root).as_posix(), front, post.body))
    return result
