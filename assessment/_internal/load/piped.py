"""Standard input as an input: a name that carries its stream and its format.

A `Piped` is the name problems give the input (`<stdin>`), as a `str`, so that it
goes wherever a file name goes; the readers of rosters and event streams read
its `stream` instead of opening a file, and take its format from `suffix`, since
a pipe has no name to take it from. It is read once, as bytes, with the limits
and the problems of a file.
"""

from __future__ import annotations

from typing import BinaryIO

__all__ = ["STDIN", "Piped"]

STDIN = "<stdin>"


class Piped(str):
    """An input read from an open binary stream; the string is its name in problems."""

    stream: BinaryIO
    suffix: str

    def __new__(cls, stream: BinaryIO, suffix: str, name: str = STDIN) -> Piped:
        piped = super().__new__(cls, name)
        piped.stream = stream
        piped.suffix = suffix
        return piped
