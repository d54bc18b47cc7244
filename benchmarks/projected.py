"""Time and memory `assessment score --jobs N` would take on N cores, measured on fewer.

    python benchmarks/projected.py DIR N

does what `assessment score schemes/2023.yaml --roster DIR/roster.csv --events
DIR/events.jsonl --format csv --output DIR/scores.csv --jobs N` does, but
forks the N processes of the split by unit one after another instead of all
at once, so that each has the machine to itself. It prints as JSON, for each
process, the seconds it spent on its share, its resident memory when the share
began and its peak (all timed and read inside the process; memory in KiB);
and the parent's own peak.

`run.py` times this whole script (W) and projects:

- time: W - sum(seconds) + max(seconds), that is everything outside the
  processes' timed shares (start-up, reading the scheme and roster, the first
  look at co-handlers, forking, sending the results back and reading them,
  the checks across processes, ranking, writing) counted one after another,
  as if none of it could overlap, plus the slowest share;
- memory: the parent's peak plus what each process added to what it held
  when its share began, most of it shared with the parent (its peak less
  that). Resident sizes cannot tell everything apart: a shared page a process
  writes to is copied without changing its resident size (missed here), and a
  page of a shared library it first reads counts in it and in the parent
  (counted twice).

What this cannot see: on a real N-core machine the processes share memory
bandwidth and caches, cores run at a lower clock when all are busy than one
alone, "N cores" may be N hyperthreads, and the parent needs a core of its own
while it reads the results. Read the projection as an estimate, not a bound.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import assessment
from assessment._internal.app.output import write_atomically
from assessment._internal.score.parallel import fork_map
from assessment._internal.score.partition import score_in_partitions
from assessment.render import csv as render_csv

SCHEME = Path(__file__).resolve().parent.parent / "schemes/2023.yaml"

_T = TypeVar("_T")
_R = TypeVar("_R")


def _status_kb(key: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    raise LookupError(f"/proc/self/status has no {key}")


def _timed_in_process(call: tuple[Callable[[_T], _R], _T]) -> tuple[float, int, int, _R]:
    """`work(item)`, the seconds it took, and the process's memory (KiB) when it began and
    at its peak, measured in the worker process."""
    work, item = call
    began_kb = _status_kb("VmRSS:")
    start = time.perf_counter()
    done = work(item)
    return time.perf_counter() - start, began_kb, _status_kb("VmHWM:"), done


def _at_least_two(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("projecting --jobs needs 2 processes or more")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a directory written by province.py")
    parser.add_argument("jobs", type=_at_least_two, help="the processes (cores) to project for")
    args = parser.parse_args()
    parts: list[dict[str, float]] = []

    def one_at_a_time(
        work: Callable[[_T], _R], items: Sequence[_T], shared: object
    ) -> list[_R] | None:
        done: list[_R] = []
        for item in items:
            got = fork_map(_timed_in_process, [(work, item)], shared)
            if got is None:
                return None
            seconds, began_kb, peak_kb, result = got[0]
            parts.append({"seconds": seconds, "began_kb": began_kb, "peak_kb": peak_kb})
            done.append(result)
        return done

    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(args.data / "roster.csv", scheme)
    files = [str(args.data / "events.jsonl")]
    report = score_in_partitions(
        scheme, roster, files, args.jobs, trail=False, map_parts=one_at_a_time
    )
    if report is None:
        raise SystemExit(
            "the split by unit gave up (a problem in the data, or no fork here): nothing to project"
        )
    write_atomically(str(args.data / "scores.csv"), render_csv(report), encoding="utf-8-sig")
    print(json.dumps({"parts": parts, "parent_peak_kb": _status_kb("VmHWM:")}))


if __name__ == "__main__":
    main()
