"""A scheme named by a bundled name instead of a path: `assessment score 2023 …`.

A scheme argument that is a file is that file, as it always was. One that is not a
file and has the shape of a bundled name (no folder, no suffix) is the bundled
scheme of that name. A name that is both a file here and a bundled scheme is
refused (and so is a name beside a NAME.yaml or NAME.yml here), since either reading
could be the wrong one; a name that is neither is refused with the bundled names
listed. A worked example named so is scored with a note that it is one.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from assessment._internal.app.usage import UsageError
from assessment._internal.load.bundled import bundled_scheme, bundled_schemes, is_bundled_name
from assessment._internal.text.printable import printable
from assessment._internal.text.suggest import did_you_mean

__all__ = ["resolve_scheme_argument", "resolve_scheme_name"]


def _files_here(name: str) -> list[str]:
    """The files in the current folder that `name` could also mean: NAME, NAME.yaml, NAME.yml."""
    candidates = (name, f"{name}.yaml", f"{name}.yml")
    return [c for c in candidates if Path(c).exists() and not Path(c).is_dir()]


def resolve_scheme_argument(argument: str) -> tuple[str, str | None]:
    """The path of the scheme `argument` names (a file, or a bundled scheme), and a note
    to tell the user, if any."""
    if not is_bundled_name(argument):
        return argument, None
    shown = printable(argument)
    bundled = bundled_scheme(argument)
    if bundled is None:
        if Path(argument).exists():
            return argument, None  # a file of that name: as it always was
        names = [scheme.name for scheme in bundled_schemes()]
        hint = did_you_mean(argument, names) or ""
        raise UsageError(
            f"scheme '{shown}': no such file, and no bundled scheme of that name{hint} (the"
            f" bundled ones are {', '.join(names)}; `assessment schemes` lists them)"
        )
    here = _files_here(argument)
    if here:
        # A clerk's edited 2023.yaml beside them must never be passed over for ours unseen.
        mine = printable(here[0] if here[0] != argument else f"./{argument}")
        raise UsageError(
            f"scheme '{shown}' could be the file {printable(here[0])} here or the bundled scheme"
            f" of that name: write {mine} for the file, or run from another folder for the"
            " bundled one"
        )
    if not isinstance(bundled.file, Path):  # a package installed in a zip archive
        raise UsageError(
            f"scheme '{shown}': this installation keeps its bundled schemes in an archive;"
            f" write one out with `assessment init DIR --from {shown}` and name that file"
        )
    note = None
    if bundled.example:  # a worked example's title can read as a real year's scheme
        note = (
            f"note: {shown} is a worked example of the scheme format (schemes/examples/),"
            " not a published scheme"
        )
    return str(bundled.file), note


def resolve_scheme_name(args: argparse.Namespace, stderr: TextIO) -> None:
    """Give a parsed command the path of the scheme it names (commands without one: as is),
    telling a note on `stderr` unless the problems are asked for as JSON."""
    scheme = getattr(args, "scheme", None)
    if isinstance(scheme, str):
        args.scheme, note = resolve_scheme_argument(scheme)
        if note is not None and args.errors != "json":
            stderr.write(note + "\n")
