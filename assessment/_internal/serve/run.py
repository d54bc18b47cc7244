"""Running the service: listen on the address asked (port 0: a free one), say on standard
error where, and serve until stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import os
import socket
import sys

import uvicorn

from assessment._internal.app.usage import UsageError
from assessment._internal.serve.app import create_app
from assessment._internal.serve.settings import Settings

__all__ = ["serve"]


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, reuse_port=False)
    except OSError as exc:
        raise UsageError(
            f"--host {host} --port {port}: cannot listen there"
            f" ({os.strerror(exc.errno) if exc.errno else exc}): choose another"
            " port, or 0 for any free one"
        ) from None


def connections(workers: int) -> int:
    """The most connections (and requests) uvicorn takes at once; past them it answers 503."""
    return workers * 4 + 8


def serve(settings: Settings) -> int:
    """Serve until stopped; the exit code."""
    listening = _listen(settings.host, settings.port)
    host, port = listening.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"assessment serve: listening on http://{shown}:{port}\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
        limit_concurrency=connections(settings.workers),
    )
    uvicorn.Server(config).run(sockets=[listening])
    return 0
