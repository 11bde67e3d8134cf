"""Supervision and inspection: the visit with its checklist, the rectification
lifecycle (open → submitted → accepted / rejected back to open), overdue alerts
raised once and resolved on closure, evidence checks, scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from shegong.evaluation.models import RectificationAlert
from tests.evaluation_world import english_messages
from tests.test_evaluation_evidence import html_as_pdf, pdf


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


TODAY = timezone.localdate


def _inspect(api, world, **extra):
    body = {
        "station": world.station_a.pk,
        "visited_on": (TODAY() - datetime.timedelta(days=20)).isoformat(),
        "findings": "消防通道堆放杂物",
        "checks": [
            {"item": "site_safety", "result": "fail", "note": "消防通道堆放杂物"},
            {"item": "staff_records", "result": "pass"},
            {"item": "phone_check", "result": "pass", "note": "回访3户均满意"},
        ],
    }
    body.update(extra)
    return api(world["district"]).post("/api/inspections/", body, format="json")


def _rectify(api, world, inspection_id, due_in_days=-1, owner="director"):
    return api(world["district"]).post(
        "/api/rectifications/",
        {
            "inspection": inspection_id,
            "description": "清理消防通道",
            "owner": world[owner].pk,
            "due_on": (TODAY() + datetime.timedelta(days=due_in_days)).isoformat(),
        },
        format="json",
    )


def test_inspection_records_the_whole_checklist(world, api):
    response = _inspect(api, world)
    assert response.status_code == 201, response.json()
    checks = {c["item"]: (c["result"], c["note"]) for c in response.json()["checks"]}
    assert checks == {
        "site_safety": ("fail", "消防通道堆放杂物"),
        "staff_records": ("pass", ""),
        "management_rules": ("na", ""),
        "phone_check": ("pass", "回访3户均满意"),
    }


@pytest.mark.parametrize(
    ("person", "status"),
    [("director", 403), ("worker", 403), ("evaluator", 403), ("other_district", 400)],
)
def test_only_officers_in_scope_record_inspections(world, api, person, status):
    response = _inspect(api, world) if person == "district" else None
    response = api(world[person]).post(
        "/api/inspections/",
        {"station": world.station_a.pk, "visited_on": TODAY().isoformat()},
        format="json",
    )
    # Station staff and evaluators may not create; an officer of another district
    # cannot even name station A (it reads as a missing station).
    assert response.status_code == status


def test_rectification_lifecycle_with_rejection(world, api):
    inspection = _inspect(api, world).json()
    item = _rectify(api, world, inspection["id"], due_in_days=10).json()
    assert item["status"] == "open"
    director = api(world["director"])
    submitted = director.post(
        f"/api/rectifications/{item['id']}/submit/",
        {"response": "已清理", "evidence": pdf("整改照片.pdf")},
        format="multipart",
    )
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["status"], submitted.json()["evidence_name"]) == (
        "submitted",
        "整改照片.pdf",
    )
    with translation.override("en"):
        again = director.post(
            f"/api/rectifications/{item['id']}/submit/", {"response": "x"}, format="json"
        )
    assert again.status_code == 400
    assert again.json() == {
        "detail": ["Only an open item can be submitted; this one is Submitted for acceptance."]
    }
    # The director cannot accept their own work.
    assert director.post(f"/api/rectifications/{item['id']}/accept/", {}).status_code == 403
    officer = api(world["district"])
    with translation.override("en"):
        no_reason = officer.post(f"/api/rectifications/{item['id']}/reject/", {}, format="json")
    assert no_reason.json() == {"note": ["Say why the item is sent back."]}
    rejected = officer.post(
        f"/api/rectifications/{item['id']}/reject/", {"note": "照片不清晰"}, format="json"
    )
    assert rejected.json()["status"] == "open"
    director.post(
        f"/api/rectifications/{item['id']}/submit/", {"response": "已重新拍照"}, format="json"
    )
    accepted = officer.post(f"/api/rectifications/{item['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "closed"
    assert accepted.json()["closed_at"]


def test_owner_must_be_the_stations_staff(world, api):
    inspection = _inspect(api, world).json()
    with translation.override("en"):
        response = _rectify(api, world, inspection["id"], owner="director_b")
    assert response.status_code == 400
    assert response.json() == {"owner": ["The owner must be the station's director or staff."]}


def test_worker_owner_sees_and_submits_only_their_items(world, api):
    inspection = _inspect(api, world).json()
    mine = _rectify(api, world, inspection["id"], owner="worker").json()
    _rectify(api, world, inspection["id"], owner="director")
    worker = api(world["worker"])
    assert [r["id"] for r in worker.get("/api/rectifications/").json()["results"]] == [mine["id"]]
    done = worker.post(
        f"/api/rectifications/{mine['id']}/submit/", {"response": "已整改"}, format="json"
    )
    assert done.status_code == 200
    # Outsiders: another station's director and another district's officer get 404.
    assert api(world["director_b"]).get(f"/api/rectifications/{mine['id']}/").status_code == 404
    assert api(world["other_district"]).get(f"/api/rectifications/{mine['id']}/").status_code == 404
    assert api(world["evaluator"]).get("/api/inspections/").json()["count"] == 0


def test_overdue_alert_raised_once_and_resolved_on_closure(world, api, login):
    inspection = _inspect(api, world).json()
    late = _rectify(api, world, inspection["id"], due_in_days=-1).json()
    _rectify(api, world, inspection["id"], due_in_days=5)
    call_command("inspection_alerts")
    call_command("inspection_alerts")
    alerts = RectificationAlert.objects.all()
    assert [(a.rectification_id, a.assigned_to, a.resolved_at) for a in alerts] == [
        (late["id"], world["director"], None)
    ]
    # On the director's and the district officer's home page, and in their API.
    for person in ("director", "district"):
        page = login(world[person]).get("/")
        assert 'data-testid="overdue-rectifications"' in page.content.decode()
        open_alerts = api(world[person]).get("/api/rectification-alerts/", {"open": "true"})
        assert open_alerts.json()["count"] == 1
    assert api(world["director_b"]).get("/api/rectification-alerts/").json()["count"] == 0
    # Closing the item resolves its alert; the next run raises nothing new.
    api(world["director"]).post(
        f"/api/rectifications/{late['id']}/submit/", {"response": "已整改"}, format="json"
    )
    api(world["district"]).post(f"/api/rectifications/{late['id']}/accept/", {}, format="json")
    call_command("inspection_alerts")
    alert = RectificationAlert.objects.get()
    assert alert.resolved_at is not None
    assert (
        api(world["director"]).get("/api/rectification-alerts/", {"open": "true"}).json()["count"]
        == 0
    )


def test_rectification_evidence_refuses_html_and_downloads_as_attachment(world, api, login):
    inspection = _inspect(api, world).json()
    item = _rectify(api, world, inspection["id"], due_in_days=3).json()
    with translation.override("en"):
        refused = api(world["director"]).post(
            f"/api/rectifications/{item['id']}/submit/",
            {"response": "已整改", "evidence": html_as_pdf()},
            format="multipart",
        )
    assert refused.status_code == 400
    assert refused.json() == {"evidence": ["The file's content does not match its type (.pdf)."]}
    api(world["director"]).post(
        f"/api/rectifications/{item['id']}/submit/",
        {"response": "已整改", "evidence": pdf("照片.pdf")},
        format="multipart",
    )
    response = login(world["district"]).get(f"/evaluation/rectifications/{item['id']}/evidence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_inspection_web_pages(world, login):
    client = login(world["district"])
    response = client.post(
        "/evaluation/inspections/new/",
        {
            "station": world.station_a.pk,
            "visited_on": TODAY().isoformat(),
            "findings": "档案不全",
            "check_site_safety": "pass",
            "check_staff_records": "fail",
            "check_management_rules": "pass",
            "check_phone_check": "na",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "档案不全" in detail.content.decode()
    assert login(world["director_b"]).get(response["Location"]).status_code == 404
    assert login(world["director"]).get("/evaluation/inspections/").status_code == 200
    assert login(world["evaluator"]).get("/evaluation/inspections/").status_code == 403
