"""Reading a roster (CSV or YAML): the units scored, checked against the scheme's unit kinds."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from assessment._internal.base.exported import exported
from assessment._internal.load.csvfile import csv_records, csv_rows
from assessment._internal.load.fieldproblems import RECORD_WORDS
from assessment._internal.load.piped import Piped
from assessment._internal.load.rosterrollups import empty_portfolios, unit_rollup_faults
from assessment._internal.text.codes import field_code
from assessment._internal.text.pydantic_errors import (
    Origin,
    field_message,
    shown_as_json,
    without_echoes,
)
from assessment._internal.text.suggest import unknown
from assessment._internal.text.yamlsource import Located, Path, decode, load_yaml
from assessment.errors import Problem, RosterError
from assessment.roster import Roster, Unit
from assessment.scheme import Scheme

__all__ = ["MAX_ROSTER_BYTES", "read_roster"]

MAX_ROSTER_BYTES = 2 * 1024 * 1024
_UNIT_FIELDS = tuple(Unit.model_fields)
_CSV_COLUMNS = ("id", "name", "kind")  # and the scheme's roll-up columns


def _read_bytes(file: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    try:
        if isinstance(file, Piped):  # standard input, read as a file is
            raw = file.stream.read(limit + 1)
        else:
            with FsPath(file).open("rb") as stream:
                raw = stream.read(limit + 1)
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror}"
        return None, [Problem(file, 0, 0, "", message, code="file.unreadable")]
    if len(raw) > limit:
        message = f"the file is larger than {limit} bytes"
        return None, [Problem(file, 0, 0, "", message, code="file.too_large")]
    return raw, []


Locator = Callable[[str, bool], tuple[int, int]]
"""Where a field (or, with the flag, its key) of a roster entry sits: (line, column)."""


def _csv_locator(origin: Origin) -> Locator:
    return lambda field, key: (origin.line, 0)


def _yaml_locator(located: Located, path: Path) -> Locator:
    return lambda field, key: located.mark((*path, field) if field else path, key=key)


def _roster_csv(
    raw: bytes, file: str, scheme: Scheme
) -> tuple[list[tuple[Any, Origin, Locator]], list[Problem]]:
    text, problems = decode(raw, file)
    if text is None:
        return [], problems
    lines = enumerate(io.StringIO(text, newline=""), 1)
    rows = csv_rows(lines, file, problems.append)
    roles = [role.id for role in scheme.persons.roles] if scheme.persons else []
    known = [*_CSV_COLUMNS, "portfolio", *roles]
    required = [*_CSV_COLUMNS, *(["portfolio"] if scheme.portfolios else [])]
    records = csv_records(rows, file, known, required, problems.append, keep_empty=True)
    return [
        (_with_persons(record, roles), origin, _csv_locator(origin)) for record, origin in records
    ], problems


def _with_persons(record: dict[str, str], roles: list[str]) -> dict[str, Any]:
    """A CSV record as a unit's fields: a blank portfolio is none, a role's column a person
    (a blank cell: the post is vacant)."""
    entry: dict[str, Any] = {k: v for k, v in record.items() if k not in roles}
    if not entry.get("portfolio", "x").strip():
        del entry["portfolio"]
    persons = {role: record[role] for role in roles if record.get(role, "").strip()}
    if persons:
        entry["persons"] = persons
    return entry


def _roster_yaml(
    raw: bytes, file: str, scheme: Scheme
) -> tuple[list[tuple[Any, Origin, Locator]], list[Problem]]:
    located, problems = load_yaml(raw, file, max_bytes=MAX_ROSTER_BYTES)
    if problems:
        return [], problems
    data = located.data
    prefix: Path = ()
    if isinstance(data, dict) and list(data) == ["units"]:
        data, prefix = data["units"], ("units",)
    if not isinstance(data, list):
        message = "a roster must be a list of units, or a mapping whose only key is 'units'"
        return [], [Problem(file, *located.mark(()), "", message, code="roster.wrong_type")]
    entries = []
    for index, entry in enumerate(data):
        path: Path = (*prefix, index)
        entries.append((entry, Origin(file, located.mark(path)[0]), _yaml_locator(located, path)))
    return entries, []


def _unit(entry: Any, origin: Origin, where: Locator) -> tuple[Unit | None, list[Problem]]:
    """The unit an entry describes, or the problems with its fields."""
    if not isinstance(entry, Mapping):
        message = f"a unit must be a mapping with id, name and kind (got {shown_as_json(entry)})"
        return None, [
            Problem(origin.file, *where("", False), "", message, code="roster.wrong_type")
        ]
    try:
        return Unit.model_validate(entry), []
    except ValidationError as exc:
        problems = []
        for error in without_echoes(exc.errors(), lambda parent: _UNIT_FIELDS):
            field = str(error["loc"][-1]) if error["loc"] else ""
            line, column = where(field, error["type"] == "extra_forbidden")
            message = field_message(error, _UNIT_FIELDS, "a unit", RECORD_WORDS)
            code = field_code("roster", error["type"])
            problems.append(Problem(origin.file, line, column, field, message, code=code))
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
            at = where("id", False)
            problems.append(Problem(origin.file, *at, "id", message, code="roster.duplicate_id"))
            continue
        first[unit.id] = origin
        if unit.kind not in kinds:
            listed = f" (the scheme's kinds are {', '.join(kinds)})"
            message = unknown("kind", unit.kind, kinds, listed)
            at = where("kind", False)
            problems.append(Problem(origin.file, *at, "kind", message, code="roster.unknown_kind"))
        for field, message in unit_rollup_faults(unit, scheme):
            at = where(field, False)
            problems.append(Problem(origin.file, *at, field, message, code="roster.rollup"))
        units.append(unit)
    return units, problems


@exported
def read_roster(path: str | os.PathLike[str], scheme: Scheme) -> Roster:
    """Read a roster (CSV or YAML) and check it against the scheme's unit kinds.

    Raise `RosterError` listing every problem at once.
    """
    given = os.fspath(path)
    suffix = given.suffix if isinstance(given, Piped) else FsPath(given).suffix.lower()
    file = str(given)  # a Piped's name, as plain text
    if suffix not in (".csv", ".yaml", ".yml"):
        message = f"unknown roster format '{suffix}': use .csv, .yaml or .yml"
        raise RosterError([Problem(file, 0, 0, "", message, code="file.unknown_format")])
    raw, problems = _read_bytes(given, MAX_ROSTER_BYTES)
    if raw is None:
        raise RosterError(problems)
    reader = _roster_csv if suffix == ".csv" else _roster_yaml
    entries, problems = reader(raw, file, scheme)
    units, faults = _units(entries, scheme)
    problems += faults
    if units and not problems:
        empty = empty_portfolios(units, scheme)
        problems += [Problem(file, 0, 0, "", text, code="roster.rollup") for text in empty]
    if not units and not problems:
        problems.append(Problem(file, 0, 0, "", "the roster lists no units", code="file.empty"))
    if problems:
        raise RosterError(problems)
    return Roster(units=tuple(units))
