"""Naming what was meant: "unknown X 'y'; did you mean 'z'?" worded once for every input."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "known_ones", "unknown"]

_LISTED = 12  # at most this many choices are listed when none is close


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` when a close choice exists, else ``."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def unknown(what: str, value: str, choices: Iterable[str], otherwise: str) -> str:
    """`unknown what 'value'`, then the close choice, or else `otherwise` (what there is)."""
    return f"unknown {what} '{value}'{did_you_mean(value, choices) or otherwise}"


def known_ones(what: str, choices: Iterable[str], holder: str) -> str:
    """What `holder` has instead, for `unknown`: its few choices listed, or that it has none."""
    listed = sorted(set(choices))
    if len(listed) <= _LISTED:
        return f": {holder} has {', '.join(listed)}"
    return f": {holder} has no such {what}"
