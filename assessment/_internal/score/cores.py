"""How many processes `--jobs auto` runs: the cores this process may use."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Literal

from assessment.errors import ArgumentError

__all__ = ["MAX_JOBS", "Jobs", "process_count", "quota_cores", "usable_cores"]

Jobs = int | Literal["auto"]
"""How many processes to score in: a whole number, 1 to MAX_JOBS, or 'auto' (one per usable
core, at most MAX_JOBS)."""

# Every process reads every line: far more processes than cores only multiply that work,
# and a mistyped --jobs 100000 must not fork a machine to a standstill.
MAX_JOBS = 256

# Where a container's CPU limit is written: cgroup v2, then v1 (quota and period).
_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
_CFS = (Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us"))


def quota_cores(quota: str, period: str) -> int | None:
    """The cores a CPU quota of `quota` microseconds per `period` allows (rounded up), or
    None when there is no quota ('max' in cgroup v2, -1 in v1) or it cannot be read."""
    try:
        allowed, every = int(quota), int(period)
    except ValueError:
        return None
    if allowed <= 0 or every <= 0:
        return None
    return max(1, math.ceil(allowed / every))


def _container_quota() -> int | None:
    try:
        if _CPU_MAX.exists():
            quota, period = _CPU_MAX.read_text(encoding="ascii").split()[:2]
            return quota_cores(quota, period)
        return quota_cores(*(path.read_text(encoding="ascii").strip() for path in _CFS))
    except (OSError, ValueError, TypeError):
        return None


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the OS tells it (else every
    core), and no more than a container's CPU quota allows."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    quota = _container_quota()
    return min(cores, quota) if quota is not None else cores


def process_count(jobs: Jobs | str) -> int:
    """`jobs` as a number of processes; raise ArgumentError, saying what is allowed, otherwise
    (any text but 'auto', in any case, is refused: the command line passes its text)."""
    if isinstance(jobs, str) and jobs.strip().lower() == "auto":
        return min(usable_cores(), MAX_JOBS)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise ArgumentError(
            f"jobs must be a whole number of processes (1 to {MAX_JOBS}) or 'auto' (got {jobs!r})"
        )
    return jobs
