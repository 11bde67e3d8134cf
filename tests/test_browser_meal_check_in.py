"""An elder checks in for lunch at the canteen's phone (390×844, real headless
Chromium). The phone's camera is Chromium's fake camera filming the elder's
meal card as the card page draws it; the worker taps "scan", the page reads the
QR code from the camera and checks the elder in, and the meal carries DESIGN.md's
worked example (¥12: elder ¥1, city ¥3, district ¥8). The same card a second
time is refused with a message, and nothing is added."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from shegong.community.meal_models import MealCheckIn
from shegong.community.models import MealRecord
from tests.browser import chromium, fake_camera_args, log_in, screenshot
from tests.meal_world import make_canteen

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _on_the_table(card_png: bytes) -> Image.Image:
    """What the camera sees: the card's QR code on a white table."""
    qr = Image.open(io.BytesIO(card_png)).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    return frame


def test_an_elder_checks_in_by_qr_code_on_the_canteens_phone(
    transactional_db, world, live_server, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    canteen = make_canteen(world)
    elder = canteen.enrolments["hardship"]
    clip = tmp_path / "camera.y4m"
    # Until the card is filmed the camera sees an empty table.
    camera = fake_camera_args(Image.new("L", (640, 480), 255), clip)
    with chromium(camera) as browser:
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
        )
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        log_in(page, live_server.url, world["worker"].username)

        page.goto(f"{live_server.url}/canteen/cards/{elder.pk}/")
        fake_camera_args(_on_the_table(page.get_by_test_id("meal-card-qr").screenshot()), clip)

        page.goto(f"{live_server.url}/canteen/check-in/")
        # The page fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.select_option('select[name="meal"]', "lunch")
        page.get_by_test_id("scan-start").click()
        checked_in = page.get_by_test_id("check-ins")
        checked_in.get_by_text("张桂英").wait_for(timeout=15_000)
        assert "¥1.00 / ¥12.00" in checked_in.inner_text()
        screenshot(page, "canteen-phone-check-in-by-qr")

        # The same card again, typed: refused, nothing added.
        page.select_option('select[name="meal"]', "lunch")
        page.fill('input[name="code"]', canteen.codes["hardship"])
        page.get_by_test_id("check-in-submit").click()
        assert "该长者本餐已签到。" in page.get_by_test_id("check-in-error").first.inner_text()
        context.close()

    meal = MealCheckIn.objects.get()
    assert (meal.resident.name, meal.meal, meal.kind) == ("张桂英", "lunch", "dine_in")
    assert (meal.price_fen, meal.elder_fen, meal.city_fen, meal.district_fen) == (
        1200,
        100,
        300,
        800,
    )
    today = timezone.localdate()
    assert MealRecord.objects.filter(resident__name="张桂英", served_on=today).count() == 1
