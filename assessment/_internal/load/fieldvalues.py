"""What an event field can hold, and whether a scheme's values for it could ever match.

A rule's `where:` values, its tables' keys and a finding's `equals` are
compared with the values events hold. A value no event can hold (a misspelt
enumeration value, `"true"` in quotes, a month that does not exist) and a
condition no value meets make a rule that silently matches nothing, or, with
`ne` and `not_in`, everything. They are found here, from the field's own type
and constraints, and worded as what to write instead.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from assessment._internal.load.conditions import table_key
from assessment._internal.load.faults import Fault
from assessment._internal.load.periods import KEY_PATTERNS, written
from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path
from assessment.scheme import Condition

__all__ = [
    "FieldValues",
    "NumberChoices",
    "condition_faults",
    "field_values",
    "keys_faults",
    "meets",
]


@dataclass(frozen=True)
class NumberChoices:
    """The mark of an enum of numbers (`values: [0.5, 1, 1.5]`) on its field's type: the
    values an event may hold, for the checks here (the type itself refuses the others)."""

    values: tuple[Decimal, ...]


_PERIODS = {pattern: kind for kind, pattern in KEY_PATTERNS.items()}
_NEVER = object()


@dataclass(frozen=True)
class FieldValues:
    """What one field of an event type holds."""

    where: str  # `commendation.level`, for messages
    adapter: TypeAdapter[Any]  # the field's type with every constraint it has
    kind: str  # boolean, enum, number, date, period or text
    choices: tuple[Any, ...] | None  # an enumeration's values, or true and false
    period: str | None  # month, quarter or year, for a period field
    required: bool

    def impossible(self, value: Any) -> str | None:
        """Why no event can hold `value` in this field, or None when one can."""
        try:
            validated = self.adapter.validate_python(value)
        except ValidationError:
            validated = _NEVER
        if validated is not _NEVER and _same(validated, value):
            return None
        return self._never(value, validated)

    def _never(self, value: Any, validated: Any) -> str:
        where, shown = self.where, _shown(value)
        if self.kind == "boolean":
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                word = value.strip().lower()
                return (
                    f"{value!r} is text, and {where} is true or false: write {word} without quotes"
                )
            return (
                f"{shown} can never be the value of {where}: write true or false "
                "(words such as no or yes are text, not booleans)"
            )
        if self.kind == "enum":
            values = [str(v) for v in self.choices or ()]
            hint = did_you_mean(str(value), values) if isinstance(value, str) else ""
            return f"{shown} can never be the value of {where}{hint} (its values are {', '.join(values)})"
        if self.kind == "date":
            return f"{shown} can never be the value of {where}, a date: write it as 2024-03-31, without quotes"
        if self.kind == "period":
            assert self.period is not None
            return (
                f"{shown} can never be the value of {where}, a {self.period} written "
                f"{written(self.period)}"
            )
        if self.kind == "number":
            listed = ", ".join(str(v) for v in self.choices or ())
            within = f" (its values are {listed})" if listed else ", a number within its bounds"
            return f"{shown} can never be the value of {where}{within}"
        if validated is not _NEVER and isinstance(validated, str):
            return f"{shown} can never be the value of {where}: its values are read trimmed, as {validated!r}"
        return f"{shown} can never be the value of {where}, which is text: quote the value"

    def key_fault(self, key: str) -> str | None:
        """Why a table key would never be looked up (the engine looks values up as text)."""
        try:
            validated = self.adapter.validate_python(key)
        except ValidationError:
            return self._never(key, _NEVER)
        shown = table_key(validated)
        if shown == key:
            return None
        return f"{key!r} is read as {shown!r} in {self.where}: write the key as {shown}"


@functools.lru_cache(maxsize=256)  # bounded: models come and go with the schemes scored
def field_values(model: type[BaseModel], name: str) -> FieldValues:
    """What `model.name` holds, read off its pydantic field (its constraints included)."""
    info = model.model_fields[name]
    constraints = tuple(info.metadata)
    annotation: Any = (
        typing.Annotated[(info.annotation, *constraints)] if constraints else info.annotation
    )
    core, patterns = _core(info.annotation)
    patterns += [getattr(m, "pattern", None) for m in constraints]
    period = next((_PERIODS[p] for p in patterns if p in _PERIODS), None)
    choices: tuple[Any, ...] | None = None
    if core is bool:
        kind, choices = "boolean", (True, False)
    elif typing.get_origin(core) is typing.Literal:
        kind, choices = "enum", typing.get_args(core)
    elif period is not None:
        kind = "period"
    elif numbers := [m for m in constraints if isinstance(m, NumberChoices)]:
        kind, choices = "number", numbers[0].values
    elif core in (int, Decimal):
        kind = "number"
    elif core is date:
        kind = "date"
    else:
        kind = "text"
    where = f"{model.model_fields['type'].default}.{name}"
    return FieldValues(where, TypeAdapter(annotation), kind, choices, period, info.is_required())


def _core(annotation: Any) -> tuple[Any, list[Any]]:
    """The type a field's values have (`Annotated` and `| None` taken off), and the patterns
    of the constraints taken off with them."""
    patterns: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *metadata = typing.get_args(annotation)
            patterns += [getattr(m, "pattern", None) for m in metadata]
        elif origin in (typing.Union, types.UnionType):
            members = [m for m in typing.get_args(annotation) if m is not type(None)]
            if len(members) != 1:
                return annotation, patterns
            annotation = members[0]
        else:
            return annotation, patterns


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _same(validated: Any, given: Any) -> bool:
    """Whether an event holding `validated` would equal the `given` scheme value."""
    if _is_number(validated) and _is_number(given):
        return bool(validated == given)
    return type(validated) is type(given) and bool(validated == given)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


_ORDERED = ("lt", "le", "gt", "ge")
_KIND_WORDS = {"boolean": "true or false", "enum": "an enumeration", "text": "text"}


def condition_faults(
    path: Path, field: FieldValues, condition: Condition, days: tuple[date, date] | None = None
) -> list[Fault]:
    """Every operand of a `where:` condition must be a value the field can hold, and some
    value must meet the whole condition. `days` are the days the scheme's ledger takes, for
    a condition on an event's own date."""
    faults: list[Fault] = []
    given = condition.model_fields_set
    for name in ("eq", "ne"):
        value = getattr(condition, name)
        if name in given and value is not None:
            faults += _value_fault((*path, name), field, value)
    for name, attribute in (("in", "in_"), ("not_in", "not_in")):
        values = getattr(condition, attribute)
        if values is None:
            continue
        if not values:
            faults.append(((*path, name), f"`{name}: []` lists no value: list the values meant"))
        for i, value in enumerate(values):
            faults += _value_fault((*path, name, i), field, value)
    for name in _ORDERED:
        if name not in given:
            continue
        if field.kind not in ("number", "date", "period"):
            message = (
                f"`{name}` compares numbers, dates and periods, and {field.where} is "
                f"{_KIND_WORDS[field.kind]}: use eq, in or not_in"
            )
            faults.append(((*path, name), message))
        else:
            faults += _value_fault((*path, name), field, getattr(condition, name))
    if condition.present is False and field.required:
        message = f"{field.where} is required, so every event has it: `present: false` never holds"
        faults.append(((*path, "present"), message))
    if not faults:
        faults += _unmet(path, field, condition)
    if not faults and days is not None:
        faults += _outside_days(path, field, condition, days)
    return faults


def _value_fault(path: Path, field: FieldValues, value: Any) -> list[Fault]:
    message = field.impossible(value)
    return [] if message is None else [(path, message)]


def _unmet(path: Path, field: FieldValues, condition: Condition) -> list[Fault]:
    """A condition whose operands are each possible, but that no single value meets."""
    if field.choices is not None:
        left = [value for value in field.choices if meets(condition, value)]
        if not left:
            words = ", ".join(_shown(v) for v in field.choices)
            message = f"no value of {field.where} ({words}) meets this condition: it never holds"
            return [(path, message)]
        return []
    low, high = _bounds(condition)
    if (
        low is not None
        and high is not None
        and (low[0] > high[0] or (low == high and (low[1] or high[1])))
    ):
        message = f"no value of {field.where} is both {_bound(low, '>')} and {_bound(high, '<')}: it never holds"
        return [(path, message)]
    return []


def meets(condition: Condition, value: Any) -> bool:
    """Whether `value` meets a condition's eq, ne, in and not_in."""
    given = condition.model_fields_set
    if "eq" in given and value != condition.eq:
        return False
    if "ne" in given and value == condition.ne:
        return False
    if condition.in_ is not None and value not in condition.in_:
        return False
    if condition.not_in is not None and value in condition.not_in:
        return False
    return _within_bounds(condition, value)


def _within_bounds(condition: Condition, value: Any) -> bool:
    """Whether a number of an enum of numbers meets the condition's lt, le, gt and ge."""
    given = condition.model_fields_set
    low, high = _bounds(condition) if given & set(_ORDERED) and _is_number(value) else (None, None)
    if low is not None and (value < low[0] or (low[1] and value == low[0])):
        return False
    return not (high is not None and (value > high[0] or (high[1] and value == high[0])))


def _bounds(condition: Condition) -> tuple[tuple[Any, bool] | None, tuple[Any, bool] | None]:
    """The lowest and highest value a number or date condition admits, each with whether it
    is excluded (lt, gt); an `eq` is both."""
    given = condition.model_fields_set
    lows = [(condition.gt, True)] if "gt" in given else []
    lows += [(condition.ge, False)] if "ge" in given else []
    highs = [(condition.lt, True)] if "lt" in given else []
    highs += [(condition.le, False)] if "le" in given else []
    if "eq" in given and condition.eq is not None:
        lows.append((condition.eq, False))
        highs.append((condition.eq, False))
    low = max(lows, key=lambda b: (b[0], b[1])) if lows else None
    high = min(highs, key=lambda b: (b[0], not b[1])) if highs else None
    return low, high


def _bound(bound: tuple[Any, bool], side: str) -> str:
    value, strict = bound
    return f"{side}{'' if strict else '='} {_shown(value)}"


def _outside_days(
    path: Path, field: FieldValues, condition: Condition, days: tuple[date, date]
) -> list[Fault]:
    """A bound on an event's date outside the days the ledger takes holds for every event or
    for none: most likely a date of last year's scheme, copied."""
    first, last = days
    given = condition.model_fields_set
    faults: list[Fault] = []
    for name in ("eq", "ne", *_ORDERED):
        value = getattr(condition, name)
        if name in given and isinstance(value, date) and not first <= value <= last:
            message = (
                f"{value} is outside the days this scheme's ledger takes ({first} to {last}), "
                f"so `{name}` holds for every event or for none: is it a date of another year?"
            )
            faults.append(((*path, name), message))
    for name, attribute in (("in", "in_"), ("not_in", "not_in")):
        for i, value in enumerate(getattr(condition, attribute) or ()):
            if isinstance(value, date) and not first <= value <= last:
                message = (
                    f"{value} is outside the days this scheme's ledger takes ({first} to "
                    f"{last}): no event has that date; is it a date of another year?"
                )
                faults.append(((*path, name, i), message))
    return faults


def keys_faults(path: Path, field: FieldValues, keys: Iterable[str]) -> list[Fault]:
    """Each key of a table looked up by `field` must be written as its values are read."""
    faults: list[Fault] = []
    for key in keys:
        message = field.key_fault(key)
        if message is not None:
            faults.append(((*path, "table", key), message))
    return faults
