"""The appointments API: book, the overlap's confirmation, a resident of another
station, and the moves of the status."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shegong.agenda.models import Appointment
from tests.conftest import shared
from tests.helpers import day, register_resident


def at(offset_days: int, hour: int) -> str:
    moment = datetime.datetime.combine(day(offset_days), datetime.time(hour))
    return timezone.make_aware(moment).isoformat()


def make_people(world):
    return {
        "chen": register_resident(world, "陈秀英"),
        "outsider": register_resident(
            world, "王建国", station=world.station_c, actor=world["worker_c"], gender="male"
        ),
    }


people = shared(make_people)


def body(client, start=1, hour=9, **kw):
    return {
        "client": client.pk,
        "starts_at": at(start, hour),
        "ends_at": at(start, hour + 1),
        "purpose": "跟进",
        **kw,
    }


def test_book_then_an_overlap_needs_confirmation(api, world, people):
    worker = api(world["worker"])
    first = worker.post("/api/appointments/", body(people["chen"]), format="json")
    assert first.status_code == 201
    assert (first.json()["status"], first.json()["client_name"]) == ("booked", "陈秀英")
    clash = worker.post("/api/appointments/", body(people["chen"]), format="json")
    assert clash.status_code == 400
    assert clash.json() == {"detail": ["Worker 在 09:00–10:00 已有预约。确认后仍可预约。"]}
    confirmed = worker.post(
        "/api/appointments/", body(people["chen"], confirm_overlap=True), format="json"
    )
    assert confirmed.status_code == 201
    assert Appointment.objects.count() == 2


def test_a_resident_of_another_station_does_not_exist(api, world, people):
    answer = api(world["worker"]).post(
        "/api/appointments/", body(people["outsider"]), format="json"
    )
    assert answer.status_code == 400
    assert list(answer.json()) == ["client"]
    assert Appointment.objects.count() == 0


def test_the_moves(api, world, people):
    worker = api(world["worker"])
    pk = worker.post("/api/appointments/", body(people["chen"]), format="json").json()["id"]
    early = worker.post(f"/api/appointments/{pk}/attend/")
    assert early.status_code == 400
    now = timezone.now()
    Appointment.objects.filter(pk=pk).update(
        starts_at=now - datetime.timedelta(hours=2), ends_at=now - datetime.timedelta(hours=1)
    )
    assert worker.post(f"/api/appointments/{pk}/no-show/").json()["status"] == "no_show"
    again = worker.post(f"/api/appointments/{pk}/cancel/")
    assert again.status_code == 400
    assert again.json() == {"detail": ["该预约状态已为“未到”，只有“已预约”的预约可以更改。"]}


def test_officials_list_nothing(api, world, people):
    api(world["worker"]).post("/api/appointments/", body(people["chen"]), format="json")
    assert api(world["district"]).get("/api/appointments/").json()["count"] == 0
    assert api(world["director"]).get("/api/appointments/").json()["count"] == 1


def test_a_date_time_with_an_offset_postgresql_refuses_is_compared_in_utc(world, api):
    # ISO 8601 allows +20:54; PostgreSQL does not (it answered 500 before).
    client = api(world["worker"])
    response = client.get("/api/appointments/?starts_after=7008-04-15T07:23:03.394%2B20:54")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert (
        client.get("/api/appointments/?starts_after=9999-12-31T23:59:59-23:00").status_code == 400
    )
