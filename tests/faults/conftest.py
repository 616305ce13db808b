"""The fault tests run the production server (granian) as a subprocess on the test database, so
that a fault made from the test — a lock taken by another connection, the server's connections
terminated, a file size limit — meets the server's real database connections and real files."""

import json
import os
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database (each xdist worker has its own) as the server's DATABASE_URL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"


# Room for what the server writes besides the upload (the SQLite database's journal, its log).
FILE_SIZE_LIMIT = 2 * 1024 * 1024


def database_size() -> int:
    """The largest of the test database's files, which the server must still be able to write."""
    if connection.vendor != "sqlite":
        return 0  # the database server writes its own files, not the site's process
    database = Path(connection.settings_dict["NAME"])
    files = [database, database.with_name(database.name + "-wal")]
    return max(path.stat().st_size for path in files if path.exists())


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Visitor:
    """A person's browser reduced to what the tests need: cookies, forms, no redirects followed."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Django accepts its CSRF secret itself as the form's token: no page needs to be read first.
        self.csrf = secrets.token_hex(16)
        self.cookies["csrftoken"] = self.csrf

    def get(self, path: str) -> Answer:
        return self._send("GET", path, b"", {})

    def post(self, path: str, data: dict, files: dict[str, tuple[str, bytes]] | None = None) -> Answer:
        data = {**data, "csrfmiddlewaretoken": self.csrf}
        if files is None:
            body = urlencode(data, doseq=True).encode()
            return self._send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in data.items():
            for each in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{each}\r\n'.encode()
                )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: text/plain\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._send("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def post_json(self, path: str, payload: dict, token: str) -> Answer:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        return self._send("POST", path, body, headers)

    def _send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        http = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            http.request(method, path, body, {**headers, "Cookie": cookie, "Accept-Language": "en"})
            response = http.getresponse()
            return Answer(
                response.status,
                {name.lower(): value for name, value in response.getheaders()},
                response.read().decode("utf-8", "replace"),
            )
        finally:
            http.close()


@dataclass
class Server:
    port: int
    file_size_limit: int | None
    media: Path
    log: Path

    def visitor(self, user=None) -> Visitor:
        visitor = Visitor(self.port)
        if user is not None:
            client = Client()
            client.force_login(user)  # a session row the server reads, as after a real sign-in
            visitor.cookies["sessionid"] = client.cookies["sessionid"].value
        return visitor

    def stored_files(self) -> list[Path]:
        return sorted(path for path in self.media.rglob("*") if path.is_file())


def _limits(file_size_limit: int | None):
    def apply() -> None:
        # Writing past the limit then fails with EFBIG, as a full disk fails with ENOSPC,
        # instead of killing the process (the default action of SIGXFSZ).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return apply


def _start(directory: Path, file_size_limit: int | None) -> tuple[subprocess.Popen, Server]:
    port = free_port()
    server = Server(
        port, file_size_limit, media=directory / f"media-{port}", log=directory / f"server-{port}.log"
    )
    var = directory / f"var-{port}"
    var.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings",
        "DATABASE_URL": database_url(),
        "HW4ALL_VAR_DIR": str(var),
        "MEDIA_ROOT": str(server.media),
        "RATE_LIMITS_ENABLED": "0",
    }
    with server.log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "wsgi", "hw4all.wsgi:application"]
            + ["--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--blocking-threads", "4"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_limits(file_size_limit),
        )
    # A loaded machine takes minutes to import the site and answer its first request.
    deadline = time.monotonic() + 300
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=60)  # noqa: S310 - loopback
            return process, server
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                _stop(process)
                raise RuntimeError(f"The test server did not start:\n{server.log.read_text()}") from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory) -> Iterator[Server]:
    """The server on the test database, shared by a module's tests (each test's transactional
    database is emptied afterwards, which the server, between requests, does not mind)."""
    process, started = _start(tmp_path_factory.mktemp("faults"), None)
    yield started
    _stop(process)


@pytest.fixture(scope="module")
def limited_server(django_db_setup, tmp_path_factory) -> Iterator[Server]:
    """The same, writing no file past FILE_SIZE_LIMIT bytes more than the database files hold
    when it starts (tests/faults/test_disk_full.py)."""
    process, started = _start(tmp_path_factory.mktemp("faults"), database_size() + FILE_SIZE_LIMIT)
    yield started
    _stop(process)


def assert_clean_unavailable(answer: Answer) -> None:
    """The 503 a visitor may meet in a fault: a page saying to try again, never a traceback."""
    assert answer.status == 503, answer.text[:2000]
    assert int(answer.headers["retry-after"]) > 0
    assert "Please try again in a moment" in answer.text
    assert "Traceback" not in answer.text
