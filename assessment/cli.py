"""The `assessment` command: validate a scheme, score a ledger, explain a unit's score.

Exit codes: 0 success, 1 invalid input (every problem is listed on stderr) or
results that cannot be written, 2 wrong usage. With `--errors json`, standard
error holds one JSON problems document instead. Standard output and standard
error are UTF-8, whatever the locale.
"""

from __future__ import annotations

import argparse
import codecs
import io
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn, TextIO

from assessment._internal.app.failures import Failures, wants_json
from assessment._internal.app.stdin import EVENTS_FORMATS, ROSTER_FORMATS, take_stdin
from assessment._internal.app.usage import (
    EXIT_STOPPED,
    OutputError,
    UsageError,
    inputs_of,
    iso_day,
)
from assessment._version import __version__
from assessment.errors import InputError

__all__ = ["main"]


def _as_of(text: str) -> date:
    try:
        return iso_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_SCHEME_HELP = "the scheme file (YAML), or the name of a bundled one (assessment schemes)"


def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scheme", help=_SCHEME_HELP)
    parser.add_argument(
        "--roster", required=True, help="the roster (CSV or YAML), or - for standard input"
    )
    parser.add_argument(
        "--events",
        required=True,
        nargs="+",
        help="event streams (JSON Lines or CSV), or - for standard input",
    )
    _stdin_formats(parser)
    parser.add_argument(
        "--as-of", type=_as_of, help="score as of this date (default: the period's last day)"
    )


def _stdin_formats(parser: argparse.ArgumentParser) -> None:
    """The formats of standard input, which has no suffix to say it (the first is the default)."""
    for option, formats in (("events", EVENTS_FORMATS), ("roster", ROSTER_FORMATS)):
        first, other = tuple(formats)
        parser.add_argument(
            f"--{option}-format",
            choices=(first, other),
            metavar=f"{first}|{other}",
            help=f"the format of the {option} read from standard input (--{option} -): "
            f"{first} (the default) or {other}; a file's suffix says its own",
        )


def _errors_option(commands: Any) -> None:
    """`--errors`, on every command: how a failure is told on standard error."""
    for command in commands.choices.values():
        command.add_argument(
            "--errors",
            choices=("text", "json"),
            default="text",
            metavar="text|json",
            help="on failure, write the problems on standard error as text (the default) "
            "or as one JSON document (docs/problems.md)",
        )


class _RefusedError(Exception):
    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class _Parser(argparse.ArgumentParser):
    """A parser whose refusals `main` tells, in words as argparse does or as JSON."""

    def error(self, message: str) -> NoReturn:
        raise _RefusedError(self, message)


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
    parser = _Parser(
        prog="assessment",
        description="Score government supervision work (政务督查工作考核) from a scheme file.",
    )
    parser.add_argument("--version", action="version", version=f"assessment {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a scheme file (and optionally inputs)")
    validate.add_argument("scheme", help=_SCHEME_HELP)
    validate.add_argument(
        "--roster", help="also check this roster against the scheme (- : standard input)"
    )
    validate.add_argument(
        "--events", nargs="+", help="also check these event streams (- : standard input)"
    )
    _stdin_formats(validate)

    check = commands.add_parser(
        "check", help="search random ledgers for scores that break the scheme's promises"
    )
    check.add_argument("scheme", help=_SCHEME_HELP)
    check.add_argument("--examples", type=int, default=200, help="random ledgers per check")
    check.add_argument("--seed", type=int, default=0, help="seed of the search (repeatable)")

    _schema(commands)

    migrate = commands.add_parser(
        "migrate", help="rewrite a format 1 scheme file as format 2, keeping its comments"
    )
    migrate.add_argument("scheme", help=_SCHEME_HELP)
    migrate.add_argument("--output", help="write to this file (whole or not at all)")

    _score_and_explain(commands)
    _bundle_commands(commands)
    _serve_command(commands)
    _errors_option(commands)
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
        choices=(
            "scheme",
            "results",
            "explanation",
            "portfolio-explanation",
            "scheme-list",
            "problems",
        ),
        default="scheme",
        help="scheme (the default), results (score --format json), explanation (explain "
        "--unit), portfolio-explanation (explain --portfolio), scheme-list (schemes "
        "--format json) or problems (refused input)",
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


def _bundle_commands(commands: Any) -> None:
    """`schemes` and `init`: the schemes this package carries, and a folder to start from."""
    schemes = commands.add_parser("schemes", help="list the schemes this package carries")
    schemes.add_argument("--format", choices=("table", "json"), default="table")
    init = commands.add_parser(
        "init", help="write a folder that assessment score runs at once: scheme, roster, events"
    )
    init.add_argument("directory", metavar="DIR", help="a new or empty folder")
    init.add_argument(
        "--from",
        dest="source",
        metavar="NAME",
        help="a bundled scheme with a ledger (assessment schemes), instead of the small "
        "starter ledger and the scheme it is written for",
    )


def _at_least(least: float, kind: type[int] | type[float]) -> Any:
    def read(text: str) -> int | float:
        try:
            value = kind(text)
            if value < least:
                raise ValueError
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a {'whole ' if kind is int else ''}number, at least {least:g} "
                f"(got {text!r})"
            ) from None
        return value

    return read


def _serve_command(commands: Any) -> None:
    """`serve`: the HTTP service (docs/service.md), from the `server` extra."""
    serve = commands.add_parser("serve", help="serve validate, score and explain over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument(
        "--port", type=_at_least(0, int), default=8000, help="the port (0: any free one)"
    )
    for option, kind, least, default, words in (
        ("--max-body-bytes", int, 1, 64 * 1024 * 1024, "the largest request body, in bytes"),
        ("--timeout", float, 0.001, 60.0, "seconds for a request's work, or to wait on its body"),
        ("--max-schemes", int, 0, 100, "the most schemes registered at once"),
        ("--workers", int, 1, 2, "threads doing the work; more requests are refused (503)"),
    ):
        serve.add_argument(
            option, type=_at_least(least, kind), default=default, help=f"{words} ({default})"
        )


def _serve(args: argparse.Namespace) -> int:
    """Run the service until it is stopped; a usage error if the `server` extra is missing."""
    from assessment._internal.serve.settings import Settings  # noqa: PLC0415

    if args.port > 65535:
        raise UsageError(f"--port {args.port}: a port is at most 65535")
    settings = Settings(
        args.host, args.port, args.max_body_bytes, args.timeout, args.max_schemes, args.workers
    )
    try:
        from assessment._internal.serve.run import serve  # noqa: PLC0415
    except ModuleNotFoundError as exc:  # FastAPI and uvicorn are an optional extra
        if (exc.name or "").split(".")[0] not in _SERVER_EXTRA:
            raise
        raise UsageError(
            f"assessment serve needs {exc.name}, from the server extra: run"
            " pip install 'assessment[server]' (in the project's checkout: pip install"
            " '.[server]'; for a wheel: pip install 'FILE.whl[server]')"
        ) from None
    return serve(settings)


_SERVER_EXTRA = ("fastapi", "starlette", "uvicorn", "multipart", "python_multipart")


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


@contextmanager
def _utf8_streams(*streams: TextIO) -> Iterator[None]:
    """`streams` written as UTF-8 whatever the locale (LC_ALL=C, a GBK code page,
    PYTHONIOENCODING), and set back as they were after."""
    changed = []
    for stream in dict.fromkeys(streams):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            changed.append((stream, stream.encoding, stream.errors))
            stream.reconfigure(encoding="utf-8", errors="strict")
    try:
        yield
    finally:
        for stream, encoding, errors in changed:
            stream.flush()
            stream.reconfigure(encoding=encoding, errors=errors)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    out = stdout if stdout is not None else sys.stdout
    with _utf8_streams(out, sys.stderr):
        return _main(arguments, out)


def _main(argv: list[str], out: TextIO) -> int:
    failures = Failures(sys.stderr, json=wants_json(argv))
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _RefusedError as exc:
        return failures.usage(exc.message, exc.parser.format_usage(), exc.parser.prog)
    failures.json = args.errors == "json"
    try:
        # Standard library only, as the two below: nothing is read before the name is known.
        from assessment._internal.app.names import resolve_scheme_name  # noqa: PLC0415

        resolve_scheme_name(args, sys.stderr)
        _check_output(args)
        take_stdin(args)
        if args.command == "serve":
            return _serve(args)
        # Imported only now: `--version` and `--help` need neither pydantic nor the engine.
        from assessment._internal.app.commands import run  # noqa: PLC0415

        code = run(args, out)
        out.flush()  # a full disk or a closed pipe is told here, not after exit
        return code
    except InputError as exc:
        return failures.input(exc)
    except OutputError as exc:
        return failures.output(str(exc))
    except UsageError as exc:
        return failures.usage(str(exc), parser.format_usage())
    except OSError as exc:
        where = exc.filename if exc.filename is not None else "standard output"
        return failures.output(f"cannot write {where}: {exc.strerror}")
    except KeyboardInterrupt:
        # An --output being written is cleaned up already (output.py). End as Python's own
        # handler would, by the signal, so that a calling shell or script stops too.
        sys.stderr.write("assessment: stopped by Ctrl-C (SIGINT)\n")
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.raise_signal(signal.SIGINT)
        return EXIT_STOPPED  # where the signal did not end the process


if __name__ == "__main__":
    raise SystemExit(main())
