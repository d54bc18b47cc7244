"""The explanation: every point a unit gained or lost, section by section, in words."""

from __future__ import annotations

from fractions import Fraction

from assessment._internal.base.arith import exact_text, readable
from assessment._internal.render.parts import rank, title
from assessment._internal.score.eligibility import bar_words
from assessment._internal.text.printable import printable
from assessment.errors import UnknownIdError
from assessment.results import Line, Report, RuleText, SectionScore, UnitResult

__all__ = ["explanation"]

_LIMITS = {
    "rule_cap": "本规则累计上限已满",
    "exclusive": "同一事项取最高,不重复计分",
    "section_floor": "本项分值已扣完",
    "section_cap": "本项已达满分或上限",
}


def _signed(value: Fraction) -> str:
    text = readable(value)
    return text if value < 0 else f"+{text}"


def _limit_words(line: Line) -> str:
    """Why the line counted for less than it gave, each reason as it happened to it."""
    words = []
    if line.allowed is not None:  # the rule's cap, or another rule of its group, came first
        words.append(_LIMITS["exclusive" if line.limited_by == "exclusive" else "rule_cap"])
    if line.offset:
        earlier = "超出扣完下限的扣分" if line.points > 0 else "超出上限的加分"
        words.append(f"其中 {readable(line.offset)} 分由此前{earlier}抵减")
    if line.limited_by in ("section_floor", "section_cap"):
        words.append(_LIMITS[line.limited_by])
    if line.later_offset:
        later = "扣分" if line.points > 0 else "加分"
        words.append(f"超出部分中 {readable(line.later_offset)} 分抵减了此后的{later}")
    if line.applied == 0 and line.limited_by == "offset":
        words.append("本项得分不变")
    return ";".join(words)


# A line that moves no points and is shown for what it says: never read as a finding of 0.
_PURPOSES = {"info": "说明", "counted": "计次(不计分)"}


def _line_text(line: Line) -> list[str]:
    amount = _PURPOSES[line.purpose] if line.purpose is not None else _signed(line.points)
    if line.applied != line.points:
        amount += f"(实计 {_signed(line.applied)}:{_limit_words(line)})"
    out = [f"  {line.date}  {amount}  {line.rule_name} [{line.clause}]", f"      {line.detail}"]
    if line.facts:
        out.append(f"      依据: {', '.join(f'{k}={v}' for k, v in line.facts.items())}")
    if line.events:
        out.append(f"      事件: {', '.join(line.events)}")
    return out


def _words(label: str, text: str) -> list[str]:
    """A quoted text under its label, each of its own lines indented under the first."""
    first, *rest = text.strip().splitlines() or [""]
    return [f"      {label}: {first}", *(f"        {more}" for more in rest)]


def _rule_text(rule: RuleText) -> list[str]:
    """A rule in its author's words: the sentence, whose records decide, and the note."""
    out = [f"  〔{rule.clause}〕{rule.name}", *_words("原文", rule.text)]
    if rule.evidence is not None:
        out += _words("依据来源", rule.evidence)
    if rule.note is not None:
        out += _words("口径", rule.note)
    return out


def _counts_text(unit: UnitResult) -> list[str]:
    """The unit's items (件数) per category, as lead, and those it co-handles."""
    if not any(c.assigned or c.cohandled for c in unit.items):
        return []
    out = ["", "事项件数(牵头): 交办 / 到期 / 办结 / 按期办结"]
    for c in unit.items:
        shared = f"; 协办 {c.cohandled} 件" if c.cohandled else ""
        out.append(
            f"  {c.name}: {c.assigned} / {c.counted} / {c.completed} / {c.on_time} 件{shared}"
        )
    return out


def _limits_text(section: SectionScore) -> str:
    """满分 and what the section's cap and floor are, where they are not its points and 0."""
    parts = []
    if section.points is not None:
        parts.append(f"{'满分' if section.cap is None else '分值'} {section.points}")
    if section.cap == "none":
        parts.append("不封顶")
    elif section.cap is not None:
        parts.append("只扣分" if section.cap == 0 else f"上限 {section.cap}")
    if section.floor == "none":
        parts.append("不设下限")
    return "  ".join(parts)


def _depth(unit: UnitResult, section: SectionScore) -> int:
    parents = {s.id: s.parent for s in unit.sections}
    depth, above = 0, section.parent
    while above is not None:
        depth, above = depth + 1, parents.get(above)
    return depth


def _parts_text(unit: UnitResult, section: SectionScore) -> str:
    """A section with sub-sections: their scores added, and what its own limits kept."""
    parts = [s for s in unit.sections if s.parent == section.id]
    added = sum((s.exact for s in parts), Fraction(0))
    text = f"  (下列分项合计 {readable(added)}"
    if added != section.exact:
        limit = "超出上限" if added > section.exact else "低于下限"
        text += f",{limit},计 {readable(section.exact)}"
    return text + ")"


def _section_text(report: Report, unit: UnitResult, section: SectionScore) -> list[str]:
    indent = "  " * _depth(unit, section) if section.parent is not None else ""
    lines = [
        "",
        f"{indent}{section.clause} {section.name}  {_limits_text(section)}  "
        f"起点 {exact_text(section.start)}  得分 {section.score}",
    ]
    if any(s.parent == section.id for s in unit.sections):
        return [*lines, _parts_text(unit, section)]
    section_lines = [line for line in unit.lines if line.section == section.id]
    if not section_lines:
        lines.append("  (无加减分)")
    for line in section_lines:
        lines += _line_text(line)
    cited = [r for r in report.cited(unit) if r.section == section.id]
    if cited:
        lines.append("  本项所依规则:")
        for rule in cited:
            lines += _rule_text(rule)
    return lines


def explanation(report: Report, unit: UnitResult) -> str:
    """Every point a unit gained or lost, section by section, as a supervision officer reads it.

    `unit` is one of `report.units` (`report.unit(id)`); what `assessment explain` prints.
    A unit whose group the report does not have raises `UnknownIdError`.
    """
    group = next((g.name for g in report.groups if g.id == unit.group), None)
    if group is None:  # a unit of another report
        raise UnknownIdError(unit.group)
    size = sum(1 for u in report.units if u.group == unit.group)
    lines = [
        title(report),
        f"{unit.name}({unit.unit},{group}) 总分 {unit.total}  组内排名 {rank(unit)}/{size}",
    ]
    if unit.converted is not None:
        lines.append(f"换算得分 {unit.converted}")
    if unit.grade_name:
        lines.append(f"等次 {unit.grade_name}")
    for flag in unit.flags:
        veto = "(一票否决)" if flag.veto else ""
        lines.append(
            f"标记 {flag.name}{veto}: 由 {', '.join((*flag.rules, *flag.conditions))} 触发"
        )
    if unit.barred_from:
        lines.append(f"资格限制 {bar_words(unit.barred_from, unit.best_grade_name)}")
    lines += _counts_text(unit)
    for section in unit.sections:
        lines += _section_text(report, unit, section)
    shown = " + ".join(str(s.score) for s in unit.sections if s.parent is None)
    cut = f" − {unit.cut_by_cap}(封顶)" if unit.cut_by_cap else ""
    lines += ["", f"总分 = {shown}{cut} = {unit.total}"]
    # Names, reasons and notes come from input files: no control character reaches a terminal.
    return "\n".join(printable(line) for line in lines) + "\n"


explanation.__module__ = "assessment.render"
