"""The staff member's iCalendar feed: issued, replaced and revoked on its page,
read without log-in by its secret address, parsed here by a real parser
(icalendar) with the events written out, and holding no confidential text."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar

from shegong.agenda import services
from shegong.agenda.models import CalendarFeed
from shegong.cases import services as case_services
from shegong.clients import services as client_services
from tests.conftest import shared
from tests.delivery_world import make_delivery, record
from tests.helpers import day, days_ago

d = shared(make_delivery)


def at(offset_days: int, hour: int, minute: int = 0) -> datetime.datetime:
    moment = datetime.datetime.combine(day(offset_days), datetime.time(hour, minute))
    return timezone.make_aware(moment)


def book(actor, client, start, **kw):
    return services.appointment_book(
        actor=actor,
        client=client,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        **kw,
    )


def feed_path(client, user) -> str:
    client.force_login(user)
    client.post("/agenda/feed/", {"action": "regenerate"})
    feed = CalendarFeed.objects.get(user=user)
    client.logout()
    return f"/agenda/feed/{feed.token}.ics"


def events(body: bytes) -> list[tuple]:
    calendar = Calendar.from_ical(body)
    rows = []
    for e in calendar.walk("VEVENT"):
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        rows.append((str(e["summary"]), start, end, str(e.get("location", ""))))
    return sorted(rows, key=lambda row: str(row[1]))


def test_the_feed_holds_the_workers_week(client, d):
    worker, director = d["worker"], d["director"]
    chen, huang, other = d.residents[0], d.residents[1], d.residents[2]
    # 居民01 is a high-risk client with a case note: none of it may reach the feed.
    client_services.consent_record(actor=worker, resident=chen, recorded_on=days_ago(3))
    case = case_services.case_open(
        actor=director,
        client=chen,
        domain="elderly",
        source="walk_in",
        opened_on=days_ago(3),
        workers=[worker],
    )
    case_services.case_assess(
        actor=worker, case=case, assessed_on=days_ago(3), needs="独居，需要陪伴", risk_level="high"
    )
    book(worker, chen, at(1, 9), purpose="危机跟进：家暴", place="站内2号室")
    book(worker, huang, at(2, 14, 30), kind="home_visit", purpose="探访", place="某路3号502房")
    cancelled = book(worker, other, at(3, 10), purpose="跟进")
    services.appointment_cancel(actor=worker, appointment=cancelled)
    book(director, other, at(1, 9), worker=director, purpose="主任的预约")
    services.planned_service_add(
        actor=worker,
        station=d.world.station_a,
        kind="activity",
        title="中秋游园会",
        starts_at=at(3, 19),
        ends_at=at(3, 21),
        place="社区广场",
        workers=[worker],
    )
    services.planned_service_add(
        actor=director,
        station=d.world.station_a,
        kind="activity",
        title="主任的活动",
        starts_at=at(3, 9),
        ends_at=at(3, 10),
        workers=[director],
    )
    record(d, title="长者健康讲座", headcount=30, workers=[worker])
    record(d, title="别人的活动", headcount=10, workers=[director])

    response = client.get(feed_path(client, worker))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    tz = timezone.get_current_timezone()
    assert events(response.content) == [
        ("社区活动 · 长者健康讲座", day(0), day(1), ""),
        (
            "站内面谈 · 居某",
            at(1, 9).astimezone(tz),
            at(1, 10).astimezone(tz),
            "站内2号室",
        ),
        ("探访 · 居某", at(2, 14, 30).astimezone(tz), at(2, 15, 30).astimezone(tz), ""),
        ("社区活动 · 中秋游园会", at(3, 19).astimezone(tz), at(3, 21).astimezone(tz), "社区广场"),
    ]
    text = response.content.decode()
    secrets = ("居民01", "居民02", "危机跟进", "家暴", "独居", "需要陪伴", "high", "高风险", "502")
    assert [s for s in secrets if s in text] == []


def test_a_guessed_token_is_404(client, d):
    feed_path(client, d["worker"])
    assert client.get("/agenda/feed/" + "A" * 43 + ".ics").status_code == 404


def test_a_replaced_token_is_404_and_the_new_one_works(client, d):
    old = feed_path(client, d["worker"])
    new = feed_path(client, d["worker"])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_revoked_token_is_404(client, d):
    path = feed_path(client, d["worker"])
    client.force_login(d["worker"])
    page = client.post("/agenda/feed/", {"action": "revoke"}, follow=True)
    assert "订阅已撤销" in page.content.decode()
    assert 'data-testid="no-feed"' in page.content.decode()
    assert client.get(path).status_code == 404


def test_the_page_shows_the_address(client, d):
    path = feed_path(client, d["worker"])
    client.force_login(d["worker"])
    assert f"http://testserver{path}" in client.get("/agenda/feed/").content.decode()


def test_a_holder_who_left_has_a_dead_feed(client, d):
    path = feed_path(client, d["worker"])
    worker = d["worker"]
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_a_holder_moved_to_another_station_has_a_dead_feed(client, d):
    path = feed_path(client, d["worker"])
    worker = d["worker"]
    worker.station = d.world.station_b
    worker.save(update_fields=["station"])
    assert client.get(path).status_code == 404


def test_the_feed_is_read_only(client, d):
    path = feed_path(client, d["worker"])
    assert client.post(path).status_code == 405
