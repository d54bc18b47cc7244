"""Cutting input into lines: the one line limit, and every way of reading lines within it.

A broken or hostile file (a device, a binary file, one endless line) must not
exhaust memory on a single line: every reader of lines goes through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from assessment._internal.text.yamlsource import decode
from assessment.errors import Problem

__all__ = [
    "MAX_LINES",
    "MAX_LINE_BYTES",
    "MAX_SKIP_BYTES",
    "lines",
    "lines_holding",
    "overlong",
    "skip_rest_of_line",
]

_MIB = 1024 * 1024
MAX_LINE_BYTES = _MIB
# An overlong line is skipped to its end to read on, but no further than this: past it the
# "file" is not lines at all (a device, a binary file), and the rest is not read.
MAX_SKIP_BYTES = 64 * _MIB
MAX_LINES = 10_000_000
_BLOCK = 1 << 22


def skip_rest_of_line(stream: BinaryIO, chunk: bytes) -> bool:
    """Read past the rest of an overlong line; False when it runs on past `MAX_SKIP_BYTES`
    (a device or a file that is not lines at all): the caller stops reading the file."""
    skipped = len(chunk)
    while chunk and not chunk.endswith(b"\n"):
        if skipped > MAX_SKIP_BYTES:
            return False
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        skipped += len(chunk)
    return True


def overlong(file: str, number: int, ended: bool) -> Problem:
    message = f"the line is longer than {MAX_LINE_BYTES} bytes"
    if not ended:
        message += (
            f", and runs on past {MAX_SKIP_BYTES // _MIB} MiB without a line break: the "
            "rest of the file is not read (is it an export of events, one per line?)"
        )
    return Problem(file, number, 0, "", message, code="text.line_too_long")


def lines(
    stream: BinaryIO, file: str, report: Callable[[Problem], None]
) -> Iterator[tuple[int, str]]:
    """Each line as text with its 1-based number; a line that cannot be read becomes ''."""
    number = 0
    while chunk := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if number > MAX_LINES:
            message = f"more than {MAX_LINES} lines: split the stream into several files"
            report(Problem(file, number, 0, "", message, code="file.too_large"))
            return
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            ended = skip_rest_of_line(stream, chunk)
            report(overlong(file, number, ended))
            if not ended:
                return
            yield number, ""
            continue
        text, faults = decode(chunk, file)  # utf-8-sig: a BOM as Excel writes it is dropped
        for fault in faults:
            report(Problem(fault.file, number, fault.column, "", fault.message, code=fault.code))
        yield number, text or ""


def lines_holding(file: str, needle: bytes) -> Iterator[bytes]:
    """The lines of `file` that hold `needle` and are within the line limit, found block by
    block (most lines hold none: they are never cut out)."""
    with Path(file).open("rb") as stream:
        rest = b""  # the start of a line that goes on in the next block
        skipping = False  # in a line over the limit
        while block := stream.read(_BLOCK):
            if skipping:
                newline = block.find(b"\n")
                if newline < 0:
                    continue
                block, skipping = block[newline + 1 :], False
            data = rest + block
            end = data.rfind(b"\n") + 1
            rest = data[end:]
            if len(rest) > MAX_LINE_BYTES:
                rest, skipping = b"", True
            yield from _holding(data, end, needle)
        if needle in rest:
            yield rest


def _holding(data: bytes, end: int, needle: bytes) -> Iterator[bytes]:
    """The whole lines of `data[:end]` that hold `needle`, within the line limit."""
    at = data.find(needle, 0, end)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        stop = data.find(b"\n", at) + 1
        if stop - start <= MAX_LINE_BYTES:
            yield data[start:stop]
        at = data.find(needle, stop, end)
