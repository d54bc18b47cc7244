"""Text from input files made safe to show on a terminal."""

from __future__ import annotations

import unicodedata

__all__ = ["is_control", "printable"]

# Bidirectional formatting characters: they can reorder what a terminal shows.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters (C0, DEL, C1), lone surrogates (no text at all) and line separators.
_ESCAPED_CATEGORIES = frozenset(("Cc", "Cs", "Zl", "Zp"))


def is_control(char: str) -> bool:
    """Whether `char` is one that `printable` escapes: a control, a lone surrogate, a line or
    paragraph separator, or a bidirectional formatting character."""
    return char in _BIDI or unicodedata.category(char) in _ESCAPED_CATEGORIES


def _escape(char: str) -> str:
    if is_control(char):
        code = ord(char)
        if code < 0x100:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape, as Python writes it
    (ESC as the four characters `\\x1b`): text read from an input file must not move the
    cursor, recolour or clear a terminal, or reorder what it shows."""
    if text.isprintable():  # nearly always: nothing to do
        return text
    return "".join(_escape(char) for char in text)
