"""The Django side of the tests of running beyond one database
(tests/test_replicas.py, tests/test_pgbouncer.py), run as a child process whose
settings name the throwaway servers of tests/pg_cluster.py:

    python -m tests.scale_child SCENARIO [ARGS]

Each scenario drives the platform through its public surfaces (Django's test
client: log-in, API writes, pages) and prints one JSON line: the statuses, the
figures shown, and which database alias served the statistics reads (every
statement is recorded per alias with `execute_wrapper`)."""

from __future__ import annotations

import datetime
import json
import logging
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

PASSWORD = "Correct-horse-42"


class Recorder:
    """Which alias ran which statement, while a request is served."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str]] = []

    def wrapper(self, alias: str):
        def record(execute, sql, params, many, context):
            self.statements.append((alias, sql))
            return execute(sql, params, many, context)

        return record

    def __enter__(self):
        self.stack = ExitStack()
        for alias in settings.DATABASES:
            self.stack.enter_context(connections[alias].execute_wrapper(self.wrapper(alias)))
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def reads_of(self, prefix: str) -> list[str]:
        """The aliases that read the tables whose names start with `prefix`."""
        return sorted(
            {
                alias
                for alias, sql in self.statements
                # DECLARE ... CURSOR FOR SELECT: an .iterator()'s server-side cursor.
                if sql.lstrip().startswith(("SELECT", "DECLARE")) and f'FROM "{prefix}' in sql
            }
        )


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


warnings = Warnings()
logging.getLogger("shegong").addHandler(warnings)


def dashboard(client: Client, path: str = "/stats/", tables: str = "stats_") -> dict:
    """A page; its status, figure, and the aliases that read `tables`."""
    with Recorder() as recorder:
        page = client.get(path)
        if page.streaming:
            page.content_read = b"".join(page.streaming_content)
    answer = {"status": page.status_code, "reads": recorder.reads_of(tables)}
    if page.status_code == 200 and page.context is not None and "summary" in page.context:
        answer["person_times"] = page.context["summary"].total
    return answer


def logged_in(username: str) -> Client:
    """A real log-in through the log-in page."""
    client = Client()
    page = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert page.status_code == 302, (page.status_code, page.content[:500])
    return client


def record_activity(client: Client, project: int, headcount: int) -> int:
    """A community activity through the API (delivery.services.service_event_record)."""
    response = client.post(
        "/api/service-events/",
        {
            "project": project,
            "kind": "activity",
            "held_on": timezone.localdate().isoformat(),
            "title": "社区邻里节",
            "headcount": headcount,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["person_times"]


def wait_received() -> None:
    """Until the replica has received (not necessarily replayed) all of the
    primary's WAL."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not receive the WAL")


# --- Scenarios ------------------------------------------------------------------------


def setup() -> dict:
    """The test world (tests/conftest.py) with this year's plan at station A."""
    from tests.conftest import build_world
    from tests.delivery_world import PROJECTS, _plan

    world = build_world()
    projects = _plan(world["director"], world.station_a, {"elderly": PROJECTS["elderly"]})
    return {"project": projects["elderly"].pk}


def servers() -> dict:
    """Each alias: is it a standby, and on which port does it answer."""
    from django.db import OperationalError

    answer = {}
    for alias in settings.DATABASES:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
                standby, port = cursor.fetchone()
        except OperationalError:
            answer[alias] = "down"
            continue
        answer[alias] = {"standby": standby, "port": port}
    return answer


def reads() -> dict:
    """The city officer's dashboard, a report, and the home page."""
    client = Client()
    client.force_login(_user("city"))
    with Recorder() as recorder:
        report = client.get(f"/stats/reports/monthly.csv?year={timezone.localdate().year}")
    home = Client()
    home.force_login(_user("worker"))
    with Recorder() as home_recorder:
        home_page = home.get("/")
    return {
        "servers": servers(),
        "dashboard": dashboard(client),
        "report": {"status": report.status_code, "reads": recorder.reads_of("stats_")},
        "home": {"status": home_page.status_code, "reads": home_recorder.reads_of("")},
        "export": dashboard(client, "/org/export.csv", tables="org_station"),
        "warnings": warnings.messages,
    }


def write_then_read(project: str) -> dict:
    """The worker records an activity of 30; the worker's next dashboard, the
    city officer's (who wrote nothing), and the worker's again after the pin."""
    worker = logged_in("worker")
    city = Client()
    city.force_login(_user("city"))
    before = dashboard(city)
    recorded = record_activity(worker, int(project), 30)
    wait_received()
    after = {"worker": dashboard(worker), "city": dashboard(city)}
    time.sleep(settings.REPLICA_PIN_SECONDS + 0.5)
    return {
        "before": before,
        "recorded": recorded,
        "after": after,
        "worker_later": dashboard(worker),
        "warnings": warnings.messages,
    }


def lagging(project: str) -> dict:
    """With replay paused: an activity of 12 by the worker, then the city
    officer's dashboard (not pinned)."""
    worker = logged_in("worker")
    city = Client()
    city.force_login(_user("city"))
    recorded = record_activity(worker, int(project), 12)
    wait_received()
    return {"recorded": recorded, "city": dashboard(city), "warnings": warnings.messages}


def loss(folder: str, port: str) -> dict:
    """The city officer's dashboard; the replica stopped; the dashboard twice
    again (the first of which meets the dead connection in the middle)."""
    from tests.pg_cluster import Server

    city = Client()
    city.force_login(_user("city"))
    first = dashboard(city)
    Server(Path(folder), "replica", int(port)).stop()
    return {
        "first": first,
        "second": dashboard(city),
        "third": dashboard(city),
        "export": dashboard(city, "/org/export.csv", tables="org_station"),
        "warnings": warnings.messages,
    }


def pgbouncer_walk(project: str) -> dict:
    """Log in, record an activity of 25 through the API, the dashboard, the
    station directory export (an .iterator()), log out, all through PgBouncer."""
    worker = logged_in("worker")
    recorded = record_activity(worker, int(project), 25)
    page = dashboard(worker)
    export = worker.get("/org/export.csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    logout = worker.post("/accounts/logout/")
    alias = connections["default"].settings_dict
    return {
        "recorded": recorded,
        "dashboard": page,
        "export": {"status": export.status_code, "rows": len(lines) - 1},
        "logout": logout.status_code,
        "server_side_cursors_disabled": alias["DISABLE_SERVER_SIDE_CURSORS"],
        "conn_max_age": alias["CONN_MAX_AGE"],
        "port": servers()["default"]["port"],
    }


def _user(username: str):
    from shegong.accounts.models import User

    return User.objects.get(username=username)


SCENARIOS = {
    "setup": setup,
    "reads": reads,
    "write_then_read": write_then_read,
    "lagging": lagging,
    "loss": loss,
    "pgbouncer_walk": pgbouncer_walk,
}

if __name__ == "__main__":
    setup_test_environment()
    # The test client's host, as the suite's settings allow it.
    settings.ALLOWED_HOSTS = ["testserver"]
    name, *args = sys.argv[1:]
    result = SCENARIOS[name](*args)
    print(
        json.dumps(
            result, default=lambda o: o.isoformat() if isinstance(o, datetime.date) else str(o)
        )
    )
