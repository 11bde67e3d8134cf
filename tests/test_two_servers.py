"""Two real gunicorn servers on loopback sharing one redis-server and one
database, as two app hosts behind a load balancer would: the public survey's
rate limits hold across them (concurrent submissions to both, exactly the
allowance passes), and so does the log-in lock-out (django-axes counts failures
in the database, so it needs no cache to be shared).

The test builds its own SQLite database file, starts and stops its own
processes on 127.0.0.1; skipped without redis-server unless SHEGONG_REQUIRE_REDIS=1."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.redis_server import free_port, skip_without_redis, start_redis, stop, wait_for_port

skip_without_redis()

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The test city's world and two published surveys, in the servers' database.
SETUP = """
import json, django
django.setup()
from tests.conftest import build_world
from tests.survey_world import full_answers, published
world = build_world()
surveys = [published(world, key) for key in ("satisfaction", "needs")]
print(json.dumps([[s.token, full_answers(s)] for s in surveys]))
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    redis_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shegong.settings_test",
        "SHEGONG_HOME": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SHEGONG_CACHE_PREFIX": f"two-{time.time_ns()}",
        "PYTHONPATH": str(ROOT),
    }
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(BIN / "shegong"), "migrate", "-v0"], **run)  # noqa: S603
    surveys = json.loads(subprocess.run([sys.executable, "-c", SETUP], **run).stdout)  # noqa: S603
    processes = [start_redis(redis_port, folder)]
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [str(BIN / "gunicorn"), "shegong.wsgi", "--workers", "2"]
                    + ["--bind", f"127.0.0.1:{port}", "--timeout", "120"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for port, process in zip(ports, processes[1:], strict=True):
            wait_for_port(port, process, seconds=60)
        yield {
            "bases": [f"http://127.0.0.1:{port}" for port in ports],
            "surveys": surveys,
            "database": folder / "db.sqlite3",
        }
    finally:
        for process in reversed(processes):
            stop(process)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One phone: its own cookies (the device cookie, the CSRF cookie)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Referer": url} if data is not None else {}
        try:
            with self.opener.open(urllib.request.Request(url, body, headers), timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, url: str) -> dict[str, str]:
        status, page = self.request(url)
        assert status == 200, page[:500]
        return {
            name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
            for name in ("csrfmiddlewaretoken", "token")
            if f'name="{name}"' in page
        }


def _responses(database: Path, token: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_survey s"
            " ON r.survey_id = s.id WHERE s.token = ?",
            (token,),
        ).fetchone()[0]


def _submit_all(pending: list[tuple[Browser, str, dict]]) -> list[int]:
    time.sleep(3.2)  # SURVEYS_MIN_FILL_SECONDS
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = pool.map(lambda p: p[0].request(p[1], p[2])[0], pending)
        return sorted(results)


def test_one_phone_submits_its_allowance_across_both_servers(servers):
    # One device, 8 forms, submitted at once to the two servers in turn: the
    # device allowance (5 an hour) holds across them; in each server's memory
    # both would pass 4.
    token, answers = servers["surveys"][0]
    phone = Browser()
    pending = []
    for n in range(8):
        url = f"{servers['bases'][n % 2]}/s/{token}/"
        pending.append((phone, url, {**answers, **phone.form(url)}))
    assert _submit_all(pending) == [302] * 5 + [429] * 3
    assert _responses(servers["database"], token) == 5


def test_one_address_submits_its_allowance_across_both_servers(servers):
    # 34 phones on one network (one address), at once, to both servers: the
    # address allowance (30 an hour) holds across them.
    token, answers = servers["surveys"][1]
    pending = []
    for n in range(34):
        phone, url = Browser(), f"{servers['bases'][n % 2]}/s/{token}/"
        pending.append((phone, url, {**answers, **phone.form(url)}))
    assert _submit_all(pending) == [302] * 30 + [429] * 4
    assert _responses(servers["database"], token) == 30


def test_the_log_in_lock_out_holds_across_both_servers(servers):
    # Three failures (the test settings' limit), split over the two servers, lock
    # the account out on both; the right password is then refused too.
    a, b = servers["bases"]
    person = Browser()
    statuses = []
    for base in (a, b, a):
        url = f"{base}/accounts/login/"
        fields = person.form(url)
        statuses.append(
            person.request(url, {**fields, "username": "worker", "password": "Wrong-horse-42"})[0]
        )
    url = f"{b}/accounts/login/"
    status, page = person.request(
        url, {**person.form(url), "username": "worker", "password": "Correct-horse-42"}
    )
    assert statuses[:2] == [200, 200]
    assert (statuses[2], status) == (429, 429)
    assert "登录失败次数过多" in page
