"""The results as CSV for Excel: one row per unit, text cells Excel will not run as formulas."""

from __future__ import annotations

import io
from csv import writer
from typing import Literal

from assessment._internal.render.parts import CUT_TITLE, outcome_columns, rank, report_sections
from assessment._internal.render.rollups import person_rows, portfolio_rows
from assessment.results import Report

__all__ = ["csv"]

# A cell starting with one of these is a formula to Excel (and LibreOffice): a name such
# as `=HYPERLINK(...)` would run when the file is opened. OWASP's advice: a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A text cell (never a figure: `-1.00` must stay a number) that Excel shows as text."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv(report: Report, of: Literal["units", "portfolios", "persons"] = "units") -> str:
    """One row per unit, for Excel: section names as headers, figures as shown; `of`
    portfolios, one row per portfolio, or persons, one per person (`ValueError` if the
    scheme has none).

    Lines end CR LF; `assessment score --format csv --output FILE` writes this with a
    byte order mark (UTF-8 with BOM), as Excel needs to read it as UTF-8.
    """
    if of != "units":
        return _rollup_csv(report, of)
    buffer = io.StringIO()
    rows = writer(buffer, lineterminator="\r\n")
    names = {g.id: g.name for g in report.groups}
    sections = report_sections(report)  # a section for one group only: blank for the others
    header = ["排名分组", "组内排名", "单位代码", "单位名称", "单位类型"]
    header += [f"{s.clause} {s.name}" for s in sections]
    header += ["总分", "换算得分"]
    extras = outcome_columns(report)
    rows.writerow([_text_cell(heading) for heading in header + [h for h, _ in extras]])
    figures = {heading for heading, _ in extras if heading == CUT_TITLE}
    for unit in report.units:
        row = [_text_cell(names[unit.group]), rank(unit), _text_cell(unit.unit)]
        row += [_text_cell(unit.name), _text_cell(unit.kind)]
        scores = {s.id: str(s.score) for s in unit.sections}
        row += [scores.get(s.id, "") for s in sections]
        row += [str(unit.total), "" if unit.converted is None else str(unit.converted)]
        row += [
            cell(unit) if heading in figures else _text_cell(cell(unit)) for heading, cell in extras
        ]
        rows.writerow(row)
    return buffer.getvalue()


def _rollup_csv(report: Report, of: Literal["portfolios", "persons"]) -> str:
    if of == "portfolios":
        if report.portfolios is None:
            raise ValueError("the report has no portfolios: its scheme declares none")
        header, cells, figures = portfolio_rows(report.portfolios)
    else:
        if not report.persons:
            raise ValueError("the report has no persons: its scheme or roster names none")
        header, cells, figures = person_rows(report)
    buffer = io.StringIO()
    rows = writer(buffer, lineterminator="\r\n")
    rows.writerow([_text_cell(heading) for heading in header])
    for row in cells:
        rows.writerow([c if i in figures else _text_cell(c) for i, c in enumerate(row)])
    return buffer.getvalue()


csv.__module__ = "assessment.render"
