"""The rosters' part of `shegong bench --only rosters` (docs/performance.md):

- the validating roster import of `rows` rows (the whole reconciliation: ID
  checks, hashing and encryption, resident matching and creation, the coverage
  recount) vs a raw bulk load of as many entries (executemany on SQLite, COPY on
  PostgreSQL); both rolled back, so runs can be repeated;
- the city's coverage by district and list from the rollup (`selectors.coverage`)
  vs a GROUP BY over the raw entries and attendance of the same month (persons on
  the rosters, reached, never reached).
"""

from __future__ import annotations

import datetime
import io
import statistics
import time

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from shegong.accounts.models import User
from shegong.clients.identity import id_check_char
from shegong.core import bulk
from shegong.core.roles import Role
from shegong.delivery.models import Attendance
from shegong.demo.rosters import community_of, load_demo_rosters
from shegong.org.models import City, Station
from shegong.rosters import importing, selectors
from shegong.rosters.coverage import month_end
from shegong.rosters.models import RosterCategory, RosterEntry, RosterImport


class _Rollback(Exception):
    pass


def _median_ms(fn, runs: int) -> float:
    times = []
    for _n in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _file(rows: int, stations: list[Station], month: datetime.date, category: str) -> bytes:
    lines = [",".join(importing.HEADERS)]
    for n in range(rows):
        station = stations[n % len(stations)]
        community = community_of(station.street)
        # Born 1930-1999 by n, a sequence per day: distinct numbers for 100,000s of rows.
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=n // 900)
        first17 = f"{station.street.district.code[:6]}{born:%Y%m%d}{n % 900 + 100:03d}"
        lines.append(
            ",".join(
                [
                    first17 + id_check_char(first17),
                    f"基准{n}",
                    category,
                    station.street.district.name,
                    station.street.name,
                    community.name,
                    f"基准路{n}号",
                    "",
                    "",
                    "民政局",
                    timezone.localdate().isoformat(),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def measure_import(rows: int, write) -> None:
    officer = User.objects.filter(role=Role.CITY_OFFICER, is_active=True).order_by("pk").first()
    stations = list(
        Station.objects.filter(is_active=True).select_related("street__district").order_by("pk")
    )
    # A list of its own (made and dropped with the rolled-back import), so this
    # month's import is accepted whatever lists are on file.
    month = timezone.localdate().replace(day=1)
    name = "基准名单"
    data = _file(rows, stations, month, name)
    try:
        with transaction.atomic():
            RosterCategory.objects.create(code="bench", name=name, visit_every=1)
            start = time.perf_counter()
            result = importing.roster_import(
                actor=officer,
                file=io.BytesIO(data),
                filename="bench-roster.csv",
                month=month,
                source="bench",
            )
            import_s = time.perf_counter() - start
            assert result.ok and result.rows == rows, result.errors[:3]
            raise _Rollback
    except _Rollback:
        pass
    category = RosterCategory.objects.order_by("pk").first()
    columns = (
        "category_id",
        "district_id",
        "station_id",
        "name",
        "id_number_encrypted",
        "id_number_hash",
        "id_number_masked",
        "community_name",
        "address",
        "source_department",
        "list_date",
        "first_month",
        "last_month",
        "opened_by_id",
        "resident_created",
        "created_at",
        "updated_at",
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            record = RosterImport.objects.create(
                city=City.objects.order_by("pk").first(),
                month=month,
                filename="raw",
                source="bench",
                imported_by=officer,
            )
            values = [
                (
                    category.pk,
                    stations[n % len(stations)].street.district_id,
                    stations[n % len(stations)].pk,
                    f"基准{n}",
                    "x",
                    f"{n:064d}",
                    "x",
                    "",
                    "",
                    "民政局",
                    month,
                    month,
                    month,
                    record.pk,
                    False,
                    now,
                    now,
                )
                for n in range(rows)
            ]
            start = time.perf_counter()
            with connection.cursor() as cursor:
                bulk.insert_many(cursor, RosterEntry._meta.db_table, columns, values)
            raw_s = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    method = "COPY" if connection.vendor == "postgresql" else "executemany"
    write(
        f"Roster import of {rows:,} rows: {rows / import_s:,.0f} rows/s validating and "
        f"reconciling, {rows / raw_s:,.0f} rows/s raw {method} -> "
        f"{100 * raw_s / import_s:.0f} % of the raw rate"
    )


def measure_coverage(write) -> None:
    load_demo_rosters()
    city = User.objects.filter(role=Role.CITY_OFFICER, is_active=True).order_by("pk").first()
    latest = selectors.latest_month(city)
    if latest is None:
        write("Coverage: no rosters on file")
        return
    year, month = latest
    start, end = datetime.date(year, month, 1), month_end(year, month)

    def rollup():
        return selectors.coverage(city, year=year, month=month, level="district")

    def raw():
        served = Attendance.objects.filter(resident=OuterRef("resident"))
        return list(
            RosterEntry.objects.filter(
                station__isnull=False, first_month__lte=start, last_month__gte=start
            )
            .values("station__street__district_id", "category_id")
            .annotate(
                on_roster=Count("pk"),
                reached=Count(
                    "pk",
                    filter=Q(Exists(served.filter(event__held_on__range=(start, end)))),
                ),
                never_reached=Count(
                    "pk", filter=~Q(Exists(served.filter(event__held_on__lte=end)))
                ),
            )
            .order_by()
        )

    by_rollup = {
        (r.key, r.category_id): (r.on_roster, r.reached, r.never_reached)
        for r in rollup()
        if r.category_id
    }
    by_raw = {
        (r["station__street__district_id"], r["category_id"]): (
            r["on_roster"],
            r["reached"],
            r["never_reached"],
        )
        for r in raw()
    }
    assert by_rollup == by_raw, "the coverage rollup differs from the raw recount"
    rollup_ms, raw_ms = _median_ms(rollup, 20), _median_ms(raw, 5)
    persons = sum(v[0] for v in by_raw.values())
    write(
        f"City coverage by district and list ({persons:,} roster entries, {year}-{month:02d}): "
        f"{rollup_ms:.1f} ms from the rollup, {raw_ms:.1f} ms by GROUP BY over the raw rows "
        f"-> {raw_ms / rollup_ms:.0f}x"
    )
