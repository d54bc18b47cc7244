"""What every rendering of a report shares: its title, a unit's rank, the outcome columns."""

from __future__ import annotations

from collections.abc import Callable

from assessment._internal.score.eligibility import bar_words
from assessment.results import Report, UnitResult

__all__ = ["CUT_TITLE", "outcome_columns", "rank", "title"]

CUT_TITLE = "封顶扣减"  # the one outcome column that holds figures


def title(report: Report) -> str:
    """The scheme and the day the report is as of, as the first line of a rendering."""
    p = report.provenance
    return f"{p.scheme_title}({p.scheme_id} 版本 {p.scheme_version})  截至 {p.as_of}"


def rank(unit: UnitResult) -> str:
    """A unit's rank in its group, or that it is not ranked."""
    return "不参加排名" if unit.rank is None else str(unit.rank)


def outcome_columns(report: Report) -> list[tuple[str, Callable[[UnitResult], str]]]:
    """Grade, flags, bars and the cap's cut: columns shown only when some unit has them."""
    columns: list[tuple[str, Callable[[UnitResult], str]]] = []
    if any(u.cut_by_cap for u in report.units):
        columns.append((CUT_TITLE, lambda u: str(u.cut_by_cap) if u.cut_by_cap else ""))
    if any(u.grade for u in report.units):
        columns.append(("等次", lambda u: u.grade_name or ""))
    if any(u.flags for u in report.units):
        columns.append(("标记", lambda u: "、".join(f.name for f in u.flags)))
    if any(u.barred_from for u in report.units):
        columns.append(("资格限制", lambda u: bar_words(u.barred_from, u.best_grade_name)))
    return columns
