"""The scheme format: one YAML file per year, validated into these frozen models.

A scheme (考核方案) says who is assessed, what they start with, and how each
kind of event moves their score. It is data: the engine interprets whatever
the file says and knows nothing of any particular year. The format is
documented for scheme authors in `docs/scheme-format.md`.

The parts are defined in `assessment/_internal/model/` (values, lookups, rules,
frame, outcomes) and are public here, under this module's name.
"""

from __future__ import annotations

import json
import sys
from typing import Literal

from pydantic import Field, model_validator

from assessment._internal.model.eventspecs import BuiltinExtension, EventTypeSpec, FieldSpec
from assessment._internal.model.exclusive import ExclusiveGroup
from assessment._internal.model.frame import Category, Group, Period, Rounding, Source, UnitKind
from assessment._internal.model.lookups import (
    Condition,
    Multiplier,
    PointsByField,
    PointsFromField,
)
from assessment._internal.model.outcomes import (
    Conversion,
    Expectation,
    Flag,
    FlagTrigger,
    Grade,
    ItemCondition,
    RangeExpectation,
    RemovalExpectation,
    Total,
)
from assessment._internal.model.rollups import PersonRole, Persons, Portfolio, Portfolios
from assessment._internal.model.rules import (
    AdjustmentRule,
    AllItemsRule,
    CompletionRule,
    Deadline,
    FindingRule,
    OverdueRule,
    PerEventRule,
    PeriodicRule,
    PerItemRule,
    RateRule,
    Rule,
    ThresholdRule,
)
from assessment._internal.model.sections import Placed, Section, placed_sections
from assessment._internal.model.shared import Selection, SharedTable, inlined
from assessment._internal.model.upgrade import upgraded
from assessment._internal.model.values import Id, Model, NonNegativePoints, Text

__all__ = [
    "AdjustmentRule",
    "AllItemsRule",
    "BuiltinExtension",
    "Category",
    "CompletionRule",
    "Condition",
    "Conversion",
    "Deadline",
    "EventTypeSpec",
    "ExclusiveGroup",
    "Expectation",
    "FieldSpec",
    "FindingRule",
    "Flag",
    "FlagTrigger",
    "Grade",
    "Group",
    "ItemCondition",
    "Multiplier",
    "OverdueRule",
    "PerEventRule",
    "PerItemRule",
    "Period",
    "PeriodicRule",
    "PersonRole",
    "Persons",
    "PointsByField",
    "PointsFromField",
    "Portfolio",
    "Portfolios",
    "RangeExpectation",
    "RateRule",
    "RemovalExpectation",
    "Rounding",
    "Rule",
    "Scheme",
    "Section",
    "Selection",
    "SharedTable",
    "Source",
    "ThresholdRule",
    "Total",
    "UnitKind",
    "scheme_json_schema",
]


class Scheme(Model):
    """A whole assessment scheme (考核方案)."""

    format: Literal[1, 2] = Field(
        description=(
            "version of this file format: 2; a file of format 1 is read as format 2 with what "
            "format 1 meant (`assessment migrate` rewrites it)"
        )
    )
    id: Id
    title: Text
    version: Text
    source: Source
    period: Period
    base: NonNegativePoints = Field(
        description=(
            "the base score (初始分); the top-level sections that start full add up to it, for "
            "each ranking group (0 for a scheme of deductions only)"
        )
    )
    rounding: Rounding = Field(default_factory=Rounding)
    unit_kinds: tuple[UnitKind, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = ()
    event_types: tuple[EventTypeSpec, ...] = Field(
        (), description="event types this scheme adds to the built-in ones"
    )
    extends: tuple[BuiltinExtension, ...] = Field(
        (),
        description=(
            "values this scheme adds to enum fields of built-in event types (a `province` "
            "level of commendation), without redefining the type"
        ),
    )
    tables: tuple[SharedTable, ...] = Field(
        (), description="points and factor tables defined once, named by rules (`table: <id>`)"
    )
    selections: tuple[Selection, ...] = Field(
        (), description="`where:` conditions defined once, named by rules (`where: <id>`)"
    )
    sections: tuple[Section, ...] = Field(min_length=1)
    conversion: Conversion | None = None
    total: Total = Field(default_factory=Total)
    grades: tuple[Grade, ...] = ()
    flags: tuple[Flag, ...] = ()
    portfolios: Portfolios | None = Field(
        None, description="a ranking of portfolios (条线) from their units' scores"
    )
    persons: Persons | None = Field(
        None, description="persons assessed by their unit's result (单位负责人与单位考核结果挂钩)"
    )
    exclusive_groups: tuple[ExclusiveGroup, ...] = Field(
        (),
        description=(
            "groups of rules that do not count the same matter twice (不重复计分), named by "
            "rules in `exclusive:`"
        ),
    )
    expectations: tuple[Expectation, ...] = Field(
        (), description="promises the scheme makes about its scores, checked by `assessment check`"
    )
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _format_1_as_2(cls, data: object) -> object:
        return upgraded(data)

    @model_validator(mode="before")
    @classmethod
    def _shared_inlined(cls, data: object) -> object:
        # A table or where a rule names is read as if written in the rule.
        return inlined(data)

    def rules(self) -> list[tuple[Section, Rule]]:
        """Every rule with the section it belongs to, in file order, at any depth."""
        return [(p.section, rule) for p in self.placed() for rule in p.section.rules if rule]

    def placed(self) -> list[Placed]:
        """Every section at any depth, each before its sub-sections, with its place."""
        return placed_sections(self.sections)


def scheme_json_schema() -> str:
    """The JSON Schema of the scheme format, for YAML editors (yaml-language-server)."""
    schema = Scheme.model_json_schema(by_alias=True)
    # Draft-07 is what YAML editors (yaml-language-server) read; the schema uses nothing newer.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "assessment scheme (考核方案), format 1"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# Every public class names this module, so that repr, tracebacks and pickles name the
# public home (as httpx does). Set once they are built: pydantic resolves a class's
# annotations in the module it names.
for _name in __all__:
    _public = globals()[_name]
    if isinstance(_public, type):
        _public.__module__ = __name__
del _name, _public


# Hypothesis' entry point registers `st.from_type(Scheme)` only if this module is
# already loaded; when Hypothesis came first, register here (without importing it).
if "hypothesis" in sys.modules:
    from assessment._hypothesis_plugin import register

    register(Scheme)
