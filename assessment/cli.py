"""The `assessment` command: validate a scheme, score a ledger, explain a unit's score.

Exit codes: 0 success, 1 invalid input (every problem is listed on stderr) or
results that cannot be written, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from assessment._internal.app.usage import (
    EXIT_INVALID,
    EXIT_STOPPED,
    EXIT_USAGE,
    OutputError,
    UsageError,
    inputs_of,
)
from assessment._version import __version__
from assessment.errors import InputError

__all__ = ["main"]


def _as_of(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date written YYYY-MM-DD (got {text!r})"
        ) from None


def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scheme", help="the scheme file (YAML)")
    parser.add_argument("--roster", required=True, help="the roster (CSV or YAML)")
    parser.add_argument(
        "--events", required=True, nargs="+", help="event streams (JSON Lines or CSV)"
    )
    parser.add_argument(
        "--as-of", type=_as_of, help="score as of this date (default: the period's last day)"
    )


def _jobs(text: str) -> int:
    # Imported only now, as the commands are: `--version` stays light.
    from assessment._internal.score.cores import MAX_JOBS, process_count  # noqa: PLC0415

    try:  # a number as a number; any other text ('auto') as it is
        return process_count(int(text) if text.strip().lstrip("+-").isdigit() else text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of processes (1 to {MAX_JOBS}) or 'auto' (got {text!r})"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assessment",
        description="Score government supervision work (政务督查工作考核) from a scheme file.",
    )
    parser.add_argument("--version", action="version", version=f"assessment {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a scheme file (and optionally inputs)")
    validate.add_argument("scheme", help="the scheme file")
    validate.add_argument("--roster", help="also check this roster against the scheme")
    validate.add_argument("--events", nargs="+", help="also check these event streams")

    check = commands.add_parser(
        "check", help="search random ledgers for scores that break the scheme's promises"
    )
    check.add_argument("scheme", help="the scheme file")
    check.add_argument("--examples", type=int, default=200, help="random ledgers per check")
    check.add_argument("--seed", type=int, default=0, help="seed of the search (repeatable)")

    _schema(commands)

    migrate = commands.add_parser(
        "migrate", help="rewrite a format 1 scheme file as format 2, keeping its comments"
    )
    migrate.add_argument("scheme", help="the scheme file")
    migrate.add_argument("--output", help="write to this file (whole or not at all)")

    _score_and_explain(commands)
    return parser


def _schema(commands: Any) -> None:
    """`schema`: the JSON Schema of the scheme format, or of a document of the contract."""
    schema = commands.add_parser(
        "schema",
        help="print a JSON Schema: of the scheme format (for YAML editors), or --of a JSON "
        "document the command writes",
    )
    schema.add_argument(
        "--of",
        choices=("scheme", "results", "explanation", "portfolio-explanation", "problems"),
        default="scheme",
        help="scheme (the default), results (score --format json), explanation (explain "
        "--unit), portfolio-explanation (explain --portfolio) or problems (refused input)",
    )
    schema.add_argument("--output", help="write to this file (whole or not at all)")


def _score_and_explain(commands: Any) -> None:
    """The two commands that score: `score` and `explain`, with their options."""
    score = commands.add_parser("score", help="score every unit and print the ranked table")
    _inputs(score)
    score.add_argument("--format", choices=("table", "json", "csv"), default="table")
    score.add_argument("--output", help="write to this file (whole or not at all)")
    score.add_argument(
        "--of",
        choices=("units", "portfolios", "persons"),
        metavar="PART",
        help="units, portfolios (the scheme's 条线) or persons: show that part of the results "
        "only (default: a table shows every part, CSV the units; JSON always holds all)",
    )
    score.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N|auto",
        help="score the units in N processes (default 1, at most 256), or 'auto' for one "
        "per core this process may use (same results; needs a forking OS)",
    )

    explain = commands.add_parser("explain", help="show every point one unit gained or lost")
    _inputs(explain)
    which = explain.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", help="the unit's id in the roster")
    which.add_argument("--portfolio", help="the id of one of the scheme's portfolios (条线)")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("--output", help="write to this file (whole or not at all)")


def _check_output(args: argparse.Namespace) -> None:
    """Refuse an --output that must not be written, before anything is read or scored."""
    output = getattr(args, "output", None)
    if output is None:
        return
    # Standard library only: a wrong --output is refused before the engine is imported.
    from assessment._internal.app.output import UnsafeOutputError, check_output  # noqa: PLC0415

    try:
        check_output(output, inputs_of(args))
    except UnsafeOutputError as exc:
        raise UsageError(str(exc)) from None


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        _check_output(args)
        # Imported only now: `--version` and `--help` need neither pydantic nor the engine.
        from assessment._internal.app.commands import run  # noqa: PLC0415

        return run(args, out)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_INVALID
    except OutputError as exc:
        sys.stderr.write(f"assessment: {exc}\n")
        return EXIT_INVALID
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"assessment: error: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"assessment: cannot write {exc.filename}: {exc.strerror}\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        # An --output being written is cleaned up already (output.py). End as Python's own
        # handler would, by the signal, so that a calling shell or script stops too.
        sys.stderr.write("assessment: stopped by Ctrl-C (SIGINT)\n")
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.raise_signal(signal.SIGINT)
        return EXIT_STOPPED  # where the signal did not end the process


if __name__ == "__main__":
    raise SystemExit(main())
