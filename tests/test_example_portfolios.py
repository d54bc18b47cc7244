"""The portfolios example: units ranked again by the county leader they are under (条线), and
their principals and deputies given the unit's result. Every figure computed by hand."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import assessment
from assessment import render
from assessment._internal.score.rollup import portfolio_ranking
from assessment.cli import main
from assessment.errors import RosterError

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes/examples/portfolios.yaml"
FOLDER = ROOT / "examples/portfolios"
INPUTS = [str(SCHEME), "--roster", str(FOLDER / "roster.csv")]
INPUTS += ["--events", str(FOLDER / "events.jsonl")]


def _report() -> assessment.Report:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(FOLDER / "roster.csv", scheme)
    events = assessment.read_events(FOLDER / "events.jsonl", scheme, roster)
    return assessment.score(scheme, roster, events)


def test_the_units_score_as_the_sentences_say() -> None:
    # 催办 每次扣5分 (section 80), 通报批评 每次扣4分 (section 20), base 100;
    # 优秀 ≥ 95, 良好 ≥ 80, else 一般; 通报批评 2次及以上 取消评先评优资格.
    found = {u.unit: (u.total, u.grade, [f.id for f in u.flags]) for u in _report().units}
    assert found == {
        "town-a": (Decimal("100.00"), "excellent", []),  # nothing
        "town-b": (Decimal("92.00"), "good", ["no_honours"]),  # 100 − 2×4
        "town-c": (Decimal("95.00"), "excellent", []),  # 100 − 5
        "dept-a": (Decimal("86.00"), "good", []),  # 100 − 2×5 − 4
        "dept-b": (Decimal("100.00"), "excellent", []),  # nothing
        "dept-c": (Decimal("77.00"), "fair", ["no_honours"]),  # 100 − 3×5 − 2×4
        "dept-d": (Decimal("95.00"), "excellent", []),  # 100 − 5
    }


def test_each_portfolio_is_the_mean_of_its_units_ranked() -> None:
    ranking = _report().portfolios
    assert ranking is not None
    found = [(e.id, e.exact, e.score, e.rank, e.units) for e in ranking.entries]
    assert found == [
        # 张: 东关镇 100 and 西湖镇 92: (100 + 92) / 2 = 96
        ("zhang", Fraction(96), Decimal("96.00"), 1, ("town-a", "town-b")),
        # 王: 住建局 100, 农业农村局 77, 水利局 95: 272 / 3 = 90.666…, shown 90.67
        ("wang", Fraction(272, 3), Decimal("90.67"), 2, ("dept-b", "dept-c", "dept-d")),
        # 李: 南山乡 95 and 财政局 86: 181 / 2 = 90.5
        ("li", Fraction(181, 2), Decimal("90.50"), 3, ("town-c", "dept-a")),
    ]


def test_a_sum_and_a_unit_left_out_and_a_tie() -> None:
    report = _report()
    scheme = assessment.load_scheme(SCHEME)
    assert scheme.portfolios is not None
    summed = scheme.model_copy(
        update={"portfolios": scheme.portfolios.model_copy(update={"score": "sum"})}
    )
    roster = assessment.read_roster(FOLDER / "roster.csv", scheme)
    # 农业农村局 not assessed: 王 = 100 + 95 = 195; 张 = 100 + 92 = 192; 李 = 95 + 86 = 181
    units = [u.model_copy(update={"assessed": u.unit != "dept-c"}) for u in report.units]
    ranking = portfolio_ranking(summed, roster, units)
    assert ranking is not None
    assert [(e.id, e.exact, e.rank, e.left_out) for e in ranking.entries] == [
        ("wang", Fraction(195), 1, ("dept-c",)),
        ("zhang", Fraction(192), 2, ()),
        ("li", Fraction(181), 3, ()),
    ]
    # 西湖镇 at 95 ties 张 (100 + 95 = 195) with 王 at 195: both 1st, 李 3rd (1, 1, 3)
    units = [
        u.model_copy(update={"total": Decimal(95)}) if u.unit == "town-b" else u for u in units
    ]
    ranking = portfolio_ranking(summed, roster, units)
    assert ranking is not None
    assert [(e.id, e.rank) for e in ranking.entries] == [("wang", 1), ("zhang", 1), ("li", 3)]


def test_persons_are_given_their_units_result_as_the_scheme_maps_it() -> None:
    found = [(p.unit, p.role, p.name, p.outcome, p.restrictions) for p in _report().persons]
    excellent, good, fair = "可确定为优秀等次", "一般确定为称职等次", "不得确定为优秀等次"
    barred = ("当年不得评为优秀",)  # 被取消评先评优资格的单位 → 不得评为优秀
    assert found == [
        ("town-a", "principal", "赵一", excellent, ()),
        ("town-a", "deputy", "钱二", excellent, ()),
        ("town-b", "principal", "孙三", good, barred),
        ("town-b", "deputy", "李四", good, barred),
        ("town-c", "principal", "周五", excellent, ()),
        ("town-c", "deputy", "吴六", excellent, ()),
        ("dept-a", "principal", "郑七", good, ()),
        ("dept-a", "deputy", "王八", good, ()),
        ("dept-b", "principal", "冯九", excellent, ()),
        ("dept-b", "deputy", "陈十", excellent, ()),
        ("dept-c", "principal", "褚一", fair, barred),
        ("dept-c", "deputy", "卫二", fair, barred),
        ("dept-d", "principal", "蒋三", excellent, ()),  # the deputy's post is vacant
    ]


def _printed(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0
    return out.getvalue()


def test_the_command_line_shows_the_roll_ups() -> None:
    report = _report()
    table = _printed("score", *INPUTS)
    assert table == render.table(report)
    assert "【县级领导联系条线】" in table and "【单位负责人考核结果】" in table
    assert _printed("score", *INPUTS, "--format", "csv", "--of", "portfolios") == (
        "排名,条线,代码,联系领导,计分单位数,得分\r\n"
        "1,张副县长联系条线,zhang,张副县长,2,96.00\r\n"
        "2,王副县长联系条线,wang,王副县长,3,90.67\r\n"
        "3,李副县长联系条线,li,李副县长,2,90.50\r\n"
    )
    persons = _printed("score", *INPUTS, "--format", "csv", "--of", "persons")
    assert persons.splitlines()[4] == (  # header, town-a ×2, town-b principal, deputy
        "town-b,西湖镇人民政府,分管负责人,李四,92.00,3,良好,一般确定为称职等次,当年不得评为优秀"
    )
    explained = _printed("explain", *INPUTS, "--portfolio", "wang")
    assert explained == render.portfolio_explanation(report, "wang")
    assert "得分 = (100.00 + 77.00 + 95.00) / 3 = 272/3 = 90.67" in explained
    entry = json.loads(_printed("explain", *INPUTS, "--portfolio", "li", "--format", "json"))
    assert (entry["score"], entry["score_exact"], entry["rank"]) == ("90.50", "90.5", 3)
    assert entry["format_version"] == "1.0"
    whole = json.loads(_printed("score", *INPUTS, "--format", "json"))
    assert [e["id"] for e in whole["portfolios"]["entries"]] == ["zhang", "wang", "li"]
    assert len(whole["persons"]) == 13


def test_a_report_without_roll_ups_has_no_keys_for_them() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/examples/workload.yaml")
    roster = assessment.read_roster(ROOT / "examples/workload/roster.csv", scheme)
    events = assessment.read_events(ROOT / "examples/workload/events.jsonl", scheme, roster)
    data = json.loads(assessment.score(scheme, roster, events).model_dump_json())
    assert list(data) == ["format_version", "rounding", "provenance", "groups", "rules", "units"]


ROSTER_FAULTS = [
    (  # a misspelt portfolio
        "town-a,东关镇人民政府,town,zahng,,\n",
        "portfolio: unknown portfolio 'zahng'; did you mean 'zhang'?",
    ),
    (  # a unit in two portfolios
        "town-a,东关镇人民政府,town,zhang、li,,\n",
        "portfolio: unit 'town-a' is put in 2 portfolios (zhang, li): a unit is scored in one "
        "portfolio only; give the one the scheme assigns it to",
    ),
    (  # a unit under no leader
        "town-a,东关镇人民政府,town,,,\n",
        "portfolio: unit 'town-a' (kind town) names no portfolio: every unit of the kinds "
        "portfolios.kinds lists is in one; give it the portfolio it is under",
    ),
]


@pytest.mark.parametrize(("row", "message"), ROSTER_FAULTS)
def test_a_roster_whose_portfolios_are_wrong_is_refused(
    tmp_path: Path, row: str, message: str
) -> None:
    scheme = assessment.load_scheme(SCHEME)
    lines = (FOLDER / "roster.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "roster.csv"
    path.write_text(lines[0] + row + "".join(lines[2:]), encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        assessment.read_roster(path, scheme)
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [message]


def _yaml_roster_refusal(tmp_path: Path, principal: str) -> list[str]:
    path = tmp_path / "roster.yaml"
    path.write_text(
        f"- {{id: town-a, name: 东关镇, kind: town, portfolio: zhang, persons: {{{principal}: 赵一}}}}\n"
        "- {id: dept-b, name: 住建局, kind: department, portfolio: wang}\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as caught:
        assessment.read_roster(path, assessment.load_scheme(SCHEME))
    return [p.message for p in caught.value.problems]


def test_a_portfolio_left_without_units_and_an_unknown_role_are_refused(tmp_path: Path) -> None:
    assert _yaml_roster_refusal(tmp_path, "principl") == [
        "unknown person role 'principl'; did you mean 'principal'?",
    ]
    # 李副县长's portfolio has no unit: its score would be missing without a word
    assert _yaml_roster_refusal(tmp_path, "principal") == [
        "no unit of the roster is in portfolio 'li' (李副县长联系条线): give it its units in "
        "the portfolio column, or remove it from the scheme's portfolios"
    ]


def test_a_csv_roster_without_the_portfolio_column_is_refused(tmp_path: Path) -> None:
    scheme = assessment.load_scheme(SCHEME)
    path = tmp_path / "roster.csv"
    path.write_text("id,name,kind\ntown-a,东关镇,town\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        assessment.read_roster(path, scheme)
    assert [p.message for p in caught.value.problems] == ["the header has no 'portfolio' column"]


def test_a_roster_built_in_code_with_an_unknown_portfolio_is_refused_when_scored() -> None:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(FOLDER / "roster.csv", scheme)
    wrong = roster.units[0].model_copy(update={"portfolio": "zahng"})
    built = assessment.Roster(units=(wrong, *roster.units[1:]))
    with pytest.raises(ValueError, match="names portfolio 'zahng', which the scheme does not"):
        assessment.score(scheme, built, assessment.parse_events([], scheme, built))
