"""Planned group sessions and activities on the calendar: numbered after what is
recorded and planned, held once recorded, cancelled while still to come."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shegong.agenda import selectors, services
from shegong.agenda.models import PlannedService
from shegong.delivery import services as delivery_services
from tests.conftest import shared
from tests.delivery_world import group, make_delivery, session
from tests.helpers import day, refusal, refusal_by_field

d = shared(make_delivery)


def at(offset_days: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset_days), datetime.time(hour)))


def plan(d, offset=1, hour=15, **kw):
    kw.setdefault("kind", "group_session")
    return services.planned_service_add(
        actor=d["worker"],
        station=d.world.station_a,
        starts_at=at(offset, hour),
        ends_at=at(offset, hour + 1),
        **kw,
    )


def test_the_next_session_after_those_recorded_and_planned(d):
    grp = group(d, planned=4)
    grp.leaders.set([d["director"]])
    session(d, grp, d.residents[:3])
    second = plan(d, group=grp)
    third = plan(d, offset=8, group=grp)
    assert [(p.session_number, p.title) for p in (second, third)] == [
        (2, "长者怀旧小组 第 2 节"),
        (3, "长者怀旧小组 第 3 节"),
    ]
    assert list(second.workers.all()) == [d["director"]]
    services.planned_service_cancel(actor=d["worker"], planned=third)
    assert plan(d, offset=9, group=grp).session_number == 3


def test_no_more_sessions_than_the_group_has(d):
    grp = group(d, planned=1)
    plan(d, group=grp)
    assert refusal_by_field(plan, d, offset=2, group=grp) == {
        "group": ["All 1 sessions of this group are recorded or planned."]
    }


def test_an_activity_needs_a_title_and_no_group(d):
    assert refusal_by_field(plan, d, kind="activity") == {"title": ["Give the activity a title."]}
    activity = plan(d, kind="activity", title="长者健康讲座", group=group(d), place="活动室")
    assert (activity.group, activity.session_number, activity.place) == (None, None, "活动室")


def test_a_group_of_another_station_is_refused(d):
    theirs = delivery_services.group_create(
        actor=d["worker_b"], project=d.project_b, name="南石头小组", planned_sessions=4
    )
    assert refusal_by_field(plan, d, group=theirs) == {"group": ["Choose a group of the station."]}
    assert PlannedService.objects.count() == 0


def test_a_recorded_session_is_held_and_cannot_be_cancelled(client, d):
    grp = group(d, planned=3)
    planned = plan(d, offset=0, hour=0, group=grp)
    session(d, grp, d.residents[:2])
    client.force_login(d["worker"])
    page = client.get(f"/agenda/planned/{planned.pk}/")
    assert '<span class="badge text-bg-secondary" data-testid="status">已开展</span>' in (
        page.content.decode()
    )
    assert refusal(services.planned_service_cancel, actor=d["worker"], planned=planned) == [
        "This session is already recorded; it cannot be cancelled."
    ]


def test_the_calendar_shows_the_plan_and_a_cancelled_one_struck_through(client, d):
    grp = group(d, planned=3)
    planned = plan(d, group=grp)
    plan(d, kind="activity", title="长者健康讲座", hour=9)
    client.force_login(d["worker"])
    url = f"/agenda/stations/{d.world.station_a.pk}/?view=day&date={day(1)}"
    text = client.get(url).content.decode()
    assert text.index("09:00–10:00 长者健康讲座") < text.index("15:00–16:00 长者怀旧小组 第 1 节")
    services.planned_service_cancel(actor=d["worker"], planned=planned)
    text = client.get(url).content.decode()
    assert 'text-decoration-line-through text-muted">15:00–16:00 长者怀旧小组 第 1 节' in text


def test_planning_through_the_page(client, d):
    grp = group(d, planned=3)
    client.force_login(d["worker"])
    page = client.post(
        f"/agenda/stations/{d.world.station_a.pk}/plan/",
        {
            "kind": "group_session",
            "group": grp.pk,
            "starts_at": f"{day(2)}T15:00",
            "ends_at": f"{day(2)}T16:30",
            "place": "活动室",
        },
    )
    assert page.status_code == 302
    planned = PlannedService.objects.get()
    assert (planned.session_number, planned.place) == (1, "活动室")
    bad = client.post(
        f"/agenda/stations/{d.world.station_a.pk}/plan/",
        {"kind": "activity", "starts_at": f"{day(2)}T15:00", "ends_at": f"{day(2)}T14:00"},
    )
    assert bad.status_code == 400
    assert PlannedService.objects.count() == 1


def test_planned_for_lists_the_users_own_in_the_days_asked(d):
    mine = plan(d, kind="activity", title="讲座", workers=[d["worker"]])
    plan(d, kind="activity", title="主任的讲座", workers=[d["director"]])
    later = plan(d, offset=9, kind="activity", title="下周讲座", workers=[d["worker"]])
    dropped = plan(d, offset=2, kind="activity", title="取消的讲座", workers=[d["worker"]])
    services.planned_service_cancel(actor=d["worker"], planned=dropped)
    assert list(selectors.planned_for(d["worker"], day(0), day(6))) == [mine]
    assert list(selectors.planned_for(d["worker"], day(0), day(9))) == [mine, later]
