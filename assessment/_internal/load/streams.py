"""Event streams: bytes → records → validated events, handed one by one to a batch.

JSON lines take the fast path (the compact twins, validated straight from the
bytes); whatever it refuses, and CSV rows and in-memory records, take the
model path, which words every fault. Both yield the same events.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any, BinaryIO, Protocol

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from assessment._internal.load.csvfile import csv_records, csv_rows
from assessment._internal.load.eventtypes import COMMON_FIELDS, EventTypes
from assessment._internal.load.fieldproblems import event_problems
from assessment._internal.load.piped import Piped
from assessment._internal.load.records import LIFECYCLE, CompactEvent, compact_of_model, fast_types
from assessment._internal.text import lines as limits  # read at each call: tests lower them
from assessment._internal.text.lines import lines, overlong, skip_rest_of_line
from assessment._internal.text.pydantic_errors import Origin, shown_as_json
from assessment._internal.text.yamlsource import decode
from assessment.errors import Problem
from assessment.events import BUILTIN_EVENT_TYPES

__all__ = ["Intake", "Route", "Sink"]

# Bytes an event takes at the small end (to size the id index once per file).
_LINE_BYTES = 64
_CSV_ROW_BYTES = 24
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
# The lifecycle events that change an item's state (an assessment only reads it).
_ITEM_STATE_TYPES = LIFECYCLE[:3]


class Sink(Protocol):
    """What a reader hands its findings to (the ledger's batch): events, problems, suspects."""

    def source(self, name: str) -> int: ...
    def origin(self, where: int) -> Origin: ...
    def expect(self, events: int) -> None: ...
    def problem(self, problem: Problem) -> None: ...
    def problem_count(self) -> int: ...
    def suspect(self, item: str) -> None: ...
    def adder(self) -> Callable[[CompactEvent, tuple[object, ...], int], None]: ...


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_record(text: str, origin: Origin) -> tuple[Any, Problem | None]:
    """The JSON value on one line, parsed with exact decimals, or the problem."""
    file, line = origin.file, origin.line
    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,  # no digit limit to trip over, and one exact type for numbers
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg[:1].lower() + exc.msg[1:]}"
        return None, Problem(file, line, exc.colno, "", message, code=_BAD_JSON)
    except _DuplicateKeyError as exc:
        message = f"field '{exc.key}' is given twice: keep only one"
        return None, Problem(file, line, 0, exc.key, message, code=_BAD_JSON)
    except ValueError as exc:
        return None, Problem(file, line, 0, "", f"not valid JSON: {exc}", code=_BAD_JSON)
    except RecursionError:
        message = "not valid JSON: nested too deeply"
        return None, Problem(file, line, 0, "", message, code=_BAD_JSON)
    return value, None


def _may_change_an_item(record: Mapping[str, Any]) -> bool:
    """Whether a record that failed validation might have assigned, extended or closed an item."""
    kind = record.get("type")
    stateful = kind in _ITEM_STATE_TYPES or kind not in BUILTIN_EVENT_TYPES
    return stateful and isinstance(record.get("item"), str)


@dataclass(frozen=True)
class Route:
    """The JSON lines one of `parts` processes takes (see partition.py): those `mine` picks,
    and, in the process with `overlong`, those too long to look at."""

    mine: Callable[[bytes], bool]
    overlong: bool
    parts: int


_BLANK_FILE = "the file is empty or holds only blank lines"
_BAD_JSON = "events.bad_json"


def _counted(
    rows: Iterator[tuple[int, list[str]]], seen: list[int]
) -> Iterator[tuple[int, list[str]]]:
    """`rows`, counted in `seen[0]` as they are taken."""
    for row in rows:
        seen[0] += 1
        yield row


def _opened(file: str) -> AbstractContextManager[BinaryIO]:
    """The file's bytes; standard input's, left open."""
    return nullcontext(file.stream) if isinstance(file, Piped) else FsPath(file).open("rb")


def _status(stream: BinaryIO) -> tuple[int, int]:
    """The stream's file mode and size; (0, 0) for a stream without a file (a test's bytes)."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return 0, 0
    return status.st_mode, status.st_size


class Intake:
    """Hands records to a batch: the fast path for JSON lines, the models for the rest."""

    def __init__(self, batch: Sink, types: EventTypes, route: Route | None = None) -> None:
        self.batch = batch
        self.types = types
        self.fast = fast_types(types)
        self.add = batch.adder()
        self.route = route
        self._blank_lines = 0

    def record(self, record: Any, where: int) -> None:
        """Validate one parsed record with its model and hand it to the batch."""
        batch = self.batch
        if not isinstance(record, Mapping):
            origin = batch.origin(where)
            message = f"must be an object with the event's fields (got {shown_as_json(record)})"
            batch.problem(
                Problem(origin.file, origin.line, 0, "", message, code="events.wrong_type")
            )
            return
        try:
            model = self.types.adapter.validate_python(record)
        except ValidationError as exc:
            for problem in event_problems(exc, batch.origin(where), self.types):
                batch.problem(problem)
            if _may_change_an_item(record):
                batch.suspect(record["item"].strip())
            return
        compact, values = compact_of_model(self.fast, model)
        try:
            self.add(compact, values, where)
        except PydanticSerializationError:
            # Python strings (and JSON escapes) can hold lone surrogates, which are no text.
            origin = batch.origin(where)
            message = "holds a lone surrogate (such as \\ud800), which is not text: fix the export"
            batch.problem(Problem(origin.file, origin.line, 0, "", message, code="text.encoding"))

    def records(self, records: Iterable[Any], source: str) -> None:
        base = self.batch.source(source)
        for index, record in enumerate(records, 1):
            if index > limits.MAX_LINES:
                message = f"more than {limits.MAX_LINES} records: add them in several batches"
                self.batch.problem(Problem(source, index, 0, "", message, code="file.too_large"))
                return
            self.record(record, base | index)

    def files(self, files: Iterable[str], *, empty_ok: bool = False) -> None:
        """Every event of each file; a file that holds none is a problem unless `empty_ok`."""
        for file in files:
            self.file(file, empty_ok=empty_ok)

    def file(self, file: str, *, empty_ok: bool = False) -> None:
        """Every event of one stream file, by its extension (of standard input: as it says)."""
        name = str(file)  # a Piped's name, as plain text
        suffix = file.suffix if isinstance(file, Piped) else FsPath(file).suffix.lower()
        report = self.batch.problem
        if suffix not in (*_JSON_SUFFIXES, ".csv"):
            message = f"unknown stream format '{suffix}': use .jsonl, .ndjson, .json or .csv"
            report(Problem(name, 0, 0, "", message, code="file.unknown_format"))
            return
        base = self.batch.source(name)
        found = self.batch.problem_count()
        try:
            with _opened(file) as stream:
                mode, size = _status(stream)
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                    message = "is a device, not a file of events: give the path of the export"
                    report(Problem(name, 0, 0, "", message, code="file.device"))
                    return
                small = _CSV_ROW_BYTES if suffix == ".csv" else _LINE_BYTES
                parts = self.route.parts if self.route is not None else 1
                self.batch.expect(min(size // small, limits.MAX_LINES) // parts)
                if suffix == ".csv":
                    nothing = self._csv(stream, name, base)
                else:
                    nothing = self._jsonl(stream, name, base)
        except OSError as exc:
            message = f"cannot read the file: {exc.strerror}"
            report(Problem(name, 0, 0, "", message, code="file.unreadable"))
            return
        # An empty export scored would rank every unit first, tied: most likely the wrong file.
        if nothing and not empty_ok and self.batch.problem_count() == found:
            message = f"holds no events: {nothing}; check that this is the right file"
            report(Problem(name, 0, 0, "", message, code="file.empty"))

    def _csv(self, stream: BinaryIO, file: str, base: int) -> str:
        """Every row's event; what the file holds instead of events, or '' if it has rows."""
        report = self.batch.problem
        seen = [0]
        rows = _counted(csv_rows(lines(stream, file, report), file, report), seen)
        fields = self.types.fields()
        for record, origin in csv_records(
            rows, file, fields, COMMON_FIELDS, report, keep_empty=False
        ):
            self.record(record, base | origin.line)
        if seen[0] > 1:
            return ""
        return "it has a header and no rows" if seen[0] else _BLANK_FILE

    def _jsonl(self, stream: BinaryIO, file: str, base: int) -> str:
        """Every line, or those `self.route` picks; every line is counted, for line numbers.
        Returns what the file holds instead of events, or '' if it has a non-blank line."""
        report = self.batch.problem
        from_json, add, readline = self.fast.from_json, self.add, stream.readline
        mine = self.route.mine if self.route is not None else None
        overlong = self.route is None or self.route.overlong
        limit = limits.MAX_LINE_BYTES + 1
        where = base
        last = base + limits.MAX_LINES
        self._blank_lines = 0  # counted by _slow_line, where blank lines go
        while raw := readline(limit):
            where += 1
            if where > last:
                message = f"more than {limits.MAX_LINES} lines: split the stream into several files"
                report(Problem(file, where - base, 0, "", message, code="file.too_large"))
                return ""
            if len(raw) < limit:
                if mine is not None and not mine(raw):
                    continue
                found = from_json(raw)
                if found is not None:
                    add(found[0], found[1], where)
                    continue
            elif not overlong:  # another process reports it
                if not skip_rest_of_line(stream, raw):
                    return ""
                continue
            if not self._slow_line(raw, stream, file, where - base, where):
                return ""
        # Blank lines all go to one process (they name no unit): it sees a blank file whole.
        return _BLANK_FILE if where - base == self._blank_lines else ""

    def _slow_line(self, raw: bytes, stream: BinaryIO, file: str, number: int, where: int) -> bool:
        """A line the fast path left to the models: every fault found and worded. False when
        the rest of the file cannot be read as lines."""
        report = self.batch.problem
        if len(raw) > limits.MAX_LINE_BYTES and not raw.endswith(b"\n"):
            ended = skip_rest_of_line(stream, raw)
            report(overlong(file, number, ended))
            return ended
        text, faults = decode(raw, file)  # utf-8-sig: a BOM as Excel writes it is dropped
        for fault in faults:
            report(Problem(fault.file, number, fault.column, "", fault.message, code=fault.code))
        if text is None:
            return True
        if not text.strip():
            self._blank_lines += 1
            return True
        value, problem = _json_record(text, Origin(file, number))
        if problem is not None:
            report(problem)
        else:
            self.record(value, where)
        return True
