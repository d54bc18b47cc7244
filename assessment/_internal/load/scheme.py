"""Loading a scheme file: bytes → located YAML → `Scheme` → cross-checks."""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from pydantic import ValidationError

from assessment._internal.base.exported import exported
from assessment._internal.load.faults import fault_code, is_reference_to
from assessment._internal.load.references import check_references
from assessment._internal.load.salvage import salvage
from assessment._internal.text.pydantic_errors import problems_from_validation
from assessment._internal.text.yamlsource import MAX_YAML_BYTES, Located, load_yaml, render_path
from assessment.errors import Problem, SchemeError
from assessment.scheme import Scheme

__all__ = ["load_scheme", "parse_scheme", "read_scheme_file"]


@exported
def parse_scheme(raw: bytes | str, file: str = "<scheme>") -> Scheme:
    """Validate scheme text; raise `SchemeError` listing every problem."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    located, problems = load_yaml(data, file)
    if problems:
        raise SchemeError(problems)
    if not isinstance(located.data, dict):
        message = "a scheme must be a mapping of keys to values"
        raise SchemeError([Problem(file, 1, 1, "", message, code="scheme.wrong_type")])
    try:
        scheme = Scheme.model_validate(located.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, located, file, Scheme)
        partial, names = salvage(located.data)
        faults = check_references(partial, complete=False)
        faults = [f for f in faults if not is_reference_to(f, names)]
        raise SchemeError(problems + _locate(faults, located, file)) from None
    faults = check_references(scheme)
    if faults:
        raise SchemeError(_locate(faults, located, file))
    return scheme


def _locate(
    faults: list[tuple[tuple[str | int, ...], str]], located: Located, file: str
) -> list[Problem]:
    problems = []
    for fault in faults:
        given, message = fault
        path = given
        if path and path[-1] == "eq" and path not in located.value_marks:
            path = path[:-1]  # `circulated: "true"` is shorthand for {eq: "true"}: shown as written
        # a fault in a `where:` key is about the key (the field name), not its condition
        line, col = located.mark(path, key=len(path) > 1 and path[-2] == "where")
        where, code = render_path(path), fault_code(fault)
        problems.append(Problem(file, line, col, where, message, code=code))
    return problems


@exported
def load_scheme(path: str | os.PathLike[str]) -> Scheme:
    """Read and validate a scheme file; raise `SchemeError` listing every problem."""
    file = os.fspath(path)
    return parse_scheme(read_scheme_file(file), file)


def read_scheme_file(file: str) -> bytes:
    """A scheme file's bytes; raise `SchemeError` if it cannot be read or is too large."""
    try:
        with FsPath(file).open("rb") as stream:
            # One byte past the limit tells a file too large (or endless, as /dev/zero is)
            # without reading the rest of it.
            raw = stream.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise SchemeError(
            [
                Problem(
                    file, 0, 0, "", f"cannot read the file: {exc.strerror}", code="file.unreadable"
                )
            ]
        ) from None
    if len(raw) > MAX_YAML_BYTES:
        message = (
            f"the file holds more than the {MAX_YAML_BYTES} bytes allowed for a scheme:"
            " check that this is the scheme file"
        )
        raise SchemeError([Problem(file, 0, 0, "", message, code="file.too_large")])
    return raw
