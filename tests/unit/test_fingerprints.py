"""Fingerprints of the build cache: values that print differently never share one, equal
values made apart always do (also through the one-pass path for plain data)."""

from __future__ import annotations

import datetime
import importlib.metadata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from markupsafe import Markup

from dmoves_site import buildcache
from dmoves_site.fingerprints import Digester


@dataclass(frozen=True)
class Row:
    label: str
    value: object


DIFFERENT = [
    [1], [1.0], [True], ["1"], [b"1"], (1,), {"a": 1}, {"a": 1.0}, {"b": 1},
    [[1, 2]], [(1, 2)], [[2, 1]], {"a": 1, "b": 2}, {"b": 2, "a": 1},
    [-0.0], [0.0], [None], [""], [Decimal("6.4")], [Decimal("6.40")], [date(2021, 7, 6)],
    [Markup("<b>x</b>")], ["<b>x</b>"], [Row("a", 1)], [Row("a", 1.0)], [{"x": [Row("a", 1)]}],
    {"figure": {"data": [{"x": [1, 2], "y": [3.5, 4.5]}]}},
    {"figure": {"data": [{"x": [1, 2], "y": [3.5, 4.25]}]}},
]


def test_values_that_print_differently_get_different_fingerprints() -> None:
    digests = [Digester().of(value) for value in DIFFERENT]
    assert len(set(digests)) == len(DIFFERENT)


def test_equal_values_made_apart_get_the_same_fingerprint() -> None:
    for value in DIFFERENT:
        copy = eval(repr(value), {"Row": Row, "Decimal": Decimal, "date": date,
                                  "Markup": Markup, "datetime": datetime})
        assert copy == value and copy is not value
        assert Digester().of(copy) == Digester().of(value), value


def test_plain_data_takes_one_pass_and_anything_else_the_walk() -> None:
    assert Digester.plain_data({"x": [1, 2.5, "a", None, True]}) is not None
    for value in ([Row("a", 1)], [Markup("x")], [date(2021, 1, 1)], {1, 2}, "text"):
        assert Digester.plain_data(value) is None, value


def test_a_new_version_of_a_library_that_makes_output_invalidates_the_cache(
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = buildcache.tool_key()
    assert buildcache.tool_key() == before
    real = importlib.metadata.version

    def newer_pillow(name: str) -> str:
        return "99.0" if name == "pillow" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", newer_pillow)
    assert buildcache.tool_key() != before
