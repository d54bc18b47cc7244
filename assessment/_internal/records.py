"""Events as the engine holds them: compact tuples, validated on a fast path.

The public event models (`assessment.events`) define the contract and word
its errors. Validating a line into a `BaseModel` is slow, though, and a model
is large; at provincial scale both matter. So each event type also gets:

- a strict `TypedDict` twin, derived from its model, that pydantic validates
  straight from the JSON bytes of a line (the fast path). It accepts a subset
  of what the model accepts and yields the same values; anything it refuses
  goes to the model (the slow path), which gives the same verdict as before
  and the same wording;
- a `NamedTuple` of the model's fields: what the engine keeps, with attribute
  access like the model's at a fraction of its size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import NotRequired, TypedDict

from assessment._internal.eventtypes import EventTypes

__all__ = [
    "Compact",
    "FastTypes",
    "compact_of_model",
    "fast_types",
    "model_of_compact",
    "sort_key",
]

Compact = Any
"""An event held by the engine: a NamedTuple of its model's fields (absent ones None)."""

# Within one day an item's lifecycle runs in contract order: an item assigned and
# closed on the same day is closed after it was assigned, whatever its event ids.
_STAGE = {"item_assigned": 0, "item_extended": 1, "item_closed": 2, "item_assessed": 3}
_LAST = len(_STAGE)


def sort_key(event: Any) -> tuple[Any, int, str]:
    """Events are scored in date order, then lifecycle stage; the id breaks the remaining
    ties so input order never matters."""
    return (event.date, _STAGE.get(event.type, _LAST), event.id)


_STRICT = ConfigDict(extra="forbid", strict=True)

# A key is a string followed by optional whitespace and a colon.
_KEY_WITH_SPACE = re.compile(rb'"[ \t\r]+:')


def _twin(model: type[BaseModel]) -> Any:
    """The strict TypedDict twin of an event model.

    Top-level before-validators only widen what the model accepts (dates as
    strings, booleans as words): strict mode does without them and sends such
    input to the model instead. Constraints and after-validators are kept.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kept = [m for m in info.metadata if not isinstance(m, BeforeValidator)]
        annotation = Annotated[(info.annotation, *kept)] if kept else info.annotation
        fields[name] = annotation if info.is_required() or name == "type" else NotRequired[annotation]
    twin = TypedDict(f"{model.__name__}Record", fields)  # type: ignore[operator]
    return with_config(_STRICT)(twin)


def _tuple_class(model: type[BaseModel]) -> type[Any]:
    names = list(model.model_fields)
    spec = [(name, Any) for name in names]
    cls = NamedTuple(f"{model.__name__}Tuple", spec)  # type: ignore[misc]
    cls.__new__.__defaults__ = (None,) * len(names)
    return cls


@dataclass(frozen=True)
class FastTypes:
    """The fast validator and the compact form of every event type of a scheme."""

    adapter: TypeAdapter[Any]
    tuples: dict[str, type[Any]]
    fields: dict[str, tuple[str, ...]]

    def from_json(self, raw: bytes) -> Compact | None:
        """The event on one JSON line, or None when only the model can judge the line."""
        try:
            record = self.adapter.validate_json(raw)
        except ValueError:  # pydantic's ValidationError: the model words the verdict
            return None
        # The fast parser lets a repeated key silently win; the model path refuses it.
        # Each key adds one `":` unless written with a space before its colon.
        if raw.count(b'":') != len(record) or _KEY_WITH_SPACE.search(raw) is not None:
            return None
        cls = self.tuples[record["type"]]
        return cls._make(map(record.get, cls._fields))


_CACHE: dict[int, tuple[EventTypes, FastTypes]] = {}


def fast_types(types: EventTypes) -> FastTypes:
    """The fast validator for `types` (built once per set of event types)."""
    found = _CACHE.get(id(types))
    if found is not None and found[0] is types:
        return found[1]
    twins = []
    tuples: dict[str, type[Any]] = {}
    for tag, model in types.models.items():
        tuples[tag] = _tuple_class(model)
        # A model-level check (an inspection needs a finding) stays on the model's path.
        if not model.__pydantic_decorators__.model_validators:
            twins.append(_twin(model))
    union: Any = Annotated[Union[tuple(twins)], Field(discriminator="type")]  # noqa: UP007
    result = FastTypes(
        TypeAdapter(union), tuples, {tag: cls._fields for tag, cls in tuples.items()}
    )
    _CACHE[id(types)] = (types, result)
    return result


def compact_of_model(fast: FastTypes, event: BaseModel) -> Compact:
    """The compact form of a validated model."""
    values: Mapping[str, Any] = event.__dict__
    cls = fast.tuples[values["type"]]
    return cls._make(map(values.get, cls._fields))


def model_of_compact(types: EventTypes, event: Compact) -> BaseModel:
    """The public model of a compact event (its values were validated already)."""
    model = types.models[event.type]
    return model.model_construct(**event._asdict())

