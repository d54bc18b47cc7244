"""Turn pydantic validation errors into located, actionable problems.

pydantic reports where a value sits in the data (`loc`); the YAML loader knows
where each part of the data sits in the file. Walking one along the other gives
`file:line:column path: message`, with "did you mean …?" where a key or a tag
is misspelt.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from assessment._internal.text.codes import field_code
from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Located, Path, render_path
from assessment.errors import Problem

__all__ = [
    "FieldWords",
    "Origin",
    "field_message",
    "problems_from_validation",
    "resolve_path",
    "shown_as_json",
    "tagged_record_problems",
    "without_echoes",
]


@dataclass(frozen=True)
class Origin:
    """Where a record was read: a file (or `<events>`) and a 1-based line."""

    file: str
    line: int

    def named_from(self, other: Origin) -> str:
        """`line 3`, or `other.jsonl:3` when seen from another file."""
        return f"line {self.line}" if self.file == other.file else f"{self.file}:{self.line}"


def resolve_path(data: Any, loc: Sequence[str | int]) -> tuple[Path, bool]:
    """Follow pydantic's `loc` through `data`; tags of tagged unions are skipped.

    Returns the path of the part reached and whether all of `loc` was found.
    """
    path: list[str | int] = []
    node = data
    for n, part in enumerate(loc):
        if _has(node, part):
            node = node[part]
        elif isinstance(node, Mapping) and isinstance(part, str) and part in node.values():
            continue  # the tag pydantic inserts for a discriminated union
        elif isinstance(node, Mapping) and n + 1 < len(loc) and _has(node, loc[n + 1]):
            continue  # the tag a callable discriminator gives (the shape of `points`)
        elif isinstance(part, str) and "[" in part:
            continue  # function-validator labels such as `function-after[...]`
        else:
            return tuple(path), False
        path.append(part)
    return tuple(path), True


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, Mapping):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> list[Any]:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _model_fields_at(root: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names allowed at `loc` (for suggestions), or [] when unknown."""
    candidates: list[Any] = [root]
    for part in loc:
        nxt: list[Any] = []
        for cand in candidates:
            for member in _members(cand):
                nxt.extend(_step(member, part))
        if not nxt:
            # a tagged-union tag: keep the members whose tag equals `part`
            nxt = [
                m
                for cand in candidates
                for m in _members(cand)
                if isinstance(m, type) and issubclass(m, BaseModel) and _tag_of(m) == part
            ]
        candidates = nxt
    names: list[str] = []
    for cand in candidates:
        for member in _members(cand):
            if isinstance(member, type) and issubclass(member, BaseModel):
                names.extend(member.model_fields)
    return names


def _tag_of(model: type[BaseModel]) -> Any:
    shape = getattr(model, "union_tag", None)  # a model told apart by its shape, not a key
    if isinstance(shape, str):
        return shape
    for name in ("kind", "type"):
        field = model.model_fields.get(name)
        if field is not None and typing.get_origin(field.annotation) is typing.Literal:
            return typing.get_args(field.annotation)[0]
    return None


def _step(member: Any, part: str | int) -> list[Any]:
    if isinstance(member, type) and issubclass(member, BaseModel):
        field = member.model_fields.get(str(part))
        return [field.annotation] if field is not None else []
    origin = typing.get_origin(member)
    args = typing.get_args(member)
    if origin in (list, tuple) and isinstance(part, int) and args:
        return [args[0]]
    if origin is dict and isinstance(part, str) and len(args) == 2:
        return [args[1]]
    return []


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: ErrorDetails, allowed: list[str]) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = error["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = f"; allowed here: {', '.join(sorted(allowed))}"
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"required key '{loc[-1]}' is missing: add it"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", ""))
        tags = [t.strip().strip("'") for t in expected.split(",")]
        tag = str(ctx.get("tag"))
        return (
            f"unknown {ctx.get('discriminator', 'tag').strip(chr(39))} '{tag}'"
            f"{did_you_mean(tag, tags)} (expected one of: {', '.join(tags)})"
        )
    if kind == "union_tag_not_found":
        field = str(ctx.get("discriminator", "kind")).strip("'")
        return f"required key '{field}' is missing: it says which kind of entry this is"
    if kind == "bool_type":
        return (
            f"must be true or false (got {_shown(error.get('input'))}): words such as yes, "
            "no, on or off, and numbers, are not booleans here"
        )
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^[a-z]"):
        return (
            "must be an id: lower-case English letters, digits, '_' or '-', starting with a "
            f"letter (got {_shown(error.get('input'))})"
        )
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    message = message[0].lower() + message[1:] if message else message
    given = "input" in error and not isinstance(error["input"], dict | list)
    if given and "(got " not in message:
        message += f" (got {_shown(error['input'])})"
    return message


def without_echoes(
    errors: list[ErrorDetails],
    fields_at: Callable[[tuple[str | int, ...]], Iterable[str]],
    elsewhere: Iterable[str] = (),
) -> list[ErrorDetails]:
    """Drop the `missing` error of a field that an unknown key beside it misspells.

    `pionts: 5` is one typo: "unknown key 'pionts'; did you mean 'points'?" says
    it all, without "required key 'points' is missing" as well. `fields_at(loc)`
    names the fields allowed where `loc` points; names in `elsewhere` are valid
    somewhere else (another event type's field) and are no typos.
    """
    others = set(elsewhere)
    typos: set[tuple[str | int, ...]] = set()
    for error in errors:
        key = error["loc"][-1] if error["loc"] else None
        if error["type"] != "extra_forbidden" or key in others:
            continue
        parent = tuple(error["loc"][:-1])
        names = sorted(set(fields_at(parent)))
        typos.update((*parent, m) for m in difflib.get_close_matches(str(key), names, 1, 0.6))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in typos)]


def problems_from_validation(
    exc: ValidationError, located: Located, file: str, root: type[BaseModel]
) -> list[Problem]:
    """One located problem per pydantic error (a misspelt key is one problem, not two)."""
    problems: list[Problem] = []
    errors = without_echoes(exc.errors(), lambda parent: _model_fields_at(root, parent))
    for error in errors:
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "too_short" and any(
            len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc
            for other in errors
        ):
            continue  # pydantic counts only the valid entries: the real fault is inside
        path, found = resolve_path(located.data, loc)
        if kind == "extra_forbidden":
            line, col = located.mark(path, key=True)
        else:
            line, col = located.mark(path)
        shown_path: Path = path if found or kind != "missing" else (*path, str(loc[-1]))
        allowed = _model_fields_at(root, loc[:-1]) if kind == "extra_forbidden" else []
        code = field_code("scheme", kind)
        where = render_path(shown_path)
        problems.append(Problem(file, line, col, where, _message(error, allowed), code=code))
    return problems


# ---------------------------------------------------------------- records (events, units)


def _lowered(message: str) -> str:
    return message[:1].lower() + message[1:]


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


def shown_as_json(value: Any) -> str:
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


@dataclass(frozen=True)
class FieldWords:
    """What a kind of record adds to the wording of its fields: a hint about a value as
    typed (full-width digits), and what the value of each pattern looks like."""

    value_hint: Callable[[object], str] = lambda value: ""
    patterns: Mapping[str, str] = field(default_factory=dict)


def field_message(
    error: ErrorDetails,
    fields: Iterable[str],
    owner: str,
    words: FieldWords,
    elsewhere: Iterable[str] = (),
) -> str:
    """What is wrong with one field of a record, worded as what it must be and what it got.

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
    got = "" if isinstance(value, Mapping) else f" (got {shown_as_json(value)})"
    if value is None:
        return f"must have a value{got}"
    got += words.value_hint(value)
    if kind in _PLAIN:
        return _PLAIN[kind].format_map(ctx) + got
    looks = words.patterns.get(str(ctx.get("pattern")))
    if kind == "string_pattern_mismatch" and looks is not None:
        return f"must be {looks}" + got
    message = _lowered(error["msg"].removeprefix("Value error, "))
    return message if "(got " in message else message + got


def _type_message(error: ErrorDetails, tags: Sequence[str]) -> str:
    known = ", ".join(tags)
    if error["type"] == "union_tag_not_found":
        return f"required field 'type' is missing: it says what happened (one of: {known})"
    record = error.get("input")
    tag = record.get("type") if isinstance(record, Mapping) else None
    if not isinstance(tag, str):
        return f"must be the name of an event type (one of: {known}) (got {shown_as_json(tag)})"
    return f"unknown event type '{tag}'{did_you_mean(tag, tags)} (known types: {known})"


def tagged_record_problems(
    exc: ValidationError,
    origin: Origin,
    fields_of: Mapping[str, Sequence[str]],
    every_field: Sequence[str],
    words: FieldWords,
) -> list[Problem]:
    """One problem per error of a record of a tagged union (an event, tagged by its type):
    `fields_of` each tag's fields, `every_field` the fields of any tag."""
    problems = []
    errors = exc.errors()
    tag = str(errors[0]["loc"][0]) if errors[0]["loc"] else ""
    fields = list(fields_of.get(tag, ()))
    for error in without_echoes(errors, lambda parent: fields, every_field):
        if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
            path, message = "type", _type_message(error, list(fields_of))
            code = "events.unknown_type"
        else:
            path = ".".join(str(part) for part in error["loc"][1:])
            message = field_message(error, fields, tag, words, every_field)
            code = field_code("events", error["type"])
        problems.append(Problem(origin.file, origin.line, 0, path, message, code=code))
    return problems
