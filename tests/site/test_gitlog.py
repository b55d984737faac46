"""Record history from git: a content/ repository with three commits gives three entries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dmoves_site import gitlog
from tests.site.test_schedule import build

MakeSite = Callable[[dict[str, str | bytes | None]], Path]
MEASURE = "measures/online-termin.md"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git fehlt")

# (committer date, subject) of each commit, oldest first
COMMITS = [("2021-03-01T10:00:00+00:00", "Maßnahme angelegt"),
           ("2021-05-20T10:00:00+00:00", "Status nach Vorlage"),
           ("2021-07-06T09:30:00+00:00", "Projektstart ergänzt")]


def git(root: Path, *args: str, date: str = "2021-01-01T00:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Redaktion", "GIT_AUTHOR_EMAIL": "r@example.org",
           "GIT_COMMITTER_NAME": "Redaktion", "GIT_COMMITTER_EMAIL": "r@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def repository(make_site: MakeSite, site_yaml_extra: str = "") -> Path:
    site = make_site({})
    content = site / "content"
    if site_yaml_extra:
        with (content / "site.yaml").open("a", encoding="utf-8") as f:
            f.write(site_yaml_extra)
    git(content, "init", "-q")
    measure = content / MEASURE
    original = measure.read_text(encoding="utf-8")
    for index, (date, subject) in enumerate(COMMITS):
        measure.write_text(original + "\n" * index, encoding="utf-8")
        git(content, "add", "-A", date=date)
        git(content, "commit", "-q", "-m", subject, date=date)
    return site


def entries(html: str) -> list[tuple[str, str]]:
    block = html.split('<ol class="record-log-list">', 1)[1].split("</ol>", 1)[0]
    found = re.findall(r'<time datetime="([\d-]+)">[^<]+</time>: (?:<a [^>]+>)?([^<]+)', block)
    return [(date, subject.strip()) for date, subject in found]


def test_three_commits_give_three_entries(make_site: MakeSite) -> None:
    out = build(repository(make_site), "out")
    html = (out / "massnahmen/online-termin/index.html").read_text(encoding="utf-8")
    assert "Zuletzt geändert am <time datetime=\"2021-07-06\">06.07.2021</time>." in html
    assert entries(html) == [(d[:10], s.strip()) for d, s in reversed(COMMITS)]
    # the program file came in with the first commit only
    program = (out / "programme/buergerservices/index.html").read_text(encoding="utf-8")
    assert entries(program) == [("2021-03-01", "Maßnahme angelegt")]


def test_the_build_is_stable(make_site: MakeSite) -> None:
    site = repository(make_site)
    first, second = build(site, "a"), build(site, "b")
    for page in sorted(first.rglob("*.html")):
        assert page.read_bytes() == (second / page.relative_to(first)).read_bytes(), page


def test_repository_url_links_each_entry_to_its_diff(make_site: MakeSite) -> None:
    site = repository(make_site, "repository_url: https://git.example.org/stadt/inhalt/\n")
    html = (build(site, "out") / "massnahmen/online-termin/index.html").read_text("utf-8")
    links = re.findall(r'<a href="(https://git\.example\.org/stadt/inhalt/commit/[0-9a-f]{40})">',
                       html)
    assert len(links) == 3 and len(set(links)) == 3


def test_no_log_without_a_repository_or_without_git(make_site: MakeSite,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({})
    out = build(site, "plain")
    assert "Änderungsverlauf" not in (out / "massnahmen/online-termin/index.html").read_text()
    repo = repository(make_site)
    assert gitlog.read_log(repo / "content")
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    assert gitlog.read_log(repo / "content") == {}
    no_git = build(repo, "nogit")
    assert "Änderungsverlauf" not in (no_git / "massnahmen/online-termin/index.html").read_text()
