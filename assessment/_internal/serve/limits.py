"""The size limit on request bodies: a body over `--max-body-bytes` is refused (413)
before anything parses it, whether its Content-Length says so or, for a chunked body
that declares no length, as soon as the bytes read pass the limit.

An ASGI middleware: it reads the body (at most the limit, plus one chunk) before the
application sees the request, and hands it on whole.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from assessment._internal.serve.refusals import MEDIA_TYPE, document_bytes

__all__ = ["BodyLimit"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_DRAIN = 1024 * 1024
"""Bytes of a refused chunked body read and dropped, so that a client still sending reads
the refusal rather than a reset connection; then the connection is closed."""


def _declared(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


class BodyLimit:
    """Refuses a request whose body is over `limit` bytes with a ProblemsDocument (413)."""

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared(scope)
        if declared is not None and declared > self.limit:  # refused unread: no 100 Continue
            await self._refuse(receive, send, f"its Content-Length is {declared} bytes", False)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > self.limit:
                await self._refuse(receive, send, f"it holds more than {self.limit} bytes", more)
                return
            chunks.append(chunk)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, receive: Receive, send: Send, why: str, more: bool) -> None:
        """413, and the connection closed; first, if the body is still coming (`more`),
        at most _DRAIN bytes of it read and dropped."""
        dropped = 0
        while more and dropped < _DRAIN:
            message = await receive()
            dropped += len(message.get("body", b""))
            more = message["type"] == "http.request" and bool(message.get("more_body", False))
        body = document_bytes(
            "request.too_large",
            f"the request body is over this service's limit of {self.limit} bytes ({why}):"
            " send smaller requests (split the events into several), or start the service"
            " with a larger --max-body-bytes",
        )
        headers = [
            (b"content-type", MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read, whole, then whatever the client sends next
    (its disconnection)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
