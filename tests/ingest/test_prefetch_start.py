"""``Prefetcher.start()`` begins producing before anyone iterates: bounded by the queue's
depth, harmless when called again, errors still reach the consumer, and ``close()`` without
iterating stops the thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from procurewatch.ingest.prefetch import Prefetcher

WAIT = 10.0
"""Seconds to wait for an event that happens at once (only a hang ever waits this long)."""


def _readers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "procurewatch-reader" and t.is_alive()}


class Producer:
    """Hands out ``items`` (then None), counting its calls; ``reached[n]`` is set once it has
    been called ``n`` times."""

    def __init__(self, items: Iterator[int], fail_after: int | None = None) -> None:
        self.items = items
        self.calls = 0
        self.fail_after = fail_after
        self.reached = {n: threading.Event() for n in range(1, 12)}

    def __call__(self) -> int | None:
        self.calls += 1
        if self.calls in self.reached:
            self.reached[self.calls].set()
        if self.fail_after is not None and self.calls > self.fail_after:
            raise ValueError(f"bad item after {self.fail_after}")
        return next(self.items, None)


def _started(produce: Callable[[], int | None], depth: int) -> Prefetcher[int]:
    fetcher = Prefetcher(produce, depth)
    fetcher.start()
    return fetcher


def test_start_produces_before_iteration_up_to_the_queue_bound() -> None:
    produce = Producer(iter(range(10)))
    fetcher = _started(produce, depth=2)
    try:
        # two items fill the queue; the third is made and waits for room
        assert produce.reached[3].wait(WAIT), "start() did not begin producing"
        assert not produce.reached[4].wait(0.3), "the producer ran past the queue's bound"
        assert produce.calls == 3
        assert list(fetcher) == list(range(10))
    finally:
        fetcher.close()
    assert produce.calls == 11  # ten items and the None that ends them


def test_start_twice_and_then_iterating_is_harmless() -> None:
    before = _readers()
    produce = Producer(iter(range(5)))
    fetcher = _started(produce, depth=1)
    fetcher.start()  # a second thread start would raise RuntimeError
    assert len(_readers() - before) <= 1
    assert list(fetcher) == list(range(5))
    fetcher.start()  # after the end: still nothing
    assert _readers() <= before


def test_a_producer_error_reaches_the_consumer() -> None:
    produce = Producer(iter(range(10)), fail_after=2)
    fetcher = _started(produce, depth=2)
    assert produce.reached[3].wait(WAIT)  # it failed before anyone asked for an item
    got: list[int] = []
    with pytest.raises(ValueError, match="bad item after 2"):
        for item in fetcher:
            got.append(item)
    assert got == [0, 1]
    assert produce.calls == 3  # nothing produced after the error


def test_close_without_iterating_stops_the_producer() -> None:
    before = _readers()
    produce = Producer(iter(range(1_000_000)))
    fetcher = _started(produce, depth=2)
    assert produce.reached[3].wait(WAIT)  # blocked on the full queue
    assert len(_readers() - before) == 1
    fetcher.close()
    assert _readers() <= before, "the producer thread is still alive after close()"
    calls = produce.calls
    assert calls <= 4
    fetcher.close()  # twice: nothing
    assert produce.calls == calls


def test_close_before_start_is_harmless() -> None:
    produce = Producer(iter(range(3)))
    fetcher = Prefetcher(produce, 2)
    fetcher.close()
    assert produce.calls == 0
