"""The public surface's mark: `@exported` shows a private definition as `assessment`'s own.

`assessment/__init__.py` exports classes and functions whose code lives in private
modules. Marked, they name `assessment` as their module, as a user imports them, in
`repr()`, tracebacks and documentation tools, however they were imported (httpx does
the same). Pickle finds them there too: the top package resolves each name lazily.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["PUBLIC_MODULE", "exported"]

PUBLIC_MODULE = "assessment"

T = TypeVar("T")


def exported(definition: T) -> T:
    """Mark a class or function exported by `assessment` (outermost decorator)."""
    definition.__module__ = PUBLIC_MODULE
    return definition
