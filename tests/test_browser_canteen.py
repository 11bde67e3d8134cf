"""A social worker takes a canteen's roll call in real Chromium: 120 enrolled
elders on one screen, everyone marked present with one click, three marked
absent and one marked for delivery, saved at once; the page shows the day's
totals and the database holds exactly the meals served."""

import datetime

import pytest
from django.utils import timezone

from shegong.community.models import MealEnrolment, MealRecord
from tests.browser import log_in, screenshot
from tests.delivery_world import _resident

pytestmark = pytest.mark.browser


def test_worker_takes_the_roll_call_of_a_canteen_of_120_elders(
    transactional_db, world, live_server, browser
):
    worker = world["worker"]
    today = timezone.localdate()
    elders = [_resident(worker, world.station_a, f"长者{n:03d}", 1935 + n % 20) for n in range(120)]
    MealEnrolment.objects.bulk_create(
        MealEnrolment(
            station=world.station_a, resident=e, started_on=today - datetime.timedelta(days=30)
        )
        for e in elders
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, worker.username)

    page.goto(f"{live_server.url}/community/meals/roll-call/?date={today.isoformat()}")
    roll = page.get_by_test_id("roll-call")
    assert roll.locator("tbody tr").count() == 120
    page.get_by_test_id("all-present").click()
    assert page.locator('[data-count="dine_in"]').inner_text() == "120"

    absent = elders[3], elders[57], elders[119]
    for elder in absent:
        page.click(f'label[for="kind-{elder.pk}-absent"]')
    page.click(f'label[for="kind-{elders[10].pk}-delivery"]')
    assert page.locator('[data-count="dine_in"]').inner_text() == "116"
    assert page.locator('[data-count="absent"]').inner_text() == "3"
    screenshot(page, "worker-canteen-roll-call-form")

    page.get_by_test_id("save-roll-call").click()
    page.wait_for_url(f"{live_server.url}/community/meals/roll-call/?date={today.isoformat()}")
    assert page.get_by_test_id("total-dine_in").inner_text() == "116"
    assert page.get_by_test_id("total-delivery").inner_text() == "1"
    assert page.get_by_test_id("total-absent").inner_text() == "3"
    assert page.get_by_test_id("total-enrolled").inner_text() == "120"
    screenshot(page, "worker-canteen-roll-call")

    records = MealRecord.objects.filter(station=world.station_a, served_on=today)
    assert records.filter(kind="dine_in").count() == 116
    assert list(records.filter(kind="delivery").values_list("resident__name", flat=True)) == [
        "长者010"
    ]
    assert not records.filter(resident__in=absent).exists()
