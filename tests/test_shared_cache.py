"""The shared cache (core/cache.py): the survey's rate limit holds across
processes through a real redis-server on loopback, and a Redis that is down
degrades to per-process counts with a warning, never an error.

Skipped without `redis-server` installed, except where SHEGONG_REQUIRE_REDIS=1
(CI), where it must run."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shegong.core.cache import ResilientRedisCache
from tests.redis_server import free_port, skip_without_redis, start_redis

skip_without_redis()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port()
    server = start_redis(port, tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


# One process's part of the race: once told to go (a line on stdin), submit 5
# times to the same survey from the same address through the survey's gate;
# print how many passed.
CHILD = """
import django, os, sys
django.setup()
from django.conf import settings
from shegong.surveys import antispam
settings.SURVEYS_MAX_PER_IP_PER_HOUR = 6
print("ready", flush=True)
sys.stdin.readline()
passed = 0
for n in range(5):
    try:
        antispam.rate_take(7, "10.0.0.1", f"device-{os.getpid()}-{n}")
    except antispam.Refused:
        continue
    passed += 1
print(passed, flush=True)
"""


def _run_children(redis_url: str, count: int) -> list[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "REDIS_URL": redis_url,
        "SHEGONG_CACHE_PREFIX": f"test-{time.time_ns()}",
    }
    env.pop("DATABASE_URL", None)
    children = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", CHILD],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        for child in children:  # every process set up before any submits
            assert child.stdout.readline().strip() == "ready"
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        return [int(child.communicate(timeout=120)[0].split()[-1]) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(10)


def test_the_rate_limit_holds_across_concurrent_processes(redis_url):
    # Four processes at once, 5 submissions each from one address, a limit of 6
    # an hour: counted in each process's memory they would pass 20; a read before
    # the count lets racing ones through; the increment as the gate passes 6.
    passed = _run_children(redis_url, 4)
    assert sum(passed) == 6, passed


def test_a_redis_that_is_down_degrades_to_this_process(caplog):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    cache = ResilientRedisCache(dead, {})
    with caplog.at_level(logging.WARNING, logger="shegong.cache"):
        cache.add("k", 0, timeout=60)
        assert cache.incr("k") == 1
        assert cache.incr("k") == 2
        assert cache.get("k") == 2
    assert cache.degraded
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # one per outage, not one per call


def test_a_redis_that_comes_back_is_used_again(tmp_path, monkeypatch, caplog):
    import shegong.core.cache as module

    monkeypatch.setattr(module, "RETRY_AFTER", 0.0)
    port = free_port()
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})
    cache.set("seen", "memory")
    assert cache.degraded and cache.get("seen") == "memory"
    server = start_redis(port, tmp_path)
    try:
        with caplog.at_level(logging.WARNING, logger="shegong.cache"):
            cache.set("seen", "redis")
            assert cache.get("seen") == "redis"
        assert not cache.degraded
        assert any("answers again" in r.getMessage() for r in caplog.records)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_sessions(redis_url):
    """Sessions read from Redis in front of the database, as with REDIS_URL set."""
    from django.test import override_settings

    prefix = f"sessions-test-{time.time_ns()}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "shegong.core.cache.SessionCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(
        CACHES=caches,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        yield


def _session_queries(client, path: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, [q["sql"] for q in captured if "django_session" in q["sql"]]


def test_a_page_reads_its_session_from_redis_and_an_ended_one_is_gone(world, redis_sessions):
    from django.core.cache import caches
    from django.test import Client

    from shegong.core.sessions import end_sessions_of

    worker, other = Client(), Client()
    worker.force_login(world["worker"])
    other.force_login(world["worker"])
    key = worker.cookies["sessionid"].value
    assert caches["sessions"].get(f"django.contrib.sessions.cached_db{key}") is not None
    # The page asks the database nothing about the session.
    assert _session_queries(worker, "/org/") == (200, [])
    # Ending the account's sessions ends them in the cache too: both clients are
    # logged out though the account stays active.
    assert end_sessions_of(world["worker"]) == 2
    assert caches["sessions"].get(f"django.contrib.sessions.cached_db{key}") is None
    assert worker.get("/org/").status_code == 302
    assert other.get("/org/").status_code == 302


def test_the_sessions_cache_degrades_to_the_database_and_forgets_what_changed(
    tmp_path, monkeypatch, caplog
):
    from django.core.cache.backends.redis import RedisCache

    import shegong.core.cache as module
    from shegong.core.cache import SessionCache

    monkeypatch.setattr(module, "RETRY_AFTER", 0.0)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    sessions = SessionCache(url, {})
    with caplog.at_level(logging.WARNING, logger="shegong.cache"):
        # Down: nothing is kept in this process's memory (every read misses, so
        # the session comes from the database).
        sessions.set("live", "data")
        assert sessions.get("live") is None and sessions.degraded
        sessions.delete("ended")  # a log-out while Redis is down
    assert any("read from the database" in r.getMessage() for r in caplog.records)
    server = start_redis(port, tmp_path)
    try:
        # Redis comes back holding an older copy of both (it kept them on disk).
        plain = RedisCache(url, {})
        plain.set("ended", "older copy")
        plain.set("live", "older copy")
        plain.set("untouched", "kept")
        # The first use deletes what this process changed meanwhile.
        assert sessions.get("ended") is None
        assert not sessions.degraded
        assert (plain.get("live"), plain.get("untouched")) == (None, "kept")
        sessions.set("live", "new")
        assert sessions.get("live") == "new"
    finally:
        server.terminate()
        server.wait(timeout=10)
