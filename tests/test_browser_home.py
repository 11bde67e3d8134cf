"""Each role's home in real Chromium, on a desktop (1366×900) and a phone
(390×844): the role's work-queue blocks are shown with their items, nothing
overflows the page sideways, and the CSP is kept (no inline style slipped in).
Screenshots go to test-artifacts/home-<role>-<width>.png."""

import pytest

from shegong.core.roles import Role
from tests.browser import log_in, screenshot
from tests.conftest import make_user
from tests.home_world import make_homes

pytestmark = pytest.mark.browser

VIEWPORTS = [(1366, 900), (390, 844)]
# Per role: (block, a text it shows).
EXPECTED = {
    "worker": [
        ("my-week", "邻里互助茶话会"),
        ("groups-to-run", "记录第 2 节"),
        ("my-alerts", "居民01"),
        ("my-reviews", "居民02"),
        ("roll-call-due", "今天长者饭堂尚未点名"),
        ("quick-actions", "登记居民"),
    ],
    "director": [
        ("station-inbox", "分派个案"),
        ("plan-progress", "邻里互助"),
        ("caseloads", "Worker"),
        ("overdue-rectifications", "消防通道"),
    ],
    "district": [
        ("approvals", "沙园街社工站"),
        ("behind-target", "南石头街社工站"),
        ("rounds", "2026 final evaluation"),
        ("satisfaction", "满意度"),
    ],
    "city": [
        ("approvals", "沙园街社工站"),
        ("behind-target", "南石头街社工站"),
        ("rounds", "已提交 0/1 份评估表"),
    ],
    "agency": [
        ("station-progress", "沙园街社工站"),
        ("contracts-ending", "GZ-2024-A-OLD"),
    ],
    "evaluator": [("sheets-to-score", "沙园街社工站")],
    # The street office of 沙园街 (the buyer): no points round is open here.
    "buyer": [
        ("sheets-to-score", "没有待评分的评估表"),
        ("station-progress", "沙园街社工站"),
        ("contracts-ending", "GZ-2024-A-OLD"),
    ],
}


def test_each_role_home_in_chromium(transactional_db, world, live_server, browser):
    make_homes(world)
    make_user("buyer", Role.STREET_OFFICE, street=world.street_a)
    for person, blocks in EXPECTED.items():
        for width, height in VIEWPORTS:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            violations = []
            page.on(
                "console",
                lambda m, v=violations: (
                    v.append(m.text) if "Content Security Policy" in m.text else None
                ),
            )
            log_in(page, live_server.url, person)
            page.wait_for_load_state("networkidle")
            for testid, shown in blocks:
                block = page.get_by_test_id(testid)
                assert block.is_visible(), (person, width, testid)
                assert shown in block.inner_text(), (person, width, testid)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (person, width, overflow)
            assert violations == [], (person, width, violations)
            screenshot(page, f"home-{person}-{width}")
            context.close()
