"""The city dashboard in real Chromium shows the same four-domain totals as the API."""

import pytest

from tests.browser import screenshot
from tests.conftest import PASSWORD
from tests.test_stats_rollups import mixed  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_city_dashboard_totals_match_the_api(transactional_db, mixed, live_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "city")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/stats/")
    page.wait_for_selector("#month-chart canvas")
    shown = {
        domain: int(page.get_by_test_id(f"domain-{domain}").inner_text().replace(",", ""))
        for domain in ("family", "elderly", "youth", "featured")
    }
    api = page.request.get(f"{live_server.url}/api/stats/person-times/").json()
    assert shown == api["by_domain"] == {"family": 47, "elderly": 22, "youth": 1, "featured": 25}
    assert int(page.get_by_test_id("total").inner_text().replace(",", "")) == 95
    screenshot(page, "city-dashboard")
