"""Reports rendered for people, exactly as the command line prints them.

::

    from assessment import render

    text = render.table(report)  # assessment score (--format table)
    text = render.csv(report)  # assessment score --format csv
    text = render.explanation(report, report.unit("town-qingshi"))  # assessment explain
    text = render.portfolio_explanation(report, "zhang")  # assessment explain --portfolio

Each returns the text the command prints, and writes to an `--output` file (the
CSV there with a byte order mark, for Excel). Control characters from the inputs are shown as escapes, and
CSV text cells that Excel would run as formulas start with a quote.
"""

from __future__ import annotations

from assessment._internal.render.explanation import explanation
from assessment._internal.render.rollups import portfolio_explanation
from assessment._internal.render.spreadsheet import csv
from assessment._internal.render.table import table

__all__ = ["csv", "explanation", "portfolio_explanation", "table"]
