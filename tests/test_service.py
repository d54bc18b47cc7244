"""`assessment serve` over a real socket: a subprocess on the loopback address, called with
the standard library's HTTP clients. Every expected value comes from the command line or
the library, run here on the same input; none is taken from the service's own answers."""

from __future__ import annotations

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
