"""A resident's personal data requests 个人信息权利请求 (PIPL art. 44–47): taken in
by station staff with a due date 15 working days on, waiting on the director's
home, answered once; the export of everything held about the person is complete
and access-logged; a deletion anonymises like the purge, unless a legal hold
(an open case, a statutory roster) stands in the way."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from shegong.cases import services as case_services
from shegong.clients import services as client_services
from shegong.clients.models import Resident
from shegong.community import activities
from shegong.community.models import ResidentSignup
from shegong.core.models import AccessLog, AuditEntry
from shegong.delivery.models import Attendance
from shegong.evaluation import services
from shegong.evaluation.models import ClientSample, SampleEntry, StationEvaluation
from shegong.privacy.models import RequestStatus, SubjectRequest
from shegong.privacy.requests import due_date, subject_request_answer, subject_request_open
from shegong.stats import rollups
from tests.delivery_world import make_delivery, record
from tests.evaluation_world import draft_round
from tests.helpers import open_case, refusal, register_resident, today, xlsx_table
from tests.roster_helpers import id_number
from tests.volunteer_world import activity, at

PERSON_ID = id_number(31, born="19450315")


def test_the_due_date_is_15_working_days_on():
    # Monday 7 December: 4 + 5 + 5 working days to Christmas, the 15th is Monday 28.
    assert due_date(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 28)
    # Received on a Saturday: the count starts on Monday.
    assert due_date(datetime.date(2026, 12, 5)) == datetime.date(2026, 12, 25)


@pytest.fixture
def person(world):
    """陈秀英 with everything a station holds: household, consent, classification,
    tag, an assessed case, an observation, a service attended and a sign-up to
    an activity from its QR link (matched by the phone); 吴邻居's sign-up is not hers."""
    d = make_delivery(world)
    household = client_services.household_create(
        actor=world["worker"], station=world.station_a, name="陈家", address="沙园路9号"
    )
    resident = register_resident(
        world,
        "陈秀英",
        id_number=PERSON_ID,
        born=datetime.date(1945, 3, 15),
        phone="13800138000",
        household=household,
        classify="elderly",
    )
    client_services.tag_add(
        actor=world["worker"], resident=resident, tag="living_alone", started_on=today()
    )
    case = open_case(world, resident, domain="elderly")
    case_services.case_assess(
        actor=world["worker"],
        case=case,
        assessed_on=today(),
        needs="独居需要陪伴",
        risk_level="low",
    )
    case_services.observation_record(
        actor=world["worker"],
        resident=resident,
        observed_on=today(),
        source="visit",
        text="精神不错",
    )
    record(d, project="key", attendees=[resident], headcount=3)
    clinic = activity(d, "社区义诊")
    with at(7):
        activities.resident_sign_up(activity=clinic, name="陈秀英", phone="13800138000")
        activities.resident_sign_up(activity=clinic, name="吴邻居", phone="13900139000")
    return {"resident": resident, "case": case, "delivery": d}


def _take_in(world, resident, kind="access") -> SubjectRequest:
    return subject_request_open(
        actor=world["worker"],
        resident=resident,
        kind=kind,
        requested_by="本人",
        received_on=datetime.date(2026, 12, 7),
    )


def test_taken_in_on_the_resident_page_and_waiting_on_the_directors_home(world, login):
    resident = register_resident(world, "陈秀英")
    page = login(world["worker"]).post(
        f"/privacy/requests/new/{resident.pk}/",
        {"kind": "correction", "requested_by": "女儿 李红", "received_on": "2026-12-07"},
    )
    item = SubjectRequest.objects.get()
    assert page.status_code == 302 and page.url == f"/privacy/requests/{item.pk}/"
    assert (item.station, item.due_on, item.status) == (
        world.station_a,
        datetime.date(2026, 12, 28),
        "open",
    )
    home = login(world["director"]).get("/").content.decode()
    assert 'data-testid="inbox-data-request"' in home
    assert "更正我的信息: 陈秀英" in home
    # A future day is refused with a message, nothing saved.
    page = login(world["worker"]).post(
        f"/privacy/requests/new/{resident.pk}/",
        {"kind": "access", "requested_by": "本人", "received_on": "2099-01-01"},
    )
    assert page.status_code == 400
    assert "请求的收到日期不能在将来。" in page.content.decode()
    assert SubjectRequest.objects.count() == 1


def test_the_export_holds_everything_and_is_logged(world, person, login):
    item = _take_in(world, person["resident"])
    client = login(world["director"])
    _sampled_by_the_evaluators(world, person["resident"])
    data = json.loads(client.get(f"/privacy/requests/{item.pk}/export.json").content)
    # Every kind of record the fixture holds about her, no other: a kind missing
    # from the copy, or one that should not be in it, fails here.
    assert sorted(data) == [
        "cases.assessment",
        "cases.case",
        "cases.caseevent",
        "cases.observation",
        "clients.clientstatus",
        "clients.consent",
        "clients.household",
        "clients.resident",
        "clients.residenttag",
        "community.residentsignup",
        "delivery.attendance",
    ]
    own = data["clients.resident"][0]
    assert (own["name"], own["id_number"], own["phone"]) == ("陈秀英", PERSON_ID, "13800138000")
    assert "id_number_hash" not in own and "id_number_encrypted" not in own
    assert data["clients.household"][0]["address"] == "沙园路9号"
    assert len(data["clients.consent"]) == 1
    assert [row["domain"] for row in data["clients.clientstatus"]] == ["长者"]
    assert len(data["clients.residenttag"]) == 1
    assert [row["needs"] for row in data["cases.assessment"]] == ["独居需要陪伴"]
    assert [row["text"] for row in data["cases.observation"]] == ["精神不错"]
    assert len(data["cases.case"]) == 1
    assert len(data["delivery.attendance"]) == 1
    # Her sign-up (a link with no reverse accessor), without its secret link.
    [signup] = data["community.residentsignup"]
    assert (signup["name"], signup["phone"], signup["status"]) == (
        "陈秀英",
        "13800138000",
        "已报名",
    )
    assert signup["activity"] == "社区义诊" and "token" not in signup
    # The readable copy: one line per field, the ID number in clear.
    rows = xlsx_table(client.get(f"/privacy/requests/{item.pk}/export.xlsx"))
    assert rows[0] == ("记录类别", "记录", "字段", "内容")
    assert ("居民", "1", "身份证号", PERSON_ID) in rows
    assert ("居民报名", "1", "手机号码", "13800138000") in rows
    logged = AccessLog.objects.filter(action="export_subject", object_id=person["resident"].pk)
    assert logged.count() == 2
    assert (
        AuditEntry.objects.filter(action="export", object_repr__startswith="personal-data-").count()
        == 2
    )


def _sampled_by_the_evaluators(world, resident: Resident) -> SampleEntry:
    """The district's evaluators drew her for a verification call: never in the
    copy the station's director downloads (privacy.subject_data.SKIPPED_MODELS)."""
    round = draft_round(world)
    group = services.indicator_group_add(actor=world["city"], round=round, name="回访", weight=100)
    services.indicator_add(
        actor=world["city"],
        group=group,
        name="sample_satisfaction",
        max_score=Decimal(40),
        method="computed",
        computation="sample_satisfaction",
    )
    services.round_assign(
        actor=world["city"], round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    services.round_open(actor=world["city"], round=round)
    sample = ClientSample.objects.create(
        evaluation=StationEvaluation.objects.get(round=round, station=world.station_a),
        seed=1,
        calls=1,
        visits=0,
        as_of=today(),
        population=1,
        strata=[
            {"domain": "elderly", "category": "general", "population": 1, "calls": 1, "visits": 0}
        ],
        drawn_by=world["evaluator"],
    )
    return SampleEntry.objects.create(
        sample=sample,
        resident=resident,
        position=1,
        method="call",
        domain="elderly",
        category="general",
        label="陈**",
    )


def test_a_deletion_waits_for_the_open_case_then_anonymises_and_keeps_the_figures(world, person):
    resident, case = person["resident"], person["case"]
    item = _take_in(world, resident, kind="deletion")
    assert refusal(
        subject_request_answer, actor=world["director"], request=item, outcome="已删除"
    ) == [
        "The resident has an open case: close it first (the case file is kept while the case runs)."
    ]
    assert Resident.objects.get(pk=resident.pk).name == "陈秀英"
    case_services.case_close(
        actor=world["director"], case=case, closed_on=today(), outcome="moved_away", summary=""
    )
    attended = Attendance.objects.filter(resident=resident).count()
    answered = subject_request_answer(
        actor=world["director"], request=item, outcome="已按本人要求删除"
    )
    assert answered.status == RequestStatus.DONE
    resident.refresh_from_db()
    assert (resident.name, resident.id_number_hash, resident.phone) == ("已匿名", "", "")
    assert Attendance.objects.filter(resident=resident).count() == attended == 1
    assert rollups.drift() == []
    # Her sign-up loses her name and phone, keeps its place; the neighbour's stays.
    assert sorted(ResidentSignup.objects.values_list("name", "phone", "status", "resident")) == [
        ("吴邻居", "13900139000", "confirmed", None),
        ("已匿名", "", "confirmed", resident.pk),
    ]
    entry = AuditEntry.objects.get(object_type="privacy.deletion")
    assert (entry.detail["counts"]["residents"], entry.detail["counts"]["signups"]) == (1, 1)
    # Answered once: a second answer is refused.
    assert refusal(
        subject_request_answer, actor=world["director"], request=item, outcome="再次"
    ) == ["This request has been answered already."]


def test_only_the_director_answers(world):
    item = _take_in(world, register_resident(world, "陈秀英"))
    with pytest.raises(PermissionDenied):
        subject_request_answer(actor=world["worker"], request=item, outcome="好")
    assert SubjectRequest.objects.get(pk=item.pk).status == "open"


def test_the_subject_export_reads_a_kind_of_record_in_one_query_however_many_rows(world, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shegong.privacy.subject_data import subject_data

    resident = person["resident"]
    with CaptureQueriesContext(connection) as one:
        subject_data(resident)
    d = person["delivery"]
    for n in range(3):
        record(d, project="key", attendees=[resident], headcount=2, title=f"活动{n}")
    with CaptureQueriesContext(connection) as four:
        sections = subject_data(resident)
    attendances = next(s for s in sections if s.key == "delivery.attendance")
    assert len(attendances.rows) == 4
    # Three more attendances (and their events' labels) cost no query more.
    assert len(four) == len(one)
