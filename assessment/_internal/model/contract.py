"""The JSON contract of the results: every document carries `format_version` and the
scheme's rounding; every figure is written as a decimal string at that rounding with its
exact value beside it (`points`, `points_exact`); keys that would say nothing are left
out; and the JSON Schema says exactly that. Python attributes keep their types: only JSON
differs from the models' fields."""

from __future__ import annotations

import json
import types
from fractions import Fraction
from typing import Any, ClassVar, Literal, NamedTuple, Self, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import core_schema as cs

from assessment._internal.base.arith import RoundingMode, exact_text, round_shown
from assessment._internal.text.problemdoc import FORMAT_VERSION

__all__ = [
    "EXACT_PATTERN",
    "FIGURE_PATTERN",
    "FORMAT_VERSION",
    "Document",
    "Figure",
    "Frozen",
    "Rounding",
]

FIGURE_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"
"""A figure: a plain decimal (no exponent, no `+`), at the scheme's places."""

EXACT_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$|^-?[1-9][0-9]*/[1-9][0-9]*$"
"""An exact value: an integer, a finite decimal without trailing zeros, or p/q in lowest
terms (q > 1, not a product of 2s and 5s) with the sign on p."""

_CONTEXT_KEY = "rounding"


class Rounding(BaseModel):
    """The scheme's rounding, as the results carry it: how every figure is shown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    places: int = Field(ge=0, le=6, description="decimal places of every figure")
    mode: RoundingMode = Field(description="half_up (halves away from zero), half_even, down, up")
    stage: Literal["section", "total"] = Field(
        description=(
            "section: a unit's `total` is the sum of its sections' shown scores (so it can "
            "differ from `total_exact` rounded); total: it is `total_exact` rounded"
        )
    )


class Figure(NamedTuple):
    """Where a figure's values are: the attribute of its shown `Decimal` and the attribute
    of its exact `Fraction` (either may be absent: a shown-only figure's exact value is
    itself, an exact-only figure is shown by rounding it)."""

    shown: str | None
    exact: str | None
    summed: bool = False  # a total: at stage `section`, the sum of shown figures


def _rounding(info: SerializationInfo, model: BaseModel) -> Rounding:
    context = info.context
    found = context.get(_CONTEXT_KEY) if isinstance(context, dict) else None
    if not isinstance(found, Rounding):
        raise ValueError(
            f"{type(model).__name__}'s figures are written at the scheme's rounding, which it"
            " does not carry: serialize the document that holds it (a Report, an Explained,"
            " an ExplainedPortfolio), or pass context={'rounding': report.rounding}"
        )
    return found


def _pair(model: BaseModel, figure: Figure, rounding: Rounding) -> tuple[str | None, str | None]:
    """A figure's JSON value and its exact value, or refuse one at another rounding."""
    shown = getattr(model, figure.shown) if figure.shown else None
    exact = getattr(model, figure.exact) if figure.exact else None
    if isinstance(shown, str):  # a word: "none" (no cap)
        return shown, shown
    if exact is not None:
        value = exact
    elif shown is not None:
        value = Fraction(shown)
    else:
        return None, None
    text = round_shown(value, rounding.places, rounding.mode)
    if shown is not None:
        at_places = round_shown(Fraction(shown), rounding.places, rounding.mode)
        summed = figure.summed and rounding.stage == "section"
        if at_places != shown or (exact is not None and not summed and text != shown):
            name = f"{type(model).__name__}.{figure.shown}"
            raise ValueError(
                f"{name} is {shown}, which is not {value} rounded to {rounding.places} places"
                f" ({rounding.mode}): the figure and the rounding do not belong together"
            )
        text = at_places
    return str(text), exact_text(value)


def _check_read(model: str, key: str, figure: Figure, texts: tuple[Any, Any], context: Any) -> None:
    """Refuse a figure read back that is not its exact value at the document's rounding
    (one of the two was changed): which one to believe cannot be known."""
    rounding = context.get(_CONTEXT_KEY) if isinstance(context, dict) else None
    shown, exact = texts
    if not isinstance(rounding, Rounding) or not isinstance(exact, str) or exact == "none":
        return
    if figure.summed and rounding.stage == "section":
        return
    try:
        expected = str(round_shown(Fraction(exact), rounding.places, rounding.mode))
    except ValueError:
        return  # not a number: validation says so
    if shown != expected:
        raise ValueError(
            f"{model} '{key}' is {shown}, but '{key}_exact' {exact} at the document's rounding"
            f" is {expected}: one of them was changed; give the document as it was written"
        )


def _read_context(data: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords of a document's validation, with the rounding the data states."""
    context = kwargs.get("context") or {}
    found = data.get("rounding") if isinstance(data, dict) else None
    try:
        rounding = Rounding.model_validate(found)
    except ValidationError:
        return kwargs  # the document's own validation says what is wrong with it
    return {**kwargs, "context": {**context, _CONTEXT_KEY: rounding}}


def _hidden(figures: dict[str, Figure]) -> set[str]:
    """The attributes of exact values that JSON writes as `<key>_exact` instead."""
    return {f.exact for key, f in figures.items() if f.exact is not None and f.exact != key}


def _alternatives(annotation: Any) -> list[dict[str, Any]]:
    """What a figure's key may hold besides a number: null, the word none."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return []
    args = get_args(annotation)
    words = [a for a in args if get_origin(a) is Literal]
    null = [{"type": "null"}] if type(None) in args else []
    return [{"enum": list(get_args(w))} for w in words] + null


def _figure_schema(pattern: str, others: list[dict[str, Any]], about: str | None) -> Any:
    number: dict[str, Any] = {"type": "string", "pattern": pattern}
    schema: dict[str, Any] = {"anyOf": [number, *others]} if others else number
    return {**schema, "description": about} if about else schema


def _never_null(schema: dict[str, Any]) -> dict[str, Any]:
    kept = [s for s in schema.get("anyOf", ()) if s != {"type": "null"}]
    if "anyOf" not in schema or not kept:
        return schema
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}


class Frozen(BaseModel):
    """The base of every results model: frozen, strict, and written as the contract says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    _figures: ClassVar[dict[str, Figure]] = {}
    """Each figure's JSON key and where its values are."""
    _omitted: ClassVar[dict[str, object]] = {}
    """Keys left out of JSON at this value: they say what every result said before they
    existed, so that results not using them read as they always did."""

    @model_serializer(mode="wrap")
    def _contract(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data: dict[str, Any] = handler(self)
        for key, value in self._omitted.items():
            if getattr(self, key) == value:
                data.pop(key, None)
        if not self._figures or info.mode != "json":
            return data
        rounding = _rounding(info, self)
        hidden = _hidden(self._figures)
        out: dict[str, Any] = {}
        for key, value in data.items():
            figure = self._figures.get(key)
            if figure is not None:
                out[key], out[f"{key}_exact"] = _pair(self, figure, rounding)
            elif key not in hidden:
                out[key] = value
        return out

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any, info: ValidationInfo) -> Any:
        """JSON back into the attributes: the exact value is the truth of each figure."""
        if not cls._figures or not isinstance(data, dict):
            return data
        if info.mode != "json" and not any(f"{k}_exact" in data for k in cls._figures):
            return data  # the Python attributes, as model_dump() gives them
        out = dict(data)
        for key, figure in cls._figures.items():
            if key not in out:
                continue
            if f"{key}_exact" not in out:
                raise ValueError(
                    f"'{key}' has no '{key}_exact' beside it: the exact value is what is read;"
                    " give the document as it was written"
                )
            exact = out.pop(f"{key}_exact")
            _check_read(cls.__name__, key, figure, (out[key], exact), info.context)
            attribute = figure.exact or figure.shown
            if attribute is not None:
                out[attribute] = exact
        return out

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: cs.CoreSchema, handler: GetJsonSchemaHandler
    ) -> Any:
        # The fields' schema, not the serializer's (which pydantic cannot see into).
        fields = {key: value for key, value in core_schema.items() if key != "serialization"}
        schema = handler(fields)
        if handler.mode == "serialization":
            cls._contract_schema(handler.resolve_ref_schema(schema))
        return schema

    @classmethod
    def _contract_schema(cls, target: dict[str, Any]) -> None:
        """The fields' schema as JSON holds them: figures and their exact values, the
        version fixed, every key required that is always written."""
        properties: dict[str, Any] = target.get("properties", {})
        hidden = _hidden(cls._figures)
        out: dict[str, Any] = {}
        for key, value in properties.items():
            figure = cls._figures.get(key)
            if key == "format_version":
                out[key] = {"const": FORMAT_VERSION, "description": value.get("description")}
            elif figure is not None:
                field = cls.model_fields[figure.shown or figure.exact or key]
                others = _alternatives(field.annotation)
                exact_about = properties.get(figure.exact or "", {}).get("description")
                out[key] = _figure_schema(FIGURE_PATTERN, others, value.get("description"))
                about = exact_about if figure.exact in hidden else f"the exact value of `{key}`"
                out[f"{key}_exact"] = _figure_schema(EXACT_PATTERN, others, about)
            elif key not in hidden:
                out[key] = value
        for key, value in cls._omitted.items():  # a key left out at null is never null
            for name in (key, f"{key}_exact"):
                if value is None and name in out:
                    out[name] = _never_null(out[name])
        target["properties"] = out
        omitted = set(cls._omitted)
        target["required"] = [k for k in out if k not in omitted and k[:-6] not in omitted]


class Document(Frozen):
    """A JSON document a caller receives: its contract's version and the rounding of its
    figures come with it, and `model_dump_json()` writes its figures at that rounding."""

    format_version: str = Field(
        FORMAT_VERSION, description="the version of the JSON contract (docs/api.md)"
    )
    rounding: Rounding = Field(description="the scheme's rounding, of every figure here")

    @field_validator("format_version")
    @classmethod
    def _readable(cls, version: str) -> str:
        if version.split(".", maxsplit=1)[0] != FORMAT_VERSION.split(".")[0]:
            raise ValueError(
                f"a document of format {version} cannot be read by this version of assessment"
                f" (format {FORMAT_VERSION}): read it with the version that wrote it"
            )
        return version

    def _with_rounding(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        context = kwargs.get("context") or {}
        if not isinstance(context, dict):
            raise TypeError("context must be a dict: the document adds its rounding to it")
        return {**kwargs, "context": {**context, _CONTEXT_KEY: self.rounding}}

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """A document read back from its JSON, each figure checked against its exact value."""
        try:
            data = json.loads(json_data)
        except ValueError:
            data = None  # pydantic says what is wrong with it
        return super().model_validate_json(json_data, **_read_context(data, kwargs))

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """A document read back from data (its JSON loaded), each figure checked."""
        return super().model_validate(obj, **_read_context(obj, kwargs))

    def model_dump_json(self, **kwargs: Any) -> str:
        """The document as the JSON contract writes it (pydantic's keywords apply)."""
        return super().model_dump_json(**self._with_rounding(kwargs))

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The document's fields; with `mode="json"`, as the JSON contract writes them."""
        return super().model_dump(**self._with_rounding(kwargs))
