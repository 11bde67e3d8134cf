"""In real Chromium: a district officer imports this month's roster; a social
worker opens the outreach list, records a home visit to a never-reached person
from it, and the station's coverage figure (visited as the rule asks, never
reached) moves by one."""

import re

import pytest

from shegong.plans import services as plan_services
from tests.browser import log_in, screenshot
from tests.helpers import today
from tests.roster_helpers import communities, csv_file, row

pytestmark = pytest.mark.browser


def test_import_outreach_visit_and_coverage(
    transactional_db, world, live_server, browser, tmp_path
):
    communities(world)
    plan = plan_services.plan_create(
        actor=world["director"], station=world.station_a, year=today().year
    )
    project = plan_services.project_add(
        actor=world["director"], plan=plan, kind="basic", domain="elderly", name="长者服务"
    )
    path = tmp_path / "haizhu-roster.csv"
    path.write_bytes(
        csv_file([row(n, list_date=today().isoformat()) for n in (1, 2, 3)]).getvalue()
    )

    officer = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(officer, live_server.url, "district")
    officer.goto(f"{live_server.url}/rosters/import/")
    officer.fill("#id_source", "海珠区民政局")
    officer.set_input_files("#id_file", str(path))
    officer.get_by_role("button", name="检查并导入").click()
    # The import runs as a job; its page shows the result once it is done.
    officer.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    summary = officer.get_by_test_id("roster-summary").inner_text()
    assert "新增 3" in summary
    screenshot(officer, "district-roster-import")

    worker = browser.new_context().new_page()
    log_in(worker, live_server.url, "worker")
    station = world.station_a.pk

    def figure(name: str) -> int:
        worker.goto(f"{live_server.url}/rosters/coverage/?level=station")
        return int(worker.get_by_test_id(f"{name}-{station}-all").inner_text())

    assert (figure("on_roster"), figure("never_reached")) == (3, 3)
    visited = figure("visited")
    worker.goto(f"{live_server.url}/rosters/outreach/")
    rows = worker.get_by_test_id("outreach-list").locator("tbody tr")
    assert rows.count() == 3
    worker.get_by_role("link", name="登记入户探访").first.click()
    worker.select_option("#id_project", str(project.pk))
    worker.get_by_role("button", name="保存").click()
    worker.wait_for_url(f"{live_server.url}/rosters/outreach/")
    assert worker.locator('tr[data-status="never_reached"]').count() == 2
    screenshot(worker, "worker-outreach-list")
    assert figure("visited") == visited + 1
    assert figure("never_reached") == 2
