"""Withdrawal of consent (PIPL art. 15) and the guardian's consent of a child who
turns 14 (art. 31): from the day of withdrawal nothing is shared (a referral is
refused) and the record is kept on the statutory basis only; a child now 14 or
older with only a guardian's consent is flagged on the page and the director's
home until their own consent is taken."""

from __future__ import annotations

import datetime

from shegong.cases import services as case_services
from shegong.clients import services as client_services
from shegong.clients.models import Consent
from tests.helpers import days_ago, open_case, refusal, register_resident, today


def _case_planned(world, resident):
    case = open_case(world, resident, domain="elderly")
    case_services.case_assess(
        actor=world["worker"], case=case, assessed_on=today(), needs="独居", risk_level="low"
    )
    case.refresh_from_db()
    return case


def test_a_withdrawn_consent_stops_sharing_and_leaves_the_statutory_basis(world, login):
    resident = register_resident(world, "陈秀英", consented=30, sharing=True)
    consent = resident.consents.get()
    case = _case_planned(world, resident)
    client = login(world["worker"])
    page = client.post(
        f"/residents/{resident.pk}/consents/{consent.pk}/withdraw/",
        {"withdraw-withdrawn_on": today().isoformat()},
    )
    assert page.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == today()
    html = client.get(f"/residents/{resident.pk}/").content.decode()
    assert 'data-testid="consent-statutory-only"' in html
    assert "同意已撤回：仅依法定职责保留记录，不再共享。" in html
    # From that day on, nothing is shared: a referral is refused.
    assert not client_services.has_sharing_consent(resident, today())
    assert client_services.has_sharing_consent(resident, days_ago(1))
    messages = refusal(
        case_services.case_refer,
        actor=world["worker"],
        case=case,
        referred_on=today(),
        reason="需要专业支持",
        to_organisation="区残联",
    )
    assert len(messages) == 1 and "consent" in messages[0].lower()


def test_withdrawal_refusals(world):
    resident = register_resident(world, "陈秀英", consented=30)
    consent = resident.consents.get()
    withdraw = client_services.consent_withdraw
    assert refusal(
        withdraw,
        actor=world["worker"],
        consent=consent,
        withdrawn_on=today() + datetime.timedelta(1),
    ) == ["The date cannot be in the future."]
    assert refusal(withdraw, actor=world["worker"], consent=consent, withdrawn_on=days_ago(31)) == [
        "A consent cannot be withdrawn before it was given."
    ]
    withdraw(actor=world["worker"], consent=consent, withdrawn_on=today())
    assert refusal(withdraw, actor=world["worker"], consent=consent, withdrawn_on=today()) == [
        "This consent was withdrawn already."
    ]
    statutory = client_services.consent_record(
        actor=world["worker"], resident=resident, recorded_on=today(), lawful_basis="statutory_duty"
    )
    assert refusal(withdraw, actor=world["worker"], consent=statutory, withdrawn_on=today()) == [
        "Only a consent can be withdrawn; a statutory basis does not rest on it."
    ]
    assert Consent.objects.filter(resident=resident, withdrawn_on__isnull=False).count() == 1


def _child(world, name, born):
    child = register_resident(world, name, born=born, consented=None)
    client_services.consent_record(
        actor=world["worker"],
        resident=child,
        recorded_on=datetime.date(2020, 9, 1),
        given_by="guardian",
        guardian_name="李红",
        guardian_relation="母亲",
    )
    return child


def test_a_child_now_14_with_a_guardians_consent_is_flagged_until_their_own(world, login):
    fourteen = _child(world, "李小明", today().replace(year=today().year - 14))
    thirteen = _child(
        world, "李小红", today().replace(year=today().year - 14) + datetime.timedelta(1)
    )
    home = login(world["director"]).get("/").content.decode()
    assert home.count('data-testid="inbox-consent-renew"') == 1
    assert "待更新同意书（已满14岁）: 李小明" in home
    page = login(world["worker"]).get(f"/residents/{fourteen.pk}/").content.decode()
    assert 'data-testid="consent-renew"' in page
    page = login(world["worker"]).get(f"/residents/{thirteen.pk}/").content.decode()
    assert 'data-testid="consent-renew"' not in page
    # The young person's own consent ends the flag.
    client_services.consent_record(actor=world["worker"], resident=fourteen, recorded_on=today())
    home = login(world["director"]).get("/").content.decode()
    assert 'data-testid="inbox-consent-renew"' not in home


def test_after_a_withdrawal_the_receiving_station_no_longer_reads_the_shared_part(
    world, login, client
):
    from shegong.core.roles import Role
    from tests.conftest import make_user
    from tests.test_referral_workflow import _case, _partners, send

    world.people["worker_b"] = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    case = _case(world)
    track = send(world, case, _partners(world)["station_b"])
    login(world["worker_b"])
    page = client.get(f"/referrals/{track.pk}/").content.decode()
    assert 'data-testid="shared-text"' in page and "独居，需要康复辅具" in page and "刘洋" in page

    consent = case.client.consents.get()
    login(world["worker"]).post(
        f"/residents/{case.client.pk}/consents/{consent.pk}/withdraw/",
        {"withdraw-withdrawn_on": today().isoformat()},
    )
    # The receiving station: that consent was withdrawn, not what was shared.
    login(world["worker_b"])
    page = client.get(f"/referrals/{track.pk}/").content.decode()
    notice = (
        f"居民已于 {today():%Y-%m-%d} 撤回同意：转介机构共享的内容不再显示。"
        "是否继续服务，请与转介机构联系。"
    )
    assert notice in page
    assert 'data-testid="shared-text"' not in page
    assert "独居，需要康复辅具" not in page and "刘洋" not in page
    # Nor on the page an action re-renders (a decline without its reason: 400).
    page = client.post(f"/referrals/{track.pk}/decline/", {"decline-reason": ""})
    assert page.status_code == 400
    assert notice in page.content.decode() and "刘洋" not in page.content.decode()
    # The sender keeps its own case, the shared copy included, and sees the withdrawal.
    login(world["worker"])
    page = client.get(f"/referrals/{track.pk}/").content.decode()
    assert "独居，需要康复辅具" in page and 'data-testid="shared-consent-withdrawn"' not in page
    assert f"于 {today():%Y-%m-%d} 撤回" in page
    assert "独居，需要康复辅具" in client.get(f"/cases/{case.pk}/").content.decode()
