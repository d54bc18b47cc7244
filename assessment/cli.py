"""The `assessment` command: validate a scheme, score a ledger, explain a unit's score.

Exit codes: 0 success, 1 invalid input (every problem is listed on stderr),
2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from assessment._internal.engine import score_log
from assessment._internal.eventlog import EventLog
from assessment._internal.locate import did_you_mean
from assessment._internal.output import write_atomically
from assessment._internal.plan import compile_scheme
from assessment._internal.readers import read_events, read_roster
from assessment._internal.render import (
    render_csv,
    render_explanation,
    render_json,
    render_table,
)
from assessment._internal.schemeload import load_scheme
from assessment._version import __version__
from assessment.errors import InputError
from assessment.results import Report
from assessment.roster import Roster
from assessment.scheme import Scheme, scheme_json_schema

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


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

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of the scheme format (for YAML editors)"
    )
    schema.add_argument("--output", help="write to this file (whole or not at all)")

    score = commands.add_parser("score", help="score every unit and print the ranked table")
    _inputs(score)
    score.add_argument("--format", choices=("table", "json", "csv"), default="table")
    score.add_argument("--output", help="write to this file (whole or not at all)")

    explain = commands.add_parser("explain", help="show every point one unit gained or lost")
    _inputs(explain)
    explain.add_argument("--unit", required=True, help="the unit's id in the roster")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("--output", help="write to this file (whole or not at all)")
    return parser


def _load(args: argparse.Namespace) -> tuple[Scheme, Roster, EventLog]:
    scheme = load_scheme(args.scheme)
    roster = read_roster(args.roster, scheme)
    events = read_events(args.events, scheme, roster)
    return scheme, roster, events


def _report(args: argparse.Namespace) -> Report:
    scheme, roster, events = _load(args)
    return score_log(compile_scheme(scheme), roster, events, args.as_of)


def _emit(text: str, output: str | None, stdout: TextIO, *, excel: bool = False) -> None:
    if output is None:
        stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        # Excel only reads UTF-8 CSV correctly when the file starts with a BOM.
        write_atomically(output, text, encoding="utf-8-sig" if excel else "utf-8")


def _check(args: argparse.Namespace, stdout: TextIO) -> int:
    scheme = load_scheme(args.scheme)
    try:
        from assessment._internal.check import render_outcomes, run_checks  # noqa: PLC0415
    except ModuleNotFoundError as exc:  # Hypothesis is an optional extra
        raise _UsageError(
            f"assessment check needs {exc.name}: pip install 'assessment[testing]'"
        ) from None
    outcomes = run_checks(scheme, examples=args.examples, seed=args.seed)
    stdout.write(render_outcomes(args.scheme, outcomes, args.examples))
    return EXIT_INVALID if any(o.violation for o in outcomes) else EXIT_OK


def _run(args: argparse.Namespace, stdout: TextIO) -> int:
    if args.command == "validate":
        scheme = load_scheme(args.scheme)
        checked = [args.scheme]
        if args.roster:
            roster = read_roster(args.roster, scheme)
            checked.append(args.roster)
            if args.events:
                read_events(args.events, scheme, roster)
                checked += args.events
        elif args.events:
            raise _UsageError("--events needs --roster: events are checked against the roster")
        stdout.write(f"ok: {', '.join(checked)} valid ({scheme.id}, {len(scheme.rules())} rules)\n")
        return EXIT_OK
    if args.command == "check":
        return _check(args, stdout)
    if args.command == "schema":
        _emit(scheme_json_schema(), args.output, stdout)
        return EXIT_OK
    report = _report(args)
    if args.command == "score":
        renderers = {"table": render_table, "json": render_json, "csv": render_csv}
        _emit(renderers[args.format](report), args.output, stdout, excel=args.format == "csv")
        return EXIT_OK
    try:
        unit = report.unit(args.unit)
    except KeyError:
        hint = did_you_mean(args.unit, (u.unit for u in report.units))
        raise _UsageError(f"unit '{args.unit}' is not in the roster{hint}") from None
    if args.format == "json":
        text = unit.model_dump_json(indent=2)
    else:
        text = render_explanation(report, unit)
    _emit(text, args.output, stdout)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args, out)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_INVALID
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"assessment: error: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"assessment: cannot write {exc.filename}: {exc.strerror}\n")
        return EXIT_INVALID


if __name__ == "__main__":
    raise SystemExit(main())
