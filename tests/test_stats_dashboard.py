"""The dashboard, the API and a recount from raw records agree, in every scope."""

import pytest
from django.test import Client
from django.utils import timezone

from shegong.delivery.models import Attendance, ServiceEvent
from tests.helpers import xlsx_table
from tests.test_stats_rollups import mixed  # noqa: F401  (fixture)


def _recount(**filters) -> dict[str, int]:
    totals = {"family": 0, "elderly": 0, "youth": 0, "featured": 0}
    for event in ServiceEvent.objects.filter(**filters):
        totals[event.domain] += Attendance.objects.filter(event=event).count() + event.headcount
    return totals


def test_city_dashboard_api_and_raw_records_agree(mixed, api):  # noqa: F811
    client = Client()
    client.force_login(mixed["city"])
    page = client.get("/stats/")
    figures = api(mixed["city"]).get("/api/stats/person-times/").json()
    raw = _recount()
    assert page.status_code == 200
    assert page.context["summary"].by_domain == figures["by_domain"] == raw
    assert figures["person_times"] == sum(raw.values()) == 95
    assert [(u["name"], u["person_times"]) for u in figures["units"]] == [("海珠区", 95)]
    assert "95" in page.content.decode()


def test_drill_down_from_district_to_station(mixed):  # noqa: F811
    client = Client()
    client.force_login(mixed["city"])
    district = client.get(f"/stats/districts/{mixed.world.district.pk}/")
    assert [(u.name, u.person_times) for u in district.context["summary"].units] == [
        ("沙园街社工站", 95)
    ]
    station = client.get(f"/stats/stations/{mixed.world.station_a.pk}/")
    projects = {p.name: p.person_times for p in station.context["summary"].projects}
    assert projects["长者服务"] == 22
    assert len(projects) == 6


@pytest.mark.parametrize(
    ("person", "url_kind", "status"),
    [
        ("district", "district", 200),
        ("other_district", "district", 404),
        ("director_b", "station", 404),
        ("worker", "station", 200),
        ("evaluator", "station", 200),
        ("worker_c", "district", 404),
    ],
)
def test_drill_downs_out_of_scope_are_404(mixed, person, url_kind, status):  # noqa: F811
    client = Client()
    client.force_login(mixed[person])
    pk = mixed.world.district.pk if url_kind == "district" else mixed.world.station_a.pk
    assert client.get(f"/stats/{url_kind}s/{pk}/").status_code == status


def test_an_outsider_sees_none_of_station_as_figures(mixed, api):  # noqa: F811
    figures = api(mixed["worker_c"]).get("/api/stats/person-times/").json()
    assert figures["person_times"] == 0


def test_impossible_month_range_is_refused_with_a_message(mixed, api):  # noqa: F811
    client = Client()
    client.force_login(mixed["city"])
    page = client.get("/stats/", {"month_from": 9, "month_to": 2})
    assert page.status_code == 400
    assert "起始月份晚于截止月份" in page.content.decode()
    response = api(mixed["city"]).get("/api/stats/person-times/?month_from=9&month_to=2")
    assert response.status_code == 400
    assert api(mixed["city"]).get("/api/stats/person-times/?year=1800").status_code == 400


def test_month_range_narrows_the_totals(mixed, api):  # noqa: F811
    month = timezone.localdate().month
    other = 1 if month != 1 else 2
    figures = (
        api(mixed["city"])
        .get(f"/api/stats/person-times/?month_from={other}&month_to={other}")
        .json()
    )
    assert figures["person_times"] == 0
    # The ranking of a part of the year reads the months (a whole year reads
    # DomainYear); the cumulative figure always runs to the period's end.
    assert figures["units"] == []
    assert figures["cumulative_person_times"] == (95 if other > month else 0)
    this_month = (
        api(mixed["city"])
        .get(f"/api/stats/person-times/?month_from={month}&month_to={month}")
        .json()
    )
    assert this_month["person_times"] == 95
    assert [(u["name"], u["person_times"]) for u in this_month["units"]] == [("海珠区", 95)]
    assert this_month["cumulative_person_times"] == 95
    assert sum(m["person_times"] for m in this_month["by_month"]) == 95


def _xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_table(response)]


def test_monthly_report_matches_the_dashboard(mixed):  # noqa: F811
    client = Client()
    client.force_login(mixed["city"])
    response = client.get("/stats/reports/monthly.xlsx")
    rows = _xlsx_rows(response)
    assert rows[0] == [
        "月份",
        "家庭",
        "长者",
        "青少年",
        "特色",
        "服务人次",
        "服务次数",
        "服务对象人数",
        "义工时数",
    ]
    month = timezone.localdate().month
    this_month = rows[month]
    # 6 events (key, featured, two sessions, casework, family; the core one deleted)
    # for 12 different residents.
    assert this_month[1:] == [47, 22, 1, 25, 95, 6, 12, 0]
    assert sum(r[5] for r in rows[1:]) == 95


def test_district_report_and_target_completion(mixed):  # noqa: F811
    from shegong.plans.services import target_set

    target_set(
        actor=mixed["director"], project=mixed.projects["elderly"], targets={"person_times": 44}
    )
    client = Client()
    client.force_login(mixed["city"])
    districts = _xlsx_rows(client.get("/stats/reports/districts.xlsx"))
    assert districts[1] == ["海珠区", 47, 22, 1, 25, 95]
    targets = client.get("/stats/reports/targets.csv")
    lines = b"".join(targets.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].split(",") == [
        "海珠区",
        "沙园街社工站",
        "长者服务",
        "基础项目",
        "服务人次",
        "44",
        "22",
        "50.0",
    ]


def test_reports_respect_scope_and_refuse_bad_input(mixed):  # noqa: F811
    client = Client()
    client.force_login(mixed["worker_c"])
    rows = _xlsx_rows(client.get("/stats/reports/districts.xlsx"))
    assert rows == [["区", "家庭", "长者", "青少年", "特色", "服务人次"]]
    assert (
        client.get(f"/stats/reports/monthly.xlsx?station={mixed.world.station_a.pk}").status_code
        == 404
    )
    assert client.get("/stats/reports/monthly.pdf").status_code == 404
    assert client.get("/stats/reports/secret.xlsx").status_code == 404
    assert client.get("/stats/reports/monthly.xlsx?year=1800").status_code == 400


def test_district_report_honours_the_district_and_the_station(mixed):  # noqa: F811
    from shegong.core.roles import Role
    from shegong.delivery import services
    from tests.conftest import make_user
    from tests.delivery_world import PROJECTS, TODAY, _plan

    world = mixed.world
    # Station B (same district as A): 30 family; station C (越秀区): 10 elderly.
    services.service_event_record(
        actor=mixed["worker_b"],
        project=mixed.project_b,
        kind="activity",
        held_on=TODAY(),
        title="南石头邻里节",
        headcount=30,
    )
    director_c = make_user("director_c", Role.STATION_DIRECTOR, station=world.station_c)
    project_c = _plan(director_c, world.station_c, {"elderly": PROJECTS["elderly"]})["elderly"]
    services.service_event_record(
        actor=mixed["worker_c"],
        project=project_c,
        kind="activity",
        held_on=TODAY(),
        title="北京街长者活动",
        headcount=10,
    )
    client = Client()
    client.force_login(mixed["city"])

    def report(**query) -> list[list]:
        return _xlsx_rows(client.get("/stats/reports/districts.xlsx", query))[1:]

    assert report() == [["越秀区", 0, 10, 0, 0, 10], ["海珠区", 77, 22, 1, 25, 125]]
    assert report(district=world.district.pk) == [["海珠区", 77, 22, 1, 25, 125]]
    assert report(district=world.other_district.pk) == [["越秀区", 0, 10, 0, 0, 10]]
    assert report(station=world.station_a.pk) == [["海珠区", 47, 22, 1, 25, 95]]
    assert report(station=world.station_b.pk) == [["海珠区", 30, 0, 0, 0, 30]]
    assert report(station=world.station_a.pk, domain="elderly") == [["海珠区", 0, 22, 0, 0, 22]]
    assert report(station=world.station_b.pk, domain="elderly") == []
