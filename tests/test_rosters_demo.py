"""The demo city's rosters: a few per cent of the residents, a Guangzhou-like mix,
partly reached, so the coverage page shows gaps and the outreach list has work."""

from __future__ import annotations

from django.db.models import Count

from shegong.clients.models import Resident
from shegong.demo.city import load_demo_city
from shegong.demo.clients import load_demo_clients
from shegong.demo.rosters import load_demo_rosters
from shegong.demo.year import load_demo_year
from shegong.org.models import Station
from shegong.rosters import outreach
from shegong.rosters.models import CoverageMonth, RosterEntry, RosterImport
from shegong.stats import rollups
from tests.conftest import shared

SHOWCASE = "沙园街社工站"


def load():
    load_demo_city()
    load_demo_clients(0, 2)
    load_demo_year("small", stations=list(Station.objects.filter(name=SHOWCASE)))
    return load_demo_rosters()


demo = shared(load, world=False)


def test_every_station_has_a_roster_of_two_months(demo):
    entries, visits = demo
    assert RosterImport.objects.count() == 2
    per_station = (
        RosterEntry.objects.filter(closed_on__isnull=True).values("station").annotate(n=Count("pk"))
    )
    # A community is placed at its street's station (the lowest code where a
    # street has two): every street's.
    streets = Station.objects.values("street").distinct().count()
    assert len(per_station) == streets == 176
    assert min(r["n"] for r in per_station) >= 6
    assert RosterEntry.objects.filter(closed_on__isnull=False).count() > 0
    # 低保对象 is the biggest list; some persons are on two.
    by_category = dict(
        RosterEntry.objects.filter(closed_on__isnull=True)
        .values_list("category__name")
        .annotate(n=Count("pk"))
    )
    assert max(by_category, key=by_category.get) == "低保对象"
    assert (
        RosterEntry.objects.filter(closed_on__isnull=True).count()
        > Resident.objects.filter(roster_entries__closed_on__isnull=True).distinct().count()
    )


def test_the_showcase_station_is_partly_reached(demo):
    entries, visits = demo
    assert visits > 0
    station = Station.objects.get(name=SHOWCASE)
    people = outreach.outreach_list(RosterEntry.objects.all(), station.pk)
    statuses = {p.status for p in people}
    assert outreach.NEVER_REACHED in statuses
    assert statuses - {outreach.NEVER_REACHED}
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []
    assert CoverageMonth.objects.filter(station=station).exists()


def test_the_bench_measures_the_roster_import_and_the_coverage_query(demo):
    from shegong.demo import bench_rosters

    lines = []
    before = RosterEntry.objects.count()
    bench_rosters.measure_coverage(lines.append)
    bench_rosters.measure_import(300, lines.append)
    assert lines[0].startswith("City coverage by district and list (")
    assert lines[1].startswith("Roster import of 300 rows: ")
    # Both measures leave the rosters as they were.
    assert RosterEntry.objects.count() == before
