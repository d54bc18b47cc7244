"""What a scheme defines once and names from several rules: points and factor tables
(`tables:`) and selections of events (`selections:`, a `where:` with a name).

A rule names one by its id where it would write it (`table: role_share`, `where:
city_key_tasks`, or `where: [city_key_tasks, {kind: criticism}]`); the name is replaced by
what it names before the rule is validated, so the rule is checked, scored and explained
exactly as if it were written out in it. A name that names nothing is refused at the rule,
with the closest name there is.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from pydantic import Field

from assessment._internal.model.lookups import Condition
from assessment._internal.model.names import Unresolved
from assessment._internal.model.upgrade import mappings, rules
from assessment._internal.model.values import Id, Model, Points, TableKey, Text, WhereKey
from assessment._internal.text.suggest import did_you_mean

__all__ = ["Selection", "SharedTable", "inlined"]


class SharedTable(Model):
    """A table of values by key, defined once and named by rules (`table: <id>`): the points
    of a `points: {by: …}` or the factors of a `multiply` entry."""

    id: Id
    name: Text | None = Field(None, description="what the table is, in Chinese")
    table: dict[TableKey, Points] = Field(min_length=1, description="the value for each key")
    note: Text | None = None


class Selection(Model):
    """A `where:` defined once and named by rules (`where: <id>`, or in a list of names and
    conditions that must all hold)."""

    id: Id
    name: Text | None = Field(None, description="what the selection picks, in Chinese")
    where: dict[WhereKey, Condition] = Field(min_length=1, description="conditions, all to hold")
    note: Text | None = None


def _defined(data: dict[str, Any], key: str, part: str) -> dict[str, Any]:
    return {
        entry["id"]: entry[part]
        for _, entry in mappings(data, key, "*")
        if isinstance(entry.get("id"), str) and part in entry
    }


def _name(name: str, known: dict[str, Any], what: str) -> Any:
    if name in known:
        return copy.deepcopy(known[name])
    hint = did_you_mean(name, known) or (
        f"; the scheme's {what}: {', '.join(sorted(known))}"
        if known
        else f"; define it under `{what}:`"
    )
    return Unresolved(name, f"unknown {what[:-1]} '{name}'{hint}")


def _where(value: Any, known: dict[str, Any]) -> Any:
    """A where written as a name, or a list of names and conditions, as one mapping."""
    if isinstance(value, str):
        return _name(value, known, "selections")
    if not isinstance(value, list):
        return value
    merged: dict[Any, Any] = {}
    for part in value:
        found = _name(part, known, "selections") if isinstance(part, str) else part
        if not isinstance(found, dict):
            return found if isinstance(found, Unresolved) else value  # validation words it
        for key, condition in found.items():
            if key in merged:
                message = f"'{key}' is tested twice in this where: write one condition for it"
                return Unresolved(str(key), message)
            merged[key] = condition
    return merged


def _tables_of(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The mappings of a raw rule that hold a `table` (points by field, multipliers)."""
    holders = [rule["points"]] if isinstance(rule.get("points"), dict) else []
    if isinstance(rule.get("item_weight"), dict):
        holders.append(rule["item_weight"])
    multiply = rule.get("multiply")
    holders += [m for m in multiply if isinstance(m, dict)] if isinstance(multiply, list) else []
    return holders


def _factors(holder: dict[str, Any], table: Any) -> Any:
    """A shared table named by a multiplier gives factors: each must be 0 or more."""
    if "of" not in holder or not isinstance(table, dict):
        return table  # points by field: any sign, as its rule means
    for key, value in table.items():
        if not isinstance(value, bool) and isinstance(value, int | Decimal) and value < 0:
            message = (
                f"table '{holder['table']}' gives {key} {value}, and a multiplier's factors are "
                "0 or more: give this rule a table of factors, or write its own"
            )
            return Unresolved(holder["table"], message)
    return table


def inlined(data: object) -> object:
    """`data` with every table and where a rule names replaced by what it names (a copy);
    anything else as it is."""
    if not isinstance(data, dict) or not ("tables" in data or "selections" in data):
        return data
    data = copy.deepcopy(data)
    tables, selections = _defined(data, "tables", "table"), _defined(data, "selections", "where")
    for _, rule in rules(data):
        if "where" in rule:
            rule["where"] = _where(rule["where"], selections)
        for holder in _tables_of(rule):
            if isinstance(holder.get("table"), str):
                holder["table"] = _factors(holder, _name(holder["table"], tables, "tables"))
    return data
