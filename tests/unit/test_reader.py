"""Reading YAML records: what the reader keeps of a value."""

from __future__ import annotations

from dmoves_site.problems import Problems
from dmoves_site.reader import parse_yaml


def test_short_texts_of_records_are_shared() -> None:
    problems = Problems()
    one = parse_yaml("program: digitale-verwaltung\ntitle: Eins\n", "a.yaml", problems)
    two = parse_yaml("program: digitale-verwaltung\ntitle: Zwei\n", "b.yaml", problems)
    assert one is not None and two is not None
    assert one["program"] is two["program"]
