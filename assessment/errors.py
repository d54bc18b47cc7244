"""The errors `assessment` raises.

Every error the library raises on purpose derives from `AssessmentError`::

    AssessmentError
    ├── InputError              bad input; carries every problem found, located
    │   ├── SchemeError         a scheme file breaks the scheme format
    │   ├── RosterError         a roster breaks the roster contract
    │   └── EventsError         an event stream breaks the event contract
    ├── UnknownIdError          (also a KeyError) no unit or section has the id asked for
    └── ArgumentError           (also a ValueError) an argument's value is refused: a day
                                outside the scheme's period, a number of processes

Beyond these, a public function raises only `TypeError`, for an argument of the
wrong type, and `RuntimeError`, for a `Scorer` given events after `seal()` or a log
to `adopt` once it holds events (all three programming errors). The pydantic models (`Scheme`, `Roster`,
`Report`, ...) built or validated directly raise pydantic's `ValidationError`,
as pydantic documents; read files with `load_scheme`, `read_roster` and
`read_events` to get located problems instead.

An `InputError` is raised only after the whole input has been read, so its
`problems` list every fault at once, sorted by file and position (at most
`MAX_LISTED` of them: `more` counts the others, which a file of garbage can
hold by the million). Nothing is scored and nothing is written when one is
raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assessment._internal.text.codes import DEFAULT_CODE

__all__ = [
    "MAX_LISTED",
    "ArgumentError",
    "AssessmentError",
    "EventsError",
    "InputError",
    "Problem",
    "RosterError",
    "SchemeError",
    "UnknownIdError",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One located fault in an input file.

    `line` and `column` are 1-based; 0 means "the whole file". `path` is where
    in the document the fault lies, as `sections[2].rules[0].points` for a
    scheme or the field name for a line of an event stream.

    `code` says what kind of problem it is, from the stable list of
    docs/problems.md (`scheme.unknown_key`, `events.duplicate_id`, ...), and `hint`
    what to do about this one, where it says more than the code's own hint
    (empty: the code's hint is all; `--errors json` gives that one). Neither is
    shown by `str()` nor compared: two problems are the same if they say the
    same thing at the same place.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    code: str = field(default=DEFAULT_CODE, kw_only=True, compare=False)
    hint: str = field(default="", kw_only=True, compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        if self.path:
            where += f" {self.path}"
        return f"{where}: {self.message}"


class AssessmentError(Exception):
    """Base class of every error raised by `assessment`."""


class UnknownIdError(AssessmentError, KeyError):
    """No unit (or section) has the id asked for; `args[0]` is the id.

    A `KeyError` too, as a lookup's miss is in Python: `except KeyError` still catches it.
    """


class ArgumentError(AssessmentError, ValueError):
    """An argument's value is refused (a day outside the period, a number of processes).

    A `ValueError` too, as it was before it had its own type.
    """


MAX_LISTED = 1000
"""The most problems an `InputError` lists; the rest are counted in its `more`."""


class InputError(AssessmentError):
    """An input file (or in-memory input) is invalid; `problems` says where and why.

    `more` is how many further problems were found but not listed.
    """

    kind = "input"

    def __init__(self, problems: Iterable[Problem], *, more: int = 0) -> None:
        every = sorted(set(problems))
        self.problems: tuple[Problem, ...] = tuple(every[:MAX_LISTED])
        self.more: int = len(every) - len(self.problems) + more
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems) + self.more
        noun = "problem" if count == 1 else "problems"
        lines = [f"invalid {self.kind}: {count} {noun}"]
        lines.extend(str(p) for p in self.problems)
        if self.more:
            lines.append(
                f"... and {self.more} more, not listed (at most {MAX_LISTED} are): fix these "
                "first, then check again"
            )
        return "\n".join(lines)


class SchemeError(InputError):
    """A scheme file is not a valid scheme."""

    kind = "scheme"


class RosterError(InputError):
    """A roster is not valid for the scheme."""

    kind = "roster"


class EventsError(InputError):
    """An event stream breaks the event contract."""

    kind = "events"
