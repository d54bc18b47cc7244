"""Exclusivity groups: rules that must not count the same matter twice (不重复计分), declared once
at the top level and named by the rules concerned."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assessment._internal.model.values import Id, Model, Text

__all__ = ["ExclusiveGroup", "ExclusiveScope"]

ExclusiveScope = Literal["item", "event", "unit"]
"""What one matter is: a supervised item, one event, or the unit as a whole."""


class ExclusiveGroup(Model):
    """Rules that do not add up on one matter: "同一事项不重复计分,按最高分计".

    Rules name the group by its id (`exclusive: same_item`). On each matter the group
    chooses between the rules: the rule it chooses counts in full, every line of it (two
    criticisms of one item by the same rule both count); the others stay in the trail with
    nothing applied, saying which rule counted instead.
    """

    id: Id = Field(description="the name rules give in `exclusive:`")
    name: Text = Field(description="a short Chinese label, e.g. 同一事项不重复计分")
    scope: ExclusiveScope = Field(
        description=(
            "what one matter is: item (the supervised item a line is about; a line about no "
            "item is a matter of its own), event (one event: rules reading the same event), "
            "or unit (the unit's whole year)"
        )
    )
    choice: Literal["highest", "first", "highest_line"] = Field(
        description=(
            "which rule counts on a matter: highest (the rule whose points on it are largest "
            "in size, all its lines; on a tie the rule written first), first (the rule with "
            "the earliest line on it), or highest_line (only the single largest line counts, "
            "even among one rule's lines: format 1's `exclusive`)"
        )
    )
    clause: Text | None = Field(None, description="the clause that says so, e.g. 三(四)")
    text: Text | None = Field(None, description="the original Chinese sentence that says so")
    note: Text | None = Field(None, description="how an open question was decided, and why")
