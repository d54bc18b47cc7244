"""A scheme's fault: the path of the value at fault, and what is wrong with it.

A fault that names something that does not exist remembers the name, so that a
name which exists but is itself invalid is not also reported as unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path

__all__ = ["Fault", "Unknown", "duplicates", "is_reference_to", "present", "unknown"]

Fault = tuple[Path, str]


class Unknown(tuple[Path, str]):
    """A fault naming something that does not exist: `ref` is the name given."""

    ref: str

    def __new__(cls, path: Path, message: str, ref: str) -> Unknown:
        fault = super().__new__(cls, (path, message))
        fault.ref = ref
        return fault


def unknown(path: Path, what: str, name: str, known: Iterable[str]) -> Fault:
    """`name` is no `what` of the scheme: the closest one, or every one there is."""
    known = sorted(set(known))
    hint = did_you_mean(name, known) or f"; known: {', '.join(known)}"
    return Unknown(path, f"unknown {what} '{name}'{hint}", name)


def is_reference_to(fault: Fault, names: set[str]) -> bool:
    """Whether `fault` says a name in `names` does not exist."""
    return isinstance(fault, Unknown) and fault.ref in names


def duplicates(entries: Iterable[tuple[Path, str]], what: str) -> Iterator[Fault]:
    """Every id given again after its first, at the later entry."""
    seen: dict[str, Path] = {}
    for path, ident in entries:
        if ident in seen:
            yield (*path, "id"), f"duplicate {what} id '{ident}': ids must be unique"
        else:
            seen[ident] = path


def present(entries: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Index and entry, skipping the holes `salvage` leaves for invalid entries."""
    return ((i, entry) for i, entry in enumerate(entries) if entry is not None)
