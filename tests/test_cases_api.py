"""The cases API: the case walk 接案 → 预估 → 计划 → 介入 → 评估 → 结案 through its
endpoints, the refusals, optimistic locking, confidentiality for every role, the
access log, observations, alerts and alert rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.cases import services
from shegong.cases.models import Alert, AlertRule, Case, CaseNote
from shegong.clients import services as client_services
from shegong.core.models import AccessLog
from shegong.core.roles import Role
from tests.conftest import make_user
from tests.helpers import open_case, register_resident

TODAY = timezone.localdate
CLIENT_NAME = "陈秀英"


def days(n: int) -> str:
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


def walk_to(world, case: Case, status: str) -> Case:
    """Take the case through the services up to `status`."""
    actor = world["worker"]
    steps = ["assessed", "planned", "in_service", "reviewed"]
    for step in steps[: steps.index(status) + 1]:
        if step == "assessed":
            services.case_assess(
                actor=actor, case=case, assessed_on=TODAY(), needs="照顾压力大", risk_level="medium"
            )
        elif step == "planned":
            services.case_plan(
                actor=actor,
                case=case,
                planned_on=TODAY(),
                goals="减轻照顾压力",
                review_due_on=TODAY() + datetime.timedelta(days=30),
            )
        elif step == "in_service":
            services.case_note_add(
                actor=actor,
                case=case,
                happened_on=TODAY(),
                service_type="supportive",
                method="home_visit",
                text="家访",
            )
        elif step == "reviewed":
            services.case_review(actor=actor, case=case, reviewed_on=TODAY(), progress="好转")
    case.refresh_from_db()
    return case


@pytest.fixture
def worker2(world):
    """A second social worker at station A, on none of the cases."""
    return make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)


@pytest.fixture
def resident(world):
    return register(world)


@pytest.fixture
def case(world, resident):
    return open_case(world, resident)


# --- The walk --------------------------------------------------------------------


def test_the_full_case_walk_through_the_endpoints(world, api, resident):
    client = api(world["worker"])
    opened = client.post(
        "/api/cases/",
        {"client": resident.pk, "domain": "family", "source": "walk_in"},
        format="json",
    )
    assert opened.status_code == 201
    body = opened.json()
    pk = body["id"]
    assert (body["number"], body["status"], body["workers"], body["client_name"]) == (
        f"{TODAY().year}-0001",
        "intake",
        [world["worker"].pk],
        CLIENT_NAME,
    )
    steps = [
        ("assess", {"needs": "照顾压力大", "risk_level": "medium"}, "assessed"),
        ("plan", {"goals": "减轻照顾压力", "review_due_on": days(30)}, "planned"),
        (
            "notes",
            {"service_type": "supportive", "method": "home_visit", "text": "家访，情绪稳定"},
            "in_service",
        ),
        ("review", {"progress": "照顾压力减轻"}, "reviewed"),
        ("close", {"outcome": "goals_met", "summary": "目标达成"}, "closed"),
    ]
    seen = []
    for step, data, _status in steps:
        response = client.post(f"/api/cases/{pk}/{step}/", data, format="json")
        assert response.status_code == 200, response.json()
        seen.append((response.json()["status"], response.json()["version"]))
    assert seen == [(s, v) for (_, _, s), v in zip(steps, range(2, 7), strict=True)]
    file = client.get(f"/api/cases/{pk}/").json()
    assert (file["status"], file["outcome"], file["closed_on"]) == (
        "closed",
        "goals_met",
        TODAY().isoformat(),
    )
    assert (file["risk_level"], file["last_contact_on"]) == ("medium", TODAY().isoformat())
    counts = [len(file[part]) for part in ("assessments", "plans", "notes", "reviews")]
    assert counts == [1, 1, 1, 1]
    assert [e["action"] for e in reversed(file["events"])] == [
        "opened",
        "assessed",
        "planned",
        "note_added",
        "reviewed",
        "closed",
    ]


def test_a_note_after_review_goes_back_to_intervention(world, api, case):
    walk_to(world, case, "reviewed")
    response = api(world["worker"]).post(
        f"/api/cases/{case.pk}/notes/",
        {"service_type": "preventive", "method": "phone", "text": "电话跟进"},
        format="json",
    )
    assert response.json()["status"] == "in_service"


def test_director_opens_a_case_for_a_worker(world, api, resident):
    response = api(world["director"]).post(
        "/api/cases/",
        {
            "client": resident.pk,
            "domain": "family",
            "source": "outreach",
            "workers": [world["worker"].pk],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["workers"] == [world["worker"].pk]


def test_a_case_needs_consent_on_record(world, api):
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="无同意",
        gender="male",
        birth_date=datetime.date(1970, 1, 1),
    )
    response = api(world["worker"]).post(
        "/api/cases/",
        {"client": resident.pk, "domain": "family", "source": "walk_in"},
        format="json",
    )
    assert response.status_code == 400
    assert Case.objects.count() == 0


@pytest.mark.parametrize("person", ["district", "agency", "city"])
def test_officials_cannot_open_cases(world, api, resident, person):
    response = api(world[person]).post(
        "/api/cases/",
        {"client": resident.pk, "domain": "family", "source": "walk_in"},
        format="json",
    )
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_a_case_for_a_resident_of_another_station_is_400(world, api, resident):
    response = api(world["worker_c"]).post(
        "/api/cases/",
        {"client": resident.pk, "domain": "family", "source": "walk_in"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["client"]


# --- Refusals --------------------------------------------------------------------


def _post(api, user, case, step, data):
    return api(user).post(f"/api/cases/{case.pk}/{step}/", data, format="json")


NOTE = {"service_type": "supportive", "method": "session", "text": "面谈"}


@pytest.mark.parametrize("status", ["intake", "assessed"])
def test_note_before_a_plan_is_400(world, api, case, status):
    if status != "intake":
        walk_to(world, case, status)
    response = _post(api, world["worker"], case, "notes", NOTE)
    assert response.status_code == 400
    assert response.json() == {"detail": ["请先制定服务计划再记录介入。"]}
    case.refresh_from_db()
    assert (case.status, CaseNote.objects.count()) == (status, 0)


def test_plan_before_assessment_is_400(world, api, case):
    response = _post(api, world["worker"], case, "plan", {"goals": "x", "review_due_on": days(9)})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "intake"


def test_review_before_intervention_is_400(world, api, case):
    walk_to(world, case, "planned")
    response = _post(api, world["worker"], case, "review", {"progress": "x"})
    assert response.status_code == 400


def test_close_from_intake_with_goals_met_is_400(world, api, case):
    response = _post(api, world["worker"], case, "close", {"outcome": "goals_met"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["个案须在介入后结案；介入前仅在服务对象退出、迁出或离世时可结案。"]
    }
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == ("intake", None, "")


def test_close_from_intake_when_the_client_withdrew(world, api, case):
    response = _post(api, world["worker"], case, "close", {"outcome": "client_withdrew"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["outcome"]) == ("closed", "client_withdrew")


def test_note_on_a_closed_case_is_400(world, api, case):
    walk_to(world, case, "in_service")
    services.case_close(actor=world["worker"], case=case, closed_on=TODAY(), outcome="goals_met")
    response = _post(api, world["worker"], case, "notes", NOTE)
    assert response.status_code == 400
    assert response.json() == {"detail": ["已结案个案不能再添加记录，请先重新开案。"]}
    assert CaseNote.objects.count() == 1


def test_closing_twice_is_400(world, api, case):
    _post(api, world["worker"], case, "close", {"outcome": "moved_away"})
    response = _post(api, world["worker"], case, "close", {"outcome": "moved_away"})
    assert response.status_code == 400


def test_reopen_a_closed_case_returns_to_intervention(world, api, case):
    walk_to(world, case, "in_service")
    services.case_close(actor=world["worker"], case=case, closed_on=TODAY(), outcome="goals_met")
    response = _post(api, world["worker"], case, "reopen", {"reason": "情况反复"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["closed_on"], body["outcome"]) == ("in_service", None, "")


def test_reopen_an_open_case_is_400(world, api, case):
    response = _post(api, world["worker"], case, "reopen", {"reason": "x"})
    assert response.status_code == 400


def test_a_step_dated_in_the_future_is_400(world, api, case):
    response = _post(
        api,
        world["worker"],
        case,
        "assess",
        {"needs": "x", "risk_level": "low", "assessed_on": days(1)},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["assessed_on"]


def test_a_priority_service_for_a_general_client_is_400(world, api, case):
    walk_to(world, case, "planned")
    response = _post(api, world["worker"], case, "notes", {**NOTE, "service_type": "emergency_aid"})
    assert response.status_code == 400
    assert list(response.json()) == ["service_type"]


def test_refer_without_sharing_consent_is_400(world, api, case):
    walk_to(world, case, "assessed")
    response = _post(
        api, world["worker"], case, "refer", {"to_organisation": "区残联", "reason": "辅具"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["服务对象未同意向转介机构提供信息。"]}
    case.refresh_from_db()
    assert (case.status, case.referrals.count()) == ("assessed", 0)


def test_refer_with_sharing_consent_to_another_station(world, api):
    case = open_case(world, register(world, sharing=True))
    walk_to(world, case, "assessed")
    response = _post(
        api,
        world["worker"],
        case,
        "refer",
        {"to_station": world.station_c.pk, "reason": "搬到越秀"},
    )
    assert response.status_code == 200
    # The case stays open while the referral runs (docs/referrals.md).
    assert (response.json()["status"], response.json()["closed_on"]) == ("assessed", None)
    assert case.referrals.get().to_station == world.station_c


def test_refer_to_both_a_station_and_an_organisation_is_400(world, api):
    case = open_case(world, register(world, sharing=True))
    walk_to(world, case, "assessed")
    response = _post(
        api,
        world["worker"],
        case,
        "refer",
        {"to_station": world.station_c.pk, "to_organisation": "区残联", "reason": "x"},
    )
    assert response.status_code == 400


def test_reassigning_by_a_worker_is_403(world, api, case, worker2):
    response = _post(api, world["worker"], case, "assign", {"workers": [worker2.pk]})
    assert response.status_code == 403
    assert response.json() == {"detail": "只有社工站主任可以分派个案。"}
    assert list(case.workers.all()) == [world["worker"]]


def test_director_transfers_the_case(world, api, case, worker2):
    response = _post(api, world["director"], case, "assign", {"workers": [worker2.pk]})
    assert response.status_code == 200
    assert response.json()["workers"] == [worker2.pk]
    # The former worker keeps seeing that the case exists, but not its content.
    listed = api(world["worker"]).get(f"/api/cases/{case.pk}/").json()
    assert "notes" not in listed


def test_assigning_a_worker_of_another_station_is_400(world, api, case):
    response = _post(api, world["director"], case, "assign", {"workers": [world["worker_c"].pk]})
    assert response.status_code == 400
    assert list(response.json()) == ["workers"]


def test_unassigned_worker_cannot_take_a_step(world, api, case, worker2):
    response = _post(api, worker2, case, "assess", {"needs": "x", "risk_level": "low"})
    assert response.status_code == 403
    assert response.json() == {"detail": "只有负责社工和社工站主任可以执行此操作。"}


@pytest.mark.parametrize(
    ("person", "expected"),
    [("agency", 403), ("district", 403), ("city", 403), ("evaluator", 404), ("worker_c", 404)],
)
def test_steps_by_others_are_refused(world, api, case, person, expected):
    response = _post(api, world[person], case, "assess", {"needs": "x", "risk_level": "low"})
    assert response.status_code == expected
    case.refresh_from_db()
    assert case.status == "intake"


# --- Optimistic locking -----------------------------------------------------------


def test_a_step_with_the_current_version_is_applied(world, api, case):
    response = _post(
        api, world["worker"], case, "assess", {"needs": "x", "risk_level": "low", "version": 1}
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)


def test_a_step_with_a_stale_version_is_409(world, api, case):
    _post(api, world["director"], case, "assess", {"needs": "x", "risk_level": "low", "version": 1})
    response = _post(
        api,
        world["worker"],
        case,
        "plan",
        {"goals": "y", "review_due_on": days(30), "version": 1},
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "您打开此档案后，其他人已修改。请刷新查看最新内容后再编辑。",
        "code": "conflict",
    }
    case.refresh_from_db()
    assert (case.status, case.version, case.plans.count()) == ("assessed", 2, 0)


# --- Confidentiality ---------------------------------------------------------------

CONTENT_KEYS = {"assessments", "plans", "notes", "reviews", "referrals", "events", "risk_level"}


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("worker", "content"),
        ("director", "content"),
        ("worker2", "bare"),
        ("agency", "bare"),
        ("district", "bare"),
        ("city", "bare"),
        ("admin", "bare"),
        ("evaluator", 404),
        ("director_b", 404),
        ("worker_c", 404),
        ("other_district", 404),
        ("other_agency", 404),
    ],
)
def test_case_detail_per_role(world, api, case, worker2, person, expected):
    walk_to(world, case, "in_service")
    user = worker2 if person == "worker2" else world[person]
    response = api(user).get(f"/api/cases/{case.pk}/")
    if expected == 404:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert (body["number"], body["status"], body["workers"], body["client"]) == (
        case.number,
        "in_service",
        [world["worker"].pk],
        case.client_id,
    )
    if expected == "content":
        assert set(body) >= CONTENT_KEYS
        assert body["client_name"] == CLIENT_NAME
        assert [n["text"] for n in body["notes"]] == ["家访"]
    else:
        assert set(body) == {
            "id",
            "number",
            "station",
            "domain",
            "status",
            "opened_on",
            "closed_on",
            "outcome",
            "workers",
            "client",
        }
        assert CLIENT_NAME not in text
        assert "照顾压力大" not in text


@pytest.mark.parametrize(
    ("person", "count", "named"),
    [
        ("worker", 1, True),
        ("director", 1, True),
        ("worker2", 1, False),
        ("agency", 1, False),
        ("district", 1, False),
        ("city", 1, False),
        ("evaluator", 0, False),
        ("director_b", 0, False),
        ("worker_c", 0, False),
    ],
)
def test_case_list_per_role(world, api, case, worker2, person, count, named):
    user = worker2 if person == "worker2" else world[person]
    response = api(user).get("/api/cases/")
    body = response.json()
    assert body["count"] == count
    assert [("client_name" in c) for c in body["results"]] == [named] * count
    assert (CLIENT_NAME in response.content.decode()) is named


def test_case_list_filters(world, api, case, worker2):
    other = open_case(world, register(world, "李明"), workers=[worker2])
    services.case_close(actor=worker2, case=other, closed_on=TODAY(), outcome="client_withdrew")
    client = api(world["director"])

    def ids(**params):
        return [c["id"] for c in client.get("/api/cases/", params).json()["results"]]

    assert ids(status="closed") == [other.pk]
    assert ids(is_open="true") == [case.pk]
    assert ids(worker=worker2.pk) == [other.pk]
    assert ids(q=case.number) == [case.pk]
    # No search by client name: it would tell an official what is in the files.
    assert ids(q="李明") == []
    mine = [c["id"] for c in api(worker2).get("/api/cases/", {"mine": "true"}).json()["results"]]
    assert mine == [other.pk]


# The checked-in baseline: raise it only with a reason.
API_CASE_LIST_QUERIES = 3


def test_case_list_query_count_does_not_grow_with_cases(world, api, case):
    client = api(world["worker"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/cases/")
        assert response.status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        open_case(world, register(world, f"居民{n}"))
    assert client.get("/api/cases/").json()["count"] == 5
    assert (one, queries()) == (API_CASE_LIST_QUERIES, API_CASE_LIST_QUERIES)


# --- Access log ----------------------------------------------------------------------


def test_each_read_of_a_priority_clients_file_is_logged_once(world, api):
    case = open_case(world, register(world, priority=True))
    client = api(world["worker"])
    client.get(f"/api/cases/{case.pk}/")
    assert AccessLog.objects.count() == 1
    client.get(f"/api/cases/{case.pk}/")
    api(world["director"]).get(f"/api/cases/{case.pk}/")
    entries = AccessLog.objects.order_by("pk")
    assert [(e.user.username, e.action, e.object_id, e.object_label) for e in entries] == [
        ("worker", "read_case_file", case.pk, case.number),
        ("worker", "read_case_file", case.pk, case.number),
        ("director", "read_case_file", case.pk, case.number),
    ]


def test_reading_a_general_clients_file_is_not_logged(world, api, case):
    api(world["worker"]).get(f"/api/cases/{case.pk}/")
    assert AccessLog.objects.count() == 0


def test_reads_without_content_and_lists_are_not_logged(world, api, worker2):
    case = open_case(world, register(world, priority=True))
    api(worker2).get(f"/api/cases/{case.pk}/")
    api(world["district"]).get(f"/api/cases/{case.pk}/")
    api(world["worker"]).get("/api/cases/")
    assert AccessLog.objects.count() == 0


def test_a_step_is_not_a_logged_read(world, api):
    case = open_case(world, register(world, priority=True))
    _post(api, world["worker"], case, "assess", {"needs": "x", "risk_level": "low"})
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    ("person", "count"),
    [
        ("director", 2),
        ("city", 2),
        # The access log is hidden from these roles: an empty list, not a 403.
        ("worker", 0),
        ("district", 0),
        ("agency", 0),
        ("evaluator", 0),
        ("director_b", 0),
    ],
)
def test_access_log_per_role(world, api, person, count):
    case = open_case(world, register(world, priority=True))
    api(world["worker"]).get(f"/api/cases/{case.pk}/")
    api(world["director"]).get(f"/api/cases/{case.pk}/")
    response = api(world[person]).get("/api/access-log/")
    assert response.status_code == 200
    assert response.json()["count"] == count
    entry = AccessLog.objects.first()
    detail = api(world[person]).get(f"/api/access-log/{entry.pk}/")
    assert detail.status_code == (200 if count else 404)


def test_director_reads_who_read_what(world, api):
    case = open_case(world, register(world, priority=True))
    api(world["worker"]).get(f"/api/cases/{case.pk}/")
    results = api(world["director"]).get("/api/access-log/").json()["results"]
    assert [
        (r["user"], r["role"], r["action"], r["station"], r["object_label"], r["ip"])
        for r in results
    ] == [
        (
            world["worker"].pk,
            "social_worker",
            "read_case_file",
            world.station_a.pk,
            case.number,
            "127.0.0.1",
        )
    ]


def test_access_log_is_read_only(world, api):
    response = api(world["director"]).post("/api/access-log/", {}, format="json")
    assert response.status_code == 405


# --- Observations and alerts -----------------------------------------------------------


def _crisis(api, user, resident):
    return api(user).post(
        "/api/observations/",
        {"resident": resident.pk, "source": "visit", "text": "情绪激动", "crisis": True},
        format="json",
    )


def test_a_crisis_observation_raises_one_alert_for_the_assigned_worker(world, api, case):
    response = _crisis(api, world["director"], case.client)
    assert response.status_code == 201
    assert response.json()["crisis"] is True
    alert = Alert.objects.get()
    assert (alert.kind, alert.assigned_to, alert.case, alert.status) == (
        "crisis_flag",
        world["worker"],
        case,
        "open",
    )


def test_an_observation_without_crisis_raises_nothing(world, api, resident):
    response = api(world["worker"]).post(
        "/api/observations/",
        {"resident": resident.pk, "source": "canteen", "text": "按时用餐"},
        format="json",
    )
    assert response.status_code == 201
    assert Alert.objects.count() == 0


def test_observation_by_an_official_is_403(world, api, resident):
    response = api(world["district"]).post(
        "/api/observations/",
        {"resident": resident.pk, "source": "visit", "text": "x"},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("person", "count"),
    [("worker", 1), ("director", 1), ("worker2", 0), ("district", 0), ("director_b", 0)],
)
def test_open_alerts_per_role(world, api, case, worker2, person, count):
    _crisis(api, world["worker"], case.client)
    user = worker2 if person == "worker2" else world[person]
    assert api(user).get("/api/alerts/").json()["count"] == count


def test_acknowledge_then_resolve_an_alert(world, api, case):
    _crisis(api, world["worker"], case.client)
    alert = Alert.objects.get()
    client = api(world["worker"])
    acknowledged = client.post(f"/api/alerts/{alert.pk}/acknowledge/")
    assert acknowledged.status_code == 200
    assert (acknowledged.json()["status"], acknowledged.json()["acknowledged_by"]) == (
        "acknowledged",
        world["worker"].pk,
    )
    again = client.post(f"/api/alerts/{alert.pk}/acknowledge/")
    assert again.status_code == 400
    assert again.json() == {"detail": ["只有未处理的预警可以标记为已知悉。"]}
    assert client.get("/api/alerts/").json()["count"] == 1
    resolved = client.post(f"/api/alerts/{alert.pk}/resolve/", {"note": "已上门"}, format="json")
    assert resolved.status_code == 200
    assert (resolved.json()["status"], resolved.json()["resolution_note"]) == (
        "resolved",
        "已上门",
    )
    assert client.get("/api/alerts/").json()["count"] == 0
    assert client.get("/api/alerts/", {"status": "resolved"}).json()["count"] == 1
    assert client.get(f"/api/alerts/{alert.pk}/").status_code == 200


@pytest.mark.parametrize("data", [{}, {"note": ""}, {"note": "   "}])
def test_resolve_without_a_note_is_400(world, api, case, data):
    _crisis(api, world["worker"], case.client)
    alert = Alert.objects.get()
    response = api(world["worker"]).post(f"/api/alerts/{alert.pk}/resolve/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"note": ["请填写预警的处理情况。"]}
    alert.refresh_from_db()
    assert alert.status == "open"


def test_alert_status_filter(world, api, case):
    _crisis(api, world["worker"], case.client)
    client = api(world["director"])
    assert client.get("/api/alerts/", {"status": "open"}).json()["count"] == 1
    assert client.get("/api/alerts/", {"status": "acknowledged"}).json()["count"] == 0
    assert client.get("/api/alerts/", {"status": "nonsense"}).status_code == 400


def test_alert_out_of_scope_is_404(world, api, case):
    _crisis(api, world["worker"], case.client)
    alert = Alert.objects.get()
    response = api(world["director_b"]).post(f"/api/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 404


# --- Alert rules ---------------------------------------------------------------------------


def test_director_sets_a_rule_then_changes_it(world, api):
    client = api(world["director"])
    created = client.post(
        "/api/alert-rules/",
        {"kind": "high_risk_no_contact", "threshold_days": 7},
        format="json",
    )
    assert created.status_code == 201
    assert (created.json()["station"], created.json()["threshold_days"]) == (
        world.station_a.pk,
        7,
    )
    again = client.post(
        "/api/alert-rules/",
        {"kind": "high_risk_no_contact", "threshold_days": 10},
        format="json",
    )
    assert again.status_code == 200
    rule = AlertRule.objects.get()
    put = client.put(
        f"/api/alert-rules/{rule.pk}/", {"threshold_days": 5, "enabled": False}, format="json"
    )
    assert put.status_code == 200
    rule.refresh_from_db()
    assert (rule.kind, rule.threshold_days, rule.enabled) == ("high_risk_no_contact", 5, False)
    effective = {
        r["kind"]: (r["threshold_days"], r["enabled"])
        for r in client.get("/api/alert-rules/effective/").json()
    }
    assert effective == {
        "high_risk_no_contact": (5, False),
        "crisis_flag": (0, True),
        "meal_absence": (3, True),
        "plan_review_overdue": (0, True),
        "roster_visit_overdue": (0, True),
        "referral_follow_up": (0, True),
    }


def test_worker_reads_but_cannot_set_rules(world, api):
    services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind="meal_absence",
        threshold_days=2,
        enabled=True,
    )
    rule = AlertRule.objects.get()
    client = api(world["worker"])
    assert client.get("/api/alert-rules/").json()["count"] == 1
    posted = client.post(
        "/api/alert-rules/", {"kind": "meal_absence", "threshold_days": 9}, format="json"
    )
    put = client.put(f"/api/alert-rules/{rule.pk}/", {"threshold_days": 9}, format="json")
    assert (posted.status_code, put.status_code) == (403, 403)
    rule.refresh_from_db()
    assert rule.threshold_days == 2


def test_rule_days_out_of_range_is_400(world, api):
    response = api(world["director"]).post(
        "/api/alert-rules/", {"kind": "meal_absence", "threshold_days": -1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["threshold_days"]


def test_officials_see_no_alert_rules(world, api):
    services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind="meal_absence",
        threshold_days=2,
        enabled=True,
    )
    assert api(world["district"]).get("/api/alert-rules/").json()["count"] == 0
    assert api(world["district"]).get("/api/alert-rules/effective/").json() == []


def test_cases_cannot_be_ordered_by_content(world, api):
    first = open_case(world, register(world, "甲"))
    second = open_case(world, register(world, "乙"))
    services.case_assess(
        actor=world["worker"], case=first, assessed_on=TODAY(), needs="x", risk_level="high"
    )
    services.case_assess(
        actor=world["worker"], case=second, assessed_on=TODAY(), needs="x", risk_level="low"
    )
    # Ordered by risk, "high" would come first; the term is ignored instead.
    for ordering in ("risk_level", "client__name"):
        results = api(world["district"]).get("/api/cases/", {"ordering": ordering}).json()
        assert [c["id"] for c in results["results"]] == [second.pk, first.pk]


def register(world, name: str = CLIENT_NAME, *, sharing: bool = False, priority: bool = False):
    """A resident of station A with consent on record, classified in the family domain."""
    return register_resident(world, name, sharing=sharing, priority=priority, classify="family")
