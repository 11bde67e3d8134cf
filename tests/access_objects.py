"""One record of every kind at station A (inside the scope of the world's people)
and the same at station C (outside it), made through the services, for the
access matrix (tests/test_access_matrix.py).

Station C (越秀, agency B) gets a director and uses the world's `worker_c`.
Everything is dated today so that date rules (plans of this year, sign-ups still
to come) hold on any day the suite runs.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import User
from shegong.agenda import services as agenda_services
from shegong.agenda.models import Appointment, PlannedService
from shegong.cases import documents as case_documents
from shegong.cases import library as library_services
from shegong.cases import services as case_services
from shegong.cases import signoffs as case_signoffs
from shegong.cases.instruments import Instrument, InstrumentScore
from shegong.cases.models import (
    Alert,
    AlertRule,
    Case,
    CaseDocument,
    LibraryCase,
    Observation,
    Signoff,
    SignoffSetting,
)
from shegong.cases.scoring import instrument_score_record
from shegong.clients import documents as client_documents
from shegong.clients import services as client_services
from shegong.clients.models import (
    ClientStatus,
    Consent,
    Household,
    Resident,
    ResidentDocument,
    ResidentTag,
)
from shegong.community import activities as activity_services
from shegong.community import services as community_services
from shegong.community.models import (
    CommunityActivity,
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    ResidentSignup,
    Volunteer,
    VolunteerCheckin,
    VolunteerSignup,
    VolunteerTeam,
)
from shegong.contracts import services as contract_services
from shegong.contracts.models import Tender
from shegong.core.models import AccessLog, AuditEntry, Job
from shegong.core.roles import Role
from shegong.delivery import group_stages as group_stage_services
from shegong.delivery import services as delivery_services
from shegong.delivery.models import Group, GroupSessionPlan, ServiceEvent
from shegong.evaluation import inspections as evaluation_inspections
from shegong.evaluation import services as evaluation_services
from shegong.evaluation.models import (
    ClientSample,
    EvaluationRound,
    Evidence,
    IndicatorScore,
    Inspection,
    Rectification,
    RectificationAlert,
    RoundAssignment,
    SampleEntry,
    StationEvaluation,
)
from shegong.org import services as org_services
from shegong.org.models import (
    Agency,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)
from shegong.plans import services as plan_services
from shegong.plans.models import AnnualPlan, PlanProject
from shegong.privacy import personal_exports
from shegong.privacy import requests as privacy_requests
from shegong.privacy.models import PersonalExport, SubjectRequest
from shegong.referrals import services as referral_services
from shegong.referrals import workflow as referral_workflow
from shegong.referrals.models import Partner, ReferralTrack
from shegong.rosters import importing as roster_importing
from shegong.rosters.models import RosterEntry
from shegong.surveys import services as survey_services
from shegong.surveys.models import Question, Survey
from shegong.workforce import services as workforce_services
from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord
from shegong.workforce.pay_models import PayRate
from tests.case_library_world import CLEAN
from tests.conftest import World, make_user

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@dataclass
class Side:
    """The records of one station."""

    station: Station
    # The directory of services: an inactive entry kept by the station (read within
    # the keepers' scope only) and an active one (read by every account).
    partner: Partner
    public_partner: Partner
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
    group_plan: GroupSessionPlan
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
    closed_case: Case
    library_case: LibraryCase
    published_library_case: LibraryCase
    audit_entry: AuditEntry
    survey: Survey
    question: Question
    published_survey: Survey
    public_survey: Survey
    staff_profile: StaffProfile
    training_record: TrainingRecord
    supervision_record: SupervisionRecord
    round: EvaluationRound
    sheet: StationEvaluation
    assignment: RoundAssignment
    indicator_score: IndicatorScore
    evidence: Evidence
    inspection: Inspection
    rectification: Rectification
    totp_device: TOTPDevice
    rectification_alert: RectificationAlert | None = None
    appointment: Appointment | None = None
    planned_service: PlannedService | None = None
    roster_entry: RosterEntry | None = None
    sample: ClientSample | None = None
    sample_entry: SampleEntry | None = None
    point: ServicePoint | None = None
    # A failed import job of the side's worker (core.jobs): its owner's alone.
    job: Job | None = None
    data_request: SubjectRequest | None = None
    # A tender announced for the side's station (contracts); the side's contract
    # has its terms recorded.
    tender: Tender | None = None
    personal_export: PersonalExport | None = None
    # A line of the city's pay table (public: every account reads it).
    pay_rate: PayRate | None = None
    # A referral received by the side's station, sent by station B (the
    # receiving station's staff read its shared part; everyone else, 404).
    referral_track: ReferralTrack | None = None
    # Community activities with sign-up and check-in (community/volunteer_models.py).
    activity: CommunityActivity | None = None
    activity_checkin: VolunteerCheckin | None = None
    resident_signup: ResidentSignup | None = None
    # Supervisor sign-off 督导审批: the station's setting and a high-risk
    # assessment waiting (on a second case of the resident, the family one).
    signoff_setting: SignoffSetting | None = None
    signoff: Signoff | None = None
    # A consent form attached to the side's case (SHEGONG_DOCUMENT_ROOT).
    case_document: CaseDocument | None = None
    # A certificate filed with the side's resident, no case (clients.documents).
    resident_document: ResidentDocument | None = None
    # A risk screen scored in the side's case (cases.instruments: case content).
    instrument_score: InstrumentScore | None = None


@dataclass
class Objects:
    world: World
    inside: Side
    outside: Side

    def side(self, which: str) -> Side:
        return self.inside if which == "in" else self.outside


def _roster_entry(city_officer, station, resident, id_number) -> RosterEntry:
    """The resident on this month's 特困人员 roster, imported by the city officer."""
    community = Community.objects.create(street=station.street, name=f"{station.street.name}社区")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["身份证号", "姓名", "类别", "区", "社区", "来源部门", "名单日期"])
    today = timezone.localdate()
    writer.writerow(
        [
            id_number,
            resident.name,
            "特困人员",
            station.street.district.name,
            community.name,
            "民政局",
            today.isoformat(),
        ]
    )
    result = roster_importing.roster_import(
        actor=city_officer,
        file=io.BytesIO(text.getvalue().encode()),
        filename="roster.csv",
        month=today.replace(day=1),
        source="民政局",
    )
    assert result.ok, result.errors
    return RosterEntry.objects.get(resident=resident)


def _side(
    station: Station,
    contract: Contract,
    special_project: SpecialProject,
    director: User,
    worker: User,
    tag: str,
    evaluator: User,
    city_officer: User,
    inspector: User,
) -> Side:
    today = timezone.localdate()
    point = org_services.service_point_create(
        actor=director, station=station, name=f"{tag}社工点", code=f"point-{tag}"
    )
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
    group_plan = group_stage_services.group_session_plan_add(
        actor=worker,
        group=group,
        stage="formation",
        planned_on=today,
        goals=f"{tag}组员相互认识",
        activities="破冰游戏",
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
    partner = referral_services.partner_create(
        actor=worker, name=f"{tag}旧合作医院", kind="hospital", domains=["elderly"], active=False
    )
    public_partner = referral_services.partner_create(
        actor=worker, name=f"{tag}法律援助", kind="legal_aid", domains=["family"]
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
    # Excellent-case library: a closed case nominated, another published.
    library = {}
    for domain in ("youth", "family"):
        other = case_services.case_open(
            actor=worker, client=resident, domain=domain, source="walk_in", opened_on=today
        )
        library[domain] = case_services.case_close(
            actor=director, case=other, closed_on=today, outcome="client_withdrew"
        )
    library_case = library_services.library_case_create(
        actor=director, case=library["youth"], **{**CLEAN, "title": f"{tag}优秀案例"}
    )
    published = library_services.library_case_create(
        actor=director, case=library["family"], **{**CLEAN, "title": f"{tag}已发布案例"}
    )
    published = library_services.library_case_publish(actor=city_officer, entry=published)
    # A closed case of another resident, not yet nominated.
    neighbour = client_services.resident_register(
        actor=worker,
        station=station,
        name=f"{tag}邻居",
        gender="male",
        birth_date=datetime.date(1950, 1, 1),
        allow_similar=True,
    )
    client_services.consent_record(actor=worker, resident=neighbour, recorded_on=today)
    closed_case = case_services.case_close(
        actor=director,
        case=case_services.case_open(
            actor=worker, client=neighbour, domain="elderly", source="walk_in", opened_on=today
        ),
        closed_on=today,
        outcome="client_withdrew",
    )

    # Surveys: a draft with a question, a published one, and the one the public
    # link of the side opens (station A: published; station C: closed).
    survey = survey_services.survey_create(actor=director, kind="needs", title=f"{tag}需求调查")
    question = survey_services.question_add(
        actor=director, survey=survey, kind="rating", text="您对服务满意吗？"
    )
    surveys = []
    for n in range(2):
        one = survey_services.survey_create(
            actor=director, kind="satisfaction", title=f"{tag}满意度调查{n}"
        )
        survey_services.question_add(actor=director, survey=one, kind="rating", text="满意度")
        surveys.append(survey_services.survey_publish(actor=director, survey=one))
    published_survey = surveys[0]
    public_survey = surveys[1]
    if tag != "A":
        public_survey = survey_services.survey_close(actor=director, survey=public_survey)

    # Workforce: the worker's profile with a training and a supervision record.
    staff_profile = workforce_services.staff_profile_create(
        actor=director,
        user=worker,
        post="frontline",
        qualification="none",
        employed_since=datetime.date(2023, 7, 1),
    )
    training_record = workforce_services.training_record_add(
        actor=director,
        profile=staff_profile,
        course="个案管理实务",
        provider="广州市社会工作协会",
        held_on=today,
        hours=Decimal("8"),
    )
    supervision_record = workforce_services.supervision_record_add(
        actor=director,
        profile=staff_profile,
        supervisor="外聘督导刘老师",
        held_on=today,
        hours=Decimal("2"),
        kind="individual",
    )

    # Evaluation: an open round of the side's district with the evaluator
    # assigned to the station, a score with evidence; an inspection with an
    # overdue rectification (its alert is raised once both sides exist).
    round = evaluation_services.round_create(
        actor=city_officer,
        name=f"{tag}区{today.year}年末期评估",
        kind="final",
        year=today.year,
        district=station.street.district,
    )
    # Not `group`: that is the side's 小组, which the delivery routes read.
    indicator_group = evaluation_services.indicator_group_add(
        actor=city_officer, round=round, name="服务产出", weight=100
    )
    indicator = evaluation_services.indicator_add(
        actor=city_officer,
        group=indicator_group,
        name="服务计划执行",
        max_score=Decimal(10),
        method="scored",
    )
    assignment = evaluation_services.round_assign(
        actor=city_officer, round=round, station=station, evaluator=evaluator
    )
    round = evaluation_services.round_open(actor=city_officer, round=round)
    sheet = StationEvaluation.objects.get(round=round, station=station)
    indicator_score = evaluation_services.score_set(
        actor=evaluator, evaluation=sheet, indicator=indicator, score=Decimal(8)
    )
    evidence = evaluation_services.evidence_add(
        actor=evaluator,
        evaluation=sheet,
        indicator=indicator,
        file=SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf"),
    )
    # The evaluator's verification sample of the sheet: one call to the resident
    # (who has no phone number: revealing it is a 400 for the evaluator).
    sample = ClientSample.objects.create(
        evaluation=sheet,
        seed=1,
        calls=1,
        visits=0,
        as_of=today,
        population=1,
        strata=[
            {"domain": "elderly", "category": "general", "population": 1, "calls": 1, "visits": 0}
        ],
        drawn_by=evaluator,
    )
    sample_entry = SampleEntry.objects.create(
        sample=sample,
        resident=resident,
        position=1,
        method="call",
        domain="elderly",
        category="general",
        label=f"{tag}**",
    )
    inspection = evaluation_inspections.inspection_record(
        actor=inspector, station=station, visited_on=today - datetime.timedelta(days=2)
    )
    rectification = evaluation_inspections.rectification_add(
        actor=inspector,
        inspection=inspection,
        description="档案未按月归档",
        owner=worker,
        due_on=today - datetime.timedelta(days=1),
    )

    # The calendar: the worker's appointment with the resident tomorrow at 10:00.
    tomorrow_ten = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(10))
    )
    appointment = agenda_services.appointment_book(
        actor=worker,
        client=resident,
        starts_at=tomorrow_ten,
        ends_at=tomorrow_ten + datetime.timedelta(hours=1),
        purpose="跟进",
    )

    planned_service = agenda_services.planned_service_add(
        actor=worker,
        station=station,
        kind="group_session",
        group=group,
        starts_at=tomorrow_ten + datetime.timedelta(hours=4),
        ends_at=tomorrow_ten + datetime.timedelta(hours=5),
    )

    roster_entry = _roster_entry(
        city_officer,
        station,
        resident,
        "110101194805010026" if tag == "A" else "110101194805010042",
    )

    job = Job.objects.create(
        kind="service_import", owner=worker, station=station, status="failed", attempts=1
    )

    data_request = privacy_requests.subject_request_open(
        actor=worker,
        resident=resident,
        kind="access",
        requested_by=f"{tag}居民本人",
        received_on=today,
    )

    personal_export = personal_exports.personal_export_request(
        actor=worker, kind="residents", filters={}, reason=f"{tag}站探访名单"
    )
    pay_rate = PayRate.objects.create(
        post="frontline",
        qualification="none",
        grade=1 if tag == "A" else 2,
        monthly_fen=600_000,
        valid_from=today,
        is_sample=True,
    )
    # An activity of today with a resident's sign-up and a late entry awaiting approval.
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    activity = activity_services.activity_create(
        actor=worker,
        project=plan_project,
        title=f"{tag}邻里节",
        starts_at=noon - datetime.timedelta(hours=12),
        ends_at=noon + datetime.timedelta(hours=11, minutes=59),
        capacity=10,
    )
    resident_signup = ResidentSignup.objects.create(
        activity=activity, name=f"{tag}居民", phone="13800000001", status="confirmed"
    )
    activity_checkin = VolunteerCheckin.objects.create(
        activity=activity,
        volunteer=volunteer,
        started_at=activity.starts_at,
        ended_at=activity.starts_at + datetime.timedelta(hours=1),
        hours=Decimal("1.0"),
        status="requested",
    )

    signoff_setting = case_signoffs.signoff_setting_set(
        actor=director,
        station=station,
        high_risk_assessment=True,
        service_plan=False,
        closure=False,
    )
    signoff_case = case_services.case_open(
        actor=worker, client=resident, domain="family", source="walk_in", opened_on=today
    )
    case_services.case_assess(
        actor=worker, case=signoff_case, assessed_on=today, needs="家庭冲突", risk_level="high"
    )
    case_document = case_documents.document_add(
        actor=worker,
        case=case,
        kind="consent_form",
        file=SimpleUploadedFile("同意书.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    resident_document = client_documents.resident_document_upload(
        actor=worker,
        resident=resident,
        kind="certificate",
        file=SimpleUploadedFile("低保证.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    instrument_score = instrument_score_record(
        actor=worker,
        case=case,
        instrument=Instrument.objects.get(code="risk-screen"),
        administered_on=today,
        answers={"self_harm": 0, "violence": 1, "neglect": 0, "health": 2, "crisis": 0},
    )
    return Side(
        instrument_score=instrument_score,
        activity=activity,
        activity_checkin=activity_checkin,
        resident_signup=resident_signup,
        signoff_setting=signoff_setting,
        signoff=Signoff.objects.get(case=signoff_case),
        case_document=case_document,
        resident_document=resident_document,
        data_request=data_request,
        personal_export=personal_export,
        pay_rate=pay_rate,
        partner=partner,
        public_partner=public_partner,
        job=job,
        appointment=appointment,
        planned_service=planned_service,
        roster_entry=roster_entry,
        station=station,
        point=point,
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
        group_plan=group_plan,
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
        closed_case=closed_case,
        library_case=library_case,
        published_library_case=published,
        audit_entry=AuditEntry.objects.filter(station=station).order_by("pk").first(),
        survey=survey,
        question=question,
        published_survey=published_survey,
        public_survey=public_survey,
        staff_profile=staff_profile,
        training_record=training_record,
        supervision_record=supervision_record,
        round=round,
        sheet=sheet,
        assignment=assignment,
        indicator_score=indicator_score,
        evidence=evidence,
        sample=sample,
        sample_entry=sample_entry,
        inspection=inspection,
        rectification=rectification,
        # A colleague's authenticator (a device on a role's own account would send
        # it to the two-factor check on every page).
        totp_device=TOTPDevice.objects.create(
            user=make_user(f"otp_{tag}", Role.SOCIAL_WORKER, station=station),
            name="手机",
            confirmed=True,
        ),
    )


def _tender(officer: User, side: Side) -> Tender:
    contract_services.contract_terms_record(
        actor=officer,
        contract=side.contract,
        signed_on=side.contract.starts_on,
        budget_personnel=Decimal("4000000"),
        budget_activities=Decimal("1500000"),
        budget_administration=Decimal("500000"),
    )
    return contract_services.tender_announce(
        actor=officer,
        station=side.station,
        code=f"ZB-{side.station.code}",
        title=f"{side.station.name}服务项目",
        buyer="街道办事处",
        announced_on=datetime.date(2028, 3, 1),
        bids_close_on=datetime.date(2028, 3, 31),
        starts_on=datetime.date(2028, 7, 1),
        ends_on=datetime.date(2031, 6, 30),
        ceiling=Decimal("6000000"),
    )


def _referral_track(world: World, to_station: Station, tag: str) -> ReferralTrack:
    """A case of station B referred, with the client's consent to share, to
    `to_station` through its directory entry (the referral workflow)."""
    today = timezone.localdate()
    director_b = world["director_b"]
    resident = client_services.resident_register(
        actor=director_b,
        station=world.station_b,
        name=f"{tag}转介居民",
        gender="female",
        birth_date=datetime.date(1950, 3, 1),
        allow_similar=True,
    )
    client_services.consent_record(
        actor=director_b, resident=resident, recorded_on=today, covers_referral_sharing=True
    )
    case = case_services.case_open(
        actor=director_b,
        client=resident,
        domain="elderly",
        source="walk_in",
        opened_on=today,
        workers=[director_b],
    )
    case_services.case_assess(
        actor=director_b, case=case, assessed_on=today, needs="需要康复", risk_level="low"
    )
    case.refresh_from_db()
    partner = referral_services.partner_create(
        actor=world["city"],
        name=f"{to_station.name}（平台）",
        kind="station",
        domains=["elderly"],
        platform_station=to_station,
    )
    return referral_workflow.referral_send(
        actor=director_b,
        case=case,
        partner=partner,
        reason="需要康复服务",
        shared_parts=["assessment"],
        sent_on=today,
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
    # The built-in survey templates (`shegong survey_templates`), as deployed; the
    # survey creation page would otherwise make them on its first visit.
    survey_services.builtin_templates_ensure(city=world.city)
    # Station C's evaluator (the world's evaluator is assigned to station A only).
    evaluator_c = make_user("evaluator_c", Role.EVALUATOR, city=world.city)
    inside = _side(
        world.station_a,
        world.contract_a,
        world.project,
        world["director"],
        world["worker"],
        "A",
        evaluator=world["evaluator"],
        city_officer=world["city"],
        inspector=world["district"],
    )
    outside = _side(
        world.station_c,
        world.contract_c,
        project_b,
        director_c,
        world["worker_c"],
        "C",
        evaluator=evaluator_c,
        city_officer=world["city"],
        inspector=world["city"],
    )
    evaluation_inspections.overdue_alerts_raise()
    for side in (inside, outside):
        side.tender = _tender(world["city"], side)
        side.rectification_alert = RectificationAlert.objects.get(rectification=side.rectification)
        side.referral_track = _referral_track(world, side.station, "A" if side is inside else "C")
    return Objects(world=world, inside=inside, outside=outside)
