"""The case state machine (cases.services): every transition, every refusal with
its message, optimistic locking, the case history, assignment, and who may read
case content (with the access log for priority clients).

Tests run in Simplified Chinese; refusals are compared in English under
translation.override("en")."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from shegong.cases import selectors
from shegong.cases import services as case_services
from shegong.cases.models import (
    WORK,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    CaseReview,
    Referral,
    ServicePlan,
)
from shegong.clients import services as client_services
from shegong.clients.models import Consent, Resident
from shegong.core.access import require
from shegong.core.errors import EditConflict
from shegong.core.models import AccessLog
from shegong.core.roles import Role
from shegong.core.scope import can
from shegong.delivery.models import ServiceEvent
from tests.conftest import make_user
from tests.helpers import days_ago, refusal, register_resident
from tests.helpers import open_case as _open_case

OPENED = 30  # days ago


def assess(world, case, *, actor=None, on=None, risk="medium", version=None):
    return case_services.case_assess(
        actor=actor or world["worker"],
        case=case,
        assessed_on=on or days_ago(28),
        needs="照顾压力大",
        risk_level=risk,
        version=version,
    )


def plan(world, case, *, actor=None, on=None, version=None):
    return case_services.case_plan(
        actor=actor or world["worker"],
        case=case,
        planned_on=on or days_ago(26),
        goals="减轻照顾压力",
        review_due_on=days_ago(5),
        version=version,
    )


def note(world, case, *, actor=None, on=None, service_type="supportive", version=None):
    return case_services.case_note_add(
        actor=actor or world["worker"],
        case=case,
        happened_on=on or days_ago(20),
        service_type=service_type,
        method="home_visit",
        text="上门探访，情绪稳定。",
        version=version,
    )


def review(world, case, *, actor=None, on=None, version=None):
    return case_services.case_review(
        actor=actor or world["worker"],
        case=case,
        reviewed_on=on or days_ago(10),
        progress="目标部分达成",
        next_review_on=days_ago(2),
        version=version,
    )


def close(world, case, outcome="goals_met", *, actor=None, on=None, version=None):
    return case_services.case_close(
        actor=actor or world["worker"],
        case=case,
        closed_on=on or days_ago(3),
        outcome=outcome,
        summary="结案",
        version=version,
    )


def refer(world, case, *, to_station=None, to_organisation="", actor=None, version=None):
    return case_services.case_refer(
        actor=actor or world["worker"],
        case=case,
        referred_on=days_ago(4),
        reason="需要专业康复服务",
        to_station=to_station,
        to_organisation=to_organisation,
        version=version,
    )


def reopen(world, case, *, actor=None, reason="情况反复", version=None):
    return case_services.case_reopen(
        actor=actor or world["worker"], case=case, reason=reason, version=version
    )


STEPS = {"assessed": assess, "planned": plan, "in_service": note, "reviewed": review}


def walk_to(world, case, status) -> Case:
    for step, call in STEPS.items():
        call(world, case)
        if step == status:
            break
    case.refresh_from_db()
    assert case.status == status
    return case


def status_of(case) -> str:
    return Case.objects.get(pk=case.pk).status


@pytest.fixture
def resident(world) -> Resident:
    return make_resident(world)


@pytest.fixture
def case(world, resident) -> Case:
    return open_case(world, resident)


# --- Intake (接案) ----------------------------------------------------------------------


def test_open_starts_at_intake_with_a_number(world, case):
    year = days_ago(OPENED).year
    assert (case.status, case.number, case.version) == ("intake", f"{year}-0001", 1)
    assert list(case.workers.all()) == [world["worker"]]
    assert case.station == world.station_a


def test_case_numbers_count_up_per_station_and_year(world, resident, case):
    second = open_case(world, resident)
    assert second.number == f"{days_ago(OPENED).year}-0002"


def test_worker_opening_a_case_is_assigned_to_it(world, resident):
    case = open_case(world, resident, actor=world["worker"], workers=[])
    assert list(case.workers.all()) == [world["worker"]]


def test_open_needs_consent(world):
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="王芳",
        gender="female",
        birth_date=datetime.date(1980, 1, 1),
    )
    messages = refusal(open_case, world=world, resident=resident)
    assert messages == [
        "Record the client's consent (or the statutory basis) before opening a case."
    ]
    assert Case.objects.count() == 0


def test_open_needs_consent_in_force_on_the_opening_day(world, resident):
    messages = refusal(open_case, world=world, resident=resident, opened_on=days_ago(61))
    assert messages == [
        "Record the client's consent (or the statutory basis) before opening a case."
    ]


def test_open_needs_consent_that_was_not_withdrawn(world, resident):
    Consent.objects.filter(resident=resident).update(withdrawn_on=days_ago(40))
    with pytest.raises(ValidationError):
        open_case(world, resident)
    assert Case.objects.count() == 0


def test_open_in_the_future_is_refused(world, resident):
    with pytest.raises(ValidationError) as caught:
        open_case(world, resident, opened_on=days_ago(-1))
    assert list(caught.value.message_dict) == ["opened_on"]


def test_open_on_a_merged_record_is_refused(world, resident):
    other = make_resident(world)
    client_services.resident_merge(actor=world["director"], keep=resident, duplicate=other)
    other.refresh_from_db()
    messages = refusal(open_case, world=world, resident=other)
    assert messages == ["This record was merged; open the case on the kept record."]


@pytest.mark.parametrize("role", ["district", "city", "agency", "admin"])
def test_only_station_staff_open_cases(world, resident, role):
    with pytest.raises(PermissionDenied):
        open_case(world, resident, actor=world[role])
    assert Case.objects.count() == 0


# --- Assessment (预估) and plan (计划) ----------------------------------------------------


def test_assess_moves_intake_to_assessed(world, case):
    assessment = assess(world, case, risk="high")
    case.refresh_from_db()
    assert (case.status, case.risk_level, case.version) == ("assessed", "high", 2)
    assert (assessment.risk_level, assessment.author) == ("high", world["worker"])


def test_reassessment_keeps_the_status_and_updates_the_risk(world, case):
    walk_to(world, case, "planned")
    assess(world, case, on=days_ago(25), risk="low")
    case.refresh_from_db()
    assert (case.status, case.risk_level) == ("planned", "low")
    assert Assessment.objects.filter(case=case).count() == 2


def test_plan_before_assessment_is_refused(world, case):
    messages = refusal(plan, world=world, case=case)
    assert messages == ["Assess the case before making a plan."]
    assert ServicePlan.objects.count() == 0
    assert status_of(case) == "intake"


def test_plan_moves_assessed_to_planned(world, case):
    assess(world, case)
    plan(world, case)
    case.refresh_from_db()
    assert (case.status, case.review_due_on) == ("planned", days_ago(5))


def test_plan_review_before_plan_date_is_refused(world, case):
    assess(world, case)
    with pytest.raises(ValidationError):
        case_services.case_plan(
            actor=world["worker"],
            case=case,
            planned_on=days_ago(10),
            goals="目标",
            review_due_on=days_ago(11),
        )
    assert status_of(case) == "assessed"


# --- Intervention notes (介入) ----------------------------------------------------------


def test_note_before_assessment_is_refused(world, case):
    messages = refusal(note, world=world, case=case)
    assert messages == ["Make a service plan before recording interventions."]


def test_note_before_plan_is_refused(world, case):
    assess(world, case)
    messages = refusal(note, world=world, case=case)
    assert messages == ["Make a service plan before recording interventions."]
    assert CaseNote.objects.count() == 0
    assert status_of(case) == "assessed"


def test_note_moves_planned_to_in_service_and_records_the_contact(world, case):
    walk_to(world, case, "planned")
    note(world, case, on=days_ago(20))
    case.refresh_from_db()
    assert (case.status, case.last_contact_on) == ("in_service", days_ago(20))


def test_an_older_note_does_not_move_the_last_contact_back(world, case):
    walk_to(world, case, "in_service")
    note(world, case, on=days_ago(25))
    case.refresh_from_db()
    assert case.last_contact_on == days_ago(20)


def test_note_counts_one_person_time_in_the_case_domain(world, case):
    walk_to(world, case, "planned")
    created = note(world, case)
    event = ServiceEvent.objects.get(case_note=created)
    assert (event.person_times, event.domain, event.held_on) == (1, "family", days_ago(20))
    assert list(event.attendances.values_list("resident_id", flat=True)) == [case.client_id]


@pytest.mark.parametrize("service_type", ["preventive", "supportive", "therapeutic"])
def test_general_service_types_for_a_general_client(world, case, service_type):
    walk_to(world, case, "planned")
    assert note(world, case, service_type=service_type).service_type == service_type


@pytest.mark.parametrize("service_type", ["resource_linking", "crisis_intervention"])
def test_priority_service_type_for_a_general_client_is_refused(world, case, service_type):
    walk_to(world, case, "planned")
    messages = refusal(note, world=world, case=case, service_type=service_type)
    assert messages == [
        "This service type is for priority clients; the client is a general client."
    ]
    assert CaseNote.objects.count() == 0


@pytest.mark.parametrize(
    "service_type",
    [
        "resource_linking",
        "emergency_aid",
        "crisis_intervention",
        "stress_relief",
        "emotional_support",
        "support_network",
    ],
)
def test_priority_service_types_for_a_priority_client(world, service_type):
    case = open_case(world, make_resident(world, priority=True))
    walk_to(world, case, "planned")
    assert note(world, case, service_type=service_type).service_type == service_type


def test_general_service_type_for_a_priority_client_is_refused(world):
    case = open_case(world, make_resident(world, priority=True))
    walk_to(world, case, "planned")
    messages = refusal(note, world=world, case=case, service_type="preventive")
    assert messages == [
        "This service type is for general clients; the client is a priority client."
    ]


def test_service_type_follows_the_classification_on_the_note_date(world, resident, case):
    walk_to(world, case, "planned")
    client_services.client_classify(
        actor=world["worker"],
        resident=resident,
        domain="family",
        category="priority",
        priority_kind="hardship_family",
        started_on=days_ago(15),
    )
    assert note(world, case, on=days_ago(20), service_type="supportive")
    assert note(world, case, on=days_ago(10), service_type="emotional_support")
    with pytest.raises(ValidationError):
        note(world, case, on=days_ago(10), service_type="supportive")


def test_note_in_the_future_is_refused(world, case):
    walk_to(world, case, "planned")
    messages = refusal(note, world=world, case=case, on=days_ago(-1))
    assert messages == ["The date cannot be in the future."]
    assert CaseNote.objects.count() == 0


def test_note_before_the_opening_is_refused(world, case):
    walk_to(world, case, "planned")
    messages = refusal(note, world=world, case=case, on=days_ago(OPENED + 1))
    assert messages == ["The date cannot be before the case was opened."]
    assert CaseNote.objects.count() == 0


def test_note_on_the_opening_day_is_accepted(world, case):
    walk_to(world, case, "planned")
    assert note(world, case, on=days_ago(OPENED)).happened_on == days_ago(OPENED)


# --- Review (评估) ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["intake", "assessed", "planned", "reviewed"])
def test_review_only_in_service(world, case, status):
    if status != "intake":
        walk_to(world, case, status)
    messages = refusal(review, world=world, case=case, on=days_ago(1))
    assert messages == ["A case is reviewed after intervention has started."]
    assert status_of(case) == status


def test_review_moves_in_service_to_reviewed(world, case):
    walk_to(world, case, "in_service")
    review(world, case)
    case.refresh_from_db()
    assert (case.status, case.review_due_on) == ("reviewed", days_ago(2))
    assert CaseReview.objects.filter(case=case).count() == 1


def test_note_after_review_returns_to_in_service(world, case):
    walk_to(world, case, "reviewed")
    note(world, case, on=days_ago(1))
    assert status_of(case) == "in_service"


def test_next_review_before_this_one_is_refused(world, case):
    walk_to(world, case, "in_service")
    with pytest.raises(ValidationError) as caught:
        case_services.case_review(
            actor=world["worker"],
            case=case,
            reviewed_on=days_ago(10),
            progress="进展",
            next_review_on=days_ago(11),
        )
    assert list(caught.value.message_dict) == ["next_review_on"]
    assert status_of(case) == "in_service"


# --- Closure (结案) ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["in_service", "reviewed"])
def test_close_after_intervention(world, case, status):
    walk_to(world, case, status)
    close(world, case, "goals_met")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == ("closed", "goals_met", days_ago(3))


@pytest.mark.parametrize("outcome", ["client_withdrew", "moved_away", "deceased"])
@pytest.mark.parametrize("status", ["intake", "assessed", "planned"])
def test_early_close_when_the_client_withdrew_moved_or_died(world, case, status, outcome):
    if status != "intake":
        walk_to(world, case, status)
    close(world, case, outcome)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", outcome)


@pytest.mark.parametrize("outcome", ["goals_met", "partly_met", "not_met"])
def test_early_close_with_another_outcome_is_refused(world, case, outcome):
    messages = refusal(close, world=world, case=case, outcome=outcome)
    assert messages == [
        "A case closes after intervention; before that only if the client withdrew, "
        "moved away or died."
    ]
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == ("intake", "", None)


def test_close_with_an_unknown_outcome_is_refused(world, case):
    walk_to(world, case, "in_service")
    with pytest.raises(ValidationError) as caught:
        close(world, case, "vanished")
    assert list(caught.value.message_dict) == ["outcome"]


def test_close_twice_is_refused(world, case):
    walk_to(world, case, "in_service")
    close(world, case)
    messages = refusal(close, world=world, case=case)
    assert messages == ["The case is already closed."]


def test_close_before_the_opening_is_refused(world, case):
    walk_to(world, case, "in_service")
    messages = refusal(close, world=world, case=case, on=days_ago(OPENED + 1))
    assert messages == ["The date cannot be before the case was opened."]
    assert status_of(case) == "in_service"


def test_note_on_a_closed_case_is_refused(world, case):
    walk_to(world, case, "in_service")
    close(world, case)
    messages = refusal(note, world=world, case=case, on=days_ago(1))
    assert messages == ["A closed case takes no more notes; reopen it first."]
    assert CaseNote.objects.filter(case=case).count() == 1


def test_assessment_and_plan_of_a_closed_case_are_refused(world, case):
    walk_to(world, case, "in_service")
    close(world, case)
    assert refusal(assess, world=world, case=case, on=days_ago(1)) == [
        "A closed case cannot be assessed; reopen it first."
    ]
    assert refusal(plan, world=world, case=case, on=days_ago(1)) == [
        "A closed case cannot get a new plan; reopen it first."
    ]


# --- Reopening ------------------------------------------------------------------------


def test_reopen_returns_to_in_service_when_a_plan_exists(world, case):
    walk_to(world, case, "reviewed")
    close(world, case)
    reopen(world, case)
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == ("in_service", None, "")


def test_reopen_returns_to_assessed_when_only_assessed(world, case):
    assess(world, case)
    close(world, case, "moved_away")
    reopen(world, case)
    assert status_of(case) == "assessed"


def test_reopen_returns_to_intake_when_never_assessed(world, case):
    close(world, case, "client_withdrew")
    reopen(world, case)
    assert status_of(case) == "intake"


def test_reopen_of_an_open_case_is_refused(world, case):
    assert refusal(reopen, world=world, case=case) == ["The case is open already."]


def test_reopen_needs_a_reason(world, case):
    close(world, case, "client_withdrew")
    with pytest.raises(ValidationError) as caught:
        reopen(world, case, reason="  ")
    assert list(caught.value.message_dict) == ["reason"]
    assert status_of(case) == "closed"


# --- Referral (转介) --------------------------------------------------------------------


@pytest.fixture
def sharing_case(world) -> Case:
    case = open_case(world, make_resident(world, "刘洋", sharing=True))
    return walk_to(world, case, "in_service")


def test_referral_to_another_station_keeps_the_case_open(world, sharing_case):
    referral = refer(world, sharing_case, to_station=world.station_b)
    sharing_case.refresh_from_db()
    # The case stays open while the referral runs (referrals.workflow).
    assert (sharing_case.status, sharing_case.closed_on) == ("in_service", None)
    assert (referral.to_station, referral.to_organisation) == (world.station_b, "")


def test_referral_to_an_outside_organisation(world, sharing_case):
    referral = refer(world, sharing_case, to_organisation=" 广州市残疾人康复中心 ")
    assert (referral.to_station, referral.to_organisation) == (None, "广州市残疾人康复中心")
    assert status_of(sharing_case) == "in_service"


def test_a_concluded_referral_closes_the_case_as_referred(world, sharing_case):
    refer(world, sharing_case, to_station=world.station_b)
    case_services.case_referral_concluded(
        actor=world["worker"], case=sharing_case, on=days_ago(1), outcome="needs_met"
    )
    sharing_case.refresh_from_db()
    assert (sharing_case.status, sharing_case.closed_on) == ("referred", days_ago(1))


def test_referral_needs_consent_to_share(world, case):
    walk_to(world, case, "in_service")
    messages = refusal(refer, world=world, case=case, to_station=world.station_b)
    assert messages == ["The client has not consented to sharing with referral partners."]
    assert Referral.objects.count() == 0
    assert status_of(case) == "in_service"


def test_referral_to_both_a_station_and_an_organisation_is_refused(world, sharing_case):
    messages = refusal(
        refer, world=world, case=sharing_case, to_station=world.station_b, to_organisation="某机构"
    )
    assert messages == ["Refer to either a station or an outside organisation."]
    assert Referral.objects.count() == 0


def test_referral_without_a_target_is_refused(world, sharing_case):
    messages = refusal(refer, world=world, case=sharing_case, to_organisation="  ")
    assert messages == ["Refer to either a station or an outside organisation."]
    assert Referral.objects.count() == 0


def test_referral_to_the_own_station_is_refused(world, sharing_case):
    messages = refusal(refer, world=world, case=sharing_case, to_station=world.station_a)
    assert messages == ["A case cannot be referred to its own station."]


def test_referral_at_intake_is_refused(world):
    case = open_case(world, make_resident(world, "刘洋", sharing=True))
    messages = refusal(refer, world=world, case=case, to_station=world.station_b)
    assert messages == ["Only an assessed, open case can be referred."]


def test_referred_case_reopens_in_service(world, sharing_case):
    refer(world, sharing_case, to_station=world.station_b)
    case_services.case_referral_concluded(
        actor=world["worker"], case=sharing_case, on=days_ago(1), outcome="not_met"
    )
    reopen(world, sharing_case, reason="转介未成功")
    sharing_case.refresh_from_db()
    assert (sharing_case.status, sharing_case.closed_on) == ("in_service", None)


# --- Assignment -----------------------------------------------------------------------


@pytest.fixture
def worker2(world):
    return make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)


def test_director_assigns_workers_of_the_station(world, case, worker2):
    case_services.case_assign(actor=world["director"], case=case, workers=[worker2])
    assert list(case.workers.all()) == [worker2]
    assert Case.objects.get(pk=case.pk).version == 2


def test_transferred_case_is_out_of_the_old_workers_hands(world, case, worker2):
    case_services.case_assign(actor=world["director"], case=case, workers=[worker2])
    with pytest.raises(PermissionDenied):
        assess(world, case, actor=world["worker"])
    assess(world, case, actor=worker2)
    assert status_of(case) == "assessed"


def test_worker_cannot_assign(world, case, worker2):
    messages = refusal(
        case_services.case_assign,
        PermissionDenied,
        actor=world["worker"],
        case=case,
        workers=[worker2],
    )
    assert messages == ["Only the station director assigns cases."]
    assert list(case.workers.all()) == [world["worker"]]


@pytest.mark.parametrize("role", ["director_b", "district", "agency", "admin"])
def test_others_cannot_assign(world, case, worker2, role):
    with pytest.raises(PermissionDenied):
        case_services.case_assign(actor=world[role], case=case, workers=[worker2])
    assert list(case.workers.all()) == [world["worker"]]


@pytest.mark.parametrize("role", ["worker_c", "director_b", "district"])
def test_assign_only_station_workers(world, case, role):
    messages = refusal(
        case_services.case_assign, actor=world["director"], case=case, workers=[world[role]]
    )
    assert messages == [f"{world[role]} is not a worker of this station."]
    assert list(case.workers.all()) == [world["worker"]]


def test_assign_a_disabled_account_is_refused(world, case, worker2):
    worker2.is_active = False
    worker2.save()
    messages = refusal(
        case_services.case_assign, actor=world["director"], case=case, workers=[worker2]
    )
    assert messages == [f"{worker2}'s account is disabled."]


def test_assign_nobody_is_refused(world, case):
    messages = refusal(case_services.case_assign, actor=world["director"], case=case, workers=[])
    assert messages == ["Assign at least one worker."]
    assert list(case.workers.all()) == [world["worker"]]


def test_open_with_a_worker_of_another_station_is_refused(world, resident):
    with pytest.raises(ValidationError):
        open_case(world, resident, workers=[world["worker_c"]])
    assert Case.objects.count() == 0


# --- Who may change a case ------------------------------------------------------------


def test_unassigned_worker_cannot_move_the_case(world, case, worker2):
    messages = refusal(assess, PermissionDenied, world=world, case=case, actor=worker2)
    assert messages == ["Only the assigned workers and the station director can do this."]
    assert status_of(case) == "intake"


def test_director_may_move_any_case_of_the_station(world, case):
    assess(world, case, actor=world["director"])
    assert status_of(case) == "assessed"


@pytest.mark.parametrize("role", ["director_b", "worker_c", "district", "agency"])
def test_outsiders_cannot_move_the_case(world, case, role):
    with pytest.raises(PermissionDenied):
        assess(world, case, actor=world[role])
    assert status_of(case) == "intake"


# --- Optimistic locking ---------------------------------------------------------------


def test_stale_version_is_a_conflict_and_changes_nothing(world, case):
    assess(world, case, version=1)  # now version 2
    with pytest.raises(EditConflict) as caught:
        plan(world, case, version=1)
    assert caught.value.code == "conflict"
    case.refresh_from_db()
    assert (case.status, case.version, case.review_due_on) == ("assessed", 2, None)
    assert ServicePlan.objects.count() == 0
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_stale_version_on_a_note_saves_no_note(world, case):
    walk_to(world, case, "planned")  # version 3
    with pytest.raises(EditConflict):
        note(world, case, version=2)
    assert CaseNote.objects.count() == 0
    assert ServiceEvent.objects.count() == 0
    assert status_of(case) == "planned"


def test_stale_version_on_close_leaves_the_case_open(world, case):
    walk_to(world, case, "in_service")  # version 4
    with pytest.raises(EditConflict):
        close(world, case, version=3)
    assert status_of(case) == "in_service"


def test_stale_version_on_assign_keeps_the_workers(world, case, worker2):
    assess(world, case)
    with pytest.raises(EditConflict):
        case_services.case_assign(actor=world["director"], case=case, workers=[worker2], version=1)
    assert list(case.workers.all()) == [world["worker"]]


def test_current_version_is_accepted_and_incremented(world, case):
    assess(world, case, version=1)
    plan(world, case, version=2)
    note(world, case, version=3)
    assert Case.objects.get(pk=case.pk).version == 4


# --- History --------------------------------------------------------------------------


def _assess(world, case):
    assess(world, case)


def _plan(world, case):
    walk_to(world, case, "assessed")
    plan(world, case)


def _note(world, case):
    walk_to(world, case, "planned")
    note(world, case)


def _review(world, case):
    walk_to(world, case, "in_service")
    review(world, case)


def _close(world, case):
    walk_to(world, case, "in_service")
    close(world, case)


def _reopen(world, case):
    close(world, case, "client_withdrew")
    reopen(world, case)


def _refer(world, case):
    client_services.consent_record(
        actor=world["worker"],
        resident=case.client,
        recorded_on=days_ago(40),
        covers_referral_sharing=True,
    )
    walk_to(world, case, "assessed")
    refer(world, case, to_organisation="某康复机构")


def _assign(world, case):
    worker2 = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    case_services.case_assign(actor=world["director"], case=case, workers=[worker2])


@pytest.mark.parametrize(
    ("prepare_and_act", "action", "actor"),
    [
        (_assess, "assessed", "worker"),
        (_plan, "planned", "worker"),
        (_note, "note_added", "worker"),
        (_review, "reviewed", "worker"),
        (_close, "closed", "worker"),
        (_reopen, "reopened", "worker"),
        (_refer, "referred", "worker"),
        (_assign, "assigned", "director"),
    ],
)
def test_every_transition_writes_one_event_with_the_actor(
    world, case, prepare_and_act, action, actor
):
    prepare_and_act(world, case)
    last = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert (last.action, last.actor) == (action, world[actor])
    assert CaseEvent.objects.filter(case=case, action=action).count() == 1


def test_opening_writes_one_event(world, case):
    events = list(CaseEvent.objects.filter(case=case))
    assert [(e.action, e.actor, e.detail) for e in events] == [
        ("opened", world["director"], {"workers": [world["worker"].pk]})
    ]


def test_a_full_walk_writes_one_event_per_step(world, case):
    walk_to(world, case, "reviewed")
    close(world, case)
    actions = list(
        CaseEvent.objects.filter(case=case).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["opened", "assessed", "planned", "note_added", "reviewed", "closed"]


def test_a_refused_step_writes_no_event(world, case):
    with pytest.raises(ValidationError):
        plan(world, case)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_assignment_event_records_before_and_after(world, case, worker2):
    case_services.case_assign(
        actor=world["director"], case=case, workers=[worker2, world["worker"]]
    )
    event = CaseEvent.objects.get(case=case, action="assigned")
    assert event.detail == {
        "before": [world["worker"].pk],
        "after": [worker2.pk, world["worker"].pk],
    }


# --- Confidentiality ------------------------------------------------------------------


READERS = {
    "worker": True,  # assigned
    "director": True,
    "worker2": False,  # a worker of the station, not assigned
    "agency": False,
    "district": False,
    "city": False,
    "admin": False,
    "evaluator": False,
    "director_b": False,
    "worker_c": False,
}


@pytest.fixture
def priority_case(world) -> Case:
    case = open_case(world, make_resident(world, "黄桂芳", priority=True))
    walk_to(world, case, "planned")
    note(world, case, service_type="emotional_support")
    return case


@pytest.mark.parametrize(("role", "allowed"), READERS.items())
def test_who_may_work_on_the_case_file(world, priority_case, worker2, role, allowed):
    """The case scope's WORK: the assigned workers and the station director,
    asked of one case or marked on a list of cases in the same query."""
    person = world.people.get(role, worker2)
    assert can(person, WORK, priority_case) is allowed
    marked = selectors.with_work(Case.objects.filter(pk=priority_case.pk), person).get()
    assert selectors.may_work(person, marked) is allowed


def test_work_refuses_an_insider_with_403_and_an_outsider_with_404(world, priority_case, worker2):
    require(world["worker"], WORK, priority_case)
    require(world["director"], WORK, priority_case)
    for insider in (worker2, world["district"], world["admin"]):
        with pytest.raises(PermissionDenied):
            require(insider, WORK, priority_case)
    for outsider in (world["director_b"], world["worker_c"], world["evaluator"]):
        with pytest.raises(Http404):
            require(outsider, WORK, priority_case)


@pytest.mark.parametrize(("role", "allowed"), READERS.items())
def test_only_assigned_worker_and_director_get_the_case_file(
    world, priority_case, worker2, role, allowed
):
    case_file = selectors.case_file_open(world.people.get(role, worker2), priority_case)
    assert (case_file is not None) is allowed


def test_case_file_holds_the_case_content(world, priority_case):
    case_file = selectors.case_file_open(world["worker"], priority_case)
    assert case_file.case == priority_case
    assert (
        len(case_file.assessments),
        len(case_file.plans),
        len(case_file.notes),
        len(case_file.reviews),
        len(case_file.referrals),
        len(case_file.events),
    ) == (1, 1, 1, 0, 0, 4)


def test_reading_a_priority_clients_file_is_logged_once(world, priority_case):
    selectors.case_file_open(world["worker"], priority_case, ip="10.0.0.8")
    entry = AccessLog.objects.get()
    assert (
        entry.user,
        entry.role,
        entry.action,
        entry.station,
        entry.object_type,
        entry.object_id,
        entry.object_label,
        entry.ip,
    ) == (
        world["worker"],
        "social_worker",
        "read_case_file",
        world.station_a,
        "case",
        priority_case.pk,
        priority_case.number,
        "10.0.0.8",
    )


def test_every_read_of_a_priority_file_is_logged(world, priority_case):
    selectors.case_file_open(world["worker"], priority_case)
    selectors.case_file_open(world["director"], priority_case)
    selectors.case_file_open(world["worker"], priority_case)
    assert AccessLog.objects.count() == 3
    assert AccessLog.objects.filter(user=world["director"]).count() == 1


def test_reading_a_general_clients_file_is_not_logged(world, case):
    walk_to(world, case, "in_service")
    assert selectors.case_file_open(world["worker"], case) is not None
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("role", ["worker2", "district", "city", "agency", "admin"])
def test_a_refused_read_is_not_logged(world, priority_case, worker2, role):
    assert selectors.case_file_open(world.people.get(role, worker2), priority_case) is None
    assert AccessLog.objects.count() == 0


def test_officials_see_that_the_case_exists(world, priority_case):
    for role in ("district", "city", "agency"):
        assert Case.objects.visible_to(world[role]).filter(pk=priority_case.pk).exists()
    for role in ("district", "city", "agency", "admin"):
        assert not Assessment.objects.visible_to(world[role]).exists()
        assert not CaseNote.objects.visible_to(world[role]).exists()


def test_case_cannot_close_before_its_last_intervention(world):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from shegong.cases import services as case_services
    from shegong.clients import services as client_services

    worker = world["worker"]
    resident = client_services.resident_register(
        actor=worker,
        station=world.station_a,
        name="周婆",
        gender="female",
        birth_date=dt.date(1944, 2, 2),
    )
    client_services.consent_record(actor=worker, resident=resident, recorded_on=dt.date(2026, 1, 5))
    case = case_services.case_open(
        actor=worker,
        client=resident,
        domain="elderly",
        source="walk_in",
        opened_on=dt.date(2026, 1, 5),
    )
    case_services.case_assess(
        actor=worker, case=case, assessed_on=dt.date(2026, 1, 6), needs="探访", risk_level="low"
    )
    case_services.case_plan(
        actor=worker,
        case=case,
        planned_on=dt.date(2026, 1, 7),
        goals="陪伴",
        review_due_on=dt.date(2026, 3, 1),
    )
    case_services.case_note_add(
        actor=worker,
        case=case,
        happened_on=dt.date(2026, 2, 10),
        service_type="supportive",
        method="phone",
        text="电话",
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        case_services.case_close(
            actor=worker, case=case, closed_on=dt.date(2026, 2, 1), outcome="goals_met"
        )
    assert error.value.message_dict == {
        "closed_on": ["A case cannot close before its last intervention (2026-02-10)."]
    }
    case.refresh_from_db()
    assert case.status == "in_service"


def make_resident(world, name="陈秀英", *, priority=False, sharing=False, classify=True):
    return register_resident(
        world,
        name,
        consented=60,
        sharing=sharing,
        classify="family" if classify else None,
        priority=priority,
    )


def open_case(world, resident, **options) -> Case:
    """A family case opened OPENED days ago (unless `opened_on` says otherwise)."""
    return _open_case(
        world, resident, opened_on=options.pop("opened_on", None) or days_ago(OPENED), **options
    )
