"""The shared cache (core/cache.py): the survey's rate limit holds across
processes through a real redis-server on loopback, and a Redis that is down
degrades to per-process counts with a warning, never an error.

Skipped without `redis-server` installed, except where SHEGONG_REQUIRE_REDIS=1
(CI), where it must run."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shegong.core.cache import ResilientRedisCache

REDIS = shutil.which("redis-server")
if REDIS is None and os.environ.get("SHEGONG_REQUIRE_REDIS") != "1":
    pytest.skip(
        "redis-server is not installed (apt-get install redis-server)", allow_module_level=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port: int, folder: Path) -> subprocess.Popen:
    assert REDIS, "redis-server is required here (SHEGONG_REQUIRE_REDIS=1)"
    server = subprocess.Popen(  # noqa: S603 (Debian's redis-server, loopback only)
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    server = _start_redis(port, tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


# One process's part of the race: submit 4 times to the same survey from the same
# address through the survey's own rate-limit functions; print how many passed.
CHILD = """
import django, os
django.setup()
from django.conf import settings
from shegong.surveys import antispam
settings.SURVEYS_MAX_PER_IP_PER_HOUR = 6
passed = 0
for n in range(4):
    try:
        antispam.check_rate(7, "10.0.0.1", f"device-{os.getpid()}-{n}")
    except antispam.Refused:
        continue
    antispam.count_submission(7, "10.0.0.1", f"device-{os.getpid()}-{n}")
    passed += 1
print(passed)
"""


def _run_children(redis_url: str, count: int) -> list[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
        "REDIS_URL": redis_url,
        "SHEGONG_CACHE_PREFIX": f"test-{time.time_ns()}",
    }
    env.pop("DATABASE_URL", None)
    # One process after the other: what is tested is that they share one count
    # (in per-process memory each would pass 4). Submissions racing between the
    # check and the count can still pass the limit by one each (check_rate reads,
    # count_submission increments afterwards).
    passed = []
    for _ in range(count):
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", CHILD],
            env=env,
            capture_output=True,
            cwd=Path(__file__).resolve().parent.parent,
            timeout=120,
            check=True,
        )
        passed.append(int(done.stdout.decode().split()[-1]))
    return passed


def test_the_rate_limit_holds_across_processes(redis_url):
    # Three processes, 4 submissions each from one address, a limit of 6 an hour:
    # counted in each process's memory they would pass 12; shared, 6 pass.
    passed = _run_children(redis_url, 3)
    assert passed == [4, 2, 0]


def test_a_redis_that_is_down_degrades_to_this_process(caplog):
    dead = f"redis://127.0.0.1:{_free_port()}/0"
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
    port = _free_port()
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})
    cache.set("seen", "memory")
    assert cache.degraded and cache.get("seen") == "memory"
    server = _start_redis(port, tmp_path)
    try:
        with caplog.at_level(logging.WARNING, logger="shegong.cache"):
            cache.set("seen", "redis")
            assert cache.get("seen") == "redis"
        assert not cache.degraded
        assert any("answers again" in r.getMessage() for r in caplog.records)
    finally:
        server.terminate()
        server.wait(timeout=10)
