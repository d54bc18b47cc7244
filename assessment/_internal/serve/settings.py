"""What `assessment serve` is started with: where it listens and its limits.

Standard library only: the command line builds these before it knows whether the
`server` extra (FastAPI, uvicorn) is installed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """The address and the limits of one service."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 64 * 1024 * 1024
    """The largest request body read, in bytes; a larger one is refused (413) unread."""
    timeout: float = 60.0
    """Seconds a request's work may take before it is answered 504, and the longest wait
    for the next part of its body (408)."""
    max_schemes: int = 100
    """The most schemes registered at once (kept in memory, by digest)."""
    workers: int = 2
    """Threads that do the work (reading, checking, scoring); one more request is refused (503)."""
