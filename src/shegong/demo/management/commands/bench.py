"""`shegong bench`: the statistics benchmark (`make bench`), separate from the tests.

On the configured database it makes sure the city-scale demo exists for
`--years` years (this year and the last generated, the years before copied from
the last, see `demo.history`), then measures, each against a baseline in the same run:

- the city dashboard (every figure of `person_time_summary`, from the rollups) vs
  its person-time and client figures (by month and domain, cumulative, district
  ranking, distinct clients) by GROUP BY over the raw rows, and vs the year's
  domain totals and distinct clients alone;
- the validating import of `--import-rows` rows vs a raw bulk load of the same rows
  (executemany on SQLite, COPY on PostgreSQL);
- recording a service event with the rollup updates vs without them;
- the roster import and the city's coverage (`demo.bench_rosters`);
- `--only login`: checking a password with Django's default argon2 parameters vs
  OWASP's (accounts/hashers.py), no data needed;
- `--only pages`: the CPU of each page of a social worker's day against `/healthz`,
  in-process, with where it goes (`demo.bench_pages`), on the demo city already
  there (nothing generated);
- `--only growth` (on a database of its own, scripts/bench.sh): the city dashboard
  and the raw GROUP BY query with `--years` years of history, then with twice as
  many (the years before copied, as above), and the ratio of the two. On
  PostgreSQL the history is partitioned by year (core/partitioning.py).

It prints the figures and the ratios; docs/performance.md records them. The rows it
adds are removed again (with their rollup changes), so runs can be repeated.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from tqdm import tqdm

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.core import bulk
from shegong.core.roles import Role
from shegong.delivery import counting, services
from shegong.delivery.importing import service_events_import
from shegong.delivery.models import Attendance, EventVolunteer, ServiceEvent
from shegong.demo import bench_pages, bench_rosters
from shegong.demo.city import load_demo_city
from shegong.demo.year import load_demo_year
from shegong.plans.models import PlanProject
from shegong.stats import rollups
from shegong.stats.selectors import person_time_summary


def _median_ms(fn, runs: int) -> float:
    times = []
    for _n in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _delete(events) -> None:
    """Delete the benchmark's own events fast: their attendance, volunteers, workers
    and party members first, then the events with one DELETE each (Django's
    collector would load a million rows to look for dependents that these rows,
    made by this command a moment ago, do not have)."""
    events = events.order_by()
    for model, link in (
        (Attendance, "event"),
        (EventVolunteer, "event"),
        (ServiceEvent.workers.through, "serviceevent"),
        (ServiceEvent.party_members.through, "serviceevent"),
    ):
        model.objects.filter(**{f"{link}__in": events.values("pk")})._raw_delete(events.db)
    events._raw_delete(events.db)


def _year_clients(year: int) -> int:
    return (
        Attendance.objects.filter(event__held_on__year=year)
        .values("event__station", "resident")
        .distinct()
        .count()
    )


def raw_dashboard(year: int):
    """The dashboard's person-time and client figures by GROUP BY over the raw rows:
    by month and domain, cumulative (累计) since the first year, the district
    ranking, and the distinct clients served."""
    year_events = ServiceEvent.objects.filter(held_on__year=year)
    by_month = {
        (r["month"], r["domain"]): r["n"]
        for r in year_events.annotate(month=ExtractMonth("held_on"))
        .values("month", "domain")
        .annotate(n=Sum("person_times"))
        .order_by()
    }
    cumulative = {
        r["domain"]: r["n"]
        for r in ServiceEvent.objects.filter(held_on__lte=datetime.date(year, 12, 31))
        .values("domain")
        .annotate(n=Sum("person_times"))
        .order_by()
    }
    ranking = {
        r["station__street__district"]: r["n"]
        for r in year_events.values("station__street__district")
        .annotate(n=Sum("person_times"))
        .order_by()
    }
    return by_month, cumulative, ranking, _year_clients(year)


class Command(BaseCommand):
    help = "Benchmark dashboards, import and writes at city scale; prints ratios."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--import-rows", type=int, default=1_000_000)
        parser.add_argument("--writes", type=int, default=200)
        parser.add_argument("--roster-rows", type=int, default=100_000)
        parser.add_argument(
            "--only",
            default="dashboard,writes,import,rosters",
            help="comma-separated measures to run "
            "(dashboard, writes, import, rosters, growth, login, pages)",
        )
        parser.add_argument("--scale", default="city", help="the demo data's scale")
        parser.add_argument("--page-runs", type=int, default=200, help="requests per page")

    def handle(self, *args, **options):
        only = set(options["only"].split(","))
        if "login" in only:
            self._login()
            if only == {"login"}:
                return
        if "pages" in only:
            bench_pages.measure(self.stdout.write, options["page_runs"])
            if only <= {"login", "pages"}:
                return
        vendor = connection.vendor
        self.stdout.write(f"Database: {vendor}")
        load_demo_city()
        start = time.perf_counter()
        self._generate(options["scale"], options["years"])
        events = ServiceEvent.objects.count()
        total = ServiceEvent.objects.aggregate(n=Sum("person_times"))["n"] or 0
        self.stdout.write(
            f"Data: {events:,} events, {total:,} person-times, "
            f"{Attendance.objects.count():,} attendance rows, "
            f"{Resident.objects.count():,} residents "
            f"({time.perf_counter() - start:.0f} s to generate or check)"
        )
        self._analyze()
        if "dashboard" in only:
            self._dashboard()
        if "writes" in only:
            self._writes(options["writes"])
        if "import" in only:
            self._import(options["import_rows"])
        if "rosters" in only:
            bench_rosters.measure_coverage(self.stdout.write)
            bench_rosters.measure_import(options["roster_rows"], self.stdout.write)
        if "growth" in only:
            self._growth(options["scale"], options["years"])

    def _login(self) -> None:
        """The CPU of one log-in's password check: Django's argon2 defaults (the
        baseline) against OWASP's parameters, in this run on this machine."""
        from django.contrib.auth.hashers import Argon2PasswordHasher

        from shegong.accounts.hashers import OwaspArgon2PasswordHasher

        password = "Shegong-bench-2026"
        timings = {}
        for hasher in (Argon2PasswordHasher(), OwaspArgon2PasswordHasher()):
            encoded = hasher.encode(password, hasher.salt())
            assert hasher.verify(password, encoded)
            timings[type(hasher).__name__] = _median_ms(
                lambda h=hasher, e=encoded: h.verify(password, e), 9
            )
        base, owasp = timings["Argon2PasswordHasher"], timings["OwaspArgon2PasswordHasher"]
        self.stdout.write(
            f"Log-in password check: Django's argon2 defaults (m=100 MiB, t=2, p=8) {base:.0f} ms; "
            f"OWASP's (m=19 MiB, t=2, p=1) {owasp:.0f} ms (x{owasp / base:.2f})"
        )

    @staticmethod
    def _generate(scale: str, years: int) -> None:
        load_demo_year(
            scale,
            years=years,
            copy_history=True,
            progress=lambda items: tqdm(items, desc="stations", unit="station", disable=None),
        )

    def _growth(self, scale: str, years: int) -> None:
        """The dashboard (rollups) and the raw GROUP BY as the history doubles."""
        city = User.objects.filter(role=Role.CITY_OFFICER).first()
        year = timezone.localdate().year

        def measure() -> tuple[int, float, float]:
            summary = person_time_summary(city, year=year)
            assert raw_dashboard(year)[1] == {
                d: n for d, n in summary.cumulative_by_domain.items() if n
            }, "cumulative figures disagree"
            rollup_ms = _median_ms(lambda: person_time_summary(city, year=year), 20)
            raw_ms = _median_ms(lambda: raw_dashboard(year), 3)
            return ServiceEvent.objects.count(), rollup_ms, raw_ms

        events, rollup_before, raw_before = measure()
        self._generate(scale, 2 * years)
        self._analyze()
        events_after, rollup_after, raw_after = measure()
        self.stdout.write(
            f"History {years} -> {2 * years} years ({events:,} -> {events_after:,} events"
            f"{', partitioned by year' if connection.vendor == 'postgresql' else ''}): "
            f"city dashboard {rollup_before:.1f} -> {rollup_after:.1f} ms "
            f"(x{rollup_after / rollup_before:.2f}); raw GROUP BY {raw_before:.1f} -> "
            f"{raw_after:.1f} ms (x{raw_after / raw_before:.2f})"
        )

    def _analyze(self) -> None:
        """Refresh the planner's statistics after the bulk generation, as a server's
        autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would: without
        them PostgreSQL guesses one row for the scope's station sub-query and
        reads the rollups station by station through the heap."""
        start = time.perf_counter()
        bulk.refresh_statistics(connection)
        self.stdout.write(f"Planner statistics refreshed ({time.perf_counter() - start:.0f} s)")

    def _dashboard(self):
        city = User.objects.filter(role=Role.CITY_OFFICER).first()
        year = timezone.localdate().year
        rollup = person_time_summary(city, year=year)
        rollup_ms = _median_ms(lambda: person_time_summary(city, year=year), 20)

        year_events = ServiceEvent.objects.filter(held_on__year=year)

        def year_clients() -> int:
            return _year_clients(year)

        def narrow():
            """The year's person-times by domain and its distinct clients only."""
            by_domain = {
                r["domain"]: r["n"]
                for r in year_events.values("domain").annotate(n=Sum("person_times")).order_by()
            }
            return by_domain, year_clients()

        def raw():
            return raw_dashboard(year)

        by_month, cumulative, ranking, clients = raw()
        from_rollups = {
            (m["month"], d): m[d] for m in rollup.by_month for d in rollup.by_domain if m[d]
        }
        assert from_rollups == by_month, "monthly figures disagree"
        assert {d: n for d, n in rollup.cumulative_by_domain.items() if n} == cumulative
        assert {u.pk: u.person_times for u in rollup.units} == ranking, "rankings disagree"
        assert rollup.clients_served == clients, "clients served disagree"
        assert narrow()[0] == {d: n for d, n in rollup.by_domain.items() if n}
        raw_ms = _median_ms(raw, 3)
        narrow_ms = _median_ms(narrow, 3)
        self.stdout.write(
            f"City dashboard (year {year}, {rollup.total:,} person-times, "
            f"{rollup.cumulative:,} cumulative, {rollup.clients_served:,} clients): "
            f"rollups {rollup_ms:.1f} ms; the same figures by GROUP BY over the raw rows "
            f"{raw_ms:.1f} ms -> {raw_ms / rollup_ms:.0f}x faster; the year's domain totals "
            f"and distinct clients alone {narrow_ms:.1f} ms -> {narrow_ms / rollup_ms:.0f}x"
        )

    def _writes(self, count: int):
        project = (
            PlanProject.objects.filter(
                plan__year=timezone.localdate().year, kind="basic", domain="elderly"
            )
            .select_related("plan__station")
            .first()
        )
        station = project.plan.station
        actor = User.objects.filter(station=station, role=Role.SOCIAL_WORKER).first()
        attendees = list(Resident.objects.filter(station=station)[:5])

        def record(title="bench"):
            services.service_event_record(
                actor=actor,
                project=project,
                kind="activity",
                held_on=timezone.localdate(),
                title=title,
                attendees=attendees,
                headcount=10,
            )

        for _n in range(10):  # warm up
            record()
        # Alternate the two so that whatever else the machine does weighs on both.
        with_times, without_times = [], []
        for _n in range(count):
            start = time.perf_counter()
            record()
            with_times.append(time.perf_counter() - start)
            with (
                mock.patch("shegong.delivery.services.record_count_change"),
                mock.patch("shegong.delivery.services.clients_served_add"),
            ):
                start = time.perf_counter()
                record("bench without rollups")
                without_times.append(time.perf_counter() - start)
        with_ms = 1000 * statistics.median(with_times)
        without_ms = 1000 * statistics.median(without_times)
        # Only the events recorded with the rollups are in them.
        self._remove(ServiceEvent.objects.filter(title="bench", station=station))
        _delete(ServiceEvent.objects.filter(title="bench without rollups", station=station))
        rollups.clients_served_refresh(
            resident_ids=[r.pk for r in attendees],
            station_id=station.pk,
            year=timezone.localdate().year,
        )
        self.stdout.write(
            f"Record a service event: {with_ms:.2f} ms with the rollup update, "
            f"{without_ms:.2f} ms without -> +{100 * (with_ms / without_ms - 1):.0f} %"
        )

    def _import(self, rows: int):
        project = (
            PlanProject.objects.filter(
                plan__year=timezone.localdate().year, kind="basic", domain="family"
            )
            .select_related("plan__station")
            .first()
        )
        station = project.plan.station
        actor = User.objects.filter(station=station, role=Role.SOCIAL_WORKER).first()
        day = datetime.date(timezone.localdate().year, 1, 2).isoformat()
        lines = ["记录编号,日期,项目,服务类型,名称,参与居民,人数,社工"]
        lines += [
            f"B{n},{day},{project.name},社区活动,bench import,,{n % 30 + 1}," for n in range(rows)
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        start = time.perf_counter()
        result = service_events_import(
            actor=actor, file=io.BytesIO(data), filename="bench.csv", year=project.plan.year
        )
        import_s = time.perf_counter() - start
        assert result.loaded_events == rows, result
        self._remove(ServiceEvent.objects.filter(station=station, import_key__startswith="B"))
        columns = (
            "station_id",
            "project_id",
            "domain",
            "kind",
            "held_on",
            "title",
            "headcount",
            "person_times",
            "import_key",
            "created_at",
            "updated_at",
        )
        now = timezone.now()
        values = [
            (
                station.pk,
                project.pk,
                project.domain,
                "activity",
                day,
                "bench raw",
                n % 30 + 1,
                n % 30 + 1,
                f"R{n}",
                now,
                now,
            )
            for n in range(rows)
        ]
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            bulk.insert_many(cursor, ServiceEvent._meta.db_table, columns, values)
        method = "COPY" if connection.vendor == "postgresql" else "executemany"
        raw_s = time.perf_counter() - start
        # The raw rows never reached the rollups: delete them without a correction.
        _delete(ServiceEvent.objects.filter(station=station, import_key__startswith="R"))
        self.stdout.write(
            f"Import of {rows:,} rows: {rows / import_s:,.0f} rows/s validating, "
            f"{rows / raw_s:,.0f} rows/s raw {method} -> {100 * raw_s / import_s:.0f} % "
            "of the raw rate"
        )

    @staticmethod
    @transaction.atomic
    def _remove(events) -> None:
        """Delete the benchmark's events and take their counts out of the rollups
        (a rebuild would recount tens of millions of rows)."""
        for row in (
            events.values("station_id", "project_id", "domain", "kind", "held_on")
            .annotate(n=Count("pk"), p=Sum("person_times"))
            .order_by()
        ):
            rollups.record_event_change(
                station_id=row["station_id"],
                project_id=row["project_id"],
                domain=row["domain"],
                held_on=row["held_on"],
                delta=counting.event_delta(row["kind"], events=-row["n"], person_times=-row["p"]),
            )
        _delete(events)
