"""How a failed command says so on standard error: in words, as it always has, or as one
JSON problems document (`--errors json`), and nothing else.

Standard library only at import, as `cli.py` imports it before parsing; the JSON
document's model (pydantic) is imported when there is one to write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from assessment._internal.app.usage import EXIT_INVALID, EXIT_USAGE

if TYPE_CHECKING:
    from assessment.errors import InputError

__all__ = ["Failures", "wants_json"]

_OPTION = re.compile(r"^(?:argument ([^:]+): |(--[a-z-]+)[ :])")


def wants_json(argv: Sequence[str]) -> bool:
    """Whether the command line asks for `--errors json`, read before it is parsed (an
    argument it refuses is told as it asks)."""
    argv = list(argv)
    return any(
        arg == "--errors=json" or (arg == "--errors" and argv[i + 1 : i + 2] == ["json"])
        for i, arg in enumerate(argv)
    )


class Failures:
    """Writes one failure to `stderr`, in words or as JSON, and gives its exit code."""

    def __init__(self, stderr: TextIO, *, json: bool) -> None:
        self.stderr = stderr
        self.json = json

    def _document(self, kind: str, code: str, message: str, field: str = "") -> None:
        from assessment._internal.text.problemdoc import command_document  # noqa: PLC0415

        self.stderr.write(command_document(kind, code, message, field).model_dump_json(indent=2))
        self.stderr.write("\n")

    def input(self, error: InputError) -> int:
        if self.json:
            from assessment._internal.text.problemdoc import problems_document  # noqa: PLC0415

            self.stderr.write(problems_document(error).model_dump_json(indent=2) + "\n")
        else:
            self.stderr.write(f"{error}\n")
        return EXIT_INVALID

    def output(self, message: str) -> int:
        if self.json:
            self._document("output", "output.unwritable", message)
        else:
            self.stderr.write(f"assessment: {message}\n")
        return EXIT_INVALID

    def usage(self, message: str, usage: str, prog: str = "assessment") -> int:
        """A usage error: `usage` is the usage text of the parser that refused it."""
        if self.json:
            found = _OPTION.match(message)
            field = (found[1] or found[2]) if found else ""
            self._document("usage", "usage.argument", message, field)
        else:
            self.stderr.write(usage)
            self.stderr.write(f"{prog}: error: {message}\n")
        return EXIT_USAGE
