"""A scheme named by a bundled name instead of a path: `assessment score 2023 …`.

A scheme argument that is a file is that file, as it always was. One that is not a
file and has the shape of a bundled name (no folder, no suffix) is the bundled
scheme of that name. A name that is both a file here and a bundled scheme is
refused, since either reading could be the wrong one; a name that is neither is
refused with the bundled names listed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assessment._internal.app.usage import UsageError
from assessment._internal.load.bundled import bundled_schemes, is_bundled_name
from assessment._internal.text.printable import printable
from assessment._internal.text.suggest import did_you_mean

__all__ = ["resolve_scheme_argument", "resolve_scheme_name"]


def resolve_scheme_argument(argument: str) -> str:
    """The path of the scheme `argument` names: a file, or a bundled scheme."""
    if not is_bundled_name(argument):
        return argument
    here = Path(argument).exists() and not Path(argument).is_dir()  # a folder is no scheme
    known = {scheme.name: scheme for scheme in bundled_schemes()}
    bundled = known.get(argument)
    shown = printable(argument)
    if bundled is None:
        if here:
            return argument
        hint = did_you_mean(argument, known) or ""
        raise UsageError(
            f"scheme '{shown}': no such file, and no bundled scheme of that name{hint} (the"
            f" bundled ones are {', '.join(known)}; `assessment schemes` lists them)"
        )
    if here:
        raise UsageError(
            f"scheme '{shown}' is both a file here and a bundled scheme: write ./{shown} for"
            " the file, or run from another folder for the bundled one"
        )
    if not isinstance(bundled.file, Path):  # a package installed in a zip archive
        raise UsageError(
            f"scheme '{shown}': this installation keeps its bundled schemes in an archive;"
            f" write one out with `assessment init DIR --from {shown}` and name that file"
        )
    return str(bundled.file)


def resolve_scheme_name(args: argparse.Namespace) -> None:
    """Give a parsed command the path of the scheme it names (commands without one: as is)."""
    scheme = getattr(args, "scheme", None)
    if isinstance(scheme, str):
        args.scheme = resolve_scheme_argument(scheme)
