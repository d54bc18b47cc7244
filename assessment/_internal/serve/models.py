"""The service's own request and response models (the results themselves are the JSON
contract's documents, written as the command line writes them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

__all__ = ["BundledEntry", "Fields", "RegisteredEntry", "SchemeList", "Validated"]


class Fields(BaseModel):
    """What a request names: its scheme (exactly one of `scheme`, `scheme_digest`,
    `scheme_name`), roster, events, day and unit. A JSON body is this object; the first
    line of a JSON Lines body is it without `events`; a multipart form has these parts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: str | None = Field(None, description="the scheme file's text (YAML)")
    scheme_digest: str | None = Field(
        None, description="the digest of a registered scheme (POST /v1/schemes)"
    )
    scheme_name: str | None = Field(
        None, description="the name of a bundled scheme, as GET /v1/schemes lists them"
    )
    roster: str | None = Field(None, description="the roster's text: CSV or YAML")
    roster_format: Literal["csv", "yaml"] = Field("csv", description="the roster's format")
    events: list[JsonValue] | None = Field(
        None, description="the events, each an object as a line of a JSON Lines export"
    )
    as_of: str | None = Field(
        None, description="score as of this day, YYYY-MM-DD (default: the period's last day)"
    )
    unit: str | None = Field(None, description="the unit to explain (POST /v1/explain)")


class Validated(BaseModel):
    """A scheme (and roster and events) found valid."""

    valid: Literal[True] = True
    scheme_id: str
    rules: int = Field(description="how many rules the scheme has")
    checked: list[str] = Field(description="the inputs checked, as the request named them")


class BundledEntry(BaseModel):
    name: str = Field(description="give it as scheme_name")
    example: bool = Field(description="a worked example, not a published scheme")


class RegisteredEntry(BaseModel):
    digest: str = Field(description="the sha256 of the scheme's bytes; give it as scheme_digest")
    scheme_id: str
    title: str
    version: str
    rules: int


class SchemeList(BaseModel):
    bundled: list[BundledEntry]
    registered: list[RegisteredEntry]
