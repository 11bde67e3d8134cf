"""Real Chromium enforces the Content-Security-Policy: the pages work and raise no
CSP violation (no inline script or style slipped in)."""

import pytest

from tests.browser import log_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/org/", "/stats/", "/plans/", "/audit/", "/accounts/two-factor/", "/api/docs/"]


def test_pages_raise_no_csp_violations(transactional_db, world, live_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, live_server.url, "city")
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    page.wait_for_selector(".swagger-ui .information-container")
    assert violations == []
