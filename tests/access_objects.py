"""One record of every kind at station A (inside the scope of the world's people)
and the same at station C (outside it), made through the services, for the
access matrix (tests/test_access_matrix.py).

Station C (越秀, agency B) gets a director and uses the world's `worker_c`.
Everything is dated today so that date rules (plans of this year, sign-ups still
to come) hold on any day the suite runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.cases import services as case_services
from shegong.cases.models import Alert, AlertRule, Case, Observation
from shegong.clients import services as client_services
from shegong.clients.models import ClientStatus, Consent, Household, Resident, ResidentTag
from shegong.community import services as community_services
from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    Volunteer,
    VolunteerSignup,
    VolunteerTeam,
)
from shegong.core.models import AccessLog
from shegong.delivery import services as delivery_services
from shegong.delivery.models import Group, ServiceEvent
from shegong.org.models import Agency, Contract, District, SpecialProject, Station, Street
from shegong.plans import services as plan_services
from shegong.plans.models import AnnualPlan, PlanProject
from tests.conftest import World, make_user


@dataclass
class Side:
    """The records of one station."""

    station: Station
    street: Street
    district: District
    agency: Agency
    contract: Contract
    special_project: SpecialProject
    director: User
    worker: User
    household: Household
    resident: Resident
    consent: Consent
    client_status: ClientStatus
    tag: ResidentTag
    case: Case
    observation: Observation
    alert: Alert
    alert_rule: AlertRule
    access_log: AccessLog
    plan: AnnualPlan
    plan_project: PlanProject
    event: ServiceEvent
    group: Group
    volunteer: Volunteer
    team: VolunteerTeam
    signup: VolunteerSignup
    party_organisation: PartyOrganisation
    party_member: PartyMember
    community_organisation: CommunityOrganisation
    governance_project: GovernanceProject
    meeting: DeliberationMeeting
    meal_enrolment: MealEnrolment
    meal_record: MealRecord


@dataclass
class Objects:
    world: World
    inside: Side
    outside: Side

    def side(self, which: str) -> Side:
        return self.inside if which == "in" else self.outside


def _side(
    station: Station,
    contract: Contract,
    special_project: SpecialProject,
    director: User,
    worker: User,
    tag: str,
) -> Side:
    today = timezone.localdate()
    household = client_services.household_create(
        actor=worker, station=station, name=f"{tag}家庭", address="某路1号"
    )
    resident = client_services.resident_register(
        actor=worker,
        station=station,
        name=f"{tag}居民",
        gender="female",
        birth_date=datetime.date(1948, 5, 1),
        id_number="110101194805010026" if tag == "A" else "110101194805010042",
        household=household,
        household_role="head",
        allow_similar=True,
    )
    consent = client_services.consent_record(actor=worker, resident=resident, recorded_on=today)
    client_status = client_services.client_classify(
        actor=worker, resident=resident, domain="elderly", category="general", started_on=today
    )
    resident_tag = client_services.tag_add(
        actor=worker, resident=resident, tag="living_alone", started_on=today
    )
    case = case_services.case_open(
        actor=worker, client=resident, domain="elderly", source="walk_in", opened_on=today
    )
    case_services.case_assess(
        actor=worker, case=case, assessed_on=today, needs="独居", risk_level="low"
    )
    case.refresh_from_db()
    # A crisis observation raises an alert at once, assigned to its author.
    observation = case_services.observation_record(
        actor=worker,
        resident=resident,
        observed_on=today,
        source="visit",
        text="情绪低落",
        crisis=True,
    )
    alert = Alert.objects.get(observation=observation)
    alert_rule = case_services.alert_rule_set(
        actor=director, station=station, kind="meal_absence", threshold_days=5, enabled=True
    )
    client_services.resident_reveal_id_number(actor=worker, resident=resident, ip="127.0.0.1")
    access_log = AccessLog.objects.get(station=station)

    plan = plan_services.plan_create(actor=director, station=station, year=today.year)
    plan_project = plan_services.project_add(
        actor=director, plan=plan, kind="basic", domain="elderly", name=f"{tag}长者服务"
    )
    event = delivery_services.service_event_record(
        actor=worker,
        project=plan_project,
        kind="activity",
        held_on=today,
        title=f"{tag}社区活动",
        attendees=[resident],
    )
    group = delivery_services.group_create(
        actor=worker,
        project=plan_project,
        name=f"{tag}长者小组",
        planned_sessions=4,
        members=[resident],
    )

    party_organisation = community_services.party_organisation_create(
        actor=worker, station=station, name=f"{tag}社区党支部", kind="branch"
    )
    party_member = community_services.party_member_add(
        actor=worker, organisation=party_organisation, name=f"{tag}党员"
    )
    volunteer = community_services.volunteer_register(
        actor=worker, station=station, name=f"{tag}义工", consent_on=today, registered_on=today
    )
    team = community_services.team_create(
        actor=worker, station=station, name=f"{tag}义工队", members=[volunteer]
    )
    signup = community_services.volunteer_sign_up(
        actor=worker,
        volunteer=volunteer,
        project=plan_project,
        activity_on=today,
        activity_title=f"{tag}探访",
    )
    community_organisation = community_services.community_organisation_create(
        actor=worker, station=station, name=f"{tag}兴趣队", founded_on=today
    )
    governance_project = community_services.governance_project_create(
        actor=worker, station=station, title=f"{tag}加装电梯", started_on=today
    )
    meeting = community_services.deliberation_meeting_record(
        actor=worker, project=governance_project, held_on=today, attendees=12, decisions="同意"
    )
    meal_enrolment = community_services.meal_enrol(
        actor=worker, resident=resident, started_on=today
    )
    community_services.meal_roll_call(
        actor=worker, station=station, served_on=today, present={resident.pk: "dine_in"}
    )
    return Side(
        station=station,
        street=station.street,
        district=station.street.district,
        agency=station.agency,
        contract=contract,
        special_project=special_project,
        director=director,
        worker=worker,
        household=household,
        resident=resident,
        consent=consent,
        client_status=client_status,
        tag=resident_tag,
        case=case,
        observation=observation,
        alert=alert,
        alert_rule=alert_rule,
        access_log=access_log,
        plan=plan,
        plan_project=plan_project,
        event=event,
        group=group,
        volunteer=volunteer,
        team=team,
        signup=signup,
        party_organisation=party_organisation,
        party_member=party_member,
        community_organisation=community_organisation,
        governance_project=governance_project,
        meeting=meeting,
        meal_enrolment=meal_enrolment,
        meal_record=MealRecord.objects.get(resident=resident),
    )


def make_objects(world: World) -> Objects:
    director_c = make_user("director_c", Role.STATION_DIRECTOR, station=world.station_c)
    world.people["director_c"] = director_c
    # Agency B's city-wide project: outside everyone's scope but the city's.
    project_b = SpecialProject.objects.create(
        city=world.city,
        agency=world.agency_b,
        name="广州市长者助餐项目",
        code="GZ-ZX-02",
        domain="elderly",
    )
    return Objects(
        world=world,
        inside=_side(
            world.station_a,
            world.contract_a,
            world.project,
            world["director"],
            world["worker"],
            "A",
        ),
        outside=_side(
            world.station_c, world.contract_c, project_b, director_c, world["worker_c"], "C"
        ),
    )
