"""`make faults`: fault tests against a real gunicorn and PostgreSQL (docs/reliability.md).

1. SIGKILL `shegong import_services` half-way through a large import: none of its
   rows are stored, the rollups have no drift; the same file then imports whole.
2. SIGKILL the whole gunicorn server during a burst of API writes, restart it: every
   write acknowledged with 201 is in the database; no 500.
3. Restart PostgreSQL under load: requests during the outage get 503 + Retry-After
   (never 500), and the same gunicorn serves 2xx again once PostgreSQL is back.
4. Run out of connections (the app's role limited to the connections we hold):
   503 + Retry-After, no 500; recovery once they are released; no drift.
5. Full disk: SQLite under a file-size limit (RLIMIT_FSIZE, `ulimit -f`): writes that
   do not fit get 503, reads still work, the file passes `PRAGMA integrity_check`
   and every acknowledged write is in it.

PostgreSQL: with FAULTS_PG_DIR and DATABASE_URL naming that cluster's server (CI),
that server is used and restarted; otherwise a throwaway one is started on
127.0.0.1:FAULTS_PG_PORT (54332) in var/faults/pg. The app runs as a non-superuser
role (shegong_faults) in its own database, so that connection limits apply.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "var/faults"
HTTP_PORT = int(os.environ.get("FAULTS_HTTP_PORT", 8032))
ROLE = "shegong_faults"
RESULTS: list[tuple[str, bool, str]] = []
OUT.mkdir(parents=True, exist_ok=True)
# gunicorn's and the app's error logs (every 503 is logged) go here, not to the terminal.
LOG = (OUT / "server.log").open("a")  # noqa: SIM115


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def pg_sh(*args: str) -> None:
    subprocess.run(["bash", str(ROOT / "bench/pg.sh"), *args], check=True)  # noqa: S603, S607


class Server:
    """gunicorn in its own process group, so that SIGKILL takes all of it at once."""

    def __init__(self, env: dict, workers: int = 2, fsize: int | None = None):
        self.env, self.workers, self.fsize = env, workers, fsize
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        def limit():
            if self.fsize:
                resource.setrlimit(resource.RLIMIT_FSIZE, (self.fsize, self.fsize))

        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "shegong.wsgi",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{HTTP_PORT}",
                "--timeout=30",
                "--graceful-timeout=5",
                "--log-level=error",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=LOG,
            stderr=LOG,
            start_new_session=True,
            preexec_fn=limit,  # noqa: PLW1509
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if request("GET", "/accounts/login/")[0] == 200:
                return
            time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def request(method: str, path: str, body=None, token: str | None = None):
    """(status or None on a connection error, parsed body or text, headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=30)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return response.status, parsed, dict(response.getheaders())
    except (OSError, http.client.HTTPException):
        return None, None, {}
    finally:
        connection.close()


class Burst:
    """Threads registering residents through the API until stopped; every 201 is an
    acknowledged write, recorded with the name it carried."""

    def __init__(self, token: str, tag: str, threads: int = 6, reads: bool = False):
        self.token, self.tag, self.reads = token, tag, reads
        self.acked: dict[int, str] = {}
        self.statuses: list[tuple[float, int | None, str]] = []
        self.bad: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]

    def run(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            if self.reads and i % 2:
                status, body, headers = request(
                    "GET", "/api/residents/?page_size=5", None, self.token
                )
            else:
                name = f"{self.tag}{n}-{i}"
                payload = {
                    "name": name,
                    "gender": "female",
                    "birth_date": "1950-01-01",
                    "allow_similar": True,
                }
                status, body, headers = request("POST", "/api/residents/", payload, self.token)
                if status == 201:
                    with self.lock:
                        self.acked[body["id"]] = name
            retry = headers.get("Retry-After", "")
            with self.lock:
                self.statuses.append((time.monotonic(), status, retry))
                if status not in (None, 200, 201, 503) or (status == 503 and not retry):
                    self.bad.append(f"{status}: {str(body)[:200]}")
            if status is None or status == 503:
                time.sleep(0.1)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self) -> str:
        counts = collections.Counter(s for _t, s, _r in self.statuses)
        return ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(counts.items(), key=str))


def record(name: str, ok: bool, details: str) -> None:
    RESULTS.append((name, ok, details))
    log(f"{'PASS' if ok else 'FAIL'} {name}: {details}")


def missing(acked: dict[int, str]) -> int:
    from django.db import connections

    from shegong.clients.models import Resident

    connections.close_all()
    found = dict(Resident.objects.filter(pk__in=acked).values_list("pk", "name"))
    return sum(1 for pk, name in acked.items() if found.get(pk) != name)


def drift() -> int:
    from django.db import connections

    from shegong.stats import rollups

    connections.close_all()
    return len(rollups.drift())


# --- Scenarios ------------------------------------------------------------------------


def kill_import(env: dict, worker: str, project: str, year: int) -> None:
    from shegong.delivery.models import ServiceEvent

    rows = int(os.environ.get("FAULTS_IMPORT_ROWS", 100000))
    path = OUT / "import.csv"
    day = f"{year}-01-03"
    lines = ["记录编号,日期,项目,服务类型,名称,参与居民,人数,社工"]
    lines += [f"K{n},{day},{project},社区活动,fault import,,{n % 30 + 1}," for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = ServiceEvent.objects.count()
    command = [str(BIN / "python"), "-m", "shegong.manage", "import_services", str(path)]
    command += ["--user", worker, "--year", str(year), "-v0"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    time.sleep(float(os.environ.get("FAULTS_IMPORT_KILL_AFTER", 3)))
    finished_early = process.poll() is not None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after_kill = ServiceEvent.objects.count()
    drift_after_kill = drift()
    complete = subprocess.run(command, env=env, cwd=ROOT, check=False)  # noqa: S603
    after_rerun = ServiceEvent.objects.count()
    drift_after_rerun = drift()
    ok = (
        not finished_early
        and after_kill == before
        and drift_after_kill == 0
        and complete.returncode == 0
        and after_rerun == before + rows
        and drift_after_rerun == 0
    )
    record(
        "SIGKILL during an import",
        ok,
        f"{rows} rows; events before {before}, after the kill {after_kill} "
        f"({'finished before the kill!' if finished_early else 'killed mid-import'}), "
        f"drift {drift_after_kill}; re-run loaded {after_rerun - before} rows, drift "
        f"{drift_after_rerun}",
    )
    path.unlink()


def kill_server_during_writes(env: dict, token: str) -> None:
    server = Server(env, workers=2)
    server.start()
    with Burst(token, "kill-burst-") as burst:
        time.sleep(3)
        server.kill()
        killed_at = len(burst.statuses)
        time.sleep(0.5)
        server.start()
        time.sleep(3)
    server.stop()
    lost = missing(burst.acked)
    ok = lost == 0 and not burst.bad and len(burst.acked) > killed_at // 2
    record(
        "SIGKILL gunicorn during a burst of writes",
        ok,
        f"{len(burst.acked)} writes acknowledged, {lost} missing; responses {burst.summary()}; "
        f"bad answers {len(burst.bad)} {burst.bad[:2]}",
    )


def restart_postgres(env: dict, token: str, pg_dir: Path, port: int) -> None:
    server = Server(env, workers=2)
    server.start()
    pid = server.process.pid
    with Burst(token, "pg-restart-", reads=True) as burst:
        time.sleep(2)
        pg_sh("stop", str(pg_dir))
        down_at = time.monotonic()  # from here on the server is down
        time.sleep(3)
        # The outage ends when the start begins: pg_ctl -w accepts connections a
        # moment before it returns, so answers in between may rightly be 201.
        start_at = time.monotonic()
        pg_sh("start", str(pg_dir), str(port), "-c max_connections=100")
        up_at = time.monotonic()
        time.sleep(5)
    during = [s for t, s, _r in burst.statuses if down_at + 0.2 < t < start_at]
    after = [s for t, s, _r in burst.statuses if t > up_at + 2]
    ok = (
        not burst.bad
        and during
        and all(s == 503 for s in during)
        and after
        and all(s in (200, 201) for s in after)
        and server.process.pid == pid
        and server.process.poll() is None
        and missing(burst.acked) == 0
    )
    server.stop()
    record(
        "PostgreSQL restarted under load",
        ok,
        f"during the outage {collections.Counter(during)}; 2 s after it is back "
        f"{collections.Counter(after)}; same gunicorn; responses {burst.summary()}; "
        f"bad answers {len(burst.bad)} {burst.bad[:2]}",
    )


def out_of_connections(env: dict, token: str, port: int) -> None:
    import psycopg

    def admin():
        return psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
        )

    server = Server(env, workers=2)
    server.start()
    held = []
    with admin() as a:
        a.execute(f"ALTER ROLE {ROLE} CONNECTION LIMIT 2")
        a.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [ROLE]
        )
    deadline = time.monotonic() + 20
    while len(held) < 2:
        try:
            held.append(
                psycopg.connect(
                    host="127.0.0.1", port=port, user=ROLE, dbname=ROLE, autocommit=True
                )
            )
        except psycopg.OperationalError:  # the terminated backends are still leaving
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with Burst(token, "no-conn-", threads=4, reads=True) as burst:
        time.sleep(3)
        starved_until = time.monotonic()
        for connection in held:
            connection.close()
        with admin() as a:
            a.execute(f"ALTER ROLE {ROLE} CONNECTION LIMIT -1")
        time.sleep(3)
    server.stop()
    during = [s for t, s, _r in burst.statuses if t < starved_until]
    after = [s for t, s, _r in burst.statuses if t > starved_until + 1]
    lost = missing(burst.acked)
    drifted = drift()
    ok = (
        not burst.bad
        and during
        and all(s == 503 for s in during)
        and after
        and all(s in (200, 201) for s in after)
        and lost == 0
        and drifted == 0
    )
    record(
        "out of connections",
        ok,
        f"while starved {collections.Counter(during)}; after {collections.Counter(after)}; "
        f"{lost} acknowledged writes missing; drift {drifted}; bad answers {burst.bad[:2]}",
    )


def full_disk(token_env: dict) -> None:
    """SQLite under RLIMIT_FSIZE: the database file may not grow past its size + 256 KiB."""
    path = OUT / "disk.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    env = dict(token_env, DATABASE_URL=f"sqlite:///{path}")
    shegong = [str(BIN / "python"), "-m", "shegong.manage"]
    subprocess.run([*shegong, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    setup = (
        "from shegong.demo.city import load_demo_city; load_demo_city();"
        "from shegong.accounts.models import User;"
        "from rest_framework.authtoken.models import Token;"
        "u = User.objects.filter(role='social_worker').order_by('pk').first();"
        "print(Token.objects.get_or_create(user=u)[0].key)"
    )
    token = subprocess.run(  # noqa: S603
        [*shegong, "shell", "-c", setup],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    limit = path.stat().st_size + 256 * 1024
    server = Server(env, workers=1, fsize=limit)
    server.start()
    burst = Burst(token, "disk-", threads=2)
    with burst:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if sum(1 for _t, s, _r in burst.statuses if s == 503) >= 20:
                break
            time.sleep(0.2)
    read = request("GET", "/api/residents/?page_size=5", None, token)[0]
    server.stop()
    with sqlite3.connect(path) as c:
        integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
        names = dict(c.execute("SELECT id, name FROM clients_resident WHERE name LIKE 'disk-%'"))
    lost = sum(1 for pk, name in burst.acked.items() if names.get(pk) != name)
    check = subprocess.run(  # noqa: S603
        [*shegong, "rollups", "--check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    full = sum(1 for _t, s, _r in burst.statuses if s == 503)
    ok = (
        full > 0
        and not burst.bad
        and read == 200
        and integrity == "ok"
        and lost == 0
        and check.returncode == 0
    )
    record(
        "full disk (SQLite, file size limit)",
        ok,
        f"limit {limit // 1024} KiB; {len(burst.acked)} writes acknowledged, {lost} missing; "
        f"responses {burst.summary()}; a read while full: {read}; integrity_check {integrity}; "
        f"rollups check exit {check.returncode}; bad answers {burst.bad[:2]}",
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith("postgres") and os.environ.get("FAULTS_PG_DIR"):
        pg_dir = Path(os.environ["FAULTS_PG_DIR"])
        port = urllib.parse.urlparse(given).port or 5432
        own = False
        log(f"using the PostgreSQL server of {pg_dir} on port {port}")
    else:
        pg_dir, port, own = OUT / "pg", int(os.environ.get("FAULTS_PG_PORT", 54332)), True
        log(f"starting a throwaway PostgreSQL in {pg_dir} on port {port}")
        pg_sh("start", str(pg_dir), str(port), "-c max_connections=100")
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{ROLE}" WITH (FORCE)')
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone():
            admin.execute(f"CREATE ROLE {ROLE} LOGIN")
        admin.execute(f"ALTER ROLE {ROLE} CONNECTION LIMIT -1")
        admin.execute(f'CREATE DATABASE "{ROLE}" OWNER {ROLE}')
    url = f"postgres://{ROLE}@127.0.0.1:{port}/{ROLE}"
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shegong.settings"
    started = time.monotonic()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone
        from rest_framework.authtoken.models import Token

        from shegong.accounts.models import User
        from shegong.demo.year import SCALES, load_station_year
        from shegong.org.models import Station
        from shegong.plans.models import PlanProject
        from shegong.stats import rollups

        log("migrating; the demo city's organisation, and a year of records at 3 stations")
        call_command("migrate", verbosity=0)
        call_command(
            "demo_city",
            "--residents-per-station=0",
            "--showcase-residents=0",
            "--scale=none",
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        year = timezone.localdate().year
        for station in Station.objects.order_by("pk")[:3]:
            load_station_year(station, year, SCALES["small"], seed=station.pk)
        rollups.rebuild()  # the demo writes events in bulk, then rolls them up
        project = PlanProject.objects.filter(plan__year=year, kind="basic").order_by("pk").first()
        worker = User.objects.filter(station=project.plan.station, role="social_worker").first()
        token = Token.objects.get_or_create(user=worker)[0].key
        log(f"ready in {time.monotonic() - started:.0f} s; running the faults")

        kill_import(env, worker.username, project.name, year)
        kill_server_during_writes(env, token)
        restart_postgres(env, token, pg_dir, port)
        out_of_connections(env, token, port)
        full_disk(env)
    finally:
        from django.db import connections

        connections.close_all()
        with (
            contextlib.suppress(Exception),
            psycopg.connect(
                host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
            ) as admin,
        ):
            admin.execute(f'DROP DATABASE IF EXISTS "{ROLE}" WITH (FORCE)')
        if own:
            pg_sh("stop", str(pg_dir))
        shutil.rmtree(OUT / "tmp", ignore_errors=True)

    lines = [f"# Fault tests {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", ""]
    lines += [f"- {'PASS' if ok else 'FAIL'} {name}: {details}" for name, ok, details in RESULTS]
    lines.append(
        f"\n{sum(ok for _n, ok, _d in RESULTS)} passed, "
        f"{sum(not ok for _n, ok, _d in RESULTS)} failed"
    )
    (OUT / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    if not all(ok for _n, ok, _d in RESULTS):
        sys.exit(1)


if __name__ == "__main__":
    main()
