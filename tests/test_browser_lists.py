"""The case list and the resident list in real Chromium, on a desktop and on a
phone: the pinyin search finds 张三, the case list shows client, risk and the
overdue review."""

import datetime

import pytest

from tests.browser import log_in, screenshot
from tests.test_case_list import _cases

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_lists_in_the_browser(transactional_db, world, live_server, browser, width, height):
    cases = _cases(world)
    page = browser.new_page(viewport={"width": width, "height": height})
    log_in(page, live_server.url, world["worker"].username)
    page.goto(f"{live_server.url}/residents/")
    page.fill("#q", "zs")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/residents/?q=zs*")
    names = page.locator("tbody tr td:first-child a").all_inner_texts()
    assert names == ["张三"]
    screenshot(page, f"resident-list-{width}")
    page.goto(f"{live_server.url}/cases/?show=all")
    row = page.locator(f"tr:has(a[href='/cases/{cases['张三'].pk}/'])")
    assert "张三" in row.inner_text() and "高" in row.inner_text()
    overdue = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    assert row.locator("[data-overdue]").inner_text() == overdue
    screenshot(page, f"case-list-{width}")
