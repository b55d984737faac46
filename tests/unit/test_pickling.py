"""Reading the stores: no garbage collection while a large store is unpickled, and the
collector as it was afterwards."""

from __future__ import annotations

import gc
import io
import pickle
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from dmoves_site import pickling


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    values: list[int]


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections that start while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


def a_store() -> dict[str, Item]:
    # 100.000 objects the collector tracks: well past its first threshold (700) many times
    return {f"m{i}": Item(f"Maßnahme {i}", [i, i + 1]) for i in range(50_000)}


def test_a_store_is_read_without_a_collection_and_whole(collections: list[int]) -> None:
    store = a_store()
    data = pickling.dumps(store)
    handle = io.BytesIO(data)
    assert gc.isenabled()
    gc.collect()  # the allocation counts start from zero
    collections.clear()
    read = pickling.load(handle)
    # at most the one young collection the first allocation after the read sets off
    assert collections in ([], [0])
    assert read == store
    gc.collect()
    collections.clear()
    assert pickling.loads(data) == store
    assert collections in ([], [0])
    assert gc.isenabled()
    # the same reading with the collector left to run collects many times
    gc.collect()
    collections.clear()
    pickle.loads(data)
    assert len(collections) > 10


def test_the_collector_is_as_it_was_after_a_read_that_fails() -> None:
    broken = pickling.dumps(a_store())[:5000]
    assert gc.isenabled()
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        pickling.loads(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        assert pickling.loads(pickling.dumps([1, 2])) == [1, 2]
        assert not gc.isenabled()  # a collector the caller paused stays paused
    finally:
        gc.enable()
