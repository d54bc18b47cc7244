"""The problems contract: every problem of a refused input, as JSON for callers.

The command line's `--errors json` and the HTTP service both answer with a
`ProblemsDocument`, so a caller reads one shape wherever it meets an error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assessment._internal.text.codes import hint_of
from assessment.errors import InputError, Problem

__all__ = [
    "FORMAT_VERSION",
    "ProblemEntry",
    "ProblemsDocument",
    "command_document",
    "problems_document",
]

FORMAT_VERSION = "1.0"
"""The version of the JSON contract (results and problems): see docs/api.md."""


class ProblemEntry(BaseModel):
    """One located problem."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="what kind of problem, from the stable list in docs/problems.md")
    file: str = Field(description="the input it is in, as the caller named it")
    line: int = Field(description="1-based line, or 0 for the whole input")
    column: int = Field(description="1-based column, or 0 when not known")
    field: str = Field(description="where in the document, as sections[2].rules[0].points")
    message: str = Field(description="what is wrong, in English")
    hint: str = Field(description="what to do about it")


class ProblemsDocument(BaseModel):
    """Every problem found in a refused input, at once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format_version: str = Field(FORMAT_VERSION, description="the contract's version")
    error: Literal["scheme", "roster", "events", "input", "usage", "output", "request"] = Field(
        description="which input was refused (usage: the command or request itself; output:"
        " the results could not be written)"
    )
    problems: tuple[ProblemEntry, ...]
    more: int = Field(0, description="problems found but not listed")


def _entry(problem: Problem) -> ProblemEntry:
    """One problem with its code and what to do: its own hint, else its code's."""
    return ProblemEntry(
        code=problem.code,
        file=problem.file,
        line=problem.line,
        column=problem.column,
        field=problem.path,
        message=problem.message,
        hint=problem.hint or hint_of(problem.code),
    )


def problems_document(error: InputError) -> ProblemsDocument:
    """The JSON contract's view of `error`."""
    kind = error.kind if error.kind in {"scheme", "roster", "events"} else "input"
    return ProblemsDocument(
        error=kind,
        problems=tuple(_entry(p) for p in error.problems),
        more=error.more,
    )


def command_document(kind: str, code: str, message: str, field: str = "") -> ProblemsDocument:
    """The document of a command refused as a whole (`usage`) or whose results cannot be
    written (`output`): one problem, of no input file (`file` is empty)."""
    entry = ProblemEntry(
        code=code, file="", line=0, column=0, field=field, message=message, hint=hint_of(code)
    )
    return ProblemsDocument.model_validate({"error": kind, "problems": (entry,)})
