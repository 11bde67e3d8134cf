"""A social worker's day in real Chromium: register a resident, open a case,
assess, plan, record an intervention and close the case."""

import datetime

import pytest
from django.utils import timezone, translation

from shegong.cases.models import Case, CaseStatus
from shegong.clients.identity import id_check_char
from shegong.clients.models import Resident
from tests.browser import log_in, screenshot

pytestmark = pytest.mark.browser


def _label(status: CaseStatus) -> str:
    with translation.override("zh-hans"):
        return str(status.label)


def test_worker_registers_resident_and_walks_a_case_to_closure(
    transactional_db, world, live_server, browser
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, world["worker"].username)

    first17 = "44010519500315123"
    page.goto(f"{live_server.url}/residents/new/")
    page.fill("#id_name", "李秀英")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "1950-03-15")
    page.fill("#id_id_number", first17 + id_check_char(first17))
    page.fill("#id_phone", "13812345678")
    page.fill("#id_address", "沙园街12号301房")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(f"{live_server.url}/residents/*/")
    assert page.get_by_test_id("resident-name").inner_text() == "李秀英"
    assert "4401**********" in page.content()
    screenshot(page, "worker-resident")

    page.get_by_role("link", name="开案").click()
    page.select_option("#id_domain", "elderly")
    page.select_option("#id_source", "meal_programme")
    page.get_by_role("button", name="开案（接案）").click()
    page.wait_for_url(f"{live_server.url}/cases/*/")
    assert page.get_by_test_id("case-status").inner_text() == _label(CaseStatus.INTAKE)

    page.fill("#id_assess-needs", "独居，近期食欲下降，需要情绪支持。")
    page.select_option("#id_assess-risk_level", "medium")
    page.locator("details[data-step=assess] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == _label(CaseStatus.ASSESSED)

    review_on = timezone.localdate() + datetime.timedelta(days=60)
    page.fill("#id_plan-goals", "一、稳定饮食；二、每周探访；三、链接邻里互助。")
    page.fill("#id_plan-review_due_on", review_on.isoformat())
    page.locator("details[data-step=plan] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == _label(CaseStatus.PLANNED)

    page.select_option("#id_note-method", "home_visit")
    page.select_option("#id_note-service_type", "supportive")
    page.fill("#id_note-text", "上门探访，案主精神好转，已安排党员义工每周探访。")
    page.locator("details[data-step=note] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == _label(CaseStatus.IN_SERVICE)
    screenshot(page, "worker-case-in-service")

    page.locator("details[data-step=close] summary").click()
    page.select_option("#id_close-outcome", "goals_met")
    page.locator("details[data-step=close] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == _label(CaseStatus.CLOSED)

    resident = Resident.objects.get(name="李秀英")
    case = Case.objects.get(client=resident)
    assert (case.status, case.outcome, case.notes.count()) == ("closed", "goals_met", 1)
    assert list(case.workers.all()) == [world["worker"]]
