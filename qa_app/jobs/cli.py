"""Flask commands: `flask jobs worker`, `flask jobs sweep`, `flask jobs serve` (app and worker)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import files, services

group = AppGroup("jobs", help="Background jobs: run a worker, fail silent jobs.")
STOP_GRACE_SECONDS = 10


@group.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
@click.option("--verbose", is_flag=True, help="Log every job started and finished.")
def worker_command(workers: int, verbose: bool) -> None:
    """Run the jobs from the queue until stopped (Ctrl-C waits for running jobs)."""
    if current_app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException("This configuration runs jobs in the request; no worker.")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    huey = services.queue()
    config = current_app.config
    where = "Redis" if config.get("REDIS_URL") else config["JOBS_QUEUE_FILE"]
    for line in services.start_worker():  # before any job, so none holds a lock meanwhile
        click.echo(line)
    click.echo(f"Jobs worker: {workers} at a time, queue in {where}.")
    # An idle worker backs off between looks at the queue; Huey's own ceiling is ten seconds,
    # which a new import (or the pages rendered ahead a second after a write) waited out.
    poll = max(0.1, float(config["JOBS_POLL_SECONDS"]))
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=poll
    )
    consumer.run()


@group.command("sweep")
def sweep_command() -> None:
    """Fail the jobs whose worker went silent and delete old job files (the worker does it too)."""
    failed = services.sweep()
    db.session.commit()
    click.echo(f"{failed} silent job(s) marked as failed.")
    click.echo(f"{files.sweep_files()} expired job file(s) deleted.")


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Ask the children to stop, wait a little, then end those that remain."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Serve the app (`flask run`) with a jobs worker beside it; Ctrl-C stops both."""
    flask = [sys.executable, "-m", "flask"]
    commands = [[*flask, "run", "--host", host, "--port", str(port)], [*flask, "jobs", "worker"]]
    # Our own interpreter and fixed arguments: nothing here comes from outside.
    children = [subprocess.Popen(command, env=os.environ.copy()) for command in commands]  # noqa: S603
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the pair as Ctrl-C does
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(children)
    codes = [child.returncode for child in children]
    if any(code not in (0, -signal.SIGINT, 130) for code in codes):
        raise click.ClickException(f"stopped: exit codes {codes}")
