"""The time limit: a request's work (reading, checking, scoring) runs off the event loop in
a bounded pool of threads, and a request whose work is not done within `timeout` seconds
is answered 504.

A thread cannot be stopped, so work past its deadline runs on to its end and its result
is dropped; it keeps its thread until then. The pool has `workers` threads and no
queue: while every thread is busy (with late work too), a new request is refused at once
(503) rather than waiting, so late work can never pile up.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from assessment._internal.serve.refusals import RefusedError

__all__ = ["Work"]

T = TypeVar("T")


class Work:
    """Runs jobs in `workers` threads, each answered within `timeout` seconds or not at all."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="assessment-work")
        self._free = threading.BoundedSemaphore(workers)

    def _release(self, future: Future[Any]) -> None:
        self._free.release()

    async def run(self, job: Callable[[], T]) -> T:
        """`job()`'s result; 503 if every worker is busy, 504 past the deadline."""
        if not self._free.acquire(blocking=False):
            raise RefusedError(
                503,
                "request.busy",
                f"all {self.workers} workers of this service are busy (some perhaps with work"
                " past its time limit): try again shortly",
            )
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
