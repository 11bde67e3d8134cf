"""Read replicas (core/replicas.py) on a real PostgreSQL primary and streaming
replica, started on loopback for this module (initdb, pg_basebackup -R, two
ports, a temporary directory) and torn down after.

The platform runs in child processes (tests/scale_child.py) whose settings name
the pair; each records which alias ran the statistics reads, and the figures
shown. With replay paused on the replica (pg_wal_replay_pause()), what the
primary just recorded is not on the replica: a stale figure proves a replica
read, a fresh one a primary read.

Skipped without PostgreSQL's server binaries, except where
SHEGONG_REQUIRE_REPLICA=1 (CI), where it must run."""

from __future__ import annotations

import shutil
import time

import pytest

from tests.pg_cluster import (
    XDIST_GROUP,
    Server,
    child_env,
    free_port,
    pg_bin,
    require,
    run_child,
)

BIN = pg_bin()
require("SHEGONG_REQUIRE_REPLICA", BIN and BIN / "pg_basebackup")
# One worker builds the pair and runs these tests (`make test` distributes by group).
pytestmark = pytest.mark.xdist_group(XDIST_GROUP)


class Pair:
    """The session's primary and a streaming replica of it (pg_basebackup -R)."""

    def __init__(self, primary) -> None:
        self.folder = primary.folder
        self.primary = primary.server
        self.project = primary.project
        self.person_times = primary.person_times
        self.replica = Server(self.folder, "replica", free_port())

    def env(self, **settings: str) -> dict:
        """The child's settings: the pair, the replica's state asked on every
        page, and no lag threshold unless the test sets one."""
        return child_env(
            DATABASE_URL=self.primary.url(),
            DATABASE_REPLICA_URL=self.replica.url(),
            **{
                "SHEGONG_REPLICA_CHECK_SECONDS": "0",
                "SHEGONG_REPLICA_MAX_LAG_SECONDS": "3600",
                **settings,
            },
        )

    def caught_up(self) -> None:
        """Replay resumed and the replica has replayed everything."""
        self.replica.sql("SELECT pg_wal_replay_resume()")
        target = self.primary.sql("SELECT pg_current_wal_lsn()::text")[0]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
                return
            time.sleep(0.05)
        raise AssertionError("the replica did not catch up")


@pytest.fixture(scope="module")
def pair(postgres_primary):
    pair = Pair(postgres_primary)
    pair.replica.basebackup_of(pair.primary)
    pair.replica.start()
    try:
        pair.caught_up()
        yield pair
    finally:
        pair.replica.stop()
        shutil.rmtree(pair.replica.data, ignore_errors=True)


@pytest.fixture
def paused(pair):
    """Replay paused on the replica for the test, then resumed and caught up."""
    pair.replica.sql("SELECT pg_wal_replay_pause()")
    yield pair
    pair.caught_up()


def test_dashboard_and_report_read_the_replica_other_pages_the_primary(pair):
    answer = run_child("reads", pair.env())
    assert answer["servers"] == {
        "default": {"standby": False, "port": pair.primary.port},
        "replica": {"standby": True, "port": pair.replica.port},
    }
    assert answer["dashboard"] == {
        "status": 200,
        "reads": ["replica"],
        "person_times": pair.person_times(),
    }
    assert answer["report"] == {"status": 200, "reads": ["replica"]}
    assert answer["home"] == {"status": 200, "reads": ["default"]}
    # The CSV export's rows are read while they are streamed, still on the replica.
    assert answer["export"] == {"status": 200, "reads": ["replica"]}
    assert answer["warnings"] == []


def test_the_writer_reads_the_primary_for_the_pin_others_the_replica(paused):
    before = paused.person_times()
    answer = run_child(
        "write_then_read", paused.env(SHEGONG_REPLICA_PIN_SECONDS="2"), paused.project
    )
    assert answer["before"] == {"status": 200, "reads": ["replica"], "person_times": before}
    assert answer["recorded"] == 30
    # The worker who wrote sees the 30 at once, from the primary; the city officer
    # still reads the replica, whose replay is paused: the 30 is not there yet.
    assert answer["after"] == {
        "worker": {"status": 200, "reads": ["default"], "person_times": before + 30},
        "city": {"status": 200, "reads": ["replica"], "person_times": before},
    }
    # Two seconds later the worker's pin is over: back to the (paused) replica.
    assert answer["worker_later"] == {"status": 200, "reads": ["replica"], "person_times": before}
    assert answer["warnings"] == []


def test_a_replica_lagging_beyond_the_threshold_is_left_for_the_primary(paused):
    before = paused.person_times()
    # The last transaction replayed is older than the threshold by the time the
    # new one has been received.
    time.sleep(1.2)
    one_second = paused.env(SHEGONG_REPLICA_MAX_LAG_SECONDS="1")
    answer = run_child("lagging", one_second, paused.project)
    assert answer["recorded"] == 12
    assert answer["city"] == {"status": 200, "reads": ["default"], "person_times": before + 12}
    assert len(answer["warnings"]) == 1
    # Behind by a measured time, or — when the replica was restarted by another test
    # and has replayed no transaction since — by a time it cannot tell: either way
    # the replica is left for the primary, with one warning.
    warning = answer["warnings"][0]
    assert warning.startswith(("read replica lags ", "read replica lag unknown"))
    assert warning.endswith("reading from the primary")
    # Caught up, the replica serves the dashboard again, with the 12.
    paused.caught_up()
    again = run_child("reads", one_second)
    assert again["dashboard"] == {"status": 200, "reads": ["replica"], "person_times": before + 12}


def test_a_replica_that_goes_down_leaves_every_page_to_the_primary(pair):
    # Re-asked once a minute: the second page finds the replica gone in the
    # middle (its open connection dies) and is served again from the primary.
    env = pair.env(SHEGONG_REPLICA_CHECK_SECONDS="60")
    total = pair.person_times()
    try:
        answer = run_child("loss", env, str(pair.folder), str(pair.replica.port))
    finally:
        pair.replica.start()
    assert answer["first"] == {"status": 200, "reads": ["replica"], "person_times": total}
    assert answer["second"] == {"status": 200, "reads": ["default"], "person_times": total}
    assert answer["third"] == {"status": 200, "reads": ["default"], "person_times": total}
    assert answer["export"] == {"status": 200, "reads": ["default"]}
    assert len(answer["warnings"]) == 1
    assert answer["warnings"][0].startswith("read replica unreachable")


def test_a_replica_that_is_down_from_the_start_is_never_a_500(pair):
    total = pair.person_times()
    pair.replica.stop()
    try:
        answer = run_child("reads", pair.env())
    finally:
        pair.replica.start()
    assert answer["servers"]["replica"] == "down"
    assert answer["dashboard"] == {"status": 200, "reads": ["default"], "person_times": total}
    assert answer["report"] == {"status": 200, "reads": ["default"]}
    assert answer["warnings"][0].startswith("read replica unreachable")


def test_a_promoted_replica_is_no_longer_read(pair):
    # A replica promoted (failover, or by mistake) no longer follows the primary:
    # what it holds would drift from it. Rebuilt from the primary afterwards.
    total = pair.person_times()
    pair.replica._pg("pg_ctl", f"-D '{pair.replica.data}' -w promote")
    try:
        answer = run_child("reads", pair.env())
    finally:
        pair.replica.stop()
        shutil.rmtree(pair.replica.data, ignore_errors=True)
        pair.replica.basebackup_of(pair.primary)
        pair.replica.start()
    assert answer["servers"]["replica"] == {"standby": False, "port": pair.replica.port}
    assert answer["dashboard"] == {"status": 200, "reads": ["default"], "person_times": total}
    assert answer["warnings"] == [
        "read replica is no longer a standby (promoted?); reading from the primary"
    ]
