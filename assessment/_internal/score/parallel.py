"""Work run in forked processes: the one way to run it, and a scorer's units scored so.

A forked worker inherits the caller's state (a scorer's millions of small objects)
instead of receiving a copy. Every run across processes goes through `fork_map`:
a worker that dies fails the run (None), and the caller then does the work in one
process, so the outcome never depends on how many processes there were.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Protocol, TypeVar, cast

from assessment.results import UnitResult

__all__ = ["UnitScorer", "can_fork", "fork_map", "inherited", "score_units"]

_T = TypeVar("_T")
_R = TypeVar("_R")

_INHERITED: list[object] = []  # in a worker process only: what `fork_map` gave it


def can_fork() -> bool:
    """Whether this platform can fork (elsewhere every run stays in one process)."""
    return "fork" in multiprocessing.get_all_start_methods()


def inherited() -> object:
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


class UnitScorer(Protocol):
    """What scoring units across processes needs of a scorer (`Scorer` is one)."""

    def unit_result(
        self, unit: str, as_of: date | None = None, *, trail: bool = True
    ) -> UnitResult: ...


def _score_part(part: tuple[list[str], date, bool]) -> list[UnitResult]:
    units, day, trail = part
    # The worker's gc is off already and `unit_result` sets its own decimal context.
    scorer = cast("UnitScorer", inherited())
    return [scorer.unit_result(unit, day, trail=trail) for unit in units]


def score_units(
    scorer: UnitScorer, units: list[str], day: date, jobs: int, trail: bool
) -> list[UnitResult]:
    """`units` scored by `scorer` in `jobs` forked processes, which inherit its state
    without copying it (none if a process died: the caller then scores them itself)."""
    size = -(-len(units) // jobs)
    parts = [(units[i : i + size], day, trail) for i in range(0, len(units), size)]
    done = fork_map(_score_part, parts, scorer)
    return [result for part in done or () for result in part]
