"""A volunteer checks in and out at an activity on their phone (390×844, real
headless Chromium), without logging in: their own signed link opened first (the
phone remembers them), then the activity's check-in QR link, 签到 then 签退; and a
resident signs up from the sign-up QR link and lands on their own sign-up page."""

import datetime

import pytest
from django.utils import timezone

from shegong.community import activities
from shegong.community.models import ResidentSignup, VolunteerCheckin
from shegong.community.volunteer_public import checkin_path, join_path, volunteer_link
from tests.browser import screenshot
from tests.delivery_world import make_delivery

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_volunteer_checks_in_and_out_on_their_phone(
    transactional_db, world, live_server, browser
):
    d = make_delivery(world)
    volunteer = d.volunteers[0]
    now = timezone.now()
    act = activities.activity_create(
        actor=d["worker"],
        project=d.projects["key"],
        title="社区义诊",
        starts_at=now - datetime.timedelta(minutes=20),
        ends_at=now + datetime.timedelta(hours=2),
        capacity=1,
    )
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{volunteer_link(volunteer)}")
    assert "义工陈" in page.locator("h1").inner_text()
    page.goto(f"{live_server.url}{checkin_path(act)}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("check-in").click()
    assert "已签到" in page.get_by_test_id("message").inner_text()
    screenshot(page, "volunteer-checkin-phone")
    page.get_by_test_id("check-out").click()
    assert "已签退" in page.get_by_test_id("message").inner_text()
    checkin = VolunteerCheckin.objects.get(volunteer=volunteer)
    assert checkin.status == "done" and checkin.ended_at is not None

    # A resident on another phone: one place, then the waiting list.
    resident = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    for name, phone in [("张阿姨", "13800000001"), ("李伯", "13800000002")]:
        resident.goto(f"{live_server.url}{join_path(act)}")
        resident.fill("#id_name", name)
        resident.fill("#id_phone", phone)
        resident.get_by_role("button", name="报名").click()
        resident.wait_for_selector('[data-testid="status"]')
    assert "候补名单" in resident.get_by_test_id("status").inner_text()
    screenshot(resident, "resident-signup-phone-waiting")
    assert dict(ResidentSignup.objects.values_list("name", "status")) == {
        "张阿姨": "confirmed",
        "李伯": "waiting",
    }
    context.close()
