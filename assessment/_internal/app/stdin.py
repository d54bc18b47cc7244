"""Standard input on the command line: `--events -` or `--roster -`, and its format.

A file's suffix says its format; standard input has none, so `--events-format`
(default `jsonl`) and `--roster-format` (default `csv`) say it. A format given
for files too must agree with every file's suffix: a format that says one thing
while the suffix says another is refused, not ignored. There is one standard
input, so only one input can be `-`, once. Standard library only, as `cli.py`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import BinaryIO

from assessment._internal.app.usage import UsageError

__all__ = ["EVENTS_FORMATS", "ROSTER_FORMATS", "take_stdin"]

EVENTS_FORMATS = {"jsonl": (".jsonl", ".ndjson", ".json"), "csv": (".csv",)}
ROSTER_FORMATS = {"csv": (".csv",), "yaml": (".yaml", ".yml")}
_DEFAULT = {"events": "jsonl", "roster": "csv"}


def _named(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Every (option, value) of the inputs a command was given."""
    roster = getattr(args, "roster", None)
    events = getattr(args, "events", None) or []
    return ([("roster", roster)] if roster is not None else []) + [("events", e) for e in events]


def _check_formats(args: argparse.Namespace) -> None:
    for option, formats in (("events", EVENTS_FORMATS), ("roster", ROSTER_FORMATS)):
        chosen = getattr(args, f"{option}_format", None)
        if chosen is None:
            continue
        for given, path in _named(args):
            suffix = Path(path).suffix.lower()
            if given == option and path != "-" and suffix not in formats[chosen]:
                raise UsageError(
                    f"--{option}-format {chosen}: the file {path} is named as "
                    f"{suffix or 'no format'}, not {chosen}; the format is for standard input "
                    "(-): a file's suffix says its own"
                )


def take_stdin(args: argparse.Namespace, stdin: BinaryIO | None = None) -> None:
    """Put standard input where `-` is among the inputs of `args`, or refuse how it is asked."""
    _check_formats(args)
    dashes = [option for option, path in _named(args) if path == "-"]
    if not dashes:
        return
    if len(dashes) > 1:
        raise UsageError(
            f"{' and '.join('--' + d for d in dict.fromkeys(dashes))}: '-' (standard input) is "
            "given more than once, and there is one standard input: give files for the others"
        )
    (option,) = dashes
    if stdin is None and (sys.stdin is None or not hasattr(sys.stdin, "buffer")):
        raise UsageError(f"--{option} -: this process has no standard input to read")
    stream = stdin if stdin is not None else sys.stdin.buffer
    if stdin is None and sys.stdin.isatty():
        raise UsageError(
            f"--{option} -: standard input is a terminal: pipe the {option} in "
            f"(cat FILE | assessment ...) or give the file's path"
        )
    # Imported only now, as the commands are: the load layer needs pydantic.
    from assessment._internal.load.piped import Piped  # noqa: PLC0415

    chosen = getattr(args, f"{option}_format", None) or _DEFAULT[option]
    formats = EVENTS_FORMATS if option == "events" else ROSTER_FORMATS
    piped = Piped(stream, formats[chosen][0])
    if option == "roster":
        args.roster = piped
    else:
        args.events = [piped if path == "-" else path for path in args.events]
