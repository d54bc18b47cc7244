"""Reading rosters and event streams: formats agree, order and re-delivery never matter,
and every breach of the event contract is reported, located, all at once."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assessment._internal.ledger.eventlog import EventLog
from assessment._internal.load.roster import read_roster
from assessment._internal.load.scheme import load_scheme
from assessment._internal.score.api import score_files
from assessment._internal.score.scorer import Scorer, parse_events, read_events
from assessment._internal.text import lines as line_cutting
from assessment.errors import EventsError, Problem, RosterError
from assessment.events import ItemAssessed
from assessment.roster import Roster, Unit
from assessment.scheme import Scheme

ROOT = Path(__file__).resolve().parent.parent

LEDGER_JSONL = """\
{"id": "e1", "type": "item_assigned", "date": "2023-01-10", "unit": "town-a", "item": "GZBG-001", "category": "work_report", "due": "2023-06-30", "title": "改造老旧小区3个"}
{"id": "e2", "type": "report_submitted", "date": "2023-01-31", "unit": "town-a", "month": "2023-01"}
{"id": "e3", "type": "item_extended", "date": "2023-06-25", "unit": "town-a", "item": "GZBG-001", "due": "2023-09-30", "reason": "施工许可延迟"}
{"id": "e4", "type": "item_closed", "date": "2023-09-18", "unit": "town-a", "item": "GZBG-001"}
{"id": "e5", "type": "commendation", "date": "2023-10-08", "unit": "town-a", "level": "city", "circulated": true, "item": "GZBG-001"}
{"id": "e6", "type": "item_assessed", "date": "2023-12-20", "unit": "town-a", "item": "GZBG-001", "completion": 0.35}
{"id": "e7", "type": "inspection", "date": "2023-03-15", "unit": "street-east", "has_office": true, "ledger_complete": false}
"""

LEDGER_CSV = """\
id,type,date,unit,item,category,due,title,reason,completion,month,level,circulated,has_office,ledger_complete
e1,item_assigned,2023-01-10,town-a,GZBG-001,work_report,2023-06-30,改造老旧小区3个,,,,,,,
e2,report_submitted,2023-01-31,town-a,,,,,,,2023-01,,,,
e3,item_extended,2023-06-25,town-a,GZBG-001,,2023-09-30,,施工许可延迟,,,,,,
e4,item_closed,2023-09-18,town-a,GZBG-001,,,,,,,,,,
e5,commendation,2023-10-08,town-a,GZBG-001,,,,,,,city,true,,
e6,item_assessed,2023-12-20,town-a,GZBG-001,,,,,0.35,,,,,
e7,inspection,2023-03-15,street-east,,,,,,,,,,TRUE,False
"""

ASSIGN = (
    '{"id": "a1", "type": "item_assigned", "date": "2023-01-10", "unit": "town-a", '
    '"item": "GZBG-001", "category": "work_report", "due": "2023-06-30"}'
)


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return load_scheme(ROOT / "schemes/2023.yaml")


@pytest.fixture(scope="module")
def roster(scheme: Scheme) -> Roster:
    return read_roster(ROOT / "tests/data/roster.csv", scheme)


def _write(directory: Path, name: str, content: str | bytes) -> str:
    path = directory / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return str(path)


def _problems(
    name: str, content: str | bytes, tmp_path: Path, scheme: Scheme, roster: Roster
) -> list[Problem]:
    file = _write(tmp_path, name, content)
    with pytest.raises(EventsError) as caught:
        read_events(file, scheme, roster)
    assert all(p.file == file for p in caught.value.problems)
    return list(caught.value.problems)


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _on_item(type_: str, day: str, **fields: object) -> str:
    """A line about an item: id x, unit town-a and item GZBG-001 unless told, in that key order."""
    event_id = fields.pop("id", "x")
    unit = fields.pop("unit", "town-a")
    item = fields.pop("item", "GZBG-001")
    return _line(id=event_id, type=type_, date=day, unit=unit, item=item, **fields)


# ---------------------------------------------------------------- formats agree


def test_jsonl_and_csv_give_equal_event_logs(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    from_jsonl = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    from_csv = read_events(_write(tmp_path, "a.csv", LEDGER_CSV), scheme, roster)
    assert len(from_jsonl) == 7
    assert from_csv == from_jsonl
    assert from_csv.digest == from_jsonl.digest


@pytest.mark.parametrize("suffix", [".ndjson", ".json", ".JSONL"])
def test_every_json_lines_suffix_is_read(
    suffix: str, tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    expected = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    assert read_events(_write(tmp_path, "b" + suffix, LEDGER_JSONL), scheme, roster) == expected


def test_completion_is_read_as_an_exact_decimal(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    for name, text in (("a.jsonl", LEDGER_JSONL), ("a.csv", LEDGER_CSV)):
        log = read_events(_write(tmp_path, name, text), scheme, roster)
        assessed = [e for e in log.events if isinstance(e, ItemAssessed)]
        assert [type(e.completion) for e in assessed] == [Decimal]
        assert [str(e.completion) for e in assessed] == ["0.35"]


def test_a_byte_order_mark_is_accepted(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    plain = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    bom = "\ufeff"
    assert read_events(_write(tmp_path, "b.jsonl", bom + LEDGER_JSONL), scheme, roster) == plain
    excel = bom + LEDGER_CSV.replace("\n", "\r\n")
    assert read_events(_write(tmp_path, "b.csv", excel), scheme, roster) == plain


def test_blank_lines_are_skipped(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    plain = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    spaced = "\n  \n" + LEDGER_JSONL.replace("\n", "\n\n") + "\n\n"
    assert read_events(_write(tmp_path, "b.jsonl", spaced), scheme, roster) == plain
    spaced_csv = LEDGER_CSV.replace("\n", "\n,,,\n", 2) + "\n\n"
    assert read_events(_write(tmp_path, "b.csv", spaced_csv), scheme, roster) == plain


def test_an_empty_cell_is_an_absent_field(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    text = "id,type,date,unit,has_office,has_staff\nx,inspection,2023-03-15,town-a,,false\n"
    (event,) = read_events(_write(tmp_path, "a.csv", text), scheme, roster).events
    assert event.model_dump(exclude_none=True)["has_staff"] is False
    assert "has_office" not in event.model_dump(exclude_none=True)


def test_several_streams_are_read_as_one(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    whole = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    lines = LEDGER_JSONL.splitlines(keepends=True)
    first = _write(tmp_path, "one.jsonl", "".join(lines[:3]))
    second = _write(tmp_path, "two.jsonl", "".join(lines[3:]))
    assert read_events([first, Path(second)], scheme, roster) == whole


_BLANK = "the file is empty or holds only blank lines"
_HEADER_ONLY = "it has a header and no rows"


@pytest.mark.parametrize(
    "case",
    [
        ("a.jsonl", "", _BLANK),
        ("a.jsonl", "\n  \n\r\n\t\n", _BLANK),
        ("a.ndjson", b"\xef\xbb\xbf\n", _BLANK),
        ("a.csv", "", _BLANK),
        ("a.csv", "\n\n", _BLANK),
        ("a.csv", "id,type,date,unit\n", _HEADER_ONLY),
        ("a.csv", "\ufeffid,type,date,unit\r\n\r\n,,,\r\n", _HEADER_ONLY),
    ],
)
def test_a_stream_that_holds_no_events_is_refused(
    tmp_path: Path, scheme: Scheme, roster: Roster, case: tuple[str, str | bytes, str]
) -> None:
    # Scored, it would rank every unit first, tied: most likely the wrong file was given.
    name, content, held = case
    path = _write(tmp_path, name, content)
    ledger = _write(tmp_path, "ledger.jsonl", LEDGER_JSONL)
    expected = [f"{path}: holds no events: {held}; check that this is the right file"]
    for paths in (path, [ledger, path]):
        with pytest.raises(EventsError) as caught:
            read_events(paths, scheme, roster)
        assert [str(p) for p in caught.value.problems] == expected
        for jobs in (1, 2):
            with pytest.raises(EventsError) as caught:
                score_files(scheme, roster, paths, jobs=jobs)
            assert [str(p) for p in caught.value.problems] == expected


def test_a_scorer_reads_an_empty_nightly_file_as_no_new_events(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    scorer = Scorer(scheme, roster)
    assert scorer.read(_write(tmp_path, "ledger.jsonl", LEDGER_JSONL)) == 7
    before = scorer.report()
    assert scorer.read(_write(tmp_path, "night.jsonl", "")) == 0
    assert scorer.read(_write(tmp_path, "night.csv", "id,type,date,unit\n")) == 0
    assert scorer.events == 7
    assert scorer.report() == before


def test_a_file_whose_lines_are_all_faulty_is_not_also_called_empty(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    faulty = _write(tmp_path, "a.jsonl", "\n[1]\n\n")
    with pytest.raises(EventsError) as caught:
        read_events(faulty, scheme, roster)
    assert [str(p) for p in caught.value.problems] == [
        f"{faulty}:2: must be an object with the event's fields (got a list)"
    ]
    header = _write(tmp_path, "a.csv", "id,type,dat,unit\n")
    with pytest.raises(EventsError) as caught:
        read_events(header, scheme, roster)
    assert all("holds no events" not in str(p) for p in caught.value.problems)
    assert (
        len(read_events(_write(tmp_path, "b.jsonl", "\n" + ASSIGN + "\n\n"), scheme, roster)) == 1
    )


def test_no_stream_at_all_is_a_programming_error(scheme: Scheme, roster: Roster) -> None:
    with pytest.raises(ValueError, match="at least one"):
        read_events([], scheme, roster)


def test_parse_events_numbers_records_from_one(scheme: Scheme, roster: Roster) -> None:
    records = [json.loads(line, parse_float=Decimal) for line in LEDGER_JSONL.splitlines()]
    assert len(parse_events(records, scheme, roster)) == 7
    records[2]["unit"] = "town-z"
    with pytest.raises(EventsError) as caught:
        parse_events(records, scheme, roster, source="ledger")
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [("ledger", 3, "unit")]


# ---------------------------------------------------------------- order and re-delivery


def test_input_order_does_not_change_the_log(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    lines = LEDGER_JSONL.splitlines(keepends=True)
    logs = [
        read_events(_write(tmp_path, f"{n}.jsonl", "".join(order)), scheme, roster)
        for n, order in enumerate((lines, lines[::-1], lines[3:] + lines[:3]))
    ]
    assert logs[0] == logs[1] == logs[2]
    assert [e.id for e in logs[0].events] == ["e1", "e2", "e7", "e3", "e4", "e5", "e6"]


def test_identical_redelivery_is_ignored(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    plain = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    lines = LEDGER_JSONL.splitlines(keepends=True)
    again = read_events(
        _write(tmp_path, "b.jsonl", LEDGER_JSONL + lines[2] + lines[0]), scheme, roster
    )
    assert again.digest == plain.digest
    assert again == plain
    other = _write(tmp_path, "c.jsonl", lines[4])
    assert read_events([_write(tmp_path, "d.jsonl", LEDGER_JSONL), other], scheme, roster) == plain


def test_a_redelivery_written_differently_is_still_the_same_event(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    plain = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    as_csv = _write(tmp_path, "b.csv", LEDGER_CSV)
    assert read_events([_write(tmp_path, "c.jsonl", LEDGER_JSONL), as_csv], scheme, roster) == plain


def test_a_different_event_under_a_used_id_names_both_places(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    first = _write(tmp_path, "a.jsonl", LEDGER_JSONL)
    second = _write(
        tmp_path,
        "b.jsonl",
        _line(id="e2", type="report_submitted", date="2023-02-28", unit="town-a", month="2023-02"),
    )
    with pytest.raises(EventsError) as caught:
        read_events([first, second], scheme, roster)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (second, 1, "id")
    assert f"({first}:2)" in problem.message


# ---------------------------------------------------------------- contract violations

VIOLATIONS: list[tuple[str, list[str], int, str, str]] = [
    (
        "unknown unit",
        [_line(id="x", type="report_submitted", date="2023-01-31", unit="town-q", month="2023-01")],
        2,
        "unit",
        "unknown unit 'town-q'; did you mean 'town-a'?",
    ),
    (
        "unknown category",
        [_on_item("item_assigned", "2023-01-10", item="B", category="ten_thing", due="2023-06-30")],
        2,
        "category",
        "unknown category 'ten_thing'; did you mean 'ten_things'?",
    ),
    (
        "item assigned twice",
        [
            _on_item(
                "item_assigned",
                "2023-01-11",
                unit="town-baishui",
                category="work_report",
                due="2023-06-30",
            )
        ],
        2,
        "item",
        "item 'GZBG-001' is already assigned by event 'a1' (line 1): an item is assigned only once",
    ),
    (
        "extended but never assigned",
        [_on_item("item_extended", "2023-02-01", item="GZBG-002", due="2023-07-30", reason="r")],
        2,
        "item",
        "item 'GZBG-002' was never assigned; did you mean 'GZBG-001'?",
    ),
    (
        "assessed for another unit",
        [_on_item("item_assessed", "2023-12-01", unit="zone-hightech", completion=1)],
        2,
        "item",
        "item 'GZBG-001' is assigned to 'town-a' (line 1), not to 'zone-hightech'",
    ),
    (
        "extended before assigned",
        [_on_item("item_extended", "2023-01-09", due="2023-07-30", reason="r")],
        2,
        "date",
        "2023-01-09 is before item 'GZBG-001' was assigned, on 2023-01-10 (line 1)",
    ),
    (
        "assessed before assigned",
        [_on_item("item_assessed", "2023-01-02", completion="0.5")],
        2,
        "date",
        "2023-01-02 is before item 'GZBG-001' was assigned, on 2023-01-10 (line 1)",
    ),
    (
        "extension not later",
        [_on_item("item_extended", "2023-06-01", due="2023-06-29", reason="r")],
        2,
        "due",
        "2023-06-29 is not later than the due date in force, 2023-06-30 (line 1)",
    ),
    (
        "extension after closure",
        [
            _line(id="x1", type="item_closed", date="2023-05-01", unit="town-a", item="GZBG-001"),
            _on_item("item_extended", "2023-05-02", id="x2", due="2023-07-30", reason="r"),
        ],
        3,
        "item",
        "item 'GZBG-001' cannot be extended: it was closed on 2023-05-01 (line 2)",
    ),
    (
        "closed twice",
        [
            _line(id="x2", type="item_closed", date="2023-05-02", unit="town-a", item="GZBG-001"),
            _line(id="x1", type="item_closed", date="2023-05-01", unit="town-a", item="GZBG-001"),
        ],
        2,
        "item",
        "item 'GZBG-001' cannot be closed again: it was closed on 2023-05-01 (line 3)",
    ),
    (
        "commendation of an item never assigned to the unit",
        [
            _on_item(
                "commendation",
                "2023-05-01",
                unit="town-baishui",
                level="district",
                circulated=False,
            )
        ],
        2,
        "item",
        "item 'GZBG-001' is assigned to 'town-a' (line 1), not to 'town-baishui'",
    ),
    (
        "commendation of an unknown item",
        [_on_item("commendation", "2023-05-01", item="ZZZZ", level="city", circulated=True)],
        2,
        "item",
        "item 'ZZZZ' was never assigned",
    ),
    (
        "malformed field",
        [_on_item("item_assessed", "2023-12-01", completion="-0.1")],
        2,
        "completion",
        "must be at least 0 (got '-0.1')",
    ),
    (
        "inspection without a finding",
        [_line(id="x", type="inspection", date="2023-12-01", unit="town-a")],
        2,
        "",
        "an inspection must record at least one finding (has_office, has_staff, has_work_plan or ledger_complete)",
    ),
]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [(v[1], v[2:]) for v in VIOLATIONS],
    ids=[v[0] for v in VIOLATIONS],
)
def test_each_contract_violation_is_located(
    lines: list[str],
    expected: tuple[int, str, str],
    tmp_path: Path,
    scheme: Scheme,
    roster: Roster,
) -> None:
    text = "\n".join([ASSIGN, *lines]) + "\n"
    problems = _problems("s.jsonl", text, tmp_path, scheme, roster)
    assert [(p.line, p.path, p.message) for p in problems] == [expected]


def test_an_assessment_after_closure_is_fine(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    closed = _on_item("item_closed", "2023-05-01", id="x1")
    assessed = _on_item("item_assessed", "2023-12-01", id="x2", completion=1)
    text = "\n".join([ASSIGN, closed, assessed])
    assert len(read_events(_write(tmp_path, "a.jsonl", text), scheme, roster)) == 3


def test_extensions_are_checked_in_date_order_whatever_the_file_order(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    later = _on_item("item_extended", "2023-08-01", id="x2", due="2023-10-31", reason="r")
    first = _on_item("item_extended", "2023-06-01", id="x1", due="2023-08-31", reason="r")
    text = "\n".join([later, first, ASSIGN])
    assert len(read_events(_write(tmp_path, "a.jsonl", text), scheme, roster)) == 3


def test_several_faults_in_one_file_are_all_reported_at_once(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    lines = [
        ASSIGN,
        '{"id": "b", "type": "report_submitted", "date": "2023-02-30", "unit": "town-a", "month": "2023-02"}',
        "{not json",
        _line(id="c", type="item_closed", date="2023-05-01", unit="town-q", item="GZBG-001"),
        _on_item("item_extended", "2023-05-01", id="d", due="2023-06-01"),
        "[1, 2]",
        _line(id="e", type="item_closed", date="2023-05-01", unit="town-a", item="NOPE"),
        _line(id="a1", type="item_closed", date="2023-05-01", unit="town-a", item="GZBG-001"),
    ]
    problems = _problems("s.jsonl", "\n".join(lines), tmp_path, scheme, roster)
    assert [(p.line, p.path) for p in problems] == [
        (2, "date"),
        (3, ""),
        (4, "unit"),
        (5, "reason"),
        (6, ""),
        (7, "item"),
        (8, "id"),
    ]
    assert problems[1].column == 2  # invalid JSON is located to the character


def test_a_record_that_fails_validation_does_not_cascade(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    broken = ASSIGN.replace('"2023-06-30"', '"2023-06-31"')
    closed = _line(id="x", type="item_closed", date="2023-05-01", unit="town-a", item="GZBG-001")
    problems = _problems("s.jsonl", broken + "\n" + closed, tmp_path, scheme, roster)
    assert [(p.line, p.path) for p in problems] == [(1, "due")]


def test_unknown_type_and_field_suggest_a_fix(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    lines = [
        _line(id="x", type="inspecton", date="2023-03-01", unit="town-a", has_office=True),
        _line(id="y", type="inspection", date="2023-03-01", unit="town-a", has_ofice=True),
    ]
    problems = _problems("s.jsonl", "\n".join(lines), tmp_path, scheme, roster)
    assert [(p.line, p.path) for p in problems] == [(1, "type"), (2, "has_ofice")]
    assert problems[0].message.startswith(
        "unknown event type 'inspecton'; did you mean 'inspection'?"
    )
    assert "item_assigned, item_extended" in problems[0].message
    assert problems[1].message == "unknown field 'has_ofice'; did you mean 'has_office'?"


def test_invalid_utf8_names_the_line(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    raw = LEDGER_JSONL.encode("utf-8") + '{"title": "改造"}\n'.encode("gbk")
    problems = _problems("s.jsonl", raw, tmp_path, scheme, roster)
    assert [(p.line, p.column) for p in problems] == [(8, 12)]
    assert "not valid UTF-8" in problems[0].message


def test_a_float_constant_json_does_not_know_is_refused(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    text = (
        ASSIGN
        + '\n{"id": "x", "type": "item_assessed", "date": "2023-12-01", "unit": "town-a", "item": "GZBG-001", "completion": Infinity}\n'
    )
    problems = _problems("s.jsonl", text, tmp_path, scheme, roster)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "not valid JSON: Infinity is not a JSON number"
    ]


def test_an_overlong_line_is_refused_and_reading_goes_on(
    tmp_path: Path, scheme: Scheme, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_cutting, "MAX_LINE_BYTES", 200)
    long_line = _line(
        id="x", type="inspection", date="2023-03-01", unit="town-a", has_office=True, pad="z" * 500
    )
    text = "\n".join(
        [
            ASSIGN,
            long_line,
            _line(id="y", type="inspection", date="2023-03-01", unit="town-q", has_office=True),
        ]
    )
    problems = _problems("s.jsonl", text, tmp_path, scheme, roster)
    assert [(p.line, p.path, p.message) for p in problems] == [
        (2, "", "the line is longer than 200 bytes"),
        (3, "unit", "unknown unit 'town-q'; did you mean 'town-a'?"),
    ]


def test_too_many_lines_are_refused(
    tmp_path: Path, scheme: Scheme, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_cutting, "MAX_LINES", 3)
    problems = _problems("s.jsonl", LEDGER_JSONL, tmp_path, scheme, roster)
    assert [(p.line, p.message) for p in problems] == [
        (4, "more than 3 lines: split the stream into several files")
    ]


# A cell cannot hold a line break: each line is a record, so an open quote is refused on its
# line instead of swallowing the rows after it.
OPEN_QUOTE = (
    'a quote (") opened here is never closed on this line: close it, or remove it (a '
    "cell cannot hold a line break; in Excel, remove the Alt+Enter from the cell)"
)
CSV_FAULTS = [
    (
        "rows: an open quote, too few and too many cells, a field the type lacks",
        "id,type,date,unit,item,category,due,title\n"
        'a1,item_assigned,2023-01-10,town-a,GZBG-001,work_report,2023-06-30,"a title\n'
        'on two lines"\n'
        "a2,item_assigned,2023-01-10,town-a,GZBG-002,work_report,2023-06-30\n"
        "a3,item_closed,2023-02-10,town-a,GZBG-001,,,x\n",
        [
            (2, "", OPEN_QUOTE),
            (3, "", "the line has 1 cell but the header has 8 columns"),
            (4, "", "the line has 7 cells but the header has 8 columns"),
            (
                5,
                "title",
                "unknown field 'title' (fields of item_closed: date, id, item, type, unit)",
            ),
        ],
    ),
    (
        "header: a column without a name, one twice, a required one missing",
        "id,type,date,month,month,\nx,report_submitted,2023-01-31,2023-01,2023-01,\n",
        [
            (1, "", "column 6 has no name in the header"),
            (1, "month", "column 'month' appears twice in the header"),
            (1, "unit", "the header has no 'unit' column"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [v[1:] for v in CSV_FAULTS], ids=[v[0] for v in CSV_FAULTS]
)
def test_csv_problems_are_located(
    text: str,
    expected: list[tuple[int, str, str]],
    tmp_path: Path,
    scheme: Scheme,
    roster: Roster,
) -> None:
    problems = _problems("s.csv", text, tmp_path, scheme, roster)
    assert [(p.line, p.path, p.message) for p in problems] == expected


def test_unknown_format_and_unreadable_files_are_problems(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    text_file = _write(tmp_path, "events.txt", LEDGER_JSONL)
    missing = str(tmp_path / "missing.jsonl")
    with pytest.raises(EventsError) as caught:
        read_events([text_file, missing, str(tmp_path)], scheme, roster)
    messages = {p.file: p.message for p in caught.value.problems}
    assert messages[text_file] == "unknown stream format '.txt': use .jsonl, .ndjson, .json or .csv"
    assert messages[missing] == "cannot read the file: No such file or directory"
    assert len(messages) == 3


def test_an_input_file_is_never_modified(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    file = _write(tmp_path, "a.jsonl", LEDGER_JSONL + "junk\n")
    before = Path(file).read_bytes()
    with pytest.raises(EventsError):
        read_events(file, scheme, roster)
    assert Path(file).read_bytes() == before


# ---------------------------------------------------------------- the roster

ROSTER_YAML = """\
units:
  - id: town-a
    name: 青石镇人民政府
    kind: town
  - {id: town-baishui, name: 白水镇人民政府, kind: town}
  - id: street-east
    name: 东城街道办事处
    kind: subdistrict
  - id: zone-hightech
    name: 高新技术产业园管委会
    kind: zone
  - id: dept-housing
    name: 区住房和城乡建设局
    kind: department
"""


def test_the_roster_reads_the_same_from_csv_and_yaml(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    assert roster.units[0] == Unit(id="town-a", name="青石镇人民政府", kind="town")
    assert read_roster(_write(tmp_path, "r.yaml", ROSTER_YAML), scheme) == roster
    as_list = "\n".join(line[2:] for line in ROSTER_YAML.splitlines()[1:])
    assert read_roster(_write(tmp_path, "r.yml", as_list), scheme) == roster


def test_a_csv_roster_from_excel_is_read(tmp_path: Path, scheme: Scheme, roster: Roster) -> None:
    text = (ROOT / "tests/data/roster.csv").read_text(encoding="utf-8")
    reordered = "\ufeffkind , id,name\r\n" + "".join(
        f"{kind}, {uid} ,{name}\r\n"
        for uid, name, kind in (line.split(",") for line in text.splitlines()[1:])
    )
    assert read_roster(_write(tmp_path, "r.csv", reordered + "\r\n,,\r\n\r\n"), scheme) == roster


def test_roster_problems_are_all_reported_and_located(tmp_path: Path, scheme: Scheme) -> None:
    text = (
        "id,name,kind\n"
        "town-a,青石镇人民政府,town\n"
        "town-b,,town\n"
        "town-a,白水镇人民政府,town\n"
        "zone-x,管委会,zones\n"
    )
    file = _write(tmp_path, "r.csv", text)
    with pytest.raises(RosterError) as caught:
        read_roster(file, scheme)
    assert [(p.file, p.line, p.path, p.message) for p in caught.value.problems] == [
        (file, 3, "name", "must not be empty"),
        (file, 4, "id", "unit id 'town-a' is already used (line 2)"),
        (file, 5, "kind", "unknown kind 'zones'; did you mean 'zone'?"),
    ]


def test_yaml_roster_problems_carry_a_column(tmp_path: Path, scheme: Scheme) -> None:
    text = "- id: town-a\n  name: 青石镇\n  kind: town\n  knid: town\n- 3\n"
    file = _write(tmp_path, "r.yaml", text)
    with pytest.raises(RosterError) as caught:
        read_roster(file, scheme)
    assert [(p.line, p.column, p.path, p.message) for p in caught.value.problems] == [
        (4, 3, "knid", "unknown field 'knid'; did you mean 'kind'?"),
        (5, 3, "", "a unit must be a mapping with id, name and kind (got 3)"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.csv", "id,name,kind\n", "the roster lists no units"),
        ("r.yaml", "units: []\n", "the roster lists no units"),
        ("r.txt", "id,name,kind\n", "unknown roster format '.txt': use .csv, .yaml or .yml"),
        (
            "r.csv",
            b"id,name,kind\nx,\xb0\xd7,town\n",
            "not valid UTF-8 (byte 0xb0): save the file as UTF-8",
        ),
    ],
)
def test_an_unusable_roster_is_refused(
    name: str, content: str | bytes, message: str, tmp_path: Path, scheme: Scheme
) -> None:
    with pytest.raises(RosterError) as caught:
        read_roster(_write(tmp_path, name, content), scheme)
    assert [p.message for p in caught.value.problems] == [message]


def test_an_unreadable_roster_is_refused(tmp_path: Path, scheme: Scheme) -> None:
    with pytest.raises(RosterError) as caught:
        read_roster(tmp_path / "missing.csv", scheme)
    (problem,) = caught.value.problems
    assert (problem.line, problem.message) == (0, "cannot read the file: No such file or directory")


def test_an_event_log_is_what_event_log_of_gives(
    tmp_path: Path, scheme: Scheme, roster: Roster
) -> None:
    log = read_events(_write(tmp_path, "a.jsonl", LEDGER_JSONL), scheme, roster)
    assert log == EventLog.of(reversed(log.events))


def test_an_item_closed_on_its_assignment_day_is_closed_whatever_the_ids(
    scheme: Scheme, roster: Roster
) -> None:
    # 'e10' sorts before 'e2', but within a day an item's lifecycle runs in contract order.
    log = read_events(ROOT / "tests/data/valid/events/closed_same_day.jsonl", scheme, roster)
    assert [event.type for event in log.events] == ["item_assigned", "item_closed"]
