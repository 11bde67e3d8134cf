"""Coverage 覆盖率 per service point 社工点, hand-counted: a point's figure is its
community's rows; a station's communities without a point are its unit "at the
station (no service point)", so a station's points add up to its total.

The fixture (January 2026): station A (沙园街) has 沙园社区 with point P1 (沙园社工点),
东风社区 with point P2 (东风社工点) and 西园社区 with no point; station B (南石头街)
has 南石头社区 with point PB (南石头社工点).
特困人员 (monthly visits): persons 1, 2, 3 at 沙园社区, 4 at 东风社区, 5 at 西园社区,
6 at 南石头社区; person 1 is also on 低保对象 (every 3 months).
Services: person 1 a home visit on 10 January; person 4 a group activity on
20 January (reached, not visited); person 6 a home visit on 31 January; 2, 3, 5
nothing.

By hand, (on the roster, reached, visited, never reached):
- P1: 特困 (3, 1, 1, 2), 低保 (1, 1, 1, 0), all lists (4, 2, 2, 2);
- P2: 特困 (1, 1, 0, 0);
- station A without a point (西园): 特困 (1, 0, 0, 1);
- PB: 特困 (1, 1, 1, 0);
- station A in all: 特困 (5, 2, 1, 3) = P1 + P2 + 西园.
"""

from __future__ import annotations

import datetime

from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.delivery import services as delivery_services
from shegong.org import services as org_services
from shegong.org.models import Community
from shegong.plans import services as plan_services
from shegong.rosters import services
from shegong.rosters.models import RosterEntry
from shegong.rosters.selectors import coverage
from shegong.stats import rollups
from tests.conftest import shared
from tests.helpers import xlsx_table
from tests.roster_helpers import communities, id_number, load, row

REST_A = "沙园街社工站 · 站内（无社工点）"


def resident(n: int) -> Resident:
    return Resident.objects.get(id_number_hash=identity.lookup_hash(id_number(n)))


def tekun(n: int) -> RosterEntry:
    return RosterEntry.objects.get(resident=resident(n), category__code="tekun")


def build(world):
    places = communities(world)
    for name in ("东风社区", "西园社区"):
        places[name] = Community.objects.create(street=world.street_a, name=name)
    points = {
        "p1": org_services.service_point_create(
            actor=world["director"],
            station=world.station_a,
            name="沙园社工点",
            code="haizhu-10-01",
            community=places["沙园社区"],
        ),
        "p2": org_services.service_point_create(
            actor=world["director"],
            station=world.station_a,
            name="东风社工点",
            code="haizhu-10-02",
            community=places["东风社区"],
        ),
        "pb": org_services.service_point_create(
            actor=world["director_b"],
            station=world.station_b,
            name="南石头社工点",
            code="haizhu-11-01",
            community=places["南石头社区"],
        ),
    }
    assert load(
        world,
        [
            *[row(n) for n in (1, 2, 3)],
            row(1, "低保对象"),
            row(4, community="东风社区"),
            row(5, community="西园社区"),
            row(6, community="南石头社区"),
        ],
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
    a, b = world.station_a.pk, world.station_b.pk
    services.roster_visit_record(
        actor=world["worker"],
        entry=tekun(1),
        project=projects[a],
        held_on=datetime.date(2026, 1, 10),
    )
    delivery_services.service_event_record(
        actor=world["worker"],
        project=projects[a],
        kind="activity",
        held_on=datetime.date(2026, 1, 20),
        title="长者茶话会",
        attendees=[resident(4)],
    )
    services.roster_visit_record(
        actor=world["director_b"],
        entry=tekun(6),
        project=projects[b],
        held_on=datetime.date(2026, 1, 31),
    )
    return points


fixture = shared(build)


def figures(user, level="point", **within):
    return {
        (r.name, r.category or "*"): (r.on_roster, r.reached, r.visited, r.never_reached)
        for r in coverage(user, year=2026, month=1, level=level, within=within)
    }


def test_coverage_per_point_is_the_sum_of_its_communitys_rows(world, fixture):
    assert figures(world["city"]) == {
        ("沙园社工点", "特困人员"): (3, 1, 1, 2),
        ("沙园社工点", "低保对象"): (1, 1, 1, 0),
        ("沙园社工点", "*"): (4, 2, 2, 2),
        ("东风社工点", "特困人员"): (1, 1, 0, 0),
        ("东风社工点", "*"): (1, 1, 0, 0),
        (REST_A, "特困人员"): (1, 0, 0, 1),
        (REST_A, "*"): (1, 0, 0, 1),
        ("南石头社工点", "特困人员"): (1, 1, 1, 0),
        ("南石头社工点", "*"): (1, 1, 1, 0),
    }
    # The station's own figure is its points' and the rest's together.
    assert figures(world["city"], "station")[("沙园街社工站", "特困人员")] == (5, 2, 1, 3)
    assert figures(world["city"], "station")[("沙园街社工站", "*")] == (6, 3, 2, 3)
    assert [d for d in rollups.drift() if d.table == "roster_coverage"] == []


def test_a_worker_sees_the_points_of_the_own_station_only(world, fixture):
    assert set(figures(world["worker"])) == {
        ("沙园社工点", "特困人员"),
        ("沙园社工点", "低保对象"),
        ("沙园社工点", "*"),
        ("东风社工点", "特困人员"),
        ("东风社工点", "*"),
        (REST_A, "特困人员"),
        (REST_A, "*"),
    }


def test_the_page_excel_and_api_take_the_point_level_and_filter(world, fixture, client, login):
    p1, p2 = fixture["p1"], fixture["p2"]
    login(world["district"])
    page = client.get("/rosters/coverage/?month=2026-01&level=point")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="point" selected>社工点</option>' in html
    assert f'data-testid="on_roster-{p1.pk}-all">4<' in html
    assert f'data-testid="never_reached-{p2.pk}-all">0<' in html
    assert REST_A in html

    values = xlsx_table(client.get("/rosters/coverage/?month=2026-01&level=point&format=xlsx"))
    assert values[0][:3] == ("单位", "类别", "名单人数")
    totals = {v[0]: v[2:6] for v in values[1:] if v[1] == "合计"}
    assert totals == {
        "沙园社工点": (4, 2, 2, 2),
        "东风社工点": (1, 1, 0, 0),
        REST_A: (1, 0, 0, 1),
        "南石头社工点": (1, 1, 1, 0),
    }

    api = client.get(f"/api/rosters/coverage/?month=2026-01&level=point&point={p1.pk}").json()
    assert api["level"] == "point"
    assert [(r["key"], r["category"], r["on_roster"], r["never_reached"]) for r in api["rows"]] == [
        (p1.pk, "", 4, 2),
        (p1.pk, "低保对象", 1, 0),
        (p1.pk, "特困人员", 3, 2),
    ]
    # The point filter narrows any level: station A's figure at point P2 only.
    rows = client.get(f"/api/rosters/coverage/?month=2026-01&level=station&point={p2.pk}").json()
    assert [(r["name"], r["category"], r["on_roster"]) for r in rows["rows"]] == [
        ("沙园街社工站", "", 1),
        ("沙园街社工站", "特困人员", 1),
    ]
    bad = client.get("/api/rosters/coverage/?level=point&point=x")
    assert bad.status_code == 400
    assert client.get("/rosters/coverage/?level=points").status_code == 400
    assert "社工点" in client.get("/rosters/coverage/?level=points").content.decode()
