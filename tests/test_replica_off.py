"""Without DATABASE_REPLICA_URL (SQLite, or one PostgreSQL) the read-replica
machinery (core/replicas.py) is off: one database alias, no router, no pin
cookie after a write, and the marked views read the one database."""

from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD


def test_one_database_and_no_router():
    assert list(settings.DATABASES) == ["default"]
    assert settings.DATABASE_ROUTERS == []


def test_a_write_sets_no_pin_and_the_dashboard_reads_the_one_database(world):
    client = Client()
    page = client.post("/accounts/login/", {"username": "city", "password": PASSWORD})
    assert page.status_code == 302
    assert "shegong_primary" not in page.cookies
    with CaptureQueriesContext(connections["default"]) as queries:
        dashboard = client.get("/stats/")
    assert dashboard.status_code == 200
    assert any('"stats_' in q["sql"] for q in queries.captured_queries)
