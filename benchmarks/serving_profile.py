"""Where one result page's CPU goes, component by component, in-process (the test client).

    .venv/bin/python benchmarks/serving_profile.py --reuse PATH [--page team|agent|org|bare]
        [--requests N] [--cached-charts] [--cprofile N] [--evaluations N]

Uses the data and the production-like app of benchmarks/serving.py (the SQLite file at PATH,
built there with N evaluations when it is empty). Each component's function is wrapped with a CPU clock
(time.process_time; inclusive: the menu is also inside the templates) and the page is requested
N times after a warm-up. --cached-charts answers each chart drawing from memory after its first
drawing, to see the page as it costs once the chart cache is in. --cprofile N prints cProfile's
top N functions by cumulative time over the same requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serving  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - began

    return wrapper


def _wrap(owner: Any, attribute: str, name: str) -> None:
    setattr(owner, attribute, _timed(name, getattr(owner, attribute)))


def instrument(app: Any) -> None:
    """Wrap the per-request pieces of the product (module functions and the app's hooks)."""
    import flask.templating

    from qa_app.results import causes, charts, queries, services, views

    session = app.session_interface
    _wrap(session, "open_session", "session: open (cookie, signature)")
    _wrap(session, "save_session", "session: save")
    manager = app.login_manager
    manager._user_callback = _timed("login: load the user", manager._user_callback)
    _wrap(app.extensions["babel"], "locale_selector", "Babel: choose the locale")
    _wrap(flask.templating, "_render", "templates: render (menu, bell inside)")
    globals_ = app.jinja_env.globals
    globals_["nav_menu"] = _timed("menu: nav_menu (counts statement)", globals_["nav_menu"])
    globals_["unread_notifications"] = _timed(
        "bell: unread notifications", globals_["unread_notifications"]
    )
    globals_["csrf_token"] = _timed("CSRF: token for the page's forms", globals_["csrf_token"])
    for name in ("team_results", "agent_results"):
        _wrap(services, name, "results: queries (services)")
    _wrap(causes, "root_causes", "results: root causes query")
    # the organisation's reads (views call them as queries.<name>); the team and agent pages'
    # come inside services
    _wrap(queries, "totals_by_team_and_all", "results: per team and everyone (organisation)")
    _wrap(services, "auto_series", "results: Auto QA series (organisation)")
    _wrap(views, "_org_charts", "results: weekly trend and bands (organisation)")
    _wrap(views, "_scorecards", "results: scorecard filter query")
    for name in ("trend_chart", "distribution_chart", "criteria_chart"):
        _wrap(charts, name, "charts: matplotlib drawing")
    _wrap(charts, "page_svg", "charts: inlined into the page")
    for hooks in (app.before_request_funcs, app.after_request_funcs):
        for functions in hooks.values():
            for n, function in enumerate(functions):
                inner = getattr(function, "func", function)  # a functools.partial's function
                label = f"hook: {inner.__module__}.{inner.__qualname__}"
                functions[n] = _timed(label, function)


def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    answers: dict[str, Any] = {}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "once" not in answers:
            answers["once"] = function(*args, **kwargs)
        return answers["once"]

    return wrapper


def _client(app: Any, email: str) -> Any:
    import sqlalchemy as sa

    from qa_app.accounts.models import User
    from qa_app.extensions import db

    with app.app_context():
        key = db.session.scalar(sa.select(User).filter_by(email=email)).get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = key, True
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", metavar="PATH", required=True)
    parser.add_argument("--page", choices=("team", "agent", "org", "bare"), default="team")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cached-charts", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--evaluations", type=int, default=100_000, help="when building")
    args = parser.parse_args()
    url = f"sqlite:///{Path(args.reuse).resolve()}"
    ids = serving.prepare(url, argparse.Namespace(**vars(args), agents=500, unevaluated=2))
    with tempfile.TemporaryDirectory() as folder:
        os.environ[serving.CONFIG_ENV] = str(serving._write_config(Path(folder), url))
        app = serving.serving_app()
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the request lines: written, not shown)
        if args.cached_charts:
            from qa_app.results import charts

            for name in ("trend_chart", "distribution_chart", "criteria_chart"):
                setattr(charts, name, _cached(getattr(charts, name)))
        run(app, ids, args)


def run(app: Any, ids: dict[str, Any], args: argparse.Namespace) -> None:
    import results_pages as rp

    year = f"period=custom&from={rp.START.date()}&to={rp.END.date() - timedelta(days=1)}"
    path = {
        "team": f"/results/teams/{ids['team']}?{year}",
        "agent": f"/results/agents/{ids['agent']}?{year}",
        "org": f"/results/?{year}",
        "bare": serving.BARE,
    }[args.page]
    signed_in = "admin" if args.page == "org" else "lead0"
    client = _client(app, f"{signed_in}@bench.example.com")
    for _ in range(3):
        assert client.get(path).status_code == 200
    instrument(app)
    began = time.process_time()
    for _ in range(args.requests):
        client.get(path).get_data()
    total = (time.process_time() - began) * 1000 / args.requests
    print(f"{args.page} page, {ids['evaluations']:,} evaluations, {args.requests} requests: "
          f"{total:.2f} ms CPU per request (in-process, charts "
          f"{'from memory' if args.cached_charts else 'drawn'})")  # fmt: skip
    for name, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds * 1000 / args.requests:8.2f} ms  {name}")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(path).get_data() for _ in range(args.requests)])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(
            os.environ.get("SORT", "cumulative")
        ).print_stats(args.cprofile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
