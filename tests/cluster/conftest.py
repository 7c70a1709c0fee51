"""Several processes on one PostgreSQL database and one Redis queue: two gunicorn servers and two
job workers, started as they are in production (docs/deploy.md), and stopped whatever happens."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest

from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
    require_service,
)

ROOT = Path(__file__).resolve().parents[2]
REDIS_ENV = "QA_TEST_REDIS_URL"
STARTUP_SECONDS = 60
STOP_SECONDS = 10


def require_redis() -> str:
    """The Redis server URL; a missing server fails in CI and skips elsewhere."""
    return require_service(REDIS_ENV, "several-process")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """The environment every process shares, the processes, and the servers' addresses."""

    env: dict[str, str]
    logs: Path
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    servers: list[str] = field(default_factory=list)

    def run(self, name: str, *command: str) -> None:
        """Run a command to its end (e.g. the migrations), failing with its output."""
        done = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, *command], cwd=ROOT, env=self.env, capture_output=True, timeout=120
        )
        assert done.returncode == 0, f"{name} failed:\n{done.stderr.decode()[-3000:]}"

    def start(self, name: str, *command: str) -> None:
        """Start a long-running process in a group of its own (gunicorn forks workers)."""
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, *command],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append((name, process))

    def start_server(self, name: str) -> None:
        port = free_port()
        bind = f"127.0.0.1:{port}"
        self.start(name, "-m", "gunicorn", "--workers", "2", "--bind", bind, "wsgi:app")
        self.servers.append(f"http://{bind}")

    def wait_ready(self) -> None:
        """Every server answers /readyz with 200 (database and queue reached)."""
        deadline = time.monotonic() + STARTUP_SECONDS
        for base in self.servers:
            while not _ready(base):
                self.check_alive()
                assert time.monotonic() < deadline, f"{base} never became ready\n{self.tails()}"
                time.sleep(0.3)

    def check_alive(self) -> None:
        dead = [name for name, process in self.processes if process.poll() is not None]
        assert not dead, f"stopped early: {dead}\n{self.tails()}"

    def tails(self) -> str:
        parts = []
        for name, _process in self.processes:
            text = (self.logs / f"{name}.log").read_text(errors="replace")
            parts.append(f"--- {name} ---\n{text[-2000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        """SIGTERM to every group, then SIGKILL to the groups still there."""
        for _name, process in self.processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for _name, process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)  # workers left behind by a dead parent too
            process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _ready(base: str) -> bool:
    try:
        with urlopen(f"{base}/readyz", timeout=5) as response:  # noqa: S310 (our own server)
            return bool(response.status == 200)
    except (URLError, OSError):
        return False


@pytest.fixture
def database_url() -> Iterator[str]:
    server = require_postgres()
    require_redis()  # both services are checked before anything is created
    name = f"qa_cluster_{uuid.uuid4().hex[:12]}"
    yield create_postgres_database(server, name)
    drop_postgres_database(server, name)


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[Cluster]:
    """The shared environment; the test starts the processes, and they are stopped at the end."""
    env = {
        **os.environ,
        "QA_ENV": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": require_redis(),
        "JOBS_QUEUE_NAME": f"qa-cluster-{uuid.uuid4().hex[:12]}",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "IMPORT_JOB_THRESHOLD_BYTES": "1024",
        "JOB_FILES_DIR": str(tmp_path / "job-files"),
        "JOBS_QUEUE_FILE": str(tmp_path / "unused-queue.db"),
        "LOG_FORMAT": "console",
    }
    env.pop("FLASK_APP", None)
    found = Cluster(env, tmp_path)
    try:
        yield found
    finally:
        found.stop()
