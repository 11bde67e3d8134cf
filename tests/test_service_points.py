"""Service points 社工点: who manages them, residents and services attached to
them (defaulted from the community, refused from another station), and the figures
per point, recounted by hand and by `rollups --check`."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from shegong.delivery import services as delivery_services
from shegong.org import services as org_services
from shegong.org.models import Community, ServicePoint
from shegong.stats import rollups
from shegong.stats.models import PointMonth, ProjectPointMonth
from tests.conftest import shared
from tests.delivery_world import TODAY, make_delivery, record
from tests.helpers import refusal_by_field


def api_as(d, person: str | None) -> APIClient:
    client = APIClient()
    client.cookies["django_language"] = "en"
    if person is not None:
        client.force_authenticate(d[person])
    return client


def make_points(world):
    """Station A (沙园街) has communities 东风, 南华 and 西园; points at 东风 (P1) and
    南华 (P2), none at 西园. Station B (南石头街) has a point of its own (PB)."""
    d = make_delivery(world)
    street_b = world.station_b.street
    communities = {
        name: Community.objects.create(street=world.street_a, name=name)
        for name in ("东风社区", "南华社区", "西园社区")
    }
    community_b = Community.objects.create(street=street_b, name="南石头社区")
    director = d["director"]
    d.extra["communities"] = communities
    d.extra["p1"] = org_services.service_point_create(
        actor=director,
        station=world.station_a,
        name="东风社工点",
        code="haizhu-10-01",
        community=communities["东风社区"],
        staff=[d["worker"]],
    )
    d.extra["p2"] = org_services.service_point_create(
        actor=director,
        station=world.station_a,
        name="南华社工点",
        code="haizhu-10-02",
        community=communities["南华社区"],
    )
    d.extra["pb"] = org_services.service_point_create(
        actor=d["director_b"],
        station=world.station_b,
        name="南石头社工点",
        code="haizhu-11-01",
        community=community_b,
    )
    return d


points = shared(make_points)


def counted(d):
    """Hand-counted services at station A this month:
    P1: key (family) 5 named + 20 head-count = 25, with 2.5 volunteer hours;
        elderly 3 named, corrected to 6 = 6            -> P1: 2 events, 31
    P2: youth head-count 40 = 40; a core head-count of 10 deleted -> P2: 1 event, 40
    no point: family 7 named = 7                        -> station total 78."""
    p1, p2 = d.extra["p1"], d.extra["p2"]
    record(
        d,
        project="key",
        attendees=d.residents[:5],
        headcount=20,
        point=p1,
        volunteers=[(d.volunteers[0], Decimal("2.5"))],
    )
    corrected = record(d, project="elderly", kind="home_visit", attendees=d.residents[:3], point=p1)
    delivery_services.service_event_update_attendance(
        actor=d["worker"], event=corrected, attendees=d.residents[:6]
    )
    record(d, project="youth", headcount=40, point=p2)
    gone = record(d, project="core", headcount=10, point=p2)
    delivery_services.service_event_delete(actor=d["worker"], event=gone)
    record(d, project="family", attendees=d.residents[:7])
    return d


@pytest.fixture
def served(points):
    return counted(points)


# --- Managing points ---------------------------------------------------------------


def test_director_and_district_officer_open_points_a_worker_may_not(points):
    body = {"station": points.world.station_a.pk, "name": "西园社工点", "code": "haizhu-10-03"}
    assert api_as(points, "worker").post("/api/service-points/", body).status_code == 403
    made = api_as(points, "district").post("/api/service-points/", body, format="json")
    assert made.status_code == 201
    assert made.json()["station_name"] == "沙园街社工站"
    # An officer of another district does not see the station.
    other = api_as(points, "other_district").post(
        "/api/service-points/", {**body, "code": "x-1"}, format="json"
    )
    assert other.status_code == 400
    assert "station" in other.json()


def test_a_point_in_a_community_of_another_street_is_refused(points):
    pb_community = points.extra["pb"].community
    errors = refusal_by_field(
        org_services.service_point_create,
        actor=points["director"],
        station=points.world.station_a,
        name="越界社工点",
        code="haizhu-10-09",
        community=Community.objects.create(street=pb_community.street, name="别的社区"),
    )
    assert errors == {"community": ["The community is not in the station's street or town."]}


def test_one_point_per_community(points):
    response = api_as(points, "director").post(
        "/api/service-points/",
        {
            "station": points.world.station_a.pk,
            "name": "东风第二社工点",
            "code": "haizhu-10-04",
            "community": points.extra["communities"]["东风社区"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["community"]


def test_staff_of_a_point_are_workers_of_its_station(points):
    p2 = points.extra["p2"]
    refused = api_as(points, "director").patch(
        f"/api/service-points/{p2.pk}/", {"staff": [points["worker_b"].pk]}, format="json"
    )
    # Worker B is not in director A's view: refused as not existing.
    assert refused.status_code == 400
    errors = refusal_by_field(
        org_services.service_point_update,
        actor=points["district"],
        point=p2,
        staff=[points["worker_b"]],
    )
    assert errors == {"staff": ["Worker_B is not a worker of this station."]}
    done = api_as(points, "director").patch(
        f"/api/service-points/{p2.pk}/", {"staff": [points["worker"].pk]}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["staff"] == [points["worker"].pk]
    assert list(ServicePoint.objects.get(pk=p2.pk).staff.all()) == [points["worker"]]


def test_points_are_read_by_their_station_and_its_officials_only(points):
    codes = {
        who: sorted(
            p["code"] for p in api_as(points, who).get("/api/service-points/").json()["results"]
        )
        for who in ("worker", "district", "worker_c")
    }
    assert codes == {
        "worker": ["haizhu-10-01", "haizhu-10-02"],
        "district": ["haizhu-10-01", "haizhu-10-02", "haizhu-11-01"],
        "worker_c": [],
    }


# --- Residents and services at a point -------------------------------------------------


def test_a_resident_of_a_community_with_a_point_belongs_to_it(points):
    communities = points.extra["communities"]
    client = api_as(points, "worker")
    body = {"name": "李伯", "gender": "male", "birth_date": "1948-03-02"}
    at_dongfeng = client.post(
        "/api/residents/", {**body, "community": communities["东风社区"].pk}, format="json"
    )
    assert at_dongfeng.status_code == 201
    assert at_dongfeng.json()["point"] == points.extra["p1"].pk
    at_xiyuan = client.post(
        "/api/residents/",
        {**body, "name": "王姨", "community": communities["西园社区"].pk},
        format="json",
    )
    assert at_xiyuan.json()["point"] is None
    # Moving to 南华 moves the resident to its point.
    moved = client.patch(
        f"/api/residents/{at_xiyuan.json()['id']}/",
        {"version": 1, "community": communities["南华社区"].pk},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["point"] == points.extra["p2"].pk


def test_a_point_of_another_station_is_refused_for_a_resident_and_an_event(points):
    pb = points.extra["pb"]
    client = api_as(points, "worker")
    resident = client.post(
        "/api/residents/",
        {"name": "李伯", "gender": "male", "birth_date": "1948-03-02", "point": pb.pk},
        format="json",
    )
    assert resident.status_code == 400
    assert list(resident.json()) == ["point"]
    # The service refuses it in words, whoever calls it (the import, the demo).
    errors = refusal_by_field(record, points, point=pb, headcount=5)
    assert errors == {"point": ["The service point 南石头社工点 is not of this station."]}


def test_the_registration_page_offers_the_stations_points(points, login):
    page = login(points["worker"]).get(reverse("clients:resident-register")).content.decode()
    select = re.search(r'<select name="point"[^>]*>(.*?)</select>', page, re.S).group(1)
    choices = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert choices == ["---------", "东风社工点", "南华社工点"]


def test_an_event_recorded_from_the_page_carries_its_point(points, login):
    client = login(points["worker"])
    response = client.post(
        reverse("delivery:event-record"),
        {
            "project": points.projects["key"].pk,
            "kind": "activity",
            "held_on": TODAY().isoformat(),
            "title": "东风社区游园会",
            "point": points.extra["p1"].pk,
            "headcount": 12,
            "workers": [points["worker"].pk],
        },
    )
    assert response.status_code == 302
    row = PointMonth.objects.get(point=points.extra["p1"])
    assert (row.events, row.person_times, row.domain) == (1, 12, "family")


def test_lists_filter_by_point_and_a_worker_keeps_the_whole_station(served):
    client = api_as(served, "worker")
    p1 = served.extra["p1"]
    at_p1 = client.get("/api/service-events/", {"point": p1.pk}).json()["results"]
    assert sorted(e["person_times"] for e in at_p1) == [6, 25]
    everything = client.get("/api/service-events/").json()["results"]
    assert sorted(e["person_times"] for e in everything) == [6, 7, 25, 40]


# --- Figures per point ---------------------------------------------------------------


def _point_figures(point) -> tuple[int, int, Decimal]:
    rows = PointMonth.objects.filter(point=point)
    return (
        sum(r.events for r in rows),
        sum(r.person_times for r in rows),
        sum((r.volunteer_hours for r in rows), Decimal("0.0")),
    )


def test_point_rollups_equal_the_hand_count(served):
    assert _point_figures(served.extra["p1"]) == (2, 31, Decimal("2.5"))
    assert _point_figures(served.extra["p2"]) == (1, 40, Decimal("0.0"))
    assert _point_figures(served.extra["pb"]) == (0, 0, Decimal("0.0"))
    assert rollups.drift() == []


def test_check_finds_a_tampered_point_row_and_rebuild_repairs_it(served):
    PointMonth.objects.filter(point=served.extra["p2"], domain="youth").update(person_times=41)
    with pytest.raises(CommandError, match="1 rollup row"):
        call_command("rollups", "--check", stdout=StringIO())
    counts = rollups.rebuild()
    assert counts["point_month"] == 3  # P1 family, P1 elderly, P2 youth
    assert _point_figures(served.extra["p2"]) == (1, 40, Decimal("0.0"))
    assert rollups.drift() == []


def test_station_dashboard_lists_its_points_adding_up_to_the_station(served, login):
    page = login(served["director"]).get(reverse("stats:station", args=[served.world.station_a.pk]))
    summary = page.context["summary"]
    assert summary.total == 78
    assert [(u.kind, u.name, u.events, u.person_times) for u in summary.points] == [
        ("point", "南华社工点", 1, 40),
        ("point", "东风社工点", 2, 31),
        ("rest", "", 1, 7),
    ]
    assert "无社工点" in page.content.decode()


def test_point_dashboard_shows_its_figures_by_domain(served, login):
    from shegong.clients.models import Resident

    p1 = served.extra["p1"]
    # Four of P1's attendees live at P1; two who live at P2 (one of them at P1's
    # visit too) count at P2, not at P1.
    Resident.objects.filter(pk__in=[r.pk for r in served.residents[:4]]).update(point=p1)
    Resident.objects.filter(pk__in=[r.pk for r in served.residents[5:7]]).update(
        point=served.extra["p2"]
    )
    page = login(served["district"]).get(reverse("stats:point", args=[p1.pk]))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert (summary.total, summary.events) == (31, 2)
    assert summary.by_domain == {"family": 25, "elderly": 6, "youth": 0, "featured": 0}
    assert summary.volunteer_hours == Decimal("2.5")
    # The residents of P1 served at the station: 4, in the family and elderly domains.
    assert (summary.clients_served, summary.priority_clients_served) == (4, 0)
    assert summary.clients_by_domain == {"family": 4, "elderly": 4, "youth": 0, "featured": 0}
    this_month = next(m for m in summary.by_month if m["month"] == TODAY().month)
    assert this_month["clients_served"] == 4
    assert page.context["station"] == served.world.station_a
    p2 = login(served["district"]).get(reverse("stats:point", args=[served.extra["p2"].pk]))
    assert p2.context["summary"].clients_served == 2


def test_the_drill_down_goes_through_the_street(served, login):
    client = login(served["city"])
    district = client.get(reverse("stats:district", args=[served.world.district.pk]))
    assert [(u.name, u.person_times) for u in district.context["summary"].streets] == [
        ("沙园街", 78)
    ]
    street = client.get(reverse("stats:street", args=[served.world.street_a.pk]))
    assert [(u.kind, u.name, u.person_times) for u in street.context["summary"].units] == [
        ("station", "沙园街社工站", 78)
    ]


def test_the_api_takes_a_point(served):
    p1, pb = served.extra["p1"], served.extra["pb"]
    figures = api_as(served, "city").get("/api/stats/person-times/", {"point": p1.pk}).json()
    assert (figures["person_times"], figures["events"]) == (31, 2)
    assert figures["by_domain"]["elderly"] == 6
    station = api_as(served, "worker").get(
        "/api/stats/person-times/", {"station": served.world.station_a.pk}
    )
    assert [(u["name"], u["person_times"]) for u in station.json()["points"]] == [
        ("南华社工点", 40),
        ("东风社工点", 31),
        ("", 7),
    ]
    # Another station's point is not there for a worker of station A.
    outside = api_as(served, "worker").get("/api/stats/person-times/", {"point": pb.pk})
    assert outside.status_code == 404


def test_the_monthly_report_takes_a_point(served, login):
    p2 = served.extra["p2"]
    response = login(served["district"]).get(
        reverse("stats:report", args=["monthly", "csv"]), {"point": p2.pk}
    )
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    this_month = next(line for line in lines if line.startswith(f"{TODAY():%Y-%m}"))
    # family, elderly, youth, featured, total, events, clients (none lives at P2), hours
    assert this_month.split(",")[1:] == ["0", "0", "40", "0", "40", "1", "0", "0.0"]


def test_last_years_point_figures_are_in_the_cumulative(served):
    p2 = served.extra["p2"]
    last_year = datetime.date(TODAY().year - 1, 6, 1)
    PointMonth.objects.create(
        station=served.world.station_a,
        point=p2,
        year=last_year.year,
        month=last_year.month,
        domain="youth",
        events=1,
        person_times=9,
    )
    figures = api_as(served, "director").get("/api/stats/person-times/", {"point": p2.pk}).json()
    assert (figures["person_times"], figures["cumulative_person_times"]) == (40, 49)


def test_the_station_page_lists_its_points_with_their_staff(points, login):
    page = login(points["district"]).get(
        reverse("org:station-detail", args=[points.world.station_a.pk])
    )
    assert [(p.code, names) for p, names in page.context["points"]] == [
        ("haizhu-10-01", ["Worker"]),
        ("haizhu-10-02", []),
    ]
    assert "社工点" in page.content.decode()
    # An evaluator reads the points, not the names of their staff.
    page = login(points["evaluator"]).get(
        reverse("org:station-detail", args=[points.world.station_a.pk])
    )
    assert [(p.code, names) for p, names in page.context["points"]] == [
        ("haizhu-10-01", []),
        ("haizhu-10-02", []),
    ]


# --- The service import ----------------------------------------------------------------


def _import(d, csv_text: str):
    import io

    from shegong.delivery.importing import service_events_import

    return service_events_import(
        actor=d["worker"],
        file=io.BytesIO(csv_text.encode("utf-8")),
        filename="services.csv",
        year=TODAY().year,
    )


def test_the_service_import_places_rows_at_a_point_by_code_or_name(points):
    day = TODAY().isoformat()
    result = _import(
        points,
        "记录编号,日期,项目,服务类型,名称,参与居民,人数,社工,社工点\n"
        f"R1,{day},长者服务,社区活动,重阳敬老活动,,30,,haizhu-10-01\n"
        f"R2,{day},青少年服务,社区活动,四点半课堂,,12,,南华社工点\n"
        f"R3,{day},青少年服务,社区活动,站内活动,,5,,\n",
    )
    assert (result.loaded_events, result.loaded_person_times) == (3, 47)
    assert _point_figures(points.extra["p1"]) == (1, 30, Decimal("0.0"))
    assert _point_figures(points.extra["p2"]) == (1, 12, Decimal("0.0"))
    # The batch's projects per point: R1 长者服务 at P1, R2 青少年服务 at P2 (R3 at none).
    assert _project_points() == {
        ("东风社工点", "长者服务"): (1, 30, 0, 1, Decimal("0.0")),
        ("南华社工点", "青少年服务"): (1, 12, 0, 1, Decimal("0.0")),
    }
    assert rollups.drift() == []


def test_the_service_import_refuses_a_point_of_another_station(points):
    day = TODAY().isoformat()
    result = _import(
        points,
        "记录编号,日期,项目,服务类型,名称,参与居民,人数,社工,社工点\n"
        f"R1,{day},长者服务,社区活动,重阳敬老活动,,30,,haizhu-11-01\n",
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "社工点", "本社工站没有社工点“haizhu-11-01”。")
    ]
    assert result.loaded_events == 0
    assert not PointMonth.objects.exists()


def test_a_casework_contact_counts_at_the_clients_point(points):
    from tests.delivery_world import casework_note

    client = points.residents[0]
    client.point = points.extra["p2"]
    client.save(update_fields=["point"])
    casework_note(points, client, domain="youth")
    assert _point_figures(points.extra["p2"]) == (1, 1, Decimal("0.0"))
    assert rollups.drift() == []


def test_the_resident_and_event_pages_show_the_point(points, login):
    p1 = points.extra["p1"]
    resident = points.residents[0]
    resident.point = p1
    resident.save(update_fields=["point"])
    event = record(points, headcount=3, point=p1)
    client = login(points["worker"])
    for url in (
        reverse("clients:resident-detail", args=[resident.pk]),
        reverse("delivery:event-detail", args=[event.pk]),
    ):
        page = client.get(url).content.decode()
        assert 'data-testid="point">东风社工点<' in page, url


def test_the_points_list_reads_a_fixed_number_of_queries(points):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(points, "district")

    def listing() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/service-points/").status_code == 200
        return len(queries)

    three = listing()
    for n in range(3, 6):
        org_services.service_point_create(
            actor=points["director"],
            station=points.world.station_a,
            name=f"第{n}社工点",
            code=f"haizhu-10-{n:02d}",
            staff=[points["worker"]],
        )
    assert listing() == three == 3  # the count, the points, their staff


# --- The pages that manage points ------------------------------------------------------


def test_the_director_opens_and_edits_a_point_from_the_station_page(points, login):
    client = login(points["director"])
    station = points.world.station_a
    detail = client.get(reverse("org:station-detail", args=[station.pk])).content.decode()
    assert "开设社工点" in detail
    xiyuan = points.extra["communities"]["西园社区"]
    response = client.post(
        reverse("org:point-create", args=[station.pk]),
        {
            "code": "haizhu-10-03",
            "name": "西园社工点",
            "community": xiyuan.pk,
            "is_active": "on",
            "staff": [points["worker"].pk],
        },
    )
    assert response.status_code == 302
    point = ServicePoint.objects.get(code="haizhu-10-03")
    assert (point.station, point.community, list(point.staff.all())) == (
        station,
        xiyuan,
        [points["worker"]],
    )
    response = client.post(
        reverse("org:point-edit", args=[point.pk]),
        {"code": "haizhu-10-03", "name": "西园村社工点", "community": xiyuan.pk},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.name, point.is_active, point.staff.count()) == ("西园村社工点", False, 0)


def test_a_second_point_in_a_community_is_a_form_error(points, login):
    client = login(points["district"])
    response = client.post(
        reverse("org:point-create", args=[points.world.station_a.pk]),
        {
            "code": "haizhu-10-03",
            "name": "东风二点",
            "community": points.extra["communities"]["东风社区"].pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["community"]
    assert not ServicePoint.objects.filter(code="haizhu-10-03").exists()


def test_a_worker_may_not_open_a_point(points, login):
    client = login(points["worker"])
    station = points.world.station_a
    assert client.get(reverse("org:point-create", args=[station.pk])).status_code == 403
    p1 = points.extra["p1"]
    assert client.get(reverse("org:point-edit", args=[p1.pk])).status_code == 403
    detail = client.get(reverse("org:station-detail", args=[station.pk])).content.decode()
    assert "开设社工点" not in detail


def test_the_api_and_the_annual_report_take_a_street(served, login):
    street = served.world.street_a
    figures = api_as(served, "district").get("/api/stats/person-times/", {"street": street.pk})
    assert figures.status_code == 200
    assert figures.json()["person_times"] == 78
    assert [(u["kind"], u["person_times"]) for u in figures.json()["units"]] == [("station", 78)]
    response = login(served["district"]).get(
        reverse("stats:report", args=["districts", "csv"]), {"point": served.extra["p1"].pk}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    # District, family, elderly, youth, featured, total: P1's 25 + 6.
    assert lines[1].split(",") == ["海珠区", "25", "6", "0", "0", "31"]


def test_a_groups_sessions_count_at_its_point(points):
    from tests.delivery_world import session

    p2 = points.extra["p2"]
    made = api_as(points, "worker").post(
        "/api/groups/",
        {
            "project": points.projects["elderly"].pk,
            "name": "南华长者小组",
            "planned_sessions": 4,
            "members": [r.pk for r in points.residents[:8]],
            "point": p2.pk,
        },
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["point"] == p2.pk
    from shegong.delivery.models import Group

    group = Group.objects.get(pk=made.json()["id"])
    session(points, group, points.residents[:8])
    session(points, group, points.residents[:5])
    assert _point_figures(p2) == (2, 13, Decimal("0.0"))
    in_p2 = api_as(points, "worker").get("/api/groups/", {"point": p2.pk}).json()["results"]
    assert [g["name"] for g in in_p2] == ["南华长者小组"]
    assert rollups.drift() == []


def test_the_resident_and_service_lists_filter_by_point(served, login):
    p1, pb = served.extra["p1"], served.extra["pb"]
    resident = served.residents[0]
    resident.point = p1
    resident.save(update_fields=["point"])
    client = login(served["worker"])
    listed = client.get(reverse("clients:resident-list"), {"point": p1.pk})
    assert [r.name for r in listed.context["page"]] == [resident.name]
    assert len(client.get(reverse("clients:resident-list")).context["page"]) == 15
    # Another station's point is not one of this worker's: nothing, not its residents.
    hidden = client.get(reverse("clients:resident-list"), {"point": pb.pk})
    assert list(hidden.context["page"]) == []
    events = client.get(reverse("delivery:event-list"), {"point": p1.pk})
    assert sorted(e.person_times for e in events.context["page"]) == [6, 25]


# --- 113X projects per point (ProjectPointMonth) -------------------------------------


def _project_points() -> dict[tuple[str, str], tuple]:
    """(point, project) -> (events, person-times, group sessions, activities,
    volunteer hours), the rows with any figure."""
    found = {}
    for r in ProjectPointMonth.objects.select_related("point", "project"):
        values = (r.events, r.person_times, r.group_sessions, r.activities, r.volunteer_hours)
        if any(values):
            found[(r.point.name, r.project.name)] = values
    return found


def test_project_rollups_per_point_equal_the_hand_count(served):
    # P1: 邻里互助 an activity of 25 with 2.5 volunteer hours, 长者服务 a home visit
    # corrected to 6; P2: 青少年服务 an activity of 40 (the core one deleted); the
    # family activity of 7 at no point is in ProjectMonth only.
    assert _project_points() == {
        ("东风社工点", "邻里互助"): (1, 25, 0, 1, Decimal("2.5")),
        ("东风社工点", "长者服务"): (1, 6, 0, 0, Decimal("0.0")),
        ("南华社工点", "青少年服务"): (1, 40, 0, 1, Decimal("0.0")),
    }
    assert rollups.drift() == []


def test_a_tampered_project_point_row_is_found_and_rebuilt(served):
    ProjectPointMonth.objects.filter(point=served.extra["p2"], events=1).update(person_times=41)
    assert {d.table for d in rollups.drift()} == {"project_point_month"}
    counts = rollups.rebuild()
    assert counts["project_point_month"] == 3
    assert _project_points()[("南华社工点", "青少年服务")] == (1, 40, 0, 1, Decimal("0.0"))
    assert rollups.drift() == []


def test_the_point_dashboard_and_api_list_its_113x_projects(served, login):
    p1 = served.extra["p1"]
    page = login(served["district"]).get(reverse("stats:point", args=[p1.pk]))
    projects = [
        (p.name, p.person_times, p.target, [(t.metric, t.done) for t in p.targets])
        for p in page.context["summary"].projects
    ]
    assert projects == [
        ("邻里互助", 25, None, [("activities", 1.0), ("volunteer_hours", 2.5)]),
        ("长者服务", 6, None, []),
    ]
    assert "本社工点的113X项目服务" in page.content.decode()
    api = api_as(served, "city").get("/api/stats/person-times/", {"point": p1.pk}).json()
    assert [(p["name"], p["person_times"]) for p in api["projects"]] == [
        ("邻里互助", 25),
        ("长者服务", 6),
    ]
    # A domain filter keeps the domain's projects only.
    elderly = login(served["district"]).get(
        reverse("stats:point", args=[p1.pk]), {"domain": "elderly"}
    )
    assert [p.name for p in elderly.context["summary"].projects] == ["长者服务"]


# --- Canteen meals per point (MealPointMonth) ----------------------------------------


def test_meals_count_at_the_elders_point_at_the_roll_call(points, login):
    """Elders 0–2 live at P1, 3 at P2, 4 at no point; all five are enrolled. The
    roll call: 0 dine-in, 1 delivery, 2 dine-in, 3 delivery, 4 dine-in; a second
    call marks 2 absent. Then 0 moves to P2: the meal already eaten stays at P1.
    By hand: P1 1 dine-in + 1 delivery, P2 1 delivery, the station 2 + 2."""
    from shegong.clients.models import Resident
    from shegong.community import services as community_services
    from shegong.stats.models import MealMonth, MealPointMonth

    p1, p2 = points.extra["p1"], points.extra["p2"]
    elders = points.residents[:5]
    for elder, point in zip(elders, (p1, p1, p1, p2, None), strict=True):
        Resident.objects.filter(pk=elder.pk).update(point=point)
        community_services.meal_enrol(
            actor=points["worker"], resident=elder, started_on=TODAY() - datetime.timedelta(30)
        )
    kinds = ("dine_in", "delivery", "dine_in", "delivery", "dine_in")
    station = points.world.station_a
    community_services.meal_roll_call(
        actor=points["worker"],
        station=station,
        served_on=TODAY(),
        present={e.pk: k for e, k in zip(elders, kinds, strict=True)},
    )
    community_services.meal_roll_call(
        actor=points["worker"],
        station=station,
        served_on=TODAY(),
        present={},
        absent=[elders[2].pk],
    )
    Resident.objects.filter(pk=elders[0].pk).update(point=p2)

    def meals(rows) -> tuple[int, int]:
        return (sum(r.dine_in for r in rows), sum(r.delivery for r in rows))

    assert meals(MealPointMonth.objects.filter(point=p1)) == (1, 1)
    assert meals(MealPointMonth.objects.filter(point=p2)) == (0, 1)
    assert meals(MealMonth.objects.filter(station=station)) == (2, 2)
    assert rollups.drift() == []
    page = login(points["district"]).get(reverse("stats:point", args=[p1.pk]))
    assert page.context["summary"].meals == {"dine_in": 1, "delivery": 1, "total": 2}
    assert 'data-testid="meals">2<' in page.content.decode()

    MealPointMonth.objects.filter(point=p2).update(delivery=5)
    assert {d.table for d in rollups.drift()} == {"meal_point_month"}
    assert rollups.rebuild()["meal_point_month"] == 2
    assert meals(MealPointMonth.objects.filter(point=p2)) == (0, 1)
    assert rollups.drift() == []
