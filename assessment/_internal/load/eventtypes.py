"""The event types of a scheme: the built-in ones plus those it declares.

Declared types become pydantic models at load time, so their events are
validated exactly like built-in ones; one tagged union covers them all.
"""

from __future__ import annotations

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
from assessment.scheme import EventTypeSpec, FieldSpec, Scheme

__all__ = ["EventTypes", "event_types"]

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
        return Literal[spec.values]
    return _PYTHON[spec.type]


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


_CACHE: dict[tuple[EventTypeSpec, ...], EventTypes] = {}


def event_types(scheme: Scheme) -> EventTypes:
    """The event types of `scheme` (built once per distinct set of declarations)."""
    declared = tuple(spec for spec in scheme.event_types if spec is not None)
    found = _CACHE.get(declared)
    if found is None:
        models = dict(BUILTIN_EVENT_TYPES)
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
        found = EventTypes(models, TypeAdapter(union), periods, items)
        _CACHE[declared] = found
    return found
