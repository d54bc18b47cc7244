"""Rendering a report for people: the ranked table, CSV for Excel, the explanation trail."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Sequence
from fractions import Fraction

from assessment._internal.base.arith import exact_text, readable
from assessment._internal.text.printable import printable
from assessment.results import Line, Report, UnitResult

__all__ = ["render_csv", "render_explanation", "render_json", "render_table"]

_LIMITS = {
    "rule_cap": "本规则累计上限已满",
    "exclusive": "同一事项取最高,不重复计分",
    "section_floor": "本项分值已扣完",
    "section_cap": "本项已达满分或上限",
}


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> list[str]:
    # Escaped before measuring: an escape takes the columns it shows.
    header = [printable(cell) for cell in header]
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [
            _pad(c, w, right=i >= numeric_from)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _title(report: Report) -> str:
    p = report.provenance
    return f"{p.scheme_title}({p.scheme_id} 版本 {p.scheme_version})  截至 {p.as_of}"


def _rank(unit: UnitResult) -> str:
    return "不参加排名" if unit.rank is None else str(unit.rank)


def render_table(report: Report) -> str:
    """The ranked table, one block per ranking group, with the scheme's section names."""
    lines = [_title(report), ""]
    for group in report.groups:
        members = [u for u in report.units if u.group == group.id]
        lines.append(f"【{group.name}】 {len(members)} 个单位")
        if not members:
            lines.append("")
            continue
        first = members[0]
        header = ["排名", "单位", "代码"]
        header += [f"{s.short_name}({s.points.normalize():f})" for s in first.sections]
        header.append("总分")
        if first.converted is not None:
            header.append("换算得分")
        extras = _outcome_columns(report)
        header += [title for title, _ in extras]
        rows = []
        for unit in members:
            row = [_rank(unit), unit.name, unit.unit]
            row += [str(s.score) for s in unit.sections]
            row.append(str(unit.total))
            if unit.converted is not None:
                row.append(str(unit.converted))
            row += [cell(unit) for _, cell in extras]
            rows.append(row)
        lines += _grid(header, rows, numeric_from=3)
        lines.append("")
    return "\n".join(printable(line) for line in lines)


_CUT_TITLE = "封顶扣减"  # the one outcome column that holds figures


def _outcome_columns(report: Report) -> list[tuple[str, Callable[[UnitResult], str]]]:
    """Grade, flags and the cap's cut: columns shown only when some unit has them."""
    columns: list[tuple[str, Callable[[UnitResult], str]]] = []
    if any(u.cut_by_cap for u in report.units):
        columns.append((_CUT_TITLE, lambda u: str(u.cut_by_cap) if u.cut_by_cap else ""))
    if any(u.grade for u in report.units):
        columns.append(("等次", lambda u: u.grade_name or ""))
    if any(u.flags for u in report.units):
        columns.append(("标记", lambda u: "、".join(f.name for f in u.flags)))
    return columns


# A cell starting with one of these is a formula to Excel (and LibreOffice): a name such
# as `=HYPERLINK(...)` would run when the file is opened. OWASP's advice: a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A text cell (never a figure: `-1.00` must stay a number) that Excel shows as text."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(report: Report) -> str:
    """One row per unit, for Excel: section names as headers, figures as shown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = {g.id: g.name for g in report.groups}
    sections = report.units[0].sections if report.units else ()
    header = ["排名分组", "组内排名", "单位代码", "单位名称", "单位类型"]
    header += [f"{s.clause} {s.name}" for s in sections]
    header += ["总分", "换算得分"]
    extras = _outcome_columns(report)
    writer.writerow([_text_cell(title) for title in header + [title for title, _ in extras]])
    figures = {title for title, _ in extras if title == _CUT_TITLE}
    for unit in report.units:
        row = [_text_cell(names[unit.group]), _rank(unit), _text_cell(unit.unit)]
        row += [_text_cell(unit.name), _text_cell(unit.kind)]
        row += [str(s.score) for s in unit.sections]
        row += [str(unit.total), "" if unit.converted is None else str(unit.converted)]
        row += [
            cell(unit) if title in figures else _text_cell(cell(unit)) for title, cell in extras
        ]
        writer.writerow(row)
    return buffer.getvalue()


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


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


def _line_text(line: Line) -> list[str]:
    amount = _signed(line.points)
    if line.applied != line.points:
        amount += f"(实计 {_signed(line.applied)}:{_limit_words(line)})"
    out = [f"  {line.date}  {amount}  {line.rule_name} [{line.clause}]", f"      {line.detail}"]
    if line.facts:
        out.append(f"      依据: {', '.join(f'{k}={v}' for k, v in line.facts.items())}")
    if line.events:
        out.append(f"      事件: {', '.join(line.events)}")
    return out


def render_explanation(report: Report, unit: UnitResult) -> str:
    """Every point a unit gained or lost, section by section, as a supervision officer reads it."""
    group = next(g.name for g in report.groups if g.id == unit.group)
    size = sum(1 for u in report.units if u.group == unit.group)
    lines = [
        _title(report),
        f"{unit.name}({unit.unit},{group}) 总分 {unit.total}  组内排名 {_rank(unit)}/{size}",
    ]
    if unit.converted is not None:
        lines.append(f"换算得分 {unit.converted}")
    if unit.grade_name:
        lines.append(f"等次 {unit.grade_name}")
    for flag in unit.flags:
        veto = "(一票否决)" if flag.veto else ""
        lines.append(f"标记 {flag.name}{veto}: 由 {', '.join(flag.rules)} 触发")
    for section in unit.sections:
        lines += [
            "",
            f"{section.clause} {section.name}  满分 {section.points}  "
            f"起点 {exact_text(section.start)}  得分 {section.score}",
        ]
        section_lines = [line for line in unit.lines if line.section == section.id]
        if not section_lines:
            lines.append("  (无加减分)")
        for line in section_lines:
            lines += _line_text(line)
    shown = " + ".join(str(s.score) for s in unit.sections)
    cut = f" − {unit.cut_by_cap}(封顶)" if unit.cut_by_cap else ""
    lines += ["", f"总分 = {shown}{cut} = {unit.total}"]
    # Names, reasons and notes come from input files: no control character reaches a terminal.
    return "\n".join(printable(line) for line in lines) + "\n"
