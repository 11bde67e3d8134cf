"""The referral workflow 转介 (issue 16, point 2): every transition through its
service and its page, who sees what (the receiving station the shared part only,
a third station and officials nothing but counts), bad input, the follow-up
alert and the counts recounted from the raw records."""

from __future__ import annotations

import re

import pytest
from django.http import Http404

from shegong.cases import services as case_services
from shegong.cases.alerts import run_all
from shegong.cases.models import Alert, Case, CaseEvent, Referral
from shegong.clients import services as client_services
from shegong.core.roles import Role
from shegong.referrals import services as partner_services
from shegong.referrals import workflow
from shegong.referrals.models import ReferralTrack
from shegong.referrals.stats import referral_counts
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, refusal, refusal_by_field, register_resident


def _partners(world):
    district = world["district"]

    def create(name, kind, domains, **more):
        return partner_services.partner_create(
            actor=district, name=name, kind=kind, domains=domains, **more
        )

    return {
        "station_b": create(
            "南石头街社工站", "station", ["family"], platform_station=world.station_b
        ),
        "station_a": create(
            "沙园街社工站", "station", ["family"], platform_station=world.station_a
        ),
        "hospital": create("海珠区人民医院", "hospital", ["family", "elderly"]),
        "elderly_only": create("长者服务中心", "charity", ["elderly"]),
    }


def _case(world, name="刘洋", sharing=True, domain="family"):
    resident = register_resident(world, name, consented=30, sharing=sharing)
    case = open_case(world, resident, domain=domain, opened_on=days_ago(20))
    case_services.case_assess(
        actor=world["worker"],
        case=case,
        assessed_on=days_ago(15),
        needs="独居，需要康复辅具",
        strengths="女儿每周探望",
        risk_level="medium",
    )
    case_services.case_plan(
        actor=world["worker"],
        case=case,
        planned_on=days_ago(14),
        goals="配置辅具",
        review_due_on=days_ago(-30),
    )
    case_services.case_note_add(
        actor=world["worker"],
        case=case,
        happened_on=days_ago(10),
        service_type="resource_linking",
        method="home_visit",
        text="家访记录：不应转出的细节",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def partners(world):
    world.people["worker_b"] = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    return _partners(world)


def send(world, case, partner, **more):
    return workflow.referral_send(
        actor=more.pop("actor", world["worker"]),
        case=case,
        partner=partner,
        reason=more.pop("reason", "需要专业康复服务"),
        shared_parts=more.pop("shared_parts", ["assessment"]),
        sent_on=more.pop("sent_on", days_ago(5)),
        **more,
    )


def _status(track) -> str:
    return ReferralTrack.objects.get(pk=track.pk).status


# --- The happy paths ------------------------------------------------------------------


def test_a_referral_to_a_station_is_received_accepted_served_and_completed(world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    assert (track.status, track.to_station, track.from_station) == (
        "sent",
        world.station_b,
        world.station_a,
    )
    assert track.consent == case.client.consents.get()
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("in_service", None)
    worker_b = world["worker_b"]
    workflow.referral_receive(actor=worker_b, track=track, on=days_ago(4))
    workflow.referral_accept(actor=world["director_b"], track=track, on=days_ago(3))
    workflow.referral_start(actor=worker_b, track=track, on=days_ago(2))
    assert Case.objects.get(pk=case.pk).status == "in_service"
    done = workflow.referral_complete(
        actor=worker_b, track=track, outcome="needs_met", note="辅具已配", on=days_ago(1)
    )
    assert (done.status, done.received_on, done.answered_on, done.started_on) == (
        "completed",
        days_ago(4),
        days_ago(3),
        days_ago(2),
    )
    case.refresh_from_db()
    # The outcome closes the sending case as referred.
    assert (case.status, case.closed_on) == ("referred", days_ago(1))
    events = CaseEvent.objects.filter(case=case).order_by("pk")
    assert list(events.values_list("action", flat=True))[-2:] == [
        "referred",
        "closed",
    ]


def test_a_referral_to_an_outside_organisation_is_followed_up_by_the_sender(world, partners):
    case = _case(world)
    track = send(world, case, partners["hospital"], follow_up_on=days_ago(2))
    assert (track.to_station, Referral.objects.get().to_organisation) == (None, "海珠区人民医院")
    workflow.referral_follow_up(actor=world["worker"], track=track, follow_up_on=days_ago(0))
    done = workflow.referral_record_outcome(
        actor=world["director"], track=track, outcome="partly_met", on=days_ago(0)
    )
    assert (done.status, done.outcome, done.follow_up_on) == (
        "completed",
        "partly_met",
        days_ago(0),
    )
    assert Case.objects.get(pk=case.pk).status == "referred"


def test_a_declined_referral_keeps_the_case_open(world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    declined = workflow.referral_decline(actor=world["worker_b"], track=track, reason="名额已满")
    assert (declined.status, declined.decline_reason) == ("declined", "名额已满")
    assert Case.objects.get(pk=case.pk).status == "in_service"


def test_the_sender_withdraws_a_referral(world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    workflow.referral_receive(actor=world["worker_b"], track=track)
    assert workflow.referral_withdraw(actor=world["worker"], track=track).status == "withdrawn"
    messages = refusal(workflow.referral_accept, actor=world["worker_b"], track=track)
    assert messages == ["This referral has already been answered."]


def test_the_worker_may_close_the_case_while_the_referral_runs(world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    case_services.case_close(
        actor=world["worker"],
        case=case,
        closed_on=days_ago(0),
        outcome="client_withdrew",
        summary="迁出",
    )
    workflow.referral_accept(actor=world["worker_b"], track=track)
    workflow.referral_complete(actor=world["worker_b"], track=track, outcome="needs_met")
    assert Case.objects.get(pk=case.pk).status == "closed"


# --- Bad input: a message, nothing half-saved -------------------------------------


def _nothing_saved(case):
    assert (Referral.objects.count(), ReferralTrack.objects.count()) == (0, 0)
    assert not CaseEvent.objects.filter(case=case, action="referred").exists()


def test_without_consent_to_share_nothing_is_sent(world, partners):
    case = _case(world, sharing=False)
    messages = refusal(send, world=world, case=case, partner=partners["station_b"])
    assert messages == ["The client has not consented to sharing with referral partners."]
    _nothing_saved(case)


def test_a_withdrawn_consent_blocks_the_referral(world, partners):
    case = _case(world)
    client_services.consent_withdraw(
        actor=world["worker"], consent=case.client.consents.get(), withdrawn_on=days_ago(6)
    )
    messages = refusal(send, world=world, case=case, partner=partners["station_b"])
    assert messages == [
        "The client has withdrawn consent: nothing can be shared with a referral partner."
    ]
    _nothing_saved(case)


def test_an_organisation_not_accepting_the_domain_is_refused(world, partners):
    case = _case(world)
    messages = refusal_by_field(send, world=world, case=case, partner=partners["elderly_only"])
    assert messages == {"partner": ["长者服务中心 does not accept referrals in the domain Family."]}
    _nothing_saved(case)


def test_the_own_station_is_refused(world, partners):
    case = _case(world)
    messages = refusal_by_field(send, world=world, case=case, partner=partners["station_a"])
    assert messages == {"partner": ["A case cannot be referred to its own station."]}
    _nothing_saved(case)


def test_a_decline_without_a_reason_is_refused(world, partners):
    track = send(world, _case(world), partners["station_b"])
    messages = refusal_by_field(
        workflow.referral_decline, actor=world["worker_b"], track=track, reason="  "
    )
    assert messages == {"reason": ["Give the reason for declining the referral."]}
    assert _status(track) == "sent"


def test_a_second_outcome_on_a_completed_referral_is_refused(world, partners):
    track = send(world, _case(world), partners["hospital"])
    workflow.referral_record_outcome(actor=world["worker"], track=track, outcome="needs_met")
    messages = refusal(
        workflow.referral_record_outcome, actor=world["worker"], track=track, outcome="not_met"
    )
    assert messages == ["This referral is completed: its outcome is already recorded."]
    assert ReferralTrack.objects.get(pk=track.pk).outcome == "needs_met"


def test_the_sender_cannot_record_a_platform_referrals_outcome(world, partners):
    track = send(world, _case(world), partners["station_b"])
    messages = refusal(
        workflow.referral_record_outcome, actor=world["worker"], track=track, outcome="needs_met"
    )
    assert messages == ["The receiving station records the outcome of this referral."]
    assert _status(track) == "sent"


# --- Who acts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "refused"),
    # The sender reads its referral through its case file, not the receiving
    # side's scope: the service answers it as an outsider (the page, 403).
    [("worker", Http404), ("worker_c", Http404), ("district", Http404), ("admin", Http404)],
)
def test_only_the_receiving_station_answers(world, partners, who, refused):
    track = send(world, _case(world), partners["station_b"])
    with pytest.raises(refused):
        workflow.referral_accept(actor=world[who], track=track)
    assert _status(track) == "sent"


@pytest.mark.parametrize("who", ["worker_b", "worker_c", "district"])
def test_only_the_sender_withdraws(world, partners, who):
    track = send(world, _case(world), partners["station_b"])
    with pytest.raises(Http404):
        workflow.referral_withdraw(actor=world[who], track=track)
    assert _status(track) == "sent"


# --- Pages: the inbox, the shared part only, 404 for a third station -------------------


def test_the_receiving_station_reads_the_shared_part_only(login, client, world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    login(world["worker_b"])
    inbox = client.get("/referrals/inbox/")
    assert inbox.status_code == 200
    assert f"/referrals/{track.pk}/" in inbox.content.decode()
    page = client.get(f"/referrals/{track.pk}/").content.decode()
    assert "独居，需要康复辅具" in page and "刘洋" in page
    assert "不应转出的细节" not in page
    assert f"/cases/{case.pk}/" not in page
    assert client.get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["worker_c", "district", "city", "agency", "admin"])
def test_a_third_station_and_officials_see_nothing(login, client, world, partners, who):
    track = send(world, _case(world), partners["station_b"])
    login(world[who])
    assert client.get(f"/referrals/{track.pk}/").status_code == 404
    assert client.post(f"/referrals/{track.pk}/accept/").status_code == 404
    assert _status(track) == "sent"


def test_the_pages_walk_a_referral_through(login, client, world, partners):
    case = _case(world)
    login(world["worker"])
    sent = client.post(
        f"/referrals/cases/{case.pk}/send/",
        {
            "partner": partners["station_b"].pk,
            "reason": "需要康复",
            "shared_parts": ["assessment"],
            "version": case.version,
        },
    )
    track = ReferralTrack.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{track.pk}/"
    login(world["worker_b"])
    assert client.post(f"/referrals/{track.pk}/accept/").status_code == 302
    refused = client.post(f"/referrals/{track.pk}/complete/", {"complete-outcome": ""})
    assert refused.status_code == 400
    assert _status(track) == "accepted"
    done = client.post(f"/referrals/{track.pk}/complete/", {"complete-outcome": "needs_met"})
    assert done.status_code == 302
    assert _status(track) == "completed"


def test_a_decline_without_reason_on_the_page_is_400_in_chinese(login, client, world, partners):
    track = send(world, _case(world), partners["station_b"])
    login(world["director_b"])
    response = client.post(f"/referrals/{track.pk}/decline/", {"decline-reason": ""})
    assert response.status_code == 400
    assert "请说明拒绝转介的原因。" in response.content.decode()
    assert _status(track) == "sent"


def test_sending_to_an_organisation_without_the_domain_on_the_page_is_400(
    login, client, world, partners
):
    case = _case(world)
    login(world["worker"])
    response = client.post(
        f"/referrals/cases/{case.pk}/send/",
        {"partner": partners["elderly_only"].pk, "reason": "x", "version": case.version},
    )
    assert response.status_code == 400
    assert "不接收" in response.content.decode()
    _nothing_saved(case)


def test_the_sender_may_not_answer_its_own_referral(login, client, world, partners):
    track = send(world, _case(world), partners["station_b"])
    login(world["worker"])
    assert client.post(f"/referrals/{track.pk}/accept/").status_code == 403
    assert _status(track) == "sent"


def test_officials_have_no_inbox(login, client, world):
    login(world["district"])
    assert client.get("/referrals/inbox/").status_code == 403


# --- Follow-up alerts ----------------------------------------------------------------------


def test_an_overdue_follow_up_raises_one_alert_for_the_worker(world, partners):
    case = _case(world)
    track = send(world, case, partners["hospital"], follow_up_on=days_ago(3))
    counts = run_all(today=days_ago(0), stations=[world.station_a])
    assert counts["referral_follow_up"] == 1
    alert = Alert.objects.get(kind="referral_follow_up")
    assert (alert.case, alert.assigned_to, alert.station) == (
        case,
        world["worker"],
        world.station_a,
    )
    assert run_all(today=days_ago(0), stations=[world.station_a])["referral_follow_up"] == 0
    workflow.referral_record_outcome(actor=world["worker"], track=track, outcome="needs_met")


def test_a_follow_up_not_yet_due_or_of_a_finished_referral_raises_none(world, partners):
    track = send(world, _case(world), partners["hospital"], follow_up_on=days_ago(0))
    done = send(world, _case(world, "王芳"), partners["hospital"], follow_up_on=days_ago(3))
    workflow.referral_withdraw(actor=world["worker"], track=done)
    assert run_all(today=days_ago(0), stations=[world.station_a])["referral_follow_up"] == 0
    assert track.follow_up_on == days_ago(0)


# --- Counts --------------------------------------------------------------------------------


def _recount(user):
    """From the raw records: the referrals sent by the stations `user` sees."""
    from shegong.org.models import Station

    stations = set(Station.objects.visible_to(user).values_list("pk", flat=True))
    rows = [t for t in ReferralTrack.objects.all() if t.from_station_id in stations]
    return (
        len(rows),
        sum(t.status in ("accepted", "in_service", "completed") for t in rows),
        sum(t.status == "completed" for t in rows),
    )


def test_counts_by_domain_and_partner_match_a_recount(world, partners):
    one = send(world, _case(world, "刘洋"), partners["station_b"])
    two = send(world, _case(world, "王芳"), partners["hospital"])
    send(world, _case(world, "李娜"), partners["hospital"])
    workflow.referral_accept(actor=world["worker_b"], track=one)
    workflow.referral_record_outcome(actor=world["worker"], track=two, outcome="needs_met")
    counts = referral_counts(world["district"])
    assert (counts.sent, counts.accepted, counts.completed) == (3, 2, 1)
    assert (counts.sent, counts.accepted, counts.completed) == _recount(world["district"])
    assert [(r["name"], r["sent"], r["accepted"], r["completed"]) for r in counts.by_partner] == [
        ("南石头街社工站", 1, 1, 0),
        ("海珠区人民医院", 2, 1, 1),
    ]
    assert [(r["domain"], r["sent"]) for r in counts.by_domain] == [("family", 3)]
    # Outside the district: nothing; the receiving station counts what it sent (none).
    assert _recount(world["other_district"]) == (0, 0, 0)
    assert referral_counts(world["other_district"]).sent == 0
    assert referral_counts(world["director_b"]).sent == 0


def test_the_counts_page_and_api_show_figures_not_content(login, client, api, world, partners):
    send(world, _case(world), partners["station_b"])
    login(world["city"])
    page = client.get("/referrals/statistics/").content.decode()
    assert "南石头街社工站" in page and "刘洋" not in page and "康复辅具" not in page
    body = api(world["city"]).get("/api/referrals/statistics/").json()
    assert (body["sent"], body["accepted"], body["completed"]) == (1, 0, 0)
    assert body["by_partner"][0]["name"] == "南石头街社工站"
    assert api(world["city"]).get("/api/referrals/statistics/?year=x").status_code == 400


# --- Every transition and every refusal on the pages: 400 in Chinese, nothing saved -----


def _post_send(client, case, partner, **more):
    data = {"partner": partner.pk, "reason": "需要康复", "version": case.version}
    data.update(more)
    return client.post(f"/referrals/cases/{case.pk}/send/", data)


def test_the_pages_receive_start_and_withdraw(login, client, world, partners):
    case = _case(world)
    served = send(world, case, partners["station_b"])
    withdrawn = send(world, _case(world, "王芳"), partners["station_b"])
    login(world["worker_b"])
    assert client.post(f"/referrals/{served.pk}/receive/").status_code == 302
    assert _status(served) == "received"
    assert client.post(f"/referrals/{served.pk}/accept/").status_code == 302
    assert client.post(f"/referrals/{served.pk}/start/").status_code == 302
    assert _status(served) == "in_service"
    # The receiving side cannot withdraw: it is not the sender (403, nothing changes).
    assert client.post(f"/referrals/{withdrawn.pk}/withdraw/").status_code == 403
    login(world["worker"])
    assert client.post(f"/referrals/{withdrawn.pk}/withdraw/").status_code == 302
    assert (_status(withdrawn), _status(served)) == ("withdrawn", "in_service")


def test_sending_without_consent_on_the_page_is_400_in_chinese(login, client, world, partners):
    case = _case(world, sharing=False)
    login(world["worker"])
    response = _post_send(client, case, partners["station_b"])
    assert response.status_code == 400
    assert "服务对象未同意向转介机构提供信息。" in response.content.decode()
    _nothing_saved(case)
    assert Case.objects.get(pk=case.pk).version == case.version


def test_sending_to_the_own_station_on_the_page_is_400_in_chinese(login, client, world, partners):
    case = _case(world)
    login(world["worker"])
    response = _post_send(client, case, partners["station_a"])
    assert response.status_code == 400
    assert "个案不能转介至本站。" in response.content.decode()
    _nothing_saved(case)


def test_sending_to_a_partner_without_the_domain_names_it_in_chinese(
    login, client, world, partners
):
    case = _case(world)
    login(world["worker"])
    response = _post_send(client, case, partners["elderly_only"])
    assert response.status_code == 400
    assert "长者服务中心 不接收家庭领域的转介。" in response.content.decode()
    _nothing_saved(case)


def test_a_second_outcome_on_the_page_is_400_in_chinese(login, client, world, partners):
    case = _case(world)
    track = send(world, case, partners["station_b"])
    workflow.referral_accept(actor=world["worker_b"], track=track)
    workflow.referral_complete(actor=world["worker_b"], track=track, outcome="needs_met")
    login(world["worker_b"])
    response = client.post(f"/referrals/{track.pk}/complete/", {"complete-outcome": "not_met"})
    assert response.status_code == 400
    assert "该转介已完成：结果已经记录。" in response.content.decode()
    done = ReferralTrack.objects.get(pk=track.pk)
    assert (done.status, done.outcome, done.version) == (
        "completed",
        "needs_met",
        track.version + 2,
    )
    # The sender's "record the outcome" of a completed referral: refused the same way.
    login(world["worker"])
    response = client.post(f"/referrals/{track.pk}/outcome/", {"outcome-outcome": "not_met"})
    assert response.status_code == 400
    assert "该转介已完成：结果已经记录。" in response.content.decode()
    assert ReferralTrack.objects.get(pk=track.pk).outcome == "needs_met"


def test_the_counts_by_domain_and_partner_written_out(login, client, api, world, partners):
    """Six referrals from station A, the figures counted by hand:

    1 刘洋 family  → 南石头街社工站  accepted, in service, completed   sent accepted completed
    2 王芳 family  → 南石头街社工站  declined                          sent
    3 李娜 elderly → 海珠区人民医院  outcome recorded by the sender     sent accepted completed
    4 张伟 elderly → 海珠区人民医院  still open                         sent
    5 陈静 family  → 海珠区人民医院  withdrawn                          sent
    6 赵敏 family  → 南石头街社工站  accepted, in service               sent accepted
    """
    station_b, hospital, worker_b = partners["station_b"], partners["hospital"], world["worker_b"]
    one = send(world, _case(world, "刘洋"), station_b)
    two = send(world, _case(world, "王芳"), station_b)
    three = send(world, _case(world, "李娜", domain="elderly"), hospital)
    send(world, _case(world, "张伟", domain="elderly"), hospital)
    five = send(world, _case(world, "陈静"), hospital)
    six = send(world, _case(world, "赵敏"), station_b)
    workflow.referral_accept(actor=worker_b, track=one)
    workflow.referral_start(actor=worker_b, track=one)
    workflow.referral_complete(actor=worker_b, track=one, outcome="needs_met")
    workflow.referral_decline(actor=worker_b, track=two, reason="名额已满")
    workflow.referral_record_outcome(actor=world["worker"], track=three, outcome="partly_met")
    workflow.referral_withdraw(actor=world["worker"], track=five)
    workflow.referral_accept(actor=worker_b, track=six)
    workflow.referral_start(actor=worker_b, track=six)

    counts = referral_counts(world["district"])
    assert (counts.sent, counts.accepted, counts.completed) == (6, 3, 2)
    assert [(r["domain"], r["sent"], r["accepted"], r["completed"]) for r in counts.by_domain] == [
        ("elderly", 2, 1, 1),
        ("family", 4, 2, 1),
    ]
    assert [(r["name"], r["sent"], r["accepted"], r["completed"]) for r in counts.by_partner] == [
        ("南石头街社工站", 3, 2, 1),
        ("海珠区人民医院", 3, 1, 1),
    ]
    # The same function for every reader, each over the stations it sees.
    assert referral_counts(world["worker"]).sent == 6
    assert referral_counts(world["city"]).sent == 6
    assert referral_counts(world["director_b"]).sent == 0
    assert referral_counts(world["other_district"]).sent == 0
    year = days_ago(5).year
    assert referral_counts(world["district"], year).sent == 6
    assert referral_counts(world["district"], year - 1).sent == 0
    # The API and the page give the same figures.
    body = api(world["district"]).get("/api/referrals/statistics/").json()
    assert (body["sent"], body["accepted"], body["completed"]) == (6, 3, 2)
    assert [(r["name"], r["sent"], r["accepted"], r["completed"]) for r in body["by_partner"]] == [
        ("南石头街社工站", 3, 2, 1),
        ("海珠区人民医院", 3, 1, 1),
    ]
    login(world["district"])
    page = client.get("/referrals/statistics/").content.decode()
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", page)
    assert rows == [
        ("长者", "2", "1", "1"),
        ("家庭", "4", "2", "1"),
        ("南石头街社工站", "3", "2", "1"),
        ("海珠区人民医院", "3", "1", "1"),
    ]


def test_the_directory_links_the_inbox_for_station_staff_and_the_counts_for_all(
    login, client, world
):
    login(world["worker"])
    page = client.get("/referrals/directory/").content.decode()
    assert 'href="/referrals/inbox/"' in page and 'href="/referrals/statistics/"' in page
    login(world["district"])
    page = client.get("/referrals/directory/").content.decode()
    assert 'href="/referrals/inbox/"' not in page and 'href="/referrals/statistics/"' in page
