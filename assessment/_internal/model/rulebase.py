"""What every rule has (its id, labels, sentence, evidence, groups, sign and the keys that do
not apply to its kind), and the reasons a kind gives for refusing a modifier."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    model_validator,
)

from assessment._internal.model.values import (
    Id,
    Model,
    Text,
)

__all__ = [
    "COUNTING",
    "DAYS",
    "FIRES_ONCE",
    "MANUAL",
    "PERIODS",
    "RATE",
    "SHARES",
    "Evidence",
    "RuleBase",
]


_EVIDENCE_LENGTH = 200


def _phrase(value: str) -> str:
    if len(value) > _EVIDENCE_LENGTH:
        raise ValueError(
            f"`evidence` names whose records decide, in a phrase of at most {_EVIDENCE_LENGTH} "
            f"characters (以区委督查室通报为准; got {len(value)}): put the reasons in `note`"
        )
    return value


Evidence = Annotated[
    str,
    StringConstraints(min_length=1),
    AfterValidator(_phrase),
    Field(json_schema_extra={"maxLength": _EVIDENCE_LENGTH}),
]
"""Whose records decide a rule (依据来源): a phrase, not a paragraph (reasons go in `note`)."""


class RuleBase(Model):
    """What every rule has: its id, its labels, the groups it applies to, its sign."""

    id: Id = Field(description="unique across the scheme")
    name: Text = Field(description="a short Chinese label shown in reports")
    clause: Text = Field(description="the clause of the scheme it implements, e.g. 三(二)2")
    text: Text = Field(description="the original Chinese sentence it implements")
    note: Text | None = Field(None, description="how an open question was decided, and why")
    evidence: Evidence | None = Field(
        None,
        description=(
            "whose records decide (依据来源), as the scheme says it: e.g. 以区委督查室通报为准; "
            "shown with the rule's sentence in explanations"
        ),
    )
    groups: tuple[Id, ...] | None = Field(
        None, description="apply only to units of these ranking groups (default: all)"
    )
    sign: Literal["any"] | None = Field(
        None,
        description=(
            "any: the rule's points may have either sign, against what its kind or section "
            "means (an addition in a section that loses points, say); needs a `note` saying why"
        ),
    )
    exclusive: Id | None = Field(
        None,
        description=(
            "the id of an exclusivity group (`exclusive_groups`): the rules of a group do not "
            "count the same matter twice; the group's `choice` says which of them counts"
        ),
    )

    # The modifiers of the one rule shape that this kind has no use for, and why: a scheme
    # that writes one is told so, rather than "unknown key".
    not_applicable: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _modifiers_that_do_not_apply(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, why in cls.not_applicable.items():
                if key in data and key not in cls.model_fields:
                    kind = str(data.get("kind", cls.__name__))
                    raise ValueError(f"`{key}` does not apply to a {kind} rule ({why}): remove it")
        return data


# Why a modifier does not apply to a kind, worded once for the kinds that share a reason.
FIRES_ONCE = "it gives its points once, on the latest finding"
PERIODS = "its points are `missed` and `late`, once for each period"
SHARES = "its points are the categories' shares"
MANUAL = "its points are the adjustment events' own, kept within `min` and `max`"
DAYS = "its points come from the days overdue, at `per_day`, limited by `cap_per_item` and `cap`"
RATE = "its points come from the rate, at `per_point_below`, limited by `cap`"
COUNTING = ("steps", "max_count", "per", "cap", "multiply")
