"""The roster pages, the outreach list (due / overdue / never reached), a visit
recorded from it, the access log, the coverage page, report and API, and the
missed-visit alert.

Station A's 特困人员 rule is set to every 30 days. This month's roster lists
persons 1–4 at 沙园社区: 1 visited 10 days ago (up to date), 2 visited 40 days
ago (overdue by 10 days), 3 never reached, 4 visited 25 days ago (due in 5 days).
"""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from shegong.cases import alerts
from shegong.cases import services as case_services
from shegong.cases.models import Alert, AlertKind
from shegong.clients import identity
from shegong.core.models import AccessLog
from shegong.delivery.models import ServiceEvent
from shegong.plans import services as plan_services
from shegong.rosters import services
from shegong.rosters.models import RosterCategory, RosterEntry
from tests.conftest import shared
from tests.helpers import days_ago, today, xlsx_table
from tests.roster_helpers import communities, csv_file, id_number, load, row


def this_month() -> datetime.date:
    return today().replace(day=1)


def project_for(world, year: int):
    plan = plan_services.plan_create(actor=world["director"], station=world.station_a, year=year)
    return plan_services.project_add(
        actor=world["director"], plan=plan, kind="basic", domain="elderly", name="长者服务"
    )


def entry(n: int) -> RosterEntry:
    return RosterEntry.objects.get(id_number_hash=identity.lookup_hash(id_number(n)))


def build(world):
    communities(world)
    tekun = RosterCategory.objects.get(code="tekun")
    services.visit_rule_set(
        actor=world["director"], station=world.station_a, category=tekun, every=30, unit="days"
    )
    listed = today().isoformat()
    assert load(world, [row(n, list_date=listed) for n in range(1, 5)], month=this_month()).ok
    projects = {}
    for n, ago in ((1, 10), (2, 40), (4, 25)):
        held_on = days_ago(ago)
        if held_on.year not in projects:
            projects[held_on.year] = project_for(world, held_on.year)
        services.roster_visit_record(
            actor=world["worker"], entry=entry(n), project=projects[held_on.year], held_on=held_on
        )
    if today().year not in projects:
        projects[today().year] = project_for(world, today().year)
    return projects[today().year]


project = shared(build)


def test_the_outreach_list_sorts_never_reached_overdue_due(world, project, client, login):
    login(world["worker"])
    response = client.get("/rosters/outreach/")
    assert response.status_code == 200
    people = [(p.name, p.status) for p in response.context["people"]]
    assert people == [
        ("名单人3", "never_reached"),
        ("名单人2", "overdue"),
        ("名单人4", "due"),
        ("名单人1", "up_to_date"),
    ]
    assert dict((s, n) for s, _label, n in response.context["counts"]) == {
        "never_reached": 1,
        "overdue": 1,
        "due": 1,
        "up_to_date": 1,
    }
    assert "从未服务" in response.content.decode()
    overdue = client.get("/rosters/outreach/?status=overdue").context["people"]
    assert [p.name for p in overdue] == ["名单人2"]
    two = overdue[0]
    assert two.last_visit == days_ago(40)
    assert two.next_due == days_ago(10)
    assert two.address == "沙园路2号"


def test_officials_see_counts_not_the_list(world, project, client, login):
    for who in ("district", "city", "agency"):
        login(world[who])
        assert client.get("/rosters/outreach/").status_code == 403
        assert client.get(f"/rosters/entries/{entry(1).pk}/").status_code == 404
    login(world["worker_c"])
    assert client.get(f"/rosters/entries/{entry(1).pk}/").status_code == 404


def test_opening_a_roster_person_is_access_logged(world, project, client, login):
    login(world["worker"])
    response = client.get(f"/rosters/entries/{entry(2).pk}/")
    assert response.status_code == 200
    assert "名单人2" in response.content.decode()
    logged = AccessLog.objects.get(action="read_roster_person")
    assert (logged.user, logged.station, logged.object_id) == (
        world["worker"],
        world.station_a,
        entry(2).pk,
    )


def test_a_visit_from_the_list_counts_as_contact_person_time_and_coverage(
    world, project, client, login
):
    # (Who counts as visited this month depends on the day of the month the test
    # runs on; the visit adds one to it whatever the day.)
    login(world["district"])
    before = client.get("/api/rosters/coverage/?level=district").json()["rows"]
    total_before = next(r for r in before if r["category_id"] is None)
    assert (total_before["on_roster"], total_before["never_reached"]) == (4, 1)
    login(world["worker"])
    response = client.post(
        f"/rosters/entries/{entry(3).pk}/visit/",
        {"project": project.pk, "held_on": today().isoformat(), "title": "入户探访"},
    )
    assert response.status_code == 302
    visit = ServiceEvent.objects.get(title="入户探访")
    assert (visit.kind, visit.person_times, visit.station) == ("home_visit", 1, world.station_a)
    three = [p for p in client.get("/rosters/outreach/").context["people"] if p.name == "名单人3"]
    assert (three[0].status, three[0].last_contact) == ("up_to_date", today())
    login(world["district"])
    after = client.get("/api/rosters/coverage/?level=district").json()["rows"]
    total = next(r for r in after if r["category_id"] is None)
    assert (total["on_roster"], total["never_reached"]) == (4, 0)
    assert total["visited"] == total_before["visited"] + 1
    assert total["reached"] == total_before["reached"] + 1
    assert total["coverage"] == 100.0


def test_a_bad_visit_is_refused_with_a_message(world, project, client, login):
    login(world["worker"])
    response = client.post(f"/rosters/entries/{entry(3).pk}/visit/", {"project": project.pk})
    assert response.status_code == 400
    assert ServiceEvent.objects.filter(kind="home_visit").count() == 3
    login(world["district"])
    assert client.post(f"/rosters/entries/{entry(3).pk}/visit/", {}).status_code == 404


def test_the_coverage_page_and_its_excel_report(world, project, client, login):
    login(world["district"])
    response = client.get("/rosters/coverage/?level=station")
    assert response.status_code == 200
    rows = [(r.name, r.category, r.on_roster, r.never_reached) for r in response.context["rows"]]
    assert rows == [("沙园街社工站", "", 4, 1), ("沙园街社工站", "特困人员", 4, 1)]
    assert "覆盖率" in response.content.decode()
    report = client.get("/rosters/coverage/?level=station&format=xlsx")
    values = xlsx_table(report)
    assert values[0][:3] == ("单位", "类别", "名单人数")
    assert [values[1][i] for i in (0, 1, 2, 5, 6)] == ["沙园街社工站", "合计", 4, 1, 75.0]
    assert client.get("/rosters/coverage/?level=planet").status_code == 400
    assert client.get("/api/rosters/coverage/?month=2026-13").status_code == 400


def test_the_import_page_for_officials_only(world, project, client, login):
    login(world["worker"])
    assert client.get("/rosters/import/").status_code == 403
    login(world["other_district"])
    page = client.get("/rosters/import/")
    assert page.status_code == 200
    template = client.get("/rosters/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    assert next(sheet.iter_rows(values_only=True))[:3] == ("身份证号", "姓名", "类别")
    upload = csv_file([row(9, list_date=today().isoformat())])
    upload.name = "haizhu.csv"
    response = client.post(
        "/rosters/import/",
        {"month": this_month().strftime("%Y-%m"), "source": "海珠区民政局", "file": upload},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/jobs/")
    result = client.get("/rosters/import/result/", follow=True)
    assert result.redirect_chain == [(response["Location"], 302)]
    assert result.context["result"]["error_count"] == 1
    assert "海珠区" in result.context["result"]["errors"][0][2]
    assert client.get("/rosters/import/problems.xlsx").status_code == 200


def test_a_missed_visit_raises_one_alert_per_episode(world, project):
    raised = alerts.run_all(stations=[world.station_a])
    assert raised[AlertKind.ROSTER_VISIT_OVERDUE] == 1
    alert = Alert.objects.get(kind=AlertKind.ROSTER_VISIT_OVERDUE)
    assert alert.resident == entry(2).resident
    assert alert.subject == f"roster:{entry(2).resident_id}:{days_ago(10).isoformat()}"
    assert days_ago(10).isoformat() in alert.text
    assert alerts.run_all(stations=[world.station_a])[AlertKind.ROSTER_VISIT_OVERDUE] == 0
    case_services.alert_resolve(
        actor=world["director"], alert=alert, note="已电话联系，约定下周探访"
    )
    assert alerts.run_all(stations=[world.station_a])[AlertKind.ROSTER_VISIT_OVERDUE] == 0
    assert Alert.objects.filter(kind=AlertKind.ROSTER_VISIT_OVERDUE).count() == 1


def test_the_director_sets_the_stations_visit_rule(world, project, client, login):
    tekun = RosterCategory.objects.get(code="tekun")
    login(world["worker"])
    page = client.get("/rosters/rules/")
    assert page.status_code == 200
    assert ("特困人员", 30, "days", True) in [
        (c.name, rule.every, rule.unit, own) for c, rule, own in page.context["categories"]
    ]
    assert client.post("/rosters/rules/", {"category": tekun.pk}).status_code == 403
    login(world["director"])
    response = client.post(
        "/rosters/rules/", {"category": tekun.pk, "visit_every": 2, "visit_unit": "months"}
    )
    assert response.status_code == 302
    rows = client.get("/rosters/rules/").context["categories"]
    assert [(r.every, r.unit) for c, r, _own in rows if c.pk == tekun.pk] == [(2, "months")]
    # 2's visit of 40 days ago is now within its two months.
    people = {p.name: p.status for p in client.get("/rosters/outreach/").context["people"]}
    assert people["名单人2"] != "overdue"
    assert "探访规则" in client.get("/rosters/rules/").content.decode()
    bad = client.post(
        "/rosters/rules/", {"category": tekun.pk, "visit_every": 0, "visit_unit": "months"}
    )
    assert bad.status_code == 400


def test_the_coverage_api_refuses_bad_filters_with_400(world, project, client, login):
    login(world["city"])
    for query in (
        "district=²",
        "station=99999999999999999999999",
        "district=x",
        "level=",
        "month=2026-1x",
    ):
        response = client.get(f"/api/rosters/coverage/?{query}")
        assert response.status_code in (200, 400), query
    assert client.get("/api/rosters/coverage/?district=²").status_code == 400
    assert client.get("/api/rosters/coverage/?station=99999999999999999999999").status_code == 400
    assert client.get(f"/api/rosters/coverage/?district={world.district.pk}").status_code == 200


def test_the_outreach_list_and_coverage_ask_the_same_queries_for_4_persons_or_12(
    world, project, client, login
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    login(world["worker"])
    client.get("/rosters/outreach/")
    few = queries("/rosters/outreach/"), queries("/rosters/coverage/")
    listed = today().isoformat()
    assert load(
        world, [row(n, "低保对象", list_date=listed) for n in range(5, 13)], month=this_month()
    ).ok
    assert len(client.get("/rosters/outreach/").context["people"]) == 12
    # The outreach list reads the station's visit rules from the cache (core.cached),
    # filled by the first request above: 7 queries without it; the station's scope is
    # decided from the row in hand (core.scope.can).
    assert (queries("/rosters/outreach/"), queries("/rosters/coverage/")) == few == (4, 6)


def test_a_resident_the_import_created_opens_like_any_other(world, project, client, login):
    login(world["worker"])
    three = entry(3)
    assert three.resident_created
    page = client.get(f"/residents/{three.resident_id}/")
    assert page.status_code == 200
    assert "名单人3" in page.content.decode()


def test_a_new_visit_rule_shows_on_the_next_outreach_list(world, project, client, login):
    # The station's visit rules are read from the cache (core.cached); a change is
    # on the next page all the same.
    login(world["worker"])
    statuses = {p.name: p.status for p in client.get("/rosters/outreach/").context["people"]}
    assert statuses["名单人1"] == "up_to_date"  # visited 10 days ago, every 30 days
    services.visit_rule_set(
        actor=world["director"],
        station=world.station_a,
        category=RosterCategory.objects.get(code="tekun"),
        every=7,
        unit="days",
    )
    statuses = {p.name: p.status for p in client.get("/rosters/outreach/").context["people"]}
    assert statuses["名单人1"] == "overdue"
