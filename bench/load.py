"""`make load`: a social worker's day under increasing load, on PostgreSQL + gunicorn.

Starts a throwaway PostgreSQL cluster on loopback (bench/pg.sh), migrates, generates
the demo city at city scale (once: kept in var/load/pg for the next run), starts
gunicorn with several workers, and runs Locust headless (bench/locustfile.py) in
steps of users until it stops by itself. Then it checks that every write the server
acknowledged is in the database, checks the rollups, and writes the figures to
var/load/report.md (throughput and p50/p95/p99 per action and step). After the day,
two baselines run on the same server (/healthz, and the cheapest logged-in page, each
as fast as it is answered), and the CPU time of the app, the database and Locust is
read from /proc throughout: the report puts the day's throughput against both
baselines and gives the CPU per request, i.e. the ceiling this machine allows.

Run from the project root with the project's Python:
    .venv/bin/python bench/load.py [--steps 20,60,120,200] [--step-seconds 45]
Locust lives in its own virtualenv (.venv-load, bench/requirements-load.txt): its
pytest plugin and gevent stay out of the application's environment.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def pg(*args: str) -> None:
    subprocess.run(["bash", str(ROOT / "bench/pg.sh"), *args], check=True)  # noqa: S603, S607


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def wait_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


# Where the CPU goes: the processes of each part of the test, by name.
CPU_PARTS = {
    "app": ("gunicorn",),
    "database": ("postgres",),
    "cache": ("redis-server",),
    "load generator": ("locust",),
}


# The load cluster's postmaster (set once it runs): only its processes count as the
# database's, not those of another PostgreSQL on the machine (a test run's).
POSTMASTER: dict[str, int] = {}


def cpu_seconds() -> dict[int, tuple[str, float]]:
    """CPU time (user + system) used so far by each running process of the test's
    parts, by process id, read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = POSTMASTER.get("pid")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        for part, names in CPU_PARTS.items():
            if not name.startswith(names):
                continue
            if part == "database" and postmaster and postmaster not in (pid, int(fields[1])):
                continue
            found[pid] = (part, (int(fields[11]) + int(fields[12])) / tick)
    return found


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds of each part between two readings: per process, so that one
    that ends (an autovacuum worker, a database connection closed by its age) does
    not take its earlier time out of the sum."""
    used = dict.fromkeys(CPU_PARTS, 0.0)
    for pid, (part, seconds) in after.items():
        used[part] += seconds - before.get(pid, (part, 0.0))[1]
    return used


class CpuSampler(threading.Thread):
    """Reads cpu_seconds() every second while the load runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.readings: list[tuple[float, dict]] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.readings.append((time.time(), cpu_seconds()))
            self.done.wait(1.0)

    def stop(self):
        self.done.set()
        self.join()
        self.readings.append((time.time(), cpu_seconds()))


def cpu_per_request(folder: Path, readings: list) -> dict[int, dict[str, float]]:
    """CPU milliseconds per request of each part, per step: the CPU used between the
    first and the last reading inside the step (summed reading to reading, so that a
    process that ends loses at most a second of its time), over the requests
    answered between those two readings."""
    times = collections.defaultdict(list)
    with (folder / "samples.csv").open() as handle:
        for at, step, _name, _ms, _ok in csv.reader(handle):
            times[int(step)].append(float(at))
    result = {}
    for step, answered in times.items():
        inside = [r for r in readings if min(answered) <= r[0] <= max(answered)]
        if len(inside) < 2:
            continue
        start, end = inside[0][0], inside[-1][0]
        requests = sum(1 for t in answered if start < t <= end)
        if requests:
            used = dict.fromkeys(CPU_PARTS, 0.0)
            for (_t, before), (_u, after) in zip(inside, inside[1:], strict=False):
                for part, seconds in cpu_used(before, after).items():
                    used[part] += seconds
            result[step] = {part: used[part] * 1000 / requests for part in used}
    return result


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def report(out: Path, steps: list[int], step_seconds: int) -> tuple[str, dict]:
    rows = collections.defaultdict(list)  # (step, name) -> times
    errors = collections.Counter()
    first = last = None
    with (out / "samples.csv").open() as handle:
        for at, step, name, ms, ok in csv.reader(handle):
            at = float(at)
            first = at if first is None else min(first, at)
            last = at if last is None else max(last, at)
            rows[int(step), name].append(float(ms))
            if ok != "1":
                errors[int(step), name] += 1
    names = sorted({name for _s, name in rows})
    lines = [
        "| step (users) | action | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    overall = {}
    for index, users in enumerate(steps):
        everything: list[float] = []
        failed = 0
        for name in names:
            times = rows.get((index, name), [])
            if not times:
                continue
            everything += times
            failed += errors[index, name]
            lines.append(
                f"| {index + 1} ({users}) | {name} | {len(times)} | "
                f"{len(times) / step_seconds:.1f} | {percentile(times, 50):.0f} | "
                f"{percentile(times, 95):.0f} | {percentile(times, 99):.0f} | "
                f"{errors[index, name]} |"
            )
        if everything:
            summary = {
                "requests": len(everything),
                "rps": len(everything) / step_seconds,
                "p50": percentile(everything, 50),
                "p95": percentile(everything, 95),
                "p99": percentile(everything, 99),
                "errors": failed,
            }
            overall[users] = summary
            lines.append(
                f"| **{index + 1} ({users})** | **all** | **{summary['requests']}** | "
                f"**{summary['rps']:.1f}** | **{summary['p50']:.0f}** | "
                f"**{summary['p95']:.0f}** | **{summary['p99']:.0f}** | **{failed}** |"
            )
    return "\n".join(lines), overall


def demand_lines(demand: dict[str, dict[str, float] | None]) -> str:
    """CPU per request of each part, and the rate that many cores could answer if
    the test used every core for nothing else (cores × 1000 ms / CPU ms per request)."""
    cores = os.cpu_count() or 1
    parts = list(CPU_PARTS)
    lines = [
        f"| CPU ms per request | {' | '.join(parts)} | all | ceiling on {cores} cores, req/s |",
        "|---|" + "---|" * (len(parts) + 2),
    ]
    for label, figures in demand.items():
        if not figures:
            continue
        total = sum(figures.values())
        cells = " | ".join(f"{figures[p]:.2f}" for p in parts)
        lines.append(f"| {label} | {cells} | {total:.2f} | {cores * 1000 / total:.0f} |")
    return "\n".join(lines)


def baseline_lines(baselines: dict, overall: dict) -> str:
    """The day's best step against the two baselines measured in the same run."""
    best = max(overall.values(), key=lambda f: f["rps"], default={"rps": 0.0, "p95": 0.0})
    lines = [
        "| measured in this run | req/s | p95 ms | errors | the day's best step as a share |",
        "|---|---|---|---|---|",
    ]
    labels = {
        "HealthCheck": "baseline: /healthz, no log-in, 1 query, no pause",
        "CheapestPage": "baseline: the register form, logged in, no pause",
    }
    for name, figures in baselines.items():
        share = best["rps"] / figures["rps"] if figures["rps"] else 0.0
        lines.append(
            f"| {labels[name]} | {figures['rps']:.1f} | {figures['p95']:.0f} | "
            f"{figures['errors']} | {share:.2f}× |"
        )
    lines.append(f"| the day's best step | {best['rps']:.1f} | {best['p95']:.0f} | | 1.00× |")
    return "\n".join(lines)


def profile_pass(run, folder: Path, *, users: int, seconds: int, gunicorn_pid: int, py_spy: Path):
    """Where the workers' CPU goes (bench/profile_summary.py): py-spy samples every gunicorn
    worker for `seconds` while `users` replay the day, in a pass of its own after
    the figures (py-spy pauses the workers to read their stacks)."""
    from profile_summary import summarise

    folder.mkdir(parents=True, exist_ok=True)
    warm_up = 10  # the users log in and read their groups and cases first
    day = threading.Thread(target=run, args=(folder, str(users), seconds + warm_up + 5))
    log(f"profile: {users} users, py-spy on the workers for {seconds} s")
    day.start()
    time.sleep(warm_up)
    raw = folder / "py-spy.txt"
    # --gil: a worker waiting on PostgreSQL's socket has let go of the GIL and is not
    # counted, nor, once answered, until it runs again: the samples are Python at work.
    command = [str(py_spy), "record", "--pid", str(gunicorn_pid), "--subprocesses", "--gil"]
    command += ["--duration", str(seconds), "--rate", "100", "--format", "raw", "-o", str(raw)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    day.join()
    if done.returncode != 0 or not raw.exists():
        why = done.stderr.strip()[-300:]
        log(f"py-spy failed: {why}")
        return f"## Profile\n\npy-spy could not record the workers: {why}"
    header = (
        f"## Profile: where the workers' CPU goes\n\npy-spy {seconds} s at {users} users "
        f"(100 samples/s per worker, while it holds the GIL; the stacks are in {raw})."
    )
    return header + "\n\n" + summarise(raw.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "var/load"))
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("LOAD_PG_PORT", 54331)))
    parser.add_argument("--pg-dir", help="the cluster's directory; default OUT/pg")
    parser.add_argument("--db", default="shegong_load", help="database name")
    parser.add_argument("--http-port", type=int, default=8031)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--steps", default="20,60,120,200", help="users in each step")
    parser.add_argument("--step-seconds", type=int, default=45)
    parser.add_argument(
        "--pace", type=float, default=1.0, help="1 / a user's mean think time between tasks, s"
    )
    parser.add_argument("--baseline-users", type=int, default=8, help="users of each baseline")
    parser.add_argument("--baseline-seconds", type=int, default=20, help="length of each baseline")
    parser.add_argument("--demo", default="--scale city", help="demo_city arguments")
    parser.add_argument("--locust", default=str(ROOT / ".venv-load/bin/locust"))
    parser.add_argument("--keep-pg", action="store_true", help="leave PostgreSQL running")
    parser.add_argument(
        "--redis-port",
        type=int,
        default=int(os.environ.get("LOAD_REDIS_PORT", 6391)),
        help="the shared cache (sessions, names) as in production; 0: none, per-process",
    )
    parser.add_argument(
        "--profile-seconds",
        type=int,
        default=30,
        help="py-spy on the workers after the baselines, at the middle step's users (0: none)",
    )
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pg_dir = Path(args.pg_dir) if args.pg_dir else out / "pg"
    url = f"postgres://postgres@127.0.0.1:{args.pg_port}/{args.db}"
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    os.environ.update(env)

    log(f"PostgreSQL in {pg_dir} on 127.0.0.1:{args.pg_port}")
    pg(
        "start",
        str(pg_dir),
        str(args.pg_port),
        "-c max_connections=100 -c shared_buffers=256MB -c synchronous_commit=on",
    )
    POSTMASTER["pid"] = int((pg_dir / "data/postmaster.pid").read_text().split()[0])
    gunicorn = redis = None
    try:
        if args.redis_port:
            # As in production (README): one Redis shared by the workers, for the
            # sessions, the cached names and the rate limits.
            log(f"redis-server on 127.0.0.1:{args.redis_port}")
            redis = subprocess.Popen(  # noqa: S603
                [
                    shutil.which("redis-server") or "redis-server",
                    *("--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", ""),
                ],
                stdout=subprocess.DEVNULL,
                cwd=out,
            )
            wait_port(args.redis_port)
            env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
            env["SHEGONG_CACHE_PREFIX"] = f"load-{time.time_ns()}"
            os.environ.update(env)
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=args.pg_port, user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [args.db]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{args.db}"')
        shegong = [str(BIN / "python"), "-m", "shegong.manage"]
        subprocess.run([*shegong, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        marker = pg_dir / f"demo-generated-{args.db}"
        if not marker.exists() or marker.read_text() != args.demo:
            log(f"generating the demo city ({args.demo}); minutes at city scale")
            started = time.monotonic()
            subprocess.run([*shegong, "demo_city", *args.demo.split()], env=env, check=True)  # noqa: S603
            marker.write_text(args.demo)
            log(f"demo city generated in {time.monotonic() - started:.0f} s")

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
        django.setup()
        from django.conf import settings

        from shegong.accounts.models import User
        from shegong.cases.models import Case, CaseNote
        from shegong.clients.models import Resident
        from shegong.delivery.models import Attendance, ServiceEvent
        from shegong.stats import rollups

        # Workers with open cases of their own first, so that notes get written.
        with_cases = set(
            Case.objects.filter(status__in=["planned", "in_service", "reviewed"])
            .values_list("workers__username", flat=True)
            .distinct()
        )
        workers = sorted(
            User.objects.filter(role="social_worker", is_active=True).values_list(
                "username", flat=True
            ),
            key=lambda u: (u not in with_cases, u),
        )
        (out / "users.json").write_text(json.dumps(workers))
        counted = {
            "residents": Resident.objects,
            "events": ServiceEvent.objects,
            "notes": CaseNote.objects,
            "attendances": Attendance.objects,
        }
        before = {k: m.count() for k, m in counted.items()}
        database_rows = {
            "events": before["events"],
            "attendances": before["attendances"],
            "residents": before["residents"],
        }
        log(f"database before: {before}")

        log(f"gunicorn, {args.workers} workers, on 127.0.0.1:{args.http_port}")
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "shegong.wsgi",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{args.http_port}",
                "--worker-class=sync",
                "--backlog=2048",
                "--timeout=60",
                "--log-level=warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_http(f"http://127.0.0.1:{args.http_port}/accounts/login/")
        steps = [int(n) for n in args.steps.split(",")]
        locust_env = dict(
            env,
            LOAD_USERS=str(out / "users.json"),
            LOAD_PASSWORD=settings.DEMO_PASSWORD,
            LOAD_PACE=str(args.pace),
        )

        def run_locust(user_class: str, folder: Path, steps: str, seconds: int) -> int:
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("acks.jsonl", "samples.csv"):
                (folder / name).unlink(missing_ok=True)
            run_env = dict(
                locust_env, LOAD_OUT=str(folder), LOAD_STEPS=steps, LOAD_STEP_SECONDS=str(seconds)
            )
            command = [args.locust, "-f", str(ROOT / "bench/locustfile.py"), user_class]
            command += ["--headless", "--host", f"http://127.0.0.1:{args.http_port}"]
            command += ["--csv", str(folder / "locust"), "--only-summary"]
            command += ["--loglevel", "WARNING", "--stop-timeout", "10"]
            return subprocess.run(command, env=run_env, cwd=ROOT, check=False).returncode  # noqa: S603

        sampler = CpuSampler()
        sampler.start()
        uptime_before = Path("/proc/loadavg").read_text().strip()
        log(f"locust: steps {steps} users x {args.step_seconds} s; loadavg {uptime_before}")
        started = time.monotonic()
        locust_exit = run_locust("SocialWorker", out, args.steps, args.step_seconds)
        elapsed = time.monotonic() - started
        uptime_after = Path("/proc/loadavg").read_text().strip()
        log(f"locust exited {locust_exit} after {elapsed:.0f} s; loadavg {uptime_after}")
        # Baselines, in this run, on this machine: how many requests a second the
        # stack answers when a request costs next to nothing, and when it is the
        # cheapest page of the day. The day's throughput is reported against them.
        # After the day, so that they do not warm up or disturb its first step.
        baselines = {}
        for user_class in ("HealthCheck", "CheapestPage"):
            folder = out / f"baseline-{user_class}"
            users, seconds = args.baseline_users, args.baseline_seconds
            log(f"baseline {user_class}: {users} users, no pause, {seconds} s")
            run_locust(user_class, folder, str(users), seconds)
            _table, figures = report(folder, [users], seconds)
            baselines[user_class] = figures.get(users, {"rps": 0.0, "p95": 0.0, "errors": 0})
            log(f"baseline {user_class}: {baselines[user_class]}")

        profile_text = ""
        if args.profile_seconds:
            profile_text = profile_pass(
                lambda folder, users, seconds: run_locust("SocialWorker", folder, users, seconds),
                out / "profile",
                users=steps[len(steps) // 2],
                seconds=args.profile_seconds,
                gunicorn_pid=gunicorn.pid,
                py_spy=Path(args.locust).parent / "py-spy",
            )

        sampler.stop()
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=60)
        gunicorn = None

        # Every acknowledged write must be in the database.
        # The profiling pass writes too: its writes are checked with the day's.
        acks = [
            json.loads(line)
            for path in (out / "acks.jsonl", out / "profile/acks.jsonl")
            if path.exists()
            for line in path.read_text().splitlines()
        ]
        by_kind = collections.Counter(a["kind"] for a in acks)
        lost = []
        residents = {a["id"]: a for a in acks if a["kind"] == "resident"}
        found = dict(Resident.objects.filter(pk__in=residents).values_list("pk", "name"))
        lost += [a for pk, a in residents.items() if found.get(pk) != a["name"]]
        events = {a["id"]: a for a in acks if a["kind"] == "event"}
        found = dict(ServiceEvent.objects.filter(pk__in=events).values_list("pk", "title"))
        lost += [a for pk, a in events.items() if found.get(pk) != a["title"]]
        attended = collections.Counter(
            Attendance.objects.filter(event_id__in=events).values_list("event_id", flat=True)
        )
        lost += [a for pk, a in events.items() if attended[pk] != a["attendees"]]
        for note in (a for a in acks if a["kind"] == "note"):
            if not CaseNote.objects.filter(case_id=note["case"], text__contains=note["marker"]):
                lost.append(note)
        after = {k: m.count() for k, m in counted.items()}
        delta = {k: after[k] - before[k] for k in after}
        drift = rollups.drift()
        table, overall = report(out, steps, args.step_seconds)
        demand = {
            f"baseline {name}": cpu_per_request(out / f"baseline-{name}", sampler.readings).get(0)
            for name in baselines
        }
        by_step = cpu_per_request(out, sampler.readings)
        for index, users in enumerate(steps):
            demand[f"step {index + 1} ({users} users)"] = by_step.get(index)
        machine = (
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"PostgreSQL {psycopg.connect(url.replace('postgres://', 'postgresql://')).info.server_version}"
        )
        cache_sentence = (
            f"sessions and names in Redis (127.0.0.1:{args.redis_port})"
            if args.redis_port
            else "no Redis (sessions in the database, names per process)"
        )
        text = "\n".join(
            [
                f"# Load test {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
                "",
                f"Machine: {machine}; loadavg before {uptime_before}, after {uptime_after}.",
                f"Database before: {database_rows}. gunicorn {args.workers} sync workers, "
                f"{cache_sentence}; steps {steps} users x {args.step_seconds} s, "
                f"think time exponential, mean {1 / args.pace:.1f} s per task.",
                "",
                table,
                "",
                baseline_lines(baselines, overall),
                "",
                demand_lines(demand),
                "",
                f"Acknowledged writes: {dict(by_kind)}; rows added: {delta}.",
                f"Acknowledged writes missing from the database: {len(lost)}.",
                f"Rollup drift after the run: {len(drift)} rows.",
                f"Locust exit code: {locust_exit}.",
                *(["", profile_text] if profile_text else []),
            ]
        )
        (out / "report.md").write_text(text + "\n")
        print(text)
        if lost or drift:
            raise SystemExit("lost writes or rollup drift: see above")
    finally:
        if gunicorn is not None:
            gunicorn.kill()
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=30)
        if not args.keep_pg:
            pg("stop", str(pg_dir))
        shutil.rmtree(out / "tmp", ignore_errors=True)


if __name__ == "__main__":
    main()
