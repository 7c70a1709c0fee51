"""What the result tables are kept per: the grains (day, ISO week, month) and the families of
tables (a daily table and its week and month rollups, with their keys and sums).

The agents' families are STATS (evaluations), CRITERIA (criterion scores) and INTERACTIONS
(customer figures); STATS and INTERACTIONS are kept per team too (TEAMS), and STATS for the
whole organisation per week and day. How they are kept: rollups.py and team_rollups.py.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .models import (
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentDayStats,
    AgentMonthCriterionStats,
    AgentMonthInteractionStats,
    AgentMonthStats,
    AgentWeekCriterionStats,
    AgentWeekInteractionStats,
    AgentWeekStats,
    OrganisationDayStats,
    OrganisationWeekStats,
    TeamDayInteractionStats,
    TeamDayStats,
    TeamMonthInteractionStats,
    TeamMonthStats,
    TeamWeekInteractionStats,
    TeamWeekStats,
)


@dataclass(frozen=True)
class Grain:
    """A length of time the sums are kept per: its name and the column holding a row's period."""

    name: str
    column: str

    def floor(self, day: date) -> date:
        """The first day of the period holding `day`."""
        if self.name == "week":
            return day - timedelta(days=day.weekday())
        if self.name == "month":
            return day.replace(day=1)
        return day

    def following(self, start: date) -> date:
        """The first day of the next period, for the first day of one."""
        if self.name == "week":
            return start + timedelta(days=7)
        if self.name == "month":
            return start + timedelta(days=calendar.monthrange(start.year, start.month)[1])
        return start + timedelta(days=1)

    def ceil(self, day: date) -> date:
        """The first day of the first period starting on or after `day`."""
        start = self.floor(day)
        return start if start == day else self.following(start)


DAY, WEEK, MONTH = Grain("day", "day"), Grain("week", "week_start"), Grain("month", "month_start")
ROLLUPS = (WEEK, MONTH)


@dataclass(frozen=True)
class Family:
    """One daily table and its rollups: the keys besides agent and period, and the sums."""

    name: str
    tables: tuple[Any, Any, Any]  # the day, week and month models
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    # Every agent's week rows summed together (keys and sums as the week table's), if kept.
    organisation_week: Any = None
    organisation_day: Any = None  # and every agent's daily rows summed together, if kept
    owner: str = "agent_id"  # whose sums a row holds: an agent's, or a team's (TEAMS)

    def model(self, grain: Grain) -> Any:
        return self.tables[(DAY, WEEK, MONTH).index(grain)]

    def columns(self, grain: Grain) -> list[str]:
        """A rollup table's columns in the order `rollup_select` gives them."""
        return [self.owner, grain.column, *self.keys, *self.sums]


STATS = Family(
    "stats",
    (AgentDayStats, AgentWeekStats, AgentMonthStats),
    ("channel", "scorecard_id", "targeted"),
    (
        "evaluations",
        "scored",
        "score_sum",
        "passed",
        "critical_fails",
        "band_excellent",
        "band_good",
        "band_satisfactory",
        "band_needs_improvement",
        "band_poor",
    ),
    OrganisationWeekStats,
    OrganisationDayStats,
)
CRITERIA = Family(
    "criterion-stats",
    (AgentDayCriterionStats, AgentWeekCriterionStats, AgentMonthCriterionStats),
    ("channel", "scorecard_id", "criterion_key"),
    ("scores", "value_sum"),
)
INTERACTIONS = Family(
    "interaction-stats",
    (AgentDayInteractionStats, AgentWeekInteractionStats, AgentMonthInteractionStats),
    ("channel",),
    (
        "interactions",
        "csat_n",
        "csat_positive",
        "nps_n",
        "nps_promoters",
        "nps_detractors",
        "ces_n",
        "ces_sum",
        "fcr_known",
        "fcr_resolved",
        "aht_n",
        "aht_sum",
    ),
)
FAMILIES = (STATS, CRITERIA, INTERACTIONS)


def _per_team(family: Family, tables: tuple[Any, Any, Any]) -> Family:
    """The family of team tables keeping an agents' family's keys and sums per team."""
    return Family(f"team-{family.name}", tables, family.keys, family.sums, owner="team_id")


# The agents' families also kept per team, each with the family of its team tables.
TEAMS = {
    STATS: _per_team(STATS, (TeamDayStats, TeamWeekStats, TeamMonthStats)),
    INTERACTIONS: _per_team(
        INTERACTIONS, (TeamDayInteractionStats, TeamWeekInteractionStats, TeamMonthInteractionStats)
    ),
}
# The families that also keep every agent's week and day rows summed together.
ORGANISED = tuple(family for family in FAMILIES if family.organisation_week is not None)


def periods(grain: Grain, days: Iterable[tuple[int, date]]) -> dict[date, list[int]]:
    """The agents whose period (of this grain) holds one of the given days, per period."""
    found: dict[date, set[int]] = defaultdict(set)
    for agent_id, day in days:
        found[grain.floor(day)].add(agent_id)
    return {start: sorted(agents) for start, agents in sorted(found.items())}
