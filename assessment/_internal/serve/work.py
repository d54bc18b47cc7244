"""The time limit: a request's work (reading, checking, scoring) runs off the event loop in
a bounded pool of threads, and a request whose work is not done within `timeout` seconds
is answered 504.

A thread cannot be stopped, so work past its deadline runs on to its end and its result
is dropped; it keeps its thread until then. The pool has `workers` threads and no
queue: a request is given its worker (a `Slot`) before its body is read, and while every
thread is busy (with late work too), a new request is refused at once (503) rather than
waiting, so late work can never pile up.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from assessment._internal.serve.refusals import RefusedError

__all__ = ["RETRY_AFTER", "Slot", "Work"]

T = TypeVar("T")


class Slot:
    """A worker held for one request from before its body is read: handed over to its work
    (whose end frees it), or given back if the request never gets that far."""

    def __init__(self, free: threading.BoundedSemaphore) -> None:
        self._free = free
        self._held = True

    def hand_over(self) -> None:
        self._held = False

    def give_back(self) -> None:
        if self._held:
            self._held = False
            self._free.release()


RETRY_AFTER = 1
"""Seconds a client refused as busy is told to wait (the Retry-After header)."""


class Work:
    """Runs jobs in `workers` threads, each answered within `timeout` seconds or not at all."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="assessment-work")
        self._free = threading.BoundedSemaphore(workers)

    def _release(self, future: Future[Any]) -> None:
        self._free.release()

    def reserve(self) -> Slot | None:
        """A free worker, held for a request before its body is read; None if all are busy."""
        return Slot(self._free) if self._free.acquire(blocking=False) else None

    def busy(self) -> RefusedError:
        return RefusedError(
            503,
            "request.busy",
            f"all {self.workers} workers of this service are busy (some perhaps with work"
            f" past its time limit): try again in {RETRY_AFTER} second or more",
            headers={"Retry-After": str(RETRY_AFTER)},
        )

    async def run(self, job: Callable[[], T], slot: Slot | None = None) -> T:
        """`job()`'s result, in the worker `slot` holds (else a free one); 503 if every
        worker is busy, 504 past the deadline."""
        if slot is None:
            slot = self.reserve()
            if slot is None:
                raise self.busy()
        slot.hand_over()
        future = self._pool.submit(job)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise RefusedError(
                504,
                "request.timeout",
                f"the work took longer than this service's limit of {self.timeout:g} seconds"
                " (--timeout): send smaller requests (fewer events), or start the service with"
                " a larger --timeout",
            ) from None
