"""Read content files into raw mappings that remember the line of every key.

This module owns file access for `content/`: decoding, YAML composition with line
numbers, Markdown front matter with its line offset. It reports unreadable input as
problems, never as exceptions.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dmoves_site.problems import Problems

# The base loader resolves no implicit types: plain scalars are typed below, which is
# several times faster than PyYAML's Python resolver and keeps dates as text.
try:
    _Base: Any = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.BaseLoader

_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_Base):  # type: ignore[misc]
    """Composes nodes only; every node gets its default tag (typing happens in _scalar)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]


MAX_INT_DIGITS = 30
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$"
                    r"|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_NULL = {"", "~", "null"}

MAX_DEPTH = 12
MAX_NODES = 200_000
MAX_BYTES = 2 * 1024 * 1024
# C0 controls except tab/newline/CR, DEL, C1 controls and the non-characters: invisible,
# and not allowed in XML (the Atom feed)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_HINT = "Zeichen löschen (oft beim Kopieren aus PDF oder Word eingefügt)"


def control_message(char: str) -> str:
    return f"unsichtbares Steuerzeichen U+{ord(char):04X}"


CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?")


def control_reference(text: str) -> str:
    """The first HTML character reference to a control character (`&#14;`), or ''.

    Charts decode such references: the character would break the images and the feed.
    """
    for match in CHAR_REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if code < 0x110000 and CONTROL.match(chr(code)):
            return match.group()
    return ""
_FENCE = "---"
# a gap the publisher still has to fill in: highlighted on the page, warned about in builds
FILL_IN = re.compile(r"\[\[BITTE ERGÄNZEN:\s*([^\]]+)\]\]")


class RawMap(dict[str, Any]):
    """A mapping read from YAML; `lines[key]` is the 1-based line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class RawList(list[Any]):
    """A list read from YAML; `lines[i]` is the line of item i."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


@dataclass(slots=True)
class RawFile:
    """One content file: its data, its Markdown body and where things are."""

    path: str
    data: RawMap
    body: str = ""
    body_line: int = 0


class _Reject(Exception):
    """Raised while converting nodes: the message becomes a problem."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def decode(data: bytes) -> tuple[str | None, int, str, str]:
    """Return (text, line, message, hint); text is None when the bytes are not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, 1, "Datei ist UTF-16 kodiert", "bitte als UTF-8 speichern"
    if b"\x00" in data[:8192]:
        return None, 1, "Datei ist keine Textdatei (Binärdaten)", "nur UTF-8-Text ist erlaubt"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, line, f"ungültiges UTF-8 in Zeile {line}", "bitte als UTF-8 speichern"
    return text.replace("\r\n", "\n").replace("\r", "\n"), 0, "", ""


def _scalar(node: yaml.ScalarNode) -> Any:
    """Type a plain scalar as YAML does (int, float, bool, null); quoted ones stay text."""
    value = node.value
    if node.style or node.tag not in (None, "tag:yaml.org,2002:str"):
        return value
    lowered = value.lower()
    if lowered in _NULL:
        return None
    if lowered in _BOOL:
        return _BOOL[lowered]
    if _INT.match(value):
        digits = value.replace("_", "")
        # beyond 30 digits a float (inf for thousands of digits): reported as too large
        return int(digits) if len(digits) <= MAX_INT_DIGITS else float(digits)
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    # text, and dates: they are parsed with their precision. Short texts (ids, statuses,
    # units, sections) recur in every record: one object each
    return sys.intern(value) if len(value) <= 40 else value


class _Converter:
    """Turn composed YAML nodes into RawMap/RawList/scalars, with limits."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.count = 0
        self.seen: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if depth > MAX_DEPTH:
            raise _Reject(self.line(node), "zu tief verschachtelt", f"höchstens {MAX_DEPTH} Ebenen")
        if self.count > MAX_NODES:
            raise _Reject(self.line(node), "zu viele YAML-Knoten", "Datei verkleinern")
        if isinstance(node, yaml.ScalarNode):
            bad = CONTROL.search(node.value)
            if bad:
                raise _Reject(self.line(node), control_message(bad.group()) + " im Wert",
                              CONTROL_HINT)
            reference = control_reference(node.value)
            if reference:
                raise _Reject(self.line(node), f"Zeichenreferenz {reference} steht für ein "
                              "unsichtbares Steuerzeichen", "die Zeichenfolge löschen")
            return _scalar(node)
        if id(node) in self.seen:
            raise _Reject(self.line(node), "YAML-Aliase (*name) werden nicht unterstützt",
                          "Werte bitte ausschreiben")
        self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, depth)
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, depth)

    def sequence(self, node: yaml.SequenceNode, depth: int) -> RawList:
        out = RawList(self.line(node))
        for item in node.value:
            out.append(self.convert(item, depth + 1))
            out.lines.append(self.line(item))
        return out

    def mapping(self, node: yaml.MappingNode, depth: int) -> RawMap:
        out = RawMap(self.line(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                raise _Reject(self.line(key_node), "ungültiger Schlüssel",
                              "Schlüssel müssen einfache Namen sein")
            key = str(key_node.value)
            if not key.strip():
                raise _Reject(self.line(key_node), "leerer Feldname",
                              "steht vor dem Doppelpunkt ein Zeichen wie '&', '!' oder '?'?")
            if key in out:
                raise _Reject(self.line(key_node), f"Feld {key!r} steht doppelt",
                              f"erstes Vorkommen in Zeile {out.lines[key]}")
            out.lines[key] = self.line(key_node)
            out[key] = self.convert(value_node, depth + 1)
        return out


def _yaml_error(exc: yaml.YAMLError, offset: int, text: str) -> tuple[int, str, str]:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 + offset if mark else offset + 1
    problem = getattr(exc, "problem", None) or str(exc)
    if "\t" in text and ("'\\t'" in problem or "tab" in problem.lower()):
        return line, "Tabulatorzeichen in YAML", "YAML erlaubt nur Leerzeichen zum Einrücken"
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    context_line = context_mark.line + 1 + offset if context_mark else line
    lines = text.split("\n")
    if "mapping values are not allowed" in problem:
        return line, "Doppelpunkt im Wert", 'den ganzen Wert in Anführungszeichen setzen: ' \
            'title: "…: …"'
    if context and "quoted scalar" in context:
        return context_line, "Anführungszeichen wird nicht geschlossen", \
            "am Ende des Werts dasselbe Anführungszeichen setzen"
    if "could not find expected ':'" in problem:
        source = lines[context_line - 1 - offset] if 0 < context_line - offset <= len(lines) \
            else ""
        if re.match(r"^\s*[\w-]+:\S", source):
            return context_line, "nach dem Doppelpunkt fehlt ein Leerzeichen", \
                "z. B. 'date: 2021-07-06' statt 'date:2021-07-06'"
    message = f"YAML-Syntaxfehler: {problem}" + (f" ({context})" if context else "")
    return line, message, "Einrückung, Doppelpunkte und Anführungszeichen prüfen"


def parse_yaml(text: str, path: str, problems: Problems, offset: int = 0) -> RawMap | None:
    """Compose YAML text into a RawMap; report problems and return None on failure."""
    tab_line = _tab_indent_line(text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, message, hint = _yaml_error(exc, offset, text)
        if tab_line:
            line, message = tab_line + offset, "Tabulatorzeichen in YAML"
            hint = "YAML erlaubt nur Leerzeichen zum Einrücken"
        problems.error(path, line, "yaml", message, hint)
        return None
    if node is None:
        problems.error(path, offset + 1, "datei", "Datei ist leer",
                       "mindestens die Pflichtfelder eintragen")
        return None
    try:
        data = _Converter(offset).convert(node)
    except _Reject as rej:
        problems.error(path, rej.line, "yaml", rej.message, rej.hint)
        return None
    except RecursionError:
        problems.error(path, offset + 1, "yaml", "zu tief verschachtelt", "Struktur vereinfachen")
        return None
    if not isinstance(data, RawMap):
        problems.error(path, offset + 1, "datei", "Datei enthält keine Zuordnung (Feld: Wert)",
                       "jede Zeile beginnt mit einem Feldnamen, z. B. 'title: …'")
        return None
    _warn_cut_comments(text, path, problems, offset)
    return data


_CUT_COMMENT = re.compile(r"^\s*(?:- )?([\w-]+):[ ]+[^\s\"'\[{|>#&*!][^#\n]*?[ ]+#[^\s#]")


def _warn_cut_comments(text: str, path: str, problems: Problems, offset: int) -> None:
    """An unquoted value with ' #tag' in it loses the rest of the line: say so.

    A comment after a value is usually written '# text'; '#WLAN' is meant as text.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        match = _CUT_COMMENT.match(line)
        if match:
            problems.warn(path, number + offset, match.group(1),
                          "Text nach ' #' gilt in YAML als Kommentar und fehlt im Wert",
                          "den ganzen Wert in Anführungszeichen setzen")


def _tab_indent_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number
    return 0


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, body's first line) or None if there is no closed fence."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in (_FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def read_text(file: Path, rel: str, problems: Problems) -> str | None:
    """Read and decode a file, reporting unreadable files."""
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            problems.error(rel, 1, "datei", f"Datei zu groß ({size / 1_048_576:.1f} MB, "
                           f"höchstens {MAX_BYTES // 1_048_576} MB)".replace(".", ","),
                           "Text kürzen oder auf mehrere Dateien verteilen")
            return None
        data = file.read_bytes()
    except OSError as exc:
        problems.error(rel, 0, "datei", f"nicht lesbar: {exc.strerror}")
        return None
    text, line, message, hint = decode(data)
    if text is not None:
        bad = CONTROL.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            text, message, hint = None, control_message(bad.group()), CONTROL_HINT
    if text is None:
        problems.error(rel, line, "datei", message, hint)
    elif not text.strip():
        problems.error(rel, 1, "datei", "Datei ist leer", "mindestens die Pflichtfelder eintragen")
        return None
    return text


def read_yaml_file(file: Path, rel: str, problems: Problems) -> RawFile | None:
    """Read one YAML record file."""
    text = read_text(file, rel, problems)
    if text is None:
        return None
    data = parse_yaml(text, rel, problems)
    return RawFile(rel, data) if data is not None else None


def read_markdown_file(file: Path, rel: str, problems: Problems) -> RawFile | None:
    """Read one Markdown file with YAML front matter."""
    text = read_text(file, rel, problems)
    if text is None:
        return None
    if not text.startswith(_FENCE):
        problems.error(rel, 1, "front matter", "Datei beginnt nicht mit '---'",
                       "die Felder stehen am Anfang zwischen zwei Zeilen mit '---'")
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.error(rel, 1, "front matter", "Front Matter wird nicht mit '---' geschlossen",
                       "nach dem letzten Feld eine Zeile mit '---' einfügen")
        return None
    front, body, body_line = parts
    if not front.strip():
        problems.error(rel, 2, "front matter", "Front Matter ist leer",
                       "mindestens die Pflichtfelder eintragen")
        return None
    data = parse_yaml(front, rel, problems, offset=1)
    return RawFile(rel, data, body, body_line) if data is not None else None
