"""Throwaway PostgreSQL servers on loopback for the tests of running beyond one
database (read replica, PgBouncer): initdb in a temporary directory, a primary
and a streaming replica (pg_basebackup -R), PgBouncer in front, torn down after.

Run as the postgres user when the tests run as root (PostgreSQL and PgBouncer
refuse root), as .ci/run and bench/pg.sh do. The Django processes under test are
children (`run_child`): their settings (DATABASE_URL, DATABASE_REPLICA_URL) name
these servers, not the suite's own database."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found else None


def require(flag: str, *programs: Path | str | None) -> None:
    """Skip the module when a program is missing, unless `flag`=1 (CI), where
    the module must run and fails instead."""
    missing = [str(p) for p in programs if p is None or not Path(p).exists()]
    if missing and os.environ.get(flag) != "1":
        pytest.skip(f"not installed: {', '.join(missing)}", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command: str, check: bool = True) -> subprocess.CompletedProcess:
    if os.getuid() == 0:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", command]
    else:
        argv = ["sh", "-c", command]
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)  # noqa: S603


def workdir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="shegong-scale-"))
    folder.chmod(0o755)
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    return folder


class Server:
    """One PostgreSQL server (data directory `folder`/`name`) on 127.0.0.1:port."""

    def __init__(self, folder: Path, name: str, port: int):
        self.bin = pg_bin()
        self.data = folder / name
        self.log = folder / f"{name}.log"
        self.socket_dir = folder
        self.port = port

    def _pg(self, program: str, args: str, check: bool = True):
        return as_postgres(f"{shlex.quote(str(self.bin / program))} {args}", check=check)

    def initdb(self) -> None:
        self._pg("initdb", f"-D '{self.data}' -U postgres -A trust -E UTF8 --locale=C.UTF-8")

    def basebackup_of(self, primary: Server) -> None:
        """A streaming standby of `primary` (standby.signal and primary_conninfo)."""
        self._pg(
            "pg_basebackup",
            f"-h 127.0.0.1 -p {primary.port} -U postgres -D '{self.data}' -R -X stream -c fast",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k '{self.socket_dir}' -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=50"
        )
        self._pg("pg_ctl", f"-D '{self.data}' -l '{self.log}' -w -o \"{options}\" start")

    def stop(self) -> None:
        self._pg("pg_ctl", f"-D '{self.data}' -m fast -w stop", check=False)

    def url(self, database: str = "shegong") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "shegong"):
        """One statement in autocommit; the first row, if any."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        ) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchone() if cursor.description else None


class PgBouncer:
    """PgBouncer in transaction mode on 127.0.0.1:port, in front of `server`."""

    def __init__(self, folder: Path, server: Server, port: int, pool_size: int = 2):
        self.folder, self.server, self.port = folder, server, port
        self.ini = folder / "pgbouncer.ini"
        self.ini.write_text(
            "[databases]\n"
            f"* = host=127.0.0.1 port={server.port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\n"
            f"unix_socket_dir = {folder}\n"
            "auth_type = trust\n"
            f"auth_file = {folder / 'userlist.txt'}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\n"
            "max_client_conn = 100\n"
            f"logfile = {folder / 'pgbouncer.log'}\n"
            f"pidfile = {folder / 'pgbouncer.pid'}\n"
            "admin_users = postgres\n"
        )
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = f"exec {shutil.which('pgbouncer')} {self.ini}"
        argv = (
            ["su", "postgres", "-s", "/bin/sh", "-c", command]
            if os.getuid() == 0
            else ["sh", "-c", command]
        )
        self.process = subprocess.Popen(argv)  # noqa: S603
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("pgbouncer did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def url(self, database: str = "shegong") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def show(self, what: str) -> list[tuple]:
        """SHOW POOLS/STATS... on PgBouncer's admin console."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="pgbouncer", autocommit=True
        ) as connection:
            cursor = connection.execute(f"SHOW {what}", prepare=False)
            columns = [c.name for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def child_env(**settings: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shegong.settings_test", **settings}
    for name in ("DATABASE_REPLICA_URL", "DATABASE_PGBOUNCER"):
        if name not in settings:
            env.pop(name, None)
    return env


def run_child(scenario: str, env: dict, *args: str) -> dict:
    """Run `tests/scale_child.py scenario` with these settings; its JSON answer."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.scale_child", scenario, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise AssertionError(f"{scenario} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def migrate(env: dict) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "shegong.manage", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )


class Primary:
    """The session's PostgreSQL primary: database `shegong` migrated, with the
    test world (tests/conftest.py) and this year's plan at station A."""

    def __init__(self) -> None:
        self.folder = workdir()
        self.server = Server(self.folder, "primary", free_port())
        self.project = ""

    def start(self) -> None:
        self.server.initdb()
        self.server.start()
        self.server.sql("CREATE DATABASE shegong", database="postgres")
        env = child_env(DATABASE_URL=self.server.url())
        migrate(env)
        self.project = str(run_child("setup", env)["project"])

    def person_times(self) -> int:
        """What the primary holds: every service event's person-times."""
        return self.server.sql("SELECT coalesce(sum(person_times), 0) FROM delivery_serviceevent")[
            0
        ]


# The modules that use it run in one xdist group, so one worker builds it once.
XDIST_GROUP = "postgres-servers"


@pytest.fixture(scope="session")
def postgres_primary():
    """Built once (migrating takes the most time) for the modules that ask:
    tests/test_replicas.py adds a streaming replica, tests/test_pgbouncer.py
    puts PgBouncer in front."""
    primary = Primary()
    try:
        primary.start()
        yield primary
    finally:
        primary.server.stop()
        shutil.rmtree(primary.folder, ignore_errors=True)
