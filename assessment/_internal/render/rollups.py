"""The roll-ups for people: the portfolios' ranking and the persons' results as rows (for the
table and CSV), and a portfolio's explanation."""

from __future__ import annotations

from assessment._internal.base.arith import exact_text
from assessment._internal.render.parts import title
from assessment._internal.text.printable import printable
from assessment.results import PortfolioRanking, PortfolioResult, Report

__all__ = ["Rows", "person_rows", "portfolio_explanation", "portfolio_rows"]

Rows = tuple[list[str], list[list[str]], set[int]]
"""A header, its rows, and the columns that hold figures (right-aligned, numbers in CSV)."""

_HOW = {"mean": "联系单位考核得分的平均分", "sum": "联系单位考核得分之和"}


def _rank(entry: PortfolioResult) -> str:
    return "不排名" if entry.rank is None else str(entry.rank)


def _score(entry: PortfolioResult) -> str:
    return "" if entry.score is None else str(entry.score)


def portfolio_rows(ranking: PortfolioRanking) -> Rows:
    """One row per portfolio, by rank: its rank, name, id, leader, units counted, score."""
    header = ["排名", "条线", "代码", "联系领导", "计分单位数", "得分"]
    rows = [
        [_rank(e), e.name, e.id, e.leader or "", str(len(e.units)), _score(e)]
        for e in ranking.entries
    ]
    return header, rows, {4, 5}


def person_rows(report: Report) -> Rows:
    """One row per person, in roster order: the unit, the post, and the unit's result."""
    header = [
        "单位代码",
        "单位",
        "职务",
        "姓名",
        "单位总分",
        "单位排名",
        "单位等次",
        "结果",
        "限制",
    ]
    rows = []
    for p in report.persons:
        grade = report.unit(p.unit).grade_name or ""
        rank = "不参加排名" if p.rank is None else str(p.rank)
        cells = [p.unit, p.unit_name, p.role_name, p.name, str(p.total), rank, grade]
        rows.append([*cells, p.outcome or "", "、".join(p.restrictions)])
    return header, rows, {4}


def portfolio_explanation(report: Report, portfolio_id: str) -> str:
    """How one portfolio's score is made from its units' totals, and its rank.

    What `assessment explain --portfolio ID` prints; `UnknownIdError` if the report has no
    such portfolio (`ValueError` if the scheme ranks none).
    """
    ranking = report.portfolios
    if ranking is None:
        raise ValueError("the report has no portfolios: its scheme declares none")
    entry = ranking.portfolio(portfolio_id)
    leader = f",联系领导 {entry.leader}" if entry.leader else ""
    lines = [
        title(report),
        f"{entry.name}({entry.id}{leader}) 得分 {_score(entry) or '无'}  "
        f"{ranking.name}排名 {_rank(entry)}/{len(ranking.entries)}",
        f"得分为{_HOW[ranking.score]}",
        "",
    ]
    totals = []
    for unit_id in entry.units:
        unit = report.unit(unit_id)
        lines.append(f"  {unit.name}({unit.unit})  {unit.total}")
        totals.append(str(unit.total))
    for unit_id in entry.left_out:
        lines.append(f"  {report.unit(unit_id).name}({unit_id})  不参加考核,不计入")
    lines.append("")
    lines.append(_arithmetic(ranking, entry, totals))
    return "\n".join(printable(line) for line in lines) + "\n"


def _arithmetic(ranking: PortfolioRanking, entry: PortfolioResult, totals: list[str]) -> str:
    if entry.exact is None:
        return "得分: 无考核单位,不计分"
    added = " + ".join(totals)
    shown = f"({added}) / {len(totals)}" if ranking.score == "mean" else added
    exact = exact_text(entry.exact)
    middle = "" if exact == str(entry.score) else f" = {exact}"
    return f"得分 = {shown}{middle} = {entry.score}"


portfolio_explanation.__module__ = "assessment.render"
