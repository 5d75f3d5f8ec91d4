"""Read ahead in a background thread, so parsing overlaps with what the consumer does.

Arrow parses CSV blocks without holding the GIL; while it parses the next block, the main
thread converts and screens the current one. Errors raised by the producer come out of the
iterator unchanged; leaving the loop early stops the producer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_POLL_SECONDS = 0.1


class _Done:
    """Marks the end of the stream."""


class _Failed:
    """Carries the producer's exception."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class Prefetcher(Generic[T]):
    """Calls ``produce()`` in a thread until it returns None; yields the results in order."""

    def __init__(self, produce: Callable[[], T | None], depth: int = 2) -> None:
        self._produce = produce
        self._queue: queue.Queue[T | _Done | _Failed] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="procurewatch-reader", daemon=True)

    def start(self) -> None:
        """Begin producing now, before the first item is asked for (called again: nothing)."""
        if self._thread.ident is None:
            self._thread.start()

    def __iter__(self) -> Iterator[T]:
        self.start()
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, _Done):
                    return
                if isinstance(item, _Failed):
                    raise item.error
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop the producer and wait for it."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get_nowait()
            except queue.Empty:
                self._thread.join(_POLL_SECONDS)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._produce()
                if item is None:
                    break
                self._put(item)
            self._put(_Done())
        except BaseException as error:  # handed to the consumer, who re-raises it
            self._put(_Failed(error))

    def _put(self, item: T | _Done | _Failed) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue
