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
    "STARTER",
    "BundledScheme",
    "bundled_ledger",
    "bundled_scheme",
    "bundled_schemes",
    "bundled_starter",
    "is_bundled_name",
    "ledger_files",
]

LEDGER_FILES = ("roster.csv", "events.jsonl")
"""The files of a bundled ledger folder, in the order `score` takes them."""

_SUFFIX = ".yaml"

STARTER = "starter"
"""The ledger `assessment init` writes by default: `examples/starter/`, whose
`starter.yaml` names the bundled scheme it is for."""


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
    project = checkout / "pyproject.toml"
    # Only this project's own checkout: not a `schemes/` beside a vendored copy of the package.
    if project.is_file() and 'name = "assessment"' in project.read_text(encoding="utf-8"):
        return checkout / "schemes", checkout / "examples"
    nowhere = checkout / "assessment" / "_bundled"  # absent: no bundled schemes
    return nowhere / "schemes", nowhere / "examples"


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


def bundled_starter() -> tuple[BundledScheme, Traversable] | None:
    """The starter ledger and the bundled scheme its `starter.yaml` names, or None
    where either is missing (or the manifest names no bundled scheme)."""
    ledger = bundled_ledger(STARTER)
    if ledger is None or not ledger.joinpath("starter.yaml").is_file():
        return None
    import yaml  # noqa: PLC0415  (only init reads it: naming a scheme stays standard library)

    manifest = yaml.safe_load(ledger.joinpath("starter.yaml").read_text(encoding="utf-8"))
    name = manifest.get("scheme") if isinstance(manifest, dict) else None
    scheme = bundled_scheme(name) if isinstance(name, str) else None
    return None if scheme is None else (scheme, ledger)
