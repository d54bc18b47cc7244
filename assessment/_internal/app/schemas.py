"""The JSON Schemas `assessment schema --of` writes: the scheme format's, and the JSON
contract's (results, explanations, problems), as shipped in schemes/."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from assessment._internal.app.catalogue import BundledList
from assessment._internal.text.problemdoc import FORMAT_VERSION, ProblemsDocument
from assessment.results import Explained, ExplainedPortfolio, Report
from assessment.scheme import scheme_json_schema

__all__ = ["DOCUMENTS", "SCHEMAS", "document_json_schema", "json_schema", "problems_json_schema"]


SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

DOCUMENTS: dict[str, tuple[type[BaseModel], str]] = {
    "results": (Report, "the results of assessment score --format json"),
    "explanation": (Explained, "a unit's explanation: assessment explain --unit U --format json"),
    "portfolio-explanation": (
        ExplainedPortfolio,
        "a portfolio's explanation: assessment explain --portfolio P --format json",
    ),
    "scheme-list": (BundledList, "the bundled schemes: assessment schemes --format json"),
}
"""The documents a caller receives, by the name `assessment schema --of` gives them."""


def document_json_schema(model: type[BaseModel], title: str) -> str:
    """The JSON Schema of a document exactly as its JSON is written (format_version
    included), as shipped in schemes/ (`assessment schema --of ...` writes it)."""
    schema: dict[str, Any] = model.model_json_schema(mode="serialization")
    schema["$schema"] = SCHEMA_DRAFT
    schema["title"] = f"assessment {title}, format {FORMAT_VERSION}"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


SCHEMAS = ("scheme", *DOCUMENTS, "problems")
"""What `--of` can name, the scheme format first (the default)."""


def problems_json_schema() -> str:
    """The problems document's JSON Schema: every key is always written."""
    schema: dict[str, Any] = ProblemsDocument.model_json_schema(mode="serialization")
    for part in (schema, *schema.get("$defs", {}).values()):
        part["required"] = list(part.get("properties", {}))
    version = schema["properties"]["format_version"]
    schema["properties"]["format_version"] = {
        "const": FORMAT_VERSION,
        "description": version.get("description"),
    }
    schema["$schema"] = SCHEMA_DRAFT
    schema["title"] = f"assessment problems of a refused input, format {FORMAT_VERSION}"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def json_schema(of: str) -> str:
    """The JSON Schema `of` names (one of `SCHEMAS`)."""
    if of == "scheme":
        return scheme_json_schema()
    if of == "problems":
        return problems_json_schema()
    model, title = DOCUMENTS[of]
    return document_json_schema(model, title)
