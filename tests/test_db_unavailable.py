"""A lost database connection answers 503 + Retry-After with a translated message,
never a 500 with a stack trace (core.middleware.database_unavailable). The real
outages (PostgreSQL restarted, out of connections) are driven by `make faults`."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import translation

from shegong.cases import selectors as case_selectors
from shegong.org import api as org_api
from tests.conftest import PASSWORD

MESSAGE_EN = "The database is briefly unavailable. Please try again in a few seconds."
MESSAGE_ZH = "数据库暂时不可用，请几秒钟后重试。"


def _fail(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_page_answers_503_in_chinese(world, login, monkeypatch):
    # The worker's home reads their open alerts (shegong/home/queues.py).
    monkeypatch.setattr(case_selectors, "my_open_alerts", _fail)
    response = login(world["worker"]).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert MESSAGE_ZH in body
    assert "Traceback" not in body and "127.0.0.1" not in body


def test_the_api_answers_503_json(world, api, monkeypatch):
    def broken(self, *args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(org_api.StationViewSet, "get_queryset", broken)
    with translation.override("en"):
        response = api(world["worker"]).get("/api/stations/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"] in {MESSAGE_EN, MESSAGE_ZH}


@pytest.mark.django_db
def test_an_error_outside_the_view_answers_503_too(world, monkeypatch):
    """Saving the session at log-in happens in middleware, after the view."""
    monkeypatch.setattr(SessionStore, "save", _fail)
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"username": "worker", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 503
    assert MESSAGE_ZH in response.content.decode()


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_a_session():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie: monitoring leaves no trace
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
def test_the_health_check_answers_503_when_the_database_is_down(monkeypatch):
    from shegong.core import views

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
