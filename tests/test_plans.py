"""The 113X annual plan: its services (the 1+1+3 rule, every transition and its
refusal, copying last year's plan) and its web pages for every role of the
standard world (conftest: A and B in 海珠, C in 越秀; everyone else at A).

Messages are compared in English (`translation.override("en")`, or the language
cookie for pages): the Chinese catalogue is filled by the translator."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from shegong.core.errors import EditConflict
from shegong.delivery.models import ServiceEvent
from shegong.plans import services
from shegong.plans.models import AnnualPlan, PlanProject, PlanStatus

YEAR = 2026
REASON = "居民服务需求调查显示，邻里互助是最迫切的需求（排名第一）。"

# (kind, domain, name, targets) of a complete 113X plan with one featured project.
PROJECTS = [
    ("core", "featured", "党建引领·红色社工", {"person_times": 1500, "activities": 24}),
    ("key", "featured", "邻里互助社区发展", {"person_times": 2500, "groups": 4}),
    ("basic", "family", "家庭服务", {"person_times": 3000, "cases": 30}),
    ("basic", "elderly", "长者服务", {"person_times": 3200, "cases": 35}),
    ("basic", "youth", "青少年服务", {"person_times": 2400, "cases": 20}),
    ("featured", "featured", "长者安全关爱联盟", {"activities": 12}),
]

NEEDS_CORE = "The plan needs exactly one core project (party-building leadership)."
NEEDS_KEY = "The plan needs exactly one key project (the most urgent need)."
NEEDS_BASIC = "The plan needs three basic projects: one each for family, elderly and youth."
NOT_EDITABLE = "A submitted or approved plan cannot be changed."


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request with the English cookie leaves English active in this thread
    (the locale middleware activates, nothing deactivates); later tests on the
    same worker expect the default language."""
    yield
    translation.deactivate()


def draft(world, *, station=None, year=YEAR, projects=PROJECTS, reason=REASON) -> AnnualPlan:
    """A draft plan drawn up through the services by the station's director."""
    station = station or world.station_a
    director = world["director"] if station == world.station_a else world["director_b"]
    plan = services.plan_create(actor=director, station=station, year=year, key_need_reason=reason)
    for kind, domain, name, targets in projects:
        services.project_add(
            actor=director, plan=plan, kind=kind, domain=domain, name=name, targets=targets
        )
    plan.refresh_from_db()
    return plan


def submitted(world, **kwargs) -> AnnualPlan:
    plan = draft(world, **kwargs)
    director = world["director"] if plan.station == world.station_a else world["director_b"]
    return services.plan_submit(actor=director, plan=plan)


def without(*kinds_or_domains: str) -> list:
    """PROJECTS less the projects of the given kinds or basic domains."""
    return [
        p
        for p in PROJECTS
        if p[0] not in kinds_or_domains and not (p[0] == "basic" and p[1] in kinds_or_domains)
    ]


def submit_errors(world, plan) -> list[str]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_submit(actor=world["director"], plan=plan)
    return refused.value.messages


def targets(project: PlanProject) -> dict[str, int]:
    return {t.metric: t.value for t in project.targets.all()}


# --- The 1+1+3 rule --------------------------------------------------------------


def test_a_complete_plan_has_no_structure_errors_and_submits(world):
    plan = draft(world)
    assert services.structure_errors(plan) == []
    plan = services.plan_submit(actor=world["director"], plan=plan)
    assert (plan.status, plan.version, plan.submitted_by) == (
        PlanStatus.SUBMITTED,
        2,
        world["director"],
    )


def test_submit_is_refused_without_a_core_project(world):
    plan = draft(world, projects=without("core"))
    assert submit_errors(world, plan) == [NEEDS_CORE]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submit_is_refused_without_a_key_project(world):
    plan = draft(world, projects=without("key"))
    assert submit_errors(world, plan) == [NEEDS_KEY]


def test_submit_is_refused_with_only_two_basic_domains(world):
    plan = draft(world, projects=without("youth"))
    assert submit_errors(world, plan) == [NEEDS_BASIC]


def test_submit_is_refused_with_two_basic_family_projects(world):
    plan = draft(world, projects=without("elderly"))
    # The service refuses a second basic family project outright…
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.project_add(
            actor=world["director"], plan=plan, kind="basic", domain="family", name="家庭服务二"
        )
    assert refused.value.message_dict == {
        "domain": ["The plan already has the basic project of that domain."]
    }
    # …and a plan holding two anyway (older data) is still refused at submission.
    PlanProject.objects.create(plan=plan, kind="basic", domain="family", name="家庭服务二")
    assert submit_errors(world, plan) == [NEEDS_BASIC]


def test_an_empty_plan_lists_everything_it_lacks(world):
    plan = draft(world, projects=[])
    assert submit_errors(world, plan) == [NEEDS_CORE, NEEDS_KEY, NEEDS_BASIC]


@pytest.mark.parametrize("featured", [0, 1, 4])
def test_featured_projects_are_free(world, featured):
    projects = [p for p in PROJECTS if p[0] != "featured"] + [
        ("featured", "featured", f"特色项目{n}", {}) for n in range(featured)
    ]
    plan = services.plan_submit(actor=world["director"], plan=draft(world, projects=projects))
    assert (plan.status, plan.projects.count()) == (PlanStatus.SUBMITTED, 5 + featured)


def test_a_second_core_project_is_refused(world):
    plan = draft(world)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.project_add(
            actor=world["director"], plan=plan, kind="core", domain="featured", name="党建二"
        )
    assert refused.value.message_dict == {
        "kind": ["The plan already has its Core project (party-building leadership)."]
    }


def test_a_basic_project_must_be_family_elderly_or_youth(world):
    plan = draft(world, projects=[])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.project_add(
            actor=world["director"], plan=plan, kind="basic", domain="featured", name="基础"
        )
    assert refused.value.messages == ["A basic project is for family, elderly or youth."]


def test_submit_needs_the_reason_for_the_key_project_which_can_be_added_later(world):
    plan = draft(world, reason="")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_submit(actor=world["director"], plan=plan)
    assert refused.value.message_dict == {
        "key_need_reason": ["Say which need the key project answers (from the needs survey)."]
    }
    plan = services.plan_update(actor=world["director"], plan=plan, key_need_reason=REASON)
    plan = services.plan_submit(actor=world["director"], plan=plan, version=plan.version)
    assert (plan.status, plan.key_need_reason, plan.version) == (PlanStatus.SUBMITTED, REASON, 3)


# --- Targets ---------------------------------------------------------------------


def test_targets_are_set_changed_and_removed_with_zero(world):
    plan = draft(world)
    project = plan.projects.get(kind="core")
    services.target_set(
        actor=world["director"],
        project=project,
        targets={"person_times": 1800, "activities": 0, "volunteers": 30},
    )
    assert targets(project) == {"person_times": 1800, "volunteers": 30}


def test_a_negative_target_is_refused_and_nothing_is_saved(world):
    plan = draft(world)
    project = plan.projects.get(kind="core")
    with pytest.raises(ValidationError) as refused:
        services.target_set(
            actor=world["director"],
            project=project,
            targets={"person_times": 2000, "volunteers": -5},
        )
    assert list(refused.value.message_dict) == ["value"]
    assert targets(project) == {"person_times": 1500, "activities": 24}


def test_an_unknown_indicator_is_refused(world):
    project = draft(world).projects.get(kind="core")
    with pytest.raises(ValidationError) as refused:
        services.target_set(actor=world["director"], project=project, targets={"hugs": 3})
    assert list(refused.value.message_dict) == ["metric"]


# --- Transitions -----------------------------------------------------------------


def test_nothing_changes_after_submission(world):
    plan = submitted(world)
    director = world["director"]
    project = plan.projects.get(kind="featured")
    edits = [
        lambda: services.project_add(
            actor=director, plan=plan, kind="featured", domain="featured", name="新项目"
        ),
        lambda: services.target_set(actor=director, project=project, targets={"activities": 1}),
        lambda: services.project_remove(actor=director, project=project),
        lambda: services.plan_update(actor=director, plan=plan, key_need_reason="改"),
        lambda: services.plan_submit(actor=director, plan=plan),
    ]
    for edit in edits:
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            edit()
        assert refused.value.messages == [NOT_EDITABLE]
    assert (plan.projects.count(), targets(project)) == (6, {"activities": 12})


def test_a_stale_submission_is_a_conflict(world):
    plan = draft(world)
    with pytest.raises(EditConflict):
        services.plan_submit(actor=world["director"], plan=plan, version=plan.version + 1)


def test_district_officer_approves_a_submitted_plan(world):
    plan = submitted(world)
    plan = services.plan_approve(actor=world["district"], plan=plan, comment="同意。")
    assert (plan.status, plan.decided_by, plan.decision_comment, plan.version) == (
        PlanStatus.APPROVED,
        world["district"],
        "同意。",
        3,
    )


def test_city_officer_approves_too(world):
    plan = services.plan_approve(actor=world["city"], plan=submitted(world))
    assert plan.status == PlanStatus.APPROVED


@pytest.mark.parametrize("person", ["director", "worker", "agency", "evaluator", "admin"])
def test_only_officers_approve(world, person):
    plan = submitted(world)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world[person], plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_officer_of_the_other_district_cannot_approve(world):
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world["other_district"], plan=submitted(world))


@pytest.mark.parametrize("status", ["draft", "approved", "returned"])
def test_only_a_submitted_plan_is_decided(world, status):
    plan = draft(world)
    if status != "draft":
        plan = services.plan_submit(actor=world["director"], plan=plan)
        decide = services.plan_approve if status == "approved" else services.plan_return
        plan = decide(actor=world["district"], plan=plan, comment="意见")
    for decide in (services.plan_approve, services.plan_return):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            decide(actor=world["district"], plan=plan, comment="再次")
        assert refused.value.messages == ["Only a submitted plan can be approved or returned."]
    plan.refresh_from_db()
    assert plan.status == status


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_return_needs_a_comment(world, comment):
    plan = submitted(world)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_return(actor=world["district"], plan=plan, comment=comment)
    assert refused.value.message_dict == {"comment": ["Say what needs changing."]}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_returned_plan_is_edited_and_resubmitted(world):
    plan = submitted(world)
    plan = services.plan_return(
        actor=world["district"], plan=plan, comment="青少年服务目标偏低，请调整。"
    )
    assert (plan.status, plan.decision_comment) == (
        PlanStatus.RETURNED,
        "青少年服务目标偏低，请调整。",
    )
    youth = plan.projects.get(kind="basic", domain="youth")
    services.target_set(actor=world["director"], project=youth, targets={"person_times": 3000})
    plan = services.plan_submit(actor=world["director"], plan=plan)
    plan = services.plan_approve(actor=world["district"], plan=plan, comment="同意。")
    assert (plan.status, plan.version, targets(youth)) == (
        PlanStatus.APPROVED,
        5,
        {"person_times": 3000, "cases": 20},
    )


def test_a_project_with_recorded_services_cannot_be_removed(world):
    plan = draft(world)
    project = plan.projects.get(kind="featured")
    ServiceEvent.objects.create(
        station=world.station_a,
        project=project,
        domain="featured",
        kind="activity",
        held_on=datetime.date(YEAR, 3, 1),
        title="安全讲座",
        headcount=40,
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.project_remove(actor=world["director"], project=project)
    assert refused.value.messages == ["Services are already recorded under this project."]
    assert plan.projects.count() == 6


# --- Drafting rights and copying -------------------------------------------------


@pytest.mark.parametrize("person", ["worker", "district", "city", "agency", "director_b"])
def test_only_the_stations_director_creates_its_plan(world, person):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=world[person], station=world.station_a, year=YEAR)
    assert AnnualPlan.objects.count() == 0


def test_one_plan_per_station_and_year(world):
    draft(world, projects=[])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_create(actor=world["director"], station=world.station_a, year=YEAR)
    assert refused.value.messages == ["The station already has a plan for that year."]


def test_copying_last_years_plan_copies_projects_and_targets_into_a_draft(world):
    last = submitted(world, year=YEAR - 1)
    last = services.plan_approve(actor=world["district"], plan=last)
    plan = services.plan_copy(actor=world["director"], source=last, year=YEAR)
    assert (plan.year, plan.status, plan.version, plan.key_need_reason) == (
        YEAR,
        PlanStatus.DRAFT,
        1,
        REASON,
    )
    copied = {(p.kind, p.domain, p.name): targets(p) for p in plan.projects.all()}
    assert copied == {(k, d, n): t for k, d, n, t in PROJECTS}
    # The copies are new rows: changing them leaves last year's plan alone.
    core = plan.projects.get(kind="core")
    services.target_set(actor=world["director"], project=core, targets={"person_times": 1600})
    assert targets(last.projects.get(kind="core")) == {"person_times": 1500, "activities": 24}
    last.refresh_from_db()
    assert last.status == PlanStatus.APPROVED


def test_copy_into_a_year_that_has_a_plan_is_refused(world):
    last = draft(world, year=YEAR - 1)
    draft(world, projects=[])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_copy(actor=world["director"], source=last, year=YEAR)
    assert refused.value.messages == ["The station already has a plan for that year."]
    assert AnnualPlan.objects.get(year=YEAR).projects.count() == 0


@pytest.mark.parametrize("person", ["director_b", "district", "worker"])
def test_only_the_stations_director_copies_its_plan(world, person):
    last = draft(world, year=YEAR - 1)
    with pytest.raises(PermissionDenied):
        services.plan_copy(actor=world[person], source=last, year=YEAR)
    assert AnnualPlan.objects.count() == 1


# --- Web: who sees what ----------------------------------------------------------


@pytest.fixture
def three_plans(world):
    """A submitted plan at A, a draft at B, a submitted plan at C (other district)."""
    world.plan_a = submitted(world)
    world.plan_b = draft(world, station=world.station_b, projects=PROJECTS[:2])
    plan_c = services.plan_create(
        actor=_director_c(world), station=world.station_c, year=YEAR, key_need_reason=REASON
    )
    for kind, domain, name, plan_targets in PROJECTS:
        services.project_add(
            actor=_director_c(world),
            plan=plan_c,
            kind=kind,
            domain=domain,
            name=name,
            targets=plan_targets,
        )
    world.plan_c = services.plan_submit(actor=_director_c(world), plan=plan_c)
    return world


def _director_c(world):
    from tests.conftest import make_user

    if "director_c" not in world.people:
        world.people["director_c"] = make_user(
            "director_c", "station_director", station=world.station_c
        )
    return world.people["director_c"]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(world, person: str) -> Client:
    client = Client()
    client.force_login(world[person])
    return client


A, B, C = "haizhu-10", "haizhu-11", "yuexiu-02"

# The plans each person's list shows, in order: officers get the submitted plans
# (waiting for them) first; everyone else by year, then station code.
LISTED = {
    "admin": [A, B, C],
    "city": [A, C, B],
    "district": [A, B],
    "agency": [A],
    "director": [A],
    "worker": [A],
    "evaluator": [A],
    "other_district": [C],
    "other_agency": [B, C],
    "director_b": [B],
    "worker_c": [C],
}


@pytest.mark.parametrize(("person", "codes"), list(LISTED.items()))
def test_plan_list_per_role(three_plans, person, codes):
    response = logged_in(three_plans, person).get("/plans/")
    assert response.status_code == 200
    assert [p.station.code for p in response.context["page"]] == codes


def test_officer_filters_the_list_by_status(three_plans):
    client = logged_in(three_plans, "city")
    rows = client.get("/plans/", {"status": "draft"}).context["page"]
    assert [(p.station.code, p.status) for p in rows] == [(B, "draft")]


def test_an_invalid_filter_is_reported_and_ignored(three_plans):
    response = english(logged_in(three_plans, "district")).get("/plans/", {"status": "bogus"})
    assert response.status_code == 200
    assert [p.station.code for p in response.context["page"]] == [A, B]
    assert "Some filters were not valid and were ignored" in response.content.decode()


# person → status of the plan pages of A, B and C.
DETAIL = [
    ("admin", 200, 200, 200),
    ("city", 200, 200, 200),
    ("district", 200, 200, 404),
    ("agency", 200, 404, 404),
    ("director", 200, 404, 404),
    ("worker", 200, 404, 404),
    ("evaluator", 200, 404, 404),
    ("other_district", 404, 404, 200),
    ("other_agency", 404, 200, 200),
    ("director_b", 404, 200, 404),
    ("worker_c", 404, 404, 200),
]


@pytest.mark.parametrize(("person", "a", "b", "c"), DETAIL)
def test_plan_page_per_role(three_plans, person, a, b, c):
    client = logged_in(three_plans, person)
    plans = (three_plans.plan_a, three_plans.plan_b, three_plans.plan_c)
    assert tuple(client.get(f"/plans/{p.pk}/").status_code for p in plans) == (a, b, c)


@pytest.mark.parametrize("url", ["/plans/", "/plans/new/", "/plans/1/", "/plans/1/copy/"])
def test_anonymous_is_sent_to_log_in(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "url", ["submit", "approve", "return", "edit", "projects", "copy"], ids=str
)
def test_anonymous_post_is_sent_to_log_in(world, client, url):
    plan = draft(world, projects=[])
    response = client.post(f"/plans/{plan.pk}/{url}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# Which parts of the page of A's plan each person is offered, per plan status:
# (drafting forms, decision forms).
OFFERED = [
    ("director", "draft", True, False),
    ("director", "returned", True, False),
    ("director", "submitted", False, False),
    ("director", "approved", False, False),
    ("worker", "draft", False, False),
    ("district", "draft", False, False),
    ("district", "submitted", False, True),
    ("city", "submitted", False, True),
    ("district", "approved", False, False),
    ("agency", "submitted", False, False),
    ("evaluator", "submitted", False, False),
]


@pytest.mark.parametrize(("person", "status", "drafting", "deciding"), OFFERED)
def test_plan_page_offers_the_forms_of_the_role(world, person, status, drafting, deciding):
    plan = draft(world)
    if status != "draft":
        plan = services.plan_submit(actor=world["director"], plan=plan)
    if status in ("approved", "returned"):
        decide = services.plan_approve if status == "approved" else services.plan_return
        plan = decide(actor=world["district"], plan=plan, comment="意见")
    html = logged_in(world, person).get(f"/plans/{plan.pk}/").content.decode()
    assert ('data-testid="add-project"' in html, 'data-testid="submit"' in html) == (
        drafting,
        drafting,
    )
    assert ('data-testid="decide"' in html) is deciding


def test_plan_page_groups_the_projects_and_shows_their_targets(world, client):
    plan = draft(world)
    english(client).force_login(world["worker"])
    response = client.get(f"/plans/{plan.pk}/")
    sections = {s.kind: [p.name for p in s.projects] for s in response.context["sections"]}
    assert sections == {
        "core": ["党建引领·红色社工"],
        "key": ["邻里互助社区发展"],
        "basic": ["家庭服务", "长者服务", "青少年服务"],
        "featured": ["长者安全关爱联盟"],
    }
    html = response.content.decode()
    assert "Person-times <strong>3,200</strong>" in html  # grouped by thousands
    assert 'data-testid="complete"' in html


def test_plan_page_lists_what_the_rule_still_lacks(world, client):
    plan = draft(world, projects=without("key", "youth"))
    english(client).force_login(world["director"])
    response = client.get(f"/plans/{plan.pk}/")
    assert response.context["checklist"] == [NEEDS_KEY, NEEDS_BASIC]
    html = response.content.decode()
    assert html.count('data-testid="lacking"') == 2
    assert NEEDS_KEY in html


# --- Web: the director drafts ----------------------------------------------------


def test_director_creates_a_plan_for_a_year(world, client):
    client.force_login(world["director"])
    response = client.post("/plans/new/", {"year": YEAR, "key_need_reason": REASON})
    plan = AnnualPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert (plan.station, plan.year, plan.status, plan.key_need_reason) == (
        world.station_a,
        YEAR,
        PlanStatus.DRAFT,
        REASON,
    )


def test_the_new_plan_form_proposes_the_first_year_without_a_plan(world, client):
    this_year = timezone.localdate().year
    draft(world, year=this_year, projects=[])
    client.force_login(world["director"])
    listing = client.get("/plans/")
    assert (listing.context["new_year"], listing.context["copy_source"].year) == (
        this_year + 1,
        this_year,
    )
    form = client.get("/plans/new/").context["form"]
    assert form["year"].value() == this_year + 1


def test_a_second_plan_for_the_same_year_is_refused_on_the_form(world, client):
    draft(world, projects=[])
    english(client).force_login(world["director"])
    response = client.post("/plans/new/", {"year": YEAR})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The station already has a plan for that year."
    ]
    assert AnnualPlan.objects.count() == 1


@pytest.mark.parametrize("person", ["worker", "district", "city", "agency", "admin"])
def test_only_a_director_opens_the_new_plan_page(world, person):
    client = logged_in(world, person)
    assert client.get("/plans/new/").status_code == 403
    assert client.post("/plans/new/", {"year": YEAR}).status_code == 403
    assert AnnualPlan.objects.count() == 0


def test_director_copies_last_years_plan_from_the_list(world, client):
    last = draft(world, year=YEAR - 1)
    client.force_login(world["director"])
    response = client.post(f"/plans/{last.pk}/copy/", {"year": YEAR})
    plan = AnnualPlan.objects.get(year=YEAR)
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert (plan.status, plan.projects.count()) == (PlanStatus.DRAFT, 6)
    assert targets(plan.projects.get(kind="basic", domain="elderly")) == {
        "person_times": 3200,
        "cases": 35,
    }


@pytest.mark.parametrize(("person", "expected"), [("worker", 403), ("district", 403)])
def test_copy_page_is_the_directors(world, person, expected):
    last = draft(world, year=YEAR - 1, projects=[])
    client = logged_in(world, person)
    assert client.get(f"/plans/{last.pk}/copy/").status_code == expected
    assert client.post(f"/plans/{last.pk}/copy/", {"year": YEAR}).status_code == expected
    assert AnnualPlan.objects.count() == 1


def test_director_of_another_station_cannot_reach_the_copy_page(world):
    last = draft(world, year=YEAR - 1, projects=[])
    assert logged_in(world, "director_b").get(f"/plans/{last.pk}/copy/").status_code == 404


def test_director_adds_a_project_with_targets(world, client):
    plan = draft(world, projects=[])
    client.force_login(world["director"])
    response = client.post(
        f"/plans/{plan.pk}/projects/",
        {
            "project-kind": "basic",
            "project-domain": "elderly",
            "project-name": "长者服务",
            "project-description": "困境长者关爱、长者饭堂。",
            "project-person_times": "3200",
            "project-cases": "35",
            "project-groups": "",
        },
    )
    assert response.status_code == 302
    project = plan.projects.get()
    assert (project.kind, project.domain, project.name, targets(project)) == (
        "basic",
        "elderly",
        "长者服务",
        {"person_times": 3200, "cases": 35},
    )


def test_a_refused_project_is_shown_with_the_reason(world, client):
    plan = draft(world)
    english(client).force_login(world["director"])
    response = client.post(
        f"/plans/{plan.pk}/projects/",
        {"project-kind": "key", "project-domain": "featured", "project-name": "第二个重点"},
    )
    assert response.status_code == 400
    assert response.context["project_form"].errors == {
        "kind": ["The plan already has its Key project (most urgent need)."]
    }
    assert plan.projects.count() == 6


def test_director_edits_targets(world, client):
    plan = draft(world)
    core = plan.projects.get(kind="core")
    client.force_login(world["director"])
    response = client.post(
        f"/plans/projects/{core.pk}/targets/",
        {f"targets-{core.pk}-person_times": "1800", f"targets-{core.pk}-volunteers": "30"},
    )
    assert response.status_code == 302
    assert targets(core) == {"person_times": 1800, "volunteers": 30}


def test_a_negative_target_is_refused_on_the_form(world, client):
    plan = draft(world)
    core = plan.projects.get(kind="core")
    client.force_login(world["director"])
    response = client.post(
        f"/plans/projects/{core.pk}/targets/", {f"targets-{core.pk}-person_times": "-1"}
    )
    assert response.status_code == 400
    assert targets(core) == {"person_times": 1500, "activities": 24}


def test_director_removes_a_project(world, client):
    plan = draft(world)
    featured = plan.projects.get(kind="featured")
    client.force_login(world["director"])
    assert client.post(f"/plans/projects/{featured.pk}/remove/").status_code == 302
    assert plan.projects.count() == 5


def test_a_project_with_recorded_services_stays_and_the_page_says_why(world, client):
    plan = draft(world)
    featured = plan.projects.get(kind="featured")
    ServiceEvent.objects.create(
        station=world.station_a,
        project=featured,
        domain="featured",
        kind="activity",
        held_on=datetime.date(YEAR, 3, 1),
        title="安全讲座",
        headcount=40,
    )
    english(client).force_login(world["director"])
    response = client.post(f"/plans/projects/{featured.pk}/remove/")
    assert response.status_code == 400
    assert "Services are already recorded under this project." in response.content.decode()
    assert plan.projects.count() == 6


def test_director_gives_the_key_need_reason(world, client):
    plan = draft(world, reason="")
    client.force_login(world["director"])
    response = client.post(
        f"/plans/{plan.pk}/edit/",
        {"reason-version": plan.version, "reason-key_need_reason": REASON},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.key_need_reason, plan.version) == (REASON, 2)


def test_director_submits_the_plan(world, client):
    plan = draft(world)
    client.force_login(world["director"])
    response = client.post(f"/plans/{plan.pk}/submit/", {"submit-version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_an_incomplete_plan_is_not_submitted_and_the_page_says_why(world, client):
    plan = draft(world, projects=without("core"))
    english(client).force_login(world["director"])
    response = client.post(f"/plans/{plan.pk}/submit/", {"submit-version": plan.version})
    assert response.status_code == 400
    assert response.context["submit_form"].non_field_errors() == [NEEDS_CORE]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_stale_submission_gets_the_conflict_message(world, client):
    plan = draft(world)
    english(client).force_login(world["director"])
    response = client.post(f"/plans/{plan.pk}/submit/", {"submit-version": plan.version + 1})
    assert response.status_code == 400
    assert response.context["submit_form"].non_field_errors() == [EditConflict().messages[0]]


def test_editing_a_submitted_plan_is_refused_with_the_reason_on_top(world, client):
    plan = submitted(world)
    core = plan.projects.get(kind="core")
    english(client).force_login(world["director"])
    response = client.post(
        f"/plans/projects/{core.pk}/targets/", {f"targets-{core.pk}-person_times": "9"}
    )
    assert response.status_code == 400
    assert response.context["errors"] == [NOT_EDITABLE]
    assert 'data-testid="errors"' in response.content.decode()
    assert targets(core) == {"person_times": 1500, "activities": 24}


# person → status of a POST to each drafting form of A's draft plan. Read-only
# insiders get 403, outsiders 404; officers may change plans (decide) but not
# draft them: the service refuses them with 403.
DRAFTING = [
    ("worker", 403),
    ("agency", 403),
    ("evaluator", 403),
    ("district", 403),
    ("city", 403),
    ("director_b", 404),
    ("other_district", 404),
    ("worker_c", 404),
]


@pytest.mark.parametrize(("person", "expected"), DRAFTING)
def test_only_the_director_drafts_through_the_web(world, person, expected):
    plan = draft(world)
    core = plan.projects.get(kind="core")
    client = logged_in(world, person)
    posts = [
        (f"/plans/{plan.pk}/submit/", {"submit-version": plan.version}),
        (f"/plans/{plan.pk}/edit/", {"reason-version": plan.version}),
        (
            f"/plans/{plan.pk}/projects/",
            {"project-kind": "featured", "project-domain": "featured", "project-name": "新"},
        ),
        (f"/plans/projects/{core.pk}/targets/", {f"targets-{core.pk}-person_times": "1"}),
        (f"/plans/projects/{core.pk}/remove/", {}),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [expected] * 5
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.projects.count(), targets(core)) == (
        PlanStatus.DRAFT,
        1,
        6,
        {"person_times": 1500, "activities": 24},
    )


# --- Web: the officer decides ----------------------------------------------------


def test_district_officer_sees_submitted_plans_first_and_approves(three_plans):
    client = logged_in(three_plans, "district")
    first = client.get("/plans/").context["page"][0]
    assert (first.pk, first.status) == (three_plans.plan_a.pk, PlanStatus.SUBMITTED)
    response = client.post(f"/plans/{first.pk}/approve/", {"approve-comment": "同意。"})
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(pk=first.pk)
    assert (plan.status, plan.decided_by.username, plan.decision_comment) == (
        PlanStatus.APPROVED,
        "district",
        "同意。",
    )


def test_a_return_without_a_comment_is_refused_on_the_page(world, client):
    plan = submitted(world)
    english(client).force_login(world["district"])
    response = client.post(f"/plans/{plan.pk}/return/", {"return-comment": " "})
    assert response.status_code == 400
    assert response.context["return_form"].errors == {"comment": ["Say what needs changing."]}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_director_reads_the_return_comment_and_resubmits(world):
    plan = submitted(world)
    officer = logged_in(world, "district")
    officer.post(f"/plans/{plan.pk}/return/", {"return-comment": "请补充青少年小组目标。"})
    director = logged_in(world, "director")
    page = director.get(f"/plans/{plan.pk}/")
    html = page.content.decode()
    assert 'data-testid="decision"' in html
    assert "请补充青少年小组目标。" in html
    assert "请补充青少年小组目标。" in director.get("/plans/").content.decode()
    assert page.context["drafting"] is True
    youth = plan.projects.get(domain="youth")
    director.post(f"/plans/projects/{youth.pk}/targets/", {f"targets-{youth.pk}-groups": "3"})
    plan.refresh_from_db()
    response = director.post(f"/plans/{plan.pk}/submit/", {"submit-version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, targets(youth)) == (PlanStatus.SUBMITTED, {"groups": 3})


# person → status of POSTs to approve and return A's submitted plan.
DECIDING = [
    ("director", 403),
    ("worker", 403),
    ("agency", 403),
    ("evaluator", 403),
    ("admin", 403),
    ("director_b", 404),
    ("other_district", 404),
    ("worker_c", 404),
]


@pytest.mark.parametrize(("person", "expected"), DECIDING)
def test_only_officers_decide_through_the_web(world, person, expected):
    plan = submitted(world)
    client = logged_in(world, person)
    approve = client.post(f"/plans/{plan.pk}/approve/", {"approve-comment": "同意"})
    give_back = client.post(f"/plans/{plan.pk}/return/", {"return-comment": "退回"})
    assert (approve.status_code, give_back.status_code) == (expected, expected)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_approving_a_draft_is_refused_on_the_page(world, client):
    plan = draft(world)
    english(client).force_login(world["district"])
    response = client.post(f"/plans/{plan.pk}/approve/", {"approve-comment": ""})
    assert response.status_code == 400
    assert response.context["errors"] == ["Only a submitted plan can be approved or returned."]


# --- Query counts ----------------------------------------------------------------

# The checked-in baseline of the plan list page: raise it only with a reason.
# (3 since a first page that holds every plan is not counted, core.lists.Paginator.)
PLAN_LIST_QUERIES = 3


def _more_plans(world, years: range) -> None:
    for year in years:
        draft(world, year=year, projects=PROJECTS[:2])


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_plan_list_query_count_does_not_grow_with_plans(world):
    client = logged_in(world, "city")
    _more_plans(world, range(2000, 2002))
    client.get("/plans/")
    with_2 = _queries(client, "/plans/")
    _more_plans(world, range(2002, 2020))
    assert client.get("/plans/").context["page"].paginator.count == 20
    with_20 = _queries(client, "/plans/")
    assert (with_2, with_20) == (PLAN_LIST_QUERIES, PLAN_LIST_QUERIES)


def test_plan_page_query_count_does_not_grow_with_projects(world):
    plan = draft(world)
    client = logged_in(world, "director")
    client.get(f"/plans/{plan.pk}/")  # the user's station into the cache (org.units)
    with_6 = _queries(client, f"/plans/{plan.pk}/")
    for n in range(10):
        services.project_add(
            actor=world["director"],
            plan=plan,
            kind="featured",
            domain="featured",
            name=f"特色{n}",
            targets={"activities": n + 1},
        )
    assert _queries(client, f"/plans/{plan.pk}/") == with_6


# The plan page's forms refuse a reader who may not perform the write before the
# form is read: 403 whatever was posted, and the plan unchanged.
# (person, path under /plans/<draft or submitted plan>/, posted form)
WEB_REFUSED_WHATEVER_THE_FORM = [
    ("district", "draft", "edit", {}),
    ("city", "draft", "edit", {"reason-key_need_reason": ""}),
    ("admin", "draft", "edit", {}),
    ("district", "draft", "projects", {"project-kind": "nonsense"}),
    ("admin", "draft", "submit", {}),
    ("city", "draft", "submit", {"submit-version": "x"}),
    ("director", "submitted", "return", {}),
    ("admin", "submitted", "return", {"return-comment": ""}),
    ("admin", "submitted", "approve", {}),
]


@pytest.mark.parametrize(("person", "which", "url", "form"), WEB_REFUSED_WHATEVER_THE_FORM)
def test_plan_forms_refuse_a_reader_before_reading_the_form(world, person, which, url, form):
    plans = {"draft": draft(world), "submitted": submitted(world, year=YEAR - 1)}
    before = sorted(AnnualPlan.objects.values_list("pk", "status", "version", "key_need_reason"))
    response = logged_in(world, person).post(f"/plans/{plans[which].pk}/{url}/", form)
    assert response.status_code == 403
    after = sorted(AnnualPlan.objects.values_list("pk", "status", "version", "key_need_reason"))
    assert after == before


def test_the_officer_deciding_with_an_empty_form_is_told_what_is_missing(world):
    """The control: the district officer may return the plan, so an empty
    comment is a 400 with the page's errors, not a 403."""
    plan = submitted(world)
    response = english(logged_in(world, "district")).post(f"/plans/{plan.pk}/return/", {})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
