"""Every rule of the 2023 scheme, against values computed by hand from the scoring spec.

Each expectation is written as arithmetic on literal numbers taken from the spec;
none is computed by the code under test. Unless a test says otherwise the scoring
date is the period's last day, 2023-12-31.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import pytest

from assessment import Line, UnitResult

if TYPE_CHECKING:
    from conftest import Ledger

F = Fraction
D = Decimal


# ---------------------------------------------------------------- helpers


def lines_of(unit: UnitResult, rule: str) -> list[Line]:
    return [line for line in unit.lines if line.rule == rule]


def section_lines(unit: UnitResult, section: str) -> list[Line]:
    return [line for line in unit.lines if line.section == section]


def completion(ledger: Ledger, as_of: str | None = None) -> Fraction:
    """Unit t's exact completion score (as of the period's last day unless told)."""
    return ledger.score(as_of).unit("t").section("completion").exact


def half_up(value: Fraction) -> Decimal:
    """Round an exact value half-up to 2 places, independently of the library."""
    return (D(value.numerator) / D(value.denominator)).quantize(D("0.01"), ROUND_HALF_UP)


def add_worked_example(ledger: Ledger, unit: str) -> None:
    """The spec's worked example (unit town-a), for any unit id."""
    ledger.unit(unit, "town")
    ledger.inspect(unit, "2023-02-15", has_office=True, has_staff=False)
    ledger.inspect(unit, "2023-02-15", has_work_plan=True, ledger_complete=True)
    ledger.reports(unit, missing=(3, 7, 11))
    # work_report: 4 items, 3 closed on time, 1 never closed
    for n in range(1, 5):
        ledger.assign(unit, f"{unit}-W{n}", "work_report", due="2023-06-30", day="2023-01-10")
    for n in range(1, 4):
        ledger.close(unit, f"{unit}-W{n}", "2023-06-20")
    # ten_things: 1 item closed on time
    ledger.assign(unit, f"{unit}-T1", "ten_things", due="2023-09-30", day="2023-01-10")
    ledger.close(unit, f"{unit}-T1", "2023-09-01")
    # key_works: 2 items closed on time, one of them after one extension
    ledger.assign(unit, f"{unit}-K1", "key_works", due="2023-05-31", day="2023-01-10")
    ledger.close(unit, f"{unit}-K1", "2023-05-20")
    ledger.assign(unit, f"{unit}-K2", "key_works", due="2023-05-31", day="2023-01-10")
    ledger.extend(unit, f"{unit}-K2", due="2023-08-31", day="2023-05-25")
    ledger.close(unit, f"{unit}-K2", "2023-08-15")
    # commendations: 1 circulated, 1 not
    ledger.commend(unit, "2023-10-08", circulated=True, level="city")
    ledger.commend(unit, "2023-11-01", circulated=False, level="district")


def add_mid_year_stream(ledger: Ledger, unit: str) -> None:
    """A year of one town's ledger whose score differs as of 2023-06-30 and 2023-12-31."""
    ledger.unit(unit, "town")
    ledger.inspect(
        unit,
        "2023-02-10",
        has_office=True,
        has_staff=True,
        has_work_plan=False,
        ledger_complete=True,
    )
    ledger.inspect(unit, "2023-09-10", has_work_plan=True)
    # month 3 missed, month 6 late (2023-07-03), month 12 missed; the rest on time
    ledger.reports(unit, missing=(3, 6, 12))
    ledger.report(unit, 6, day="2023-07-03")
    # work_report: W1 closed on time; W2 due 06-30, closed late on 07-10
    ledger.assign(unit, f"{unit}-W1", "work_report", due="2023-05-31", day="2023-01-10")
    ledger.close(unit, f"{unit}-W1", "2023-05-20")
    ledger.assign(unit, f"{unit}-W2", "work_report", due="2023-06-30", day="2023-01-10")
    ledger.close(unit, f"{unit}-W2", "2023-07-10")
    # key_works: K1 due 06-15, extended on 06-10 to 10-31, closed on time 10-20
    ledger.assign(unit, f"{unit}-K1", "key_works", due="2023-06-15", day="2023-03-01")
    ledger.extend(unit, f"{unit}-K1", due="2023-10-31", day="2023-06-10")
    ledger.close(unit, f"{unit}-K1", "2023-10-20")
    # proposals: P1 assigned only in August, closed on time
    ledger.assign(unit, f"{unit}-P1", "proposals", due="2023-11-30", day="2023-08-01")
    ledger.close(unit, f"{unit}-P1", "2023-11-15")
    # two circulated commendations, one in each half of the year
    ledger.commend(unit, "2023-04-01", circulated=True)
    ledger.commend(unit, "2023-09-01", circulated=True)


# ---------------------------------------------------------------- worked example


def test_worked_example_town_a_scores_87_11(ledger: Ledger) -> None:
    add_worked_example(ledger, "town-a")
    unit = ledger.score().unit("town-a")
    # 三(一) 5 − 3 (no staff) = 2
    assert unit.section("organisation").score == D("2.00")
    # 三(二) 15 − 3 (months 3, 7, 11) − 2 (reached 3) = 10
    assert unit.section("timeliness").score == D("10.00")
    # 三(三) 80×20/45 × 3/4 + 80×10/45 + 80×15/45 − 1 = 80/3 + 160/9 + 80/3 − 1 = 631/9
    assert (
        unit.section("completion").exact
        == F(80 * 20, 45) * F(3, 4) + F(80 * 10, 45) + F(80 * 15, 45) - 1
    )
    assert unit.section("completion").exact == F(631, 9)
    assert unit.section("completion").score == D("70.11")
    # 三(四) one circulated commendation
    assert unit.section("bonus").score == D("5.00")
    assert unit.total == D("87.11")
    assert unit.exact_total == 2 + 10 + F(631, 9) + 5


# ---------------------------------------------------------------- 三(一) organisation


def test_organisation_no_office_costs_2(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=False, has_staff=True)
    assert ledger.score().unit("t").section("organisation").exact == 5 - 2


def test_organisation_no_staff_costs_3(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=True, has_staff=False)
    assert ledger.score().unit("t").section("organisation").exact == 5 - 3


def test_organisation_no_office_and_no_staff_cost_5(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=False, has_staff=False)
    assert ledger.score().unit("t").section("organisation").exact == 5 - 2 - 3


def test_organisation_the_same_fault_found_twice_is_deducted_once(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=False)
    ledger.inspect("t", "2023-09-01", has_office=False)
    assert ledger.score().unit("t").section("organisation").exact == 5 - 2


def test_organisation_staff_appointed_before_the_scoring_date_costs_nothing(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=True, has_staff=False)
    ledger.inspect("t", "2023-06-01", has_staff=True)
    assert ledger.score().unit("t").section("organisation").exact == 5
    # before the fixing inspection the fault still stands: 5 − 3
    assert ledger.score("2023-04-30").unit("t").section("organisation").exact == 5 - 3


def test_organisation_staff_appointed_after_the_scoring_date_is_still_deducted(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=True, has_staff=False)
    ledger.inspect("t", "2023-08-01", has_staff=True)
    assert ledger.score("2023-06-30").unit("t").section("organisation").exact == 5 - 3


def test_organisation_later_inspection_keeps_the_findings_it_does_not_mention(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-03-01", has_office=False, has_staff=False)
    ledger.inspect("t", "2023-05-01", has_staff=True)  # says nothing about the office
    assert ledger.score().unit("t").section("organisation").exact == 5 - 2


def test_organisation_without_any_inspection_is_full(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")
    unit = ledger.score().unit("t")
    assert unit.section("organisation").exact == 5
    assert unit.section("organisation").score == D("5.00")
    assert all(line.applied == 0 for line in section_lines(unit, "organisation"))


# ---------------------------------------------------------------- 三(二)1 work plan and ledger


def test_timeliness_no_work_plan_costs_2(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")
    ledger.inspect("t", "2023-04-01", has_work_plan=False, ledger_complete=True)
    assert ledger.score().unit("t").section("timeliness").exact == 15 - 2


def test_timeliness_incomplete_ledger_costs_3(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")
    ledger.inspect("t", "2023-04-01", has_work_plan=True, ledger_complete=False)
    assert ledger.score().unit("t").section("timeliness").exact == 15 - 3


# ---------------------------------------------------------------- 三(二)2 monthly reports


def test_timeliness_all_reports_on_the_months_last_day_are_on_time(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")  # each dated its month's last day, e.g. 2023-02-28
    unit = ledger.score().unit("t")
    assert unit.section("timeliness").exact == 15
    assert lines_of(unit, "monthly_report") == []


def test_timeliness_one_missed_report_costs_1(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(5,))
    assert ledger.score().unit("t").section("timeliness").exact == 15 - 1


def test_timeliness_late_report_costs_1_like_a_missed_one(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(5,))
    ledger.report("t", 5, day="2023-06-01")  # one day after 2023-05-31
    unit = ledger.score().unit("t")
    assert unit.section("timeliness").exact == 15 - 1
    assert [line.points for line in lines_of(unit, "monthly_report")] == [-1]


def test_timeliness_two_missed_reports_cost_2_without_the_extra(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(2, 9))
    unit = ledger.score().unit("t")
    assert unit.section("timeliness").exact == 15 - 2
    assert lines_of(unit, "reports_missed_three_times") == []


def test_timeliness_third_missed_report_adds_the_further_2(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(2, 9, 10))
    ledger.report("t", 10, day="2023-11-02")  # month 10 late: the third miss
    unit = ledger.score().unit("t")
    assert unit.section("timeliness").exact == 15 - 3 - 2  # = 10
    assert unit.section("timeliness").score == D("10.00")


def test_timeliness_the_further_2_is_taken_only_once(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(1, 2, 3, 4, 5))
    unit = ledger.score().unit("t")
    assert unit.section("timeliness").exact == 15 - 5 - 2  # = 8
    assert len(lines_of(unit, "reports_missed_three_times")) == 1


def test_timeliness_six_missed_reports_do_not_add_a_second_extra(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t", missing=(1, 2, 3, 4, 5, 6))
    assert ledger.score().unit("t").section("timeliness").exact == 15 - 6 - 2  # = 7


def test_unit_with_no_events_misses_all_twelve_reports(ledger: Ledger) -> None:
    ledger.unit("t")
    unit = ledger.score("2023-12-31").unit("t")
    assert unit.section("timeliness").exact == 15 - 12 - 2  # = 1
    assert unit.section("timeliness").score == D("1.00")
    assert len(lines_of(unit, "monthly_report")) == 12
    assert unit.section("organisation").score == D("5.00")
    assert unit.section("completion").score == D("80.00")
    assert unit.section("bonus").score == D("0.00")
    assert unit.total == D(5 + 1 + 80 + 0)


def test_timeliness_section_stops_at_zero(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.inspect("t", "2023-01-15", has_work_plan=False, ledger_complete=False)
    unit = ledger.score().unit("t")
    section = unit.section("timeliness")
    # 15 − 2 − 3 − 12 − 2 = −4 → floor 0
    assert section.exact == 0
    assert section.score == D("0.00")
    lines = section_lines(unit, "timeliness")
    assert sum(line.points for line in lines) == -2 - 3 - 12 - 2
    assert sum(line.applied for line in lines) == -15
    cut = [line for line in lines if abs(line.applied) < abs(line.points)]
    assert cut
    assert all(line.limited_by == "section_floor" for line in cut)
    assert all(line.limited_by is None for line in lines if line.applied == line.points)


# ---------------------------------------------------------------- 三(三) reweighting


def test_completion_single_undertaken_category_takes_all_80(ledger: Ledger) -> None:
    ledger.unit("t")
    for n in range(1, 5):
        ledger.assign("t", f"K{n}", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-01")
    ledger.close("t", "K2", "2023-06-30")
    section = ledger.score().unit("t").section("completion")
    assert section.exact == 80 * F(2, 4)  # = 40
    assert section.score == D("40.00")


def test_completion_three_categories_share_80_as_32_24_24(ledger: Ledger) -> None:
    ledger.unit("t")
    # work_report (share 80×20/50 = 32): 3 items, 2 complete
    for n in range(1, 4):
        ledger.assign("t", f"W{n}", "work_report", due="2023-06-30")
    ledger.close("t", "W1", "2023-06-10")
    ledger.close("t", "W2", "2023-06-10")
    # key_works (share 80×15/50 = 24): 2 items, 1 complete
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-10")
    # proposals (share 80×15/50 = 24): 1 item, complete
    ledger.assign("t", "P1", "proposals", due="2023-06-30", closed="2023-06-10")
    section = ledger.score().unit("t").section("completion")
    assert section.exact == 32 * F(2, 3) + 24 * F(1, 2) + 24  # = 172/3
    assert section.exact == F(172, 3)
    assert section.score == D("57.33")


def test_completion_all_six_categories_keep_their_own_points(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-06-30")
    ledger.assign("t", "W2", "work_report", due="2023-06-30")
    ledger.close("t", "W1", "2023-06-10")
    for category in ("ten_things", "key_works", "meeting_decisions", "proposals", "instructions"):
        ledger.assign("t", f"{category}-1", category, due="2023-06-30")
        ledger.close("t", f"{category}-1", "2023-06-10")
    section = ledger.score().unit("t").section("completion")
    assert section.exact == 20 * F(1, 2) + 10 + 15 + 10 + 15 + 10  # = 80 − 10 = 70
    assert section.score == D("70.00")


def test_completion_unit_without_items_keeps_80(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")
    unit = ledger.score().unit("t")
    assert unit.section("completion").exact == 80
    assert unit.section("completion").score == D("80.00")


def test_completion_category_assigned_after_the_scoring_date_takes_no_share(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31", day="2023-02-01")  # never closed
    ledger.assign("t", "T1", "ten_things", due="2023-10-31", day="2023-08-01", closed="2023-10-15")
    # as of 06-30 only key_works is undertaken: share 80, its one item incomplete → 0
    assert completion(ledger, "2023-06-30") == 0
    # as of 12-31: key_works 80×15/25 = 48 lost, ten_things 80×10/25 = 32 kept
    assert completion(ledger) == F(80 * 10, 25)


# ---------------------------------------------------------------- ten_things all or nothing


def test_ten_things_one_incomplete_item_loses_the_whole_share(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-06-30", closed="2023-06-10")
    ledger.assign("t", "T1", "ten_things", due="2023-06-30")
    ledger.assign("t", "T2", "ten_things", due="2023-06-30")
    ledger.close("t", "T1", "2023-06-10")  # T2 never closed
    section = ledger.score().unit("t").section("completion")
    # work_report 80×20/30 kept; ten_things 80×10/30 lost entirely (not halved)
    assert section.exact == F(80 * 20, 30)
    assert section.score == D("53.33")


def test_ten_things_item_assessed_below_1_is_not_complete(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-06-30", closed="2023-06-10")
    ledger.assign("t", "T1", "ten_things", due="2023-06-30", closed="2023-06-10")
    ledger.assess("t", "T1", "0.9", "2023-12-20")
    section = ledger.score().unit("t").section("completion")
    assert section.exact == F(80 * 20, 30)  # not 80×20/30 + 0.9 × 80×10/30


def test_ten_things_item_assessed_1_is_complete(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-06-30", closed="2023-06-10")
    ledger.assign("t", "T1", "ten_things", due="2023-06-30")  # never closed
    ledger.assess("t", "T1", "1", "2023-12-20")
    section = ledger.score().unit("t").section("completion")
    assert section.exact == F(80 * 20, 30) + F(80 * 10, 30)  # = 80


# ---------------------------------------------------------------- deadlines and extensions


def test_item_closed_after_its_due_is_incomplete(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-30")
    ledger.close("t", "K2", "2023-07-01")  # one day late
    assert completion(ledger) == 80 * F(1, 2)


def test_item_closed_on_time_after_an_extension_is_complete_and_costs_1(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-30")
    ledger.extend("t", "K2", due="2023-09-30", day="2023-06-20")
    ledger.close("t", "K2", "2023-09-15")  # after the first due, before the extended one
    unit = ledger.score().unit("t")
    assert unit.section("completion").exact == 80 - 1
    assert [line.applied for line in lines_of(unit, "item_extended")] == [-1]


def test_item_extended_twice_costs_2_and_is_complete_if_closed_by_the_second_due(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31")
    ledger.extend("t", "K1", due="2023-06-30", day="2023-03-25")
    ledger.extend("t", "K1", due="2023-09-30", day="2023-06-25")
    ledger.close("t", "K1", "2023-09-20")  # after the first extension's due
    assert completion(ledger) == 80 - 2


def test_item_closed_after_its_extended_due_is_incomplete_and_still_costs_the_extension(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-30")
    ledger.extend("t", "K2", due="2023-09-30", day="2023-06-20")
    ledger.close("t", "K2", "2023-10-08")
    assert completion(ledger) == 80 * F(1, 2) - 1


# ---------------------------------------------------------------- item_assessed


def test_item_assessed_half_counts_half_in_a_proportional_category(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-06-30")
    ledger.assign("t", "W2", "work_report", due="2023-06-30")  # never closed
    ledger.close("t", "W1", "2023-06-10")
    ledger.assess("t", "W2", "0.5", "2023-12-15")
    ledger.assign("t", "K1", "key_works", due="2023-06-30", closed="2023-06-10")
    section = ledger.score().unit("t").section("completion")
    # work_report 80×20/35 × (1 + 0.5)/2, key_works 80×15/35 × 1
    assert section.exact == F(80 * 20, 35) * F(3, 4) + F(80 * 15, 35)  # = 480/7
    assert section.score == D("68.57")


def test_item_assessed_overrides_an_on_time_closure(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    ledger.close("t", "K1", "2023-06-10")
    ledger.close("t", "K2", "2023-06-10")
    ledger.assess("t", "K2", "0.25", "2023-12-15")
    assert completion(ledger) == 80 * F(1 + F(1, 4), 2)  # 50


def test_the_latest_assessment_as_of_the_date_wins(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")  # never closed
    ledger.assess("t", "K1", "0.5", "2023-11-01")
    ledger.assess("t", "K1", "0.8", "2023-12-15")
    assert completion(ledger) == 80 * F(8, 10)  # 64
    assert completion(ledger, "2023-11-30") == 80 * F(1, 2)


# ---------------------------------------------------------------- which items count


def test_item_not_yet_due_and_not_closed_does_not_count_mid_year(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31", closed="2023-03-20")
    ledger.assign("t", "K2", "key_works", due="2023-09-30")  # never closed
    # as of 06-30 only K1 counts: 80 × 1/1
    assert completion(ledger, "2023-06-30") == 80
    # as of 12-31 K2 is past due and unclosed: 80 × 1/2
    assert completion(ledger, "2023-12-31") == 80 * F(1, 2)


def test_category_with_no_item_due_yet_keeps_its_full_share(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "W1", "work_report", due="2023-03-31", closed="2023-03-20")
    ledger.assign("t", "K1", "key_works", due="2023-09-30")  # never closed
    # as of 06-30: work_report 80×20/35 × 1 + key_works 80×15/35 (nothing counted yet)
    mid = ledger.score("2023-06-30").unit("t").section("completion")
    assert mid.exact == F(80 * 20, 35) + F(80 * 15, 35)  # = 80
    # as of 12-31: key_works 80×15/35 lost
    end = ledger.score().unit("t").section("completion")
    assert end.exact == F(80 * 20, 35)  # = 320/7
    assert end.score == D("45.71")


def test_item_due_on_the_scoring_date_and_unclosed_counts(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31", closed="2023-03-20")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    assert completion(ledger, "2023-06-30") == 80 * F(1, 2)
    assert completion(ledger, "2023-06-29") == 80


def test_items_closed_or_assessed_before_their_due_count_already(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31")  # never closed: incomplete
    ledger.assign(
        "t", "K2", "key_works", due="2023-09-30", closed="2023-05-01"
    )  # closed early: counts and is complete
    ledger.assign("t", "K3", "key_works", due="2023-09-30")
    ledger.assess("t", "K3", "0.5", "2023-06-15")  # assessed early: counts at 0.5
    # as of 06-30: (0 + 1 + 0.5) / 3 of 80
    assert completion(ledger, "2023-06-30") == 80 * F(0 + 1 + F(1, 2), 3)  # = 40


# ---------------------------------------------------------------- completion floor


def test_extensions_after_the_completion_section_is_exhausted_apply_nothing(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-06-30")
    ledger.assign("t", "K2", "key_works", due="2023-06-30")
    # the year-end evaluation finds both items not done at all: section 80 − 40 − 40 = 0 ...
    ledger.assess("t", "K1", "0", "2023-12-20")
    ledger.assess("t", "K2", "0", "2023-12-20")
    # ... and the office re-issues supervision notices for both afterwards
    ledger.extend("t", "K1", due="2024-03-31", day="2023-12-22")
    ledger.extend("t", "K2", due="2024-03-31", day="2023-12-22")
    unit = ledger.score().unit("t")
    assert unit.section("completion").exact == 0
    extensions = lines_of(unit, "item_extended")
    assert [line.points for line in extensions] == [-1, -1]
    assert [line.applied for line in extensions] == [0, 0]
    assert [line.limited_by for line in extensions] == ["section_floor", "section_floor"]


def test_extensions_never_take_the_completion_section_below_zero(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.assign("t", "K1", "key_works", due="2023-03-31")
    ledger.extend("t", "K1", due="2023-06-30", day="2023-03-25")
    ledger.extend("t", "K1", due="2023-09-30", day="2023-06-25")  # never closed
    unit = ledger.score().unit("t")
    section = unit.section("completion")
    # 80 − 80 (the only item incomplete) − 2 (extensions) = −2 → floor 0
    assert section.exact == 0
    lines = section_lines(unit, "completion")
    assert sum(line.points for line in lines) == -80 - 2
    assert sum(line.applied for line in lines) == -80
    cut = [line for line in lines if line.applied != line.points]
    assert sum(line.applied - line.points for line in cut) == 2
    assert all(line.limited_by == "section_floor" for line in cut)


# ---------------------------------------------------------------- 三(四) bonus


def test_bonus_circulated_commendation_earns_5(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.commend("t", "2023-05-01", circulated=True, level="city")
    assert ledger.score().unit("t").section("bonus").exact == 5


def test_bonus_commendation_not_circulated_earns_nothing(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.commend("t", "2023-05-01", circulated=False, level="city")
    unit = ledger.score().unit("t")
    assert unit.section("bonus").exact == 0
    assert all(line.applied == 0 for line in section_lines(unit, "bonus"))


def test_bonus_four_circulated_commendations_reach_20_without_limit(ledger: Ledger) -> None:
    ledger.unit("t")
    for month in (2, 4, 6, 8):
        ledger.commend("t", f"2023-{month:02d}-10", circulated=True)
    unit = ledger.score().unit("t")
    assert unit.section("bonus").exact == 4 * 5
    assert all(line.limited_by is None for line in lines_of(unit, "circulated_commendation"))


def test_bonus_is_capped_at_20_and_the_fifth_commendation_applies_nothing(
    ledger: Ledger,
) -> None:
    ledger.unit("t")
    for month in (2, 4, 6, 8, 10):
        ledger.commend("t", f"2023-{month:02d}-10", circulated=True)
    unit = ledger.score().unit("t")
    assert unit.section("bonus").exact == 20  # min(5 × 5, 20)
    assert unit.section("bonus").score == D("20.00")
    lines = sorted(lines_of(unit, "circulated_commendation"), key=lambda line: line.date)
    assert [line.points for line in lines] == [5, 5, 5, 5, 5]
    assert [line.applied for line in lines] == [5, 5, 5, 5, 0]
    assert [line.limited_by for line in lines] == [None, None, None, None, "section_cap"]


# ---------------------------------------------------------------- scoring as of a date


def test_same_stream_as_of_mid_year_and_year_end(ledger: Ledger) -> None:
    add_mid_year_stream(ledger, "t")

    mid = ledger.score("2023-06-30").unit("t")
    assert mid.section("organisation").exact == 5
    # months 1–6 only; missed: 3 and 6 (its report is dated 07-03); work plan missing
    assert mid.section("timeliness").exact == 15 - 2 - 2  # = 11
    # undertaken: work_report, key_works (P1 not yet assigned) → 80×20/35, 80×15/35;
    # work_report counts W1 (done) and W2 (due 06-30, unclosed) → × 1/2;
    # key_works: K1's due in force is 10-31, nothing counted → full share; K1 extended −1
    assert mid.section("completion").exact == F(80 * 20, 35) * F(1, 2) + F(80 * 15, 35) - 1
    assert mid.section("completion").exact == F(393, 7)
    assert mid.section("completion").score == D("56.14")
    assert mid.section("bonus").exact == 5  # the September commendation is after the date
    assert mid.total == D("5.00") + D("11.00") + D("56.14") + D("5.00")  # = 77.14

    end = ledger.score("2023-12-31").unit("t")
    assert end.section("organisation").exact == 5
    # work plan fixed on 09-10; missed 3, 6 (late), 12 → −3 − 2
    assert end.section("timeliness").exact == 15 - 3 - 2  # = 10
    # shares 32, 24, 24; W2 closed late → work_report × 1/2; K1 and P1 complete; −1 extension
    assert end.section("completion").exact == 32 * F(1, 2) + 24 + 24 - 1  # = 63
    assert end.section("bonus").exact == 10
    assert end.total == D("5.00") + D("10.00") + D("63.00") + D("10.00")  # = 88.00


# ---------------------------------------------------------------- 四 ranking and conversion


def test_ranking_within_groups_with_shared_ranks(ledger: Ledger) -> None:
    # nobody reports: every unit starts from 5 + (15 − 12 − 2) + 80 + 0 = 86
    for unit_id, kind in (
        ("t1", "town"),
        ("s1", "subdistrict"),
        ("z1", "zone"),
        ("t2", "town"),
        ("d1", "department"),
        ("d2", "department"),
    ):
        ledger.unit(unit_id, kind)
    ledger.commend("t1", "2023-03-01", circulated=True)
    ledger.commend("t1", "2023-04-01", circulated=True)  # 86 + 10 = 96
    ledger.commend("s1", "2023-03-01", circulated=True)  # 86 + 5 = 91
    ledger.commend("z1", "2023-05-01", circulated=True)  # 86 + 5 = 91
    ledger.inspect("d1", "2023-03-01", has_office=False)  # 86 − 2 = 84; d2 stays 86
    report = ledger.score()
    totals = {u.unit: u.total for u in report.units}
    assert totals == {
        "t1": D(96),
        "s1": D(91),
        "z1": D(91),
        "t2": D(86),
        "d1": D(84),
        "d2": D(86),
    }
    ranks = {u.unit: u.rank for u in report.units}
    assert ranks == {"t1": 1, "s1": 2, "z1": 2, "t2": 4, "d2": 1, "d1": 2}
    groups = {u.unit: u.group for u in report.units}
    assert groups == {
        "t1": "towns",
        "s1": "towns",
        "z1": "towns",
        "t2": "towns",
        "d1": "departments",
        "d2": "departments",
    }


def test_conversion_equals_the_total_when_p_is_100(ledger: Ledger) -> None:
    add_worked_example(ledger, "town-a")
    unit = ledger.score().unit("town-a")
    assert unit.converted == D("87.11")  # 87.11 ÷ 100 × 100
    assert unit.converted == unit.total


def test_conversion_is_capped_at_p(ledger: Ledger) -> None:
    ledger.unit("t")
    ledger.reports("t")
    ledger.commend("t", "2023-03-01", circulated=True)
    ledger.commend("t", "2023-04-01", circulated=True)
    unit = ledger.score().unit("t")
    assert unit.total == D(5 + 15 + 80 + 10)  # 110
    assert unit.converted == D(100)  # min(110 ÷ 100 × 100, 100)


# ---------------------------------------------------------------- the explanation trail


@pytest.mark.parametrize("as_of", ["2023-03-31", "2023-06-30", "2023-12-31"])
def test_every_explanation_trail_adds_up(ledger: Ledger, as_of: str) -> None:
    add_worked_example(ledger, "town-a")
    add_mid_year_stream(ledger, "town-b")
    ledger.unit("empty", "zone")
    ledger.unit("dept", "department")
    ledger.inspect("dept", "2023-01-15", has_work_plan=False, ledger_complete=False)
    ledger.inspect("dept", "2023-02-15", has_office=False, has_staff=False)
    ledger.assign("dept", "dept-K1", "key_works", due="2023-03-31")
    ledger.extend("dept", "dept-K1", due="2023-06-30", day="2023-03-25")
    ledger.assign("dept", "dept-I1", "instructions", due="2023-02-28", closed="2023-03-05")
    for month in (2, 3, 4, 5, 6, 7):
        ledger.commend("dept", f"2023-{month:02d}-10", circulated=True)
    report = ledger.score(as_of)
    assert {u.unit for u in report.units} == {"town-a", "town-b", "empty", "dept"}
    for unit in report.units:
        for section in unit.sections:
            applied = sum((line.applied for line in section_lines(unit, section.id)), start=F(0))
            assert section.start + applied == section.exact, (unit.unit, section.id)
            assert section.score == half_up(section.exact), (unit.unit, section.id)
            assert section.points is not None
            assert 0 <= section.exact <= section.points
        assert unit.total == sum((s.score for s in unit.sections), start=D(0))
        assert unit.exact_total == sum((s.exact for s in unit.sections), start=F(0))
        assert {line.section for line in unit.lines} <= {s.id for s in unit.sections}
