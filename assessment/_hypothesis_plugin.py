"""Hypothesis' entry point: `st.from_type(Scheme)` draws `assessment.testing.schemes()`.

Hypothesis calls `register_scheme_strategy` at the end of every `import hypothesis`
in the environment, used with assessment or not, so this module imports nothing of
the engine (`assessment.scheme` alone brings pydantic). Whichever of Hypothesis and
`assessment.scheme` is imported second registers the strategy: this hook when the
scheme module came first, the scheme module's last lines when Hypothesis did.
`assessment.testing` itself is imported only when a test draws a `Scheme`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from assessment.scheme import Scheme

__all__ = ["register", "register_scheme_strategy"]


def register_scheme_strategy() -> None:
    """The entry point: register now if `assessment.scheme` is loaded (else it registers itself)."""
    module = sys.modules.get("assessment.scheme")
    scheme = getattr(module, "Scheme", None)  # absent while that module is still being built
    if scheme is not None:
        register(scheme)


def register(scheme: type[Scheme]) -> None:
    """Make `st.from_type(scheme)` draw `assessment.testing.schemes()`."""
    from hypothesis import strategies as st  # noqa: PLC0415 (only ever called with Hypothesis loaded)

    # A function, not a strategy: Hypothesis calls it only when a test resolves
    # `Scheme`, so `assessment.testing` loads then, not at import time. (A strategy,
    # even `st.deferred`, would be built as `assessment.scheme` registers it:
    # registering a strategy checks that it is not empty.)
    st.register_type_strategy(scheme, _schemes)


def _schemes(_: type[Scheme]) -> SearchStrategy[Scheme]:
    from assessment.testing import schemes  # noqa: PLC0415 (deferred until a Scheme is drawn)

    return schemes()
