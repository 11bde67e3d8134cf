"""A referral 转介 across two stations in real Chromium: a worker at station A
refers a consenting resident's case to station B; a worker at B finds it in the
referral inbox, accepts it, starts the service and completes it with an
outcome; A's case page then shows the outcome."""

import pytest
from django.utils import translation

from shegong.cases import services as case_services
from shegong.cases.models import Case
from shegong.core.roles import Role
from shegong.referrals import services as partner_services
from shegong.referrals.models import ReferralOutcome, ReferralStatus, ReferralTrack
from tests.browser import log_in, screenshot
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, register_resident

pytestmark = pytest.mark.browser


def _zh(choice) -> str:
    with translation.override("zh-hans"):
        return str(choice.label)


def test_a_referral_is_sent_accepted_served_and_completed_at_another_station(
    transactional_db, world, live_server, browser
):
    worker_b = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    partner = partner_services.partner_create(
        actor=world["district"],
        name="南石头街社工站",
        kind="station",
        domains=["family"],
        platform_station=world.station_b,
    )
    resident = register_resident(world, "刘洋", consented=30, sharing=True)
    case = open_case(world, resident, opened_on=days_ago(20))
    case_services.case_assess(
        actor=world["worker"],
        case=case,
        assessed_on=days_ago(15),
        needs="独居，需要康复辅具",
        risk_level="medium",
    )

    # Station A: the worker refers the case from its page.
    sender = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(sender, live_server.url, world["worker"].username)
    sender.goto(f"{live_server.url}/cases/{case.pk}/")
    sender.get_by_test_id("refer").click()
    sender.wait_for_url(f"{live_server.url}/referrals/cases/{case.pk}/send/")
    sender.select_option("#id_partner", str(partner.pk))
    sender.fill("#id_reason", "需要专业康复服务")
    sender.check("input[name=shared_parts][value=assessment]")
    sender.get_by_test_id("send-referral").click()
    sender.wait_for_url(f"{live_server.url}/referrals/*/")
    track = ReferralTrack.objects.get()
    assert sender.get_by_test_id("referral-status").inner_text() == _zh(ReferralStatus.SENT)

    # Station B: the inbox lists it; the page shows the shared part only.
    receiver = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(receiver, live_server.url, worker_b.username)
    receiver.goto(f"{live_server.url}/referrals/inbox/")
    inbox = receiver.get_by_test_id("referral-inbox")
    assert "沙园街社工站" in inbox.inner_text()
    inbox.locator(f"a[href='/referrals/{track.pk}/']").click()
    receiver.wait_for_url(f"{live_server.url}/referrals/{track.pk}/")
    shared = receiver.get_by_test_id("shared-text").inner_text()
    assert "刘洋" in shared and "独居，需要康复辅具" in shared
    for action, status in (
        ("accept", ReferralStatus.ACCEPTED),
        ("start", ReferralStatus.IN_SERVICE),
    ):
        receiver.get_by_test_id(f"act-{action}").click()
        receiver.wait_for_load_state()
        assert receiver.get_by_test_id("referral-status").inner_text() == _zh(status)
    receiver.select_option("#id_complete-outcome", ReferralOutcome.NEEDS_MET)
    receiver.fill("#id_complete-note", "辅具已配")
    receiver.get_by_test_id("act-complete").click()
    receiver.wait_for_load_state()
    assert receiver.get_by_test_id("referral-status").inner_text() == _zh(ReferralStatus.COMPLETED)
    screenshot(receiver, "referral-completed-at-b")

    # Station A: the case page shows the outcome; the case closed as referred.
    sender.goto(f"{live_server.url}/cases/{case.pk}/")
    assert sender.get_by_test_id("referral-outcome").inner_text() == _zh(ReferralOutcome.NEEDS_MET)
    assert sender.get_by_test_id("referral-track").inner_text() == _zh(ReferralStatus.COMPLETED)
    screenshot(sender, "referral-outcome-at-a")
    track.refresh_from_db()
    assert (track.status, track.outcome, track.outcome_note) == (
        "completed",
        "needs_met",
        "辅具已配",
    )
    assert Case.objects.get(pk=case.pk).status == "referred"
