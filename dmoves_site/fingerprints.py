"""Fingerprints of values for the build cache: records, page contexts, charts.

Two values get the same fingerprint only if they print the same; equal values made
apart (in another build, another process) get the same one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import operator
import types
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from dmoves_site.pickling import FIELDS, field_names


class Uncacheable(TypeError):
    """A value without a defined fingerprint: the page that uses it is always rendered."""


PLAIN = (type(None), bool, int, float, str, bytes, Decimal, date, datetime, PurePath, Enum)


class Digester:
    """Deterministic fingerprints of values (records, contexts, charts), memoised by object.

    Two values get the same fingerprint only if they print the same: types count (1 and
    1.0, 6.4 and 6.40 differ), order counts in sequences and mappings, not in sets. Every
    part is self-delimiting (a type tag and a length, or a 16-byte digest), so different
    values never encode alike. The memo holds every object it saw: ids stay unique.
    """

    def __init__(self) -> None:
        self.memo: dict[int, tuple[Any, bytes]] = {}

    def of(self, value: Any) -> bytes:
        hit = self.memo.get(id(value))
        if hit is not None:
            return hit[1]
        if _kind_of(type(value)) is _Kind.PLAIN:
            return hashlib.blake2b(_plain(value), digest_size=16).digest()
        digest = hashlib.blake2b(self.plain_data(value) or self.encode(value),
                                 digest_size=16).digest()
        self.memo[id(value)] = (value, digest)
        return digest

    @staticmethod
    def plain_data(value: Any) -> bytes | None:
        """A list, tuple or dict of nothing but built-in values (a chart's figure, rows of a
        table) in one pass of `marshal`, which tells types apart as `encode` does (1, 1.0
        and True; a list and a tuple); None for anything else. Format 2 writes no
        back-references, so equal values give equal bytes. A set inside comes out in its
        hash order, which can differ between runs: at worst its page is rendered again."""
        if type(value) not in _MARSHAL_KINDS:
            return None
        try:
            return b"m" + marshal.dumps(value, 2)  # `encode` starts with "p": never alike
        except ValueError:  # holds a record, a date, Markup, …
            return None

    def encode(self, value: Any) -> bytes:
        kind = type(value)
        parts = [_prefix(kind)]
        part = self.part
        how = _kind_of(kind)
        if how is _Kind.SEQUENCE:
            parts += [part(v) for v in value]
        elif how is _Kind.FIELDS:
            parts += [part(v) for v in _FIELD_VALUES[kind](value)]
        elif how is _Kind.MAPPING:
            for key, item in value.items():
                parts += [part(key), part(item)]
        elif how is _Kind.SET:
            parts += sorted(part(v) for v in value)
        elif how is _Kind.NAMED:
            parts.append(_plain(f"{value.__module__}.{value.__qualname__}"))
        elif how is _Kind.PLAIN:
            parts.append(_plain(value))
        else:
            raise Uncacheable(f"no fingerprint for {kind.__qualname__}")
        return b"".join(parts)

    def part(self, value: Any) -> bytes:
        if (_KINDS.get(type(value)) or _kind_of(type(value))) is _Kind.PLAIN:
            return _plain(value)
        return b"d" + self.of(value)


class _Kind(Enum):
    """How a type's values are encoded."""

    PLAIN = 1      # by `_plain`: text, numbers, dates, paths, enums
    SEQUENCE = 2   # each item
    MAPPING = 3    # each key and item, in order
    SET = 4        # each item, sorted by its encoding
    FIELDS = 5     # a dataclass: each field's value, in field order
    NAMED = 6      # a function or class: by its qualified name
    NONE = 7       # no fingerprint (Uncacheable)


_KINDS: dict[type, _Kind] = {}
_FIELD_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _kind_of(kind: type) -> _Kind:
    """How values of `kind` are encoded (worked out once per type)."""
    how = _KINDS.get(kind)
    if how is None:
        how = _KINDS[kind] = _classify(kind)
    return how


def _classify(kind: type) -> _Kind:
    if issubclass(kind, PLAIN):
        return _Kind.PLAIN
    if issubclass(kind, (tuple, list)):
        return _Kind.SEQUENCE
    if issubclass(kind, dict):
        return _Kind.MAPPING
    if issubclass(kind, (set, frozenset)):
        return _Kind.SET
    if kind in FIELDS or dataclasses.is_dataclass(kind):
        names = field_names(kind)
        getter = operator.attrgetter(*names) if names else (lambda _value: ())
        _FIELD_VALUES[kind] = getter if len(names) != 1 else (lambda value: (getter(value),))
        return _Kind.FIELDS
    if issubclass(kind, (types.FunctionType, types.BuiltinFunctionType, type)):
        return _Kind.NAMED
    return _Kind.NONE


_MARSHAL_KINDS = frozenset({list, tuple, dict})
_PREFIXES: dict[type, bytes] = {}


def _prefix(kind: type) -> bytes:
    prefix = _PREFIXES.get(kind)
    if prefix is None:
        prefix = _PREFIXES[kind] = f"p{kind.__module__}.{kind.__qualname__}:".encode()
    return prefix


def _plain(value: Any) -> bytes:
    """'s' + length + UTF-8 for text, else type + length + repr (6.4 and 6.40 differ)."""
    if type(value) is str:
        data = value.encode("utf-8", "surrogatepass")
        return b"s%d:" % len(data) + data
    data = repr(value).encode("utf-8", "surrogatepass")
    return _prefix(type(value)) + b"%d:" % len(data) + data
