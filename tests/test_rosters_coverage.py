"""Coverage 覆盖率 per category and level, hand-counted, and its recount
(`rollups --check`) from the raw rows.

The fixture: January's roster has 特困人员 (monthly visits) persons 1–4 at 沙园社区
(station A) and 6 at 南石头社区 (station B); person 1 is also on 低保对象 (every
3 months). February's: 特困 1, 2, 3 and 6 (4 left), 低保 1.
Services: person 1 a home visit on 10 January; person 2 a group activity on 20
January and a home visit on 5 February; person 6 a home visit on 31 January;
person 3 and 4 nothing.
"""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command

from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.delivery import services as delivery_services
from shegong.delivery.models import ServiceEvent
from shegong.plans import services as plan_services
from shegong.rosters import services
from shegong.rosters.models import CoverageMonth, RosterCategory, RosterEntry
from shegong.rosters.selectors import coverage
from shegong.stats import rollups
from tests.conftest import shared
from tests.roster_helpers import communities, id_number, load, row

JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)


def resident(n: int, station) -> Resident:
    return Resident.objects.get(station=station, id_number_hash=identity.lookup_hash(id_number(n)))


def build(world):
    communities(world)
    assert load(
        world,
        [*[row(n) for n in range(1, 5)], row(1, "低保对象"), row(6, community="南石头社区")],
    ).ok
    assert load(
        world,
        [*[row(n) for n in (1, 2, 3)], row(1, "低保对象"), row(6, community="南石头社区")],
        month=FEB,
    ).ok
    projects = {}
    for station, director in (
        (world.station_a, world["director"]),
        (world.station_b, world["director_b"]),
    ):
        plan = plan_services.plan_create(actor=director, station=station, year=2026)
        projects[station.pk] = plan_services.project_add(
            actor=director, plan=plan, kind="basic", domain="elderly", name="长者服务"
        )
    a, b = world.station_a, world.station_b
    entry = RosterEntry.objects.filter(resident=resident(1, a), category__code="tekun").get()
    services.roster_visit_record(
        actor=world["worker"],
        entry=entry,
        project=projects[a.pk],
        held_on=datetime.date(2026, 1, 10),
    )
    delivery_services.service_event_record(
        actor=world["worker"],
        project=projects[a.pk],
        kind="activity",
        held_on=datetime.date(2026, 1, 20),
        title="长者茶话会",
        attendees=[resident(2, a)],
    )
    entry = RosterEntry.objects.get(resident=resident(2, a))
    services.roster_visit_record(
        actor=world["worker"],
        entry=entry,
        project=projects[a.pk],
        held_on=datetime.date(2026, 2, 5),
    )
    worker_b = world["director_b"]
    entry = RosterEntry.objects.get(resident=resident(6, b))
    services.roster_visit_record(
        actor=worker_b, entry=entry, project=projects[b.pk], held_on=datetime.date(2026, 1, 31)
    )
    return projects


fixture = shared(build)


def figures(user, month, level="station", **within):
    return {
        (r.name, r.category or "*"): (r.on_roster, r.reached, r.visited, r.never_reached)
        for r in coverage(user, year=2026, month=month, level=level, within=within)
    }


def test_coverage_per_station_and_category(world, fixture):
    assert figures(world["city"], 1) == {
        ("沙园街社工站", "特困人员"): (4, 2, 1, 2),
        ("沙园街社工站", "低保对象"): (1, 1, 1, 0),
        ("沙园街社工站", "*"): (5, 3, 2, 2),
        ("南石头街社工站", "特困人员"): (1, 1, 1, 0),
        ("南石头街社工站", "*"): (1, 1, 1, 0),
    }
    # February: 1's visit of 10 January is past its month; 6's of 31 January
    # falls due on 28 February, the month's last day, so it still counts.
    assert figures(world["city"], 2) == {
        ("沙园街社工站", "特困人员"): (3, 1, 1, 1),
        ("沙园街社工站", "低保对象"): (1, 0, 1, 0),
        ("沙园街社工站", "*"): (4, 1, 2, 1),
        ("南石头街社工站", "特困人员"): (1, 0, 1, 0),
        ("南石头街社工站", "*"): (1, 0, 1, 0),
    }


def test_coverage_per_level(world, fixture):
    assert figures(world["city"], 2, "city") == {
        ("广州市", "特困人员"): (4, 1, 2, 1),
        ("广州市", "低保对象"): (1, 0, 1, 0),
        ("广州市", "*"): (5, 1, 3, 1),
    }
    assert figures(world["district"], 2, "district") == {
        ("海珠区", "特困人员"): (4, 1, 2, 1),
        ("海珠区", "低保对象"): (1, 0, 1, 0),
        ("海珠区", "*"): (5, 1, 3, 1),
    }
    assert figures(world["city"], 2, "street")[("南石头街", "*")] == (1, 0, 1, 0)
    assert figures(world["city"], 2, "community")[("沙园社区", "*")] == (4, 1, 2, 1)
    rows = coverage(world["city"], year=2026, month=2, level="city")
    total = next(r for r in rows if r.category_id is None)
    assert (total.coverage, total.visit_rate) == (80.0, 60.0)


def test_coverage_is_read_within_the_scope(world, fixture):
    assert figures(world["other_district"], 2) == {}
    assert set(figures(world["worker"], 2)) == {
        ("沙园街社工站", "特困人员"),
        ("沙园街社工站", "低保对象"),
        ("沙园街社工站", "*"),
    }


def test_the_rollup_matches_a_recount_from_the_raw_rows(world, fixture):
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []
    assert CoverageMonth.objects.count() == 6
    out = io.StringIO()
    call_command("rollups", "--check", stdout=out)
    assert "roster_coverage" not in out.getvalue()


def test_deleting_a_visit_moves_the_coverage(world, fixture):
    visit = ServiceEvent.objects.get(held_on=datetime.date(2026, 2, 5))
    delivery_services.service_event_delete(actor=world["worker"], event=visit)
    assert figures(world["city"], 2)[("沙园街社工站", "特困人员")] == (3, 0, 0, 1)
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []


def test_a_drifted_rollup_is_found_and_rebuilt(world, fixture):
    CoverageMonth.objects.filter(year=2026, month=2).update(visited=0)
    assert {d.table for d in rollups.drift()} == {"roster_coverage"}
    rollups.rebuild()
    assert rollups.drift() == []
    assert figures(world["city"], 2)[("沙园街社工站", "*")] == (4, 1, 2, 1)


def test_a_station_rule_overrides_the_citys(world, fixture):
    tekun = RosterCategory.objects.get(code="tekun")
    services.visit_rule_set(
        actor=world["director"], station=world.station_a, category=tekun, every=2, unit="months"
    )
    # 1's visit of 10 January now lasts to 10 March.
    assert figures(world["city"], 2)[("沙园街社工站", "特困人员")] == (3, 1, 2, 1)
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []


def test_a_city_rule_changed_in_the_admin_moves_the_coverage(world, fixture, client, login):
    tekun = RosterCategory.objects.get(code="tekun")
    login(world["admin"])
    response = client.post(
        f"/admin/rosters/rostercategory/{tekun.pk}/change/",
        {
            "code": "tekun",
            "name": "特困人员",
            "visit_every": 2,
            "visit_unit": "months",
            "order": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    # As with the station's own rule: 1's visit of 10 January lasts to 10 March.
    assert figures(world["city"], 2)[("沙园街社工站", "特困人员")] == (3, 1, 2, 1)
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []
