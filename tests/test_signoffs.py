"""Supervisor sign-off 督导审批: where the station asks for it, a worker's assessment
of a high-risk case, service plan and closure wait for the director, in the
director's home queue and the case history; approved, or returned with a comment;
refused to anyone without the right (403 for a reader, 404 for an outsider)."""

from __future__ import annotations

import pytest

from shegong.cases import services as case_services
from shegong.cases import signoffs
from shegong.cases.models import Case, CaseEvent, Signoff, SignoffSetting
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, refusal, register_resident, today


def _setting(world, **steps) -> SignoffSetting:
    chosen = {"high_risk_assessment": False, "service_plan": False, "closure": False, **steps}
    return signoffs.signoff_setting_set(actor=world["director"], station=world.station_a, **chosen)


@pytest.fixture
def case(world) -> Case:
    resident = register_resident(world, "何伯", consented=10)
    return open_case(world, resident, domain="elderly", opened_on=days_ago(5))


def _assess(world, case, risk="high", actor=None):
    return case_services.case_assess(
        actor=actor or world["worker"],
        case=case,
        assessed_on=today(),
        needs="独居，跌倒风险。",
        risk_level=risk,
    )


def _plan(world, case, actor=None):
    return case_services.case_plan(
        actor=actor or world["worker"],
        case=case,
        planned_on=today(),
        goals="每周探访两次。",
        review_due_on=today(),
    )


def _history(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("action", flat=True))


def test_without_the_setting_nothing_waits(world, case):
    _assess(world, case, "crisis")
    _plan(world, case)
    assert Signoff.objects.count() == 0
    assert _history(case) == ["opened", "assessed", "planned"]


def test_a_high_risk_assessment_waits_in_the_directors_queue_and_the_history(world, case, login):
    _setting(world, high_risk_assessment=True)
    _assess(world, case, "low")
    assert Signoff.objects.count() == 0
    assessment = _assess(world, case, "high")
    signoff = Signoff.objects.get()
    assert (signoff.step, signoff.status, signoff.assessment, signoff.author) == (
        "assessment",
        "pending",
        assessment,
        world["worker"],
    )
    assert _history(case) == ["opened", "assessed", "assessed", "signoff_requested"]
    home = login(world["director"]).get("/").content.decode()
    assert 'data-testid="inbox-signoff"' in home
    assert f"签批个案 {case.number}" in home
    queue = login(world["director"]).get("/cases/signoffs/").content.decode()
    assert case.number in queue and "高风险个案的预估" in queue
    page = login(world["worker"]).get(f"/cases/{case.pk}/").content.decode()
    assert "等待签批" in page
    # A plan waits for the assessment's sign-off; a second assessment too.
    assert refusal(_plan, world=world, case=case) == [
        "The assessment waits for the director's sign-off before a plan is made."
    ]
    assert refusal(_assess, world=world, case=case) == [
        "The last assessment waits for the director's sign-off; "
        "it is decided before another one is recorded."
    ]


def test_the_director_signs_off_on_the_page_and_the_plan_follows(world, case, login):
    _setting(world, high_risk_assessment=True)
    _assess(world, case, "crisis")
    signoff = Signoff.objects.get()
    response = login(world["director"]).post(
        f"/cases/signoffs/{signoff.pk}/approve/", {"comment": "", "version": signoff.version}
    )
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    signoff.refresh_from_db()
    assert (signoff.status, signoff.decided_by) == ("approved", world["director"])
    assert _history(case)[-1] == "signoff_approved"
    _plan(world, case)
    assert Case.objects.get(pk=case.pk).status == "planned"
    # Decided once: a second decision is refused.
    again = login(world["director"]).post(f"/cases/signoffs/{signoff.pk}/approve/", {})
    assert again.status_code == 400
    assert "该步骤已经审批过。" in again.content.decode()


def test_a_return_needs_a_comment_and_sends_the_worker_back(world, case, login):
    _setting(world, high_risk_assessment=True)
    _assess(world, case)
    signoff = Signoff.objects.get()
    events = _history(case)
    response = login(world["director"]).post(f"/cases/signoffs/{signoff.pk}/return/", {})
    assert response.status_code == 400
    assert "请说明退回的理由。" in response.content.decode()
    signoff.refresh_from_db()
    assert signoff.status == "pending" and _history(case) == events
    response = login(world["director"]).post(
        f"/cases/signoffs/{signoff.pk}/return/", {"comment": "请补充家属支持情况。"}
    )
    assert response.status_code == 302
    signoff.refresh_from_db()
    assert (signoff.status, signoff.comment) == ("returned", "请补充家属支持情况。")
    assert _history(case)[-1] == "signoff_returned"
    page = login(world["worker"]).get(f"/cases/{case.pk}/").content.decode()
    assert "请补充家属支持情况。" in page and "已退回" in page
    assert refusal(_plan, world=world, case=case) == [
        "The director returned the assessment: assess the case again before a plan."
    ]
    # Assessed again: a new sign-off waits.
    _assess(world, case)
    assert list(Signoff.objects.order_by("pk").values_list("status", flat=True)) == [
        "returned",
        "pending",
    ]


@pytest.mark.parametrize(
    ("person", "expected"),
    [("worker", 403), ("director_b", 404), ("admin", 404), ("city", 404), ("worker_c", 404)],
)
def test_an_approval_without_the_right_is_refused(world, case, login, api, person, expected):
    _setting(world, high_risk_assessment=True)
    _assess(world, case)
    signoff = Signoff.objects.get()
    events = _history(case)
    page = login(world[person]).post(f"/cases/signoffs/{signoff.pk}/approve/", {"comment": "好"})
    assert page.status_code == expected
    answer = api(world[person]).post(f"/api/signoffs/{signoff.pk}/approve/", {}, format="json")
    assert answer.status_code == expected
    signoff.refresh_from_db()
    assert signoff.status == "pending" and _history(case) == events


def test_an_unassigned_worker_of_the_station_sees_no_signoff(world, case, login):
    _setting(world, high_risk_assessment=True)
    _assess(world, case)
    other = make_user("worker2", "social_worker", station=world.station_a)
    signoff = Signoff.objects.get()
    assert login(other).post(f"/cases/signoffs/{signoff.pk}/approve/").status_code == 404
    assert case.number not in login(other).get("/cases/signoffs/").content.decode()


def _advance_to_service(world, case):
    _assess(world, case, "medium")
    _plan(world, case)
    case_services.case_note_add(
        actor=world["worker"],
        case=case,
        happened_on=today(),
        service_type="supportive",
        method="home_visit",
        text="上门探访。",
    )


def _close(world, case, actor=None):
    return case_services.case_close(
        actor=actor or world["worker"],
        case=case,
        closed_on=today(),
        outcome="goals_met",
        summary="目标达成。",
    )


def test_a_closure_waits_and_closes_the_case_once_signed_off(world, case, api):
    _setting(world, closure=True)
    _advance_to_service(world, case)
    _close(world, case)
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == ("in_service", None, "")
    assert refusal(_close, world=world, case=case) == [
        "The closure of this case already waits for sign-off."
    ]
    pending = api(world["director"]).get("/api/signoffs/", {"status": "pending"}).json()
    assert [(row["case_number"], row["step"]) for row in pending["results"]] == [
        (case.number, "closure")
    ]
    signoff_id = pending["results"][0]["id"]
    answer = api(world["director"]).post(f"/api/signoffs/{signoff_id}/approve/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == ("closed", today(), "goals_met")
    closed = CaseEvent.objects.get(case=case, action="closed")
    assert closed.detail == {"outcome": "goals_met", "summary": "目标达成。", "signoff": signoff_id}
    assert _history(case)[-3:] == ["signoff_requested", "signoff_approved", "closed"]


def test_the_directors_own_closure_needs_no_signoff(world, case):
    _setting(world, closure=True, service_plan=True)
    _advance_to_service(world, case)
    _close(world, case, actor=world["director"])
    assert Case.objects.get(pk=case.pk).status == "closed"
    # The worker's plan waited (service_plan), the director's closure did not.
    assert list(Signoff.objects.values_list("step", flat=True)) == ["plan"]


def test_a_return_through_the_api_without_a_comment_is_refused(world, case, api):
    _setting(world, service_plan=True)
    _assess(world, case, "low")
    plan = _plan(world, case)
    signoff = Signoff.objects.get()
    assert signoff.plan == plan
    client = api(world["director"])
    answer = client.post(f"/api/signoffs/{signoff.pk}/return/", {"comment": " "}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"comment": ["请说明退回的理由。"]}
    signoff.refresh_from_db()
    assert signoff.status == "pending"
    answer = client.post(
        f"/api/signoffs/{signoff.pk}/return/", {"comment": "目标需要可量化。"}, format="json"
    )
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["comment"]) == ("returned", "目标需要可量化。")


def test_the_director_sets_the_steps_on_the_settings_page(world, login, api):
    response = login(world["director"]).post(
        "/cases/signoffs/settings/", {"closure": "on", "high_risk_assessment": "on"}
    )
    assert response.status_code == 302
    setting = SignoffSetting.objects.get(station=world.station_a)
    assert (setting.high_risk_assessment, setting.service_plan, setting.closure) == (
        True,
        False,
        True,
    )
    assert login(world["worker"]).get("/cases/signoffs/settings/").status_code == 403
    assert login(world["worker"]).post("/cases/signoffs/settings/", {}).status_code == 403
    answer = api(world["director"]).post(
        "/api/signoff-settings/mine/",
        {"high_risk_assessment": False, "service_plan": True, "closure": False},
        format="json",
    )
    assert answer.status_code == 200
    setting.refresh_from_db()
    assert (setting.high_risk_assessment, setting.service_plan, setting.closure) == (
        False,
        True,
        False,
    )
    # A step left out keeps its choice: an empty body changes nothing.
    kept = api(world["director"]).post("/api/signoff-settings/mine/", {}, format="json")
    assert kept.status_code == 200
    assert (kept.json()["high_risk_assessment"], kept.json()["service_plan"]) == (False, True)
    worker = api(world["worker"]).post("/api/signoff-settings/mine/", {}, format="json")
    assert worker.status_code == 403
