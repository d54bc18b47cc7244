"""The schemes and example ledgers this package carries (and its JSON Schemas), found by name.

An installed package carries them in `assessment/_bundled/`: pyproject.toml maps the
checkout's top-level `schemes/` and `examples/` folders there, so that those folders
stay their one source. A checkout, or an editable install of one, has no
`_bundled/` folder and reads those two folders themselves.

A bundled scheme is named by its file's stem: `schemes/2023.yaml` is `2023`,
`schemes/examples/city-2024.yaml` is `city-2024`. Its ledger, when it has one, is
`examples/<name>/` with a `roster.csv` and an `events.jsonl`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = [
    "BundledScheme",
    "bundled_ledger",
    "bundled_scheme",
    "bundled_schemes",
    "is_bundled_name",
    "ledger_files",
]

LEDGER_FILES = ("roster.csv", "events.jsonl")
"""The files of a bundled ledger folder, in the order `score` takes them."""

_SUFFIX = ".yaml"


@dataclass(frozen=True)
class BundledScheme:
    """A scheme the package carries: its name, its file and its example ledger."""

    name: str
    file: Traversable
    ledger: Traversable | None
    example: bool
    """True for the worked examples of schemes/examples/, False for published schemes."""


def _roots() -> tuple[Traversable, Traversable]:
    """The folders of schemes and of ledgers: the installed package's, else the checkout's."""
    installed = files("assessment").joinpath("_bundled")
    if installed.is_dir():
        return installed.joinpath("schemes"), installed.joinpath("examples")
    checkout = Path(__file__).resolve().parents[3]
    return checkout / "schemes", checkout / "examples"


def _ledger(examples: Traversable, name: str) -> Traversable | None:
    folder = examples.joinpath(name)
    if all(folder.joinpath(part).is_file() for part in LEDGER_FILES):
        return folder
    return None


def bundled_schemes() -> tuple[BundledScheme, ...]:
    """Every bundled scheme: the published ones, then the worked examples, each by name."""
    schemes, examples = _roots()
    found: list[BundledScheme] = []
    for folder, example in ((schemes, False), (schemes.joinpath("examples"), True)):
        if not folder.is_dir():
            continue
        names = sorted(
            entry.name.removesuffix(_SUFFIX)
            for entry in folder.iterdir()
            if entry.name.endswith(_SUFFIX) and entry.is_file()
        )
        for name in names:
            ledger = _ledger(examples, name)
            found.append(BundledScheme(name, folder.joinpath(name + _SUFFIX), ledger, example))
    return tuple(found)


def is_bundled_name(text: str) -> bool:
    """Whether `text` has the shape of a bundled name: no folder, no suffix, not '-'."""
    return bool(text) and text != "-" and not any(c in text for c in "/\\.:") and text.isprintable()


def bundled_scheme(name: str) -> BundledScheme | None:
    """The bundled scheme named `name`, or None."""
    return next((s for s in bundled_schemes() if s.name == name), None)


def bundled_ledger(name: str) -> Traversable | None:
    """The bundled ledger folder `examples/<name>/`, or None (a starter ledger has no scheme
    of its own name)."""
    return _ledger(_roots()[1], name) if is_bundled_name(name) else None


def ledger_files(ledger: Traversable) -> tuple[Traversable, Traversable]:
    """The roster and the events of a bundled ledger folder."""
    roster, events = LEDGER_FILES
    return ledger.joinpath(roster), ledger.joinpath(events)
