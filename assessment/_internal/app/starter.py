"""`assessment init DIR`: a folder that `assessment score` runs at once.

It holds a bundled scheme, the JSON Schema its first line points editors to, a
roster, a ledger of events and a README in Chinese. The folder is built beside
DIR under a temporary name, scored once, and only then given its name: DIR is
written whole or not at all, and never over anything of the user's.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from assessment._internal.app.schemas import json_schema
from assessment._internal.app.starterdoc import starter_readme
from assessment._internal.app.usage import OutputError, UsageError
from assessment._internal.load.bundled import (
    BundledScheme,
    bundled_scheme,
    bundled_schemes,
    bundled_starter,
    ledger_files,
)
from assessment._internal.load.roster import read_roster
from assessment._internal.load.scheme import load_scheme
from assessment._internal.score.api import score_files
from assessment._internal.text.printable import printable
from assessment._internal.text.suggest import did_you_mean

__all__ = ["FILES", "Starter", "write_starter"]

FILES = SCHEME, SCHEMA, ROSTER, EVENTS, README = (
    "scheme.yaml",
    "scheme.schema.json",
    "roster.csv",
    "events.jsonl",
    "README.md",
)
"""The files of a starter folder, in the order `init` lists them."""

# An editor's modeline on a scheme's first line (yaml-language-server), which a bundled
# example writes relative to its own folder: the starter's schema lies beside it.
_MODELINE = re.compile(rb"\A(# yaml-language-server: \$schema=)[^\r\n]*")


@dataclass(frozen=True)
class Starter:
    """What `init` wrote: the folder, its scheme's name and what the folder holds."""

    folder: Path
    scheme: str
    units: int
    events: int


def _chosen(name: str | None) -> tuple[BundledScheme, Traversable]:
    """The bundled scheme and ledger `--from NAME` names (by default the starter ledger
    and the scheme its manifest names)."""
    if name is None:
        starter = bundled_starter()
        if starter is None:
            raise UsageError("this installation carries no starter: name one with --from NAME")
        return starter
    schemes = bundled_schemes()
    with_ledger = [s.name for s in schemes if s.ledger is not None]
    chosen = bundled_scheme(name)
    if chosen is None or chosen.ledger is None:
        what = "no bundled scheme" if chosen is None else "a bundled scheme without a ledger"
        hint = did_you_mean(name, with_ledger) or ""
        raise UsageError(
            f"--from '{printable(name)}': {what} of that name{hint}; the ones with a ledger"
            f" are {', '.join(with_ledger)} (`assessment schemes` lists them)"
        )
    return chosen, chosen.ledger


def _refusal(target: Path, directory: str) -> str | None:
    """Why `target` (the user wrote `directory`) cannot become the starter's folder, or None."""
    shown = printable(directory)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return f"'{shown}' exists and is not a folder: name a new or empty folder"
    if target.is_dir() and any(target.iterdir()):
        return (
            f"'{shown}' is not empty: init writes only into a new or empty folder, so that"
            " nothing of yours is overwritten; name another"
        )
    home = target if target.is_dir() else target.parent
    said = shown if home == target else printable(str(Path(directory).parent))
    if not home.exists():
        return f"'{said}' does not exist: create it first, or name another folder"
    if not home.is_dir():
        return f"'{said}' is not a folder: name a folder inside a folder"
    if not os.access(home, os.W_OK):
        return f"'{said}' is not writable: name a folder elsewhere"
    return None


def _fill(folder: Path, scheme: BundledScheme, ledger: Traversable) -> tuple[int, int]:
    """Write the starter's files into `folder`; score them once. Returns the counts of
    its units and its events."""
    text = _MODELINE.sub(rb"\g<1>" + SCHEMA.encode(), scheme.file.read_bytes(), count=1)
    (folder / SCHEME).write_bytes(text)
    (folder / SCHEMA).write_text(json_schema("scheme"), encoding="utf-8")
    roster_file, events_file = ledger_files(ledger)
    (folder / ROSTER).write_bytes(roster_file.read_bytes())
    (folder / EVENTS).write_bytes(events_file.read_bytes())
    # What the user gets must score: a bundled ledger its scheme refuses is told here.
    loaded = load_scheme(folder / SCHEME)
    roster = read_roster(folder / ROSTER, loaded)
    score_files(loaded, roster, [folder / EVENTS], trail=False)
    events = sum(1 for line in (folder / EVENTS).read_bytes().splitlines() if line.strip())
    readme = starter_readme(
        title=loaded.title,
        scheme_id=loaded.id,
        version=loaded.version,
        start=loaded.period.start,
        end=loaded.period.end,
        units=len(roster.units),
        events=events,
        unit=roster.units[0].id,
        example=scheme.example,
    )
    (folder / README).write_text(readme, encoding="utf-8")
    return len(roster.units), events


def write_starter(directory: str, name: str | None = None) -> Starter:
    """Write a starter folder at `directory` (new, or empty) from a bundled scheme and
    its ledger; refuse, changing nothing, where that would overwrite anything."""
    # Normalized ("." and ".." have a name and a parent so) without following a link.
    target = Path(os.path.abspath(directory))  # noqa: PTH100
    refusal = _refusal(target, directory)
    if refusal is not None:
        raise UsageError(refusal)
    scheme, ledger = _chosen(name)
    # A new folder is built beside it and renamed; an empty one (perhaps the current
    # folder) keeps its identity: the files are built in a hidden folder inside it.
    existed = target.is_dir()
    token = secrets.token_hex(4)
    building = (
        target / f".init.{token}.tmp" if existed else target.parent / f".{target.name}.{token}.tmp"
    )
    try:
        building.mkdir()
    except OSError as exc:  # the access check passed, yet the system refuses
        raise OutputError(f"cannot write '{printable(directory)}': {exc.strerror}") from None
    moved: list[Path] = []
    try:
        units, events = _fill(building, scheme, ledger)
        if not existed:
            building.rename(target)
        else:
            for file_name in FILES:
                (building / file_name).rename(target / file_name)
                moved.append(target / file_name)
            building.rmdir()
    except BaseException:
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            shutil.rmtree(building)
        raise
    return Starter(Path(directory), scheme.name, units, events)
