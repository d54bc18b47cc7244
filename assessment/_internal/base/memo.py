"""Remembering what was built from an object, for as long as it is in use."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["by_identity"]

_A = TypeVar("_A")
_R = TypeVar("_R")


def by_identity(limit: int = 16) -> Callable[[Callable[[_A], _R]], Callable[[_A], _R]]:
    """Cache a one-argument function by the identity of its argument.

    For frozen models too large to hash on every call (a scheme, its event
    types). The argument is held with the result, so its id is not reused while
    cached; a process uses few of them, and the cache starts again past `limit`.
    """

    def decorate(build: Callable[[_A], _R]) -> Callable[[_A], _R]:
        cache: dict[int, tuple[_A, _R]] = {}

        @functools.wraps(build)
        def cached(arg: _A) -> _R:
            found = cache.get(id(arg))
            if found is None or found[0] is not arg:
                if len(cache) >= limit:
                    cache.clear()
                found = cache[id(arg)] = (arg, build(arg))
            return found[1]

        return cached

    return decorate
