"""The event types of a scheme: the built-in ones plus those it declares.

Declared types become pydantic models at load time, so their events are
validated exactly like built-in ones; one tagged union covers them all.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    TypeAdapter,
    create_model,
)

from assessment._internal.load.fieldvalues import NumberChoices
from assessment._internal.load.periods import KEY_PATTERNS
from assessment.events import (
    BUILTIN_EVENT_TYPES,
    CustomEvent,
    Flag,
    IsoDate,
    NonEmpty,
    canonical_decimal,
    digits_within,
    exact_number,
)
from assessment.scheme import BuiltinExtension, EventTypeSpec, FieldSpec, Scheme

__all__ = ["EventTypes", "enum_values", "event_types"]

COMMON_FIELDS = ("id", "type", "date", "unit")

# Canonical (0.50 is 0.5): equal values must give equal events and digests. Digits are
# bounded at input, so that exact arithmetic on a value always ends.
_EXACT = Annotated[
    Decimal,
    exact_number(40, 41),
    Field(allow_inf_nan=False),
    digits_within(40, 41),
    AfterValidator(canonical_decimal),
]
_WHOLE = Annotated[int, Field(ge=-(10**18), le=10**18)]
_PYTHON: dict[str, Any] = {
    "string": NonEmpty,
    "integer": _WHOLE,
    "decimal": _EXACT,
    "date": IsoDate,
    "boolean": Flag,
    **{
        kind: Annotated[str, StringConstraints(pattern=pattern)]
        for kind, pattern in KEY_PATTERNS.items()
    },
}


@dataclass(frozen=True)
class EventTypes:
    """Every event type a scheme knows, and one validator for all of them."""

    models: dict[str, type[BaseModel]]
    adapter: TypeAdapter[Any]
    # The kind of period (month, quarter, year) each period field names, by (type, field).
    periods: dict[tuple[str, str], str]
    # The declared types whose events name an item (`item: true`).
    item_kinds: frozenset[str] = frozenset()

    def fields(self) -> list[str]:
        """Every field name of every type, for reading CSV columns."""
        return sorted({name for model in self.models.values() for name in model.model_fields})


def _annotation(spec: FieldSpec) -> Any:
    if spec.type == "enum":
        assert spec.values is not None  # the model requires values for an enum
        return _enum(spec.values)
    return _PYTHON[spec.type]


# ---------------------------------------------------------------- enums of numbers, extensions


def _enum(values: tuple[str | Decimal, ...]) -> Any:
    """An enum's type: a Literal of text, or an exact number that must be one of the values
    (written as a JSON number or as its text, and held as the number)."""
    if not isinstance(values[0], Decimal):
        return Literal[values]
    numbers = tuple(v for v in values if isinstance(v, Decimal))
    allowed = frozenset(numbers)
    listed = ", ".join(str(v) for v in numbers)

    def one_of(value: Decimal) -> Decimal:
        if value not in allowed:
            raise ValueError(f"must be one of {listed} (got {value})")
        # Canonical here too: not every pydantic this supports runs the inner validators of a
        # nested Annotated first, and "1.50" must be 1.5 to find its table key.
        return canonical_decimal(value)

    return Annotated[_EXACT, AfterValidator(one_of), NumberChoices(numbers)]


def enum_values(model: type[BaseModel], field: str) -> tuple[object, ...] | None:
    """The values of an enum field of an event model (text), or None if it is no enum."""
    info = model.model_fields.get(field)
    if info is None:
        return None
    annotation: Any = info.annotation
    members = [m for m in typing.get_args(annotation) if m is not type(None)]
    if typing.get_origin(annotation) in (Union, typing.get_origin(int | None)) and members:
        annotation = members[0]
    return typing.get_args(annotation) if typing.get_origin(annotation) is Literal else None


def _extended(model: type[BaseModel], extensions: list[BuiltinExtension]) -> type[BaseModel]:
    """A built-in event model with the values a scheme adds to its enum fields (after the
    built-in ones: every value it took before it still takes). Extensions that do not fit
    are left out here and refused by the scheme's checks (`load/eligibility.py`)."""
    values_of: dict[str, tuple[object, ...]] = {}
    for extension in extensions:
        old = values_of.get(extension.field) or enum_values(model, extension.field)
        if old is None:
            continue
        added = tuple(v for v in extension.add_values if v not in old and isinstance(v, str))
        values_of[extension.field] = (*old, *added)
    if not values_of:
        return model
    definitions: dict[str, Any] = {}
    for name, values in values_of.items():
        info = model.model_fields[name]
        annotation: Any = Literal[values]
        if info.is_required():
            definitions[name] = (annotation, Field(description=info.description))
        else:
            definitions[name] = (annotation | None, Field(None, description=info.description))
    return create_model(model.__name__, __base__=model, **definitions)


def _builtin_models(extends: tuple[BuiltinExtension, ...]) -> dict[str, type[BaseModel]]:
    """The built-in event models, with the values a scheme adds to them."""
    models = dict(BUILTIN_EVENT_TYPES)
    for tag, model in BUILTIN_EVENT_TYPES.items():
        mine = [e for e in extends if e.event == tag]
        if mine:
            models[tag] = _extended(model, mine)
    return models


def _model(spec: EventTypeSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {"type": (Literal[spec.id], spec.id)}
    if spec.item:
        fields["item"] = (NonEmpty, Field(description="the supervised item the event is about"))
    for field in spec.fields:
        annotation = _annotation(field)
        if field.required:
            fields[field.id] = (annotation, Field(description=field.name or field.id))
        else:
            fields[field.id] = (annotation | None, Field(None, description=field.name or field.id))
    name = "".join(part.capitalize() for part in spec.id.replace("-", "_").split("_"))
    return create_model(name, __base__=CustomEvent, **fields)


def _period_fields(models: dict[str, type[BaseModel]]) -> dict[tuple[str, str], str]:
    """Which fields of built-in types name a period, known by the pattern of their values."""
    kinds = {pattern: kind for kind, pattern in KEY_PATTERNS.items()}
    found: dict[tuple[str, str], str] = {}
    for tag, model in models.items():
        for name, info in model.model_fields.items():
            for constraint in info.metadata:
                kind = kinds.get(getattr(constraint, "pattern", None) or "")
                if kind is not None:
                    found[(tag, name)] = kind
    return found


_Declarations = tuple[tuple[EventTypeSpec, ...], tuple[BuiltinExtension, ...]]

# A service scores many schemes in one process: the models of the most recent distinct
# sets of declarations are kept, the older ones let go, so memory stays bounded.
_KEPT = 64


def event_types(scheme: Scheme) -> EventTypes:
    """The event types of `scheme` (built once per distinct set of declarations)."""
    declared = tuple(spec for spec in scheme.event_types if spec is not None)
    return _event_types((declared, tuple(e for e in scheme.extends if e is not None)))


@functools.lru_cache(maxsize=_KEPT)
def _event_types(key: _Declarations) -> EventTypes:
    declared, extends = key
    models = _builtin_models(extends) if extends else dict(BUILTIN_EVENT_TYPES)
    for spec in declared:
        if spec.id not in models:
            models[spec.id] = _model(spec)
    members = tuple(models.values())
    union: Any = Annotated[Union[members], Field(discriminator="type")]  # noqa: UP007
    periods = _period_fields(BUILTIN_EVENT_TYPES)
    periods.update(
        {
            (spec.id, field.id): field.type
            for spec in declared
            for field in spec.fields
            if field.type in KEY_PATTERNS
        }
    )
    items = frozenset(
        spec.id for spec in declared if spec.item and spec.id not in BUILTIN_EVENT_TYPES
    )
    return EventTypes(models, TypeAdapter(union), periods, items)
