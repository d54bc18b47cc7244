"""Time `assessment score --jobs N` would take on N cores, measured on a machine with fewer.

    python benchmarks/projected.py DIR N

does what `assessment score schemes/2023.yaml --roster DIR/roster.csv --events
DIR/events.jsonl --format csv --output DIR/scores.csv --jobs N` does, but
forks the N processes of the split by unit one after another instead of all
at once, so that each has the machine to itself, and prints the seconds each
took as JSON. `run.py` times this whole script (W) and gives W - sum(parts) +
max(parts): the parent's own work (start-up, the first look at co-handlers,
merging, ranking, writing) plus the slowest process. That is what N cores take
if the processes do not slow each other down; on a real machine they share
memory bandwidth and caches, so read it as a lower bound.
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
            start = time.perf_counter()
            got = fork_map(work, [item], shared)
            took.append(time.perf_counter() - start)
            if got is None:
                return None
            done += got
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
