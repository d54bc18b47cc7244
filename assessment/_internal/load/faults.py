"""A scheme's fault: the path of the value at fault, and what is wrong with it.

A fault that names something that does not exist remembers the name, so that a
name which exists but is itself invalid is not also reported as unknown. A fault
knows its problem code (docs/problems.md): a reference, a repeated id, or the code
of the check that found it (`coded`); any other is `scheme.inconsistent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path

__all__ = [
    "Fault",
    "Unknown",
    "coded",
    "duplicates",
    "fault_code",
    "is_reference_to",
    "present",
    "unknown",
]

Fault = tuple[Path, str]


class Coded(tuple[Path, str]):
    """A fault with its problem code."""

    code: str

    def __new__(cls, path: Path, message: str, code: str) -> Coded:
        fault = super().__new__(cls, (path, message))
        fault.code = code
        return fault


def coded(faults: Iterable[Fault], code: str) -> list[Fault]:
    """`faults`, each given `code` unless it has one already."""
    return [f if isinstance(f, Coded | Unknown) else Coded(f[0], f[1], code) for f in faults]


def fault_code(fault: Fault) -> str:
    """The problem code of `fault`: its own, else what its words say it is."""
    code = getattr(fault, "code", None)
    if code is not None:
        return str(code)
    # Checks that word an unknown name or a repeated id themselves (every wording is
    # held by the invalid-scheme corpus, and so is the code it gives).
    if fault[1].startswith("unknown "):
        return "scheme.reference"
    if fault[1].startswith("duplicate "):
        return "scheme.duplicate_id"
    return "scheme.inconsistent"


class Unknown(tuple[Path, str]):
    """A fault naming something that does not exist: `ref` is the name given."""

    ref: str
    code = "scheme.reference"

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
            message = f"duplicate {what} id '{ident}': ids must be unique"
            yield Coded((*path, "id"), message, "scheme.duplicate_id")
        else:
            seen[ident] = path


def present(entries: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Index and entry, skipping the holes `salvage` leaves for invalid entries."""
    return ((i, entry) for i, entry in enumerate(entries) if entry is not None)
