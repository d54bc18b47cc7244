"""A `Scorer` fed night by night gives, at every step, the report of scoring it all at once.

The ledgers come from the public strategies in `assessment.testing`. They are
split in scoring order (date, then an item's lifecycle stage), as a ledger
grows: every batch is checked against what came before, and the scorer's
report after each batch must equal batch scoring of everything so far.
"""

from __future__ import annotations

import decimal
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assessment
from assessment import EventsError, Report, Roster, Scheme
from assessment.testing import event_streams, rosters

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]
_STAGE = {"item_assigned": 0, "item_extended": 1, "item_closed": 2, "item_assessed": 3}

Record = dict[str, Any]


def _in_scoring_order(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (str(r["date"]), _STAGE.get(r["type"], 4), r["id"]))


def _batch_report(
    scheme: Scheme, roster: Roster, records: list[Record], as_of: date | None = None
) -> Report:
    log = assessment.parse_events(records, scheme, roster)
    return assessment.score(scheme, roster, log, as_of)


def _cases(scheme: Scheme) -> st.SearchStrategy[tuple[Roster, list[Record], list[int]]]:
    def with_cuts(roster: Roster) -> st.SearchStrategy[tuple[Roster, list[Record], list[int]]]:
        return event_streams(scheme, roster).flatmap(
            lambda records: st.lists(st.integers(0, len(records)), max_size=4).map(
                lambda cuts: (roster, _in_scoring_order(records), sorted(cuts))
            )
        )

    return rosters(scheme, max_units=4).flatmap(with_cuts)


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_batches_score_as_the_whole_stream_at_every_step(path: Path) -> None:
    scheme = assessment.load_scheme(path)

    @settings(max_examples=15, deadline=None)
    @given(case=_cases(scheme))
    def check(case: tuple[Roster, list[Record], list[int]]) -> None:
        roster, records, cuts = case
        scorer = assessment.Scorer(scheme, roster)
        start = 0
        for end in [*cuts, len(records)]:
            scorer.add(records[start:end], source=f"night-{start}")
            start = max(start, end)
            assert scorer.report() == _batch_report(scheme, roster, records[:start])

    check()


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_a_scorer_answers_as_of_any_date_without_rereading(path: Path) -> None:
    scheme = assessment.load_scheme(path)
    days = st.dates(scheme.period.start, scheme.period.end)

    @settings(max_examples=10, deadline=None)
    @given(case=_cases(scheme), first=days, second=days)
    def check(case: tuple[Roster, list[Record], list[int]], first: date, second: date) -> None:
        roster, records, _ = case
        scorer = assessment.Scorer(scheme, roster)
        scorer.add(records)
        # Asked in turn, and again, each date's report is batch scoring as of that date.
        for day in (first, second, first, None):
            assert scorer.report(day) == _batch_report(scheme, roster, records, day)

    check()


def _example(*, read: bool = False) -> tuple[Scheme, Roster, assessment.Scorer]:
    """The 2023 scheme, the example district, and a scorer (holding its year, with `read`)."""
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "examples/2023/roster.csv", scheme)
    scorer = assessment.Scorer(scheme, roster)
    if read:
        scorer.read(ROOT / "examples/2023/events.jsonl")
    return scheme, roster, scorer


def _event(ident: str, kind: str, day: str, **fields: str) -> Record:
    return {"id": ident, "type": kind, "date": day, "unit": "town-qingshi", **fields}


def _assigned(ident: str, item: str, day: str, due: str) -> Record:
    return _event(ident, "item_assigned", day, item=item, category="work_report", due=due)


def test_a_faulty_batch_changes_nothing() -> None:
    scheme, roster, scorer = _example()
    records = [
        _assigned("a1", "i1", "2023-02-01", "2023-03-31"),
        _assigned("a2", "i2", "2023-02-01", "2023-03-31"),
    ]
    assert scorer.add(records) == 2
    before, digest = scorer.report(), scorer.digest
    faulty = [
        _event("c1", "item_closed", "2023-03-01", item="i1"),  # valid: closes i1 on time
        _event("c2", "item_closed", "2023-03-01", item="i9"),  # i9 was never assigned
        _event("a2", "item_closed", "2023-03-02", item="i2"),  # reuses an id of batch 1
    ]
    with pytest.raises(EventsError) as caught:
        scorer.add(faulty, source="night-2")
    assert [(p.line, p.path) for p in caught.value.problems] == [(2, "item"), (3, "id")]
    assert "already used by a different event (<events>:2)" in str(caught.value)
    assert scorer.events == 2 and scorer.digest == digest
    assert scorer.report() == before
    # The good closure, sent again alone, is taken; an identical re-delivery is dropped.
    assert scorer.add(faulty[:1]) == 1
    assert scorer.add([records[0], faulty[0]]) == 0
    assert scorer.report() == _batch_report(scheme, roster, [*records, faulty[0]])


def test_a_batch_is_checked_with_the_history_it_joins() -> None:
    """An extension that is not later than the due date in force is refused, whichever
    batch set that date; so is a second assignment of an item."""
    *_, scorer = _example()
    scorer.add(
        [
            _assigned("a1", "i1", "2023-02-01", "2023-03-31"),
            _event("x1", "item_extended", "2023-03-20", item="i1", due="2023-04-30", reason="复杂"),
        ]
    )
    with pytest.raises(EventsError) as caught:
        scorer.add(
            [
                _event(
                    "x2", "item_extended", "2023-04-01", item="i1", due="2023-04-15", reason="再议"
                ),
                _assigned("a9", "i1", "2023-05-01", "2023-06-30"),
            ],
            source="night-2",
        )
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "2023-04-15 is not later than the due date in force, 2023-04-30 (<events>:2)",
        "item 'i1' is already assigned by event 'a1' (<events>:1): an item is assigned only once",
    ]
    assert scorer.events == 2


def test_a_report_without_trail_has_the_same_scores() -> None:
    *_, scorer = _example(read=True)
    full, bare = scorer.report(), scorer.report(trail=False)
    assert any(unit.lines for unit in full.units)
    assert all(not unit.lines for unit in bare.units)
    assert [u.model_copy(update={"lines": ()}) for u in full.units] == list(bare.units)
    assert scorer.report() == full


def test_a_sealed_scorer_reports_but_takes_no_more_events() -> None:
    *_, scorer = _example(read=True)
    before = scorer.report()
    scorer.seal()
    assert scorer.report() == before
    with pytest.raises(RuntimeError, match="sealed"):
        scorer.add([_assigned("a1", "i1", "2023-02-01", "2023-03-31")])


def test_text_that_is_not_unicode_is_a_problem_not_a_crash() -> None:
    *_, scorer = _example()
    record = _event("n1", "commendation", "2023-05-01", level="city", note="\ud800")
    with pytest.raises(EventsError, match="lone surrogate"):
        scorer.add([{**record, "circulated": True}])
    assert scorer.events == 0


def test_scores_do_not_depend_on_the_callers_decimal_context() -> None:
    scheme, roster, scorer = _example(read=True)
    expected = scorer.report()
    fresh = assessment.Scorer(scheme, roster)
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        fresh.read(ROOT / "examples/2023/events.jsonl")
        assert fresh.report() == expected
