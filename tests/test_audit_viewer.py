"""Security events in the audit log (log-in, failures, log-out, refusals), the
viewer's scope, filters and export, and the retention command."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shegong.core import audit
from shegong.core.models import AuditEntry
from tests.conftest import PASSWORD


def entries(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- Log-in, log-out, refusals -----------------------------------------------------------


def test_a_successful_log_in_is_recorded(world, client):
    response = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302
    [entry] = entries("login")
    assert (entry.user, entry.username, entry.role, entry.ip) == (
        world["worker"],
        "worker",
        "social_worker",
        "127.0.0.1",
    )
    assert entry.station == world.station_a


@pytest.mark.parametrize("username", ["worker", "nobody-here"])
def test_a_failed_log_in_is_recorded_with_the_name_tried(world, client, username):
    response = client.post("/accounts/login/", {"username": username, "password": "wrong-pass"})
    assert response.status_code == 200
    [entry] = entries("login_failed")
    assert (entry.user, entry.username, entry.ip) == (None, username, "127.0.0.1")
    assert "wrong-pass" not in str(entry.detail) + str(entry.changes)


def test_log_out_is_recorded(world, client):
    client.force_login(world["director"])
    client.post("/accounts/logout/")
    [entry] = entries("logout")
    assert (entry.user, entry.username) == (world["director"], "director")


def test_a_403_of_a_logged_in_user_is_recorded(world, client):
    client.force_login(world["worker"])
    response = client.get("/audit/")
    assert response.status_code == 403
    [entry] = entries("access_denied")
    assert (entry.username, entry.station) == ("worker", world.station_a)
    assert entry.detail == {"method": "GET", "path": "/audit/", "status": 403}


def test_a_404_for_an_outsider_is_recorded(world, client):
    client.force_login(world["director"])
    response = client.get(f"/org/stations/{world.station_c.pk}/")
    assert response.status_code == 404
    [entry] = entries("access_denied")
    assert entry.detail["status"] == 404
    assert entry.detail["path"] == f"/org/stations/{world.station_c.pk}/"


def test_api_refusals_are_recorded_too(world, api):
    response = api(world["worker"]).post("/api/plans/", {"year": 2030}, format="json")
    assert response.status_code == 403
    [entry] = entries("access_denied")
    assert (entry.username, entry.detail["path"], entry.detail["status"]) == (
        "worker",
        "/api/plans/",
        403,
    )


def test_anonymous_404s_are_not_recorded(world, client):
    assert client.get("/no-such-page/").status_code == 404
    assert entries("access_denied") == []


# --- The viewer ----------------------------------------------------------------------------


@pytest.fixture
def logged(world):
    """One change at station A, one at station C, one log-in failure (no station)."""
    with audit.acting_as(world["worker"]):
        a = audit.record("update", obj=world.station_a, changes={"phone": ["1", "2"]})
    with audit.acting_as(world["worker_c"]):
        c = audit.record("update", obj=world.station_c, changes={"phone": ["3", "4"]})
    failed = audit.record("login_failed", username="intruder")
    return {"a": a, "c": c, "failed": failed}


def listed(client, **params) -> set[int]:
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return {row["entry"].pk for row in response.context["rows"]}


def test_city_officer_sees_every_entry(world, client, logged):
    client.force_login(world["city"])
    assert listed(client) >= {logged["a"].pk, logged["c"].pk, logged["failed"].pk}


def test_director_sees_only_their_stations_entries(world, client, logged):
    client.force_login(world["director"])
    seen = listed(client)
    assert logged["a"].pk in seen
    assert logged["c"].pk not in seen
    assert logged["failed"].pk not in seen
    client.force_login(world["director_b"])
    assert logged["a"].pk not in listed(client)


@pytest.mark.parametrize("person", ["worker", "agency", "district", "evaluator"])
def test_other_roles_cannot_open_the_viewer(world, client, person):
    client.force_login(world[person])
    assert client.get("/audit/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get("/audit/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/audit/")


def test_api_lists_by_the_same_scope(world, api, logged):
    city = {e["id"] for e in api(world["city"]).get("/api/audit-log/").json()["results"]}
    director = {e["id"] for e in api(world["director"]).get("/api/audit-log/").json()["results"]}
    worker = api(world["worker"]).get("/api/audit-log/").json()["results"]
    assert {logged["a"].pk, logged["c"].pk} <= city
    assert logged["a"].pk in director and logged["c"].pk not in director
    assert worker == []


def test_filters_by_user_action_model_and_date(world, client, logged):
    client.force_login(world["city"])
    assert listed(client, user="worker_c") == {logged["c"].pk}
    assert listed(client, action="login_failed") == {logged["failed"].pk}
    assert listed(client, model="org.station", action="update") == {logged["a"].pk, logged["c"].pk}
    today = timezone.localdate()
    assert logged["a"].pk in listed(client, since=today.isoformat(), until=today.isoformat())
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert listed(client, until=yesterday) == set()


def test_the_viewer_is_paginated(world, client):
    for n in range(55):
        audit.record("export", user=world["city"], object_repr=f"{n}.csv")
    client.force_login(world["city"])
    first = client.get("/audit/")
    second = client.get("/audit/", {"page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) >= 5


def test_officials_see_which_resident_fields_changed_not_their_values(world, client):
    from shegong.clients import services as client_services

    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="陈秀英",
        gender="female",
        birth_date=datetime.date(1980, 1, 1),
        phone="13800138000",
    )
    client.force_login(world["city"])
    body = client.get("/audit/", {"model": "clients.resident"}).content.decode()
    assert "13800138000" not in body and "陈秀英" not in body
    assert f"#{resident.pk}" in body and "<strong>手机号码</strong>" in body
    client.force_login(world["director"])
    body = client.get("/audit/", {"model": "clients.resident"}).content.decode()
    assert "13800138000" in body and "陈秀英" in body


def test_csv_export_of_the_filtered_entries(world, client, logged):
    client.force_login(world["director"])
    response = client.get("/audit/", {"format": "csv", "action": "update"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2  # the header and station A's one change
    assert "org.station" in lines[1] and '[""1"", ""2""]' in lines[1]
    # The export itself is on the record.
    [export] = entries("export")
    assert (export.username, export.object_repr.endswith(".csv")) == ("director", True)


def test_exported_cells_are_neutralised_against_formulas(world, client):
    audit.record("login_failed", username='=HYPERLINK("http://x")')
    client.force_login(world["city"])
    response = client.get("/audit/", {"format": "csv", "action": "login_failed"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


# --- Retention -----------------------------------------------------------------------------


def test_prune_refuses_less_than_six_months(world):
    with pytest.raises(CommandError, match="183"):
        call_command("audit_prune", "--older-than-days", "182")


def test_prune_deletes_only_older_entries_and_records_itself(world):
    old = audit.record("export", user=world["city"], object_repr="old.csv")
    from django.db import connection

    with connection.cursor() as cursor:
        table = AuditEntry._meta.db_table
        cursor.execute(
            f"UPDATE {table} SET at = %s WHERE id = %s",  # noqa: S608
            [timezone.now() - datetime.timedelta(days=400), old.pk],
        )
    recent = audit.record("export", user=world["city"], object_repr="new.csv")
    call_command("audit_prune", "--older-than-days", "365")
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    prune = AuditEntry.objects.filter(action="delete", object_type="core.auditentry").get()
    assert prune.detail == {"older_than_days": 365, "deleted": 1}
