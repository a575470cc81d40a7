"""The production topology as processes, for tests: gunicorn, a Celery worker and beat, a throw-away
Redis, and a proxy in front of PostgreSQL that a test can stop and start like a restarting database.

Nothing here touches what the machine shares with others: Redis servers are started on free ports
and killed again, and the database "restart" drops only the connections that pass through the proxy.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from tests.ops.production import ROOT, environment

PASSWORD = "Load-and-fault-tests-only-93"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(*, port: int | None = None) -> str:
    """The test database as DATABASE_URL for another process; ``port`` to go through a proxy."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, log: Callable[[], str] = str):
    """Poll ``condition`` until it returns something true, which is returned; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{log()[-4000:]}")
        time.sleep(0.2)


@dataclass
class Service:
    """A process started for a test; its output goes to a log file."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log_path.open("a") as out:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, pattern: str, *, timeout: float = 30, after: int = 0) -> re.Match:
        """Wait until the regular expression ``pattern`` matches the log past its first ``after``
        characters; returns the match."""

        def seen() -> re.Match | None:
            match = re.search(pattern, self.log()[after:])
            assert match or self.alive, f"{self.name} exited:\n{self.log()[-4000:]}"
            return match

        return wait_until(seen, timeout=timeout, what=f"{pattern!r} in the log of {self.name}", log=self.log)

    def stop(self, *, timeout: float = 30) -> int | None:
        """SIGTERM, the way an orchestrator stops a container; SIGKILL after ``timeout``."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """SIGKILL the process alone (a prefork worker's children are left to notice on their own)."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=30)

    def children(self) -> list[int]:
        """Process ids of the direct children (a prefork worker's pool)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


@dataclass
class Stack:
    """The processes of one test, stopped in reverse order when it ends."""

    directory: Path
    static_root: Path
    services: list[Service] = field(default_factory=list)

    def environment(self, *, broker_url: str, database: str | None = None, **extra: str | None) -> dict:
        """Production settings over plain HTTP on 127.0.0.1, against the test database."""
        return environment(
            HTTPS="0",
            TRUSTED_PROXY_COUNT="0",
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database or database_url(),
            CELERY_BROKER_URL=broker_url,
            STATIC_ROOT=str(self.static_root),
            PYTHONUNBUFFERED="1",
            **extra,
        )

    def _service(self, name: str, args: list[str], env: dict) -> Service:
        service = Service(name, args, env, self.directory / f"{name}.log").start()
        self.services.append(service)
        return service

    def redis(self, *, port: int | None = None) -> tuple[Service, str]:
        """A Redis of its own on a free port, keeping nothing on disk; returns it and its URL."""
        if shutil.which("redis-server") is None:
            pytest.skip("needs redis-server on the PATH (apt-get install redis-server)")
        port = port or free_port()
        server = self._service(
            f"redis-{port}",
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.directory)],
            dict(os.environ),
        )  # fmt: skip
        server.wait_for_log("Ready to accept connections", timeout=10)
        return server, f"redis://127.0.0.1:{port}/0"

    def web(self, env: dict, *, workers: int = 1) -> tuple[Service, str]:
        """gunicorn with config/gunicorn.py on a free port; returns it and its base URL once it answers."""
        port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        server = self._service(
            f"web-{port}", [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"], env
        )
        return server, f"http://127.0.0.1:{port}"

    def worker(self, env: dict, *, name: str, pool: str = "solo", concurrency: int = 1) -> Service:
        return self._service(
            name,
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "--loglevel=INFO", "-n", f"{name}-{os.getpid()}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env,
        )  # fmt: skip

    def beat(self, env: dict) -> Service:
        return self._service(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO", "--max-interval=1",
             "--schedule", str(self.directory / "beat-schedule")],
            env,
        )  # fmt: skip

    def stop_all(self) -> None:
        for service in reversed(self.services):
            service.stop(timeout=20)


def wait_for_http(base_url: str, service: Service, *, timeout: float = 30) -> None:
    def answers() -> bool:
        assert service.alive, f"{service.name} exited:\n{service.log()[-4000:]}"
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    wait_until(answers, timeout=timeout, what=f"{base_url} to answer", log=service.log)


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A user's browser, as far as the server can tell: cookies, CSRF tokens, no JavaScript."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def request(self, method: str, path: str, data: dict | None = None, *, timeout: float = 30) -> Response:
        body = None
        headers = {"Accept-Language": "en"}
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf_token(), **data}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, answer.read().decode(), dict(answer.headers))
        except urllib.error.HTTPError as answer:
            return Response(answer.code, answer.read().decode(errors="replace"), dict(answer.headers))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        assert answer.status == 302, (answer.status, answer.body[-2000:])


class DatabaseProxy:
    """A TCP forwarder to PostgreSQL. ``stop`` is a database restart as the app sees it: every
    connection through the proxy is dropped (their server sessions end and roll back) and new ones
    are refused until ``start``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._accepting: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._running.set()
        self._accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepting.start()

    def stop(self) -> None:
        self._running.clear()
        if self._accepting is not None:
            self._accepting.join()
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._running.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                upstream.settimeout(None)
                with self._lock:
                    self._open |= {client, upstream}
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
