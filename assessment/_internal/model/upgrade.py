"""Format 1 schemes read as format 2: the keys format 2 asks an author to write, filled in
with what format 1 meant by leaving them out.

Format 2 is format 1 plus keys. Where format 1 decided something silently (how a tie at
a quota's edge is broken, say), format 2 asks the file to say it; a format 1 file is
read as if it said what format 1 did. The same additions drive `assessment migrate`,
which writes them into the file itself, keeping its comments.

Each step reads the raw mapping before validation, so it must not trust its shape: it
looks only where it finds mappings and lists, and leaves everything else to validation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LATEST_FORMAT", "STEPS", "Addition", "additions", "mappings", "rules", "upgraded"]

LATEST_FORMAT = 2

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Addition:
    """A key that format 2 asks for, and the value that says what format 1 meant."""

    parent: Path  # the mapping that gains the key, as a path from the top of the file
    key: str
    value: object  # a YAML scalar, or a list or mapping of them
    why: str  # one sentence for `assessment migrate` to print


Step = Callable[[dict[str, Any]], list[Addition]]
"""Reads a format 1 mapping; returns the keys to add (never one the file already has)."""

STEPS: list[Step] = []
"""Every step from format 1 to format 2, in order."""


def additions(data: dict[str, Any]) -> list[Addition]:
    """The keys a format 1 mapping needs to mean, as format 2, what it meant."""
    return [addition for step in STEPS for addition in step(data)]


def upgraded(data: object) -> object:
    """`data` as format 2 if it is a format 1 scheme; anything else as it is."""
    if not isinstance(data, dict) or data.get("format") != 1 or type(data["format"]) is not int:
        return data
    found = additions(data)
    out = copy.deepcopy(data)
    out["format"] = LATEST_FORMAT
    for addition in found:
        parent: Any = out
        for part in addition.parent:
            parent = parent[part]
        parent.setdefault(addition.key, copy.deepcopy(addition.value))
    return out


def mappings(data: object, *path: str) -> list[tuple[Path, dict[str, Any]]]:
    """The mappings found at `path`, where `*` stands for every element of a list: for a
    step to walk a file it cannot yet trust."""
    found: list[tuple[Path, object]] = [((), data)]
    for part in path:
        deeper: list[tuple[Path, object]] = []
        for where, value in found:
            if part == "*" and isinstance(value, list):
                deeper += [((*where, i), v) for i, v in enumerate(value)]
            elif part != "*" and isinstance(value, dict) and part in value:
                deeper.append(((*where, part), value[part]))
        found = deeper
    return [(where, value) for where, value in found if isinstance(value, dict)]


def rules(data: object) -> list[tuple[Path, dict[str, Any]]]:
    """Every rule mapping of a raw scheme, in sections at any depth."""
    found = []
    pending = mappings(data, "sections", "*")
    while pending:
        where, section = pending.pop(0)
        found += [((*where, *p), r) for p, r in mappings(section, "rules", "*")]
        pending += [((*where, *p), s) for p, s in mappings(section, "sections", "*")]
    return found


# ---------------------------------------------------------------- eligibility (mechanism 7)


def _quota_ties(data: dict[str, Any]) -> list[Addition]:
    why = "format 1 let every unit tied at a quota's edge fall to the next grade"
    return [
        Addition(path, "ties", "none_of_them", why)
        for path, grade in mappings(data, "grades", "*")
        if grade.get("quota") is not None and "ties" not in grade
    ]


def _not_assessed_lacking(data: dict[str, Any]) -> list[Addition]:
    why = "format 1 left out a unit lacking any one of the listed categories"
    return [
        Addition(path, "lacking", "any", why)
        for path, rule in rules(data)
        if rule.get("unassigned") == "not_assessed" and "lacking" not in rule
    ]


def _flag_bars(data: dict[str, Any]) -> list[Addition]:
    why = "format 1 flags barred nothing but, with veto, the grade"
    return [
        Addition(path, "bars", [], why)
        for path, flag in mappings(data, "flags", "*")
        if "bars" not in flag
    ]


# ---------------------------------------------------------------- exclusive groups (不重复计分)


def _exclusive_groups(data: dict[str, Any]) -> list[Addition]:
    """Format 1's `exclusive: name` needed no declaration, and kept only the single largest
    line on an item (or an event about no item), even among one rule's lines."""
    if "exclusive_groups" in data:
        return []
    names: list[str] = []
    for _, rule in rules(data):
        name = rule.get("exclusive")
        if isinstance(name, str) and name not in names:
            names.append(name)
    if not names:
        return []
    declared = [{"id": n, "name": n, "scope": "item", "choice": "highest_line"} for n in names]
    why = (
        "the `exclusive` names " + ", ".join(names) + " declared as format 1 meant them: per item "
        "(an event about no item on its own), only the single largest line counts"
    )
    return [Addition((), "exclusive_groups", declared, why)]


STEPS += [_quota_ties, _not_assessed_lacking, _flag_bars, _exclusive_groups]
