"""The calendar in real Chromium: a worker's week on a 1366×900 screen (seven
columns) and on a 390×844 phone (a list of the days that have entries), and the
booking of an appointment through the form."""

import datetime

import pytest
from django.utils import timezone

from shegong.agenda import services
from shegong.agenda.models import Appointment
from tests.browser import log_in, screenshot
from tests.helpers import day, register_resident

pytestmark = pytest.mark.browser


def at(offset_days: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset_days), datetime.time(hour)))


def _week(world):
    chen = register_resident(world, "陈秀英")
    li = register_resident(world, "李玉兰")
    for client, start, kind in ((chen, at(1, 9), "meeting"), (li, at(1, 14), "home_visit")):
        services.appointment_book(
            actor=world["worker"],
            client=client,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            kind=kind,
            purpose="跟进",
        )
    return chen, li


def test_the_week_on_a_big_screen_and_on_a_phone(transactional_db, world, live_server, browser):
    _week(world)
    url = f"{live_server.url}/agenda/stations/{world.station_a.pk}/?view=week&date={day(1)}"

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server.url, world["worker"].username)
    page.goto(url)
    assert page.get_by_test_id("week-grid").is_visible()
    assert not page.get_by_test_id("day-list").is_visible()
    assert page.get_by_test_id("week-grid").get_by_test_id("entry").count() == 2
    screenshot(page, "worker-calendar-week-1366")

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server.url, world["worker"].username)
    phone.goto(url)
    assert not phone.get_by_test_id("week-grid").is_visible()
    days = phone.get_by_test_id("day-list")
    assert days.is_visible()
    assert days.get_by_test_id("entry").all_inner_texts()[0].startswith("09:00–10:00 陈秀英 · 跟进")
    screenshot(phone, "worker-calendar-week-390")

    page.goto(url.replace("view=week", "view=month"))
    grid = page.get_by_test_id("month-grid")
    assert grid.is_visible()
    assert grid.locator("tbody tr").count() in (4, 5, 6)
    assert "14:00 李玉兰 · 跟进" in grid.inner_text()
    screenshot(page, "worker-calendar-month-1366")


def test_booking_through_the_form(transactional_db, world, live_server, browser):
    chen, _li = _week(world)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, live_server.url, world["worker"].username)
    page.goto(f"{live_server.url}/agenda/stations/{world.station_a.pk}/book/")
    page.select_option("#id_client", str(chen.pk))
    page.fill("#id_starts_at", f"{day(1)}T09:30")
    page.fill("#id_ends_at", f"{day(1)}T10:00")
    page.fill("#id_purpose", "计划回顾")
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("overlap").is_visible()
    screenshot(page, "worker-calendar-overlap-390")
    page.check("#id_confirm_overlap")
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("status").inner_text() == "已预约"
    assert Appointment.objects.filter(purpose="计划回顾").count() == 1
