"""Broken input files: each gives a clear `path:line: field: message` and exit 1 (or, where
the input is merely unusual, a clean build) — never a traceback, never a hang; a failed
build leaves the previous build/ byte-identical. Each case runs the real CLI in its own
process: `python -m dmoves_site --site X build --no-images --no-search`."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import write_site
from tests.quality.conftest import Run, run_build, tree_digest

FEW_SECONDS = 10.0   # a clear answer, even on a slow shared CI machine
HARD_TIMEOUT = 20.0  # then the build counts as hanging

MEASURE = "measures/online-termin.md"
PROGRAM = "programs/buergerservices.yaml"
SITE = "site.yaml"

VALID_MEASURE = textwrap.dedent("""\
    ---
    title: Online-Terminvereinbarung
    program: buergerservices
    status: in_umsetzung
    stage: 1
    sources:
      - {source: vorlage, section: "1.1.1"}
    ---
    """)
VALID_PROGRAM = textwrap.dedent("""\
    number: 1
    title: Bürgerservices
    summary: Online-Dienste für alle.
    color: "#1f5a96"
    """)


def big_markdown(size: int = 10 * 1024 * 1024) -> str:
    """About `size` bytes of ordinary editorial Markdown: headings, emphasis, links, lists."""
    block = textwrap.dedent("""\
        ## Abschnitt zur Umsetzung

        Die Stadt hat im *zweiten Quartal* die **Online-Terminvereinbarung** für das
        [Bürgerbüro](https://www.stuttgart.de/) eingeführt; Details stehen im `Bericht`.

        - Punkt eins mit *Betonung*
        - Punkt zwei mit [Link](https://example.org/)

        """)
    return VALID_MEASURE + block * (size // len(block.encode("utf-8")) + 1)


def nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_block(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"


ALIAS_BOMB = ("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
              "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
              "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n")
MERGE_BOMB = "base: &b {x: 1}\nother:\n  <<: *b\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(200)

# name → (overlay, file the error must name or None for "a clean build is expected")
ERROR_CASES: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "empty-measure": ({MEASURE: b""}, MEASURE),
    "whitespace-measure": ({MEASURE: b"  \n\n\t\n"}, MEASURE),
    "empty-program": ({PROGRAM: b""}, PROGRAM),
    "empty-site": ({SITE: b""}, SITE),
    "only-fence": ({MEASURE: b"---\n"}, MEASURE),
    "unclosed-front-matter": ({MEASURE: VALID_MEASURE.rsplit("---", 1)[0].encode()}, MEASURE),
    "binary-measure": ({MEASURE: PNG}, MEASURE),
    "binary-program": ({PROGRAM: PNG}, PROGRAM),
    "nul-in-text": ({PROGRAM: VALID_PROGRAM.encode() + b"description: a\x00b\n"}, PROGRAM),
    "invalid-utf8-measure": ({MEASURE: VALID_MEASURE.encode().replace(
        b"Online-", b"Online-\xff\xfe", 1)}, MEASURE),
    "invalid-utf8-program": ({PROGRAM: VALID_PROGRAM.encode().replace(
        b"B\xc3\xbcrger", b"B\xfcrger")}, PROGRAM),
    "latin1-site": ({SITE: "title: Stadt Böblingen\n".encode("latin-1")}, SITE),
    "utf16-bom-measure": ({MEASURE: VALID_MEASURE.encode("utf-16")}, MEASURE),
    "utf16-be-bom-program": ({PROGRAM: "\ufeff".encode("utf-16-be")
                              + VALID_PROGRAM.encode("utf-16-be")}, PROGRAM),
    "utf16-no-bom-program": ({PROGRAM: VALID_PROGRAM.encode("utf-16-le")}, PROGRAM),
    "utf32-program": ({PROGRAM: VALID_PROGRAM.encode("utf-32")}, PROGRAM),
    "deep-flow-yaml": ({PROGRAM: VALID_PROGRAM + "tags: " + nested_flow(10_000) + "\n"},
                       PROGRAM),
    "deep-block-yaml": ({PROGRAM: VALID_PROGRAM + "extra:\n" + textwrap.indent(
        nested_block(300), "  ")}, PROGRAM),
    "deep-front-matter": ({MEASURE: VALID_MEASURE.replace(
        "---\n", "---\nx: " + nested_flow(5_000) + "\n", 1)}, MEASURE),
    "alias-bomb": ({PROGRAM: VALID_PROGRAM + ALIAS_BOMB}, PROGRAM),
    "alias-bomb-front-matter": ({MEASURE: "---\n" + ALIAS_BOMB + "---\nText\n"}, MEASURE),
    "merge-key": ({PROGRAM: VALID_PROGRAM + MERGE_BOMB}, PROGRAM),
    "python-tag": ({PROGRAM: VALID_PROGRAM + "x: !!python/object/apply:os.system ['true']\n"},
                   PROGRAM),
    "duplicate-key": ({PROGRAM: VALID_PROGRAM + "title: Nochmal\n"}, PROGRAM),
    "duplicate-measure-id": ({"measures/zweite.md": VALID_MEASURE.replace(
        "---\n", "---\nid: online-termin\n", 1) + "Text\n"}, "measures/zweite.md"),
    "duplicate-program-id": ({"programs/zweites.yaml": "id: buergerservices\n"
                              + VALID_PROGRAM.replace("number: 1", "number: 2")},
                             "programs/zweites.yaml"),
    "duplicate-update-id": ({"updates/2022-01-01-start.md": "---\ntitle: Wieder Start\n"
                             "date: 2022-01-01\n---\nText\n"}, "updates/2022-01-01-start.md"),
    "duplicate-ozg-id-across-files": ({
        "ozg/a.yaml": "services:\n  - {id: dienst, title: A, status: online,\n"
                      "     sources: [{source: vorlage, section: '1.1.1'}]}\n",
        "ozg/b.yaml": "services:\n  - {id: dienst, title: B, status: geplant,\n"
                      "     sources: [{source: vorlage, section: '1.1.1'}]}\n"}, "ozg/b.yaml"),
    "tab-indent": ({PROGRAM: VALID_PROGRAM + "extra:\n\t- a\n"}, PROGRAM),
    "list-not-mapping": ({PROGRAM: "- a\n- b\n"}, PROGRAM),
    "scalar-not-mapping": ({SITE: "nur ein Satz\n"}, SITE),
    "very-long-line": ({PROGRAM: VALID_PROGRAM.replace(
        "summary: Online-Dienste für alle.", "summary: " + "x" * 2_000_000)}, PROGRAM),
}

# merely unusual input that must build cleanly
CLEAN_CASES: dict[str, dict[str, str | bytes | None]] = {
    "utf8-bom": {MEASURE: b"\xef\xbb\xbf" + VALID_MEASURE.encode() + b"Text\n"},
    "crlf-line-endings": {MEASURE: (VALID_MEASURE + "Text\n").replace("\n", "\r\n").encode(),
                          PROGRAM: VALID_PROGRAM.replace("\n", "\r\n").encode()},
    "cr-line-endings": {PROGRAM: VALID_PROGRAM.replace("\n", "\r").encode()},
    "no-final-newline": {MEASURE: (VALID_MEASURE + "Text").encode()},
}


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid fixture site with a first build in build/ (copied for each case)."""
    root = write_site(tmp_path_factory.mktemp("valid") / "site", {})
    run = run_build(root)
    assert run.returncode == 0, run.describe()
    return root


def fresh_copy(valid_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(valid_site, site, symlinks=True)
    return site


def assert_prompt(run: Run) -> None:
    assert not run.timed_out, f"hängt (kein Ende nach {HARD_TIMEOUT:.0f} s)\n{run.describe()}"
    assert run.seconds < FEW_SECONDS, f"zu langsam\n{run.describe()}"
    assert "Traceback" not in run.stderr + run.stdout, run.describe()


@pytest.mark.parametrize("name", list(ERROR_CASES))
def test_broken_file_gives_a_clear_error_and_keeps_the_last_build(
        valid_site: Path, tmp_path: Path, name: str) -> None:
    overlay, culprit = ERROR_CASES[name]
    site = fresh_copy(valid_site, tmp_path)
    before = tree_digest(site / "build")
    assert before
    write_site(site, overlay)
    run = run_build(site, timeout=HARD_TIMEOUT)
    assert_prompt(run)
    assert run.returncode == 1, run.describe()
    lines = run.problem_lines
    assert lines, f"keine Meldung der Form path:line: field: message\n{run.describe()}"
    named = [m for m in lines if m["path"] == f"content/{culprit}" and int(m["line"]) >= 1]
    assert named, f"keine Meldung mit Zeilennummer für content/{culprit}\n{run.describe()}"
    for match in named:
        assert len(match["message"]) >= 8, match.group(0)
    assert tree_digest(site / "build") == before, "build/ wurde verändert"
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".build")]
    assert not leftovers, f"Reste eines abgebrochenen Builds: {leftovers}"


@pytest.mark.parametrize("name", list(CLEAN_CASES))
def test_unusual_but_valid_file_builds_cleanly(valid_site: Path, tmp_path: Path,
                                               name: str) -> None:
    site = fresh_copy(valid_site, tmp_path)
    write_site(site, CLEAN_CASES[name])
    run = run_build(site, timeout=HARD_TIMEOUT)
    assert_prompt(run)
    assert run.returncode == 0, run.describe()
    assert (site / "build" / "massnahmen" / "online-termin" / "index.html").is_file()


def test_ten_megabyte_markdown_body_is_handled_promptly(valid_site: Path,
                                                        tmp_path: Path) -> None:
    """Either a size limit (clear error, build/ untouched) or a prompt build."""
    site = fresh_copy(valid_site, tmp_path)
    before = tree_digest(site / "build")
    write_site(site, {MEASURE: big_markdown()})
    assert (site / "content" / MEASURE).stat().st_size >= 10 * 1024 * 1024
    run = run_build(site, timeout=HARD_TIMEOUT)
    assert_prompt(run)
    if run.returncode == 0:
        return
    assert run.returncode == 1, run.describe()
    assert any(m["path"] == f"content/{MEASURE}" for m in run.problem_lines), run.describe()
    assert tree_digest(site / "build") == before


def test_special_files_in_content_do_not_hang(valid_site: Path, tmp_path: Path) -> None:
    """A named pipe, a dangling symlink and a symlink loop among the measures: the build
    must not block on them (they are reported or ignored)."""
    site = fresh_copy(valid_site, tmp_path)
    folder = site / "content" / "measures"
    os.mkfifo(folder / "pipe.md")
    (folder / "dangling.md").symlink_to(folder / "does-not-exist.md")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    run = run_build(site, timeout=HARD_TIMEOUT)
    assert_prompt(run)
    assert run.returncode in (0, 1), run.describe()
    if run.returncode == 1:
        assert run.problem_lines or "content/measures/" in run.stderr, run.describe()


def test_control_characters_are_rejected_or_removed(valid_site: Path, tmp_path: Path) -> None:
    """Control characters (from copy and paste) in a title must not reach the pages and the
    Atom feed, where XML 1.0 forbids them: a clear error, or a build without them."""
    site = fresh_copy(valid_site, tmp_path)
    before = tree_digest(site / "build")
    write_site(site, {
        MEASURE: VALID_MEASURE.replace("title: Online-Terminvereinbarung",
                                       'title: "Termin\\x01\\x0b\\x7f\\ufffe"'),
        "updates/2021-07-06-start.md": textwrap.dedent("""\
            ---
            title: "Start\\x08\\x1b[31m"
            date: 2021-07-06
            measures: [online-termin]
            ---
            Es geht los.
            """)})
    run = run_build(site, timeout=HARD_TIMEOUT)
    assert_prompt(run)
    if run.returncode == 1:
        named = {m["path"] for m in run.problem_lines if int(m["line"]) >= 1}
        assert {f"content/{MEASURE}", "content/updates/2021-07-06-start.md"} <= named, \
            run.describe()
        assert tree_digest(site / "build") == before
        return
    assert run.returncode == 0, run.describe()
    try:
        ET.parse(site / "build" / "aktuelles" / "feed.xml")
    except ET.ParseError as exc:
        raise AssertionError(f"aktuelles/feed.xml ist kein wohlgeformtes XML mehr: {exc}"
                             ) from exc
    bad = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ufffe\\uffff]")
    dirty = [p.relative_to(site / "build").as_posix() for p in (site / "build").rglob("*")
             if p.suffix in (".html", ".xml", ".json", ".csv")
             and bad.search(p.read_text("utf-8"))]
    assert not dirty, f"Steuerzeichen in {dirty}"
