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
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from assessment._internal.text.yamlsource import Located, Path, render_path
from assessment.errors import Problem

__all__ = [
    "Origin",
    "did_you_mean",
    "problems_from_validation",
    "resolve_path",
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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a close choice exists, else ``."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def resolve_path(data: Any, loc: Sequence[str | int]) -> tuple[Path, bool]:
    """Follow pydantic's `loc` through `data`; tags of tagged unions are skipped.

    Returns the path of the part reached and whether all of `loc` was found.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            node = node[part]
        elif isinstance(node, Mapping) and isinstance(part, str) and part in node.values():
            continue  # the tag pydantic inserts for a discriminated union
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
        problems.append(Problem(file, line, col, render_path(shown_path), _message(error, allowed)))
    return problems
