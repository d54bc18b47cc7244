"""Invariants of scoring, over random valid ledgers, for every shipped scheme.

The streams come from the public strategies in `assessment.testing`, as a
scheme author's own tests would use them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from builders import random_cases
from hypothesis import Phase, assume, find, given, settings
from hypothesis import strategies as st

import assessment
from assessment import Line, Report, Roster, Scheme
from assessment.scheme import Section
from assessment.testing import event_streams, rosters, schemes

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]
# The 2023 scheme, loaded once for the properties that draw their ledgers from it.
SCHEME_2023 = assessment.load_scheme(SCHEMES[0])


def _cases(scheme: Scheme) -> st.SearchStrategy[tuple[Roster, list[dict[str, Any]]]]:
    return rosters(scheme, max_units=5).flatmap(
        lambda roster: event_streams(scheme, roster).map(lambda records: (roster, records))
    )


def _score(
    scheme: Scheme, roster: Roster, records: list[dict[str, Any]], as_of: date | None = None
) -> Report:
    return assessment.score(scheme, roster, assessment.parse_events(records, scheme, roster), as_of)


def _check_limits_and_sums(scheme: Scheme, report: Report) -> None:
    sections = {p.section.id: p.section for p in scheme.placed()}
    for unit in report.units:
        for result in unit.sections:
            section = sections[result.id]
            parts = [s for s in unit.sections if s.parent == result.id]
            lines = [line for line in unit.lines if line.section == result.id]
            if parts:  # a section with sub-sections: theirs added, within its own limits
                added = sum((s.exact for s in parts), Fraction(0))
                low, high = section.bottom, section.top
                kept = added if low is None or added >= low else Fraction(low)
                kept = kept if high is None or kept <= high else Fraction(high)
                assert result.exact == kept
            else:
                applied = sum((line.applied for line in lines), Fraction(0))
                assert result.start + applied == result.exact
            assert section.bottom is None or section.bottom <= result.exact
            assert section.top is None or result.exact <= section.top
        top = [s for s in unit.sections if s.parent is None]
        shown_parts = sum((s.score for s in top), Decimal(0))
        assert unit.total == shown_parts - unit.cut_by_cap
        # the scheme's stated range: from the sum of the floors to the sum of the caps
        limits = [sections[s.id] for s in top]
        if all(s.bottom is not None for s in limits):
            assert sum(s.bottom or 0 for s in limits) <= unit.exact_total
        if all(s.top is not None for s in limits):
            assert unit.exact_total <= sum(s.top or 0 for s in limits)
        if scheme.total.cap is not None and not scheme.total.beyond_cap:
            assert unit.total <= scheme.total.cap
    _check_explanations(scheme, report)


def _check_explanations(scheme: Scheme, report: Report) -> None:
    """The rules in their author's words once, the items counted in order (件数), and a line
    of 0 points only with a purpose (issue 13, mechanism 10)."""
    assert [(r.id, r.text) for r in report.rules] == [(r.id, r.text) for _, r in scheme.rules()]
    for unit in report.units:
        assert [c.category for c in unit.items] == [c.id for c in scheme.categories]
        for c in unit.items:
            assert 0 <= c.on_time <= c.completed <= c.counted <= c.assigned
        assert all(line.points != 0 or line.purpose is not None for line in unit.lines)


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_sections_stay_in_bounds_and_trails_add_up(path: Path) -> None:
    scheme = assessment.load_scheme(path)

    @given(_cases(scheme))
    def check(case: tuple[Roster, list[dict[str, Any]]]) -> None:
        _check_limits_and_sums(scheme, _score(scheme, *case))

    check()


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_order_and_redelivery_change_nothing(path: Path) -> None:
    scheme = assessment.load_scheme(path)

    @given(_cases(scheme))
    def check(case: tuple[Roster, list[dict[str, Any]]]) -> None:
        roster, records = case
        once = list({record["id"]: record for record in records}.values())
        assert _score(scheme, roster, records) == _score(scheme, roster, once[::-1])

    check()


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_scoring_as_of_a_date_equals_scoring_the_stream_cut_there(path: Path) -> None:
    scheme = assessment.load_scheme(path)
    days = st.dates(min_value=scheme.period.start, max_value=scheme.period.end)

    @given(_cases(scheme), days)
    def check(case: tuple[Roster, list[dict[str, Any]]], day: date) -> None:
        roster, records = case
        cut = [r for r in records if date.fromisoformat(r["date"]) <= day]
        full = _score(scheme, roster, records, day)
        assert full.units == _score(scheme, roster, cut, day).units

    check()


def test_results_survive_a_json_round_trip() -> None:
    scheme = assessment.load_scheme(SCHEMES[0])

    @given(_cases(scheme))
    def check(case: tuple[Roster, list[dict[str, Any]]]) -> None:
        report = _score(scheme, *case)
        assert Report.model_validate_json(report.model_dump_json()) == report

    check()


def test_strategies_check_their_arguments_at_once() -> None:
    scheme = assessment.load_scheme(SCHEMES[0])
    with pytest.raises(ValueError, match="min_units"):
        rosters(scheme, min_units=0)
    with pytest.raises(TypeError, match="must be a Scheme"):
        rosters("schemes/2023.yaml")  # type: ignore[arg-type]


def test_scoring_never_imports_hypothesis() -> None:
    code = "import sys, assessment, assessment.cli; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=8).flatmap(
        lambda points: st.tuples(st.just(points), st.sets(st.integers(0, len(points) - 1)))
    )
)
def test_reweighted_shares_always_sum_to_the_rules_points(
    case: tuple[list[int], set[int]],
) -> None:
    from assessment._internal.rules.completion import shares  # noqa: PLC0415
    from assessment.scheme import Category  # noqa: PLC0415

    points, undertaken = case
    categories = [
        Category(id=f"c{i}", name=f"类{i}", clause="一", points=Decimal(p), method="proportional")
        for i, p in enumerate(points)
    ]
    chosen = {f"c{i}" for i in undertaken}
    found = shares(categories, frozenset(chosen), "reweight")
    assert sum(found.values(), Fraction(0)) == sum(points)
    assert all(found[c.id] == 0 for c in categories if chosen and c.id not in chosen)


@given(_cases(SCHEME_2023), st.data())
def test_closing_an_open_item_on_time_never_lowers_a_score(
    case: tuple[Roster, list[dict[str, Any]]], data: st.DataObject
) -> None:
    roster, records = case
    end = SCHEME_2023.period.end.isoformat()
    closable: dict[str, tuple[dict[str, Any], str]] = {}  # item: its assignment, its deadline
    for record in records:
        if record["type"] != "item_assigned":
            continue
        lifecycle = [r for r in records if r.get("item") == record["item"]]
        if any(r["type"] in ("item_closed", "item_assessed") for r in lifecycle):
            continue
        due = max(r["due"] for r in lifecycle if "due" in r)
        if max(r["date"] for r in lifecycle if r["type"] != "commendation") <= due <= end:
            closable[record["item"]] = (record, due)
    assume(closable)  # about half the ledgers hold an open item that can close in the year
    assignment, due = closable[data.draw(st.sampled_from(sorted(closable)))]
    unit = assignment["unit"]
    item = assignment["item"]
    on_time = {"id": "closing", "type": "item_closed", "date": due, "unit": unit, "item": item}
    before = _score(SCHEME_2023, roster, records)
    after = _score(SCHEME_2023, roster, [*records, on_time])

    def losses(report: Report) -> list[Line]:
        lines = report.unit(unit).lines
        return [x for x in lines if assignment["id"] in x.events and x.points < 0]

    # Open past its deadline, the item costs completion points; closed by it, nothing.
    assert [line.rule for line in losses(before)] == ["item_completion"]
    assert losses(after) == []
    assert after.unit(unit).total >= before.unit(unit).total


@given(_cases(SCHEME_2023), st.data())
def test_one_more_circulated_commendation_never_lowers_a_score(
    case: tuple[Roster, list[dict[str, Any]]], data: st.DataObject
) -> None:
    roster, records = case
    unit = data.draw(st.sampled_from([u.id for u in roster.units]))
    day = data.draw(st.dates(SCHEME_2023.period.start, SCHEME_2023.period.end))
    extra = {
        "id": "extra-commendation",
        "type": "commendation",
        "date": day.isoformat(),
        "unit": unit,
        "level": data.draw(st.sampled_from(["city", "district"])),
        "circulated": True,
    }
    before = _score(SCHEME_2023, roster, records)
    after = _score(SCHEME_2023, roster, [*records, extra])
    assert after.unit(unit).total >= before.unit(unit).total


@given(random_cases())
def test_invariants_hold_for_random_schemes(
    case: tuple[Scheme, Roster, list[dict[str, Any]]],
) -> None:
    scheme, roster, records = case
    report = _score(scheme, roster, records)
    _check_limits_and_sums(scheme, report)
    once = list({record["id"]: record for record in records}.values())
    assert _score(scheme, roster, once[::-1]) == report
    assert Report.model_validate_json(report.model_dump_json()) == report


@given(st.from_type(Scheme))
def test_the_hypothesis_entry_point_registers_schemes(scheme: Scheme) -> None:
    assert scheme.id == "random"
    assert scheme.sections


@given(schemes())
def test_random_schemes_pass_every_check_a_scheme_file_does(scheme: Scheme) -> None:
    # What `assessment validate` would say of the same scheme written out: no problem at all
    # (the references, the rules that can never fire, the signs).
    # Every key written (format 2 asks for some keys whose value equals their default, such as
    # a quota's `ties`): only the unset ones (None) are left out.
    text = scheme.model_dump_json(by_alias=True, exclude_none=True)
    assert assessment.parse_scheme(text, "random.json") == scheme


_LIMITS_DRAWN: dict[str, Callable[[Section], bool]] = {
    "no cap": lambda s: s.cap == "none",
    "no floor": lambda s: s.floor == "none",
    "deductions only": lambda s: s.start == "zero" and s.top == 0,
    "sub-sections": lambda s: bool(s.sections),
    "one group's section": lambda s: s.groups is not None,
}


@pytest.mark.parametrize("name", list(_LIMITS_DRAWN))
def test_random_schemes_draw_every_kind_of_section_limit(name: str) -> None:
    # The invariants above run on these schemes: each limit must be among what they draw.
    test = _LIMITS_DRAWN[name]
    found = find(
        schemes(),
        lambda scheme: any(test(p.section) for p in scheme.placed()),
        settings=settings(max_examples=500, phases=[Phase.generate], database=None),
    )
    assert any(test(p.section) for p in found.placed())
