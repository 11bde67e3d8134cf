"""Security hardening: the production profile passes `check --deploy`, security
headers and a strict Content-Security-Policy, session lifetime, disabled
accounts, log-in messages, two-factor log-in, uploaded-file checks."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.core.models import AuditEntry
from shegong.core.sessions import LAST_SEEN_KEY, STARTED_KEY
from shegong.core.uploads import validate_upload
from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parent.parent / "src"


def production_env(tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "SHEGONG_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shegong.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SHEGONG_FIELD_KEY": secrets.token_urlsafe(32),
        "SHEGONG_HOME": str(tmp_path),
    }


# --- The production profile ----------------------------------------------------------------


def test_production_profile_passes_check_deploy_without_warnings(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_settings(tmp_path):
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS',"
        " 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY',"
        " 'SECURE_SSL_REDIRECT', 'SHEGONG_REQUIRE_OTP_ROLES', 'SESSION_IDLE_SECONDS',"
        " 'SESSION_MAX_SECONDS']}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_SSL_REDIRECT": True,
        "SHEGONG_REQUIRE_OTP_ROLES": [
            "city_officer",
            "district_officer",
            "evaluator",
            "admin",
            "superuser",
        ],
        "SESSION_IDLE_SECONDS": 1800,
        "SESSION_MAX_SECONDS": 43200,
    }


def test_tests_and_development_do_not_require_two_factor(settings):
    assert settings.SHEGONG_REQUIRE_OTP_ROLES == []


# --- Headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/org/", "/api/docs/"])
def test_pages_carry_a_strict_content_security_policy(world, client, path):
    if path != "/accounts/login/":
        client.force_login(world["city"])
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_swagger_ui_page_has_no_inline_script_or_style(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_templates_hold_no_inline_script_or_style():
    offenders = []
    for template in (SRC / "shegong").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for needle in ("<script>", "style=", "<style", " onclick=", " onload=", "javascript:"):
            if needle in text:
                offenders.append(f"{template.relative_to(SRC)}: {needle}")
    assert offenders == []


# --- Sessions ------------------------------------------------------------------------------


def _shift_session(client, **seconds_back: int) -> None:
    session = client.session
    for key, back in seconds_back.items():
        session[key] = session[key] - back
    session.save()


def test_idle_session_is_logged_out(world, client, settings):
    client.force_login(world["worker"])
    assert client.get("/").status_code == 200
    _shift_session(client, **{LAST_SEEN_KEY: settings.SESSION_IDLE_SECONDS + 1})
    response = client.get("/org/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/org/")
    [entry] = AuditEntry.objects.filter(action="logout")
    assert (entry.username, entry.detail) == ("worker", {"reason": "idle"})


def test_activity_keeps_the_session_alive(world, client, settings):
    client.force_login(world["worker"])
    _shift_session(client, **{LAST_SEEN_KEY: settings.SESSION_IDLE_SECONDS - 60})
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5
    assert client.get("/org/").status_code == 200


def test_session_ends_after_its_absolute_lifetime(world, client, settings):
    client.force_login(world["worker"])
    _shift_session(client, **{STARTED_KEY: settings.SESSION_MAX_SECONDS + 1})
    response = client.get("/org/")
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action="logout")
    assert entry.detail == {"reason": "expired"}


def test_api_session_also_times_out(world, client, settings):
    client.force_login(world["worker"])
    _shift_session(client, **{LAST_SEEN_KEY: settings.SESSION_IDLE_SECONDS + 1})
    assert client.get("/api/stations/").status_code == 401


def test_log_in_gives_a_new_session_key(world, client):
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_disabled_accounts_session_stops_working(world, client):
    client.force_login(world["worker"])
    assert client.get("/org/").status_code == 200
    world["worker"].is_active = False
    world["worker"].save()
    assert client.get("/org/").status_code == 302


def test_disabling_in_the_admin_deletes_the_accounts_sessions(world, client):
    worker = Client()
    worker.force_login(world["worker"])
    key = worker.cookies["sessionid"].value
    client.force_login(world["admin"])
    form = client.get(f"/admin/accounts/user/{world['worker'].pk}/change/").context["adminform"]
    data = {}
    for fieldset in form:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    continue
                bound = field.field
                value = bound.value()
                if value is None:
                    continue
                if isinstance(value, list):
                    data[bound.html_name] = value
                elif isinstance(value, bool):
                    if value:
                        data[bound.html_name] = "on"
                else:
                    data[bound.html_name] = bound.field.widget.format_value(value) or value
    data.pop("is_active", None)
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "08:00:00"
    response = client.post(f"/admin/accounts/user/{world['worker'].pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world["worker"].refresh_from_db()
    assert world["worker"].is_active is False
    assert not Session.objects.filter(session_key=key).exists()


# --- Log-in messages -----------------------------------------------------------------------


def _login(username: str, password: str):
    client = Client()
    client.cookies["django_language"] = "en"
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_log_in_answers_the_same_for_unknown_user_wrong_password_and_disabled_account(world):
    world["director"].is_active = False
    world["director"].save()
    answers = [
        _login("nobody", "Wrong-horse-42"),
        _login("worker", "Wrong-horse-42"),
        _login("director", PASSWORD),
    ]
    assert {r.status_code for r in answers} == {200}
    messages = {tuple(r.context["form"].non_field_errors()) for r in answers}
    assert len(messages) == 1
    assert "Please enter a correct" in messages.pop()[0]


def test_lock_out_answers_the_same_for_unknown_and_existing_users(world):
    for username in ("worker", "nobody"):
        for _ in range(3):
            response = _login(username, "Wrong-horse-42")
    locked_known = _login("worker", "Wrong-horse-42")
    locked_unknown = _login("nobody", "Wrong-horse-42")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert response.status_code == 429
    # The same page, but for the per-response CSRF token.
    token = re.compile(rb'(value="|"X-CSRFToken": ")[^"]+"')
    assert token.sub(b"", locked_known.content) == token.sub(b"", locked_unknown.content)
    assert b"Too many failed log-in attempts" in locked_known.content


# --- Two-factor log-in ---------------------------------------------------------------------


@pytest.fixture
def otp_for_city(settings):
    settings.SHEGONG_REQUIRE_OTP_ROLES = ["city_officer", "superuser"]
    # No waiting between attempts (django-otp throttles wrong codes by default).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_city_officer_without_a_device_is_sent_to_enrol_first(world, client, otp_for_city):
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    response = client.get("/org/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/two-factor/?next=/org/",
    )
    assert client.get("/api/stations/").status_code == 403


def test_enrolment_with_a_valid_code_lets_the_officer_in(world, client, otp_for_city):
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    page = client.get("/accounts/two-factor/?next=/org/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user=world["city"], confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"token": "000000", "next": "/org/"})
    assert wrong.status_code == 400
    done = client.post("/accounts/two-factor/", {"token": _code(device), "next": "/org/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/org/").status_code == 200


def test_enrolled_officer_must_verify_after_the_password(world, client, otp_for_city):
    device = TOTPDevice.objects.create(user=world["city"], name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    response = client.get("/org/")
    assert response["Location"] == "/accounts/two-factor/verify/?next=/org/"
    refused = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/org/"})
    assert refused.status_code == 400
    assert client.get("/org/").status_code == 302
    assert AuditEntry.objects.filter(action="login_failed", username="city").count() == 1
    accepted = client.post(
        "/accounts/two-factor/verify/", {"token": _code(device), "next": "/org/"}
    )
    assert (accepted.status_code, accepted["Location"]) == (302, "/org/")
    assert client.get("/org/").status_code == 200


def test_a_backup_code_works_once(world, client, otp_for_city):
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=world["city"], name="backup codes")
    static.token_set.create(token="12345678")
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    ok = client.post("/accounts/two-factor/verify/", {"token": "12345678", "next": "/org/"})
    assert ok.status_code == 302
    assert not static.token_set.exists()


def test_workers_are_not_asked_for_a_second_factor(world, client, otp_for_city):
    client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert client.get("/org/").status_code == 200


def test_the_verify_page_refuses_an_outside_next(world, client, otp_for_city):
    device = TOTPDevice.objects.create(user=world["city"], name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    response = client.post(
        "/accounts/two-factor/verify/", {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


# --- Uploaded files ------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "Only .csv, .xlsx, .pdf files can be uploaded."),
        ("a.csv", b"", "The file is empty."),
        ("a.xlsx", b"%PDF-1.7", "The file cannot be read as an Excel workbook (.xlsx)."),
        ("a.pdf", b"PK\x03\x04", "The file's content does not match its type (.pdf)."),
        ("a.csv", b"MZ\x90\x00rest", "The file's content does not match its type (.csv)."),
        ("a.csv", b"a,b\x00c", "The file's content does not match its type (.csv)."),
        ("a.csv", b"x" * 2048, "The file is larger than 0 MB."),
    ],
)
def test_upload_validator_refuses(name, content, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_upload(upload(name, content), suffixes=(".csv", ".xlsx", ".pdf"), max_bytes=1024)
    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.csv", "日期,名称\n".encode()), ("A.XLSX", b"PK\x03\x04rest"), ("a.pdf", b"%PDF-1.7")],
)
def test_upload_validator_accepts_and_rewinds(name, content):
    file = upload(name, content)
    validate_upload(file, suffixes=(".csv", ".xlsx", ".pdf"), max_bytes=1024)
    assert file.read() == content


def test_an_api_token_needs_the_second_factor_too(world, api, otp_for_city):
    device = TOTPDevice.objects.create(user=world["city"], name="phone", confirmed=True)
    without = api().post("/api/token/", {"username": "city", "password": PASSWORD}, format="json")
    assert without.status_code == 400
    assert list(without.json()) == ["otp"]
    wrong = api().post(
        "/api/token/", {"username": "city", "password": PASSWORD, "otp": "000000"}, format="json"
    )
    assert wrong.status_code == 400
    right = api().post(
        "/api/token/",
        {"username": "city", "password": PASSWORD, "otp": _code(device)},
        format="json",
    )
    assert right.status_code == 200 and right.json()["token"]
    worker = api().post("/api/token/", {"username": "worker", "password": PASSWORD}, format="json")
    assert worker.status_code == 200


def test_the_page_asked_for_survives_the_two_factor_step(world, client, otp_for_city):
    device = TOTPDevice.objects.create(user=world["city"], name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    response = client.get("/org/", {"q": "沙园", "page": "1"})
    asked = "/org/?q=%E6%B2%99%E5%9B%AD&page=1"
    verify = client.get(response["Location"])
    assert verify.context["next"] == asked
    done = client.post("/accounts/two-factor/verify/", {"token": _code(device), "next": asked})
    assert done["Location"] == asked
