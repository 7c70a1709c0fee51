"""Reads through the weekly and monthly rollups give what the daily aggregates alone give."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results import queries, spans
from qa_app.results.families import DAY, MONTH
from qa_app.results.interaction_aggregates import count_new_interactions
from qa_app.results.periods import Filters
from qa_app.results.verify import compare_all


def test_pieces_tile_a_range_with_the_coarsest_whole_periods():
    rng = random.Random(5)
    for _ in range(300):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(400))
        last = first + timedelta(days=rng.randrange(120))
        found = spans.pieces(first, last)
        assert found[0].start == first and found[-1].end == last + timedelta(days=1)
        for before, after in zip(found, found[1:], strict=False):
            assert before.end == after.start and before.grain != after.grain
        for piece in found:
            assert piece.start < piece.end
            if piece.grain is not DAY:  # whole periods only
                assert piece.grain.floor(piece.start) == piece.start
                assert piece.grain.floor(piece.end) == piece.end
        assert len([p for p in found if p.grain is MONTH]) <= 1
    # Sunday 27 September to Tuesday 10 November 2026.
    found = spans.pieces(date(2026, 9, 27), date(2026, 11, 10))
    assert [(p.grain.name, p.start.isoformat(), p.end.isoformat()) for p in found] == [
        ("day", "2026-09-27", "2026-10-01"),
        ("month", "2026-10-01", "2026-11-01"),
        ("day", "2026-11-01", "2026-11-02"),
        ("week", "2026-11-02", "2026-11-09"),
        ("day", "2026-11-09", "2026-11-11"),
    ]


def _rounded(value: Any) -> Any:
    """Float sums added in another order may differ in their last bits."""
    if isinstance(value, queries.Totals):
        spotlight = _rounded(value.spotlight) if value.spotlight else None
        return replace(value, score_sum=round(value.score_sum, 6), spotlight=spotlight)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_rounded(item) for item in value)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _reads(filters: Filters, agent_ids: Any, team_ids: list[int]) -> tuple[Any, ...]:
    return _rounded(
        (
            queries.totals(filters, agent_ids),
            queries.totals_by_agent(filters, agent_ids),
            queries.totals_by_team(filters, team_ids),
            queries.weekly(filters, agent_ids),
            queries.criterion_averages(filters, agent_ids),
        )
    )


def _daily_only(filters: Filters, agent_ids: Any, grains: Any = None) -> Any:
    return _SHAPED(filters, agent_ids, grains=())


_SHAPED = spans.shaped


def test_rollup_reads_equal_daily_reads_over_random_ranges(app, mixed, monkeypatch):
    rng = random.Random(31)
    scopes = [None, [mixed.agent_ids[0]], "team"]
    with app.app_context():
        for _ in range(12):
            first = date(2026, 8, 20) + timedelta(days=rng.randrange(80))
            last = first + timedelta(days=rng.choice([0, 6, 13, 27, 40, 70, 90]))
            channel = rng.choice([None, None, "call", "chat"])
            scorecard = rng.choice([None, None, *mixed.version_ids.values()])
            filters = Filters("custom", first, last, channel, scorecard)
            scope = rng.choice(scopes)
            agent_ids = queries.team_agent_ids(mixed.team_ids[0]) if scope == "team" else scope
            rolled = _reads(filters, agent_ids, mixed.team_ids)
            monkeypatch.setattr(queries, "shaped", _daily_only)
            daily = _reads(filters, agent_ids, mixed.team_ids)
            monkeypatch.undo()
            assert rolled == daily, (first, last, channel, scorecard, scope)
            # A team's totals summed from its agents' are the totals read for the team.
            assert rolled[0] == _rounded(queries.combined(rolled[1].values()))
            # An agent's own totals are theirs in the by-agent read (the agent page takes them
            # from the team's), empty (zeros) for an agent without rows.
            for agent_id in agent_ids or ():
                own = _rounded(queries.totals(filters, [agent_id]))
                assert rolled[1].get(agent_id, queries.Totals()) == own, agent_id
            # Each team's rows are the sums of its members' rows; the teams and every agent in
            # none add up to the organisation.
            for team_id in mixed.team_ids:
                members = _rounded(queries.totals(filters, queries.team_agent_ids(team_id)))
                assert rolled[2].get(team_id, queries.Totals()) == members, team_id
            by_team, everyone = queries.totals_by_team_and_all(filters)
            assert _rounded(by_team) == rolled[2]
            assert _rounded(everyone) == _rounded(queries.totals(filters, None))
            first_team = mixed.team_ids[0]
            _by_team, led = queries.totals_by_team_and_all(filters, [first_team])
            members = queries.team_agent_ids(first_team)
            assert _rounded(led) == _rounded(queries.totals(filters, members))
        assert queries.totals(Filters("custom", first, last), None).evaluations > 0
        # Every agent's weekly trend (whole weeks and the days at its ends from the
        # organisation's tables) over ranges starting and ending on each day of a week, as the
        # agents' own rows give it.
        for offset in range(7):
            filters = Filters(
                "custom",
                date(2026, 8, 17) + timedelta(days=offset),
                date(2026, 11, 8) - timedelta(days=offset),
            )
            weeks = _rounded(queries.weekly(filters, None))
            assert weeks == _rounded(queries.weekly(filters, list(mixed.agent_ids))), offset
            monkeypatch.setattr(queries, "shaped", _daily_only)
            assert weeks == _rounded(queries.weekly(filters, None)), offset
            monkeypatch.undo()
            assert sum(totals.evaluations for _week, totals in weeks) > 0


def _bulk(agent_id: int, prefix: str, moments: list[datetime]) -> list[dict[str, Any]]:
    return [
        dict(
            external_id=f"{prefix}-{n}",
            channel=("call", "chat")[n % 2],
            agent_id=agent_id,
            occurred_at=moment,
            csat=5 - n % 3,
            handle_seconds=60 + n,
            created_at=moment,
        )
        for n, moment in enumerate(moments)
    ]


def _advisory_locks() -> int:
    held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    return db.session.connection().exec_driver_sql(held).scalar_one()


def _holds_off_the_customer_sums_only(agent_id: int, day: date) -> None:
    """While a big import holds its locks, another agent's evaluation can be counted; another
    import (any agent's customer sums) waits."""
    from qa_app.database import take_turns
    from qa_app.results.families import INTERACTIONS, STATS
    from qa_app.results.rollups import lock_names

    with db.engine.connect() as other:
        other.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
        take_turns(other, *lock_names([STATS], [(agent_id, day)]))
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
            take_turns(other, *lock_names([INTERACTIONS], [(agent_id, day)]))


# Three days over a week's and a month's end; then more days than a writer locks one by one,
# counted through a temporary table of their sums.
@pytest.mark.parametrize("count", [3, 1100])
def test_bulk_inserted_interactions_add_to_every_table_counting_them(
    app, make_user, make_team, count
):
    from qa_app.accounts.models import Role

    team = make_team("Bulk team")
    member, alone = make_user(Role.AGENT, team=team), make_user(Role.AGENT)
    first = datetime(2026, 3, 30, 23, tzinfo=UTC)
    with app.app_context():
        # rows already counted in the same days, then the bulk rows added to them
        db.session.add_all(Interaction(**row) for row in _bulk(member.id, "old", [first] * 2))
        db.session.commit()
        moments = [first + timedelta(days=n // 2) for n in range(count)]
        rows = _bulk(member.id, "B", moments) + _bulk(alone.id, "C", moments[:2])
        db.session.execute(sa.insert(Interaction), rows)
        new = Interaction.external_id.like("B-%") | Interaction.external_id.like("C-%")
        count_new_interactions(db.session.connection(), new, rows=count + 2)
        if db.engine.dialect.name == "postgresql" and count > 1000:
            assert _advisory_locks() < 20  # the kinds' locks, not one per day (out of memory)
            _holds_off_the_customer_sums_only(make_user(Role.AGENT).id, first.date())
        db.session.commit()
        assert [d.table for d in compare_all(db.session.connection()) if d.rows] == []
        spring = Filters("custom", date(2026, 3, 1), date(2029, 12, 31))
        assert queries.totals(spring, [member.id]).interactions == count + 2
        assert queries.totals(spring, [alone.id]).interactions == 2


def test_a_statement_is_built_once_per_shape(app, mixed, monkeypatch):
    built: list[Any] = []
    real = queries.spanned

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "spanned", counting)
    monkeypatch.setattr(queries, "_KEPT", {})
    first, second = mixed.agent_ids[:2]
    # Two four-week ranges with the same pieces (days, a whole month, days) and other values.
    july = Filters("custom", date(2026, 8, 25), date(2026, 9, 21))
    later = Filters("custom", date(2026, 9, 26), date(2026, 10, 23))
    with app.app_context():
        assert spans.shaped(july, [first])[0] == spans.shaped(later, [second])[0]
        one = queries.totals(july, [first])
        count = len(built)
        other = queries.totals(later, [second])
        assert len(built) == count  # nothing built for the second read
        assert (one, other) == (
            queries.combined(queries.totals_by_agent(july, [first]).values()),
            queries.combined(queries.totals_by_agent(later, [second]).values()),
        )
        assert one != other
