"""Collecting the problems of an input: every one counted, the first `MAX_LISTED` kept.

A file of garbage (a million rows of the wrong encoding) has a problem on every
line; keeping them all would take hundreds of megabytes, and listing them all
helps nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import SupportsIndex

from assessment.errors import MAX_LISTED, Problem

__all__ = ["ProblemList"]


class ProblemList(list[Problem]):
    """A list of problems that keeps the first `MAX_LISTED` and counts the others in `more`."""

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    def append(self, problem: Problem) -> None:
        if len(self) < MAX_LISTED:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> ProblemList:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    def insert(self, index: SupportsIndex, problem: Problem) -> None:
        raise TypeError("problems are collected in order: append them")
