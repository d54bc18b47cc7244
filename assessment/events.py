"""The event contract (v1): dated facts from the supervision ledger (督查台账).

Events are the public input of the library; `docs/events.md` is the contract.
Each event is a frozen model; `Event` is their union, tagged by `type`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "BUILTIN_EVENT_TYPES",
    "Adjustment",
    "Commendation",
    "CustomEvent",
    "Event",
    "Inspection",
    "ItemAssessed",
    "ItemAssigned",
    "ItemClosed",
    "ItemExtended",
    "ReportSubmitted",
]

# ASCII digits: `\d` would take full-width digits (２０２３), which then match no period or day.
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def full_width_hint(value: object) -> str:
    """`` or, for text typed with full-width digits or signs (２０２３, －５), what to do."""
    if not isinstance(value, str) or value.isascii():
        return ""
    odd = "".join(dict.fromkeys(ch for ch in value if "\uff01" <= ch <= "\uff5e" or ch == "\u2212"))
    if not odd:
        return ""
    return f": it is written with full-width characters ({odd}); type them half-width (半角)"


def _iso_date(value: Any) -> Any:
    # Python's fromisoformat also takes 20230101 and week dates; the contract says YYYY-MM-DD.
    if isinstance(value, str):
        if full_width_hint(value):
            raise ValueError(
                f"must be a date written YYYY-MM-DD (got {value!r}){full_width_hint(value)}"
            )
        if not _ISO_DATE.match(value):
            raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"is not a date in the calendar (got {value!r})") from None
    if isinstance(value, date):
        return value
    raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})")


def _strict_bool(value: Any) -> Any:
    # JSON true/false, or the words Excel and most exporters write in CSV.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"must be true or false (got {value!r})")


def _digits(places: int, whole: int) -> Callable[[Decimal], Decimal]:
    def check(value: Decimal) -> Decimal:
        if not value.is_finite() or value.is_zero():
            return value
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite
        trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        after = max(0, -exponent - trailing)
        before = max(0, len(digits) + exponent)
        if after > places:
            raise ValueError(f"must have at most {places} digits after the decimal point")
        if before > whole:
            raise ValueError(f"must have at most {whole} digits before the decimal point")
        return value

    return check


def digits_within_bounds(value: Decimal, places: int, whole: int) -> Decimal:
    """`value`, or a ValueError when it has more than `places` digits after its point or
    `whole` before it (see `exact_number`)."""
    return _digits(places, whole)(value)


def exact_number(places: int, whole: int) -> BeforeValidator:
    """Numbers read exactly and bounded in digits, before pydantic reads them.

    A float becomes the decimal it prints as (readers parse JSON numbers as `Decimal`, so a
    float lost digits already); text with full-width digits is refused (Python's `Decimal`
    would read them); at most `places` digits after the point and `whole` before it
    (`1e-999999999999` is 15 characters, and exact arithmetic on it would never end),
    counted from the exponent, never by expanding it. Checked here, before pydantic, so
    that the message is the same in every pydantic version this package supports.
    """
    within = _digits(places, whole)

    def before(value: Any) -> Any:
        if isinstance(value, float):
            value = Decimal(repr(value))
        if isinstance(value, str):
            if not value.isascii():
                raise ValueError(
                    f"must be a number written with the digits 0-9 (got {value!r})"
                    f"{full_width_hint(value)}"
                )
            with contextlib.suppress(InvalidOperation):  # not a number: pydantic words it
                within(Decimal(value.strip()))
        elif isinstance(value, Decimal):
            within(value)
        return value

    return BeforeValidator(before)


def digits_within(places: int, whole: int) -> AfterValidator:
    """The digit bound of `exact_number`, for validation that leaves before-validators out
    (the strict compact twins of the fast path)."""
    return AfterValidator(_digits(places, whole))


def canonical_decimal(value: Decimal) -> Decimal:
    """0.50 and 0.5 (and -0 and 0) are one value: a re-delivered event must compare equal.

    Built digit by digit, so that it is exact whatever the decimal context.
    """
    if not value.is_finite() or value.is_zero():
        return value if not value.is_finite() else Decimal(0)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    kept = list(digits)
    while exponent < 0 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if exponent > 0:  # a whole number: written out in full
        kept += [0] * exponent
        exponent = 0
    return Decimal((sign, tuple(kept), exponent))


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
# Digits are bounded at input: `1e-999999999999` is 15 characters, and exact arithmetic on it
# would never end.
Fraction01 = Annotated[
    Decimal,
    exact_number(40, 1),
    Field(ge=0, le=1, allow_inf_nan=False),
    digits_within(40, 1),
    AfterValidator(canonical_decimal),
]


class _EventBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: NonEmpty = Field(description="unique in the stream")
    date: IsoDate = Field(description="the day the fact happened")
    unit: NonEmpty = Field(description="id of a unit in the roster")


class CustomEvent(_EventBase):
    """Base class of the event types a scheme declares (`event_types:` in the scheme)."""

    type: str


def _unit_list(value: Any) -> Any:
    # A CSV cell lists several units as `dept-a;dept-b`.
    if isinstance(value, str):
        return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
    return value


class ItemAssigned(_EventBase):
    """A supervised item (督查事项) is registered and assigned with a deadline (立项交办).

    `unit` leads the item (牵头单位); `cohandlers` (协办单位) share it, and a
    scheme may score them for it too (rules with `roles: [cohandler]`).
    """

    type: Literal["item_assigned"] = "item_assigned"
    item: NonEmpty
    category: NonEmpty
    due: IsoDate
    title: str | None = None
    assigned_by: NonEmpty | None = Field(
        None, description="who assigned the work (e.g. city, district); schemes may weight by it"
    )
    cohandlers: Annotated[tuple[NonEmpty, ...], BeforeValidator(_unit_list)] | None = None


class ItemExtended(_EventBase):
    """The deadline was extended and a supervision notice re-issued (延期 / 再次督办)."""

    type: Literal["item_extended"] = "item_extended"
    item: NonEmpty
    due: IsoDate
    reason: NonEmpty


class ItemClosed(_EventBase):
    """The office closed the item out as done (销号)."""

    type: Literal["item_closed"] = "item_closed"
    item: NonEmpty


class ItemAssessed(_EventBase):
    """The year-end evaluation judged the item this fraction complete (年终考评)."""

    type: Literal["item_assessed"] = "item_assessed"
    item: NonEmpty
    completion: Fraction01


class ReportSubmitted(_EventBase):
    """The unit's monthly progress report for `month` arrived (月度落实情况报送)."""

    type: Literal["report_submitted"] = "report_submitted"
    month: YearMonth


class Inspection(_EventBase):
    """What a check found; each field given replaces the earlier finding for that field."""

    type: Literal["inspection"] = "inspection"
    has_office: Flag | None = None
    has_staff: Flag | None = None
    has_work_plan: Flag | None = None
    ledger_complete: Flag | None = None

    @model_validator(mode="after")
    def _has_a_finding(self) -> Inspection:
        if all(
            v is None
            for v in (self.has_office, self.has_staff, self.has_work_plan, self.ledger_complete)
        ):
            raise ValueError(
                "an inspection must record at least one finding "
                "(has_office, has_staff, has_work_plan or ledger_complete)"
            )
        return self


class Commendation(_EventBase):
    """Leaders affirmed the unit's work (领导肯定); `circulated` if also 通报表扬."""

    type: Literal["commendation"] = "commendation"
    level: Literal["city", "district"]
    circulated: Flag
    item: NonEmpty | None = None
    note: str | None = None


Signed = Annotated[
    Decimal,
    exact_number(6, 4),
    Field(allow_inf_nan=False, ge=-1000, le=1000),
    digits_within(6, 4),
    AfterValidator(canonical_decimal),
]


class Adjustment(_EventBase):
    """A manual adjustment at year end (综合评分), with signed points and a mandatory reason.

    `rule` names the scheme's `adjustment` rule it is made under; that rule bounds it.
    """

    type: Literal["adjustment"] = "adjustment"
    rule: NonEmpty
    points: Signed
    reason: NonEmpty


Event = Annotated[
    ItemAssigned
    | ItemExtended
    | ItemClosed
    | ItemAssessed
    | ReportSubmitted
    | Inspection
    | Commendation
    | Adjustment,
    Field(discriminator="type"),
]

BUILTIN_EVENT_TYPES: dict[str, type[BaseModel]] = {
    model.model_fields["type"].default: model
    for model in (
        ItemAssigned,
        ItemExtended,
        ItemClosed,
        ItemAssessed,
        ReportSubmitted,
        Inspection,
        Commendation,
        Adjustment,
    )
}
"""Every built-in event type by its `type` tag."""
