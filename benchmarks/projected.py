"""Time `assessment score --jobs N` would take on N cores, measured on a machine with fewer.

    python benchmarks/projected.py DIR N

does what `assessment score schemes/2023.yaml --roster DIR/roster.csv --events
DIR/events.jsonl --format csv --output DIR/scores.csv --jobs N` does, but
forks the N processes of the split by unit one after another instead of all
at once, so that each has the machine to itself, and prints as JSON the
seconds each spent on its share (timed inside the process). `run.py` times
this whole script (W) and gives W - sum(parts) + max(parts): everything but
the processes' own work counted as if nothing of it could overlap (start-up,
the first look at co-handlers, forking, sending the results back and reading
them, merging, ranking, writing), plus the slowest process. On a real N-core
machine the processes share memory bandwidth and caches, which this cannot
see.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import assessment
from assessment._internal.output import write_atomically
from assessment._internal.partition import score_in_partitions
from assessment._internal.processes import fork_map
from assessment._internal.render import render_csv

SCHEME = Path(__file__).resolve().parent.parent / "schemes/2023.yaml"

_T = TypeVar("_T")
_R = TypeVar("_R")


def _timed_in_process(call: tuple[Callable[[_T], _R], _T]) -> tuple[float, _R]:
    """`work(item)` and the seconds it took, measured in the worker process."""
    work, item = call
    start = time.perf_counter()
    done = work(item)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a directory written by province.py")
    parser.add_argument("jobs", type=int, help="the processes (cores) to project for")
    args = parser.parse_args()
    took: list[float] = []

    def one_at_a_time(
        work: Callable[[_T], _R], items: Sequence[_T], shared: object
    ) -> list[_R] | None:
        done: list[_R] = []
        for item in items:
            got = fork_map(_timed_in_process, [(work, item)], shared)
            if got is None:
                return None
            seconds, result = got[0]
            took.append(seconds)
            done.append(result)
        return done

    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(args.data / "roster.csv", scheme)
    files = [str(args.data / "events.jsonl")]
    report = score_in_partitions(
        scheme, roster, files, args.jobs, trail=False, map_parts=one_at_a_time
    )
    if report is None:
        raise SystemExit("the split by unit gave up on this data: nothing to project")
    write_atomically(str(args.data / "scores.csv"), render_csv(report), encoding="utf-8-sig")
    print(json.dumps(took))


if __name__ == "__main__":
    main()
