"""The visit rule 探访规则 of a roster category at a station: the city's (on the
category) unless the station set its own (`VisitRule`), and what it says about
a person's last home visit (due, overdue, up to date)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from shegong.core.cached import cached
from shegong.rosters.models import RosterCategory, VisitRule, add_interval

# How far ahead the outreach list shows a visit as due.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Rule:
    every: int
    unit: str

    def next_due(self, last_visit: datetime.date | None, since: datetime.date) -> datetime.date:
        """When the next visit is due: an interval after the last visit, or, for a
        person never visited, an interval after they joined the roster."""
        return add_interval(last_visit or since, self.every, self.unit)

    def up_to_date(self, last_visit: datetime.date | None, on: datetime.date) -> bool:
        """Visited as the rule requires on day `on`: the last visit's next one is
        not due before `on` (the coverage's "visited")."""
        return last_visit is not None and last_visit <= on and self.next_due(last_visit, on) >= on


# The cache group of the visit rules (core.cached): the city's per category and a
# station's own; followed in RostersConfig.ready.
GROUP = "visit-rules"


def _read_rules(station_ids: list[int]) -> dict[tuple[int, int], Rule]:
    city = {
        c.pk: Rule(c.visit_every, c.visit_unit)
        for c in RosterCategory.objects.all().only("visit_every", "visit_unit")
    }
    rules = {(s, c): rule for s in station_ids for c, rule in city.items()}
    for row in VisitRule.objects.filter(station_id__in=station_ids).values_list(
        "station_id", "category_id", "visit_every", "visit_unit"
    ):
        rules[(row[0], row[1])] = Rule(row[2], row[3])
    return rules


def rules_for(station_ids: Iterable[int]) -> dict[tuple[int, int], Rule]:
    """(station id, category id) -> the rule that applies there. One station's
    (its outreach list, the home page's outreach due) from the cache."""
    station_ids = list(set(station_ids))
    if len(station_ids) == 1:
        only = station_ids[0]
        return cached(GROUP, f"station:{only}", lambda: _read_rules([only]))
    return _read_rules(station_ids)
