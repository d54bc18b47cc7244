"""What each command of the command line does, once its arguments are parsed."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import TextIO

from assessment._internal.app.output import UnsafeOutputError, write_atomically
from assessment._internal.app.schemas import json_schema
from assessment._internal.app.usage import EXIT_INVALID, EXIT_OK, UsageError, inputs_of
from assessment._internal.load.roster import read_roster
from assessment._internal.load.scheme import load_scheme, read_scheme_file
from assessment._internal.score.api import score_files
from assessment._internal.score.scorer import Scorer, scoring_day
from assessment._internal.text.printable import printable
from assessment._internal.text.suggest import did_you_mean
from assessment.errors import UnknownIdError
from assessment.render import csv, explanation, portfolio_explanation, table
from assessment.results import Report

__all__ = ["explanation_json", "results_json", "run"]


def _report(args: argparse.Namespace) -> Report:
    """Every event stream read, streaming (no event list is held), and scored."""
    scheme = load_scheme(args.scheme)
    try:
        scoring_day(scheme, args.as_of)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None
    roster = read_roster(args.roster, scheme)
    # Tables and CSV show sections and totals only; JSON and explanations need the trail.
    trail = args.command == "explain" or args.format == "json"
    jobs = getattr(args, "jobs", 1)
    return score_files(scheme, roster, args.events, args.as_of, jobs=jobs, trail=trail)


def results_json(report: Report) -> str:
    """`score --format json`'s output, as the command line and the service write it."""
    return report.model_dump_json(indent=2) + "\n"


def explanation_json(report: Report, unit_id: str) -> str:
    """`explain --unit U --format json`'s output, as the command line and the service write it."""
    return report.explained(unit_id).model_dump_json(indent=2) + "\n"


def _write(stdout: TextIO, text: str) -> None:
    """Write `text` to standard output (UTF-8, whatever the locale: cli.main sees to it)."""
    stdout.write(text)


def _emit(text: str, args: argparse.Namespace, stdout: TextIO, *, excel: bool = False) -> None:
    if args.output is None:
        _write(stdout, text if text.endswith("\n") else text + "\n")
        return
    try:
        # Excel only reads UTF-8 CSV correctly when the file starts with a BOM.
        encoding = "utf-8-sig" if excel else "utf-8"
        write_atomically(args.output, text, encoding=encoding, inputs=inputs_of(args))
    except UnsafeOutputError as exc:  # it changed while the command ran
        raise UsageError(str(exc)) from None


def _check(args: argparse.Namespace, stdout: TextIO) -> int:
    scheme = load_scheme(args.scheme)
    try:
        from assessment._internal.app.check import render_outcomes, run_checks  # noqa: PLC0415
    except ModuleNotFoundError as exc:  # Hypothesis is an optional extra
        raise UsageError(
            f"assessment check needs {exc.name}, from the testing extra: run "
            "pip install '.[testing]' in the project's checkout (no package index has it)"
        ) from None
    outcomes = run_checks(scheme, examples=args.examples, seed=args.seed)
    _write(stdout, render_outcomes(args.scheme, outcomes, args.examples))
    return EXIT_INVALID if any(o.violation for o in outcomes) else EXIT_OK


def _migrate(args: argparse.Namespace, stdout: TextIO) -> int:
    from assessment._internal.app.migrate import migrated  # noqa: PLC0415

    out, said = migrated(read_scheme_file(args.scheme), args.scheme)
    _emit(out, args, stdout)
    heading = "already format 2: nothing to change" if not said else "changed:"
    sys.stderr.write("\n".join([f"{printable(args.scheme)}: {heading}", *said]) + "\n")
    return EXIT_OK


def _scores(report: Report, args: argparse.Namespace) -> str:
    """The report as `assessment score` shows it, or the one part `--of` chooses."""
    if args.of is None:
        renderers = {"table": table, "json": results_json, "csv": csv}
        return renderers[args.format](report)
    if args.format == "json":
        raise UsageError("--of chooses a part of a table or CSV: JSON always holds every part")
    if args.of == "portfolios" and report.portfolios is None:
        raise UsageError("--of portfolios: the scheme declares no portfolios")
    if args.of == "persons" and not report.persons:
        raise UsageError("--of persons: the scheme assesses no persons, or the roster names none")
    return table(report, args.of) if args.format == "table" else csv(report, args.of)


def _portfolio(report: Report, args: argparse.Namespace) -> str:
    """`assessment explain --portfolio ID`: how its score is made, as text or JSON."""
    ranking = report.portfolios
    if ranking is None:
        raise UsageError("--portfolio: the scheme declares no portfolios")
    try:
        entry = report.explained_portfolio(args.portfolio)
    except UnknownIdError:
        hint = did_you_mean(args.portfolio, (e.id for e in ranking.entries))
        raise UsageError(f"portfolio '{args.portfolio}' is not in the scheme{hint}") from None
    if args.format == "json":
        return entry.model_dump_json(indent=2)
    return portfolio_explanation(report, entry.id)


def _bundled(args: argparse.Namespace, stdout: TextIO) -> int:
    """`assessment schemes` and `assessment init`."""
    if args.command == "schemes":
        from assessment._internal.app.catalogue import bundled_list, render_bundled  # noqa: PLC0415

        _write(stdout, render_bundled(bundled_list(), args.format))
        return EXIT_OK
    from assessment._internal.app.starter import FILES, write_starter  # noqa: PLC0415

    made = write_starter(args.directory, args.source)
    folder = printable(str(made.folder))
    # The next command as the user can paste it: quoted where the folder needs it.
    cd = f'"{folder}"' if os.name == "nt" and " " in folder else shlex.quote(folder)
    here = made.folder.resolve() == Path.cwd().resolve()
    score = "assessment score scheme.yaml --roster roster.csv --events events.jsonl"
    _write(
        stdout,
        f"wrote {folder}: {', '.join(FILES)} (scheme {made.scheme}, {made.units} units,"
        f" {made.events} events)\nnext: {score if here else f'cd {cd} && {score}'}\n",
    )
    return EXIT_OK


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """Carry out a parsed command; return its exit code (input errors propagate)."""
    if args.command == "validate":
        scheme = load_scheme(args.scheme)
        checked = [args.scheme]
        if args.roster:
            roster = read_roster(args.roster, scheme)
            checked.append(args.roster)
            if args.events:
                Scorer(scheme, roster).read(args.events, allow_empty=False)
                checked += args.events
        elif args.events:
            raise UsageError("--events needs --roster: events are checked against the roster")
        shown = printable(", ".join(checked))
        _write(stdout, f"ok: {shown} valid ({printable(scheme.id)}, {len(scheme.rules())} rules)\n")
        return EXIT_OK
    if args.command == "check":
        return _check(args, stdout)
    if args.command in ("schemes", "init"):
        return _bundled(args, stdout)
    if args.command == "migrate":
        return _migrate(args, stdout)
    if args.command == "schema":
        _emit(json_schema(args.of), args, stdout)
        return EXIT_OK
    report = _report(args)
    if args.command == "score":
        _emit(_scores(report, args), args, stdout, excel=args.format == "csv")
        return EXIT_OK
    if args.portfolio is not None:
        _emit(_portfolio(report, args), args, stdout)
        return EXIT_OK
    try:
        unit = report.unit(args.unit)
    except UnknownIdError:
        hint = did_you_mean(args.unit, (u.unit for u in report.units))
        raise UsageError(f"unit '{args.unit}' is not in the roster{hint}") from None
    if args.format == "json":
        text = explanation_json(report, unit.unit)
    else:
        text = explanation(report, unit)
    _emit(text, args, stdout)
    return EXIT_OK
