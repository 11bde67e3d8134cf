"""Issue #17 points 4 and 5 through the pages: every page of activities, check-in
and the time bank renders; hours come from the check-in and check-out times; the
daily limit of check-ins; late entries (补录) approved or rejected by the worker;
the certificate of hours (志愿服务证明) read back from the PDF; the time bank's
points, threshold, cap and donations; residents' sign-up from the QR link with
capacity and waiting list, the list becoming the attendance sheet.

The clock is set with `at(...)` (django.utils.timezone.now patched), so the
figures do not depend on the hour the tests run."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import Min
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shegong.clients.models import Resident
from shegong.community import activities, timebank
from shegong.community.models import (
    CommunityActivity,
    ResidentSignup,
    TimeBankEntry,
    VolunteerCheckin,
)
from shegong.community.volunteer_public import (
    checkin_path,
    join_path,
    signup_path,
    volunteer_link,
)
from shegong.delivery.models import EventVolunteer
from tests.delivery_world import make_delivery
from tests.test_print import pdf_text
from tests.volunteer_world import activity, at, serve


@pytest.fixture
def d(world):
    return make_delivery(world)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(volunteer) -> str:
    return volunteer_link(volunteer).split("/")[-2]


def _phone(volunteer) -> Client:
    """A volunteer's phone that has opened their own link (the signed cookie)."""
    phone = Client()
    assert phone.get(volunteer_link(volunteer)).status_code == 200
    return phone


def _text(response) -> str:
    return response.content.decode()


def test_every_page_renders(d):
    volunteer = d.volunteers[0]
    with at(9):
        act = activity(d, "义诊", 9, 12, capacity=5)
        signup = activities.resident_sign_up(activity=act, name="张阿姨", phone="13800000001")
        activities.volunteer_check_in(activity=act, volunteer=volunteer)
        worker = _logged_in(d["worker"])
        pages = {
            reverse("activities:list"): "活动报名",
            reverse("activities:create"): "新建活动",
            reverse("activities:detail", args=[act.pk]): "义诊",
            reverse("activities:time-bank", args=[volunteer.pk]): "时间银行",
        }
        for url, heading in pages.items():
            response = worker.get(url)
            assert response.status_code == 200, url
            assert heading in _text(response), url
        phone = _phone(volunteer)
        public = {
            volunteer_link(volunteer): "义工陈",
            checkin_path(act): "签退",
            join_path(act): "剩余 4 个名额",
            signup_path(signup): "张阿姨",
        }
        for url, text in public.items():
            response = phone.get(url)
            assert response.status_code == 200, url
            assert text in _text(response), url
        # A phone that never opened a volunteer link is told to open it first.
        stranger = Client().get(checkin_path(act))
        assert "请先在本手机上打开您自己的义工链接" in _text(stranger)


def test_hours_are_computed_from_the_check_in_and_check_out_times(d, settings):
    settings.TIMEBANK_POINTS_PER_HOUR = 2
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 9, 12)
    phone = _phone(volunteer)
    url = checkin_path(act)
    with at(9, 10):
        assert phone.post(url, {"action": "in"}).status_code == 200
    with at(11, 55):
        out = phone.post(url, {"action": "out"})
    # 9:10 to 11:55 is 2 h 45 min = 2.75 h, counted in tenths rounded down: 2.7.
    assert out.status_code == 200
    assert "已签退：2.7 小时。" in _text(out)
    checkin = VolunteerCheckin.objects.get(volunteer=volunteer)
    assert (checkin.status, checkin.hours) == ("done", Decimal("2.7"))
    # 2 points an hour: 2.7 × 2 = 5.4 points.
    assert timebank.balance(volunteer) == Decimal("5.4")
    home = _text(phone.get(volunteer_link(volunteer)))
    assert re.search(r'data-testid="balance">5\.4<', home)


def test_a_check_in_before_the_activity_opens_is_refused(d):
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 9, 12)
    phone = _phone(volunteer)
    day = timezone.localdate().isoformat()
    with at(8, 0):  # check-in opens half an hour before the start
        early = phone.post(checkin_path(act), {"action": "in"})
    assert early.status_code == 400
    assert f"签到时间为 {day} 08:30 至 {day} 12:00。" in _text(early)
    assert not VolunteerCheckin.objects.exists()


def test_check_ins_are_limited_per_day_on_the_phone(d, settings):
    settings.VOLUNTEER_CHECKINS_PER_DAY = 2
    volunteer = d.volunteers[0]
    first, second, third = (
        activity(d, title, start, start + 1) for title, start in [("一", 9), ("二", 10), ("三", 11)]
    )
    phone = _phone(volunteer)
    for act, start in [(first, 9), (second, 10)]:
        url = checkin_path(act)
        with at(start, 5):
            assert phone.post(url, {"action": "in"}).status_code == 200
        with at(start, 50):
            assert phone.post(url, {"action": "out"}).status_code == 200
    with at(11, 5):
        refused = phone.post(checkin_path(third), {"action": "in"})
    assert refused.status_code == 400
    assert "您今天已签到 2 次，已达每日上限。" in _text(refused)
    assert VolunteerCheckin.objects.filter(volunteer=volunteer).count() == 2
    # 9:05–9:50 and 10:05–10:50: 0.7 h each (45 min = 0.75, rounded down).
    assert timebank.balance(volunteer) == Decimal("1.4")


def test_a_late_entry_is_a_request_the_worker_approves_or_rejects(d):
    chen, huang = d.volunteers
    act = activity(d, "义诊", 9, 12)
    day = timezone.localdate().isoformat()
    with at(14):
        phone = _phone(chen)
        url = reverse("volunteer-public:late-entry", args=[_token(chen)])
        outside = phone.post(
            url, {"activity": act.pk, "started_at": f"{day}T08:00", "ended_at": f"{day}T10:00"}
        )
        assert outside.status_code == 400
        assert f"时长必须在活动时间之内（{day} 09:00–{day} 12:00）。" in _text(outside)
        assert not VolunteerCheckin.objects.exists()
        asked = phone.post(
            url,
            {
                "activity": act.pk,
                "started_at": f"{day}T09:30",
                "ended_at": f"{day}T11:45",
                "reason": "忘记扫码",
            },
        )
        assert asked.status_code == 302
        other = _phone(huang).post(
            reverse("volunteer-public:late-entry", args=[_token(huang)]),
            {"activity": act.pk, "started_at": f"{day}T09:00", "ended_at": f"{day}T12:00"},
        )
        assert other.status_code == 302
        chen_entry = VolunteerCheckin.objects.get(volunteer=chen)
        huang_entry = VolunteerCheckin.objects.get(volunteer=huang)
        # A request: 9:30–11:45 is 2.2 h (2.25 rounded down), nothing earned yet.
        assert (chen_entry.status, chen_entry.hours) == ("requested", Decimal("2.2"))
        assert timebank.balance(chen) == 0
        worker = _logged_in(d["worker"])
        detail = _text(worker.get(reverse("activities:detail", args=[act.pk])))
        assert detail.count("补录待审核") == 2 and "忘记扫码" in detail
        # The activity cannot be closed while a request waits.
        worker.post(reverse("activities:close", args=[act.pk]), {"present": []})
        assert CommunityActivity.objects.get(pk=act.pk).event_id is None
        # A read-only insider cannot decide.
        decide = reverse("activities:checkin-decide", args=[chen_entry.pk])
        assert _logged_in(d["city"]).post(decide, {"decision": "approve"}).status_code == 403
        assert VolunteerCheckin.objects.get(pk=chen_entry.pk).status == "requested"
        # No decision named: refused with a message, the request still waits.
        unnamed = worker.post(decide, {}, follow=True)
        assert "请选择通过或驳回这条补录。" in _text(unnamed)
        assert VolunteerCheckin.objects.get(pk=chen_entry.pk).status == "requested"
        worker.post(decide, {"decision": "approve"})
        worker.post(
            reverse("activities:checkin-decide", args=[huang_entry.pk]), {"decision": "reject"}
        )
    assert dict(VolunteerCheckin.objects.values_list("volunteer_id", "status")) == {
        chen.pk: "approved",
        huang.pk: "rejected",
    }
    assert (timebank.balance(chen), timebank.balance(huang)) == (Decimal("2.2"), 0)
    # Deciding twice is refused: the balance is not credited again.
    with at(14):
        again = worker.post(decide, {"decision": "approve"}, follow=True)
    assert "该记录已经审核。" in _text(again)
    assert TimeBankEntry.objects.filter(volunteer=chen).count() == 1


def test_hours_still_to_come_cannot_be_reported(d):
    volunteer = d.volunteers[0]
    act = activity(d, "义诊", 9, 12)
    day = timezone.localdate().isoformat()
    with at(10):
        response = _phone(volunteer).post(
            reverse("volunteer-public:late-entry", args=[_token(volunteer)]),
            {"activity": act.pk, "started_at": f"{day}T09:00", "ended_at": f"{day}T11:00"},
        )
    assert response.status_code == 400
    assert "不能补录尚未发生的时长。" in _text(response)
    assert not VolunteerCheckin.objects.exists()


def test_the_recording_station_issues_the_certificate_of_hours_as_pdf(d):
    volunteer = d.volunteers[0]
    for title, start, end in [("社区义诊", 8, 10), ("长者探访", 13, 14)]:
        act = activity(d, title, 8, 20)
        with at(end):
            serve(act, volunteer, start, end)
            if title == "长者探访":
                # Half an hour more: 13:00–14:30.
                VolunteerCheckin.objects.filter(activity=act).update(hours=Decimal("1.5"))
            ResidentSignup.objects.create(
                activity=act, name="甲", phone="13800000001", status="confirmed"
            )
            activities.activity_close(
                actor=d["worker"], activity=act, present=[act.signups.get().pk]
            )
    assert sorted(
        EventVolunteer.objects.filter(volunteer=volunteer).values_list("hours", flat=True)
    ) == [
        Decimal("1.5"),
        Decimal("2.0"),
    ]
    url = reverse("activities:certificate", args=[volunteer.pk])
    text = pdf_text(_logged_in(d["worker"]).get(url))
    flat = re.sub(r"\s+", "", text)
    assert "志愿服务证明" in flat
    station = d.world.station_a.name
    assert f"{station}兹证明义工义工陈在下列服务中累计服务3.5小时" in flat
    assert "社区义诊" in flat and "长者探访" in flat
    assert "累计时数:3.5" in flat
    # Only the recording station issues it: read-only insiders 403, others 404.
    assert _logged_in(d["city"]).get(url).status_code == 403
    assert _logged_in(d["worker_b"]).get(url).status_code == 404


def test_the_time_bank_on_its_page_threshold_cap_donation_and_balance(d, settings):
    settings.TIMEBANK_REDEEM_THRESHOLD = 5
    settings.TIMEBANK_BALANCE_CAP = 8
    chen, huang = d.volunteers
    with at(20):
        serve(activity(d, "一", 8, 20), chen, 8, 11)  # 3.0
        serve(activity(d, "二", 8, 20), chen, 12, 15)  # 3.0 → 6.0
    worker = _logged_in(d["worker"])
    redeem = reverse("activities:redeem", args=[chen.pk])
    donate = reverse("activities:donate", args=[chen.pk])
    beyond = worker.post(redeem, {"redeem-points": "7", "redeem-service": "理发"})
    assert beyond.status_code == 400
    assert "只剩 6.0 积分可兑换，申请兑换 7.0 分。" in _text(beyond)
    assert worker.post(redeem, {"redeem-points": "2", "redeem-service": "理发"}).status_code == 302
    assert timebank.balance(chen) == Decimal("4.0")
    # 4.0 is under the threshold of 5: no more redemptions.
    under = worker.post(redeem, {"redeem-points": "1", "redeem-service": "理发"})
    assert under.status_code == 400
    assert "积分余额达到 5 分起才可兑换；当前余额为 4.0 分。" in _text(under)
    zero = worker.post(redeem, {"redeem-points": "0", "redeem-service": "理发"})
    assert zero.status_code == 400
    # Donation: 3 points from 陈 to 黄.
    ok = worker.post(donate, {"donate-recipient": huang.pk, "donate-points": "3"})
    assert ok.status_code == 302
    assert (timebank.balance(chen), timebank.balance(huang)) == (Decimal("1.0"), Decimal("3.0"))
    too_much = worker.post(donate, {"donate-recipient": huang.pk, "donate-points": "2"})
    assert too_much.status_code == 400
    assert "只剩 1.0 积分可捐赠，申请捐赠 2.0 分。" in _text(too_much)
    # The cap: 黄 serves 6 hours but is credited only up to 8 points (5.0).
    with at(20):
        serve(activity(d, "三", 8, 20), huang, 9, 15)
    assert timebank.balance(huang) == Decimal("8.0")
    full = worker.post(donate, {"donate-recipient": huang.pk, "donate-points": "1"})
    assert full.status_code == 400
    assert "义工黄 最多还能接受 0.0 分（上限为 8 分）。" in _text(full)
    # The ledger: the sum of the entries is the balance, never negative.
    for volunteer, points in [
        (chen, ["3.0", "3.0", "-2.0", "-3.0"]),
        (huang, ["3.0", "5.0"]),
    ]:
        entries = TimeBankEntry.objects.filter(volunteer=volunteer).order_by("pk")
        assert [str(e.points) for e in entries] == points
        assert timebank.ledger_sum(volunteer) == timebank.balance(volunteer)
    assert TimeBankEntry.objects.aggregate(m=Min("balance"))["m"] >= 0
    page = _text(worker.get(reverse("activities:time-bank", args=[chen.pk])))
    assert re.search(r'data-testid="balance">1\.0<', page)
    assert "理发" in page and "义工黄" in page
    # The volunteer's own page shows their balance, not the other volunteer.
    own = _text(Client().get(volunteer_link(chen)))
    assert re.search(r'data-testid="balance">1\.0<', own)
    assert "义工黄" not in own


def test_residents_sign_up_from_the_qr_link_and_the_list_becomes_attendance(d):
    resident = d.residents[0]
    Resident.objects.filter(pk=resident.pk).update(phone="13900000009")
    worker = _logged_in(d["worker"])
    with at(9):
        act = activity(d, "端午包粽子", 10, 12, capacity=2)
        detail = _text(worker.get(reverse("activities:detail", args=[act.pk])))
        # The sign-up QR code's link, as printed on the detail page.
        link = re.search(r"http://testserver(/v/join/[^<\s\"]+)", detail).group(1)
        assert link == join_path(act)
        visitor = Client()
        assert "剩余 2 个名额" in _text(visitor.get(link))
        for name, phone in [
            ("居民甲", "13900000009"),
            ("路人乙", "13800000002"),
            ("候补丙", "13800000003"),
        ]:
            assert visitor.post(link, {"name": name, "phone": phone}).status_code == 302
        full = _text(visitor.get(link))
        assert "名额已满：您可以报名候补。" in full
        # The public page shows no one's name.
        assert "居民甲" not in full and "路人乙" not in full
        waiting = ResidentSignup.objects.get(phone="13800000003")
        own = _text(visitor.get(signup_path(waiting)))
        assert "候补丙: 候补名单" in own and "前面还有 0 人" in own
        assert "居民甲" not in own
        assert dict(ResidentSignup.objects.values_list("name", "status")) == {
            "居民甲": "confirmed",
            "路人乙": "confirmed",
            "候补丙": "waiting",
        }
        listing = _text(worker.get(reverse("activities:list")))
        row = re.search(r"端午包粽子.*?</tr>", listing, re.S).group(0)
        assert re.findall(r'text-end">(\d+)<', row) == ["2", "2", "1"]
        sheet = _text(worker.get(reverse("activities:detail", args=[act.pk])))
        # The attendance sheet: a box for each confirmed sign-up, none for the waiting.
        assert sheet.count('name="present"') == 2
        assert ResidentSignup.objects.get(phone="13900000009").resident_id == resident.pk
    with at(12, 30):
        # Everyone ticked, the waiting one too: only the confirmed count.
        every = [str(pk) for pk in ResidentSignup.objects.values_list("pk", flat=True)]
        closed = worker.post(reverse("activities:close", args=[act.pk]), {"present": every})
        assert closed.status_code == 302
    act.refresh_from_db()
    event = act.event
    # 居民甲 is the station's resident (named), 路人乙 counted by head-count.
    assert (event.kind, event.person_times, event.headcount) == ("activity", 2, 1)
    assert list(event.attendances.values_list("resident_id", flat=True)) == [resident.pk]
    assert event.held_on == timezone.localdate()
    # Closed: a late sign-up is refused with a message, nothing saved.
    with at(11):
        late = visitor.post(link, {"name": "迟到丁", "phone": "13800000004"})
    assert late.status_code == 400
    assert "本活动报名已截止。" in _text(late)
    assert ResidentSignup.objects.count() == 3


def test_a_cancellation_gives_the_place_to_the_first_on_the_waiting_list(d):
    with at(9):
        act = activity(d, "讲座", 10, 12, capacity=1)
        link = join_path(act)
        client = Client()
        for n in range(1, 4):
            client.post(link, {"name": f"居民{n}", "phone": f"1380000000{n}"})
        first = ResidentSignup.objects.get(phone="13800000001")
        assert client.post(signup_path(first)).status_code == 302
    assert list(ResidentSignup.objects.order_by("pk").values_list("status", flat=True)) == [
        "cancelled",
        "confirmed",
        "waiting",
    ]


def test_a_volunteer_of_another_station_cannot_check_in_here(d):
    act = activity(d, "义诊", 9, 12)
    phone = _phone(d.volunteer_b)
    with at(9, 30):
        response = phone.post(checkin_path(act), {"action": "in"})
    assert response.status_code == 400
    assert "您不是本站在册的义工。" in _text(response)
    assert not VolunteerCheckin.objects.exists()
