"""Community activities: residents sign up from the QR link (capacity, waiting
list promoted on a cancellation), volunteers check in and out from their phone,
late entries are approved by the station, and closing the activity turns the
sign-up list into the event's attendance, counted by the one counting path."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from shegong.clients.models import Resident
from shegong.community import activities, timebank
from shegong.community.models import (
    CommunityActivity,
    ResidentSignup,
    TimeBankEntry,
    VolunteerCheckin,
    VolunteerSignup,
)
from shegong.community.volunteer_public import (
    checkin_path,
    join_path,
    join_token,
    signup_path,
    volunteer_link,
)
from shegong.delivery.models import EventVolunteer
from tests.delivery_world import make_delivery
from tests.volunteer_world import activity, at, serve, today_at


@pytest.fixture
def d(world):
    return make_delivery(world)


def _now_activity(d, capacity=2, title="邻里节") -> CommunityActivity:
    """An activity that started an hour ago and ends in two hours."""
    now = timezone.now()
    return activities.activity_create(
        actor=d["worker"],
        project=d.projects["key"],
        title=title,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        capacity=capacity,
    )


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_creates_an_activity_and_sees_its_qr_codes(d):
    client = _logged_in(d["worker"])
    day = timezone.localdate().isoformat()
    response = client.post(
        reverse("activities:create"),
        {
            "project": d.projects["key"].pk,
            "title": "端午包粽子",
            "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T11:30",
            "capacity": "30",
        },
    )
    created = CommunityActivity.objects.get(title="端午包粽子")
    assert response.status_code == 302
    assert (created.capacity, created.station_id) == (30, d.world.station_a.pk)
    page = client.get(reverse("activities:detail", args=[created.pk]))
    html = page.content.decode()
    assert html.count("<svg") == 2
    assert checkin_path(created) in html and join_path(created) in html
    # Two purposes, two signatures: the residents' sign-up link is no check-in link.
    assert checkin_path(created).split("/")[-2] != join_path(created).split("/")[-2]
    wrong = reverse("volunteer-public:checkin", args=[join_path(created).split("/")[-2]])
    assert Client().get(wrong).status_code == 404
    bare = reverse("volunteer-public:resident-signup", args=[created.token])
    assert Client().get(bare).status_code == 404


def test_an_activity_ending_before_it_starts_is_refused(d):
    client = _logged_in(d["worker"])
    day = timezone.localdate().isoformat()
    response = client.post(
        reverse("activities:create"),
        {
            "project": d.projects["key"].pk,
            "title": "倒序",
            "starts_at": f"{day}T11:00",
            "ends_at": f"{day}T09:00",
            "capacity": "5",
        },
    )
    assert response.status_code == 400
    assert "活动的结束时间必须晚于开始时间" in response.content.decode()
    assert not CommunityActivity.objects.filter(title="倒序").exists()


def test_residents_sign_up_to_capacity_then_wait_and_a_cancellation_promotes(d):
    act = _now_activity(d, capacity=2)
    client = Client()
    url = join_path(act)
    assert "剩余 2 个名额" in client.get(url).content.decode()
    statuses = []
    for name, phone in [
        ("张阿姨", "13800000001"),
        ("李伯", "13800000002"),
        ("王婆", "13800000003"),
    ]:
        response = client.post(url, {"name": name, "phone": phone})
        assert response.status_code == 302
        statuses.append(ResidentSignup.objects.get(phone=phone).status)
    assert statuses == ["confirmed", "confirmed", "waiting"]
    waiting_page = client.get(response["Location"]).content.decode()
    assert "候补名单" in waiting_page and "前面还有 0 人" in waiting_page
    first = ResidentSignup.objects.get(phone="13800000001")
    client.post(signup_path(first))
    assert dict(ResidentSignup.objects.values_list("phone", "status")) == {
        "13800000001": "cancelled",
        "13800000002": "confirmed",
        "13800000003": "confirmed",
    }


def test_a_second_sign_up_and_bad_input_are_refused_with_messages(d):
    act = _now_activity(d)
    client = Client()
    url = join_path(act)
    client.post(url, {"name": "张阿姨", "phone": "13800000001"})
    again = client.post(url, {"name": "张阿姨", "phone": "13800000001"})
    assert again.status_code == 400
    assert "该手机号码已经报过名" in again.content.decode()
    bad = client.post(url, {"name": "李伯", "phone": "12345"})
    assert bad.status_code == 400
    assert "请输入11位手机号码" in bad.content.decode()
    assert ResidentSignup.objects.filter(activity=act).count() == 1


def test_the_volunteer_checks_in_and_out_from_their_phone(d):
    volunteer = d.volunteers[0]
    act = _now_activity(d)
    phone = Client()
    home = phone.get(volunteer_link(volunteer))
    assert home.status_code == 200 and "义工陈" in home.content.decode()
    url = checkin_path(act)
    checked_in = phone.post(url, {"action": "in"})
    assert checked_in.status_code == 200
    assert "已签到" in checked_in.content.decode()
    again = phone.post(url, {"action": "in"})
    assert again.status_code == 400
    assert "您已在本活动签到" in again.content.decode()
    out = phone.post(url, {"action": "out"})
    assert out.status_code == 200 and "已签退" in out.content.decode()
    checkin = VolunteerCheckin.objects.get(volunteer=volunteer)
    assert checkin.status == "done" and checkin.ended_at is not None


def test_a_phone_without_the_volunteer_link_cannot_check_in(d):
    act = _now_activity(d)
    response = Client().post(checkin_path(act), {"action": "in"})
    assert response.status_code == 400
    assert "请先在本手机上打开您自己的义工链接" in response.content.decode()
    assert not VolunteerCheckin.objects.exists()


def test_a_forged_volunteer_link_is_not_found(d):
    token = volunteer_link(d.volunteers[0]).split("/")[-2]
    forged = token.replace(token.split(":")[0], str(d.volunteers[1].pk), 1)
    assert Client().get(reverse("volunteer-public:home", args=[forged])).status_code == 404


def test_check_ins_are_limited_per_day(d, settings):
    settings.VOLUNTEER_CHECKINS_PER_DAY = 2
    volunteer = d.volunteers[0]
    serve(activity(d, "一", 8, 20), volunteer, 8, 9)
    serve(activity(d, "二", 8, 20), volunteer, 9, 10)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        activities.volunteer_check_in(
            activity=activity(d, "三", 8, 20), volunteer=volunteer, now=today_at(11)
        )
    assert error.value.messages == ["You have checked in 2 times today, the most allowed in a day."]


def test_hours_are_the_checked_time_within_the_activity(d):
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 9, 12)
    activities.volunteer_check_in(
        activity=act, volunteer=volunteer, now=today_at(8, 40)
    )  # early: counted from 9:00
    done = activities.volunteer_check_out(activity=act, volunteer=volunteer, now=today_at(13))
    assert done.hours == Decimal("3.0")
    assert timebank.balance(volunteer) == Decimal("3.0")


def test_a_late_entry_outside_the_activity_is_refused_and_inside_waits_for_approval(d):
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 8, 10)
    phone = Client()
    token = volunteer_link(volunteer).split("/")[-2]
    day = timezone.localdate().isoformat()
    url = reverse("volunteer-public:late-entry", args=[token])
    with at(12):
        outside = phone.post(
            url, {"activity": act.pk, "started_at": f"{day}T07:00", "ended_at": f"{day}T09:00"}
        )
        assert outside.status_code == 400
        assert "时长必须在活动时间之内" in outside.content.decode()
        assert not VolunteerCheckin.objects.exists()
        inside = phone.post(
            url,
            {
                "activity": act.pk,
                "started_at": f"{day}T08:00",
                "ended_at": f"{day}T09:30",
                "reason": "手机没电",
            },
        )
    assert inside.status_code == 302
    entry = VolunteerCheckin.objects.get(volunteer=volunteer)
    assert (entry.status, entry.hours) == ("requested", Decimal("1.5"))
    assert timebank.balance(volunteer) == 0
    worker = _logged_in(d["worker"])
    worker.post(reverse("activities:checkin-decide", args=[entry.pk]), {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == "approved"
    assert timebank.balance(volunteer) == Decimal("1.5")


def test_closing_turns_the_sign_up_list_into_attendance(d):
    resident = d.residents[0]
    Resident.objects.filter(pk=resident.pk).update(phone="13900000009")
    act = activity(d, "义诊", 0, 1, capacity=3)
    for name, phone in [
        ("居民01", "13900000009"),
        ("路人", "13800000001"),
        ("缺席", "13800000002"),
    ]:
        ResidentSignup.objects.create(activity=act, name=name, phone=phone, status="confirmed")
    ResidentSignup.objects.filter(phone="13900000009").update(resident=resident)
    volunteer = d.volunteers[0]
    with at(7):  # before the other activity, whenever the test runs (it ends at 23:00)
        activities.volunteer_self_sign_up(activity=activity(d, "别的", 8, 23), volunteer=volunteer)
    serve(act, volunteer, 0, 1)
    present = ResidentSignup.objects.exclude(name="缺席").values_list("pk", flat=True)
    client = _logged_in(d["worker"])
    response = client.post(
        reverse("activities:close", args=[act.pk]), {"present": [str(p) for p in present]}
    )
    assert response.status_code == 302
    act.refresh_from_db()
    event = act.event
    assert (event.kind, event.person_times, event.headcount) == ("activity", 2, 1)
    # The activity's hours are the event's: the workers' service hours.
    assert (event.starts_at, event.ends_at) == (datetime.time(0, 0), datetime.time(1, 0))
    assert list(event.attendances.values_list("resident_id", flat=True)) == [resident.pk]
    assert list(EventVolunteer.objects.filter(event=event).values_list("hours", flat=True)) == [
        Decimal("1.0")
    ]
    # Closed: no more check-ins, sign-ups or a second close.
    again = client.post(reverse("activities:close", args=[act.pk]), {"present": []})
    assert again.status_code == 302
    assert ServiceEventCount.of(d) == 1


class ServiceEventCount:
    @staticmethod
    def of(d) -> int:
        from shegong.delivery.models import ServiceEvent

        return ServiceEvent.objects.filter(title="义诊").count()


def test_a_volunteer_signs_up_from_their_page_and_closing_marks_it_served(d):
    volunteer = d.volunteers[1]
    act = activity(d, "义诊", 0, 1)
    phone = Client()
    token = volunteer_link(volunteer).split("/")[-2]
    later = activity(d, "探访", 0, 23)
    with at(12):
        signed = phone.post(reverse("volunteer-public:sign-up", args=[token, join_token(act)]))
        assert signed.status_code == 400  # the activity is over
        joined = phone.post(reverse("volunteer-public:sign-up", args=[token, join_token(later)]))
        assert joined.status_code == 302
    signup = VolunteerSignup.objects.get(volunteer=volunteer)
    serve(later, volunteer, 1, 2)
    ResidentSignup.objects.create(
        activity=later, name="甲", phone="13800000001", status="confirmed"
    )
    activities.activity_close(actor=d["worker"], activity=later, present=[later.signups.get().pk])
    signup.refresh_from_db()
    assert signup.status == "served"


def test_redemption_beyond_the_balance_on_the_page_saves_nothing(d, settings):
    settings.TIMEBANK_REDEEM_THRESHOLD = 1
    volunteer = d.volunteers[0]
    serve(activity(d), volunteer, 8, 10)
    client = _logged_in(d["worker"])
    response = client.post(
        reverse("activities:redeem", args=[volunteer.pk]),
        {"redeem-points": "5", "redeem-service": "理发"},
    )
    assert response.status_code == 400
    assert "只剩 2.0 积分可兑换" in response.content.decode()
    assert TimeBankEntry.objects.filter(volunteer=volunteer).count() == 1
    ok = client.post(
        reverse("activities:redeem", args=[volunteer.pk]),
        {"redeem-points": "2", "redeem-service": "理发"},
    )
    assert ok.status_code == 302
    assert timebank.balance(volunteer) == 0 == timebank.ledger_sum(volunteer)


def test_the_station_issues_the_certificate_of_hours(d):
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 0, 2)
    serve(act, volunteer, 0, 2)
    ResidentSignup.objects.create(activity=act, name="甲", phone="13800000001", status="confirmed")
    activities.activity_close(actor=d["worker"], activity=act, present=[act.signups.get().pk])
    url = reverse("activities:certificate", args=[volunteer.pk])
    response = _logged_in(d["worker"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _logged_in(d["city"]).get(url).status_code == 403


def test_public_submissions_are_rate_limited(d, settings):
    settings.COMMUNITY_PUBLIC_MAX_PER_IP_PER_HOUR = 2
    from django.core.cache import cache

    cache.clear()
    act = _now_activity(d, capacity=5)
    client = Client()
    url = join_path(act)
    codes = [
        client.post(url, {"name": f"人{n}", "phone": f"1380000000{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert ResidentSignup.objects.count() == 2
    cache.clear()


def test_the_time_bank_page_shows_the_balance_and_the_volunteer_link(d):
    volunteer = d.volunteers[0]
    serve(activity(d), volunteer, 8, 11)
    html = _logged_in(d["worker"]).get(reverse("activities:time-bank", args=[volunteer.pk]))
    text = html.content.decode()
    assert re.search(r'data-testid="balance">3\.0<', text)
    assert volunteer_link(volunteer) in text
