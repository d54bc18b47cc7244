"""How the command line is used: its exit codes, its two errors, the files a command reads.

Standard library only, as `cli.py` imports it before parsing: `--version` stays light.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_STOPPED",
    "EXIT_USAGE",
    "OutputError",
    "UsageError",
    "inputs_of",
    "iso_day",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_STOPPED = 130  # 128 + SIGINT, as shells report a run stopped by Ctrl-C


class UsageError(Exception):
    """The command was used wrongly: exit 2 with the message."""


class OutputError(Exception):
    """The results cannot be written where asked: exit 1 with the message, nothing written."""


def inputs_of(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The files a parsed command reads, as (what it is, path): its --output must not be one."""
    if args.command not in ("score", "explain"):
        return []
    # '-' is standard input, no file: an --output of that name is no input.
    inputs = [("scheme", args.scheme), ("roster", args.roster)]
    inputs += [("events file", path) for path in args.events]
    return [(what, path) for what, path in inputs if path != "-"]


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(text: str) -> date:
    """The day `text` writes as YYYY-MM-DD, and only so: Python's own reading also takes
    20230630 and week dates (2023-W26-5), which the contract does not. ValueError, saying
    what to write, for anything else."""
    if _DAY.fullmatch(text) is None:
        raise ValueError(f"must be a date written YYYY-MM-DD (got {text!r})")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"is not a date in the calendar (got {text!r})") from None
