"""A request's inputs, from whichever of its three body forms it is: a JSON object, JSON
Lines (a first line naming the scheme and roster, then the events), or a multipart form
with uploaded files. Each input becomes what the library reads a file as (a `Piped`), named
as the request named it, so that its limits and its problems are the library's own."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from assessment._internal.app.usage import iso_day
from assessment._internal.load.piped import Piped
from assessment._internal.serve.forms import FormError, FormPart, parse_form
from assessment._internal.serve.jsonbody import decode_body
from assessment._internal.serve.models import Fields
from assessment._internal.serve.refusals import FIELD_CHARS, RefusedError, clipped
from assessment._internal.serve.registry import SchemeSource

__all__ = ["Body", "Inputs", "as_of", "inputs_of", "malformed", "read_body"]

JSON, JSON_LINES, MULTIPART = "application/json", "application/x-ndjson", "multipart/form-data"
_ROSTER_SUFFIX = {"csv": ".csv", "yaml": ".yaml"}


@dataclass(frozen=True)
class Inputs:
    """What a request gave: the scheme to load, the roster and events to read, and more."""

    scheme: SchemeSource
    roster: Piped | None
    events: list[Piped]
    fields: Fields


def malformed(message: str, field: str = "") -> RefusedError:
    return RefusedError(400, "request.malformed", message, field)


def _decoded(raw: bytes, what: str) -> tuple[Any, list[str] | None]:
    """`raw` as JSON, each key once and no NaN, with the events of its `events` array as
    their own JSON text (jsonbody.py); a malformed request (400) otherwise."""
    try:
        return decode_body(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise malformed(f"{what} is not UTF-8 text: send UTF-8") from None
    except ValueError as exc:  # json.JSONDecodeError is one
        raise malformed(f"{what} is not valid JSON: {exc}") from None
    except RecursionError:
        raise malformed(
            f"{what} is nested too deeply to read (arrays or objects inside each other,"
            " hundreds of levels deep): send the fields and the events as docs/service.md"
            " shows"
        ) from None


def _fields(data: Any, what: str) -> Fields:
    if not isinstance(data, dict):
        raise malformed(f"{what} must be a JSON object of the request's fields")
    try:
        return Fields.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = clipped(".".join(str(part) for part in error["loc"]), FIELD_CHARS)
        raise malformed(f"{what}: {where}: {clipped(error['msg'])}", where) from None


def as_of(fields: Fields) -> date | None:
    """The request's day, read as the command line's --as-of is."""
    text = fields.as_of
    if text is None:
        return None
    try:
        return iso_day(text)
    except ValueError as exc:
        raise malformed(f"as_of: {exc}", "as_of") from None


def _piped(raw: bytes, suffix: str, name: str) -> Piped:
    return Piped(io.BytesIO(raw), suffix, name)


def _scheme(fields: Fields, text: bytes | None, name: str) -> SchemeSource:
    given = [
        key
        for key, value in (
            ("scheme", text),
            ("scheme_digest", fields.scheme_digest),
            ("scheme_name", fields.scheme_name),
        )
        if value is not None
    ]
    if len(given) != 1:
        said = ", ".join(given) if given else "none of them"
        raise malformed(
            f"give the scheme once, as one of scheme (its text), scheme_digest or scheme_name"
            f" (got {said})",
            "scheme",
        )
    return SchemeSource(text, name, fields.scheme_digest, fields.scheme_name)


def _roster(fields: Fields) -> Piped | None:
    if fields.roster is None:
        return None
    return _piped(fields.roster.encode("utf-8"), _ROSTER_SUFFIX[fields.roster_format], "roster")


def _from_json(raw: bytes) -> Inputs:
    data, texts = _decoded(raw, "the body")
    fields = _fields(data, "the body")
    text = fields.scheme.encode("utf-8") if fields.scheme is not None else None
    events = []
    if texts is not None:  # each event's own text, a line of JSON Lines as an export has it
        lines = "".join(event + "\n" for event in texts).encode("utf-8")
        events.append(_piped(lines, ".jsonl", "events"))
    return Inputs(_scheme(fields, text, "scheme"), _roster(fields), events, fields)


def _from_json_lines(raw: bytes) -> Inputs:
    first, newline, rest = raw.partition(b"\n")
    data, texts = _decoded(first, "the first line")
    if texts is not None or (isinstance(data, dict) and "events" in data):
        raise malformed(
            "the first line names the inputs; the events are the lines after it", "events"
        )
    fields = _fields(data, "the first line")
    text = fields.scheme.encode("utf-8") if fields.scheme is not None else None
    events = [_piped(rest, ".jsonl", "events")] if newline else []
    return Inputs(_scheme(fields, text, "scheme"), _roster(fields), events, fields)


_FILES = ("scheme", "roster", "events")
_BOM = b"\xef\xbb\xbf"


def _uploaded(raw: bytes, filename: str | None, suffix: str, name: str) -> Piped:
    """An uploaded part, named by its file name, whose suffix says its format as a file's
    does; a text part, by `name`, in the format `suffix` says."""
    if filename is None:
        return _piped(raw, suffix, name)
    return _piped(raw, PurePosixPath(filename).suffix.lower(), filename)


Parts = dict[str, list[tuple[bytes, str | None]]]
"""A form's file parts (scheme, roster, events): each one's bytes and its file name (None
for a text part)."""


@dataclass(frozen=True)
class Body:
    """A request's body as read, not yet parsed: its form, its bytes or its form's parts."""

    kind: str
    raw: bytes = b""
    scalars: dict[str, str] = field(default_factory=dict)
    parts: Parts = field(default_factory=dict)


def _text(part: FormPart) -> str:
    """A field of the form (not an input the library reads), strictly UTF-8."""
    if part.filename is not None:
        raise malformed(
            f"the form part '{part.name}' is a file: send it as a text field", part.name
        )
    try:
        return part.data.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed(
            f"the form part '{part.name}' is not UTF-8 text: send UTF-8", part.name
        ) from None


async def _read_form(request: Request) -> Body:
    try:
        found = parse_form(request.headers.get("content-type", ""), await request.body())
    except FormError as exc:
        raise malformed(f"the multipart body cannot be read: {exc}") from None
    scalars: dict[str, str] = {}
    parts: Parts = {name: [] for name in _FILES}
    for part in found:
        if part.name in _FILES:  # an input: its bytes, for the library to read
            parts[part.name].append((part.data, part.filename))
        elif part.name in scalars:
            raise malformed(f"the form part '{part.name}' is given twice: give it once", part.name)
        else:
            scalars[part.name] = _text(part)
    return Body(MULTIPART, scalars=scalars, parts=parts)


def _from_form(body: Body) -> Inputs:
    fields, parts = _fields(body.scalars, "the form"), body.parts
    for key in ("scheme", "roster"):
        if len(parts[key]) > 1:
            raise malformed(f"the form gives {key} {len(parts[key])} times: give it once", key)
    scheme = parts["scheme"][0] if parts["scheme"] else None
    source = _scheme(fields, scheme[0] if scheme else None, (scheme and scheme[1]) or "scheme")
    suffix = _ROSTER_SUFFIX[fields.roster_format]
    roster = [_uploaded(raw, file, suffix, "roster") for raw, file in parts["roster"]]
    events = [_uploaded(raw, file, ".jsonl", "events") for raw, file in parts["events"]]
    return Inputs(source, roster[0] if roster else None, events, fields)


def _utf_8_only(header: str, kind: str) -> None:
    """A JSON body is UTF-8: a Content-Type that says another charset is refused."""
    for parameter in header.split(";")[1:]:
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise malformed(
                f"Content-Type {kind}; charset={charset}: the body must be UTF-8 text;"
                f" send it as UTF-8, with charset=utf-8 or no charset"
            )


async def read_body(request: Request) -> Body:
    """A request's body, read whole (within the size limit) but not parsed; 400 for a
    body of none of the three forms."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == MULTIPART:
        return await _read_form(request)
    if kind in (JSON, JSON_LINES):
        _utf_8_only(request.headers.get("content-type", ""), kind)
        return Body(kind, (await request.body()).removeprefix(_BOM))  # .NET writes a BOM
    raise malformed(
        f"Content-Type {kind or '(none)'}: send {JSON} (the fields as one object),"
        f" {JSON_LINES} (a first line of fields, then the events) or {MULTIPART} (files)"
    )


def inputs_of(body: Body) -> Inputs:
    """The inputs of a body, parsed (work for a worker: a JSON body can be large)."""
    if body.kind == MULTIPART:
        return _from_form(body)
    return _from_json(body.raw) if body.kind == JSON else _from_json_lines(body.raw)
