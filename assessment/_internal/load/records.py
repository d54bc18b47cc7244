"""Events as the engine holds them: compact twins of the models, validated on a fast path.

The public event models (`assessment.events`) define the contract and word
its errors. Validating a line into a `BaseModel` is slow, though, and a model
is large; at provincial scale both matter. So each event type also gets:

- a compact twin: a slotted dataclass of the model's fields, a
  fifth of the model's size, with the same attribute access. pydantic
  validates it strictly, straight from the JSON bytes of a line (the fast
  path). It accepts a subset of what the model accepts and yields the same
  values; anything it refuses goes to the model (the slow path), which gives
  the same verdict and wording as always. Where strict mode is not strict
  enough (days, numbers with a fraction), the twin is stricter still.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, Protocol, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
)

from assessment._internal.base.memo import by_identity
from assessment._internal.load.eventtypes import EventTypes

__all__ = [
    "LIFECYCLE",
    "AdjustmentEvent",
    "AssessmentEvent",
    "AssignmentEvent",
    "ClosureEvent",
    "CommendationEvent",
    "CompactEvent",
    "ExtensionEvent",
    "FastTypes",
    "ItemEvent",
    "LifecycleEvent",
    "compact_of_model",
    "fast_types",
    "model_of_compact",
    "sort_key",
    "values_of_model",
]

# The compact twins are classes made at run time (`_compact_class`), so their static type is
# said here: the fields every event has, and those of the kinds the core reads by name. The
# ledger rewrites `unit` and `item` to share one string object, so they are not read-only.


class CompactEvent(Protocol):
    """An event held by the engine: its compact twin (absent optional fields are None).

    A scheme's own event types have further fields, which the rules read by name.
    """

    id: str
    type: str
    date: date
    unit: str


class ItemEvent(CompactEvent, Protocol):
    """An event of an item's lifecycle: the item it moves."""

    item: str


# Each lifecycle type's tag is a literal, so that comparing `event.type` with it narrows a
# `LifecycleEvent` to that type (compared on the attribute itself: mypy does not follow a copy).
class AssignmentEvent(ItemEvent, Protocol):
    """An item assigned (`item_assigned`): its category, deadline and co-handlers."""

    type: Literal["item_assigned"]
    category: str
    due: date
    title: str | None
    assigned_by: str | None
    cohandlers: tuple[str, ...] | None


class ExtensionEvent(ItemEvent, Protocol):
    """An item's deadline extended (`item_extended`)."""

    type: Literal["item_extended"]
    due: date
    reason: str


class ClosureEvent(ItemEvent, Protocol):
    """An item closed out (`item_closed`)."""

    type: Literal["item_closed"]


class AssessmentEvent(ItemEvent, Protocol):
    """An item's year-end assessment (`item_assessed`)."""

    type: Literal["item_assessed"]
    completion: Decimal


class CommendationEvent(CompactEvent, Protocol):
    """Leaders affirmed a unit's work (`commendation`), perhaps naming one of its items."""

    level: str
    circulated: bool
    item: str | None
    note: str | None


class AdjustmentEvent(CompactEvent, Protocol):
    """A manual adjustment (`adjustment`) under one of the scheme's adjustment rules."""

    rule: str
    points: Decimal
    reason: str


LifecycleEvent = AssignmentEvent | ExtensionEvent | ClosureEvent | AssessmentEvent
"""An event the state holds under its item, in the item's history."""

# Within one day an item's lifecycle runs in contract order: an item assigned and
# closed on the same day is closed after it was assigned, whatever its event ids.
LIFECYCLE: Final = ("item_assigned", "item_extended", "item_closed", "item_assessed")
"""The event types of an item's lifecycle, in the order they take effect within a day."""
_STAGE = {kind: stage for stage, kind in enumerate(LIFECYCLE)}
_LAST = len(_STAGE)


class _InOrder(Protocol):
    """What the scoring order reads of an event, a compact twin's or a public model's."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> date: ...


def sort_key(event: _InOrder) -> tuple[date, int, str]:
    """Events are scored in date order, then lifecycle stage; the id breaks the remaining
    ties so input order never matters."""
    return (event.date, _STAGE.get(event.type, _LAST), event.id)


_STRICT = ConfigDict(extra="forbid", strict=True)


def _with_model_checks(cls: type[CompactEvent], model: type[BaseModel]) -> Any:
    """The compact class, with the model's own after-validators (an inspection needs a finding).

    They read fields by attribute, which the compact event has too; when one
    fails, the line goes to the model, which words the problem.
    """
    checks = [
        decorator.func
        for decorator in model.__pydantic_decorators__.model_validators.values()
        if decorator.info.mode == "after"
    ]
    if len(checks) != len(model.__pydantic_decorators__.model_validators):
        raise TypeError(f"{model.__name__}: only after-validators have a compact twin")
    if not checks:
        return cls

    def run(event: CompactEvent) -> CompactEvent:
        for check in checks:
            check(event)
        return event

    return Annotated[cls, AfterValidator(run)]


def _strict(annotation: Any) -> Any:
    """`annotation` without the before-validators nested in it (in `X | None`, say)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *metadata = typing.get_args(annotation)
        kept = [m for m in metadata if not isinstance(m, BeforeValidator)]
        return Annotated[(_strict(base), *kept)] if kept else _strict(base)
    if origin in (Union, types.UnionType):
        return functools.reduce(operator.or_, [_strict(arg) for arg in typing.get_args(annotation)])
    return annotation


# A decimal written as text, plainly: the model reads it as `Decimal(text)` too.
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,39})(?:\.[0-9]{1,40})?")


def _exact_numbers_only(value: Any) -> Any:
    # pydantic reads a JSON number with a fraction through a binary float, whose digits
    # may be gone: only whole numbers and plain decimal text are read here; the model
    # reads the others exactly.
    kind = type(value)
    if kind is int or (kind is str and _PLAIN_DECIMAL.fullmatch(value)):
        return Decimal(value)
    if kind is float:
        raise ValueError("a number with a fraction is read by the model")
    return value


# Strict mode still reads "0" or "1672531200" as a day (a Unix time): the twin takes a day
# as text of the contract's shape, and `from_json` makes it a date (one object per day).
_DAY_TEXT = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
_DAY_LIMIT = 100_000  # distinct days remembered; a ledger has a few hundred

_TWIN_TYPES: dict[Any, Any] = {date: _DAY_TEXT, date | None: _DAY_TEXT | None}
_GUARDS: dict[Any, BeforeValidator] = {
    Decimal: BeforeValidator(_exact_numbers_only),
    Decimal | None: BeforeValidator(_exact_numbers_only),
}


def _compact_class(model: type[BaseModel]) -> type[CompactEvent]:
    """The compact twin of an event model: a slotted dataclass of the same fields.

    pydantic validates it straight from JSON. Top-level before-validators only
    widen what the model accepts (dates as strings, booleans as words): strict
    mode does without them and leaves such input to the model. Constraints and
    after-validators are kept, so an accepted value is the model's value.
    """
    fields: list[tuple[str, Any, Any]] = []
    for name, info in model.model_fields.items():
        kept = [m for m in info.metadata if not isinstance(m, BeforeValidator)]
        base = _strict(info.annotation)
        guard = _GUARDS.get(base)
        if guard is not None:
            kept.insert(0, guard)
        base = _TWIN_TYPES.get(base, base)
        annotation = Annotated[(base, *kept)] if kept else base
        required = info.is_required() or name == "type"  # the tag is required on the wire
        fields.append((name, annotation, dataclasses.MISSING if required else None))
    cls = dataclasses.make_dataclass(
        f"{model.__name__}Event",
        [
            (n, a) if d is dataclasses.MISSING else (n, a, dataclasses.field(default=d))
            for n, a, d in fields
        ],
        # Not frozen: the date fields are filled in after validation, and the state shares
        # one string object per unit and per item.
        slots=True,
        kw_only=True,
    )
    cls.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    return cls


@dataclass(frozen=True)
class FastTypes:
    """The fast validator and the compact form of every event type of a scheme."""

    adapter: TypeAdapter[Any]
    classes: dict[str, type[CompactEvent]]
    values: dict[str, Callable[[CompactEvent], tuple[Any, ...]]]
    # The date fields of each type: a year has few days, so the state shares their objects.
    dates: dict[str, tuple[str, ...]]
    # The core validator itself (the adapter's): one Python call less per line.
    validate_json: Callable[[bytes], CompactEvent]
    # Each day's one date object, by its text (and by itself, for days read by the models).
    days: dict[str | date, date] = dataclasses.field(init=False, default_factory=dict)

    def day(self, value: str | date) -> date | None:
        """The one date object of a day written YYYY-MM-DD, or None if it is not a day."""
        days = self.days
        found = days.get(value)
        if found is None:
            try:
                found = value if isinstance(value, date) else date.fromisoformat(value)
            except ValueError:
                return None
            if len(days) < _DAY_LIMIT:
                days[value] = found
        return found

    def from_json(self, raw: bytes) -> tuple[CompactEvent, tuple[Any, ...]] | None:
        """The event on one JSON line and its values, or None when only the model can judge it."""
        try:
            event = self.validate_json(raw)
        except ValueError:  # pydantic's ValidationError: the model words the verdict
            return None
        kind = event.type
        days = self.days
        for name in self.dates[kind]:
            text = getattr(event, name)
            if text is not None:
                day = days.get(text) or self.day(text)  # a miss only on a day's first line
                if day is None:
                    return None
                setattr(event, name, day)
        values = self.values[kind](event)
        # The fast parser lets a repeated key silently win, where the model refuses it. Each
        # key adds a colon; when the line has exactly as many colons as non-null fields, and
        # each follows a quote, no key is repeated. Otherwise (a repeat, a null field, a colon
        # inside a string) the model decides.
        given = len(values) - values.count(None)
        if raw.count(b":") != given or raw.count(b'":') != given:
            return None
        return event, values


_DATES = (date, date | None)


@by_identity()
def fast_types(types: EventTypes) -> FastTypes:
    """The fast validator for `types` (built once per set of event types)."""
    fast = []
    classes: dict[str, type[CompactEvent]] = {}
    for tag, model in types.models.items():
        classes[tag] = _compact_class(model)
        fast.append(_with_model_checks(classes[tag], model))
    union: Any = Annotated[Union[tuple(fast)], Field(discriminator="type")]  # noqa: UP007
    values = {tag: _getter(sorted(model.model_fields)) for tag, model in types.models.items()}
    dates = {
        tag: tuple(n for n, f in model.model_fields.items() if _strict(f.annotation) in _DATES)
        for tag, model in types.models.items()
    }
    adapter = TypeAdapter(union)
    return FastTypes(adapter, classes, values, dates, adapter.validator.validate_json)


def _getter(names: list[str]) -> Callable[[CompactEvent], tuple[Any, ...]]:
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else lambda event: (get(event),)


def values_of_model(event: BaseModel) -> tuple[Any, ...]:
    """An event's values in the order of its sorted field names (what the digest hashes)."""
    return tuple(getattr(event, name) for name in sorted(type(event).model_fields))


def compact_of_model(fast: FastTypes, event: BaseModel) -> tuple[CompactEvent, tuple[Any, ...]]:
    """The compact form of a validated model (sharing its days' date objects), and its values."""
    fields = dict(event.__dict__)
    for name in fast.dates[fields["type"]]:
        if fields[name] is not None:
            fields[name] = fast.day(fields[name])
    compact = fast.classes[fields["type"]](
        **{name: fields[name] for name in type(event).model_fields}
    )
    return compact, values_of_model(event)


def model_of_compact(types: EventTypes, event: CompactEvent) -> BaseModel:
    """The public model of a compact event (its values were validated already)."""
    model = types.models[event.type]
    # Only the fields given, as validation from a record leaves `model_fields_set`.
    given = {name: getattr(event, name) for name in model.model_fields}
    return model.model_construct(**{k: v for k, v in given.items() if v is not None})
