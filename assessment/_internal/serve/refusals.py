"""How the service refuses a request: always with a ProblemsDocument, and a fitting status.

An input the library refuses (`InputError`) is 422, with the very problems the library
gives; a request refused as a whole is one `request.*` problem (docs/problems.md).
"""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError

from assessment._internal.text.problemdoc import command_document, problems_document
from assessment.errors import InputError

__all__ = [
    "FIELD_CHARS",
    "MEDIA_TYPE",
    "RefusedError",
    "clipped",
    "document_bytes",
    "input_refused",
    "refused",
    "unrouted",
    "unvalidated",
]

MEDIA_TYPE = "application/json"
FIELD_CHARS = 100
"""The most characters of a problem's `field` taken from a parser (pydantic's `loc`)."""


def clipped(text: str, limit: int = 200) -> str:
    """`text`, cut to `limit` characters (with an ellipsis) if it is longer: what a parser
    says of a deep or long input is not echoed whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RefusedError(Exception):
    """A request refused as a whole: its status, its `request.*` code and what to do."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def document_bytes(code: str, message: str, field: str = "") -> bytes:
    """The ProblemsDocument of a refused request, as the bytes of a response body."""
    document = command_document("request", code, message, field)
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")


def _answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


async def refused(request: Request, exc: Exception) -> Response:
    """The answer to a `RefusedError` request."""
    assert isinstance(exc, RefusedError)
    return _answer(exc.status, document_bytes(exc.code, exc.message, exc.field), exc.headers)


async def input_refused(request: Request, exc: Exception) -> Response:
    """The answer to an input the library refused: 422, every problem, as `--errors json`."""
    assert isinstance(exc, InputError)
    document = problems_document(exc)
    return _answer(422, (document.model_dump_json(indent=2) + "\n").encode("utf-8"))


async def unrouted(request: Request, exc: Exception) -> Response:
    """No such path (404) or no such method on it (405)."""
    status = getattr(exc, "status_code", 404)
    path, method = request.url.path, request.method
    if status == 405:
        message = f"{method} is not allowed on {path}: see /openapi.json for its methods"
        return _answer(405, document_bytes("request.malformed", message))
    message = f"there is no {path}: the service's paths are under /v1 (see /openapi.json)"
    return _answer(404, document_bytes("request.not_found", message))


async def unvalidated(request: Request, exc: Exception) -> Response:
    """A path or query parameter FastAPI refused: a malformed request (400)."""
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    field = clipped(".".join(str(part) for part in first.get("loc", ())[1:]), FIELD_CHARS)
    message = f"{field or 'the request'}: {clipped(str(first.get('msg', 'is not valid')))}"
    return _answer(400, document_bytes("request.malformed", message, field))
