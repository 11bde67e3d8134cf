"""The audit log: one entry per create/update/delete of the audited records, with
actor, role, IP, station and field-level changes; sensitive fields redacted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shegong.accounts.models import User
from shegong.cases import services as case_services
from shegong.cases.models import Case
from shegong.clients import services as client_services
from shegong.clients.models import Resident
from shegong.core import audit
from shegong.core.models import AuditEntry
from shegong.core.roles import Role
from shegong.delivery.models import ServiceEvent
from shegong.plans.models import AnnualPlan
from tests.conftest import shared
from tests.delivery_world import TODAY, make_delivery, record

ID_NUMBER = "440105198001011234"
CHANGES = ("create", "update", "delete")


delivery = shared(make_delivery)


def new_entries(since: int, *actions: str):
    entries = AuditEntry.objects.filter(pk__gt=since).order_by("pk")
    return list(entries.filter(action__in=actions or CHANGES))


def mark() -> int:
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def api_client(api, user):
    client = api(user)
    client.cookies["django_language"] = "en"
    return client


# --- Residents -------------------------------------------------------------------------


def test_registering_a_resident_writes_one_create_entry_with_actor_ip_and_station(world, api):
    start = mark()
    response = api_client(api, world["worker"]).post(
        "/api/residents/",
        {
            "name": "陈秀英",
            "gender": "female",
            "birth_date": "1980-01-01",
            "id_number": ID_NUMBER,
            "phone": "13800138000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [entry] = new_entries(start)
    resident = Resident.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.object_repr) == (
        "create",
        "clients.resident",
        str(resident.pk),
        "陈秀英",
    )
    assert (entry.user, entry.username, entry.role, entry.ip) == (
        world["worker"],
        "worker",
        "social_worker",
        "127.0.0.1",
    )
    assert entry.station == world.station_a
    assert entry.changes["name"] == [None, "陈秀英"]
    assert entry.changes["phone"] == [None, "13800138000"]
    # The ID number never reaches the log, not even encrypted, hashed or masked.
    for field in ("id_number_encrypted", "id_number_hash", "id_number_masked"):
        assert entry.changes[field] == "changed"
    assert ID_NUMBER not in str(entry.changes)
    assert entry.at.tzinfo is not None


def test_updating_a_resident_records_only_the_changed_fields(world, api):
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="陈秀英",
        gender="female",
        birth_date=datetime.date(1980, 1, 1),
        phone="13800138000",
    )
    start = mark()
    response = api_client(api, world["director"]).patch(
        f"/api/residents/{resident.pk}/",
        {"address": "沙园街2号", "id_number": ID_NUMBER, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    [entry] = new_entries(start)
    assert (entry.action, entry.username, entry.role) == ("update", "director", "station_director")
    assert entry.changes == {
        "address": ["", "沙园街2号"],
        "id_number_encrypted": "changed",
        "id_number_hash": "changed",
        "id_number_masked": "changed",
    }


def test_deleting_a_resident_writes_one_delete_entry_with_what_it_held(world):
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="李伯",
        gender="male",
        birth_date=datetime.date(1940, 1, 2),
    )
    start = mark()
    pk = resident.pk
    with audit.acting_as(world["admin"]):
        resident.delete()
    [entry] = new_entries(start)
    assert (entry.action, entry.object_id, entry.object_repr, entry.username) == (
        "delete",
        str(pk),
        "李伯",
        "admin",
    )
    assert entry.station == world.station_a
    assert entry.changes["name"] == ["李伯", None]


def test_a_save_that_changes_nothing_writes_nothing(world):
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="李伯",
        gender="male",
        birth_date=datetime.date(1940, 1, 2),
    )
    start = mark()
    Resident.objects.get(pk=resident.pk).save()
    assert new_entries(start) == []


# --- Cases -----------------------------------------------------------------------------


def _client_with_consent(world) -> Resident:
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="王小明",
        gender="male",
        birth_date=datetime.date(2012, 3, 4),
    )
    client_services.consent_record(
        actor=world["worker"],
        resident=resident,
        recorded_on=TODAY(),
        lawful_basis="consent",
        given_by="guardian",
        guardian_name="王父",
        guardian_relation="父亲",
    )
    return resident


def test_opening_a_case_writes_one_entry(world, api):
    resident = _client_with_consent(world)
    start = mark()
    response = api_client(api, world["worker"]).post(
        "/api/cases/",
        {"client": resident.pk, "domain": "family", "source": "walk_in"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [entry] = new_entries(start)
    case = Case.objects.get()
    assert (entry.action, entry.object_type, entry.object_repr, entry.username) == (
        "create",
        "cases.case",
        case.number,
        "worker",
    )
    assert entry.changes["status"] == [None, "intake"]
    assert entry.station == world.station_a


def test_case_content_is_redacted_and_the_case_update_recorded(world):
    resident = _client_with_consent(world)
    case = case_services.case_open(
        actor=world["worker"],
        client=resident,
        domain="family",
        source="walk_in",
        opened_on=TODAY(),
    )
    start = mark()
    with audit.acting_as(world["worker"]):
        case_services.case_assess(
            actor=world["worker"],
            case=case,
            assessed_on=TODAY(),
            needs="父母离异，情绪低落，有自伤念头",
            risk_level="high",
        )
    entries = new_entries(start)
    by_type = {e.object_type: e for e in entries}
    assert sorted(by_type) == ["cases.assessment", "cases.case"]
    assessment = by_type["cases.assessment"]
    assert assessment.changes["needs"] == "changed"
    assert assessment.changes["risk_level"] == "changed"
    assert "自伤" not in str([e.changes for e in entries])
    assert assessment.station == world.station_a
    assert by_type["cases.case"].action == "update"
    assert by_type["cases.case"].changes["status"] == ["intake", "assessed"]
    assert by_type["cases.case"].changes["risk_level"] == "changed"


def test_deleting_a_case_writes_one_entry(world):
    resident = _client_with_consent(world)
    case = case_services.case_open(
        actor=world["worker"],
        client=resident,
        domain="family",
        source="walk_in",
        opened_on=TODAY(),
    )
    start = mark()
    with audit.acting_as(world["admin"]):
        case.events.all().delete()
        case.delete()
    [entry] = new_entries(start)
    assert (entry.action, entry.object_type, entry.object_repr) == (
        "delete",
        "cases.case",
        case.number,
    )


# --- Service events --------------------------------------------------------------------


def test_recording_a_service_event_writes_one_entry_listing_the_attendance(delivery, api):
    d = delivery
    start = mark()
    response = api_client(api, d["worker"]).post(
        "/api/service-events/",
        {
            "project": d.projects["key"].pk,
            "kind": "activity",
            "held_on": TODAY().isoformat(),
            "title": "中秋游园会",
            "attendees": [r.pk for r in d.residents[:3]],
            "headcount": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [entry] = new_entries(start)
    event = ServiceEvent.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "delivery.serviceevent",
        str(event.pk),
    )
    assert entry.changes["person_times"] == [None, 23]
    assert entry.changes["attendees"] == [None, sorted(r.pk for r in d.residents[:3])]
    assert (entry.username, entry.ip, entry.station) == ("worker", "127.0.0.1", d.world.station_a)


def test_correcting_attendance_writes_one_update_entry(delivery, api):
    d = delivery
    event = record(d, attendees=d.residents[:2], headcount=5)
    start = mark()
    response = api_client(api, d["director"]).patch(
        f"/api/service-events/{event.pk}/",
        {"attendees": [d.residents[2].pk], "headcount": 5},
        format="json",
    )
    assert response.status_code == 200, response.json()
    [entry] = new_entries(start)
    assert (entry.action, entry.username) == ("update", "director")
    assert entry.changes == {
        "person_times": [7, 6],
        "attendees": [sorted(r.pk for r in d.residents[:2]), [d.residents[2].pk]],
    }


def test_deleting_a_service_event_writes_one_entry(delivery, api):
    d = delivery
    event = record(d, attendees=d.residents[:4], headcount=0)
    start = mark()
    response = api_client(api, d["worker"]).delete(f"/api/service-events/{event.pk}/")
    assert response.status_code == 204
    [entry] = new_entries(start)
    assert (entry.action, entry.object_id, entry.username) == ("delete", str(event.pk), "worker")
    assert entry.changes["person_times"] == [4, None]


# --- Plans -----------------------------------------------------------------------------


def test_plan_create_update_delete_each_write_one_entry(world, api):
    client = api_client(api, world["director"])
    year = TODAY().year + 1
    start = mark()
    created = client.post("/api/plans/", {"year": year}, format="json")
    assert created.status_code == 201, created.json()
    [entry] = new_entries(start)
    assert (entry.action, entry.object_type, entry.username) == (
        "create",
        "plans.annualplan",
        "director",
    )
    assert entry.changes["year"] == [None, year]

    start = mark()
    changed = client.patch(
        f"/api/plans/{created.json()['id']}/",
        {"key_need_reason": "独居长者多", "version": created.json()["version"]},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    [entry] = new_entries(start)
    assert (entry.action, entry.changes) == ("update", {"key_need_reason": ["", "独居长者多"]})

    plan = AnnualPlan.objects.get()
    project = client.post(
        "/api/plan-projects/",
        {"plan": plan.pk, "kind": "basic", "domain": "youth", "name": "青少年服务"},
        format="json",
    )
    assert project.status_code == 201, project.json()
    start = mark()
    with audit.acting_as(world["admin"]):
        plan.delete()
    # The plan's projects went with it: counted in the plan's one entry.
    [entry] = new_entries(start)
    assert (entry.action, entry.object_type) == ("delete", "plans.annualplan")
    assert entry.detail == {"cascade": {"plans.planproject": 1}}


# --- Users -----------------------------------------------------------------------------


def test_creating_a_user_in_the_admin_writes_one_entry_without_the_password(world, client):
    client.force_login(world["admin"])
    start = mark()
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "worker9",
            "password1": "Very-long-pass-91",
            "password2": "Very-long-pass-91",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    [entry] = new_entries(start)
    user = User.objects.get(username="worker9")
    assert (entry.action, entry.object_type, entry.object_id, entry.username) == (
        "create",
        "accounts.user",
        str(user.pk),
        "admin",
    )
    assert entry.changes["password"] == "changed"
    assert user.password not in str(entry.changes)


def test_user_update_and_delete_write_one_entry_each(world):
    user = world["worker_c"]
    start = mark()
    with audit.acting_as(world["city"]):
        user.full_name = "新名字"
        user.set_password("Another-pass-77")
        user.save()
    [entry] = new_entries(start)
    assert entry.changes == {"full_name": ["Worker_C", "新名字"], "password": "changed"}
    assert (entry.username, entry.station) == ("city", world.station_c)
    start = mark()
    with audit.acting_as(world["city"]):
        user.delete()
    [entry] = new_entries(start)
    assert (entry.action, entry.object_repr) == ("delete", "新名字")


def test_commands_are_recorded_as_the_system(world):
    start = mark()
    world["worker"].full_name = "改名"
    world["worker"].save()
    [entry] = new_entries(start)
    assert (entry.user, entry.username, entry.ip) == (None, "system", None)


def test_bulk_writes_one_summary_entry(world):
    start = mark()
    with audit.bulk("bulk", "demo_city", scale="small"):
        for name in ("甲", "乙", "丙"):
            client_services.resident_register(
                actor=world["worker"],
                station=world.station_a,
                name=name,
                gender="male",
                birth_date=datetime.date(1960, 1, 1),
            )
    [entry] = new_entries(start, "bulk", *CHANGES)
    assert (entry.action, entry.object_repr) == ("bulk", "demo_city")
    assert entry.detail == {"scale": "small", "counts": {"clients.resident": {"create": 3}}}


def test_an_import_writes_one_entry(delivery, tmp_path):
    from shegong.delivery import importing

    d = delivery
    rows = "记录编号,日期,项目,服务类型,名称,参与居民,人数,社工\n" + "".join(
        f"R{i},{TODAY().isoformat()},邻里互助,社区活动,活动{i},,10,\n" for i in range(5)
    )
    path = tmp_path / "import.csv"
    path.write_text(rows, encoding="utf-8")
    start = mark()
    with path.open("rb") as file:
        result = importing.service_events_import(
            actor=d["worker"], file=file, filename="import.csv", year=TODAY().year
        )
    assert (result.loaded_events, result.error_count) == (5, 0), result.errors
    [entry] = new_entries(start, "import", *CHANGES)
    assert (entry.action, entry.object_repr, entry.username) == ("import", "import.csv", "worker")
    assert entry.detail["events"] == 5
    assert entry.station == d.world.station_a


# --- Append-only -----------------------------------------------------------------------


def _an_entry(world) -> AuditEntry:
    return audit.record("export", user=world["city"], object_repr="x.csv")


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    from shegong.core.models import AppendOnlyError

    entry = _an_entry(world)
    entry.object_repr = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "x.csv"


def test_the_admin_is_read_only(world, client):
    entry = _an_entry(world)
    client.force_login(world["admin"])
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"object_repr": "forged"})
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/admin/core/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "x.csv"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_has_no_writes(world, api, method):
    entry = _an_entry(world)
    client = api_client(api, world["city"])
    url = "/api/audit-log/" if method == "post" else f"/api/audit-log/{entry.pk}/"
    response = getattr(client, method)(url, {"object_repr": "forged"}, format="json")
    assert response.status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "x.csv"


def test_entries_are_stamped_in_utc(world):
    before = timezone.now()
    entry = _an_entry(world)
    assert before <= entry.at <= timezone.now()
    assert entry.at.utcoffset() == datetime.timedelta(0)


def test_a_role_is_kept_even_after_the_user_is_gone(world):
    user = User.objects.create(username="temp", role=Role.SOCIAL_WORKER, station=world.station_a)
    entry = audit.record("export", user=user, object_repr="y.csv")
    pk = user.pk
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.username, entry.role, entry.user_id) == ("temp", "social_worker", pk)


def test_a_token_authenticated_api_write_names_the_token_user(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=world["worker"])
    client = APIClient(REMOTE_ADDR="10.1.2.3")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    start = mark()
    response = client.post(
        "/api/residents/",
        {"name": "黄婆婆", "gender": "female", "birth_date": "1945-02-03"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [entry] = new_entries(start)
    assert (entry.user, entry.role, entry.ip) == (world["worker"], "social_worker", "10.1.2.3")
