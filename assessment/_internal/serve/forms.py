"""A multipart form's parts as bytes: Starlette's parser decodes a part that is not a file
(as latin-1 when it is not UTF-8), which would hand the library text it never saw; here
every part keeps its bytes, so that the library reads a text part as it reads a file (its
`text.encoding` problem included), and the service decodes its own fields strictly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

__all__ = ["FormPart", "MultiPartException", "read_parts"]


@dataclass(frozen=True)
class FormPart:
    """A part of a form: its name, its bytes, its file name (None: a text part)."""

    name: str
    data: bytes
    filename: str | None


class _BytesParser(MultiPartParser):
    """Starlette's parser, but a text part is kept as its bytes, in the form's order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ordered: list[tuple[str, bytes | UploadFile]] = []

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            self.ordered.append((part.field_name, bytes(part.data)))
            return
        super().on_part_end()
        self.ordered.append((part.field_name, part.file))


async def read_parts(request: Request, limit: int) -> list[FormPart]:
    """Every part of the form body, in order; MultiPartException for a body that is no
    multipart form. `limit` is the body's (--max-body-bytes): no part, and no number of
    parts, is limited more than the body, so that only the library's own limits apply."""
    parser = _BytesParser(
        request.headers, request.stream(), max_files=limit, max_fields=limit, max_part_size=limit
    )
    try:
        await parser.parse()
        found: list[FormPart] = []
        for name, value in parser.ordered:
            if isinstance(value, bytes):
                found.append(FormPart(name, value, None))
            else:
                found.append(FormPart(name, await value.read(), value.filename or name))
        return found
    finally:
        for _, value in parser.ordered:
            if not isinstance(value, bytes):
                await value.close()
