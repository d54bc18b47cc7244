"""A process that loads many schemes (the service) lets go of the event models of the
older ones: memory stays bounded however many distinct schemes it has seen."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from pydantic import BaseModel

from assessment import parse_scheme
from assessment._internal.load.eventtypes import event_types

ROOT = Path(__file__).resolve().parent.parent
CITY = (ROOT / "schemes/examples/city-2024.yaml").read_text(encoding="utf-8")
# More than the caches that hold a scheme's models keep (ours, and typing's own cache of
# Union[...] and Annotated[...], 128 each) together: about 260 here.
COUNT = 600


def test_the_models_of_many_distinct_schemes_are_not_all_kept() -> None:
    seen: list[weakref.ref[type[BaseModel]]] = []
    for n in range(COUNT):
        # the same scheme with its custom event type named differently: new models each time
        text = CITY.replace("name: 领导肯定性批示", f"name: 领导肯定性批示{n}", 1)
        assert text != CITY
        scheme = parse_scheme(text, f"city-{n}.yaml")
        seen.append(weakref.ref(event_types(scheme).models["leader_praise"]))
        del scheme
    gc.collect()
    alive = sum(1 for ref in seen if ref() is not None)
    assert alive <= COUNT / 2, f"{alive} of {COUNT} schemes' models are still held"


def test_the_same_declarations_share_their_models() -> None:
    first = event_types(parse_scheme(CITY, "a.yaml"))
    again = event_types(parse_scheme(CITY, "b.yaml"))
    assert first is again
