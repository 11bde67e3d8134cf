"""The counting module (`delivery.counting`): the forms of "priority client on a
day" agree, and the counted kinds and deltas are what the rollups and the recount
both use."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from shegong.clients import services as client_services
from shegong.clients.models import ClientStatus
from shegong.delivery import counting
from shegong.delivery.models import ServiceEvent
from shegong.stats.rollups import Delta

DAY = datetime.date(2026, 6, 15)


def _on(offset: int) -> datetime.date:
    return DAY + datetime.timedelta(days=offset)


# name -> (category, started_on, ended_on), each for its own resident.
PERIODS = {
    "open": ("priority", _on(-5), None),
    "ends_on_the_day": ("priority", _on(-5), _on(0)),
    "ended_the_day_before": ("priority", _on(-5), _on(-1)),
    "the_day_only": ("priority", _on(0), _on(0)),
    "starts_the_day_after": ("priority", _on(1), None),
    "general": ("general", _on(-5), None),
}


@pytest.fixture
def statuses(world):
    residents = {}
    for n, (name, (category, started_on, ended_on)) in enumerate(PERIODS.items()):
        resident = client_services.resident_register(
            actor=world["worker"],
            station=world.station_a,
            name=f"居民{n}",
            gender="female",
            birth_date=datetime.date(1945, 1, 1 + n),
        )
        ClientStatus.objects.create(
            resident=resident,
            station=world.station_a,
            domain="elderly",
            category=category,
            priority_kind="hardship_elder" if category == "priority" else "",
            started_on=started_on,
            ended_on=ended_on,
        )
        residents[name] = resident
    return residents


def _by_orm(station, day) -> set[int]:
    return set(
        ClientStatus.objects.filter(counting.priority_on(day), station=station).values_list(
            "resident_id", flat=True
        )
    )


def _by_sql(station, day) -> set[int]:
    table = connection.ops.quote_name(ClientStatus._meta.db_table)
    sql = f"SELECT s.resident_id FROM {table} s WHERE s.station_id = %s AND "  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql + counting.priority_on_sql("s"),
            [station.pk, *counting.priority_on_params(day, connection.ops.adapt_datefield_value)],
        )
        return {resident_id for (resident_id,) in cursor.fetchall()}


def _by_periods(station, day) -> set[int]:
    periods: dict[int, list] = {}
    for resident_id, started_on, ended_on in ClientStatus.objects.filter(
        station=station, category="priority"
    ).values_list("resident_id", "started_on", "ended_on"):
        periods.setdefault(resident_id, []).append((started_on, ended_on))
    return {r for r, p in periods.items() if counting.priority_in(p, day)}


def test_priority_on_the_day_counts_the_start_and_the_end_day(world, statuses):
    expected = {statuses[name].pk for name in ("open", "ends_on_the_day", "the_day_only")}
    assert _by_orm(world.station_a, DAY) == expected
    assert _by_sql(world.station_a, DAY) == expected
    assert _by_periods(world.station_a, DAY) == expected
    assert {
        name
        for name, resident in statuses.items()
        if client_services.is_priority_client(resident, DAY)
    } == {"open", "ends_on_the_day", "the_day_only"}


def test_the_forms_of_priority_on_agree_on_every_day_around_the_periods(world, statuses):
    for offset in range(-7, 4):
        day = _on(offset)
        orm = _by_orm(world.station_a, day)
        assert _by_sql(world.station_a, day) == orm, day
        assert _by_periods(world.station_a, day) == orm, day
    # The day before every period began, and long after the closed ones ended.
    assert _by_orm(world.station_a, _on(-6)) == set()
    assert _by_orm(world.station_a, _on(3)) == {
        statuses["open"].pk,
        statuses["starts_the_day_after"].pk,
    }


def test_priority_at_another_station_is_not_priority_here(world, statuses):
    assert _by_orm(world.station_b, DAY) == set()
    assert _by_sql(world.station_b, DAY) == set()


def test_person_times_named_plus_headcount_and_casework_one():
    assert counting.person_times(3) == 3
    assert counting.person_times(2, 30) == 32
    assert counting.person_times(0, 25) == 25
    assert counting.casework_person_times() == 1


@pytest.mark.parametrize(
    ("kind", "group_sessions", "activities"),
    [
        ("group_session", 2, 0),
        ("activity", 0, 2),
        ("home_visit", 0, 0),
        ("consultation", 0, 0),
        ("meal_activity", 0, 0),
        ("casework", 0, 0),
    ],
)
def test_the_delta_of_an_event_counts_its_kind(kind, group_sessions, activities):
    delta = counting.event_delta(kind, events=2, person_times=9, volunteer_hours="1.5")
    assert delta == Delta(
        events=2,
        person_times=9,
        group_sessions=group_sessions,
        activities=activities,
        volunteer_hours=Decimal("1.5"),
    )


def test_deltas_add_up_and_a_zero_delta_is_false():
    total = counting.event_delta("group_session", events=1, person_times=5) + counting.event_delta(
        "activity", events=-1, person_times=-20
    )
    assert total == Delta(events=0, person_times=-15, group_sessions=1, activities=-1)
    assert not Delta()
    assert total


@pytest.mark.django_db
def test_the_recount_aggregates_name_every_counted_kind():
    aggregates = counting.counted_kind_counts()
    assert set(aggregates) == {"group_sessions", "activities"}
    assert all(isinstance(a, Count) for a in aggregates.values())
    # Counted over service events directly, or over a model leading to them.
    assert ServiceEvent.objects.aggregate(**aggregates) == {"group_sessions": 0, "activities": 0}
