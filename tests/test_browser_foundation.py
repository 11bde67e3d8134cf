"""A station director logs in through real Chromium and opens their station."""

import pytest

from tests.browser import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_director_logs_in_and_opens_station_page(transactional_db, world, live_server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone screen
    page.goto(f"{live_server.url}/org/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "登录社工平台"

    page.fill("#id_username", world["director"].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/org/")
    screenshot(page, "director-directory")

    page.get_by_role("link", name=world.station_a.name).click()
    page.wait_for_url(f"{live_server.url}/org/stations/{world.station_a.pk}/")
    assert page.get_by_test_id("station-name").inner_text() == "沙园街社工站"
    assert "海珠区" in page.content()
    screenshot(page, "director-station")


def test_outsider_station_page_is_not_found(transactional_db, world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server.url, world["director"].username)
    response = page.goto(f"{live_server.url}/org/stations/{world.station_c.pk}/")
    assert response.status == 404
    assert "北京街社工站" not in page.content()
