"""A multipart form's parts as bytes. Starlette's parser decodes a part that is not a file
(as latin-1 when it is not UTF-8), which would hand the library text it never saw, and
holds parts to limits of its own; here every part keeps its bytes, so that the library
reads a text part as it reads a file (its `text.encoding` problem included), the service
decodes its own fields strictly, and only the body's size limit and the library's apply.

The body is in memory already (read within --max-body-bytes): it is split at its boundary
(RFC 7578, RFC 2046), with the standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value

__all__ = ["FormError", "FormPart", "parse_form"]


class FormError(ValueError):
    """A body that is not a multipart form: what is wrong with it."""


@dataclass(frozen=True)
class FormPart:
    """A part of a form: its name, its bytes, its file name (None: a text part)."""

    name: str
    data: bytes
    filename: str | None


def _header_text(raw: bytes) -> str:
    """A header's value: UTF-8 as browsers and curl send names, else latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _parameters(header: str, value: str) -> Message:
    """A message holding only `header: value`, to read the header's parameters."""
    message = Message()
    message[header] = value
    return message


def _part(piece: bytes) -> FormPart:
    head, blank, data = piece.partition(b"\r\n\r\n")
    if not blank:
        raise FormError("a part has no blank line between its headers and its content")
    disposition = ""
    for line in head.split(b"\r\n")[1:]:  # the first: the rest of the boundary's line
        key, colon, value = line.partition(b":")
        if colon and key.strip().lower() == b"content-disposition":
            disposition = _header_text(value.strip())
    header = _parameters("content-disposition", disposition)
    found = header.get_param("name", header="content-disposition")
    name = collapse_rfc2231_value(found) if found is not None else None
    if not name:
        raise FormError('a part has no name: give each Content-Disposition: form-data; name="…"')
    filename = header.get_filename()
    return FormPart(name, data, None if filename is None else filename or name)


def parse_form(content_type: str, body: bytes) -> list[FormPart]:
    """Every part of the form, in order; FormError for a body that is no multipart form."""
    boundary = _parameters("content-type", content_type).get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise FormError("its Content-Type names no boundary (multipart/form-data; boundary=…)")
    pieces = (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))
    if len(pieces) < 2 or not pieces[-1].startswith(b"--"):
        raise FormError(f"it does not end with its closing boundary, --{boundary}--")
    return [_part(piece) for piece in pieces[1:-1]]
