"""Where a request's scheme comes from: its text, a registered scheme's digest, or the name
of a bundled one; and the registered schemes, the only state the service keeps.

Registered schemes are kept in memory, keyed by the sha256 of their bytes, at most
`max_schemes` of them; they are gone when the service stops.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from assessment._internal.load.bundled import BundledScheme, bundled_schemes
from assessment._internal.load.scheme import parse_scheme
from assessment._internal.serve.refusals import RefusedError
from assessment._internal.text.suggest import did_you_mean
from assessment.scheme import Scheme

__all__ = ["Registered", "Registry", "SchemeSource", "bundled_by_name", "digest_of"]


def bundled_by_name() -> dict[str, BundledScheme]:
    """Every bundled scheme, by name (`assessment schemes` lists the same). The service's
    one use of the bundled schemes: the rest of it asks here."""
    return {bundled.name: bundled for bundled in bundled_schemes()}


def digest_of(text: bytes) -> str:
    """A registered scheme's digest: the sha256 of its bytes, in hex."""
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class Registered:
    """A registered scheme: its digest and the scheme its bytes load to."""

    digest: str
    scheme: Scheme


class Registry:
    """The registered schemes, by digest; thread-safe, bounded."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._schemes: dict[str, Registered] = {}
        self._lock = threading.Lock()

    def register(self, text: bytes, name: str = "scheme") -> tuple[Registered, bool]:
        """Load `text` and keep it; (it, True) if it is new. Raises `SchemeError`."""
        digest = digest_of(text)
        with self._lock:
            known = self._schemes.get(digest)
        if known is not None:
            return known, False
        scheme = parse_scheme(text, name)
        with self._lock:
            if digest in self._schemes:
                return self._schemes[digest], False
            if len(self._schemes) >= self._limit:
                raise RefusedError(
                    507,
                    "request.registry_full",
                    f"{self._limit} schemes are registered, as many as this service keeps"
                    " (--max-schemes): send the scheme's text with each request instead,"
                    " or restart the service with a larger --max-schemes",
                )
            self._schemes[digest] = Registered(digest, scheme)
            return self._schemes[digest], True

    def get(self, digest: str) -> Scheme:
        """The registered scheme of `digest`; 404 if there is none."""
        with self._lock:
            found = self._schemes.get(digest)
            known = list(self._schemes)
        if found is None:
            hint = did_you_mean(digest, known)
            raise RefusedError(
                404,
                "request.not_found",
                f"no scheme is registered with digest '{digest}': give the digest of"
                " registration, the sha256 of the scheme file's bytes, as POST /v1/schemes"
                " answers (not the results' provenance.scheme_digest, which is another);"
                f" or register the scheme (POST /v1/schemes), or send its text{hint}",
                "scheme_digest",
            )
        return found.scheme

    def all(self) -> list[Registered]:
        with self._lock:
            return list(self._schemes.values())


@dataclass(frozen=True)
class SchemeSource:
    """A request's scheme, not yet loaded: exactly one of its text, a digest or a name."""

    text: bytes | None = None
    name_in_problems: str = "scheme"
    digest: str | None = None
    bundled: str | None = None

    @property
    def shown(self) -> str:
        """The scheme as the request named it."""
        return self.digest or self.bundled or self.name_in_problems

    def resolve(self, registry: Registry) -> Callable[[], Scheme]:
        """How to load it (in a worker); what cannot be found is refused now (404)."""
        text, name = self.text, self.name_in_problems
        if text is not None:
            return lambda: parse_scheme(text, name)
        if self.digest is not None:
            scheme = registry.get(self.digest)
            return lambda: scheme
        assert self.bundled is not None
        known = bundled_by_name()
        found = known.get(self.bundled)
        if found is None:
            hint = did_you_mean(self.bundled, known)
            raise RefusedError(
                404,
                "request.not_found",
                f"no bundled scheme is named '{self.bundled}': GET /v1/schemes lists them{hint}",
                "scheme_name",
            )
        return lambda: parse_scheme(found.file.read_bytes(), f"{found.name}.yaml")
