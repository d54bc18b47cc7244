"""The wording of events' and roster units' fields: what their records add to pydantic's errors.

The translation itself is `text/pydantic_errors.py`; this says what a value of
a period pattern looks like, and how a value typed full-width is pointed out.
"""

from __future__ import annotations

from pydantic import ValidationError

from assessment._internal.load.eventtypes import EventTypes
from assessment._internal.load.periods import KEY_PATTERNS, written
from assessment._internal.text.pydantic_errors import FieldWords, Origin, tagged_record_problems
from assessment.errors import Problem
from assessment.events import full_width_hint

__all__ = ["RECORD_WORDS", "event_problems"]

RECORD_WORDS = FieldWords(
    full_width_hint,
    {pattern: f"a {every} written {written(every)}" for every, pattern in KEY_PATTERNS.items()},
)
"""How the fields of events and roster units are worded."""


def event_problems(exc: ValidationError, origin: Origin, types: EventTypes) -> list[Problem]:
    """One problem per error of an event record, at `origin`."""
    fields_of = {tag: list(model.model_fields) for tag, model in types.models.items()}
    return tagged_record_problems(exc, origin, fields_of, types.fields(), RECORD_WORDS)
