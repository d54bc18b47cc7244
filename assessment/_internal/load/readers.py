"""Reading rosters and event streams: bytes → records → validated events.

Every reader collects every problem it finds and raises once, so a user fixes
a file in one pass. Streams are read line by line with bounded line lengths,
so a broken or hostile file cannot exhaust memory on a single line.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any, BinaryIO

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticSerializationError

from assessment._internal.base.exported import exported
from assessment._internal.ledger.state import Batch
from assessment._internal.load.eventtypes import EventTypes
from assessment._internal.load.periods import KEY_PATTERNS, written
from assessment._internal.load.records import compact_of_model, fast_types
from assessment._internal.text.pydantic_errors import Origin, did_you_mean, without_echoes
from assessment._internal.text.yamlsource import Located, Path, decode, load_yaml
from assessment.errors import Problem, RosterError
from assessment.events import BUILTIN_EVENT_TYPES, full_width_hint
from assessment.roster import Roster, Unit
from assessment.scheme import Scheme

__all__ = ["MAX_LINES", "MAX_LINE_BYTES", "Intake", "Route", "read_roster"]

_MIB = 1024 * 1024
MAX_LINE_BYTES = _MIB
# An overlong line is skipped to its end to read on, but no further than this: past it the
# "file" is not lines at all (a device, a binary file), and the rest is not read.
MAX_SKIP_BYTES = 64 * _MIB
# Bytes an event takes at the small end (to size the id index once per file).
_LINE_BYTES = 64
_CSV_ROW_BYTES = 24
MAX_LINES = 10_000_000
MAX_ROSTER_BYTES = 2 * 1024 * 1024

_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
_REQUIRED = ("id", "type", "date", "unit")
_UNIT_FIELDS = tuple(Unit.model_fields)
_PERIOD_KINDS = {pattern: kind for kind, pattern in KEY_PATTERNS.items()}
_ITEM_STATE_TYPES = ("item_assigned", "item_extended", "item_closed")

Record = dict[str, Any]

# pydantic's error types, worded as what the field must be; `{}` take the error's context.
_PLAIN = {
    "string_type": "must be text",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "less_than_equal": "must be at most {le}",
    "greater_than_equal": "must be at least {ge}",
    "string_too_long": "must be at most {max_length} characters",
    "literal_error": "must be {expected}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
}


# ---------------------------------------------------------------- messages


def _shown(value: Any) -> str:
    """A value as the user wrote it: JSON words, strings quoted, long ones cut."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def _field_message(
    error: ErrorDetails, fields: Iterable[str], owner: str, elsewhere: Iterable[str] = ()
) -> str:
    """What is wrong with one field, worded as what it must be and what it got.

    `elsewhere` are names valid in other records (other event types): no typos.
    """
    kind, ctx, name = error["type"], error.get("ctx") or {}, str(error["loc"][-1])
    if kind == "missing":
        return f"required field '{name}' is missing"
    if kind == "extra_forbidden":
        # A field of another event type is no typo: suggesting a look-alike would mislead.
        hint = "" if name in elsewhere else did_you_mean(name, fields)
        listed = f" (fields of {owner}: {', '.join(sorted(fields))})"
        return f"unknown field '{name}'{hint or listed}"
    if kind == "string_too_short":
        return "must not be empty"
    value = error.get("input")
    got = "" if isinstance(value, Mapping) else f" (got {_shown(value)})"
    if value is None:
        return f"must have a value{got}"
    got += full_width_hint(value)
    if kind in _PLAIN:
        return _PLAIN[kind].format_map(ctx) + got
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern")) in _PERIOD_KINDS:
        every = _PERIOD_KINDS[str(ctx.get("pattern"))]
        return f"must be a {every} written {written(every)}" + got
    message = _lower(error["msg"].removeprefix("Value error, "))
    return message if "(got " in message else message + got


def _type_message(error: ErrorDetails, types: EventTypes) -> str:
    known = ", ".join(types.models)
    if error["type"] == "union_tag_not_found":
        return f"required field 'type' is missing: it says what happened (one of: {known})"
    record = error.get("input")
    tag = record.get("type") if isinstance(record, Mapping) else None
    if not isinstance(tag, str):
        return f"must be the name of an event type (one of: {known}) (got {_shown(tag)})"
    return f"unknown event type '{tag}'{did_you_mean(tag, types.models)} (known types: {known})"


def _event_problems(exc: ValidationError, origin: Origin, types: EventTypes) -> list[Problem]:
    problems = []
    errors = exc.errors()
    tag = str(errors[0]["loc"][0]) if errors[0]["loc"] else ""
    fields = list(types.models[tag].model_fields) if tag in types.models else []
    every_field = types.fields()
    for error in without_echoes(errors, lambda parent: fields, every_field):
        if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
            path, message = "type", _type_message(error, types)
        else:
            path = ".".join(str(part) for part in error["loc"][1:])
            message = _field_message(error, fields, tag, every_field)
        problems.append(Problem(origin.file, origin.line, 0, path, message))
    return problems


# ---------------------------------------------------------------- files


def _read_bytes(file: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    try:
        with FsPath(file).open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        return None, [Problem(file, 0, 0, "", f"cannot read the file: {exc.strerror}")]
    if len(raw) > limit:
        return None, [Problem(file, 0, 0, "", f"the file is larger than {limit} bytes")]
    return raw, []


def _skip_rest_of_line(stream: BinaryIO, chunk: bytes) -> bool:
    """Read past the rest of an overlong line; False when it runs on past `MAX_SKIP_BYTES`
    (a device or a file that is not lines at all): the caller stops reading the file."""
    skipped = len(chunk)
    while chunk and not chunk.endswith(b"\n"):
        if skipped > MAX_SKIP_BYTES:
            return False
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        skipped += len(chunk)
    return True


def _overlong(file: str, number: int, ended: bool) -> Problem:
    message = f"the line is longer than {MAX_LINE_BYTES} bytes"
    if not ended:
        message += (
            f", and runs on past {MAX_SKIP_BYTES // _MIB} MiB without a line break: the "
            "rest of the file is not read (is it an export of events, one per line?)"
        )
    return Problem(file, number, 0, "", message)


def _lines(stream: BinaryIO, file: str, problems: list[Problem]) -> Iterator[tuple[int, str]]:
    """Each line as text with its 1-based number; a line that cannot be read becomes ''."""
    number = 0
    while chunk := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if number > MAX_LINES:
            message = f"more than {MAX_LINES} lines: split the stream into several files"
            problems.append(Problem(file, number, 0, "", message))
            return
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            ended = _skip_rest_of_line(stream, chunk)
            problems.append(_overlong(file, number, ended))
            if not ended:
                return
            yield number, ""
            continue
        text, faults = decode(chunk, file)  # utf-8-sig: a BOM as Excel writes it is dropped
        problems.extend(Problem(f.file, number, f.column, "", f.message) for f in faults)
        yield number, text or ""


def _csv_rows(
    lines: Iterator[tuple[int, str]], file: str, problems: list[Problem]
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
            problems.append(_csv_fault(file, number, text, exc))
            continue
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield number, cells


def _csv_fault(file: str, number: int, text: str, exc: csv.Error) -> Problem:
    opened = _open_quote(text)
    if opened is None:
        return Problem(file, number, 0, "", f"not valid CSV: {exc}")
    message = (
        'a quote (") opened here is never closed on this line: close it, or remove it (a '
        "cell cannot hold a line break; in Excel, remove the Alt+Enter from the cell)"
    )
    return Problem(file, number, opened + 1, "", message)


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


def _check_header(
    header: list[str], known: Sequence[str], required: Sequence[str], origin: Origin
) -> list[Problem]:
    """Problems with a CSV header: unknown, unnamed, repeated or missing columns."""
    messages: list[tuple[str, str]] = []
    for index, name in enumerate(header):
        if not name:
            messages.append(("", f"column {index + 1} has no name in the header"))
        elif name not in known:
            hint = did_you_mean(name, known) or f" (the columns are {', '.join(known)})"
            messages.append((name, f"unknown column '{name}'{hint}"))
        elif name in header[:index]:
            messages.append((name, f"column '{name}' appears twice in the header"))
    misspelt = {m for name in header for m in difflib.get_close_matches(name, known, 1, 0.6)}
    missing = [name for name in required if name not in header and name not in misspelt]
    messages += [(name, f"the header has no '{name}' column") for name in missing]
    return [Problem(origin.file, origin.line, 0, path, text) for path, text in messages]


def _csv_records(
    rows: Iterator[tuple[int, list[str]]],
    file: str,
    known: Sequence[str],
    required: Sequence[str],
    problems: list[Problem],
    *,
    keep_empty: bool,
) -> Iterator[tuple[Record, Origin]]:
    """Records keyed by the header, one at a time; an empty cell is kept as '' or left out
    as absent. Problems go to `problems`."""
    first = next(rows, None)
    if first is None:
        return
    header = first[1]
    faults = _check_header(header, known, required, Origin(file, first[0]))
    if faults:
        problems += faults
        return  # every row would repeat the header's fault
    for line, cells in rows:
        if len(cells) != len(header):
            cells_held = f"{len(cells)} cell" + ("" if len(cells) == 1 else "s")
            message = f"the line has {cells_held} but the header has {len(header)} columns"
            problems.append(Problem(file, line, 0, "", message))
            continue
        pairs = zip(header, cells, strict=True)
        yield {k: v for k, v in pairs if v or keep_empty}, Origin(file, line)


# ---------------------------------------------------------------- events


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
        return None, Problem(file, line, exc.colno, "", f"not valid JSON: {_lower(exc.msg)}")
    except _DuplicateKeyError as exc:
        return None, Problem(
            file, line, 0, exc.key, f"field '{exc.key}' is given twice: keep only one"
        )
    except ValueError as exc:
        return None, Problem(file, line, 0, "", f"not valid JSON: {exc}")
    except RecursionError:
        return None, Problem(file, line, 0, "", "not valid JSON: nested too deeply")
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


def _counted(
    rows: Iterator[tuple[int, list[str]]], seen: list[int]
) -> Iterator[tuple[int, list[str]]]:
    """`rows`, counted in `seen[0]` as they are taken."""
    for row in rows:
        seen[0] += 1
        yield row


class Intake:
    """Hands records to a batch: the fast path for JSON lines, the models for the rest."""

    def __init__(self, batch: Batch, types: EventTypes, route: Route | None = None) -> None:
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
            message = f"must be an object with the event's fields (got {_shown(record)})"
            batch.problems.append(Problem(origin.file, origin.line, 0, "", message))
            return
        try:
            model = self.types.adapter.validate_python(record)
        except ValidationError as exc:
            batch.problems += _event_problems(exc, batch.origin(where), self.types)
            if _may_change_an_item(record):
                batch.suspect.add(record["item"].strip())
            return
        compact, values = compact_of_model(self.fast, model)
        try:
            self.add(compact, values, where)
        except PydanticSerializationError:
            # Python strings (and JSON escapes) can hold lone surrogates, which are no text.
            origin = batch.origin(where)
            message = "holds a lone surrogate (such as \\ud800), which is not text: fix the export"
            batch.problems.append(Problem(origin.file, origin.line, 0, "", message))

    def records(self, records: Iterable[Any], source: str) -> None:
        base = self.batch.source(source)
        for index, record in enumerate(records, 1):
            if index > MAX_LINES:
                message = f"more than {MAX_LINES} records: add them in several batches"
                self.batch.problems.append(Problem(source, index, 0, "", message))
                return
            self.record(record, base | index)

    def files(self, files: Iterable[str], *, empty_ok: bool = False) -> None:
        """Every event of each file; a file that holds none is a problem unless `empty_ok`."""
        for file in files:
            self.file(file, empty_ok=empty_ok)

    def file(self, file: str, *, empty_ok: bool = False) -> None:
        """Every event of one stream file, by its extension."""
        suffix = FsPath(file).suffix.lower()
        problems = self.batch.problems
        if suffix not in (*_JSON_SUFFIXES, ".csv"):
            message = f"unknown stream format '{suffix}': use .jsonl, .ndjson, .json or .csv"
            problems.append(Problem(file, 0, 0, "", message))
            return
        base = self.batch.source(file)
        found = len(problems)
        try:
            with FsPath(file).open("rb") as stream:
                mode = os.fstat(stream.fileno()).st_mode
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                    message = "is a device, not a file of events: give the path of the export"
                    problems.append(Problem(file, 0, 0, "", message))
                    return
                size = os.fstat(stream.fileno()).st_size
                small = _CSV_ROW_BYTES if suffix == ".csv" else _LINE_BYTES
                parts = self.route.parts if self.route is not None else 1
                self.batch.expect(min(size // small, MAX_LINES) // parts)
                if suffix == ".csv":
                    nothing = self._csv(stream, file, base)
                else:
                    nothing = self._jsonl(stream, file, base)
        except OSError as exc:
            problems.append(Problem(file, 0, 0, "", f"cannot read the file: {exc.strerror}"))
            return
        # An empty export scored would rank every unit first, tied: most likely the wrong file.
        if nothing and not empty_ok and len(problems) == found:
            message = f"holds no events: {nothing}; check that this is the right file"
            problems.append(Problem(file, 0, 0, "", message))

    def _csv(self, stream: BinaryIO, file: str, base: int) -> str:
        """Every row's event; what the file holds instead of events, or '' if it has rows."""
        problems = self.batch.problems
        seen = [0]
        rows = _counted(_csv_rows(_lines(stream, file, problems), file, problems), seen)
        fields = self.types.fields()
        for record, origin in _csv_records(
            rows, file, fields, _REQUIRED, problems, keep_empty=False
        ):
            self.record(record, base | origin.line)
        if seen[0] > 1:
            return ""
        return "it has a header and no rows" if seen[0] else _BLANK_FILE

    def _jsonl(self, stream: BinaryIO, file: str, base: int) -> str:
        """Every line, or those `self.route` picks; every line is counted, for line numbers.
        Returns what the file holds instead of events, or '' if it has a non-blank line."""
        problems = self.batch.problems
        from_json, add, readline = self.fast.from_json, self.add, stream.readline
        mine = self.route.mine if self.route is not None else None
        overlong = self.route is None or self.route.overlong
        limit = MAX_LINE_BYTES + 1
        where = base
        last = base + MAX_LINES
        self._blank_lines = 0  # counted by _slow_line, where blank lines go
        while raw := readline(limit):
            where += 1
            if where > last:
                message = f"more than {MAX_LINES} lines: split the stream into several files"
                problems.append(Problem(file, where - base, 0, "", message))
                return ""
            if len(raw) < limit:
                if mine is not None and not mine(raw):
                    continue
                found = from_json(raw)
                if found is not None:
                    add(found[0], found[1], where)
                    continue
            elif not overlong:  # another process reports it
                if not _skip_rest_of_line(stream, raw):
                    return ""
                continue
            if not self._slow_line(raw, stream, file, where - base, where):
                return ""
        # Blank lines all go to one process (they name no unit): it sees a blank file whole.
        return _BLANK_FILE if where - base == self._blank_lines else ""

    def _slow_line(self, raw: bytes, stream: BinaryIO, file: str, number: int, where: int) -> bool:
        """A line the fast path left to the models: every fault found and worded. False when
        the rest of the file cannot be read as lines."""
        problems = self.batch.problems
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            ended = _skip_rest_of_line(stream, raw)
            problems.append(_overlong(file, number, ended))
            return ended
        text, faults = decode(raw, file)  # utf-8-sig: a BOM as Excel writes it is dropped
        problems.extend(Problem(f.file, number, f.column, "", f.message) for f in faults)
        if text is None:
            return True
        if not text.strip():
            self._blank_lines += 1
            return True
        value, problem = _json_record(text, Origin(file, number))
        if problem is not None:
            problems.append(problem)
        else:
            self.record(value, where)
        return True


# ---------------------------------------------------------------- roster

Locator = Callable[[str, bool], tuple[int, int]]
"""Where a field (or, with the flag, its key) of a roster entry sits: (line, column)."""


def _csv_locator(origin: Origin) -> Locator:
    return lambda field, key: (origin.line, 0)


def _yaml_locator(located: Located, path: Path) -> Locator:
    return lambda field, key: located.mark((*path, field) if field else path, key=key)


def _roster_csv(raw: bytes, file: str) -> tuple[list[tuple[Any, Origin, Locator]], list[Problem]]:
    text, problems = decode(raw, file)
    if text is None:
        return [], problems
    lines = enumerate(io.StringIO(text, newline=""), 1)
    rows = _csv_rows(lines, file, problems)
    records = _csv_records(rows, file, _UNIT_FIELDS, _UNIT_FIELDS, problems, keep_empty=True)
    return [(record, origin, _csv_locator(origin)) for record, origin in records], problems


def _roster_yaml(raw: bytes, file: str) -> tuple[list[tuple[Any, Origin, Locator]], list[Problem]]:
    located, problems = load_yaml(raw, file, max_bytes=MAX_ROSTER_BYTES)
    if problems:
        return [], problems
    data = located.data
    prefix: Path = ()
    if isinstance(data, dict) and list(data) == ["units"]:
        data, prefix = data["units"], ("units",)
    if not isinstance(data, list):
        message = "a roster must be a list of units, or a mapping whose only key is 'units'"
        return [], [Problem(file, *located.mark(()), "", message)]
    entries = []
    for index, entry in enumerate(data):
        path: Path = (*prefix, index)
        entries.append((entry, Origin(file, located.mark(path)[0]), _yaml_locator(located, path)))
    return entries, []


def _unit(entry: Any, origin: Origin, where: Locator) -> tuple[Unit | None, list[Problem]]:
    """The unit an entry describes, or the problems with its fields."""
    if not isinstance(entry, Mapping):
        message = f"a unit must be a mapping with id, name and kind (got {_shown(entry)})"
        return None, [Problem(origin.file, *where("", False), "", message)]
    try:
        return Unit.model_validate(entry), []
    except ValidationError as exc:
        problems = []
        for error in without_echoes(exc.errors(), lambda parent: _UNIT_FIELDS):
            field = str(error["loc"][-1]) if error["loc"] else ""
            line, column = where(field, error["type"] == "extra_forbidden")
            message = _field_message(error, _UNIT_FIELDS, "a unit")
            problems.append(Problem(origin.file, line, column, field, message))
        return None, problems


def _units(
    entries: list[tuple[Any, Origin, Locator]], scheme: Scheme
) -> tuple[list[Unit], list[Problem]]:
    """Valid units in roster order; problems for faulty, repeated or unknown-kind ones."""
    kinds = [kind.id for kind in scheme.unit_kinds]
    units: list[Unit] = []
    first: dict[str, Origin] = {}
    problems: list[Problem] = []
    for entry, origin, where in entries:
        unit, faults = _unit(entry, origin, where)
        problems += faults
        if unit is None:
            continue
        if unit.id in first:
            message = f"unit id '{unit.id}' is already used ({first[unit.id].named_from(origin)})"
            problems.append(Problem(origin.file, *where("id", False), "id", message))
            continue
        first[unit.id] = origin
        if unit.kind not in kinds:
            hint = did_you_mean(unit.kind, kinds) or f" (the scheme's kinds are {', '.join(kinds)})"
            message = f"unknown kind '{unit.kind}'{hint}"
            problems.append(Problem(origin.file, *where("kind", False), "kind", message))
        units.append(unit)
    return units, problems


@exported
def read_roster(path: str | os.PathLike[str], scheme: Scheme) -> Roster:
    """Read a roster (CSV or YAML) and check it against the scheme's unit kinds.

    Raise `RosterError` listing every problem at once.
    """
    file = os.fspath(path)
    suffix = FsPath(file).suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        message = f"unknown roster format '{suffix}': use .csv, .yaml or .yml"
        raise RosterError([Problem(file, 0, 0, "", message)])
    raw, problems = _read_bytes(file, MAX_ROSTER_BYTES)
    if raw is None:
        raise RosterError(problems)
    reader = _roster_csv if suffix == ".csv" else _roster_yaml
    entries, problems = reader(raw, file)
    units, faults = _units(entries, scheme)
    problems += faults
    if not units and not problems:
        problems.append(Problem(file, 0, 0, "", "the roster lists no units"))
    if problems:
        raise RosterError(problems)
    return Roster(units=tuple(units))
