"""Work in forked processes, which inherit the caller's state instead of receiving a copy."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["can_fork", "fork_map", "inherited"]

_T = TypeVar("_T")
_R = TypeVar("_R")

_INHERITED: list[Any] = []  # in a worker process only: what `fork_map` gave it


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def inherited() -> Any:
    """In a worker of `fork_map`: the object shared with it."""
    return _INHERITED[0]


def _inherit(shared: object) -> None:
    _INHERITED[:] = [shared]
    gc.disable()  # a worker reads what it inherited (millions of objects), then exits


def fork_map(work: Callable[[_T], _R], items: Sequence[_T], shared: object) -> list[_R] | None:
    """`work` over `items`, one forked process each, `shared` reaching every worker as
    `inherited()`; None when a process died (out of memory, say) or could not start.

    `shared` is the initializer's argument, which a fork passes as it is (not
    pickled), and nothing global changes in this process. An executor, not a
    Pool: a worker that dies fails the map instead of hanging it.
    """
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(
            len(items), mp_context=context, initializer=_inherit, initargs=(shared,)
        ) as pool:
            return list(pool.map(work, items))
    except (BrokenProcessPool, OSError):
        return None
