"""CSV files as records: one record a line, keyed by a checked header (events and rosters)."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from assessment._internal.text.pydantic_errors import Origin
from assessment._internal.text.suggest import unknown
from assessment.errors import Problem

__all__ = ["Record", "csv_records", "csv_rows"]

Record = dict[str, Any]
Report = Callable[[Problem], None]


def csv_rows(
    lines: Iterable[tuple[int, str]], file: str, report: Report
) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records with their line numbers, cells stripped.

    A record is one line: each line is parsed on its own, so a quote left open (a free-text
    cell that starts with `"` and never closes it) is refused on its line instead of
    swallowing every row after it into one cell. A cell cannot hold a line break.
    """
    for number, text in lines:
        try:
            row = next(csv.reader((text,), strict=True), [])
        except csv.Error as exc:
            report(_csv_fault(file, number, text, exc))
            continue
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield number, cells


def _csv_fault(file: str, number: int, text: str, exc: csv.Error) -> Problem:
    opened = _open_quote(text)
    if opened is None:
        return Problem(file, number, 0, "", f"not valid CSV: {exc}", code="csv.syntax")
    message = (
        'a quote (") opened here is never closed on this line: close it, or remove it (a '
        "cell cannot hold a line break; in Excel, remove the Alt+Enter from the cell)"
    )
    return Problem(file, number, opened + 1, "", message, code="csv.syntax")


def _open_quote(text: str) -> int | None:
    """The column (0-based) of a quote that opens a cell and is not closed on the line."""
    inside, opened, at = False, None, text.find('"')
    while at >= 0:
        if not inside:
            inside, opened = True, at
        elif text.startswith('""', at):
            at += 1  # an escaped quote inside the cell: skip its second half
        else:
            inside = False
        at = text.find('"', at + 1)
    return opened if inside else None


def _header_problems(
    header: list[str], known: Sequence[str], required: Sequence[str], origin: Origin
) -> list[Problem]:
    """Problems with a CSV header: unknown, unnamed, repeated or missing columns."""
    messages: list[tuple[str, str]] = []
    for index, name in enumerate(header):
        if not name:
            messages.append(("", f"column {index + 1} has no name in the header"))
        elif name not in known:
            listed = f" (the columns are {', '.join(known)})"
            messages.append((name, unknown("column", name, known, listed)))
        elif name in header[:index]:
            messages.append((name, f"column '{name}' appears twice in the header"))
    misspelt = {m for name in header for m in difflib.get_close_matches(name, known, 1, 0.6)}
    missing = [name for name in required if name not in header and name not in misspelt]
    messages += [(name, f"the header has no '{name}' column") for name in missing]
    return [
        Problem(origin.file, origin.line, 0, path, text, code="csv.header")
        for path, text in messages
    ]


def csv_records(
    rows: Iterator[tuple[int, list[str]]],
    file: str,
    known: Sequence[str],
    required: Sequence[str],
    report: Report,
    *,
    keep_empty: bool,
) -> Iterator[tuple[Record, Origin]]:
    """Records keyed by the header, one at a time; an empty cell is kept as '' or left out
    as absent. Problems go to `report`."""
    first = next(rows, None)
    if first is None:
        return
    header = first[1]
    faults = _header_problems(header, known, required, Origin(file, first[0]))
    if faults:
        for fault in faults:
            report(fault)
        return  # every row would repeat the header's fault
    for line, cells in rows:
        if len(cells) != len(header):
            cells_held = f"{len(cells)} cell" + ("" if len(cells) == 1 else "s")
            message = f"the line has {cells_held} but the header has {len(header)} columns"
            report(Problem(file, line, 0, "", message, code="csv.syntax"))
            continue
        pairs = zip(header, cells, strict=True)
        yield {k: v for k, v in pairs if v or keep_empty}, Origin(file, line)
