"""`assessment serve` over a real socket: a subprocess on the loopback address, called with
the standard library's HTTP clients. Every expected value comes from the command line or
the library, run here on the same input; none is taken from the service's own answers."""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import ROOT

SCHEME = ROOT / "schemes/2023.yaml"
ROSTER = ROOT / "examples/2023/roster.csv"
EVENTS = ROOT / "examples/2023/events.jsonl"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Server:
    """A running service: its base address."""

    base: str
    port: int

    def call(
        self, method: str, path: str, body: bytes | None = None, kind: str | None = None
    ) -> Answer:
        headers = {"Content-Type": kind} if kind else {}
        request = urllib.request.Request(self.base + path, body, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return Answer(response.status, response.read())
        except urllib.error.HTTPError as refused:
            return Answer(refused.code, refused.read())

    def post_json(self, path: str, fields: dict[str, Any]) -> Answer:
        return self.call("POST", path, json.dumps(fields).encode(), "application/json")


def _start(tmp: Path, *options: str) -> Iterator[Server]:
    """Start `assessment serve --port 0 OPTIONS`, read its port from standard error, and
    stop it at the end."""
    log = tmp / "serve.err"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "assessment", "serve", "--port", "0", *options],
            cwd=tmp,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        for _ in range(600):  # the first line says where it listens
            text = log.read_text(encoding="utf-8")
            if "listening on http://127.0.0.1:" in text or process.poll() is not None:
                break
            time.sleep(0.05)
        assert "listening on http://127.0.0.1:" in text, text
        port = int(text.split("listening on http://127.0.0.1:")[1].split()[0])
        yield Server(f"http://127.0.0.1:{port}", port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _start(tmp_path_factory.mktemp("serve"))


def test_it_says_where_it_listens_and_lists_the_bundled_schemes(server: Server) -> None:
    from assessment._internal.load.bundled import bundled_schemes  # noqa: PLC0415

    answer = server.call("GET", "/v1/schemes")
    assert answer.status == 200
    listed = answer.json()
    assert [s["name"] for s in listed["bundled"]] == [s.name for s in bundled_schemes()]
    assert listed["registered"] == []


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A service with small limits: 64 KiB bodies, one registered scheme."""
    yield from _start(
        tmp_path_factory.mktemp("strict"), "--max-body-bytes", "65536", "--max-schemes", "1"
    )


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A service that gives work a thousandth of a second, with one worker."""
    yield from _start(tmp_path_factory.mktemp("slow"), "--timeout", "0.001", "--workers", "1")


@functools.cache
def _cli(*args: str) -> bytes:
    """What the command line writes on standard output, run here."""
    done = subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=300,
    )
    return done.stdout


def _cli_score(*more: str) -> bytes:
    inputs = (str(SCHEME), "--roster", str(ROSTER), "--events", str(EVENTS))
    return _cli("score", *inputs, "--format", "json", *more)


def _cli_explain(unit: str, *more: str) -> bytes:
    inputs = (str(SCHEME), "--roster", str(ROSTER), "--events", str(EVENTS))
    return _cli("explain", *inputs, "--unit", unit, "--format", "json", *more)


def _events() -> list[Any]:
    return [json.loads(line) for line in EVENTS.read_text(encoding="utf-8").splitlines()]


def _fields(**more: Any) -> dict[str, Any]:
    """The 2023 example as the fields of a JSON body."""
    return {
        "scheme": SCHEME.read_text(encoding="utf-8"),
        "roster": ROSTER.read_text(encoding="utf-8"),
        **more,
    }


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of (name, file name or None, bytes) parts."""
    boundary = "----assessment-test-" + "7" * 16
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _json_lines(header: dict[str, Any], events: bytes) -> bytes:
    return json.dumps(header).encode() + b"\n" + events


def _by_form(server: Server, path: str, form: str, **more: Any) -> Answer:
    """The 2023 example sent to `path` in one of the three body forms."""
    if form == "json":
        return server.post_json(path, _fields(events=_events(), **more))
    if form == "json-lines":
        body = _json_lines(_fields(**more), EVENTS.read_bytes())
        return server.call("POST", path, body, "application/x-ndjson")
    scalars = [(key, None, str(value).encode()) for key, value in more.items()]
    files = [
        ("scheme", "2023.yaml", SCHEME.read_bytes()),
        ("roster", "roster.csv", ROSTER.read_bytes()),
        ("events", "events.jsonl", EVENTS.read_bytes()),
    ]
    body, kind = _multipart(files + scalars)
    return server.call("POST", path, body, kind)


FORMS = ["json", "json-lines", "multipart"]


@pytest.mark.parametrize("form", FORMS)
def test_score_answers_the_bytes_of_score_format_json_in_each_body_form(
    server: Server, form: str
) -> None:
    answer = _by_form(server, "/v1/score", form)
    assert answer.status == 200
    assert answer.body == _cli_score()


@pytest.mark.parametrize("form", FORMS)
def test_score_as_of_a_day_answers_the_bytes_of_score_as_of(server: Server, form: str) -> None:
    answer = _by_form(server, "/v1/score", form, as_of="2023-06-30")
    assert answer.status == 200
    assert answer.body == _cli_score("--as-of", "2023-06-30")
    assert answer.body != _cli_score()


@pytest.mark.parametrize("form", FORMS)
def test_explain_answers_the_bytes_of_explain_format_json(server: Server, form: str) -> None:
    answer = _by_form(server, "/v1/explain", form, unit="town-qingshi", as_of="2023-09-30")
    assert answer.status == 200
    assert answer.body == _cli_explain("town-qingshi", "--as-of", "2023-09-30")


def test_a_bundled_scheme_is_named_and_scores_as_its_file(server: Server) -> None:
    fields = {"scheme_name": "2023", "roster": ROSTER.read_text(encoding="utf-8")}
    answer = server.post_json("/v1/score", {**fields, "events": _events()})
    assert (answer.status, answer.body) == (200, _cli_score())


def test_a_registered_scheme_is_scored_by_its_digest(server: Server) -> None:
    text = SCHEME.read_bytes()
    first = server.call("POST", "/v1/schemes", text, "application/yaml")
    assert first.status in (200, 201)  # 200 if another test registered it first
    again = server.call("POST", "/v1/schemes", text, "application/yaml")
    assert again.status == 200
    digest = hashlib.sha256(text).hexdigest()
    assert first.json()["digest"] == again.json()["digest"] == digest
    listed = server.call("GET", "/v1/schemes").json()["registered"]
    assert digest in [entry["digest"] for entry in listed]
    fields = {"scheme_digest": digest, "roster": ROSTER.read_text(encoding="utf-8")}
    answer = server.post_json("/v1/score", {**fields, "events": _events()})
    assert (answer.status, answer.body) == (200, _cli_score())


def test_nothing_is_kept_between_requests_that_register_nothing(server: Server) -> None:
    text = SCHEME.read_text(encoding="utf-8") + "# sent, never registered\n"
    before = server.call("GET", "/v1/schemes").json()
    answer = server.post_json("/v1/score", {**_fields(events=_events()), "scheme": text})
    assert answer.status == 200
    assert server.call("GET", "/v1/schemes").json() == before
    digest = hashlib.sha256(text.encode()).hexdigest()
    fields = {"scheme_digest": digest, "roster": ROSTER.read_text(encoding="utf-8")}
    refused = server.post_json("/v1/score", {**fields, "events": _events()})
    assert refused.status == 404
    assert [p["code"] for p in refused.json()["problems"]] == ["request.not_found"]
