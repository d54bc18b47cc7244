"""`assessment migrate`: a format 1 scheme file rewritten as format 2, comments kept.

The file's text is edited, not re-dumped: `format: 1` becomes `format: 2` and each key
format 2 asks for (model/upgrade.py) is inserted into its mapping, in the mapping's own
style. The result must load to the very scheme the old file loads to, or nothing is
written.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assessment._internal.load.scheme import parse_scheme
from assessment._internal.model.upgrade import LATEST_FORMAT, Addition, additions
from assessment._internal.text.yamlsource import decode, load_yaml, render_path
from assessment.errors import Problem, SchemeError

__all__ = ["migrated"]

# Text that YAML reads back as the same text when written plain (no quotes).
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.~][^:#,\[\]{}]*(?<!\s)$")
_KEYWORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "none"}


def _yaml(value: object) -> str:
    """A value as YAML flow text, written the way a scheme author would."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value.lower() not in _KEYWORDS
        return value if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} in a scheme")


def _node(root: Node, path: tuple[str | int, ...]) -> Node:
    node = root
    for part in path:
        if isinstance(node, MappingNode):
            node = next(v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part)
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            node = node.value[part]
        else:
            raise LookupError(render_path(path))
    return node


def _offset(text: str, line: int, column: int) -> int:
    """The offset in `text` of a 0-based line and column, as PyYAML's marks count them."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    return starts[line] + column if line < len(starts) else len(text)


def _insertion(text: str, root: Node, addition: Addition) -> tuple[int, int, str]:
    """Where the key goes, and its text: at the end of its mapping, in the mapping's style."""
    mapping = _node(root, addition.parent)
    assert isinstance(mapping, MappingNode)
    entry = f"{addition.key}: {_yaml(addition.value)}"
    if mapping.flow_style:
        end = _offset(text, mapping.end_mark.line, mapping.end_mark.column) - 1  # its '}'
        return end, end, (", " if mapping.value else "") + entry
    indent = " " * mapping.value[0][0].start_mark.column
    last = mapping.value[-1][1].end_mark
    at = _offset(text, last.line, last.column)
    if last.column > 0:  # after the rest of the last value's line (its comment, say)
        newline = text.find("\n", at)
        at = len(text) if newline < 0 else newline + 1
    prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
    return at, at, f"{prefix}{indent}{entry}\n"


def migrated(raw: bytes, file: str) -> tuple[str, list[str]]:
    """The file's text as format 2, and a sentence for each change; raises `SchemeError`
    when the file is not a valid scheme (of either format)."""
    old = parse_scheme(raw, file)  # every problem of the old file, before anything else
    text, _ = decode(raw, file)
    located, _ = load_yaml(raw, file)
    assert text is not None
    data = located.data
    assert isinstance(data, dict)
    if data.get("format") == LATEST_FORMAT:
        return text, []
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # the file passed the strict loader
    assert root is not None
    found = additions(data)
    # Each edit with the depth of its mapping: a key a deeper mapping gains at the same place
    # (the end of both) goes first, inside it.
    edits = [(*_insertion(text, root, a), len(a.parent)) for a in found]
    version = _node(root, ("format",))
    start = _offset(text, version.start_mark.line, version.start_mark.column)
    end = _offset(text, version.end_mark.line, version.end_mark.column)
    edits.append((start, end, str(LATEST_FORMAT), 0))
    out = text
    # From the end of the file back, so that earlier offsets stay right.
    for at, cut, inserted, _ in sorted(edits, key=lambda e: (e[0], -e[3]), reverse=True):
        out = out[:at] + inserted + out[cut:]
    new = parse_scheme(out, file)
    if new != old:  # a bug of ours, never the author's: say so rather than write it
        message = "migrating changed the scheme: please report this"
        problem = Problem(file, 0, 0, "", message, code="internal.bug")
        raise SchemeError([problem])
    said = [f"format: 1 → format: {LATEST_FORMAT}"]
    said += [f"{render_path((*a.parent, a.key))}: {_yaml(a.value)} ({a.why})" for a in found]
    return out, said
