"""What each endpoint does: read the request's inputs, do the library's work in a worker,
and answer with the bytes the command line writes for the same work."""

from __future__ import annotations

from fastapi import Request, Response

from assessment._internal.app.commands import explanation_json, results_json
from assessment._internal.load.roster import read_roster
from assessment._internal.score.api import score_files
from assessment._internal.score.scorer import Scorer, scoring_day
from assessment._internal.serve.bodies import Inputs, as_of, inputs_of, malformed, read_body
from assessment._internal.serve.limits import slot_of
from assessment._internal.serve.models import (
    BundledEntry,
    RegisteredEntry,
    SchemeList,
    Validated,
)
from assessment._internal.serve.refusals import MEDIA_TYPE, RefusedError
from assessment._internal.serve.registry import Registered, Registry, bundled_by_name
from assessment._internal.serve.work import Work
from assessment._internal.text.suggest import did_you_mean
from assessment.errors import UnknownIdError
from assessment.results import Report

__all__ = ["Service"]

_YAML = ("application/yaml", "text/yaml", "application/x-yaml")
"""The Content-Types a scheme is registered with."""
_NOT_VALIDATED = ("as_of", "unit")
"""Fields that validate does not take: it scores nothing, as of no day, for no unit."""


def _json_response(text: str, status: int = 200) -> Response:
    return Response(text.encode("utf-8"), status_code=status, media_type=MEDIA_TYPE)


def _entry(registered: Registered) -> RegisteredEntry:
    scheme = registered.scheme
    return RegisteredEntry(
        digest=registered.digest,
        scheme_id=scheme.id,
        title=scheme.title,
        version=scheme.version,
        rules=len(scheme.rules()),
    )


def _needs(inputs: Inputs, *names: str) -> None:
    for name in names:
        missing = (
            (name == "roster" and inputs.roster is None)
            or (name == "events" and not inputs.events)
            or (name == "unit" and inputs.fields.unit is None)
        )
        if missing:
            raise malformed(f"the request gives no {name}: {name} is required here", name)


class Service:
    """The endpoints, over one registry of schemes and one pool of workers."""

    def __init__(self, registry: Registry, work: Work) -> None:
        self.registry = registry
        self.work = work

    async def schemes(self) -> SchemeList:
        """The bundled schemes (by name) and the registered ones (by digest)."""
        bundled = [BundledEntry(name=s.name, example=s.example) for s in bundled_by_name().values()]
        registered = [_entry(r) for r in self.registry.all()]
        return SchemeList(bundled=bundled, registered=registered)

    async def validate(self, request: Request) -> Validated:
        """Check a scheme, and a roster and events against it, as `assessment validate`."""
        body = await read_body(request)

        def job() -> Validated:
            inputs = inputs_of(body)
            for name in _NOT_VALIDATED:
                if getattr(inputs.fields, name) is not None:
                    raise malformed(
                        f"validate takes no {name}: it checks the inputs and scores"
                        f" nothing; send {name} to /v1/score or /v1/explain",
                        name,
                    )
            if inputs.events and inputs.roster is None:
                message = "events need a roster: events are checked against the roster"
                raise malformed(message, "roster")
            scheme = inputs.scheme.resolve(self.registry)()
            checked = [inputs.scheme.shown]
            if inputs.roster is not None:
                roster = read_roster(inputs.roster, scheme)
                checked.append(str(inputs.roster))
                if inputs.events:
                    Scorer(scheme, roster).read(inputs.events, allow_empty=False)
                    checked += [str(e) for e in inputs.events]
            return Validated(scheme_id=scheme.id, rules=len(scheme.rules()), checked=checked)

        return await self.work.run(job, slot_of(request.scope))

    async def score(self, request: Request) -> Response:
        """Score every unit: the bytes of `assessment score --format json`."""
        body = await read_body(request)

        def job() -> str:
            return results_json(self._report(inputs_of(body), "roster", "events"))

        return _json_response(await self.work.run(job, slot_of(request.scope)))

    async def explain(self, request: Request) -> Response:
        """One unit's every point: the bytes of `assessment explain --unit U --format json`."""
        body = await read_body(request)

        def job() -> str:
            inputs = inputs_of(body)
            report = self._report(inputs, "roster", "events", "unit")
            unit = str(inputs.fields.unit)
            try:
                return explanation_json(report, unit)
            except UnknownIdError:
                hint = did_you_mean(unit, (u.unit for u in report.units))
                message = f"unit '{unit}' is not in the roster{hint}"
                raise RefusedError(404, "request.not_found", message, "unit") from None

        return _json_response(await self.work.run(job, slot_of(request.scope)))

    def _report(self, inputs: Inputs, *needed: str) -> Report:
        """What `assessment score` and `explain` compute, for the request's inputs."""
        _needs(inputs, *needed)
        load, day = inputs.scheme.resolve(self.registry), as_of(inputs.fields)
        scheme = load()
        try:
            scoring_day(scheme, day)
        except ValueError as exc:
            raise malformed(f"as_of: {exc}", "as_of") from None
        assert inputs.roster is not None
        roster = read_roster(inputs.roster, scheme)
        return score_files(scheme, roster, inputs.events, day, trail=True)

    async def register(self, request: Request) -> Response:
        """Keep a scheme (the body: its file's bytes) and answer its digest."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in _YAML:
            raise malformed(
                f"Content-Type {kind or '(none)'}: send the scheme file's bytes as the body,"
                " with Content-Type: application/yaml (with curl: --data-binary @FILE, which"
                " keeps the bytes as they are; -d drops the line breaks)"
            )
        text = await request.body()
        registered, new = await self.work.run(
            lambda: self.registry.register(text), slot_of(request.scope)
        )
        return _json_response(
            _entry(registered).model_dump_json(indent=2) + "\n", 201 if new else 200
        )
