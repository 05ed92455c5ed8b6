"""Runs one callable on several threads released together, for the tests that race Docket against itself."""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def run_concurrently(work: Callable[[], T], count: int) -> list[T]:
    """Call `work` on `count` threads that start at one barrier; return the results, or raise the first error."""
    barrier = threading.Barrier(count)
    lock = threading.Lock()
    results: list[T] = []
    errors: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            result = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread below
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(result)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
