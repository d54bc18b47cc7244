"""Hypothesis strategies for testing schemes and the systems that feed them.

Needs the `testing` extra (`pip install '.[testing]'` in the checkout); nothing on the
scoring path imports this module. In Hypothesis house style, strategies are
plural nouns, take plain values (not strategies) and check them at once::

    from hypothesis import given
    import assessment
    from assessment.testing import event_streams, rosters

    scheme = assessment.load_scheme("schemes/2023.yaml")

    @given(rosters(scheme).flatmap(lambda r: event_streams(scheme, r).map(lambda e: (r, e))))
    def test_totals_stay_in_range(case):
        roster, records = case
        report = assessment.score(scheme, roster, assessment.parse_events(records, scheme, roster))
        assert all(0 <= u.total <= 120 for u in report.units)

`event_streams` draws *valid* streams: every record passes the event contract
for the scheme and roster, so `parse_events` never rejects one.
"""

from __future__ import annotations

from hypothesis import strategies as st

from assessment._internal.load.eventtypes import event_types
from assessment.roster import Roster, Unit
from assessment.scheme import Scheme
from assessment.testing._events import Record, streams
from assessment.testing._schemes import random_schemes

__all__ = ["event_streams", "rosters", "schemes"]


def rosters(scheme: Scheme, *, min_units: int = 1, max_units: int = 8) -> st.SearchStrategy[Roster]:
    """Rosters of units of the scheme's unit kinds, with unique ids."""
    if not isinstance(scheme, Scheme):
        raise TypeError(f"scheme must be a Scheme (got {type(scheme).__name__})")
    if not 1 <= min_units <= max_units:
        raise ValueError(f"need 1 <= min_units <= max_units (got {min_units}, {max_units})")
    kinds = [kind.id for kind in scheme.unit_kinds]
    if scheme.portfolios is not None or scheme.persons is not None:
        return _rollup_rosters(scheme, min_units, max_units)
    return st.lists(st.sampled_from(kinds), min_size=min_units, max_size=max_units).map(
        lambda chosen: Roster(
            units=tuple(
                Unit(id=f"u{n}-{kind}", name=f"单位{n}", kind=kind) for n, kind in enumerate(chosen)
            )
        )
    )


def _rollup_rosters(scheme: Scheme, min_units: int, max_units: int) -> st.SearchStrategy[Roster]:
    """Rosters as `read_roster` takes them for a scheme with portfolios or persons: every
    portfolio given a unit in turn (as many units as portfolios at least), and each unit
    its persons."""
    portfolios = scheme.portfolios
    kinds = [kind.id for kind in scheme.unit_kinds]
    if portfolios is not None and portfolios.kinds:
        kinds = list(portfolios.kinds)  # units of other kinds would need no portfolio
    least = max(min_units, len(portfolios.entries) if portfolios else 0)
    roles = [role.id for role in scheme.persons.roles] if scheme.persons else []

    def roster(chosen: list[str]) -> Roster:
        units = []
        for n, kind in enumerate(chosen):
            line = portfolios.entries[n % len(portfolios.entries)].id if portfolios else None
            persons = {role: f"负责人{n}{role}" for role in roles} or None
            units.append(
                Unit(id=f"u{n}-{kind}", name=f"单位{n}", kind=kind, portfolio=line, persons=persons)
            )
        return Roster(units=tuple(units))

    chosen = st.lists(st.sampled_from(kinds), min_size=least, max_size=max(max_units, least))
    return chosen.map(roster)


def event_streams(
    scheme: Scheme, roster: Roster, *, redeliver: bool = True
) -> st.SearchStrategy[list[Record]]:
    """Valid event records for `scheme` and `roster`, in random order.

    Every event type the scheme can use appears: item lifecycles (extensions,
    closures early, on time and late, open items, assessments, co-handlers),
    reports on time, late and missing for each periodic rule, inspections,
    commendations, the scheme's own event types and adjustments within and beyond
    their bounds. With `redeliver`, some records are delivered twice, identically.
    """
    if not isinstance(scheme, Scheme):
        raise TypeError(f"scheme must be a Scheme (got {type(scheme).__name__})")
    if not isinstance(roster, Roster):
        raise TypeError(f"roster must be a Roster (got {type(roster).__name__})")
    event_types(scheme)  # fail now, not inside a test, if the scheme's types cannot be built
    return streams(scheme, roster, redeliver)


def schemes() -> st.SearchStrategy[Scheme]:
    """Random valid schemes: sections with floors and starts, rules of every kind over the
    built-in event types, categories with every policy, caps on the total, grades."""
    return random_schemes()
