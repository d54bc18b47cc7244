"""The stable problem codes: every kind of problem an input can have, its meaning and what to do.

Each `Problem` the package makes carries one of these codes (`Problem.code`), and
`--errors json` and the service give it to callers with its hint. docs/problems.md
lists the same table (a test keeps the two equal). A code is never renamed or reused
within a major `format_version`; a minor one may add codes.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CODES", "DEFAULT_CODE", "Code", "field_code", "hint_of"]


class Code(NamedTuple):
    """What a code means, and what to do about a problem of its kind."""

    meaning: str
    hint: str


DEFAULT_CODE = "input.invalid"
"""The code of a `Problem` made without one (outside the package)."""

_CHECK_PATH = "check the path, that the file exists and that this user can read it"
_FIX_LINE = "fix the value at the line and field shown"

CODES: dict[str, Code] = {
    # files and their text
    "file.unreadable": Code("the input cannot be opened or read", _CHECK_PATH),
    "file.too_large": Code(
        "the input is over a limit: its size, its lines or its records",
        "check that this is the right file; split a large event stream into several files",
    ),
    "file.unknown_format": Code(
        "the file's name ends in a suffix that says no format this input can have",
        "name the file for its format (.jsonl, .ndjson, .json or .csv for events; .csv, .yaml"
        " or .yml for a roster), or say the format of standard input with --events-format or"
        " --roster-format",
    ),
    "file.device": Code(
        "the input is a device or a terminal, not a file",
        "give the path of the export, or pipe it into standard input",
    ),
    "file.empty": Code(
        "the input holds nothing to read: no events, no units, no YAML document",
        "check that this is the right file",
    ),
    "text.encoding": Code(
        "bytes that are not text: not UTF-8, a lone surrogate, a control character",
        "save the file as UTF-8 (in Excel: CSV UTF-8) and remove control characters",
    ),
    "text.line_too_long": Code(
        "a line is longer than the line limit",
        "export one event or record per line; check that this is the right file",
    ),
    "yaml.syntax": Code(
        "the file is not valid YAML (or nests too deeply)",
        "fix the YAML at the line and column shown",
    ),
    "yaml.ime_slip": Code(
        "full-width punctuation or spaces, as Chinese input methods type them, where YAML"
        " needs ASCII",
        "retype the character shown in half-width (English) input mode",
    ),
    "yaml.refused": Code(
        "YAML the strict reader refuses: anchors, aliases, tags, keys given twice, keys that"
        " are not plain values",
        "write each value out in full, each key once, as plain text",
    ),
    "events.bad_json": Code(
        "a line of a JSON Lines stream is not one JSON object (a syntax error, a key given"
        " twice, NaN)",
        "export one JSON object per line, each key once",
    ),
    "csv.syntax": Code(
        "a CSV line cannot be read: a quote never closed, more or fewer cells than the header",
        "fix the line shown; a cell cannot hold a line break",
    ),
    "csv.header": Code(
        "the CSV header has an unknown, unnamed, repeated or missing column",
        "fix the header row: the message lists the columns there are",
    ),
    # the scheme
    "scheme.missing": Code("a required key of the scheme is missing", "add the key shown"),
    "scheme.unknown_key": Code(
        "a key the scheme format does not have (often a misspelling)",
        "correct or remove the key; the message says the closest one",
    ),
    "scheme.wrong_type": Code(
        "a value of the wrong type: text for a number, a list for a mapping, ...",
        _FIX_LINE,
    ),
    "scheme.invalid_value": Code(
        "a value of the right type that the format does not allow", _FIX_LINE
    ),
    "scheme.reference": Code(
        "a name of something the scheme does not define (a category, a rule, a group, ...)",
        "define it, or correct the name: the message says the closest one",
    ),
    "scheme.duplicate_id": Code("an id given to two entries", "give each entry its own id"),
    "scheme.sums": Code(
        "points that do not add up: sections against the base, sub-sections, categories",
        "make the points add up as the message says",
    ),
    "scheme.meaning": Code(
        "a rule that can never fire, or whose sign says the opposite of its meaning",
        "correct the rule, or say `sign: any` with a note if the sign is meant",
    ),
    "scheme.inconsistent": Code(
        "parts of the scheme that cannot hold together (groups, exclusivity, outcomes, eligibility,"
        " roll-ups, ...)",
        "change the parts the message names so that they agree",
    ),
    # event streams
    "events.missing": Code(
        "a required field of an event is missing", "add the field to the export"
    ),
    "events.unknown_key": Code(
        "a field the event's type does not have",
        "correct or remove the field; the message says the closest one",
    ),
    "events.wrong_type": Code(
        "a value of the wrong type: text for a number, a list for text, a line that is no object",
        "fix the value in the export",
    ),
    "events.invalid_value": Code(
        "a value of the right type that the event contract does not allow",
        "fix the value in the export",
    ),
    "events.unknown_type": Code(
        "an event's type is missing or is no type the scheme knows",
        "give one of the types the message lists",
    ),
    "events.duplicate_id": Code(
        "an event id used by a different event",
        "give each event its own id (an identical re-delivery is no problem)",
    ),
    "events.unknown_reference": Code(
        "an event names a unit, category or adjustment rule that the roster or the scheme"
        " does not have",
        "correct the name, or add the unit to the roster",
    ),
    "events.lifecycle": Code(
        "an item's events out of order or out of place: never assigned, closed twice, another"
        " unit's item",
        "check the item's events in the ledger: assignment first, one closure",
    ),
    "events.date": Code(
        "an event dated outside the days the scheme's ledger takes",
        "check that the ledger and the scheme are of the same year",
    ),
    "events.period": Code(
        "a report names a period the scheme does not have, or one not yet begun",
        "name one of the scheme's periods, written as the message shows",
    ),
    "events.band": Code(
        "a value a rule reads is missing, outside its band or off its step",
        "give a value within the band the message names",
    ),
    # the roster
    "roster.missing": Code("a required field of a unit is missing", "add the field"),
    "roster.unknown_key": Code(
        "a field units do not have", "correct or remove it; the message says the closest one"
    ),
    "roster.wrong_type": Code(
        "a value of the wrong type, or an entry that is no mapping", "fix the unit's entry"
    ),
    "roster.invalid_value": Code("a value units do not allow", "fix the unit's entry"),
    "roster.duplicate_id": Code("a unit id given twice", "give each unit its own id"),
    "roster.unknown_kind": Code(
        "a unit of a kind the scheme does not assess", "give one of the scheme's unit kinds"
    ),
    "roster.rollup": Code(
        "a unit's portfolio or persons do not fit the scheme's roll-ups",
        "give each unit the portfolio and persons the scheme's roll-ups ask for",
    ),
    # the command itself
    "usage.argument": Code(
        "the command was used wrongly: an unknown option, a missing or refused argument",
        "see assessment COMMAND --help",
    ),
    "output.unwritable": Code(
        "the results cannot be written where asked",
        "check that the output's folder exists and can be written; nothing was written",
    ),
    # requests to the service (docs/service.md)
    "request.malformed": Code(
        "a request the service cannot read: bad JSON, a missing or repeated part, a wrong"
        " Content-Type or method, a bad as_of",
        "send the request as docs/service.md shows; the message says what is wrong",
    ),
    "request.not_found": Code(
        "a request names what the service does not have: a path, a registered digest, a"
        " bundled scheme, a unit",
        "correct the name (GET /v1/schemes lists the schemes), or register the scheme first",
    ),
    "request.too_large": Code(
        "a request body over the service's size limit (--max-body-bytes)",
        "send smaller requests (split the events into several), or raise the limit",
    ),
    "request.busy": Code(
        "every worker of the service is busy (some perhaps with work past its time limit)",
        "try again shortly",
    ),
    "request.timeout": Code(
        "a request whose work took longer than the service's time limit (--timeout), or"
        " whose body stopped coming for as long",
        "send smaller requests (fewer events) and send each body without pausing, or raise"
        " the limit",
    ),
    "request.registry_full": Code(
        "as many schemes are registered as the service keeps (--max-schemes)",
        "send the scheme's text with each request instead, or restart the service with a"
        " larger --max-schemes",
    ),
    "internal.bug": Code(
        "the program found itself wrong (a migration that changed a scheme's meaning)",
        "report it, with the input, to the maintainers",
    ),
    DEFAULT_CODE: Code(
        "a problem with no more specific code (one made outside the package)",
        "read the message",
    ),
}
"""Every code, in the order docs/problems.md lists them."""


def hint_of(code: str) -> str:
    """What to do about a problem of `code` ('' for a code not in the registry)."""
    known = CODES.get(code)
    return known.hint if known is not None else ""


_TYPE_ERRORS = ("_type", "_parsing", "int_from_float")


def field_code(domain: str, error_type: str) -> str:
    """The code of one pydantic error in a record of `domain` (scheme, events, roster)."""
    if error_type in ("missing", "union_tag_not_found"):
        return f"{domain}.missing"
    if error_type == "extra_forbidden":
        return f"{domain}.unknown_key"
    if error_type.endswith(_TYPE_ERRORS):
        return f"{domain}.wrong_type"
    return f"{domain}.invalid_value"
