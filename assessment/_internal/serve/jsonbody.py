"""A JSON body read as the library reads JSON Lines: the request's fields parsed, and each
event of its `events` array kept as its own JSON text, unchanged, so that the library's
JSON Lines reader reads it as it reads a line of an export (exact decimals, its limits on
numbers, its problems). Only the line breaks between an event's tokens become spaces:
JSON text holds no line break inside a string."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

__all__ = ["decode_body"]

_SPACE = re.compile(r"[ \t\n\r]*")


def _refuse_constant(word: str) -> None:
    raise ValueError(f"{word} is not a number JSON allows")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        twice = next(key for i, (key, _) in enumerate(pairs) if key in dict(pairs[:i]))
        raise ValueError(f"the key '{twice}' is given twice")
    return found


_FIELDS = json.JSONDecoder(
    object_pairs_hook=_unique,
    parse_constant=_refuse_constant,
    parse_float=Decimal,
    parse_int=Decimal,
)
"""The request's own fields: each key once, no NaN."""
_EVENT = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)
"""An event, parsed only to find where it ends: the library judges it (its keys, its numbers)."""


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    assert match is not None
    return match.end()


def _expect(text: str, at: int, token: str, what: str) -> int:
    """The place after `token` at `at` (after spaces); JSONDecodeError if it is not there."""
    at = _skip(text, at)
    if not text.startswith(token, at):
        raise json.JSONDecodeError(f"Expecting {what}", text, at)
    return _skip(text, at + len(token))


def _event_texts(text: str, at: int) -> tuple[int, list[str]]:
    """Where the array at `at` ends, and the JSON text of each of its values, on one line."""
    texts: list[str] = []
    at = _expect(text, at, "[", "'['")
    if text.startswith("]", at):
        return at + 1, texts
    while True:
        _, end = _EVENT.raw_decode(text, at)
        texts.append(text[at:end].replace("\r", " ").replace("\n", " "))
        at = _skip(text, end)
        if text.startswith("]", at):
            return at + 1, texts
        at = _expect(text, at, ",", "',' delimiter")


def _member(
    text: str, at: int, fields: dict[str, Any], events: list[str] | None
) -> tuple[int, list[str] | None]:
    """One `"key": value` of the object, into `fields` (or `events`); where it ends."""
    if not text.startswith('"', at):
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, at)
    key, at = _FIELDS.raw_decode(text, at)  # a JSON string: the key
    if key in fields or (key == "events" and events is not None):
        raise ValueError(f"the key '{key}' is given twice")
    at = _expect(text, at, ":", "':' delimiter")
    if key == "events" and text.startswith("[", at):
        return _event_texts(text, at)
    fields[key], at = _FIELDS.raw_decode(text, at)
    return at, events


def decode_body(text: str) -> tuple[Any, list[str] | None]:
    """The body's value, each key once and no NaN, but for the events of an object's
    `events` array: those as their JSON texts (None when it has no such array). Raises
    ValueError (JSONDecodeError is one) for text that is not such JSON."""
    at = _skip(text, 0)
    if not text.startswith("{", at):
        return _FIELDS.decode(text), None
    fields: dict[str, Any] = {}
    events: list[str] | None = None
    at = _skip(text, at + 1)
    if not text.startswith("}", at):
        while True:
            at, events = _member(text, at, fields, events)
            at = _skip(text, at)
            if text.startswith("}", at):
                break
            at = _expect(text, at, ",", "',' delimiter")
    at = _skip(text, at + 1)
    if at != len(text):
        raise json.JSONDecodeError("Extra data", text, at)
    return fields, events
