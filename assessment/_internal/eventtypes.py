"""The event types of a scheme: the built-in ones plus those it declares.

Declared types become pydantic models at load time, so their events are
validated exactly like built-in ones; one tagged union covers them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, Field, TypeAdapter, create_model

from assessment.events import (
    BUILTIN_EVENT_TYPES,
    CustomEvent,
    Flag,
    IsoDate,
    NonEmpty,
    canonical_decimal,
)
from assessment.scheme import EventTypeSpec, FieldSpec, Scheme

__all__ = ["EventTypes", "event_types"]

COMMON_FIELDS = ("id", "type", "date", "unit")

# Canonical (0.50 is 0.5): equal values must give equal events and digests.
_EXACT = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(canonical_decimal)]
_PYTHON: dict[str, Any] = {
    "string": NonEmpty,
    "integer": int,
    "decimal": _EXACT,
    "date": IsoDate,
    "boolean": Flag,
}


@dataclass(frozen=True)
class EventTypes:
    """Every event type a scheme knows, and one validator for all of them."""

    models: dict[str, type[BaseModel]]
    adapter: TypeAdapter[Any]

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
    for field in spec.fields:
        annotation = _annotation(field)
        if field.required:
            fields[field.id] = (annotation, Field(description=field.name or field.id))
        else:
            fields[field.id] = (annotation | None, Field(None, description=field.name or field.id))
    name = "".join(part.capitalize() for part in spec.id.replace("-", "_").split("_"))
    return create_model(name, __base__=CustomEvent, **fields)


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
        found = EventTypes(models, TypeAdapter(union))
        _CACHE[declared] = found
    return found
