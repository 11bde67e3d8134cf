"""Running behind PgBouncer in transaction mode (settings: DATABASE_PGBOUNCER=1):
Debian's pgbouncer on loopback in front of a real PostgreSQL (the session's
primary, tests/pg_cluster.py), a pool of 2 server connections, and real
requests through it in a child process (tests/scale_child.py): a log-in, a
write through a service (the API's service event), the dashboard with the
figure, an export read with .iterator(), a log-out.

Skipped without pgbouncer or PostgreSQL installed, except where
SHEGONG_REQUIRE_PGBOUNCER=1 (CI), where it must run."""

from __future__ import annotations

import shutil

import pytest

from tests.pg_cluster import (
    XDIST_GROUP,
    PgBouncer,
    child_env,
    free_port,
    pg_bin,
    require,
    run_child,
)

require("SHEGONG_REQUIRE_PGBOUNCER", shutil.which("pgbouncer"), pg_bin())
pytestmark = pytest.mark.xdist_group(XDIST_GROUP)


@pytest.fixture(scope="module")
def bouncer(postgres_primary):
    bouncer = PgBouncer(postgres_primary.folder, postgres_primary.server, free_port())
    bouncer.start()
    try:
        yield bouncer
    finally:
        bouncer.stop()


def test_log_in_write_and_dashboard_through_pgbouncer_in_transaction_mode(
    bouncer, postgres_primary
):
    before = postgres_primary.person_times()
    env = child_env(DATABASE_URL=bouncer.url(), DATABASE_PGBOUNCER="1")
    answer = run_child("pgbouncer_walk", env, postgres_primary.project)
    # The child's only database was PgBouncer, with the settings it needs.
    assert answer["port"] == postgres_primary.server.port  # the server behind it
    assert answer["server_side_cursors_disabled"] is True
    assert answer["conn_max_age"] == 0
    assert answer["recorded"] == 25
    assert answer["dashboard"] == {"status": 200, "reads": ["default"], "person_times": before + 25}
    # The directory in the worker's scope: its own station, one row.
    assert answer["export"] == {"status": 200, "rows": 1}
    assert answer["logout"] == 302
    assert postgres_primary.person_times() == before + 25
    # Every transaction went through the pool, on at most its 2 server connections.
    stats = {row["database"]: row for row in bouncer.show("STATS")}
    assert stats["shegong"]["total_xact_count"] > 20
    pools = [row for row in bouncer.show("POOLS") if row["database"] == "shegong"]
    assert sum(row["sv_active"] + row["sv_idle"] + row["sv_used"] for row in pools) <= 2
