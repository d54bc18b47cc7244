"""The application: `create_app(settings)` puts the endpoints, the limits and the
refusals together into one ASGI application, with its OpenAPI document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from assessment._internal.serve.endpoints import Service
from assessment._internal.serve.limits import BodyLimit
from assessment._internal.serve.models import SchemeList, Validated
from assessment._internal.serve.openapi import bodies, responses
from assessment._internal.serve.refusals import (
    RefusedError,
    input_refused,
    refused,
    unrouted,
    unvalidated,
)
from assessment._internal.serve.registry import Registry
from assessment._internal.serve.settings import Settings
from assessment._internal.serve.work import Work
from assessment._version import __version__
from assessment.errors import InputError

__all__ = ["create_app"]

_DESCRIPTION = (
    "Scores government supervision work (政务督查工作考核) from a scheme: the `assessment`"
    " command line over HTTP. Results are the JSON contract's documents, byte for byte what"
    " `assessment score --format json` and `explain --format json` write; every refusal is a"
    " problems document (docs/problems.md). See docs/service.md."
)


def create_app(settings: Settings) -> FastAPI:
    """A new service: nothing registered, its own workers, the limits of `settings`."""
    app = FastAPI(
        title="assessment",
        version=__version__,
        description=_DESCRIPTION,
        exception_handlers={
            RefusedError: refused,
            InputError: input_refused,
            RequestValidationError: unvalidated,
            404: unrouted,
            405: unrouted,
        },
    )
    work = Work(settings.workers, settings.timeout)
    service = Service(Registry(settings.max_schemes), work)
    _routes(app, service)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        work=work,
        paths=WORK_PATHS,
        timeout=settings.timeout,
    )
    return app


WORK_PATHS = frozenset({"/v1/schemes", "/v1/validate", "/v1/score", "/v1/explain"})
"""The paths whose POST is work for a worker, held for it before its body is read."""


def _routes(app: FastAPI, service: Service) -> None:
    """Every endpoint, under /v1."""
    app.add_api_route(
        "/v1/schemes",
        service.schemes,
        methods=["GET"],
        response_model=SchemeList,
        summary="list the bundled and the registered schemes",
    )
    posted: list[tuple[str, Callable[..., Awaitable[object]], type[BaseModel] | None, str]] = [
        ("/v1/schemes", service.register, None, "register a scheme by its text"),
        ("/v1/validate", service.validate, Validated, "check a scheme, and a roster and events"),
        ("/v1/score", service.score, None, "score every unit (score --format json)"),
        ("/v1/explain", service.explain, None, "explain one unit (explain --unit U --format json)"),
    ]
    for path, endpoint, model, summary in posted:
        name = "register" if path == "/v1/schemes" else path.rsplit("/", 1)[1]
        app.add_api_route(
            path,
            endpoint,
            methods=["POST"],
            response_model=model,
            summary=summary,
            openapi_extra=bodies(name),
            responses=responses(name),
            status_code=201 if name == "register" else 200,
        )
