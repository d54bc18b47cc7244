"""A value a rule may write as the name of something the scheme defines once: what
validation says of a name left unresolved, and how the JSON Schema allows the name."""

from __future__ import annotations

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

__all__ = ["OrName", "Unresolved", "refuse_name"]


class Unresolved:
    """A name a rule gives that the scheme does not define: validation words it at the rule."""

    def __init__(self, written: str, message: str) -> None:
        self.written, self.message = written, message

    def __str__(self) -> str:
        return repr(self.written)  # what the file says, as a problem shows it


def refuse_name(value: object) -> object:
    """A table's or where's validator: a name left after inlining is an error at that place."""
    if isinstance(value, Unresolved):
        raise ValueError(value.message)
    if isinstance(value, str):
        raise ValueError(
            f"'{value}' names nothing here: a rule names only what the scheme defines under "
            "`tables:` (for a table) or `selections:` (for a where)"
        )
    return value


class OrName:
    """The JSON Schema of a value that may also be written as a name (for YAML editors)."""

    def __init__(self, what: str, *, listed: bool = False) -> None:
        self.what, self.listed = what, listed

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        written = handler(core_schema)
        name = {"type": "string", "description": f"the id of an entry of `{self.what}:`"}
        choices = [written, name]
        if self.listed:
            choices.append({"type": "array", "items": {"anyOf": [written, name]}, "minItems": 1})
        return {"anyOf": choices}
