"""Text from input files that could harm where it is shown: control characters on a terminal,
formulas in Excel, characters that standard output's encoding cannot hold."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

import assessment
from assessment import Report, RosterError
from assessment._internal.text.printable import printable
from assessment.cli import main
from assessment.render import csv as render_csv
from assessment.render import explanation as render_explanation
from assessment.render import table as render_table

ROOT = Path(__file__).resolve().parent.parent
SCHEME_2024 = ROOT / "schemes/examples/district-2024.yaml"
# Every character the renderers must not write raw: C0 and C1 controls, DEL, the line
# separators and a right-to-left override.
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("青石镇人民政府", "青石镇人民政府"),
        ("\x1b[2J清屏", "\\x1b[2J清屏"),
        ("a\tb\nc\rd\x00e\x7ff", "a\\x09b\\x0ac\\x0dd\\x00e\\x7ff"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI of C1
        ("行\u2028分隔", "行\\u2028分隔"),
        ("abc\u202edef", "abc\\u202edef"),  # would show 'abcfed'
        ("a\ud800b", "a\\ud800b"),  # a lone surrogate, which no encoding writes
        ("全角　空格 and\u00a0nbsp", "全角　空格 and\u00a0nbsp"),  # spaces are text
        ("\\x1b", "\\x1b"),  # already visible: left as it is
    ],
)
def test_printable_escapes_control_characters_and_nothing_else(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.fixture(scope="module")
def hostile_report() -> tuple[Report, str]:
    """A 2024 report whose scheme title, a unit's name and id, and an adjustment's reason all
    hold escapes: the name and id as a Report built elsewhere could carry them."""
    text = SCHEME_2024.read_text(encoding="utf-8")
    text = text.replace("title: 2024年政务督查工作考核方案", 'title: "2024年\\e[31m考核方案"')
    scheme = assessment.parse_scheme(text, "hostile.yaml")
    roster = assessment.read_roster(ROOT / "examples/district-2024/roster.csv", scheme)
    unit = roster.units[0].id
    adjustment = {
        "id": "adjust-1",
        "type": "adjustment",
        "date": "2024-12-20",
        "unit": unit,
        "rule": "comprehensive",
        "points": "2",
        "reason": "成效突出\x1b]0;owned\x07\u202e",
    }
    report = assessment.score(scheme, roster, assessment.parse_events([adjustment], scheme, roster))
    hostile = report.units[0].model_copy(update={"name": "甲\x1b[2J镇", "unit": unit})
    return report.model_copy(update={"units": (hostile, *report.units[1:])}), unit


def test_the_table_shows_control_characters_escaped(hostile_report: tuple[Report, str]) -> None:
    report, _ = hostile_report
    table = render_table(report)
    assert not _RAW.search(table)
    assert table.splitlines()[0].startswith("2024年\\x1b[31m考核方案(district-2024")
    assert "甲\\x1b[2J镇" in table


def test_an_explanation_shows_control_characters_escaped(
    hostile_report: tuple[Report, str],
) -> None:
    report, unit = hostile_report
    text = render_explanation(report, report.unit(unit))
    assert not _RAW.search(text)
    assert "调整理由: 成效突出\\x1b]0;owned\\x07\\u202e" in text
    assert f"甲\\x1b[2J镇({unit}," in text


def test_a_roster_with_control_characters_is_refused(tmp_path: Path) -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "units:\n"
        '  - {id: town-a, name: "青石镇\\t人民政府", kind: town}\n'
        '  - {id: "zo\\x85ne", name: 高新区, kind: "zo\\u2029ne"}\n',
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as caught:
        assessment.read_roster(roster, scheme)
    assert [str(p) for p in caught.value.problems] == [
        f"{roster}:2:24 name: must not hold control characters (\\x09): remove them"
        " (got '青石镇\\t人民政府')",
        f"{roster}:3:10 id: must not hold control characters (\\x85): remove them"
        " (got 'zo\\x85ne')",
        f"{roster}:3:39 kind: must not hold control characters (\\u2029): remove them"
        " (got 'zo\\u2029ne')",
    ]


def _csv_rows(report: Report) -> list[list[str]]:
    return list(csv.reader(io.StringIO(render_csv(report))))


@pytest.fixture(scope="module")
def report_2023() -> Report:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme)
    path = ROOT / "tests/data/valid/events/closed_same_day.jsonl"
    return assessment.score(scheme, roster, assessment.read_events(path, scheme, roster))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_cells_that_excel_would_run_start_with_a_quote(
    report_2023: Report, start: str
) -> None:
    report = report_2023
    units = tuple(
        u.model_copy(update={"name": f"{start}HYPERLINK(x)", "unit": f"{start}{u.unit}"})
        for u in report.units
    )
    groups = tuple(g.model_copy(update={"name": f"{start}{g.name}"}) for g in report.groups)
    rows = _csv_rows(report.model_copy(update={"units": units, "groups": groups}))[1:]
    assert len(rows) == len(report.units) == 5
    for row, unit in zip(rows, report.units, strict=True):
        group = next(g.name for g in report.groups if g.id == unit.group)
        assert row[0] == f"'{start}{group}"
        assert row[2] == f"'{start}{unit.unit}"
        assert row[3] == f"'{start}HYPERLINK(x)"


def test_csv_text_that_excel_would_not_run_is_left_as_it_is(report_2023: Report) -> None:
    units = tuple(
        u.model_copy(update={"name": f"普通=名称 {n}", "kind": f"k-{n}@x"})
        for n, u in enumerate(report_2023.units)
    )
    rows = _csv_rows(report_2023.model_copy(update={"units": units}))[1:]
    assert [(row[3], row[4]) for row in rows] == [(f"普通=名称 {n}", f"k-{n}@x") for n in range(5)]


def test_csv_figures_keep_their_minus_sign(report_2023: Report) -> None:
    # Figures are numbers to Excel, and must stay numbers: only text cells are quoted.
    first = report_2023.units[0]
    sections = (first.sections[0].model_copy(update={"score": Decimal("-1.50")}),)
    negative = first.model_copy(
        update={"total": Decimal("-1.00"), "sections": sections + first.sections[1:]}
    )
    report = report_2023.model_copy(update={"units": (negative, *report_2023.units[1:])})
    row = _csv_rows(report)[1]
    assert row[5] == "-1.50"
    assert row[9] == "-1.00"


def test_standard_output_whose_encoding_cannot_hold_a_name_gets_it_in_utf8(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,kind\ntown-a,青石镇人民政府,town\ndept-x,区𠀀局,department\n", encoding="utf-8"
    )
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    code = main(
        [
            "score",
            str(ROOT / "schemes/2023.yaml"),
            "--roster",
            str(roster),
            "--events",
            str(ROOT / "tests/data/valid/events/closed_same_day.jsonl"),
        ],
        stdout=stdout,
    )
    stdout.flush()
    assert code == 0
    assert stdout.encoding == "gbk"  # the caller's stream is given back as it was
    shown = raw.getvalue().decode("utf-8")  # GBK has no 𠀀: UTF-8, whatever it said
    assert "1     区𠀀局  dept-x" in shown
