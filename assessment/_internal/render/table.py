"""The ranked table for a terminal: one block per ranking group, columns aligned."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

from assessment._internal.render.parts import outcome_columns, rank, title, worth
from assessment._internal.render.rollups import Rows, person_rows, portfolio_rows
from assessment._internal.text.printable import printable
from assessment.results import Report, UnitResult

__all__ = ["table"]


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric_from: int,
    numeric: set[int] | None = None,
) -> list[str]:
    # Escaped before measuring: an escape takes the columns it shows.
    header = [printable(cell) for cell in header]
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [
            _pad(c, w, right=i >= numeric_from if numeric is None else i in numeric)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _group_block(report: Report, members: list[UnitResult]) -> list[str]:
    """One ranking group's header and rows, aligned; its units share the sections."""
    first = members[0]
    header = ["排名", "单位", "代码"]
    header += [f"{s.short_name}({worth(s)})" for s in first.sections]
    header.append("总分")
    if first.converted is not None:
        header.append("换算得分")
    extras = outcome_columns(report)
    header += [heading for heading, _ in extras]
    rows = []
    for unit in members:
        row = [rank(unit), unit.name, unit.unit]
        row += [str(s.score) for s in unit.sections]
        row.append(str(unit.total))
        if unit.converted is not None:
            row.append(str(unit.converted))
        row += [cell(unit) for _, cell in extras]
        rows.append(row)
    return _grid(header, rows, numeric_from=3)


def table(report: Report, of: Literal["units", "portfolios", "persons"] | None = None) -> str:
    """The ranked table, one block per ranking group, with the scheme's section names; then
    the scheme's portfolios and persons, if it has them. `of` shows one of these parts only."""
    lines = [title(report), ""]
    if of in (None, "units"):
        for group in report.groups:
            members = [u for u in report.units if u.group == group.id]
            lines.append(f"【{group.name}】 {len(members)} 个单位")
            if members:
                lines += _group_block(report, members)
            lines.append("")
    if of in (None, "portfolios") and report.portfolios is not None:
        lines += _rollup_block(f"【{report.portfolios.name}】", portfolio_rows(report.portfolios))
    if of in (None, "persons") and report.persons:
        lines += _rollup_block("【单位负责人考核结果】", person_rows(report))
    return "\n".join(printable(line) for line in lines)


def _rollup_block(heading: str, rows: Rows) -> list[str]:
    header, cells, figures = rows
    return [heading, *_grid(header, cells, numeric_from=0, numeric=figures), ""]


table.__module__ = "assessment.render"
