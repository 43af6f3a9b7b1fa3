"""Real gunicorn servers for the multi-process tests, and the app they serve.

`gunicorn 'tests.security.server:build()'` serves the Development config plus the JSON
settings in RECIPROCA_TEST_SETTINGS. The tables are made once by the test, before any
server starts (`create_tables`): workers each creating them at boot raced one another.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import create_engine

from config import Development
from rating import create_app
from rating.extensions import db
from tests import ROOT

START_TIMEOUT = 60


def build():
    return create_app(Development, **json.loads(os.environ["RECIPROCA_TEST_SETTINGS"]))


def create_tables(url: str) -> None:
    import rating.models  # noqa: F401  (every table on the metadata)

    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Response(NamedTuple):
    status: int
    headers: dict
    body: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is: a form that worked answers 302."""

    def redirect_request(self, *args, **kwargs):
        return None


def browser() -> urllib.request.OpenerDirector:
    """Something like a browser tab: keeps its cookies, shows redirects as they are."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects()
    )


def request(url: str, data: dict | None = None, opener=None, timeout: float = 30) -> Response:
    """GET, or POST a form when `data` is given. Transport errors are raised as they come."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = opener or browser()
    try:
        with opener.open(url, data=body, timeout=timeout) as answer:
            return Response(answer.status, dict(answer.headers), answer.read().decode())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read().decode())


class Servers:
    """gunicorn processes started side by side, all stopped by `stop` (logs in `logs`)."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int, settings: dict, workers: int = 1, threads: int = 1) -> list[str]:
        """Start `count` servers and wait until each answers; returns their base URLs."""
        env = {**os.environ, "RECIPROCA_TEST_SETTINGS": json.dumps(settings)}
        ports = [free_port() for _ in range(count)]
        started = []
        for port in ports:
            log = self.logs / f"server-{port}.log"
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--no-control-socket",
                "tests.security.server:build()",
            ]
            with log.open("w") as out:
                process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
            process.log = log
            self.processes.append(process)
            started.append(process)
        for port, process in zip(ports, started, strict=True):
            wait_for(port, process)
        return [f"http://127.0.0.1:{port}" for port in ports]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(port: int, process: subprocess.Popen) -> None:
    """Until the server answers a page (the first request also loads what is lazy)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.log.read_text()}")
        try:
            if request(f"http://127.0.0.1:{port}/sign-in").status == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError(f"server did not answer in {START_TIMEOUT} s: {process.log.read_text()}")
