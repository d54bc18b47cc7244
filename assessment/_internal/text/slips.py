"""Slips that Chinese input methods make in YAML, found and worded as what to type instead.

A full-width colon after a key (`points：5`), a full-width or Unicode minus
(`－5`, `−5`), full-width digits (`５`) or a full-width space look right on
screen, but YAML reads them as text: the value is silently a string, or the
parser fails a line later with a message about something else. These
functions recognise each slip from the text itself, so that the problem
names the character, says what to type and points at the right place.
"""

from __future__ import annotations

import re

__all__ = ["colon_in_plain_text", "key_colon_in", "key_colon_slip", "number_slip", "space_slip"]

# What each look-alike should have been, and how to name it in a message.
_LOOKALIKES = {
    "\uff1a": (":", "the full-width colon '：' (U+FF1A)"),
    "\uff0d": ("-", "the full-width minus '－' (U+FF0D)"),
    "\u2212": ("-", "the minus sign '−' (U+2212)"),
    "\u2013": ("-", "the en dash '–' (U+2013)"),
    "\u2014": ("-", "the em dash '—' (U+2014)"),
    "\u2010": ("-", "the hyphen '‐' (U+2010)"),
    "\u2011": ("-", "the non-breaking hyphen '‑' (U+2011)"),
    "\ufe63": ("-", "the small hyphen-minus '﹣' (U+FE63)"),
    "\uff0b": ("+", "the full-width plus '＋' (U+FF0B)"),
    "\uff0e": (".", "the full-width full stop '．' (U+FF0E)"),
    **{chr(0xFF10 + d): (str(d), "") for d in range(10)},  # named together, as digits
}
_HALF_WIDTH = "switch the input method to half-width (半角) to type it"

# An English key (scheme keys and ids are ASCII) followed by a full-width colon, at the start
# of a line, after its indentation and an optional list dash.
_KEY_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)(\s*)\uff1a")
_FLOW_KEY_COLON = re.compile(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_-]*)(\s*)\uff1a")
# What YAML would have read as a number or a date, had the value been typed half-width.
_NUMBER = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+)$"
    r"|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"
    r"|^[0-9]{4}-[0-9]{2}$"
)


def key_colon_slip(line: str, *, in_braces: bool = False) -> tuple[int, str] | None:
    """A full-width colon right after a key at the start of `line` (or, with `in_braces`,
    after a key inside braces, `{in：[city]}`): its 0-based column and the message, or None."""
    found = _KEY_COLON.match(line) or (_FLOW_KEY_COLON.search(line) if in_braces else None)
    if found is None:
        return None
    key = found.group(2)
    message = (
        f"{_LOOKALIKES[chr(0xFF1A)][1]} after '{key}': YAML needs the ASCII colon ':' and a "
        f"space ({key}: …); {_HALF_WIDTH}"
    )
    return found.end() - 1, message


def key_colon_in(key: str) -> str | None:
    """The message for a key that holds a full-width colon after an English key, as in a
    flow mapping `{level：city}` (read as one key, `level：city`), or None."""
    found = _KEY_COLON.match(key)
    if found is None:
        return None
    name = found.group(2)
    return (
        f"{_LOOKALIKES[chr(0xFF1A)][1]} after '{name}': YAML needs the ASCII colon ':' and a "
        f"space ({name}: …); {_HALF_WIDTH}"
    )


def space_slip(line: str) -> tuple[int, str] | None:
    """A full-width space (U+3000) in the indentation of `line`: its column and the message."""
    indent = len(line) - len(line.lstrip(" \t\u3000"))
    at = line.find("\u3000", 0, indent)
    if at < 0:
        return None
    message = (
        "the line is indented with a full-width space '\u3000' (U+3000): indent with "
        f"ASCII spaces; {_HALF_WIDTH}"
    )
    return at, message


def number_slip(value: str) -> str | None:
    """The message for plain text that would be a number or a date if typed half-width
    (`－5`, `５`, `２０２３-01-01`), or None."""
    if value.isascii():
        return None
    found = [ch for ch in dict.fromkeys(value) if ch in _LOOKALIKES]
    typed = "".join(_LOOKALIKES[ch][0] if ch in _LOOKALIKES else ch for ch in value)
    if not found or not _NUMBER.match(typed):
        return None
    digits = [ch for ch in found if "\uff10" <= ch <= "\uff19"]
    names = [_LOOKALIKES[ch][1] for ch in found if ch not in digits]
    if digits:
        names.append(f"the full-width digit{'s' if len(digits) > 1 else ''} {''.join(digits)}")
    names_text = ", ".join(names)
    return (
        f"'{value}' is written with {names_text}, so YAML reads it as text, not as {typed}: "
        f"type {typed}; {_HALF_WIDTH}"
    )


def colon_in_plain_text(line: str, column: int) -> tuple[int, str] | None:
    """When YAML refuses a colon at `column` of `line` ("mapping values are not allowed here")
    inside an unquoted value such as `text: 每月月底前: 上报`: the message, else None."""
    found = re.match(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*):\s+(\S.*)$", line)
    if found is None or found.start(3) >= column or found.group(3)[0] in "'\"|>[{":
        return None
    key = found.group(2)
    message = (
        f"the value of '{key}' holds ': ' (a colon and a space), which YAML reads as the start "
        f"of a new key: put the whole value in quotes ({key}: '…'), or write the colon in "
        "Chinese text full-width ('：')"
    )
    return column, message
