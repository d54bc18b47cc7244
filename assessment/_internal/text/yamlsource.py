"""Safe, strict YAML loading that remembers where every value came from.

PyYAML's `safe_load` stops code execution but not alias bombs, duplicate keys
(the last one silently wins) or YAML 1.1 surprises (`no` read as false). Scheme
files are edited by hand, so all of those are refused here, and the position
of every key and value is kept so that errors can name a line and a column.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assessment._internal.text.slips import (
    colon_in_plain_text,
    key_colon_in,
    key_colon_slip,
    number_slip,
    space_slip,
)
from assessment.errors import Problem

__all__ = ["MAX_DEPTH", "MAX_YAML_BYTES", "Located", "Path", "load_yaml", "render_path"]

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

Path = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _RefusedError(Exception):
    """Raised inside the composer to stop on a construct we refuse."""

    def __init__(self, message: str, mark: yaml.Mark | None, code: str = "yaml.refused") -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.code = code


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, anchors, unbounded nesting or YAML 1.1 booleans."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _RefusedError(
                "aliases (*name) are not allowed in this file: write the value out in full",
                event.start_mark,
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None) is not None:
            raise _RefusedError(
                "anchors (&name) are not allowed in this file: write each value out in full",
                event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels"
            raise _RefusedError(message, event.start_mark, "yaml.syntax")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Only true/false are booleans: `no`, `on`, `yes` stay strings (the "Norway problem").
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Located:
    """Plain data from a YAML document, with the 1-based position of each part."""

    data: Any
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def mark(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the value (or key) at `path`, or of its nearest ancestor."""
        marks = self.key_marks if key else self.value_marks
        probe = path
        while probe:
            if probe in marks:
                return marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns a composed node tree into plain data, collecting every problem."""

    def __init__(self, file: str, loader: _StrictLoader, lines: list[str]) -> None:
        self.file = file
        self.loader = loader
        self.lines = lines
        self.problems: list[Problem] = []
        self.value_marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}

    def problem(
        self, mark: tuple[int, int], path: Path, message: str, code: str = "yaml.refused"
    ) -> None:
        where = render_path(path)
        self.problems.append(Problem(self.file, mark[0], mark[1], where, message, code=code))

    def build(self, node: Node, path: Path) -> Any:
        self.value_marks[path] = _pos(node.start_mark)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.problem(_pos(node.start_mark), path, _tag_message(node.tag))
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[Hashable, Any]:
        if node.tag != _MAP:
            self.problem(_pos(node.start_mark), path, _tag_message(node.tag))
        result: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _pos(key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                self.problem(key_pos, path, "a key must be a plain value, not a list or mapping")
                continue
            key = self._scalar(key_node, path)
            if isinstance(key, str) and "\u3000" in key:
                self._space_in_key(key_node, path)
            elif isinstance(key, str) and (slip := key_colon_in(key)) is not None:
                self.problem(key_pos, (*path, key), slip, "yaml.ime_slip")
            if not isinstance(key, str | int):
                key = str(key_node.value)
            if key in result:
                first = self.key_marks[(*path, key)]
                self.problem(
                    key_pos,
                    (*path, key),
                    f"duplicate key '{key}' (first given at line {first[0]}): keep only one",
                )
                continue
            self.key_marks[(*path, key)] = key_pos
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            if node.style is None and not text.isascii():
                self._plain_text_slips(node, path)
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        return self._number_or_date(node, path)

    def _number_or_date(self, node: ScalarNode, path: Path) -> Any:
        tag, text = node.tag, node.value
        if tag in (_INT, _FLOAT) and (refused := _yaml11_number(text)) is not None:
            self.problem(_pos(node.start_mark), path, refused)
            return text
        if tag == _FLOAT:
            # Exact decimals: a scheme's 0.1 must mean one tenth, not a binary float.
            try:
                return Decimal(text.replace("_", ""))
            except InvalidOperation:
                return float(self.loader.construct_yaml_float(node))
        if tag in (_INT, _TIMESTAMP):
            constructor = (
                self.loader.construct_yaml_int
                if tag == _INT
                else self.loader.construct_yaml_timestamp
            )
            try:
                return constructor(node)
            except ValueError as exc:
                what = "number" if tag == _INT else "date in the calendar"
                message = f"not a {what} ({text}): {exc}"
                self.problem(_pos(node.start_mark), path, message, "yaml.syntax")
                return text
        self.problem(_pos(node.start_mark), path, _tag_message(tag))
        return text

    def _plain_text_slips(self, node: ScalarNode, path: Path) -> None:
        """Plain text that an input method's slip made text: `－5`, or `points：5` run into
        the value of the line above."""
        message = number_slip(node.value)
        if message is not None:
            self.problem(_pos(node.start_mark), path, message, "yaml.ime_slip")
            return
        start, end = node.start_mark, node.end_mark
        for number in range(start.line, min(end.line, len(self.lines) - 1) + 1):
            found = key_colon_slip(self.lines[number])
            if found is not None:
                self.problem((number + 1, found[0] + 1), path, found[1], "yaml.ime_slip")
                return

    def _space_in_key(self, node: ScalarNode, path: Path) -> None:
        line = self.lines[node.start_mark.line] if node.start_mark.line < len(self.lines) else ""
        found = space_slip(line)
        if found is not None:
            self.problem((node.start_mark.line + 1, found[0] + 1), path, found[1], "yaml.ime_slip")
        else:
            message = (
                f"the key {node.value!r} holds a full-width space '\u3000' (U+3000): remove it"
            )
            self.problem(_pos(node.start_mark), path, message, "yaml.ime_slip")


_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_BASE_60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_HEX_OR_BINARY = re.compile(r"^[-+]?0[xb]", re.IGNORECASE)


def _yaml11_number(text: str) -> str | None:
    """Why a number YAML 1.1 reads in a surprising way is refused, or None for a plain one.

    `0144` is octal (100) and `1:40` is base 60 (100) in YAML 1.1: a person typing them
    means something else, so they are refused rather than read as YAML reads them.
    """
    if _OCTAL.match(text):
        plain = text.replace("_", "").lstrip("+-").lstrip("0") or "0"
        return (
            f"{text} is an octal number in YAML 1.1 (it would be read as {int(text.replace('_', ''), 8)}): "
            f"write {plain} without the leading zero, or quote it ('{text}') if it is text"
        )
    if _BASE_60.match(text):
        return (
            f"{text} is a base-60 number in YAML 1.1, not a time or a ratio: write the "
            f"number you mean, or quote it ('{text}') if it is text"
        )
    if "_" in text:
        return (
            f"{text} holds an underscore, which YAML 1.1 reads past (as {text.replace('_', '')}): "
            f"write the number without it, or quote it ('{text}') if it is text"
        )
    if _HEX_OR_BINARY.match(text):
        return f"{text} is not a decimal number: write it in decimal, or quote it ('{text}') if it is text"
    return None


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tags such as {shown} are not allowed: write plain values"


def render_path(path: Path) -> str:
    """`('sections', 2, 'rules', 0)` → `sections[2].rules[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is allowed), or a located problem."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8"
        return None, [Problem(file, line, column, "", message, code="text.encoding")]


def _unprintable(text: str, file: str, exc: yaml.reader.ReaderError) -> Problem:
    """A control character YAML does not allow, located."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    message = f"character U+{exc.character:04X} is not allowed in a YAML file: remove it"
    return Problem(file, line, column, "", message, code="text.encoding")


def _slip_behind(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """The input-method slip that made the parser fail, as (line, column, message), if one is
    in sight: the parser reports the line after `points：5`, or a colon inside plain text."""
    problem, context = exc.problem_mark, exc.context_mark
    if problem is None:
        return None
    lines = text.splitlines()
    first = context.line if context is not None else max(problem.line - 1, 0)
    for number in range(min(first, problem.line), min(problem.line, len(lines) - 1) + 1):
        found = key_colon_slip(lines[number], in_braces=True) or space_slip(lines[number])
        if found is not None:
            return number + 1, found[0] + 1, found[1]
    if exc.problem == "mapping values are not allowed here" and problem.line < len(lines):
        colon = colon_in_plain_text(lines[problem.line], problem.column)
        if colon is not None:
            return problem.line + 1, colon[0] + 1, colon[1]
    return None


def _compose(text: str, file: str) -> tuple[Node | None, _StrictLoader | None, Problem | None]:
    """The node tree of the document, or the one problem that stopped the parser."""
    loader = None
    try:
        loader = _StrictLoader(text)
        return loader.get_single_node(), loader, None
    except _RefusedError as fault:
        line, col = _pos(fault.mark) if fault.mark else (0, 0)
        return None, None, Problem(file, line, col, "", fault.message, code=fault.code)
    except yaml.reader.ReaderError as exc:
        return None, None, _unprintable(text, file, exc)
    except yaml.MarkedYAMLError as exc:
        slip = _slip_behind(text, exc)
        if slip is not None:
            return None, None, Problem(file, slip[0], slip[1], "", slip[2], code="yaml.ime_slip")
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (0, 0)
        message = f"not valid YAML: {exc.problem or exc.context}"
        return None, None, Problem(file, line, col, "", message, code="yaml.syntax")
    except yaml.YAMLError as exc:
        return None, None, Problem(file, 0, 0, "", f"not valid YAML: {exc}", code="yaml.syntax")
    except RecursionError:
        message = f"nesting deeper than {MAX_DEPTH} levels"
        return None, None, Problem(file, 0, 0, "", message, code="yaml.syntax")
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml(
    raw: bytes, file: str, *, max_bytes: int = MAX_YAML_BYTES
) -> tuple[Located, list[Problem]]:
    """Parse `raw` strictly. Returns the data and every problem found.

    When problems are returned the data may be partial and must not be used.
    """
    if len(raw) > max_bytes:
        message = f"file is {len(raw)} bytes, more than the {max_bytes} allowed for a YAML input"
        return Located(None), [Problem(file, 0, 0, "", message, code="file.too_large")]
    text, problems = decode(raw, file)
    if text is None:
        return Located(None), problems
    node, loader, problem = _compose(text, file)
    if problem is not None:
        return Located(None), [problem]
    if node is None or loader is None:
        return Located(None), [Problem(file, 0, 0, "", "the file is empty", code="file.empty")]
    builder = _Builder(file, loader, text.splitlines())
    data = builder.build(node, ())
    return Located(data, builder.value_marks, builder.key_marks), builder.problems
