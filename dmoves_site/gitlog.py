"""Record history from git: the commits that touched each file, where content/ is a repository.

Dates are the commits' own (committer date), so the same repository gives the same pages.
Without git, or when content/ is not the top of a git work tree, there is no change log.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dmoves_site import model as m

RECORD = "\x1e"
FIELD = "\x1f"
TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit of a record's file: its date, subject and hash."""

    date: m.PartialDate
    subject: str
    sha: str

    @property
    def short(self) -> str:
        return self.sha[:7]


def _git(root: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "-C", str(root), *args], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def is_repository(content: Path) -> bool:
    """True if `content` is itself the top level of a git work tree."""
    top = _git(content, "rev-parse", "--show-toplevel")
    return top is not None and Path(top.strip()).resolve() == content.resolve()


def parse_log(text: str, prefix: str) -> dict[str, list[Commit]]:
    """`git log --name-only` output (records and fields separated) → path → commits."""
    found: dict[str, list[Commit]] = {}
    for block in text.split(RECORD)[1:]:
        head, _, names = block.partition("\n")
        sha, date, subject = [*head.split(FIELD), "", "", ""][:3]
        try:
            commit = Commit(m.PartialDate.parse(date), subject.strip(), sha)
        except ValueError:
            continue
        for name in names.splitlines():
            if name.strip():
                found.setdefault(prefix + name.strip(), []).append(commit)
    return found


def read_log(content: Path) -> dict[str, list[Commit]]:
    """Path (as records name it: `content/…`) → its commits, newest first; {} without git."""
    if not content.is_dir() or not is_repository(content):
        return {}
    text = _git(content, "log", "--no-renames", "--name-only", "--relative",
                f"--format={RECORD}%H{FIELD}%cs{FIELD}%s", "--", ".")
    if text is None:
        return {}
    return parse_log(text, f"{content.name}/")
