"""`assessment schemes`: the schemes this package carries, as a table or as JSON.

Each is loaded (and so validated) to show what it is: its id, title, version and
period, and the digest its results carry (`scheme_digest`), by which a caller can
tell which scheme scored a results document.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assessment._internal.load.bundled import BundledScheme, bundled_schemes
from assessment._internal.load.scheme import load_scheme, parse_scheme
from assessment._internal.rules.plan import scheme_digest
from assessment._internal.text.problemdoc import FORMAT_VERSION
from assessment.scheme import Scheme

__all__ = ["BundledEntry", "BundledList", "bundled_list", "render_bundled"]


class BundledEntry(BaseModel):
    """One bundled scheme, as `assessment schemes --format json` lists it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="what to write for the scheme: assessment score NAME …")
    example: bool = Field(description="a worked example of the format, not a published scheme")
    id: str
    title: str
    version: str
    period_start: str
    period_end: str
    scheme_digest: str = Field(description="as the results of this scheme carry it")
    ledger: bool = Field(description="whether an example ledger comes with it (assessment init)")


class BundledList(BaseModel):
    """Every bundled scheme."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    format_version: str = Field(
        FORMAT_VERSION,
        description="the version of the JSON contract (docs/api.md)",
        json_schema_extra={"const": FORMAT_VERSION},
    )
    schemes: tuple[BundledEntry, ...]


def _load(bundled: BundledScheme) -> Scheme:
    if isinstance(bundled.file, Path):
        return load_scheme(bundled.file)
    return parse_scheme(bundled.file.read_bytes(), bundled.name)


def bundled_list() -> BundledList:
    """Every bundled scheme, each loaded: the published ones first."""
    entries = []
    for bundled in bundled_schemes():
        scheme = _load(bundled)
        entries.append(
            BundledEntry(
                name=bundled.name,
                example=bundled.example,
                id=scheme.id,
                title=scheme.title,
                version=scheme.version,
                period_start=scheme.period.start.isoformat(),
                period_end=scheme.period.end.isoformat(),
                scheme_digest=scheme_digest(scheme),
                ledger=bundled.ledger is not None,
            )
        )
    return BundledList(schemes=tuple(entries))


def render_bundled(listed: BundledList, form: str) -> str:
    """The list as a table (a row a scheme) or as JSON."""
    if form == "json":
        return json.dumps(listed.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    rows = [("name", "kind", "version", "period", "ledger", "title")]
    for entry in listed.schemes:
        kind = "example" if entry.example else "scheme"
        period = f"{entry.period_start}..{entry.period_end}"
        ledger = "yes" if entry.ledger else "-"
        rows.append((entry.name, kind, entry.version, period, ledger, entry.title))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[5]])
        for row in rows
    ]
    footer = [
        "Name one instead of a path: assessment score NAME --roster … --events …",
        "Write one and its ledger to a new folder: assessment init DIR --from NAME",
        "Which scheme scored a results document: its scheme_digest (schemes --format json)",
    ]
    return "\n".join([*lines, "", *footer]) + "\n"
