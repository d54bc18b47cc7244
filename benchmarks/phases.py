"""Where the time of scoring a generated year goes, phase by phase (see province.py).

    python benchmarks/province.py /tmp/year --units 20000
    python benchmarks/phases.py /tmp/year

prints, for the 2023 scheme, one run each (in one process, the garbage
collector paused as `Scorer` pauses it): the validation floor; the floor and
what this design adds to it for the contract's ids before anything else (each
event's fingerprint, a SHA-256 of its values' JSON, for re-deliveries and the
digest; its id claimed in the compact id index); the intake
(validation, fingerprints, per-event checks, filing by item and unit); the
whole-batch checks; folding the batch into the state; scoring every unit
(a report without the explanation trail, as the command line builds for CSV).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path

import assessment
from assessment._internal.ledger.holdings import fingerprint
from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.records import fast_types
from assessment._internal.load.streams import Intake

SCHEME = Path(__file__).resolve().parent.parent / "schemes/2023.yaml"


def _timed(label: str, work: Callable[[], object], events: int) -> None:
    start = time.perf_counter()
    work()
    took = time.perf_counter() - start
    print(f"  {label:<42} {took:7.2f} s  {took / events * 1e6:6.2f} us an event")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a directory written by province.py")
    args = parser.parse_args()
    events = args.data / "events.jsonl"
    count = sum(1 for _ in events.open("rb"))
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(args.data / "roster.csv", scheme)
    from_json = fast_types(event_types(scheme)).from_json
    print(f"{len(roster.units)} units, {count} events")
    gc.disable()

    def floor() -> None:
        with events.open("rb") as stream:
            while line := stream.readline(1 << 20):
                from_json(line)

    def essentials() -> None:
        ids = IdIndex()
        ids.reserve(count)
        claim = ids.claim
        where = 0
        with events.open("rb") as stream:
            while line := stream.readline(1 << 20):
                where += 1
                found = from_json(line)
                if found is not None:
                    claim(found[0].id, fingerprint(found[1]), where)

    scorer = assessment.Scorer(scheme, roster)
    batch = scorer._batch()  # the phases of `Scorer.read`, timed one by one
    _timed("validation floor", floor, count)
    _timed("floor, fingerprints and id index", essentials, count)
    _timed(
        "intake (validation and more)", lambda: Intake(batch, scorer.types).file(str(events)), count
    )
    _timed("whole-batch checks", batch.check, count)
    _timed("fold into the state", lambda: scorer._commit(batch), count)
    _timed("score every unit (no trail)", lambda: scorer.report(trail=False), count)


if __name__ == "__main__":
    main()
