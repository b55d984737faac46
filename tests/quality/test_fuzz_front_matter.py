"""Property: whatever an editor does to a valid measure file (drop, duplicate or rename keys,
put random text, numbers, lists or null in values, insert tabs, truncate the file),
`check` never raises and reports only problems with a path, a line ≥ 0 within the file and
a message — and errors exactly when the content cannot be used."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dmoves_site.build import check
from tests.conftest import write_site

MEASURE = "content/measures/online-termin.md"
VALID = textwrap.dedent("""\
    ---
    title: Online-Terminvereinbarung
    program: buergerservices
    status: in_umsetzung
    stage: 1
    stages: [1, 2]
    progress: 40
    start: 2020-07
    end: 2022-Q4
    responsible: "10-4"
    budget: {amount: 120, unit: TEUR}
    milestones:
      - {date: 2020-08-04, title: Go-live, done: true, source: vorlage, section: "1.1.1"}
      - date: 2022
        title: Ausbau
        done: false
    sources:
      - {source: vorlage, section: "1.1.1", page: 3}
    tags: [Termine, Bürgerbüro]
    kpis: [dienste]
    ---
    Termine im **Bürgerbüro** online buchen.
    """)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CHARS = st.characters(codec="utf-8")  # anything a UTF-8 file can hold

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(CHARS, max_size=40),
    st.sampled_from(["", " ", "~", "null", "2021-13-45", "2021-Q5", "#fff", "TEUR",
                     "../../etc/passwd", "geplant", "buergerservices", "vorlage", "1.1.1",
                     "<script>x</script>", "\t", "ä" * 300, "a: b", "- x", "[", "{", "'"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["date", "title", "done", "source", "section", "page",
                                     "amount", "unit", "x"]) | st.text(CHARS, max_size=8),
                    inner, max_size=4)), max_leaves=12)


def blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges of the top-level keys of front matter lines."""
    starts = [i for i, ln in enumerate(lines) if ln and not ln[0].isspace()
              and not ln.startswith("-")]
    return [(s, starts[n + 1] if n + 1 < len(starts) else len(lines))
            for n, s in enumerate(starts)]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    front, body = VALID.split("---\n")[1], VALID.split("---\n", 2)[2]
    lines = front.rstrip("\n").split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kinds = ["drop", "duplicate", "rename", "value", "raw", "tab", "line", "char"]
        kind = draw(st.sampled_from(kinds))
        spans = blocks(lines)
        if kind in ("drop", "duplicate", "rename", "value", "raw") and spans:
            start, end = draw(st.sampled_from(spans))
            key = lines[start].partition(":")[0]
            if kind == "drop":
                del lines[start:end]
            elif kind == "duplicate":
                lines[end:end] = lines[start:end]
            elif kind == "rename":
                new = draw(st.text(CHARS, min_size=0, max_size=12) | st.sampled_from(
                    ["titel", "Title", "status ", "id", "draft", "programm", "kpi"]))
                lines[start] = new + ":" + lines[start].partition(":")[2]
            elif kind == "value":
                dumped = yaml.safe_dump(draw(values), default_flow_style=True,
                                        allow_unicode=True, width=10_000).strip()
                dumped = dumped.removesuffix("\n...").strip()
                lines[start:end] = [f"{key}: {dumped}"]
            else:
                lines[start:end] = [f"{key}: {draw(st.text(CHARS, max_size=30))}"]
        elif kind == "tab" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            at = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:at] + "\t" + lines[index][at:]
        elif kind == "line":
            index = draw(st.integers(0, len(lines)))
            lines.insert(index, draw(st.text(CHARS, max_size=30)))
        elif kind == "char" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            if lines[index]:
                at = draw(st.integers(0, len(lines[index]) - 1))
                lines[index] = lines[index][:at] + draw(CHARS) + lines[index][at + 1:]
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    if draw(st.integers(0, 4)) == 0:  # sometimes truncate the file anywhere
        text = text[: draw(st.integers(0, len(text)))]
    return text


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("fuzz") / "site",
                      {"measures/online-termin.md": VALID})
    content, report = check(root)
    assert content is not None and not report.errors, [p.format() for p in report.errors]
    return root


def assert_well_formed(site: Path, problems: list[Any]) -> None:
    for p in problems:
        shown = p.format()
        assert isinstance(p.path, str) and p.path.strip(), f"ohne Pfad: {shown}"
        assert isinstance(p.line, int) and not isinstance(p.line, bool) and p.line >= 0, \
            f"Zeile ungültig: {shown}"
        assert isinstance(p.field, str) and p.field.strip(), f"ohne Feldnamen: {shown}"
        assert isinstance(p.message, str) and p.message.strip(), f"ohne Meldung: {shown}"
        assert p.severity in ("error", "warning"), shown
        target = Path(p.path) if Path(p.path).is_absolute() else site / p.path
        assert target.exists(), f"Pfad gibt es nicht: {shown}"
        if p.line and target.is_file():
            count = target.read_bytes().count(b"\n") + 1
            assert p.line <= count, f"Zeile {p.line} > {count} Zeilen: {shown}"
        assert shown.startswith(p.path), shown


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=mutated())
@example(text=VALID.replace("title:", "&itle:", 1))   # a typo that makes an empty key
@example(text=VALID.replace("status:", '"":', 1))
@example(text=VALID[: VALID.index("milestones:") + 20])
def test_check_never_raises_and_reports_well_formed_problems(fuzz_site: Path,
                                                             text: str) -> None:
    (fuzz_site / MEASURE).write_text(text, encoding="utf-8")
    content, report = check(fuzz_site)
    assert_well_formed(fuzz_site, report.problems)
    assert (content is None) == bool(report.errors), [p.format() for p in report.problems]
    if content is not None:
        for measure in content.measures:
            assert SLUG.match(measure.id), measure.id


def test_truncated_files_at_every_line(fuzz_site: Path) -> None:
    """Deterministic companion: the valid file cut after each of its lines."""
    lines = VALID.splitlines(keepends=True)
    for cut in range(len(lines) + 1):
        (fuzz_site / MEASURE).write_text("".join(lines[:cut]), encoding="utf-8")
        content, report = check(fuzz_site)
        assert_well_formed(fuzz_site, report.problems)
        assert (content is None) == bool(report.errors)
    (fuzz_site / MEASURE).write_text(VALID, encoding="utf-8")
