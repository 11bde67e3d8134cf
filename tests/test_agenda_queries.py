"""Queries of the calendar's pages, pinned: the week, the month, the feed and the
API list ask the same number of queries for two appointments (and two planned
sessions) or twelve (four sessions, eight activities)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shegong.agenda import services
from shegong.agenda.models import CalendarFeed
from tests.delivery_world import group, make_delivery, record
from tests.helpers import day
from tests.test_query_counts import queries


def _book(d, first: int, n: int) -> None:
    for i in range(first, first + n):
        start = timezone.make_aware(
            datetime.datetime.combine(day(1 + i % 5), datetime.time(8 + i // 5))
        )
        services.appointment_book(
            actor=d["worker"],
            client=d.residents[i],
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=50),
            purpose="跟进",
        )
        record(d, title=f"活动{i}", headcount=5, workers=[d["worker"]])
        services.planned_service_add(
            actor=d["worker"],
            station=d.world.station_a,
            kind="group_session" if i < 4 else "activity",
            group=d.extra["group"] if i < 4 else None,
            title="" if i < 4 else f"讲座{i}",
            starts_at=start + datetime.timedelta(hours=8),
            ends_at=start + datetime.timedelta(hours=9),
            workers=[d["worker"]],
        )


def test_calendar_feed_and_api_ask_the_same_queries_for_two_appointments_or_twelve(world, client):
    d = make_delivery(world)
    d.extra["group"] = group(d, planned=6)
    client.force_login(world["worker"])
    client.post("/agenda/feed/", {"action": "regenerate"})
    feed = f"/agenda/feed/{CalendarFeed.objects.get(user=world['worker']).token}.ics"
    week = f"/agenda/stations/{world.station_a.pk}/?view=week&date={day(1)}"
    month = f"/agenda/stations/{world.station_a.pk}/?view=month&date={day(1)}"

    def counts():
        return [queries(client, "get", url) for url in (week, month, feed, "/api/appointments/")]

    _book(d, 0, 2)
    few = counts()
    _book(d, 2, 10)
    # The week and the month: 10 before the station's scope was decided from the row
    # in hand (core.scope.can) and the user's station came from the cache (org.units).
    assert counts() == few == [7, 7, 6, 4]
