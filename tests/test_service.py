"""`assessment serve` over a real socket: a subprocess on the loopback address, called with
the standard library's HTTP clients. Every expected value comes from the command line or
the library, run here on the same input; none is taken from the service's own answers."""

from __future__ import annotations

import functools
import hashlib
import http.client
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import ROOT

from assessment import load_scheme, parse_scheme, read_events, read_roster
from assessment._internal.load.piped import Piped
from assessment._internal.text.codes import CODES
from assessment._internal.text.problemdoc import problems_document
from assessment.cli import main
from assessment.errors import InputError

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


def _start(
    tmp: Path,
    *options: str,
    command: Sequence[str] = (sys.executable, "-m", "assessment"),
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start `COMMAND serve --port 0 OPTIONS` (this environment's `assessment` by default),
    read its port from standard error, and stop it at the end."""
    log = tmp / "serve.err"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "serve", "--port", "0", *options],
            cwd=tmp,
            env=env,
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
    """A service that gives work (and each wait on a body) a quarter of a second, with one
    worker: scoring the example's events 30 times over takes longer."""
    yield from _start(tmp_path_factory.mktemp("slow"), "--timeout", "0.25", "--workers", "1")


@functools.cache
def _cli(*args: str) -> bytes:
    """What the command line writes on standard output (UTF-8), run here."""
    out = io.StringIO()
    assert main(list(args), stdout=out) == 0
    return out.getvalue().encode("utf-8")


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


Part = tuple[str, str | None, bytes]
"""A part of a multipart form: its name, its file name (None: a text field), its bytes."""


def _multipart(parts: Sequence[Part]) -> tuple[bytes, str]:
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
    scalars: list[Part] = [(key, None, str(value).encode()) for key, value in more.items()]
    files: list[Part] = [
        ("scheme", "2023.yaml", SCHEME.read_bytes()),
        ("roster", "roster.csv", ROSTER.read_bytes()),
        ("events", "events.jsonl", EVENTS.read_bytes()),
    ]
    body, kind = _multipart(files + scalars)
    return server.call("POST", path, body, kind)


FORMS = ["json", "json-lines", "multipart"]
_NDJSON = "application/x-ndjson"


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


def _library_problems(read: Callable[[], object]) -> list[dict[str, Any]]:
    """The problems the library gives for an input, as `--errors json` writes them."""
    with pytest.raises(InputError) as caught:
        read()
    problems: list[dict[str, Any]] = problems_document(caught.value).model_dump(mode="json")[
        "problems"
    ]
    return problems


def _problems(answer: Answer, status: int = 422) -> list[dict[str, Any]]:
    assert answer.status == status, answer.body
    problems: list[dict[str, Any]] = answer.json()["problems"]
    return problems


BAD_SCHEME = ROOT / "tests/data/invalid/schemes/unknown_key.yaml"
BAD_EVENTS = ROOT / "tests/data/invalid/events/huge_exponent_in_a_number.jsonl"
CLOSED_TWICE = ROOT / "tests/data/invalid/events/closed_twice.jsonl"
SMALL_ROSTER = ROOT / "tests/data/roster.csv"


def test_a_bad_scheme_is_refused_with_the_library_s_problems(server: Server) -> None:
    text = BAD_SCHEME.read_bytes()
    answer = server.post_json("/v1/validate", {"scheme": text.decode()})
    assert _problems(answer) == _library_problems(lambda: parse_scheme(text, "scheme"))
    assert answer.json()["error"] == "scheme"
    body, kind = _multipart([("scheme", "mine.yaml", text)])
    uploaded = server.call("POST", "/v1/validate", body, kind)
    assert _problems(uploaded) == _library_problems(lambda: parse_scheme(text, "mine.yaml"))
    registered = server.call("POST", "/v1/schemes", text, "application/yaml")
    assert _problems(registered) == _library_problems(lambda: parse_scheme(text, "scheme"))


def _library_events(path: Path, name: str) -> list[dict[str, Any]]:
    scheme = load_scheme(SCHEME)
    roster = read_roster(SMALL_ROSTER, scheme)
    named = Piped(io.BytesIO(path.read_bytes()), path.suffix, name)
    return _library_problems(lambda: read_events(named, scheme, roster))


def test_bad_events_are_refused_with_the_library_s_problems(server: Server) -> None:
    header = {"scheme_name": "2023", "roster": SMALL_ROSTER.read_text(encoding="utf-8")}
    body = _json_lines(header, BAD_EVENTS.read_bytes())
    answer = server.call("POST", "/v1/score", body, "application/x-ndjson")
    expected = _library_events(BAD_EVENTS, "events")
    assert len(expected) == 3
    assert _problems(answer) == expected
    assert answer.json()["error"] == "events"
    parts: list[Part] = [("roster", "roster.csv", SMALL_ROSTER.read_bytes())]
    parts += [("events", "ledger.jsonl", BAD_EVENTS.read_bytes()), ("scheme_name", None, b"2023")]
    upload, kind = _multipart(parts)
    uploaded = server.call("POST", "/v1/validate", upload, kind)
    assert _problems(uploaded) == _library_events(BAD_EVENTS, "ledger.jsonl")
    records = [json.loads(line) for line in CLOSED_TWICE.read_text(encoding="utf-8").splitlines()]
    array = server.post_json("/v1/score", {**header, "events": records})
    assert _problems(array) == _library_events(CLOSED_TWICE, "events")


def test_a_valid_request_to_validate_says_what_it_checked(server: Server) -> None:
    parts = [("scheme_name", None, b"2023"), ("roster", "roster.csv", ROSTER.read_bytes())]
    body, kind = _multipart([*parts, ("events", "e.jsonl", EVENTS.read_bytes())])
    answer = server.call("POST", "/v1/validate", body, kind)
    assert answer.status == 200
    scheme = load_scheme(SCHEME)
    assert answer.json() == {
        "valid": True,
        "scheme_id": scheme.id,
        "rules": len(scheme.rules()),
        "checked": ["2023", "roster.csv", "e.jsonl"],
    }


def _refusal(answer: Answer, status: int) -> tuple[str, str]:
    """The one problem of a refused request: (code, field)."""
    (problem,) = _problems(answer, status)
    assert answer.json()["error"] == "request"
    assert problem["hint"] == CODES[problem["code"]].hint
    return problem["code"], problem["field"]


@pytest.mark.parametrize(
    ("body", "kind", "field"),
    [
        (b'{"scheme_name": "2023",', "application/json", ""),
        (b'{"scheme_name": "2023", "scheme_name": "2023"}', "application/json", ""),
        (b'{"scheme_name": "2023", "colour": 1}', "application/json", "colour"),
        (b'{"scheme_name": "2023"}', "text/csv", ""),
        (b'{"scheme_name": "2023"}', None, ""),
        (b'{"roster": "id,name,kind\\n"}', "application/json", "scheme"),
        (b'{"scheme": "x", "scheme_name": "2023"}', "application/json", "scheme"),
        (b'{"scheme_name": "2023", "events": []}', "application/json", "roster"),
        (b"--nope\r\n", "multipart/form-data; boundary=x", ""),
    ],
)
def test_a_malformed_request_is_refused_400(
    server: Server, body: bytes, kind: str | None, field: str
) -> None:
    assert _refusal(server.call("POST", "/v1/validate", body, kind), 400) == (
        "request.malformed",
        field,
    )


@pytest.mark.parametrize("day", ["2023-13-01", "2023-6-30", "2023-W26-5", "2022-01-01"])
def test_a_bad_day_or_one_outside_the_scheme_s_period_is_malformed(
    server: Server, day: str
) -> None:
    answer = server.post_json("/v1/score", _fields(events=_events(), as_of=day))
    assert _refusal(answer, 400) == ("request.malformed", "as_of")


def test_a_wrong_method_is_refused_with_a_problems_document(server: Server) -> None:
    assert _refusal(server.call("GET", "/v1/score"), 405) == ("request.malformed", "")


@pytest.mark.parametrize(
    ("path", "fields", "field"),
    [
        ("/v1/score", {"scheme_digest": "0" * 64}, "scheme_digest"),
        ("/v1/score", {"scheme_name": "2032"}, "scheme_name"),
        ("/v1/explain", {"scheme_name": "2023", "unit": "town-nowhere"}, "unit"),
        ("/v1/nowhere", {}, ""),
    ],
)
def test_what_the_service_does_not_have_is_not_found(
    server: Server, path: str, fields: dict[str, Any], field: str
) -> None:
    body = {"roster": ROSTER.read_text(encoding="utf-8"), "events": _events(), **fields}
    assert _refusal(server.post_json(path, body), 404) == ("request.not_found", field)


def test_an_unknown_unit_is_named_with_the_closest_one(server: Server) -> None:
    fields = _fields(events=_events(), unit="town-qingsh")
    (problem,) = _problems(server.post_json("/v1/explain", fields), 404)
    assert "did you mean 'town-qingshi'?" in problem["message"]


def test_a_body_over_the_limit_by_its_content_length_is_refused_413(strict: Server) -> None:
    body = _json_lines({"scheme_name": "2023"}, EVENTS.read_bytes())
    assert len(body) > 65536
    answer = strict.call("POST", "/v1/score", body, "application/x-ndjson")
    assert _refusal(answer, 413) == ("request.too_large", "")
    assert "Content-Length" in answer.json()["problems"][0]["message"]


def _chunked(server: Server, path: str, chunks: list[bytes], kind: str) -> Answer:
    """A chunked request, which declares no length (http.client, standard library)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request("POST", path, iter(chunks), {"Content-Type": kind}, encode_chunked=True)
        response = connection.getresponse()
        return Answer(response.status, response.read())
    finally:
        connection.close()


def test_a_chunked_body_over_the_limit_is_refused_413_as_it_is_read(strict: Server) -> None:
    events = EVENTS.read_bytes()
    header = json.dumps({"scheme_name": "2023"}).encode() + b"\n"
    chunks = [header] + [events[i : i + 8192] for i in range(0, len(events), 8192)]
    answer = _chunked(strict, "/v1/score", chunks, "application/x-ndjson")
    assert _refusal(answer, 413) == ("request.too_large", "")
    assert "more than 65536 bytes" in answer.json()["problems"][0]["message"]


def test_a_chunked_body_within_the_limit_is_read_whole(strict: Server) -> None:
    text = SCHEME.read_bytes()
    chunks = [text[i : i + 1000] for i in range(0, len(text), 1000)]
    answer = _chunked(strict, "/v1/schemes", chunks, "application/yaml")
    assert answer.status in (200, 201)
    assert answer.json()["digest"] == hashlib.sha256(text).hexdigest()


def _big_events(times: int) -> bytes:
    """The example's events delivered `times` over (identical re-deliveries: still read)."""
    return EVENTS.read_bytes() * times


def _late_then_busy(slow: Server) -> list[Answer]:
    """Work past the time limit (504), then a request while that work still holds the one
    worker (503)."""
    header = {"scheme_name": "2023", "roster": ROSTER.read_text(encoding="utf-8")}
    body = _json_lines(header, _big_events(30))
    late = slow.call("POST", "/v1/score", body, "application/x-ndjson")
    small = _json_lines(header, EVENTS.read_bytes()[:1000])  # refused unread: keep it small
    busy = slow.call("POST", "/v1/score", small, "application/x-ndjson")
    return [late, busy]


def test_registrations_past_max_schemes_are_refused_507(strict: Server) -> None:
    small = ROOT / "schemes/examples/workload.yaml"
    for path in (SCHEME, small):  # the first fits in the one place (or is there already)
        answer = strict.call("POST", "/v1/schemes", path.read_bytes(), "application/yaml")
    assert _refusal(answer, 507) == ("request.registry_full", "")
    listed = strict.call("GET", "/v1/schemes").json()["registered"]
    assert [entry["digest"] for entry in listed] == [
        hashlib.sha256(SCHEME.read_bytes()).hexdigest()
    ]


def test_every_request_code_is_given_by_some_request(
    server: Server, strict: Server, slow: Server
) -> None:
    """Each `request.` code, from a request over the socket; the slow service is used here
    only, so that no other test's late work holds its worker."""
    answers = [
        (server.call("POST", "/v1/score", b"{", "application/json"), 400),
        (server.post_json("/v1/validate", {"scheme_digest": "f" * 64}), 404),
        (strict.call("POST", "/v1/validate", b"#" * 70000, "application/json"), 413),
        *zip(_late_then_busy(slow), (504, 503), strict=True),
    ]
    for path in (SCHEME, ROOT / "schemes/examples/workload.yaml"):
        registered = strict.call("POST", "/v1/schemes", path.read_bytes(), "application/yaml")
    answers.append((registered, 507))
    given = {_refusal(answer, status)[0] for answer, status in answers}
    assert given == {code for code in CODES if code.startswith("request.")}


def test_the_openapi_document_lists_every_endpoint(server: Server) -> None:
    answer = server.call("GET", "/openapi.json")
    assert answer.status == 200
    paths = answer.json()["paths"]
    assert {path: sorted(methods) for path, methods in paths.items()} == {
        "/v1/schemes": ["get", "post"],
        "/v1/validate": ["post"],
        "/v1/score": ["post"],
        "/v1/explain": ["post"],
    }
    score = paths["/v1/score"]["post"]
    assert sorted(score["requestBody"]["content"]) == [
        "application/json",
        "application/x-ndjson",
        "multipart/form-data",
    ]
    assert {"200", "400", "404", "413", "422", "503", "504"} <= set(score["responses"])
    assert server.call("GET", "/docs").status == 200


_SERVER_MODULES = ("fastapi", "starlette", "uvicorn", "multipart", "python_multipart")


def test_importing_and_scoring_never_import_the_server_s_packages() -> None:
    script = f"""
import sys
import assessment
scheme = assessment.load_scheme({str(SCHEME)!r})
roster = assessment.read_roster({str(ROSTER)!r}, scheme)
report = assessment.score_files(scheme, roster, [{str(EVENTS)!r}])
assert report.units
print(sorted(m for m in sys.modules if m.split(".")[0] in {_SERVER_MODULES!r}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == "[]"


def test_serve_without_the_server_extra_says_how_to_install_it() -> None:
    """The extra missing (its imports refused here): a usage error naming the extra."""
    script = """
import sys
class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("fastapi", "uvicorn"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Missing())
from assessment.cli import main
sys.exit(main(sys.argv[1:]))
"""
    for errors in ("text", "json"):
        done = subprocess.run(
            [sys.executable, "-c", script, "serve", "--port", "0", "--errors", errors],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert "pip install 'assessment[server]'" in done.stderr
    (problem,) = json.loads(done.stderr)["problems"]
    assert (problem["code"], json.loads(done.stderr)["error"]) == ("usage.argument", "usage")


_ASSESSED = '"completion": 0.9}'
"""The end of an event of the example (an item's assessment), whose number is replaced."""


def _events_with(number: str) -> list[str]:
    """The example's events, as their JSON text, with the first assessment's completion
    written as `number`."""
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith(_ASSESSED))
    lines[at] = lines[at].removesuffix(_ASSESSED) + f'"completion": {number}}}'
    return lines


@pytest.mark.parametrize(
    ("number", "status"),
    [("0.90000000000000000001", 200), ("1e-400", 422), ("9" * 5000, 422)],
)
def test_numbers_in_a_json_body_are_read_as_in_a_json_lines_file(
    server: Server, tmp_path: Path, number: str, status: int
) -> None:
    """A JSON body's events are read as the same events in a JSON Lines file: no number
    is rounded, and the library refuses the same ones (422) with the same problems."""
    lines = _events_with(number)
    fields = json.dumps({"scheme_name": "2023", "roster": ROSTER.read_text(encoding="utf-8")})
    body = (fields[:-1] + ', "events": [' + ",\n ".join(lines) + "]}").encode()
    answer = server.call("POST", "/v1/score", body, "application/json")
    ledger = tmp_path / "events.jsonl"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if status == 200:
        inputs = (str(SCHEME), "--roster", str(ROSTER), "--events", str(ledger))
        assert (answer.status, answer.body) == (200, _cli("score", *inputs, "--format", "json"))
        return
    scheme = load_scheme(SCHEME)
    named = Piped(io.BytesIO(ledger.read_bytes()), ".jsonl", "events")
    expected = _library_problems(lambda: read_events(named, scheme, read_roster(ROSTER, scheme)))
    assert _problems(answer) == expected


def test_a_text_part_reaches_the_library_as_bytes_and_other_fields_must_be_utf_8(
    server: Server,
) -> None:
    """A GBK roster sent as a text part (`-F roster=<gbk.csv`) is refused as the library
    refuses the same bytes read as a file; a field not in UTF-8 is a malformed request."""
    gbk = ROSTER.read_text(encoding="utf-8").encode("gbk")
    parts: list[Part] = [("scheme_name", None, b"2023"), ("roster", None, gbk)]
    body, kind = _multipart(parts)
    scheme = load_scheme(SCHEME)
    expected = _library_problems(
        lambda: read_roster(Piped(io.BytesIO(gbk), ".csv", "roster"), scheme)
    )
    assert _problems(server.call("POST", "/v1/validate", body, kind)) == expected
    assert {p["code"] for p in expected} == {"text.encoding"}
    body, kind = _multipart([*parts[:1], ("scheme_digest", None, "青".encode("gbk"))])
    answer = server.call("POST", "/v1/validate", body, kind)
    assert _refusal(answer, 400) == ("request.malformed", "scheme_digest")
    assert "send UTF-8" in answer.json()["problems"][0]["message"]


def test_a_json_body_is_utf_8_with_or_without_a_byte_order_mark(server: Server) -> None:
    body = json.dumps(_fields(events=_events())).encode()
    for kind in ("application/json; charset=latin-1", 'application/json; charset="gbk"'):
        answer = server.call("POST", "/v1/score", body, kind)
        assert _refusal(answer, 400) == ("request.malformed", "")
        assert "charset=utf-8" in answer.json()["problems"][0]["message"]
    bom = b"\xef\xbb\xbf"
    answers = [
        server.call("POST", "/v1/score", bom + body, "application/json; charset=UTF-8"),
        server.call(
            "POST",
            "/v1/score",
            bom + _json_lines(_fields(), EVENTS.read_bytes()),
            "application/x-ndjson",
        ),
    ]
    assert [(a.status, a.body) for a in answers] == [(200, _cli_score())] * 2


@pytest.mark.parametrize(
    ("where", "depth"),
    [("events", 100_000), ("roster", 100_000), ("events", 700), ("roster", 700)],
)
def test_deeply_nested_json_is_malformed_and_its_problem_is_short(
    server: Server, where: str, depth: int
) -> None:
    """Nesting too deep for the parser is a malformed request (400), not a 500; nesting
    that can be parsed is refused with a problem whose field and message stay short."""
    deep = "[" * depth + "]" * depth
    roster = json.dumps("id,name,kind\n") if where == "events" else deep
    events = f', "events": [{deep}]' if where == "events" else ""
    body = f'{{"scheme_name": "2023", "roster": {roster}{events}}}'
    answer = server.call("POST", "/v1/validate", body.encode(), "application/json")
    if depth > 1000:
        assert _refusal(answer, 400)[0] == "request.malformed"
        assert "nested too deeply" in answer.json()["problems"][0]["message"]
        return
    assert answer.status in (400, 422), answer.body
    for problem in answer.json()["problems"]:
        assert len(problem["field"]) <= 100 and len(problem["message"]) <= 300


@dataclass(frozen=True)
class Raw:
    """What a raw HTTP exchange read back: every byte, until the service closed."""

    data: bytes

    @property
    def status(self) -> int:
        return int(self.data.split(b" ", 2)[1])

    def header(self, name: str) -> str | None:
        head = self.data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        for line in head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None


def _raw(server: Server, head: str, body: bytes = b"") -> Raw:
    """Send a request's head (and `body`, perhaps less than it declares) on a socket of its
    own, and read until the service closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return Raw(data)


def _head(length: int, *more: str) -> str:
    lines = ["POST /v1/score HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-ndjson"]
    return "\n".join([*lines, f"Content-Length: {length}", *more]) + "\n"


def test_a_declared_length_over_the_limit_is_refused_at_once_unread(strict: Server) -> None:
    """413 with Connection: close, before the body is read: no 100 Continue is sent, and
    the connection is closed though the body never comes."""
    answer = _raw(strict, _head(10**9, "Expect: 100-continue"))
    assert answer.status == 413
    assert answer.header("Connection") == "close"
    assert b"100 Continue" not in answer.data
    assert b'"code": "request.too_large"' in answer.data


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A service with one worker and a quarter of a second for work and for each wait on a
    body: so 12 connections at most (workers × 4 + 8)."""
    yield from _start(tmp_path_factory.mktemp("held"), "--timeout", "0.25", "--workers", "1")


def test_a_body_that_stops_coming_is_refused_and_the_connection_closed(held: Server) -> None:
    answer = _raw(held, _head(1000), b'{"scheme_name": ')
    assert answer.status == 408
    assert answer.header("Connection") == "close"
    assert b'"code": "request.timeout"' in answer.data


def test_while_every_worker_is_busy_a_request_is_refused_before_its_body_is_read(
    held: Server,
) -> None:
    header = {"scheme_name": "2023", "roster": ROSTER.read_text(encoding="utf-8")}
    late = held.call("POST", "/v1/score", _json_lines(header, _big_events(30)), _NDJSON)
    assert _refusal(late, 504) == ("request.timeout", "")
    busy = _raw(held, _head(10_000, "Expect: 100-continue"))  # its work still holds the worker
    assert busy.status == 503
    assert busy.header("Retry-After") == "1"
    assert b"100 Continue" not in busy.data
    assert b'"code": "request.busy"' in busy.data


def test_connections_are_bounded(held: Server) -> None:
    idle = [socket.create_connection(("127.0.0.1", held.port), timeout=60) for _ in range(12)]
    try:
        assert held.call("GET", "/v1/schemes").status == 503
    finally:
        for connection in idle:
            connection.close()


def test_a_text_part_over_a_mebibyte_is_held_only_to_the_library_s_limits(
    server: Server,
) -> None:
    """A scheme sent as a text part of 1.5 MiB (within the library's 2 MiB for a scheme) is
    read as the library reads it, not refused by the form parser's own part limit."""
    text = SCHEME.read_bytes() + b"#" * (3 * 512 * 1024) + b"\n"
    body, kind = _multipart([("scheme", None, text)])
    answer = server.call("POST", "/v1/validate", body, kind)
    assert answer.status == 200, answer.body
    scheme = parse_scheme(text, "scheme")
    assert answer.json() == {
        "valid": True,
        "scheme_id": scheme.id,
        "rules": len(scheme.rules()),
        "checked": ["scheme"],
    }


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_scheme_is_registered_only_as_yaml(server: Server, kind: str | None) -> None:
    """`curl -d` (form-encoded), text and no Content-Type are refused, naming the one to
    send; the YAML types are taken."""
    answer = server.call("POST", "/v1/schemes", SCHEME.read_bytes(), kind)
    assert _refusal(answer, 400) == ("request.malformed", "")
    assert "Content-Type: application/yaml" in answer.json()["problems"][0]["message"]
    for taken in ("application/yaml", "text/yaml", "application/x-yaml; charset=utf-8"):
        assert server.call("POST", "/v1/schemes", SCHEME.read_bytes(), taken).status in (200, 201)


@pytest.mark.parametrize(("field", "value"), [("as_of", "2023-06-30"), ("unit", "town-qingshi")])
def test_validate_refuses_the_fields_it_does_not_take(
    server: Server, field: str, value: str
) -> None:
    answer = server.post_json("/v1/validate", {"scheme_name": "2023", field: value})
    assert _refusal(answer, 400) == ("request.malformed", field)


def test_a_wrong_method_is_405_in_the_openapi_document_and_the_docs(server: Server) -> None:
    responses = server.call("GET", "/openapi.json").json()["paths"]["/v1/score"]["post"]
    assert "405" in responses["responses"]
    table = (ROOT / "docs/service.md").read_text(encoding="utf-8")
    assert "| 405 | a method the path does not take" in table
    assert "Content-Type` or method" not in table


def test_an_unknown_digest_says_which_digest_is_wanted(server: Server) -> None:
    """The results' provenance.scheme_digest is not the registration digest: the 404 for
    it says which one to give, and so do the docs."""
    results = json.loads(_cli_score())
    fields = {"scheme_digest": results["provenance"]["scheme_digest"]}
    answer = server.post_json("/v1/validate", fields)
    assert _refusal(answer, 404) == ("request.not_found", "scheme_digest")
    wanted = "the sha256 of the scheme file's bytes, as POST /v1/schemes answers"
    message = answer.json()["problems"][0]["message"]
    assert wanted in message and "not the results' provenance.scheme_digest" in message
    docs = " ".join((ROOT / "docs/service.md").read_text(encoding="utf-8").split())
    assert "not the results' `provenance.scheme_digest`" in docs
