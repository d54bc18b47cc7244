"""Compare this checkout's speed with another's, as a ratio measured in one run.

    python benchmarks/compare.py OTHER_PYTHON [--units 2000] [--runs 7] [--format csv|json]

OTHER_PYTHON is the interpreter of another installation of assessment (say, a git
worktree of an earlier commit with its own virtual environment). On one generated year
(province.py) it runs `assessment score --format csv` (or json, which writes every
explanation line) with that interpreter and with this
one, alternately, `--runs` times each, checks that both print the same scores, and prints
the median of each and their ratio: alternating spreads a busy machine's noise over both.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEME = HERE.parent / "schemes" / "2023.yaml"


def _score(python: str, year: Path, form: str) -> tuple[float, bytes]:
    argv = [python, "-m", "assessment", "score", str(SCHEME), "--format", form]
    argv += ["--roster", str(year / "roster.csv"), "--events", str(year / "events.jsonl")]
    started = time.perf_counter()
    done = subprocess.run(argv, check=True, capture_output=True, cwd=year)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", help="the other installation's Python interpreter")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        year = Path(folder)
        subprocess.run(
            [sys.executable, str(HERE / "province.py"), str(year), "--units", str(args.units)],
            check=True,
            capture_output=True,
        )
        times: dict[str, list[float]] = {"other": [], "this": []}
        outputs: dict[str, bytes] = {}
        for _ in range(args.runs):
            for name, python in (("other", args.other), ("this", sys.executable)):
                seconds, output = _score(python, year, args.format)
                times[name].append(seconds)
                outputs[name] = output
    if outputs["other"] != outputs["this"]:
        raise SystemExit("the two installations print different scores: compare them first")
    other, this = (statistics.median(times[name]) for name in ("other", "this"))
    print(
        f"{args.units} units, median of {args.runs} alternating runs of "
        f"`assessment score --format {args.format}`"
    )
    print(f"  other ({args.other}): {other:.2f} s")
    print(f"  this  ({sys.executable}): {this:.2f} s")
    print(f"  this / other: {this / other:.3f}")


if __name__ == "__main__":
    main()
