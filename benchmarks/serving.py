"""Serve the result pages with gunicorn under load (wrk) and print worker CPU per request.

    .venv/bin/python benchmarks/serving.py [--evaluations N] [--agents N] [--unevaluated N]
        [--duration S] [--connections N] [--database-url URL | --reuse PATH]

Builds the data of benchmarks/results_pages.py (its own builder; SQLite in a temporary folder,
a scratch database with --database-url, or a SQLite file kept at --reuse PATH and used again
when it already holds the data), writes an instance configuration (production settings, a
random key, plain-http cookies on 127.0.0.1), starts gunicorn with two sync workers on a free
port, signs a team lead and an admin in through the real sign-in form, then runs `wrk` against:
a bare page (a route of this benchmark's own app, through every hook of the product), the team
page and the agent page over 52 weeks, the organisation overview (admin), and one chart: its
first request alone, then under load (cached once the chart cache is in), then with
If-None-Match (304). Each line prints requests/s, the workers' CPU per request (utime + stime
of the gunicorn workers from /proc, before and after, over the requests served) and the ratio
to the bare page, beside the issue's goal. gunicorn is stopped on exit and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402
from flask import Blueprint, Flask  # noqa: E402

from config import ProductionConfig, TestingConfig  # noqa: E402

CONFIG_ENV = "QA_SERVING_CONFIG"
BARE = "/bench/bare"
TICKS = os.sysconf("SC_CLK_TCK")
GOALS = {"team": 12.0, "chart": 5.0}  # ms of worker CPU per request (issue 23)


def serving_app() -> Flask:
    """gunicorn's factory: the product on the written instance config, plus the bare route."""
    from qa_app import create_app

    values: dict[str, Any] = {}
    exec(Path(os.environ[CONFIG_ENV]).read_text(), values)  # noqa: S102 (our own file)
    settings = {k: v for k, v in values.items() if k.isupper()}
    app = create_app(type("ServingConfig", (ProductionConfig,), settings))
    bare = Blueprint("serving_bench", __name__)
    bare.add_url_rule(BARE, "bare", lambda: "ok")
    app.register_blueprint(bare)
    return app


def _write_config(folder: Path, url: str) -> Path:
    path = folder / "serving_config.py"
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
        "REMEMBER_COOKIE_SECURE": False,
        "JOBS_QUEUE_FILE": str(folder / "jobs-queue.db"),
        "JOB_FILES_DIR": str(folder / "job-files"),
        "LOG_FORMAT": "json",
    }
    path.write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()))
    return path


PASSWORD = "bench-" + secrets.token_hex(12)  # noqa: S105 (set in the data of this run only)


def prepare(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Build the data (or find it), give the lead and an admin a password; return the ids."""
    import results_pages as rp

    from qa_app import create_app
    from qa_app.accounts.models import Role, Team, User
    from qa_app.extensions import db

    config = type("Build", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        if not _has_data(db, User):
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            rp.build(args.evaluations, args.agents, args.unevaluated)
            print(f"built in {time.perf_counter() - began:.1f} s")
        else:
            rp.ready_for_this_version()
            print("reusing the data already there")
        ids = _ids(db, User, Team)
        _passwords(db, User, Role)
        ids["evaluations"] = db.session.scalar(sa.text("SELECT count(*) FROM evaluations"))
        ids["interactions"] = db.session.scalar(sa.text("SELECT count(*) FROM interactions"))
        ids["dialect"] = db.engine.dialect.name
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ids


def _has_data(db: Any, user: Any) -> bool:
    if not sa.inspect(db.engine).has_table("users"):
        return False
    return (
        db.session.scalar(sa.select(user.id).filter_by(email="lead0@bench.example.com")) is not None
    )


def _ids(db: Any, user: Any, team: Any) -> dict[str, Any]:
    emails = dict(db.session.execute(sa.select(user.email, user.id)).all())
    return {
        "team": db.session.scalar(sa.select(team.id).filter_by(name="Team 0")),
        "agent": emails["agent0@bench.example.com"],
    }


def _passwords(db: Any, user: Any, role: Any) -> None:
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(PASSWORD, method=ProductionConfig.PASSWORD_HASH_METHOD)
    admin = db.session.scalar(sa.select(user).filter_by(email="admin@bench.example.com"))
    if admin is None:
        lead = db.session.scalar(sa.select(user).filter_by(email="lead0@bench.example.com"))
        admin = user(email="admin@bench.example.com", display_name="Admin", role=role.ADMIN)
        admin.password_hash, admin.session_version = hashed, lead.session_version
        db.session.add(admin)
        db.session.flush()
    for email in ("lead0@bench.example.com", "admin@bench.example.com"):
        db.session.execute(sa.update(user).filter_by(email=email).values(password_hash=hashed))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--pythonpath", str(ROOT),
        "--timeout", "120", "benchmarks.serving:serving_app()",
    ]  # fmt: skip
    env = {**os.environ, CONFIG_ENV: str(config), "QA_ENV": "production"}
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out)  # noqa: S603
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; its log:\n{log.read_text()[-3000:]}")
        try:
            answered = httpx.get(f"http://127.0.0.1:{port}{BARE}").status_code == 200
            if answered and len(workers(server.pid)) == 2:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 120 s")


def stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def worker_seconds(master: int) -> float:
    """utime + stime of the master's worker processes, in seconds."""
    total = 0
    for pid in workers(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def sign_in(base: str, email: str) -> str:
    """The session cookie of a real sign-in: the form's CSRF token, then the POST."""
    with httpx.Client(base_url=base) as client:
        form = client.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text)
        if token is None:
            token = re.search(r'id="csrf_token" name="csrf_token"[^>]*value="([^"]+)"', form.text)
        assert token is not None, "no CSRF token on the sign-in form"
        data = {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
        answer = client.post("/login", data=data)
        assert answer.status_code == 302, f"sign-in of {email} failed: {answer.status_code}"
        return f"session={client.cookies['session']}"


@dataclass
class Line:
    name: str
    requests: int
    per_second: float
    cpu_ms: float
    errors: int


def run_wrk(base: str, path: str, headers: list[str], ctx: dict[str, Any]):
    """Warm up, then one measured wrk run: its requests/s, and the workers' CPU over the
    requests they logged (in-flight ones included) between two idle moments."""
    args = ctx["args"]
    command = ["wrk", "-t", "2", "-c", str(args.connections), "--timeout", "120s"]
    for header in headers:
        command += ["-H", header]
    subprocess.run([*command, "-d", "2s", base + path], capture_output=True, check=True)  # noqa: S603
    before, logged = idle_seconds(ctx["pid"]), ctx["log"].stat().st_size
    out = subprocess.run(  # noqa: S603
        [*command, "-d", f"{args.duration}s", base + path], capture_output=True, check=True
    ).stdout.decode()
    spent = idle_seconds(ctx["pid"]) - before
    served = served_requests(ctx["log"], logged)
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return served, per_second, spent, int(errors.group(1)) if errors else 0


def idle_seconds(master: int) -> float:
    """The workers' CPU seconds once they are idle (no tick spent in the last half second)."""
    now = worker_seconds(master)
    for _ in range(600):
        time.sleep(0.5)
        now, then = worker_seconds(master), now
        if now == then:
            break
    return now


def served_requests(log: Path, offset: int) -> int:
    """The request lines the app logged after `offset` (one JSON object per request)."""
    with log.open("rb") as lines:
        lines.seek(offset)
        return sum(1 for line in lines if b'"event": "request"' in line)


def measure(name: str, base: str, path: str, headers: list[str], ctx: dict[str, Any]) -> Line:
    """One line: the page must answer as expected (a lost session would time a redirect)."""
    expected = 304 if any(h.startswith("If-None-Match") for h in headers) else 200
    sent = dict(header.split(": ", 1) for header in headers)
    status = httpx.get(base + path, headers=sent, timeout=120).status_code
    if status != expected:
        raise SystemExit(f"{name}: {path} answered {status}, not {expected}")
    requests, per_second, spent, errors = run_wrk(base, path, headers, ctx)
    line = Line(name, requests, per_second, spent * 1000 / max(requests, 1), errors)
    _print(line, ctx)
    return line


def _print(line: Line, ctx: dict[str, Any], goal: str | None = None) -> None:
    bare: Line | None = ctx.get("bare")
    ratio = f"{line.cpu_ms / bare.cpu_ms:6.1f}x bare" if bare and bare.cpu_ms else "   (reference)"
    text = (
        f"{line.name:<44} {line.per_second:8.1f} req/s  {line.cpu_ms:7.2f} ms CPU/request  "
        f"{ratio}  ({line.requests:,} requests)"
    )
    if line.errors:
        text += f"  {line.errors:,} NOT 2xx/3xx"
    key = goal or ctx.get("goal")
    if key:
        met = "met" if line.cpu_ms <= GOALS[key] and not line.errors else "missed"
        text += f"  goal <= {GOALS[key]:g} ms: {met}"
    print(text, flush=True)


def first_chart(base: str, path: str, cookie: str, master: int) -> tuple[float, str | None]:
    before = idle_seconds(master)
    answer = httpx.get(base + path, headers={"Cookie": cookie}, timeout=120)
    assert answer.status_code == 200, answer.status_code
    return (idle_seconds(master) - before) * 1000, answer.headers.get("ETag")


def run_all(base: str, ids: dict[str, Any], ctx: dict[str, Any]) -> None:
    import results_pages as rp

    lead = "Cookie: " + sign_in(base, "lead0@bench.example.com")
    admin = "Cookie: " + sign_in(base, "admin@bench.example.com")
    last = rp.END.date() - timedelta(days=1)
    year = f"period=custom&from={rp.START.date().isoformat()}&to={last.isoformat()}"
    ctx["bare"] = measure("bare page (benchmark route, every hook)", base, BARE, [], ctx)
    pages = [
        ("team page, 52 weeks (lead)", f"/results/teams/{ids['team']}?{year}", lead, "team"),
        ("agent page, 52 weeks (lead)", f"/results/agents/{ids['agent']}?{year}", lead, None),
        ("organisation overview, 52 weeks (admin)", f"/results/?{year}", admin, None),
    ]
    for name, path, cookie, goal in pages:
        ctx["goal"] = goal
        measure(name, base, path, [cookie], ctx)
    chart = f"/results/teams/{ids['team']}/trend.svg?{year}"
    drawn, etag = first_chart(base, chart, lead.removeprefix("Cookie: "), ctx["pid"])
    print(f"{'team trend chart, first request (one request)':<44} {'':>14}  {drawn:7.2f} ms CPU "
          "(10 ms clock ticks)")  # fmt: skip
    ctx["goal"] = "chart"
    measure("team trend chart again (cached if cache is in)", base, chart, [lead], ctx)
    if etag:
        headers = [lead, f"If-None-Match: {etag}"]
        measure("team trend chart, If-None-Match (304)", base, chart, headers, ctx)
    else:
        print("team trend chart, If-None-Match: no ETag on the chart (no 304 line)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--unevaluated", type=int, default=2, help="per evaluation")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database-url", help="a scratch database (built once, then reused)")
    source.add_argument("--reuse", metavar="PATH", help="a SQLite file (built once, then reused)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu), then run again.")
        sys.exit(2)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # Ctrl-C raises KeyboardInterrupt
    server = None
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        try:
            url = (
                args.database_url
                or f"sqlite:///{Path(args.reuse or folder / 'bench.db').resolve()}"
            )
            ids = prepare(url, args)
            print(
                f"data: {ids['evaluations']:,} evaluations, {ids['interactions']:,} interactions, "
                f"{ids['dialect']}; gunicorn 2 sync workers, wrk {args.connections} connections, "
                f"{args.duration} s per line after a 2 s warm-up; CPU = utime+stime of the workers"
            )
            port = _free_port()
            log = folder / "gunicorn.log"
            server = start_gunicorn(_write_config(folder, url), port, log)
            run_all(f"http://127.0.0.1:{port}", ids, {"args": args, "pid": server.pid, "log": log})
        except KeyboardInterrupt:
            print("interrupted")
        finally:
            stop(server)


if __name__ == "__main__":
    main()
