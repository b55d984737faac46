"""Pickling of records and results: fast for dataclasses, for the build cache and for
the results that worker processes hand back."""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import io
import pickle
from collections.abc import Iterator
from typing import IO, Any

FIELDS: dict[type, tuple[str, ...]] = {}


def field_names(kind: type) -> tuple[str, ...]:
    """Field names of a dataclass type (dataclasses.fields is slow: asked once per type)."""
    names = FIELDS.get(kind)
    if names is None:
        names = FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names



class Reducers(dict[type, Any]):
    """Pickle dataclasses as (class, field values): the default for slotted dataclasses
    asks `dataclasses.fields` for every object and is several times slower."""

    def __missing__(self, kind: type) -> Any:
        if not dataclasses.is_dataclass(kind) or any(
                not f.init or f.kw_only is True for f in dataclasses.fields(kind)
        ) or hasattr(kind, "__post_init__"):
            default = copyreg.dispatch_table.get(kind, _default_reduce)
            self[kind] = default
            return default
        names = field_names(kind)

        def reduce(obj: Any) -> tuple[Any, ...]:
            return kind, tuple([getattr(obj, name) for name in names])

        self[kind] = reduce
        return reduce


def _default_reduce(obj: Any) -> Any:
    return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)



def dump(value: Any, handle: IO[bytes]) -> None:
    """Pickle `value` into `handle` (read it back with `load`)."""
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = Reducers()
    pickler.dump(value)


def dumps(value: Any) -> bytes:
    """`value` pickled (read it back with `loads`)."""
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, for the time of the block.

    Reading a large store makes millions of objects that all live on; each collection
    the allocations trigger walks them again and finds nothing to free (at 100.000
    measures, reading the records store took 5,25 s with the collector and 2,5 s
    without). Nothing is lost: the next collection after the block sees what it would
    have seen."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def load(handle: IO[bytes]) -> Any:
    """What `dump` wrote into `handle`, read with the collector paused."""
    with collector_paused():
        return pickle.Unpickler(handle).load()


def loads(data: bytes) -> Any:
    """What `dumps` gave, read with the collector paused."""
    with collector_paused():
        return pickle.loads(data)
