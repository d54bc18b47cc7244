"""The evidence example: rules in their author's words, items counted per category (件数),
and 0-point lines shown only where they say something. Every figure computed by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from builders import score_example

from assessment.cli import main
from assessment.render import explanation
from assessment.results import Explained

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes/examples/evidence.yaml"
EXAMPLE = ROOT / "examples/evidence"


def test_the_evidence_example_scores_as_computed_by_hand() -> None:
    report = score_example(SCHEME, EXAMPLE)
    found = {
        u.unit: (
            tuple(s.exact for s in u.sections),
            str(u.total),
            u.rank,
            [f.id for f in u.flags],
        )
        for u in report.units
    }
    assert found == {
        # 重点工作 40 over 3 counted items, A-K2 closed late and A-K3 never closed: 60 − 2 × 40/3;
        # 通报批评 −3, 省级媒体 −1, 区级媒体 0 (市级及以下不扣分); 市领导批示 2 + 2, 最高3分.
        # 2项未按期办结: 取消评先评优资格. 33.33 + 36 + 3
        "town-a": ((Fraction(100, 3), Fraction(36), Fraction(3)), "72.33", 2, ["no_honours"]),
        # no 民生实事: its 20 go to 重点工作 (60); B-K1 done in time, B-K2 due in 2025 does not
        # count yet; 中央媒体 −2; a district commendation is no 市领导批示. 60 + 38 + 0
        "town-b": ((Fraction(60), Fraction(38), Fraction(0)), "98.00", 1, []),
        # D-K1 in time keeps 40; D-L1 assessed at 0.8: 民生实事 全部完成方得分, −20; 通报批评 −3;
        # one item not in time: no flag (2 needed). 40 + 37 + 0
        "dept-a": ((Fraction(40), Fraction(37), Fraction(0)), "77.00", 1, []),
    }


def test_items_are_counted_per_category() -> None:
    report = score_example(SCHEME, EXAMPLE)
    counts = {
        (u.unit, c.category): (c.assigned, c.counted, c.completed, c.on_time, c.cohandled)
        for u in report.units
        for c in u.items
    }
    assert counts == {
        # A-K1 on time, A-K2 closed late (办结, not 按期), A-K3 open past its deadline (到期);
        # it co-handles D-K1
        ("town-a", "key_works"): (3, 3, 2, 1, 1),
        ("town-a", "livelihood"): (1, 1, 1, 1, 0),
        # B-K2 is due in 2025: assigned, not yet counted
        ("town-b", "key_works"): (2, 1, 1, 1, 0),
        ("town-b", "livelihood"): (0, 0, 0, 0, 0),
        ("dept-a", "key_works"): (1, 1, 1, 1, 0),
        # D-L1 assessed at 0.8: due, not completed
        ("dept-a", "livelihood"): (1, 1, 0, 0, 0),
    }


def test_zero_point_lines_are_shown_only_where_they_say_something() -> None:
    report = score_example(SCHEME, EXAMPLE)
    town_a = report.unit("town-a")
    # The county outlet's exposure (V009) costs nothing: no line; the provincial one −1.
    exposures = [(x.events, x.points) for x in town_a.lines if x.rule == "media_exposure"]
    assert exposures == [(("V010",), Fraction(-1))]
    # The flag's rule of 0 points: a line per item not done in time, counted.
    counted = [(x.facts["item"], x.purpose) for x in town_a.lines if x.rule == "not_done_in_time"]
    assert counted == [("A-K2", "counted"), ("A-K3", "counted")]
    # The second praise, cut by the bonus's top of 3, shows what it gave and what counted.
    praise = [(x.points, x.applied, x.limited_by) for x in town_a.lines if x.rule == "city_praise"]
    assert praise == [(Fraction(2), Fraction(2), None), (Fraction(2), Fraction(1), "section_cap")]
    # town-b's 民生实事 moved to 重点工作: said once, as info.
    info = [(x.rule, x.facts["category"]) for x in report.unit("town-b").lines if x.purpose]
    assert info == [("item_completion", "livelihood")]
    assert all(x.points != 0 or x.purpose for u in report.units for x in u.lines)


def test_every_rule_is_given_once_in_its_authors_words() -> None:
    report = score_example(SCHEME, EXAMPLE)
    by_id = {r.id: r for r in report.rules}
    assert list(by_id) == [
        "item_completion",
        "not_done_in_time",
        "criticism",
        "media_exposure",
        "city_praise",
    ]
    assert by_id["media_exposure"].evidence == "以区委宣传部舆情通报为准"
    assert by_id["criticism"].text == "督查事项落实不力,受到区委、区政府通报批评的,每次扣3分。"
    assert by_id["criticism"].note is None
    # town-b's lines cite the completion rule (its info line) and the exposure, nothing else.
    assert [r.id for r in report.explained("town-b").rules] == ["item_completion", "media_exposure"]


def test_the_explanation_prints_the_words_and_the_counts() -> None:
    report = score_example(SCHEME, EXAMPLE)
    text = explanation(report, report.unit("town-a"))
    assert "  重点工作: 3 / 3 / 2 / 1 件; 协办 1 件\n" in text
    assert "      依据来源: 以区委宣传部舆情通报为准\n" in text
    assert "  2024-07-15  计次(不计分)  未按期办结督查事项 [四(二)]\n" in text
    assert "原文: 督查事项办理成效明显,受到市领导肯定性批示的,每次加2分,本项加分最高3分。" in text
    assert "V009" not in text
    town_b = explanation(report, report.unit("town-b"))
    assert "  2024-12-31  说明  督查事项办结情况 [二(一)]\n" in town_b
    assert "受到市领导肯定性批示" not in town_b  # a rule that gave it no line is not cited


def test_explain_json_holds_the_cited_rules(tmp_path: Path) -> None:
    out = tmp_path / "town-b.json"
    inputs = [str(SCHEME), "--roster", str(EXAMPLE / "roster.csv")]
    inputs += ["--events", str(EXAMPLE / "events.jsonl"), "--unit", "town-b"]
    assert main(["explain", *inputs, "--format", "json", "--output", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["evidence"] for r in data["rules"]] == [
        "以区政府督查室督查台账销号记录为准",
        "以区委宣传部舆情通报为准",
    ]
    assert data["total"] == "98.00"


def test_an_explained_unit_reads_back_from_its_json() -> None:
    report = score_example(SCHEME, EXAMPLE)
    explained = report.explained("town-a")
    assert Explained.model_validate_json(explained.model_dump_json()) == explained
    assert explained.total == report.unit("town-a").total
