"""Imported records go through the kinds registry: its folder, file type and validation."""

from __future__ import annotations

from pathlib import PurePosixPath

from dmoves_site.kinds import KINDS
from dmoves_site.problems import Problem, Problems
from dmoves_site.reader import RawFile, parse_yaml, split_front_matter
from dmoves_site.schema import Validator


def record_path(kind: str, name: str) -> str:
    """Where a record of `kind` named `name` lives, relative to the site."""
    declared = KINDS[kind]
    return f"content/{declared.folder}/{name}.{'md' if declared.markdown else 'yaml'}"


def problems_of(kind: str, rel: str, text: str) -> list[Problem]:
    """The errors the kind's own validation finds in a file the importer would write.

    References to other records are checked by `dmoves-site check` once everything is there.
    """
    declared, problems = KINDS[kind], Problems()
    raw = _raw(declared.markdown, rel, text, problems)
    if raw is not None:
        declared.validate(Validator(problems), raw, PurePosixPath(rel).stem)
    return problems.errors


def _raw(markdown: bool, rel: str, text: str, problems: Problems) -> RawFile | None:
    if not markdown:
        data = parse_yaml(text, rel, problems)
        return RawFile(rel, data) if data is not None else None
    parts = split_front_matter(text)
    if parts is None:
        problems.error(rel, 1, "front matter", "Front Matter fehlt")
        return None
    front, body, body_line = parts
    data = parse_yaml(front, rel, problems, offset=1)
    return RawFile(rel, data, body, body_line) if data is not None else None
