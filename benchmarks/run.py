"""Measure scoring against the parsing floor, on a generated year (see province.py).

    python benchmarks/run.py [--units 20000] [--runs 3] [--scales 1,2,4]

prints, for the 2023 scheme and medians of `--runs` runs:
- the parsing floor: a plain `json.loads` loop, and reading and validating the
  stream with the project's own readers (`read_events`);
- end-to-end `assessment score` (a separate process): events per second, peak memory;
- the ratio of end-to-end time to the readers' time, measured in the same run;
- scheme load + compile time, and `assessment --version` start-up time;
- the same at several multiples of the events (`--scales`), to see how time grows.

The figures in docs/performance.md come from this script.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from province import generate  # noqa: E402

import assessment  # noqa: E402
from assessment._internal.plan import compile_scheme  # noqa: E402

SCHEME = ROOT / "schemes/2023.yaml"


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _json_floor(events: Path) -> None:
    with events.open(encoding="utf-8") as stream:
        for line in stream:
            json.loads(line)


def _end_to_end(data: Path) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one `assessment score` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "assessment",
            "score",
            str(SCHEME),
            "--roster",
            str(data / "roster.csv"),
            "--events",
            str(data / "events.jsonl"),
            "--format",
            "csv",
            "--output",
            str(data / "scores.csv"),
        ],
        check=True,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def _measure(data: Path, events: int, runs: int) -> dict[str, float]:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(data / "roster.csv", scheme)
    floor_json = _median(runs, lambda: _json_floor(data / "events.jsonl"))
    floor_read = _median(
        runs, lambda: assessment.read_events(data / "events.jsonl", scheme, roster)
    )
    ends = [_end_to_end(data) for _ in range(runs)]
    end = statistics.median(e[0] for e in ends)
    return {
        "events": events,
        "json_loads_s": floor_json,
        "read_events_s": floor_read,
        "score_s": end,
        "score_events_per_s": events / end,
        "peak_mb": max(e[1] for e in ends),
        "ratio_to_readers": end / floor_read,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1", help="multiples of the units, e.g. 1,2,4")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, runs per figure: {args.runs} (median)"
    )
    load = _median(args.runs, lambda: compile_scheme(assessment.load_scheme(SCHEME)))
    version = _median(
        args.runs,
        lambda: subprocess.run(
            [sys.executable, "-m", "assessment", "--version"], check=True, capture_output=True
        ),
    )
    print(
        f"scheme load + compile: {load * 1000:.1f} ms; `assessment --version`: {version * 1000:.0f} ms"
    )
    header = "units    events  json.loads s  read_events s  score s  events/s  peak MB  score/read"
    print(header)
    for scale in (int(s) for s in args.scales.split(",")):
        units = args.units * scale
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            count = generate(data, units, 20, 0)
            m = _measure(data, count, args.runs)
        print(
            f"{units:<7} {count:>8} {m['json_loads_s']:>13.2f} {m['read_events_s']:>14.2f} "
            f"{m['score_s']:>8.2f} {m['score_events_per_s']:>9.0f} {m['peak_mb']:>8.0f} "
            f"{m['ratio_to_readers']:>11.2f}"
        )


if __name__ == "__main__":
    main()
