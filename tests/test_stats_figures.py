"""The figures beyond person-times — distinct clients served, priority clients,
volunteer hours, meals, cases, target progress — from the one selector, against
hand counts and a recount from the raw records, through the API and the page."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from shegong.clients import services as client_services
from shegong.community import services as community_services
from shegong.delivery import services
from shegong.delivery.models import Attendance
from shegong.plans.services import target_set
from shegong.stats import rollups
from tests.delivery_world import TODAY, casework_note, group, make_delivery, record


@pytest.fixture
def served(world):
    """At station A this month: an elderly group session of residents 0–3 with two
    volunteers (2.5 h + 1.5 h), a family activity of residents 2–5, a youth case
    of resident 6; resident 0 is a priority elder; residents 0 and 1 ate at the
    canteen today (one dine-in, one delivery)."""
    d = make_delivery(world)
    r = d.residents
    worker = d["worker"]
    client_services.client_classify(
        actor=worker,
        resident=r[0],
        domain="elderly",
        category="priority",
        priority_kind="hardship_elder",
        started_on=datetime.date(2024, 1, 1),
    )
    grp = group(d, members=6, project="elderly")
    services.group_session_record(
        actor=worker,
        group=grp,
        held_on=TODAY(),
        attendees=r[:4],
        volunteers=[(d.volunteers[0], Decimal("2.5")), (d.volunteers[1], Decimal("1.5"))],
    )
    d.family_event = record(d, project="family", attendees=r[2:6])
    casework_note(d, r[6], domain="youth")
    for elder in r[:2]:
        community_services.meal_enrol(
            actor=worker, resident=elder, started_on=TODAY() - datetime.timedelta(days=1)
        )
    community_services.meal_roll_call(
        actor=worker,
        station=world.station_a,
        served_on=TODAY(),
        present={r[0].pk: "dine_in", r[1].pk: "delivery"},
    )
    return d


def _figures(api, user, **params) -> dict:
    response = api(user).get("/api/stats/person-times/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _raw_distinct_clients(**filters) -> int:
    return (
        Attendance.objects.filter(**filters).values("event__station", "resident").distinct().count()
    )


def test_clients_served_are_distinct_people(served, api):
    figures = _figures(api, served["city"])
    assert figures["clients_served"] == 7 == _raw_distinct_clients()
    assert figures["priority_clients_served"] == 1
    assert figures["clients_by_domain"] == {"family": 4, "elderly": 4, "youth": 1, "featured": 0}
    assert figures["person_times"] == 4 + 4 + 1
    assert rollups.drift() == []


def test_volunteers_meals_and_cases(served, api):
    figures = _figures(api, served["city"])
    assert figures["volunteer_hours"] == "4.0"
    # Two at station A, one at station B, all visible to the city.
    assert figures["volunteers_active"] == 3
    assert figures["meals"] == {"dine_in": 1, "delivery": 1, "total": 2}
    assert figures["cases"] == {"open": 1, "high_risk_open": 0, "opened": 1, "closed": 0}
    # Alerts are station work: officials get no count at all.
    assert figures["alerts_open"] is None
    assert _figures(api, served["director"])["alerts_open"] == 0


def test_the_page_shows_what_the_api_says(served, api):
    client = Client()
    client.force_login(served["director"])
    page = client.get(f"/stats/stations/{served.world.station_a.pk}/")
    figures = _figures(api, served["director"], station=served.world.station_a.pk)
    summary = page.context["summary"]
    assert page.status_code == 200
    assert summary.clients_served == figures["clients_served"] == 7
    assert summary.meals == figures["meals"]
    html = page.content.decode()
    assert 'data-testid="clients-served">7<' in html
    assert 'data-testid="volunteer-hours">4.0<' in html
    assert 'data-testid="meals">2<' in html


def test_a_domain_filter_narrows_every_figure(served, api):
    figures = _figures(api, served["city"], domain="elderly")
    assert figures["by_domain"] == {"elderly": 4}
    assert figures["person_times"] == 4
    assert figures["clients_served"] == 4
    # Priority status is counted across domains: not split by a domain filter.
    assert figures["priority_clients_served"] is None
    assert figures["volunteer_hours"] == "4.0"
    assert figures["cases"]["open"] == 0  # the open case is a youth case
    youth = _figures(api, served["city"], domain="youth")
    assert (youth["clients_served"], youth["cases"]["open"], youth["meals"]) == (1, 1, {})
    assert api(served["city"]).get("/api/stats/person-times/?domain=pets").status_code == 400


def test_months_outside_the_period_serve_nobody(served, api):
    month = TODAY().month
    other = 1 if month != 1 else 2
    figures = _figures(api, served["city"], month_from=other, month_to=other)
    assert (figures["clients_served"], figures["person_times"], figures["meals"]["total"]) == (
        0,
        0,
        0,
    )


def test_deleting_an_event_removes_only_people_served_nowhere_else(served, api):
    services.service_event_delete(actor=served["worker"], event=served.family_event)
    figures = _figures(api, served["city"])
    # Residents 0–3 (group) and 6 (case); 4 and 5 came only to the family activity.
    assert figures["clients_served"] == 5 == _raw_distinct_clients()
    assert figures["clients_by_domain"]["family"] == 0
    assert rollups.drift() == []


def test_ending_a_classification_changes_who_was_a_priority_client(served, api):
    status = served.residents[0].statuses.get()
    client_services.client_status_end(
        actor=served["worker"], status=status, ended_on=datetime.date(2024, 6, 30)
    )
    assert _figures(api, served["city"])["priority_clients_served"] == 0
    assert rollups.drift() == []


def test_a_merge_counts_the_merged_person_once(served, api):
    r = served.residents
    client_services.resident_merge(actor=served["director"], keep=r[4], duplicate=r[5])
    assert _figures(api, served["city"])["clients_served"] == 6 == _raw_distinct_clients()
    assert rollups.drift() == []


def test_a_new_roll_call_replaces_the_days_meals(served, api):
    community_services.meal_roll_call(
        actor=served["worker"],
        station=served.world.station_a,
        served_on=TODAY(),
        present={served.residents[0].pk: "dine_in"},
        absent=[served.residents[1].pk],
    )
    assert _figures(api, served["city"])["meals"] == {"dine_in": 1, "delivery": 0, "total": 1}
    assert rollups.drift() == []


def test_targets_other_than_person_times(served, api):
    target_set(
        actor=served["director"],
        project=served.projects["elderly"],
        targets={
            "person_times": 40,
            "group_sessions": 4,
            "groups": 1,
            "volunteers": 2,
            "volunteer_hours": 8,
            "cases": 2,
        },
    )
    figures = _figures(api, served["director"], station=served.world.station_a.pk)
    elderly = next(p for p in figures["projects"] if p["name"] == "长者服务")
    assert (elderly["person_times"], elderly["target"], elderly["percent"]) == (4, 40, 10)
    assert {t["metric"]: (t["done"], t["target"], t["percent"]) for t in elderly["targets"]} == {
        "cases": (0.0, 2, 0),  # the only case is a youth case
        "groups": (1.0, 1, 100),
        "group_sessions": (1.0, 4, 25),
        "volunteers": (2.0, 2, 100),
        "volunteer_hours": (4.0, 8, 50),
    }


def test_the_city_page_filters_by_district(served):
    client = Client()
    client.force_login(served["city"])
    other = client.get("/stats/", {"district": served.world.other_district.pk})
    assert other.status_code == 200
    assert other.context["summary"].total == 0
    mine = client.get("/stats/", {"district": served.world.district.pk})
    assert mine.context["summary"].total == 9
    assert [u.name for u in mine.context["summary"].units] == ["沙园街社工站"]
    assert client.get("/stats/", {"district": 999999}).status_code == 400


def test_a_district_officer_cannot_filter_to_another_district(served):
    client = Client()
    client.force_login(served["district"])
    response = client.get("/stats/", {"district": served.world.other_district.pk})
    assert response.status_code == 400


def test_an_import_marks_its_residents_served(served, api):
    import io

    from shegong.clients.identity import id_check_char
    from shegong.delivery.importing import service_events_import

    numbers = []
    for n in (1, 2):
        body = f"44010519800101{n:03d}"
        number = body + id_check_char(body)
        client_services.resident_register(
            actor=served["worker"],
            station=served.world.station_a,
            name=f"导入居民{n}",
            gender="male",
            birth_date=datetime.date(1980, 1, 1),
            id_number=number,
            allow_similar=True,
        )
        numbers.append(number)
    day = TODAY().isoformat()
    names = "、".join(numbers)
    csv_text = (
        "记录编号,日期,项目,服务类型,名称,参与居民,人数,社工\n"
        f"F1,{day},青少年服务,社区活动,四点半课堂,{names},3,\n"
    )
    result = service_events_import(
        actor=served["worker"],
        file=io.BytesIO(csv_text.encode("utf-8")),
        filename="import.csv",
        year=TODAY().year,
    )
    assert result.loaded_events == 1, result.errors
    figures = _figures(api, served["city"])
    assert figures["clients_served"] == 9
    assert figures["clients_by_domain"]["youth"] == 3
    assert rollups.drift() == []


def test_satisfaction_from_the_surveys(served, api):
    from shegong.surveys import services as survey_services

    director = served["director"]
    survey = survey_services.survey_create(actor=director, kind="satisfaction", title="满意度")
    question = survey_services.question_add(
        actor=director, survey=survey, kind="rating", text="总体满意度", required=True, options=[]
    )
    survey_services.survey_publish(actor=director, survey=survey)
    for rating, day in ((5, TODAY()), (4, TODAY()), (3, TODAY()), (2, datetime.date(2025, 6, 1))):
        survey_services.response_enter_paper(
            actor=served["worker"], survey=survey, answers={question.pk: rating}, answered_on=day
        )
    figures = _figures(api, served["city"], year=TODAY().year)
    # Two of three answers this year are 4–5; last year's only answer was not.
    assert figures["satisfaction"]["rate"] == "66.67"
    assert figures["satisfaction"]["answers"] == 3
    if TODAY().year == 2026:
        assert figures["satisfaction"]["change_points"] == "66.67"
    assert _figures(api, served["worker_c"])["satisfaction"]["rate"] is None
    client = Client()
    client.force_login(served["city"])
    assert 'data-testid="satisfaction">66.67%<' in client.get("/stats/").content.decode()
