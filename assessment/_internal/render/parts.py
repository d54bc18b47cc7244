"""What every rendering of a report shares: its title, a unit's rank, the outcome columns."""

from __future__ import annotations

from collections.abc import Callable

from assessment._internal.score.eligibility import bar_words
from assessment.results import Report, SectionScore, UnitResult

__all__ = ["CUT_TITLE", "outcome_columns", "rank", "report_sections", "title", "worth"]

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


def worth(section: SectionScore) -> str:
    """A section's figure in a heading: its points, or the limit it has instead (不封顶 for
    no cap, 扣分项 for a section of deductions only), never a stand-in number."""
    if section.points is not None:
        return f"{section.points.normalize():f}"
    if section.cap == "none":
        return "不封顶"
    if section.cap is None or section.cap == 0:
        return "扣分项"
    return f"{section.cap.normalize():f}"


def report_sections(report: Report) -> list[SectionScore]:
    """Every section some unit has, in the order units have them: a section for one group
    only goes before the next section its units share with those seen already."""
    order: list[SectionScore] = []
    for unit in report.units:
        known = {s.id for s in order}
        for i, section in enumerate(unit.sections):
            if section.id in known:
                continue
            after = (s.id for s in unit.sections[i + 1 :] if s.id in known)
            following = next(after, None)
            at = len(order) if following is None else [s.id for s in order].index(following)
            order.insert(at, section)
    return order
