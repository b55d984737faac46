"""Write imported records: stable YAML text, edit detection, dry runs and a summary."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

MARKER_RE = re.compile(r"^# dmoves-site import \S+ .*Prüfsumme ([0-9a-f]{16})\b.*$", re.M)
_PLAIN = re.compile(r"^[A-Za-zÄÖÜäöüß][\w ./äöüÄÖÜß–-]*$")  # no flow indicators
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
FLOW_MAX = 96


# --- YAML text --------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """One YAML scalar that the content reader reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if "." not in text else text.rstrip("0").rstrip(".")
    if isinstance(value, float):
        return scalar(Decimal(repr(value)))
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str | None:
    """Flow form of a small list or mapping of scalars, or None if it has nested parts."""
    if isinstance(value, Mapping):
        if any(isinstance(v, (Mapping, list, tuple)) for v in value.values()):
            return None
        return "{" + ", ".join(f"{_key(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (Mapping, list, tuple)) for v in value):
            return None
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return scalar(value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w-]*", key) else json.dumps(key, ensure_ascii=False)


def dump(record: Mapping[str, Any], indent: int = 0) -> list[str]:
    """YAML lines of a mapping: keys in the given order, small parts in flow style."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in record.items():
        flow = _flow(value)
        if flow is not None and len(pad) + len(key) + len(flow) + 2 <= FLOW_MAX:
            lines.append(f"{pad}{_key(key)}: {flow}")
        elif isinstance(value, Mapping):
            lines.append(f"{pad}{_key(key)}:")
            lines += dump(value, indent + 2)
        elif isinstance(value, (list, tuple)):
            lines.append(f"{pad}{_key(key)}:")
            lines += _dump_items(value, indent + 2)
        else:   # a long text
            lines.append(f"{pad}{_key(key)}: {flow}")
    return lines


def _dump_items(items: Sequence[Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        flow = _flow(item)
        if flow is not None and len(pad) + len(flow) + 2 <= FLOW_MAX:
            lines.append(f"{pad}- {flow}")
        elif isinstance(item, Mapping):
            inner = dump(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


# --- files with a marker ----------------------------------------------------------------


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def marker(kind: str, source: str, text: str) -> str:
    """The comment that tells a file written by the importer from one edited since."""
    return (f"# dmoves-site import {kind} {json.dumps(source, ensure_ascii=False)}; "
            f"Prüfsumme {checksum(text)} (nach Änderungen wird die Datei nur mit --force "
            "überschrieben)")


def without_marker(text: str) -> tuple[str, str | None]:
    """The text without its marker line, and the checksum the marker states."""
    match = MARKER_RE.search(text)
    if not match:
        return text, None
    start, end = match.span()
    return text[:start] + text[end + 1:], match.group(1)


def yaml_file(kind: str, source: str, record: Mapping[str, Any]) -> str:
    body = "\n".join(dump(record)) + "\n"
    return marker(kind, source, body) + "\n" + body


def markdown_file(kind: str, source: str, front: Mapping[str, Any], body: str) -> str:
    """Front matter with the marker as its first line, then the Markdown body."""
    text = "---\n" + "\n".join(dump(front)) + "\n---\n" + body.strip("\n") + "\n"
    return "---\n" + marker(kind, source, text) + "\n" + text[4:]


def was_edited(text: str) -> bool:
    """True if a file has no marker or was changed after the importer wrote it."""
    rest, stated = without_marker(text)
    return stated is None or checksum(rest) != stated


# --- the plan of one run ----------------------------------------------------------------


@dataclass(slots=True)
class Summary:
    """What one import did (or would do): files by outcome, rows that could not be read."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # edited by hand, kept
    row_errors: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> list[str]:
        verb = "würde " if dry_run else ""
        out = [f"{verb}angelegt: {p}" for p in self.created]
        out += [f"{verb}geändert: {p}" for p in self.changed]
        out += [f"übersprungen (seit dem Import bearbeitet, --force überschreibt): {p}"
                for p in self.skipped]
        out.append(f"{len(self.created)} angelegt, {len(self.changed)} geändert, "
                   f"{len(self.unchanged)} unverändert, {len(self.skipped)} übersprungen, "
                   f"{len(self.row_errors)} Zeilen nicht lesbar"
                   + (" (Probelauf: nichts geschrieben)" if dry_run else ""))
        return out


def apply(site: Path, files: Mapping[str, str], dry_run: bool, force: bool,
          summary: Summary) -> None:
    """Write `files` (path relative to the site → text), sorted; never lose an edit."""
    for rel in sorted(files):
        path = site / rel
        text = files[rel]
        old = path.read_text("utf-8") if path.is_file() else None
        if old == text:
            summary.unchanged.append(rel)
            continue
        if old is not None and was_edited(old) and not force:
            summary.skipped.append(rel)
            continue
        (summary.created if old is None else summary.changed).append(rel)
        if not dry_run:
            write_atomic(path, text)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.import-tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)
