"""The limits on reading a request: a free worker first, then the body within the size
limit and within the time limit.

A request to an endpoint that works (the POSTs of /v1) is given a worker before its body
is read, and refused at once (503, with Retry-After) while every worker is busy, so that
no more bodies are held in memory than there are workers. A body over `--max-body-bytes`
is refused (413) before anything parses it: unread when its Content-Length says so; for a
chunked body that declares no length, as soon as the bytes read pass the limit. A body
that stops coming for `--timeout` seconds is refused (408). Every refusal of a body not
read whole closes the connection.

An ASGI middleware: it reads the body before the application sees the request, and hands
it on whole, with the worker held for it (`SLOT` in the scope).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from assessment._internal.serve.refusals import MEDIA_TYPE, RefusedError, document_bytes
from assessment._internal.serve.work import Slot, Work

__all__ = ["SLOT", "BodyLimit", "slot_of"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

SLOT = "assessment.slot"
"""The scope key of the worker held for a request (a `Slot`)."""

_DRAIN = 1024 * 1024
"""Bytes of a refused chunked body read and dropped, so that a client still sending reads
the refusal rather than a reset connection; then the connection is closed."""


def slot_of(scope: Scope) -> Slot | None:
    """The worker held for the request, if one is."""
    slot = scope.get(SLOT)
    return slot if isinstance(slot, Slot) else None


def _declared(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _close_with(send: Send, refused: RefusedError) -> None:
    """Answer `refused`, and close the connection after it."""
    body = document_bytes(refused.code, refused.message, refused.field)
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *((key.lower().encode(), value.encode()) for key, value in refused.headers.items()),
    ]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Holds a worker for a request to `paths`, then reads its body within `limit` bytes
    and with at most `timeout` seconds' wait for each part of it; or refuses it."""

    def __init__(
        self, app: App, limit: int, work: Work, paths: Collection[str], timeout: float
    ) -> None:
        self.app = app
        self.limit = limit
        self.work = work
        self.paths = paths
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared(scope)
        if declared is not None and declared > self.limit:  # refused unread: no 100 Continue
            await _close_with(send, self._too_large(f"its Content-Length is {declared} bytes"))
            return
        slot = None
        if scope["method"] == "POST" and scope["path"] in self.paths:
            slot = self.work.reserve()
            if slot is None:  # refused unread, so that only `workers` bodies are held
                await _close_with(send, self.work.busy())
                return
        try:
            body = await self._read(receive, send)
            if body is not None:
                scope[SLOT] = slot
                await self.app(scope, _replay(body, receive), send)
        finally:
            if slot is not None:
                slot.give_back()  # unless its work has it

    async def _next(self, receive: Receive) -> Message:
        """The next message; RefusedError (408) if it takes longer than `timeout`."""
        try:
            return await asyncio.wait_for(receive(), self.timeout)
        except TimeoutError:
            raise RefusedError(
                408,
                "request.timeout",
                f"the request body stopped coming: nothing of it came for {self.timeout:g}"
                " seconds (--timeout); send the body whole, without pausing",
            ) from None

    async def _read(self, receive: Receive, send: Send) -> bytes | None:
        """The body, whole; None if it was refused (answered) or the client went away."""
        chunks: list[bytes] = []
        size, more = 0, True
        try:
            while more:
                message = await self._next(receive)
                if message["type"] != "http.request":
                    return None  # the client went away
                chunk = message.get("body", b"")
                size += len(chunk)
                more = bool(message.get("more_body", False))
                if size > self.limit:
                    await self._drain(receive, more)
                    raise self._too_large(f"it holds more than {self.limit} bytes")
                chunks.append(chunk)
        except RefusedError as refused:
            await _close_with(send, refused)
            return None
        return b"".join(chunks)

    async def _drain(self, receive: Receive, more: bool) -> None:
        """Read and drop at most _DRAIN bytes of the rest of a refused body."""
        dropped = 0
        while more and dropped < _DRAIN:
            message = await self._next(receive)
            dropped += len(message.get("body", b""))
            more = message["type"] == "http.request" and bool(message.get("more_body", False))

    def _too_large(self, why: str) -> RefusedError:
        return RefusedError(
            413,
            "request.too_large",
            f"the request body is over this service's limit of {self.limit} bytes ({why}):"
            " send smaller requests (split the events into several), or start the service"
            " with a larger --max-body-bytes",
        )


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
