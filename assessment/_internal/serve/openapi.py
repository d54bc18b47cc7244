"""What the OpenAPI document says of the endpoints that read their body themselves (for its
three forms, and to refuse it with the library's problems): the bodies they take and the
answers they give."""

from __future__ import annotations

from typing import Any

from assessment._internal.serve.models import Fields, RegisteredEntry, Validated
from assessment._internal.text.problemdoc import ProblemsDocument
from assessment.results import Explained, Report

__all__ = ["bodies", "responses"]

_BINARY = {"type": "string", "format": "binary"}
_JSON_LINES = (
    "JSON Lines: a first line, the request's fields as in the JSON body but without"
    " `events`; then the events, one JSON object a line, as a ledger export holds them"
)
_FORM = {
    "type": "object",
    "properties": {
        "scheme": {**_BINARY, "description": "the scheme file (or its text)"},
        "roster": {**_BINARY, "description": "the roster file: .csv, .yaml or .yml"},
        "events": {
            "type": "array",
            "items": _BINARY,
            "description": "event files: .jsonl, .ndjson, .json or .csv; together one stream",
        },
        **{
            name: {"type": "string", "description": Fields.model_fields[name].description}
            for name in ("scheme_digest", "scheme_name", "roster_format", "as_of", "unit")
        },
    },
}

_REFUSALS = {
    400: "a malformed request: bad JSON, a missing part, a wrong Content-Type, a bad as_of",
    404: "no such registered digest, bundled name or unit",
    405: "a method the path does not take (see the paths' methods here)",
    413: "a body over --max-body-bytes",
    422: "an input the library refuses: every problem, as assessment ... --errors json",
    408: "the body stopped coming for --timeout seconds",
    503: "every worker is busy: try again after Retry-After seconds",
    504: "the work took longer than --timeout",
}


def bodies(endpoint: str) -> dict[str, Any]:
    """The `requestBody` of `endpoint` (register, validate, score or explain)."""
    if endpoint == "register":
        content: dict[str, Any] = {"application/yaml": {"schema": {"type": "string"}}}
    else:
        content = {
            "application/json": {"schema": Fields.model_json_schema()},
            "application/x-ndjson": {"schema": {"type": "string", "description": _JSON_LINES}},
            "multipart/form-data": {"schema": _FORM},
        }
    return {"requestBody": {"required": True, "content": content}}


def responses(endpoint: str) -> dict[int | str, dict[str, Any]]:
    """The answers of `endpoint`: its result, and the problems document of each refusal."""
    answers: dict[int | str, dict[str, Any]] = {
        status: {"model": ProblemsDocument, "description": words}
        for status, words in _REFUSALS.items()
    }
    result: dict[str, Any] = {
        "register": {"model": RegisteredEntry, "description": "already registered: its digest"},
        "validate": {"model": Validated, "description": "valid"},
        "score": {"model": Report, "description": "the results (score --format json)"},
        "explain": {"model": Explained, "description": "the unit (explain --format json)"},
    }[endpoint]
    answers[200] = result
    if endpoint == "register":
        answers[201] = {"model": RegisteredEntry, "description": "registered: its digest"}
        answers[507] = {"model": ProblemsDocument, "description": "--max-schemes are registered"}
    return answers
