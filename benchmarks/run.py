"""Measure scoring against the parsing floor, on generated years (see province.py).

    python benchmarks/run.py [--units 20000] [--runs 3] [--scales 1,2,4]
                             [--scale-units 5000] [--item-units 2000]
                             [--extra-per-item 25] [--jobs N] [--project-jobs 4,8]

prints, for the 2023 scheme, each time the median of `--runs` runs and each memory
figure the highest:

- start-up: `assessment --version`, and scheme load + compile;
- at `--units` units (the province-sized year by default):
  - the parsing floor: a plain `json.loads` loop, and the project's own
    readers merely validating each line into a typed event (no contract
    checks, no scoring);
  - end-to-end `assessment score --format csv` (a separate process): time,
    events per second, peak memory, and the ratio of its time to the floor;
  - the same with `--jobs N`: the speed-up, its ratio to the floor, and the peak
    memory of the largest process and of all of them together (sampled);
  - projected, for each of `--project-jobs` (2 or more): the time and memory
    `--jobs N` would take on N cores, from its processes run one after another
    (projected.py);
  - incremental re-scoring: a `Scorer` holding January to November takes
    December's events, then reports (re-scoring the units they touch),
    against reading and scoring the whole year again;
- scaling: end-to-end at `--scales` multiples of `--scale-units` units (time
  should grow with the events);
- events per item: `--item-units` units as they are, and with
  `--extra-per-item` more events about each item (about 10x the events per
  item): peak memory should follow the items, not the events.

The figures in docs/performance.md come from this script.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from province import generate  # noqa: E402

import assessment  # noqa: E402
from assessment._internal.load.eventtypes import event_types  # noqa: E402
from assessment._internal.load.records import fast_types  # noqa: E402
from assessment._internal.rules.plan import compile_scheme  # noqa: E402

SCHEME = ROOT / "schemes/2023.yaml"

# Runs a command and prints the peak resident memory (KB) of it and its children.
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _json_floor(events: Path) -> None:
    with events.open("rb") as stream:
        for line in stream:
            json.loads(line)


def _validation_floor(events: Path) -> Callable[[], None]:
    """What the readers do for each line before any contract check: validate it."""
    from_json = fast_types(event_types(assessment.load_scheme(SCHEME))).from_json

    def read() -> None:
        with events.open("rb") as stream:
            while line := stream.readline(1 << 20):
                from_json(line)

    return read


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children = [int(child) for child in task.read_text().split()]
                found += children
                todo += children
    return found


def _memory_kb(pid: int) -> int:
    """A process's proportional share of memory (PSS: pages shared after a fork counted
    once in all), or, where the kernel does not say, its resident memory."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        with contextlib.suppress(OSError):
            text = Path(f"/proc/{pid}/{name}").read_text()
            if key in text:
                return int(text.split(key)[1].split()[0])
    return 0


def _sample_tree(pid: int, peak: list[int], done: threading.Event) -> None:
    """The highest memory of `pid`'s descendants together, sampled every 50 ms (Linux)."""
    while not done.wait(0.05):
        peak[0] = max(peak[0], sum(_memory_kb(child) for child in _descendants(pid)))


def _score(data: Path, jobs: int) -> tuple[float, float, float]:
    """Wall time, the peak memory (MB) of the largest process and that of all its processes
    together (sampled; 0 where /proc is missing) of one `assessment score` run."""
    command = [sys.executable, "-m", "assessment", "score", str(SCHEME)]
    command += ["--roster", str(data / "roster.csv"), "--events", str(data / "events.jsonl")]
    command += ["--format", "csv", "--output", str(data / "scores.csv"), "--jobs", str(jobs)]
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", _PEAK, *command], stdout=subprocess.PIPE, text=True
    ) as running:
        peak, done = [0], threading.Event()
        sampler = threading.Thread(target=_sample_tree, args=(running.pid, peak, done))
        sampler.start()
        out, _ = running.communicate()
        took = time.perf_counter() - start
        done.set()
        sampler.join()
    if running.returncode:
        raise subprocess.CalledProcessError(running.returncode, command)
    return took, int(out.strip()) / 1024, peak[0] / 1024


def _projected(data: Path, jobs: int) -> tuple[float, float, float, float]:
    """What `--jobs N` would take on N cores (see projected.py): seconds, of which those
    outside the processes' shares, and MB in the largest process and in all together."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(HERE / "projected.py"), str(data), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - start
    found = json.loads(out)
    parts, parent = found["parts"], found["parent_peak_kb"]
    seconds = [part["seconds"] for part in parts]
    outside = wall - sum(seconds)
    largest = max(parent, *(part["peak_kb"] for part in parts))
    together = parent + sum(part["peak_kb"] - part["began_kb"] for part in parts)
    return outside + max(seconds), outside, largest / 1024, together / 1024


def _scores(data: Path, jobs: int, runs: int) -> tuple[float, float, float]:
    measured = [_score(data, jobs) for _ in range(runs)]
    return (
        statistics.median(m[0] for m in measured),
        max(m[1] for m in measured),
        max(m[2] for m in measured),
    )


def _split_by_month(data: Path, month: int) -> tuple[Path, Path]:
    """The stream before `month` and from it on, as two files."""
    before, after = data / "before.jsonl", data / "after.jsonl"
    start = date(2023, month, 1).isoformat()
    with (
        (data / "events.jsonl").open(encoding="utf-8") as stream,
        before.open("w", encoding="utf-8") as early,
        after.open("w", encoding="utf-8") as late,
    ):
        for line in stream:
            (late if json.loads(line)["date"] >= start else early).write(line)
    return before, after


def _incremental(data: Path, runs: int) -> tuple[int, float, float, float]:
    """December added to a Scorer holding the year so far, then reported; the whole year
    read and reported from scratch."""
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(data / "roster.csv", scheme)
    before, after = _split_by_month(data, 12)
    december = sum(1 for _ in after.open(encoding="utf-8"))
    added, reported = [], []
    for _ in range(runs):
        scorer = assessment.Scorer(scheme, roster)
        scorer.read(before)
        scorer.report(trail=False)
        start = time.perf_counter()
        scorer.read(after)
        middle = time.perf_counter()
        scorer.report(trail=False)
        added.append(middle - start)
        reported.append(time.perf_counter() - middle)

    def whole_year() -> None:
        scorer = assessment.Scorer(scheme, roster)
        scorer.read([before, after])
        scorer.report(trail=False)

    whole = _median(runs, whole_year)
    return december, statistics.median(added), statistics.median(reported), whole


def _year(units: int, extra: int, out: Path) -> int:
    return generate(out, units, 20, extra)


def _parallel(data: Path, args: argparse.Namespace, end: float, floor: float) -> None:
    """The --jobs lines: measured with `args.jobs` processes, projected for more cores."""
    runs = args.runs
    if args.jobs > 1:
        parallel, largest, together = _scores(data, args.jobs, runs)
        print(
            f"  {f'assessment score --jobs {args.jobs}:':<34}{parallel:7.2f} s  "
            f"(speed-up {end / parallel:.2f}x), peak {largest:.0f} MB in the largest "
            f"process, {together:.0f} MB in all"
        )
        print(f"  {f'score --jobs {args.jobs} / validation floor:':<34}{parallel / floor:7.2f}")
    for jobs in (int(n) for n in args.project_jobs.split(",") if n):
        runs_of = [_projected(data, jobs) for _ in range(runs)]
        projected = statistics.median(run[0] for run in runs_of)
        outside = statistics.median(run[1] for run in runs_of)
        largest, together = max(run[2] for run in runs_of), max(run[3] for run in runs_of)
        print(
            f"  {f'projected, --jobs {jobs} on {jobs} cores:':<34}{projected:7.2f} s  "
            f"(speed-up {end / projected:.2f}x; {outside:.2f} s outside the processes' "
            f"shares), about {largest:.0f} MB in the largest process, {together:.0f} MB in all"
        )
        print(f"  {f'projected --jobs {jobs} / floor:':<34}{projected / floor:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1,2,4", help="multiples of --scale-units")
    parser.add_argument("--scale-units", type=int, default=5_000)
    parser.add_argument("--item-units", type=int, default=2_000)
    parser.add_argument(
        "--extra-per-item", type=int, default=25, help="about 10x the events per item"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--project-jobs",
        default="4,8",
        help="cores to project --jobs for, each 2 or more ('' for none)",
    )
    args = parser.parse_args()
    runs = args.runs
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; each time the median of {runs} runs, "
        "each memory figure the highest"
    )
    version = _median(
        runs,
        lambda: subprocess.run(
            [sys.executable, "-m", "assessment", "--version"], check=True, capture_output=True
        ),
    )
    load = _median(runs, lambda: compile_scheme(assessment.load_scheme(SCHEME)))
    print(f"start-up (`assessment --version`): {version * 1000:.0f} ms")
    print(f"scheme load + compile: {load * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        count = _year(args.units, 0, data)
        floor_json = _median(runs, lambda: _json_floor(data / "events.jsonl"))
        floor = _median(runs, _validation_floor(data / "events.jsonl"))
        end, peak, _ = _scores(data, 1, runs)
        print(f"\n{args.units} units, {count} events")
        print(f"  floor, json.loads loop:           {floor_json:7.2f} s")
        print(
            f"  floor, validation by the readers: {floor:7.2f} s  ({count / floor:,.0f} events/s)"
        )
        print(
            f"  assessment score:                 {end:7.2f} s  ({count / end:,.0f} events/s), "
            f"peak {peak:.0f} MB"
        )
        print(f"  score / validation floor:         {end / floor:7.2f}")
        _parallel(data, args, end, floor)
        december, added, reported, whole = _incremental(data, runs)
        print(
            f"  incremental: December's {december} events added to a Scorer holding Jan-Nov "
            f"in {added:.2f} s, then reported in {reported:.2f} s;\n"
            f"               the whole year read and reported from scratch: {whole:.2f} s"
        )

    print(f"\nscaling ({args.scale_units} units x scale)")
    print("  scale    events  floor s  score s  events/s  score/floor  peak MB")
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            count = _year(args.scale_units * scale, 0, data)
            floor = _median(runs, _validation_floor(data / "events.jsonl"))
            end, peak, _ = _scores(data, 1, runs)
        print(
            f"  {scale:>5} {count:>9} {floor:>8.2f} {end:>8.2f} {count / end:>9,.0f} "
            f"{end / floor:>12.2f} {peak:>8.0f}"
        )

    print(f"\nevents per item ({args.item_units} units, 20 items each)")
    print("  extra per item    events  events/item  score s  peak MB")
    for extra in (0, args.extra_per_item):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            count = _year(args.item_units, extra, data)
            end, peak, _ = _scores(data, 1, runs)
        per_item = count / (args.item_units * 20)
        print(f"  {extra:>14} {count:>9} {per_item:>12.1f} {end:>8.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
