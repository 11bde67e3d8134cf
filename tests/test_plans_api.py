"""The plans API: plans with nested projects and targets, the director's drafting,
submission, the officer's decision, copying, scoping for every role, and
query-count baselines. Messages are compared in English (the language cookie):
the Chinese catalogue is filled by the translator."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shegong.plans import services
from shegong.plans.models import AnnualPlan, PlanProject, PlanStatus
from tests.test_plans import (
    NEEDS_BASIC,
    NEEDS_CORE,
    NOT_EDITABLE,
    PROJECTS,
    REASON,
    YEAR,
    draft,
    submitted,
    targets,
    without,
)

TARGETS = {
    "党建引领·红色社工": {"person_times": 1500, "activities": 24},
    "邻里互助社区发展": {"person_times": 2500, "groups": 4},
    "家庭服务": {"person_times": 3000, "cases": 30},
    "长者服务": {"person_times": 3200, "cases": 35},
    "青少年服务": {"person_times": 2400, "cases": 20},
    "长者安全关爱联盟": {"activities": 12},
}


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request with the English cookie leaves English active in this thread
    (the locale middleware activates, nothing deactivates); later tests on the
    same worker expect the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def client_of(world, api):
    """An API client logged in as one of the world's people, speaking English."""

    def _client(person: str):
        client = api(world[person])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


@pytest.fixture
def plans(world):
    """A submitted plan at A and a draft at B (both 海珠); none at C (越秀)."""
    world.plan_a = submitted(world)
    world.plan_b = draft(world, station=world.station_b, projects=PROJECTS[:2])
    return world


# --- Reading ---------------------------------------------------------------------

# person → (list count, status of the details of A's and B's plans)
READS = [
    ("admin", 2, 200, 200),
    ("city", 2, 200, 200),
    ("district", 2, 200, 200),
    ("agency", 1, 200, 404),
    ("director", 1, 200, 404),
    ("worker", 1, 200, 404),
    ("evaluator", 1, 200, 404),
    ("other_district", 0, 404, 404),
    ("other_agency", 1, 404, 200),
    ("director_b", 1, 404, 200),
    ("worker_c", 0, 404, 404),
]


@pytest.mark.parametrize(("person", "count", "a", "b"), READS)
def test_plans_in_scope_per_role(plans, client_of, person, count, a, b):
    client = client_of(person)
    assert client.get("/api/plans/").json()["count"] == count
    details = (client.get(f"/api/plans/{p.pk}/").status_code for p in (plans.plan_a, plans.plan_b))
    assert tuple(details) == (a, b)


@pytest.mark.parametrize(("person", "count", "a", "b"), READS)
def test_projects_in_scope_per_role(plans, client_of, person, count, a, b):
    client = client_of(person)
    expected = {200: 6, 404: 0}[a] + {200: 2, 404: 0}[b]
    assert client.get("/api/plan-projects/").json()["count"] == expected
    core_a = plans.plan_a.projects.get(kind="core")
    assert client.get(f"/api/plan-projects/{core_a.pk}/").status_code == a


def test_plan_detail_nests_projects_and_targets(plans, client_of):
    body = client_of("worker").get(f"/api/plans/{plans.plan_a.pk}/").json()
    assert (
        body["station"],
        body["station_name"],
        body["year"],
        body["status"],
        body["status_label"],
        body["version"],
        body["structure_errors"],
    ) == (plans.station_a.pk, "沙园街社工站", YEAR, "submitted", "Submitted", 2, [])
    projects = {p["name"]: (p["kind"], p["domain"], p["targets"]) for p in body["projects"]}
    assert projects == {name: (k, d, TARGETS[name]) for k, d, name, _t in PROJECTS}


def test_an_incomplete_plan_lists_what_it_lacks(plans, client_of):
    body = client_of("director_b").get(f"/api/plans/{plans.plan_b.pk}/").json()
    assert body["structure_errors"] == [NEEDS_BASIC]


def test_list_filters_by_status_and_year(plans, client_of):
    client = client_of("district")
    submitted_ = client.get("/api/plans/", {"status": "submitted"}).json()["results"]
    assert [p["station"] for p in submitted_] == [plans.station_a.pk]
    assert client.get("/api/plans/", {"year": YEAR - 1}).json()["count"] == 0


def test_project_list_filters_by_kind(plans, client_of):
    results = client_of("city").get("/api/plan-projects/", {"kind": "basic"}).json()["results"]
    assert sorted(p["name"] for p in results) == ["家庭服务", "长者服务", "青少年服务"]


def test_out_of_scope_plan_reads_exactly_like_a_missing_one(plans, client_of):
    client = client_of("director")
    hidden = client.get(f"/api/plans/{plans.plan_b.pk}/")
    missing = client.get("/api/plans/999999/")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("url", ["/api/plans/", "/api/plan-projects/", "/api/plans/1/"])
def test_anonymous_is_401(db, api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_write_is_401(plans, api):
    assert api().post(f"/api/plans/{plans.plan_a.pk}/approve/").status_code == 401
    assert api().post("/api/plans/", {"year": YEAR + 1}, format="json").status_code == 401


# --- Drafting --------------------------------------------------------------------


def test_director_creates_a_plan_of_the_own_station(world, client_of):
    response = client_of("director").post(
        "/api/plans/", {"year": YEAR, "key_need_reason": REASON}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["station"], body["year"], body["status"], body["projects"]) == (
        world.station_a.pk,
        YEAR,
        "draft",
        [],
    )
    assert body["structure_errors"] == [
        NEEDS_CORE,
        "The plan needs exactly one key project (the most urgent need).",
        NEEDS_BASIC,
    ]


def test_a_second_plan_for_the_year_is_refused(world, client_of):
    draft(world, projects=[])
    response = client_of("director").post("/api/plans/", {"year": YEAR}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The station already has a plan for that year."]
    }


@pytest.mark.parametrize("person", ["worker", "agency", "district", "city", "evaluator", "admin"])
def test_only_directors_create_plans(world, client_of, person):
    response = client_of(person).post("/api/plans/", {"year": YEAR}, format="json")
    assert response.status_code == 403
    assert AnnualPlan.objects.count() == 0


def test_director_adds_a_project_with_targets(world, client_of):
    plan = draft(world, projects=[])
    response = client_of("director").post(
        "/api/plan-projects/",
        {
            "plan": plan.pk,
            "kind": "basic",
            "domain": "youth",
            "name": "青少年服务",
            "targets": {"person_times": 2400, "groups": 3},
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind_label"], body["domain_label"], body["targets"]) == (
        "Basic project",
        "Youth",
        {"person_times": 2400, "groups": 3},
    )
    assert targets(plan.projects.get()) == {"person_times": 2400, "groups": 3}


def test_a_second_key_project_is_refused(world, client_of):
    plan = draft(world)
    response = client_of("director").post(
        "/api/plan-projects/",
        {"plan": plan.pk, "kind": "key", "domain": "featured", "name": "另一个重点"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"kind": ["The plan already has its Key project (most urgent need)."]}


def test_a_duplicate_project_name_gets_the_models_message(world, client_of):
    plan = draft(world)
    response = client_of("director").post(
        "/api/plan-projects/",
        {"plan": plan.pk, "kind": "featured", "domain": "featured", "name": "家庭服务"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The plan already has a project of that name."]}


@pytest.mark.parametrize(("person", "expected"), [("worker", 403), ("district", 403)])
def test_insiders_who_do_not_draft_cannot_add_projects(world, client_of, person, expected):
    plan = draft(world, projects=[])
    response = client_of(person).post(
        "/api/plan-projects/",
        {"plan": plan.pk, "kind": "core", "domain": "featured", "name": "党建"},
        format="json",
    )
    assert response.status_code == expected
    assert plan.projects.count() == 0


def test_director_of_another_station_cannot_add_to_the_plan(world, client_of):
    plan = draft(world, projects=[])
    response = client_of("director_b").post(
        "/api/plan-projects/",
        {"plan": plan.pk, "kind": "core", "domain": "featured", "name": "党建"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["plan"]
    assert plan.projects.count() == 0


def test_targets_are_replaced_one_indicator_at_a_time(world, client_of):
    core = draft(world).projects.get(kind="core")
    response = client_of("director").put(
        f"/api/plan-projects/{core.pk}/targets/",
        {"person_times": 1800, "activities": 0, "volunteers": 30},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["targets"] == {"person_times": 1800, "volunteers": 30}


@pytest.mark.parametrize(
    "body", [{"person_times": -1}, {"hugs": 3}, {"person_times": "many"}, [1, 2]], ids=str
)
def test_bad_targets_are_refused_and_nothing_changes(world, client_of, body):
    core = draft(world).projects.get(kind="core")
    response = client_of("director").put(
        f"/api/plan-projects/{core.pk}/targets/", body, format="json"
    )
    assert response.status_code == 400
    assert targets(core) == {"person_times": 1500, "activities": 24}


def test_the_unknown_indicator_is_named(world, client_of):
    core = draft(world).projects.get(kind="core")
    response = client_of("director").put(
        f"/api/plan-projects/{core.pk}/targets/", {"hugs": 3}, format="json"
    )
    assert response.json() == [
        "Unknown indicator: hugs. Use one of: person_times, cases, groups, group_sessions, "
        "activities, volunteers, volunteer_hours."
    ]


@pytest.mark.parametrize(
    ("person", "expected"), [("worker", 403), ("district", 403), ("director_b", 404)]
)
def test_only_the_director_sets_targets(world, client_of, person, expected):
    core = draft(world).projects.get(kind="core")
    response = client_of(person).put(
        f"/api/plan-projects/{core.pk}/targets/", {"person_times": 1}, format="json"
    )
    assert response.status_code == expected
    assert targets(core) == {"person_times": 1500, "activities": 24}


def test_director_removes_a_project(world, client_of):
    plan = draft(world)
    featured = plan.projects.get(kind="featured")
    assert client_of("director").delete(f"/api/plan-projects/{featured.pk}/").status_code == 204
    assert plan.projects.count() == 5


@pytest.mark.parametrize(
    ("person", "expected"), [("worker", 403), ("city", 403), ("other_district", 404)]
)
def test_only_the_director_removes_projects(world, client_of, person, expected):
    plan = draft(world)
    featured = plan.projects.get(kind="featured")
    assert client_of(person).delete(f"/api/plan-projects/{featured.pk}/").status_code == expected
    assert plan.projects.count() == 6


def test_a_project_is_not_changed_in_place(world, client_of):
    core = draft(world).projects.get(kind="core")
    response = client_of("director").put(
        f"/api/plan-projects/{core.pk}/",
        {"plan": core.plan_id, "kind": "core", "domain": "family", "name": "改名"},
        format="json",
    )
    assert response.status_code == 405


def test_director_gives_the_key_need_reason_with_the_version_read(world, client_of):
    plan = draft(world, reason="")
    client = client_of("director")
    response = client.patch(
        f"/api/plans/{plan.pk}/", {"key_need_reason": REASON, "version": 1}, format="json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)
    stale = client.patch(
        f"/api/plans/{plan.pk}/", {"key_need_reason": "旧", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    plan.refresh_from_db()
    assert plan.key_need_reason == REASON


# --- Submission and decision -----------------------------------------------------


def test_the_plan_walk_draft_submit_return_resubmit_approve(world, client_of):
    director, officer = client_of("director"), client_of("district")
    plan = draft(world)
    url = f"/api/plans/{plan.pk}"
    seen = []
    steps = [
        (director, "submit", {"version": 1}),
        (officer, "return", {"comment": "青少年服务目标偏低。"}),
        (director, "submit", {}),
        (officer, "approve", {"comment": "同意。"}),
    ]
    for client, step, data in steps:
        response = client.post(f"{url}/{step}/", data, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        seen.append((body["status"], body["version"], body["decision_comment"]))
    assert seen == [
        ("submitted", 2, ""),
        ("returned", 3, "青少年服务目标偏低。"),
        ("submitted", 4, "青少年服务目标偏低。"),
        ("approved", 5, "同意。"),
    ]
    decided = director.get(f"{url}/").json()
    assert (decided["decided_by"], decided["decided_by_name"]) == (world["district"].pk, "District")


def test_submitting_an_incomplete_plan_is_refused_with_what_it_lacks(world, client_of):
    plan = draft(world, projects=without("core", "family"))
    response = client_of("director").post(f"/api/plans/{plan.pk}/submit/", format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": [NEEDS_CORE, NEEDS_BASIC]}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_stale_submission_is_409(world, client_of):
    plan = draft(world)
    response = client_of("director").post(
        f"/api/plans/{plan.pk}/submit/", {"version": 7}, format="json"
    )
    assert response.status_code == 409


def test_editing_after_submission_is_refused(plans, client_of):
    client = client_of("director")
    plan = plans.plan_a
    core = plan.projects.get(kind="core")
    responses = [
        client.put(f"/api/plan-projects/{core.pk}/targets/", {"person_times": 1}, format="json"),
        client.delete(f"/api/plan-projects/{core.pk}/"),
        client.post(
            "/api/plan-projects/",
            {"plan": plan.pk, "kind": "featured", "domain": "featured", "name": "新"},
            format="json",
        ),
        client.patch(f"/api/plans/{plan.pk}/", {"key_need_reason": "改"}, format="json"),
        client.post(f"/api/plans/{plan.pk}/submit/", format="json"),
    ]
    assert [(r.status_code, r.json()) for r in responses] == [(400, {"detail": [NOT_EDITABLE]})] * 5
    assert (plan.projects.count(), targets(core)) == (6, {"person_times": 1500, "activities": 24})


# person → status of approve and of return on A's submitted plan.
DECIDING = [
    ("district", 200),
    ("city", 200),
    # Insiders: the director may change the plan but not decide on it; the
    # others may only read it.
    ("director", 403),
    ("worker", 403),
    ("agency", 403),
    ("evaluator", 403),
    ("admin", 403),
    # Outsiders.
    ("other_district", 404),
    ("director_b", 404),
    ("worker_c", 404),
]


@pytest.mark.parametrize(("person", "expected"), DECIDING)
def test_approve_per_role(plans, client_of, person, expected):
    response = client_of(person).post(f"/api/plans/{plans.plan_a.pk}/approve/", format="json")
    assert response.status_code == expected
    plans.plan_a.refresh_from_db()
    assert plans.plan_a.status == ("approved" if expected == 200 else "submitted")


@pytest.mark.parametrize(("person", "expected"), DECIDING)
def test_return_per_role(plans, client_of, person, expected):
    response = client_of(person).post(
        f"/api/plans/{plans.plan_a.pk}/return/", {"comment": "请修改。"}, format="json"
    )
    assert response.status_code == expected
    plans.plan_a.refresh_from_db()
    assert plans.plan_a.status == ("returned" if expected == 200 else "submitted")


def test_approving_a_draft_is_refused(plans, client_of):
    response = client_of("district").post(f"/api/plans/{plans.plan_b.pk}/approve/", format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Only a submitted plan can be approved or returned."]}


@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": "  "}], ids=str)
def test_a_return_needs_a_comment(plans, client_of, body):
    response = client_of("district").post(
        f"/api/plans/{plans.plan_a.pk}/return/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"comment": ["Say what needs changing."]}
    plans.plan_a.refresh_from_db()
    assert plans.plan_a.status == PlanStatus.SUBMITTED


def test_submit_by_a_district_officer_is_refused(world, client_of):
    plan = draft(world)
    assert client_of("district").post(f"/api/plans/{plan.pk}/submit/").status_code == 403
    assert client_of("worker").post(f"/api/plans/{plan.pk}/submit/").status_code == 403


# --- Copy ------------------------------------------------------------------------


def test_copy_last_years_plan(world, client_of):
    last = services.plan_approve(actor=world["district"], plan=submitted(world, year=YEAR - 1))
    response = client_of("director").post(
        f"/api/plans/{last.pk}/copy/", {"year": YEAR}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["year"], body["status"], body["version"], body["key_need_reason"]) == (
        YEAR,
        "draft",
        1,
        REASON,
    )
    assert {p["name"]: p["targets"] for p in body["projects"]} == TARGETS
    new_ids = {p["id"] for p in body["projects"]}
    assert new_ids.isdisjoint(last.projects.values_list("pk", flat=True))
    assert PlanProject.objects.count() == 12


def test_copy_into_a_year_with_a_plan_is_refused(world, client_of):
    last = draft(world, year=YEAR - 1)
    response = client_of("director").post(
        f"/api/plans/{last.pk}/copy/", {"year": YEAR - 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The station already has a plan for that year."]
    }
    assert AnnualPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("person", "expected"),
    [("district", 403), ("worker", 403), ("agency", 403), ("director_b", 404)],
)
def test_only_the_director_copies(world, client_of, person, expected):
    last = draft(world, year=YEAR - 1)
    response = client_of(person).post(f"/api/plans/{last.pk}/copy/", {"year": YEAR}, format="json")
    assert response.status_code == expected
    assert AnnualPlan.objects.count() == 1


# --- Refused before the input is read --------------------------------------------

# (person, method, path, body): a user who may read the plan but not perform the
# write gets 403 whatever the body, even an invalid one; the plan is unchanged.
# Paths: {draft} is a draft at A, {submitted} last year's submitted plan at A,
# {project} a project of the draft.
REFUSED_WHATEVER_THE_BODY = [
    ("district", "patch", "/api/plans/{draft}/", {}),
    ("district", "patch", "/api/plans/{draft}/", {"version": "x"}),
    ("city", "patch", "/api/plans/{draft}/", {"key_need_reason": ["not", "text"]}),
    ("admin", "patch", "/api/plans/{draft}/", {}),
    ("district", "post", "/api/plans/{draft}/copy/", {}),
    ("city", "post", "/api/plans/{draft}/copy/", {"year": "next"}),
    ("admin", "post", "/api/plans/{draft}/copy/", {}),
    ("director", "post", "/api/plans/{submitted}/return/", {}),
    ("admin", "post", "/api/plans/{submitted}/return/", {}),
    ("admin", "post", "/api/plans/{submitted}/approve/", {"comment": ["x"]}),
    ("admin", "post", "/api/plans/", {}),
    ("district", "post", "/api/plans/", {"year": "x"}),
    ("admin", "post", "/api/plan-projects/", {}),
    ("district", "post", "/api/plan-projects/", {"plan": "{draft}"}),
    ("admin", "put", "/api/plan-projects/{project}/targets/", {"cases": -1}),
    ("admin", "delete", "/api/plan-projects/{project}/", None),
]


def _plan_state() -> list[tuple]:
    return sorted(
        AnnualPlan.objects.values_list("pk", "status", "version", "key_need_reason")
    ) + sorted(PlanProject.objects.values_list("pk", "name"))


@pytest.mark.parametrize(
    ("person", "method", "path", "body"),
    REFUSED_WHATEVER_THE_BODY,
    ids=lambda x: x if isinstance(x, str) else str(x),
)
def test_a_reader_is_refused_before_the_input_is_read(world, client_of, person, method, path, body):
    plan = draft(world)
    older = submitted(world, year=YEAR - 1)
    keys = {"draft": plan.pk, "submitted": older.pk, "project": plan.projects.first().pk}
    body = {k: v.format(**keys) if isinstance(v, str) else v for k, v in (body or {}).items()}
    before = _plan_state()
    response = getattr(client_of(person), method)(path.format(**keys), body, format="json")
    assert response.status_code == 403, response.content
    assert _plan_state() == before


def test_the_director_sending_the_same_invalid_body_gets_400(world, client_of):
    """The control: the user who may act is told what is wrong with the input."""
    plan = draft(world)
    response = client_of("director").patch(f"/api/plans/{plan.pk}/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"key_need_reason": ["This field is required."]}
    response = client_of("director").post(f"/api/plans/{plan.pk}/copy/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"year": ["This field is required."]}


# --- Ordering and query counts ---------------------------------------------------


def test_ordering_by_year(world, client_of):
    for year in (YEAR - 2, YEAR, YEAR - 1):
        draft(world, year=year, projects=[])
    results = client_of("director").get("/api/plans/", {"ordering": "year"}).json()["results"]
    assert [p["year"] for p in results] == [YEAR - 2, YEAR - 1, YEAR]


# The checked-in baselines: raise them only with a reason.
API_PLAN_LIST_QUERIES = 4
API_PROJECT_LIST_QUERIES = 3


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_api_plan_list_query_count_does_not_grow_with_plans(world, client_of):
    client = client_of("city")
    draft(world, year=2001)
    with_1 = _queries(client, "/api/plans/")
    for year in range(2002, 2012):
        draft(world, year=year)
    assert client.get("/api/plans/").json()["count"] == 11
    with_11 = _queries(client, "/api/plans/")
    assert (with_1, with_11) == (API_PLAN_LIST_QUERIES, API_PLAN_LIST_QUERIES)


def test_api_project_list_query_count_does_not_grow_with_projects(world, client_of):
    client = client_of("city")
    draft(world, year=2001, projects=PROJECTS[:1])
    with_1 = _queries(client, "/api/plan-projects/")
    draft(world, year=2002)
    with_7 = _queries(client, "/api/plan-projects/")
    assert (with_1, with_7) == (API_PROJECT_LIST_QUERIES, API_PROJECT_LIST_QUERIES)
