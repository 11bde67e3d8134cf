"""The early-warning rules (cases.alerts): each rule firing and not firing at its
threshold, station-configured and disabled rules, de-duplication by episode,
acknowledging and resolving, the `alerts` command and who sees an alert.

Rules are evaluated with explicit `today=` days; every date written through the
services is today or earlier."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from shegong.cases import alerts
from shegong.cases import services as case_services
from shegong.cases.models import Alert, AlertRule, Case
from shegong.community.models import MealEnrolment, MealRecord
from shegong.core.roles import Role
from tests.conftest import make_user
from tests.helpers import day, refusal, register_resident
from tests.helpers import open_case as _open_case

HIGH_RISK = "high_risk_no_contact"
CRISIS = "crisis_flag"
MEAL = "meal_absence"
REVIEW = "plan_review_overdue"


T = 0  # today, as an offset


def assess(world, case, on, risk, actor=None):
    case_services.case_assess(
        actor=actor or world["worker"],
        case=case,
        assessed_on=day(on),
        needs="独居，行动不便",
        risk_level=risk,
    )


def plan(world, case, on, review_due):
    case_services.case_plan(
        actor=world["worker"],
        case=case,
        planned_on=day(on),
        goals="建立支持网络",
        review_due_on=day(review_due),
    )


def note(world, case, on):
    case_services.case_note_add(
        actor=world["worker"],
        case=case,
        happened_on=day(on),
        service_type="supportive",
        method="phone",
        text="电话跟进",
    )


def evaluate(case, at: int) -> list[Alert]:
    case.refresh_from_db()
    return alerts.evaluate_case(case, today=day(at))


def kinds(raised) -> list[str]:
    return sorted(a.kind for a in raised)


@pytest.fixture
def high_risk(world) -> Case:
    """A high-risk case opened and assessed today, no contact since."""
    case = open_case(world, resident(world), T)
    assess(world, case, T, "high")
    return case


# --- High-risk case without contact ---------------------------------------------------


def test_high_risk_case_without_contact_fires_after_14_days(high_risk):
    assert evaluate(high_risk, 13) == []
    [alert] = evaluate(high_risk, 14)
    assert (alert.kind, alert.case, alert.resident_id) == (
        HIGH_RISK,
        high_risk,
        high_risk.client_id,
    )
    assert alert.detail == {"case": high_risk.number, "days": 14, "since": day(T).isoformat()}
    assert alert.subject == f"case:{high_risk.pk}:{day(T).isoformat()}"
    assert alert.status == "open"


def test_high_risk_alert_goes_to_the_assigned_worker(world, high_risk):
    [alert] = evaluate(high_risk, 14)
    assert (alert.assigned_to, alert.station) == (world["worker"], world.station_a)


def test_high_risk_silence_counts_from_the_last_contact(world):
    case = open_case(world, resident(world), -10)
    assess(world, case, -10, "low")
    plan(world, case, -10, 30)
    note(world, case, -5)
    assess(world, case, -5, "crisis")
    assert Alert.objects.count() == 0
    assert evaluate(case, 8) == []
    [alert] = evaluate(case, 9)
    assert alert.detail == {"case": case.number, "days": 14, "since": day(-5).isoformat()}


def test_high_risk_fires_on_the_assessment_when_silence_is_already_long(world):
    case = open_case(world, resident(world), -20)
    assess(world, case, -20, "high")
    alert = Alert.objects.get()
    assert (alert.kind, alert.detail["days"]) == (HIGH_RISK, 20)


@pytest.mark.parametrize("risk", ["low", "medium"])
def test_case_that_is_not_high_risk_does_not_fire(world, risk):
    case = open_case(world, resident(world), -60)
    assess(world, case, -60, risk)
    assert evaluate(case, 0) == []
    assert Alert.objects.count() == 0


def test_closed_high_risk_case_does_not_fire(world, high_risk):
    case_services.case_close(
        actor=world["worker"], case=high_risk, closed_on=day(T), outcome="moved_away"
    )
    assert evaluate(high_risk, 100) == []


# --- Crisis flag ----------------------------------------------------------------------


def observe(world, person, crisis, on=-1, actor=None):
    return case_services.observation_record(
        actor=actor or world["worker"],
        resident=person,
        observed_on=day(on),
        source="canteen",
        text="情绪低落，说不想活了" if crisis else "胃口不错",
        crisis=crisis,
    )


def test_crisis_observation_raises_an_alert_at_once(world):
    person = resident(world)
    observation = observe(world, person, crisis=True)
    alert = Alert.objects.get()
    assert (alert.kind, alert.observation, alert.resident, alert.case) == (
        CRISIS,
        observation,
        person,
        None,
    )
    assert alert.subject == f"observation:{observation.pk}"
    assert alert.detail == {"date": day(-1).isoformat()}
    assert alert.assigned_to == world["worker"]


def test_crisis_alert_goes_to_the_worker_of_the_open_case(world):
    worker2 = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    person = resident(world)
    case = open_case(world, person, -10, workers=[worker2])
    observe(world, person, crisis=True, actor=world["worker"])
    alert = Alert.objects.get()
    assert (alert.case, alert.assigned_to) == (case, worker2)


def test_non_crisis_observation_raises_nothing(world):
    observe(world, resident(world), crisis=False)
    assert Alert.objects.count() == 0
    assert alerts.run_all(today=day(T)) == {}
    assert Alert.objects.count() == 0


def test_crisis_rule_disabled_raises_nothing(world):
    case_services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind=CRISIS,
        threshold_days=0,
        enabled=False,
    )
    observe(world, resident(world), crisis=True)
    assert Alert.objects.count() == 0


def test_each_crisis_observation_is_its_own_alert(world):
    person = resident(world)
    observe(world, person, crisis=True, on=-2)
    observe(world, person, crisis=True, on=-1)
    assert Alert.objects.filter(kind=CRISIS).count() == 2


# --- Meal programme absence -----------------------------------------------------------


@pytest.fixture
def canteen(world):
    """Elder 甲 and companion 乙 enrolled 30 days ago; 甲 last ate 5 days ago."""
    elder = resident(world, "甲")
    companion = resident(world, "乙")
    for person in (elder, companion):
        MealEnrolment.objects.create(station=world.station_a, resident=person, started_on=day(-30))
    meal(world, elder, -5)
    meal(world, companion, -5)
    return elder, companion


def meal(world, person, on):
    MealRecord.objects.create(
        station=world.station_a, resident=person, served_on=day(on), recorded_by=world["worker"]
    )


def meal_alerts(world, at=T):
    return alerts.evaluate_meal_absence(world.station_a.pk, today=day(at))


def test_elder_absent_the_last_three_service_days_fires(world, canteen):
    elder, companion = canteen
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    [alert] = meal_alerts(world)
    assert (alert.kind, alert.resident, alert.case) == (MEAL, elder, None)
    assert alert.detail == {"days": 3, "last_seen": day(-5).isoformat()}
    assert alert.subject == f"meal:{elder.pk}:{day(-5).isoformat()}"


def test_elder_present_on_one_of_the_last_three_service_days_does_not_fire(world, canteen):
    elder, companion = canteen
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    meal(world, elder, -3)
    assert meal_alerts(world) == []


def test_absence_on_two_service_days_does_not_fire(world, canteen):
    elder, companion = canteen
    for offset in (-2, -1):
        meal(world, companion, offset)
    # Service days: -5 (elder present), -2, -1.
    assert meal_alerts(world) == []


def test_fewer_service_days_than_the_threshold_does_not_fire(world):
    elder = resident(world, "甲")
    companion = resident(world, "乙")
    MealEnrolment.objects.create(station=world.station_a, resident=elder, started_on=day(-30))
    for offset in (-2, -1):
        meal(world, companion, offset)
    assert meal_alerts(world) == []


def test_days_without_service_do_not_count(world, canteen):
    elder, companion = canteen
    # The canteen served only on -4 and -1 since -5: two absences, not five.
    for offset in (-4, -1):
        meal(world, companion, offset)
    assert meal_alerts(world) == []


def test_elder_who_never_ate_fires_with_never(world, canteen):
    elder, companion = canteen
    newcomer = resident(world, "丙")
    MealEnrolment.objects.create(station=world.station_a, resident=newcomer, started_on=day(-10))
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    raised = {a.resident: a for a in meal_alerts(world)}
    assert sorted(r.name for r in raised) == ["丙", "甲"]
    assert raised[newcomer].subject == f"meal:{newcomer.pk}:never"
    assert raised[newcomer].detail == {"days": 3, "last_seen": None}


def test_elder_enrolled_within_the_window_does_not_fire(world, canteen):
    elder, companion = canteen
    late = resident(world, "丁")
    MealEnrolment.objects.create(station=world.station_a, resident=late, started_on=day(-2))
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    assert [a.resident for a in meal_alerts(world)] == [elder]


def test_elder_whose_enrolment_ended_does_not_fire(world, canteen):
    elder, companion = canteen
    MealEnrolment.objects.filter(resident=elder).update(ended_on=day(-4))
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    assert meal_alerts(world) == []


def test_resident_not_enrolled_does_not_fire(world, canteen):
    elder, companion = canteen
    MealEnrolment.objects.filter(resident=elder).delete()
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    assert meal_alerts(world) == []


def test_meal_alert_goes_to_the_worker_of_the_elders_open_case(world, canteen):
    elder, companion = canteen
    case = open_case(world, elder, -20)
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    [alert] = meal_alerts(world)
    assert (alert.case, alert.assigned_to) == (case, world["worker"])


def test_meal_service_days_after_the_evaluation_day_are_ignored(world, canteen):
    elder, companion = canteen
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    meal(world, elder, T)
    # As of yesterday the elder had missed three service days; as of today, not.
    assert meal_alerts(world, at=T) == []
    assert [a.resident for a in meal_alerts(world, at=-1)] == [elder]


def test_meal_threshold_configured_by_the_station(world, canteen):
    elder, companion = canteen
    case_services.alert_rule_set(
        actor=world["director"], station=world.station_a, kind=MEAL, threshold_days=2, enabled=True
    )
    for offset in (-2, -1):
        meal(world, companion, offset)
    [alert] = meal_alerts(world)
    assert alert.detail["days"] == 2


def test_meal_rule_at_zero_days_is_off(world, canteen):
    elder, companion = canteen
    case_services.alert_rule_set(
        actor=world["director"], station=world.station_a, kind=MEAL, threshold_days=0, enabled=True
    )
    for offset in (-3, -2, -1):
        meal(world, companion, offset)
    assert meal_alerts(world) == []


# --- Plan review overdue --------------------------------------------------------------


@pytest.fixture
def planned(world) -> Case:
    """A medium-risk case whose plan review was due 5 days ago."""
    case = open_case(world, resident(world), -30)
    assess(world, case, -30, "medium")
    plan(world, case, -20, -5)
    return case


def test_plan_review_overdue_fires_the_day_after_it_was_due(planned):
    assert evaluate(planned, -5) == []
    [alert] = evaluate(planned, -4)
    assert (alert.kind, alert.case) == (REVIEW, planned)
    assert alert.detail == {"case": planned.number, "date": day(-5).isoformat()}
    assert alert.subject == f"review:{planned.pk}:{day(-5).isoformat()}"


def test_review_done_moves_the_due_date(world, planned):
    note(world, planned, -10)
    case_services.case_review(
        actor=world["worker"],
        case=planned,
        reviewed_on=day(-6),
        progress="按计划推进",
        next_review_on=day(20),
    )
    assert evaluate(planned, 20) == []
    assert kinds(evaluate(planned, 21)) == [REVIEW]


def test_review_without_a_next_date_stops_the_rule(world, planned):
    note(world, planned, -10)
    case_services.case_review(
        actor=world["worker"], case=planned, reviewed_on=day(-6), progress="目标已达成"
    )
    assert evaluate(planned, 100) == []


def test_closed_case_review_does_not_fire(world, planned):
    case_services.case_close(
        actor=world["worker"], case=planned, closed_on=day(-6), outcome="client_withdrew"
    )
    assert evaluate(planned, 0) == []


# --- Station rules --------------------------------------------------------------------


def test_station_threshold_replaces_the_default(world, high_risk):
    case_services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind=HIGH_RISK,
        threshold_days=7,
        enabled=True,
    )
    assert evaluate(high_risk, 6) == []
    assert kinds(evaluate(high_risk, 7)) == [HIGH_RISK]


def test_review_grace_days_configured_by_the_station(world, planned):
    case_services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind=REVIEW,
        threshold_days=3,
        enabled=True,
    )
    assert evaluate(planned, -2) == []
    assert kinds(evaluate(planned, -1)) == [REVIEW]


def test_another_stations_rule_does_not_apply(world, high_risk):
    case_services.alert_rule_set(
        actor=world["director_b"],
        station=world.station_b,
        kind=HIGH_RISK,
        threshold_days=1,
        enabled=True,
    )
    assert evaluate(high_risk, 13) == []


@pytest.mark.parametrize("kind", [HIGH_RISK, REVIEW])
def test_disabled_rule_never_fires(world, high_risk, kind):
    plan(world, high_risk, T, T)
    case_services.alert_rule_set(
        actor=world["director"], station=world.station_a, kind=kind, threshold_days=0, enabled=False
    )
    raised = kinds(evaluate(high_risk, 365))
    assert kind not in raised
    assert len(raised) == 1


def test_setting_a_rule_twice_updates_one_row(world):
    for days, enabled in ((7, True), (10, False)):
        case_services.alert_rule_set(
            actor=world["director"],
            station=world.station_a,
            kind=HIGH_RISK,
            threshold_days=days,
            enabled=enabled,
        )
    rule = AlertRule.objects.get()
    assert (rule.threshold_days, rule.enabled) == (10, False)


def test_worker_cannot_configure_rules(world):
    messages = refusal(
        case_services.alert_rule_set,
        PermissionDenied,
        actor=world["worker"],
        station=world.station_a,
        kind=HIGH_RISK,
        threshold_days=7,
        enabled=True,
    )
    assert messages == ["Only the station director configures alert rules."]
    assert AlertRule.objects.count() == 0


@pytest.mark.parametrize("role", ["director_b", "district", "agency"])
def test_others_cannot_configure_station_a_rules(world, role):
    with pytest.raises(PermissionDenied):
        case_services.alert_rule_set(
            actor=world[role],
            station=world.station_a,
            kind=HIGH_RISK,
            threshold_days=7,
            enabled=True,
        )
    assert AlertRule.objects.count() == 0


def test_unknown_rule_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        case_services.alert_rule_set(
            actor=world["director"],
            station=world.station_a,
            kind="full_moon",
            threshold_days=1,
            enabled=True,
        )
    assert list(caught.value.message_dict) == ["kind"]


# --- De-duplication -------------------------------------------------------------------


def test_running_twice_raises_nothing_new(world, high_risk):
    plan(world, high_risk, T, T)
    first = alerts.run_all(today=day(14))
    assert dict(first) == {HIGH_RISK: 1, REVIEW: 1}
    assert alerts.run_all(today=day(14)) == {}
    assert alerts.run_all(today=day(30)) == {}
    assert Alert.objects.count() == 2


def test_resolved_episode_is_not_raised_again(world, high_risk):
    [alert] = evaluate(high_risk, 14)
    case_services.alert_resolve(actor=world["worker"], alert=alert, note="已电话联系家属")
    assert alerts.run_all(today=day(15)) == {}
    assert evaluate(high_risk, 40) == []
    assert Alert.objects.count() == 1


def test_new_contact_then_silence_is_a_new_episode(world):
    case = open_case(world, resident(world), -30)
    assess(world, case, -30, "high")  # raises the first episode at once
    first = Alert.objects.get()
    case_services.alert_resolve(actor=world["worker"], alert=first, note="已上门")
    plan(world, case, -30, 60)
    note(world, case, -5)
    assert alerts.run_all(today=day(T)) == {}
    assert alerts.run_all(today=day(8)) == {}
    assert dict(alerts.run_all(today=day(9))) == {HIGH_RISK: 1}
    second = Alert.objects.exclude(pk=first.pk).get()
    assert second.detail["since"] == day(-5).isoformat()
    assert second.status == "open"


def test_crisis_observation_is_not_raised_again_by_the_periodic_run(world):
    observe(world, resident(world), crisis=True)
    assert alerts.run_all(today=day(T)) == {}
    assert Alert.objects.count() == 1


def test_periodic_run_catches_a_crisis_missed_while_the_rule_was_off(world):
    rule = case_services.alert_rule_set(
        actor=world["director"],
        station=world.station_a,
        kind=CRISIS,
        threshold_days=0,
        enabled=False,
    )
    observe(world, resident(world), crisis=True)
    rule.enabled = True
    rule.save()
    assert dict(alerts.run_all(today=day(T))) == {CRISIS: 1}


def test_meal_absence_is_raised_once_per_streak(world):
    elder, companion = resident(world, "甲"), resident(world, "乙")
    for person in (elder, companion):
        MealEnrolment.objects.create(station=world.station_a, resident=person, started_on=day(-30))
    meal(world, elder, -10)
    for offset in (-9, -8, -7):
        meal(world, companion, offset)
    [first] = meal_alerts(world, at=-7)
    assert meal_alerts(world, at=-7) == []
    case_services.alert_resolve(actor=world["director"], alert=first, note="已探访，身体不适")
    assert meal_alerts(world, at=-7) == []
    # Back at the canteen, then absent again: a new streak, a new alert.
    meal(world, elder, -6)
    for offset in (-6, -5, -4, -3):
        meal(world, companion, offset)
    assert meal_alerts(world, at=-4) == []
    [second] = meal_alerts(world, at=-3)
    assert second.subject == f"meal:{elder.pk}:{day(-6).isoformat()}"
    assert Alert.objects.filter(kind=MEAL).count() == 2


def test_meal_streak_evaluated_for_a_past_day_ignores_later_meals(world, canteen):
    """Run for a past day (`alerts --date`), the streak is named by the last meal
    before that day, so a later streak is not mistaken for the same one."""
    elder, companion = canteen  # elder ate on -5
    meal(world, elder, -10)
    for offset in (-9, -8, -7, -4, -3, -2):
        meal(world, companion, offset)
    [earlier] = meal_alerts(world, at=-7)
    assert earlier.detail["last_seen"] == day(-10).isoformat()
    [later] = meal_alerts(world, at=-2)
    assert later.detail["last_seen"] == day(-5).isoformat()
    assert Alert.objects.filter(kind=MEAL).count() == 2


# --- Acknowledge and resolve ----------------------------------------------------------


@pytest.fixture
def alert(high_risk) -> Alert:
    [raised] = evaluate(high_risk, 14)
    return raised


def test_acknowledge(world, alert):
    case_services.alert_acknowledge(actor=world["worker"], alert=alert)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", world["worker"])
    assert alert.acknowledged_at is not None
    assert alert.resolved_at is None


def test_acknowledge_twice_is_refused(world, alert):
    case_services.alert_acknowledge(actor=world["worker"], alert=alert)
    messages = refusal(case_services.alert_acknowledge, actor=world["director"], alert=alert)
    assert messages == ["Only an open alert can be acknowledged."]
    alert.refresh_from_db()
    assert alert.acknowledged_by == world["worker"]


def test_resolve_needs_a_note(world, alert):
    messages = refusal(case_services.alert_resolve, actor=world["worker"], alert=alert, note="  ")
    assert messages == ["Say what was done about the alert."]
    alert.refresh_from_db()
    assert (alert.status, alert.resolution_note) == ("open", "")


def test_resolve_records_who_when_and_what(world, alert):
    case_services.alert_resolve(actor=world["director"], alert=alert, note=" 已上门探访，安排送餐 ")
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by, alert.resolution_note) == (
        "resolved",
        world["director"],
        "已上门探访，安排送餐",
    )
    # Resolving an open alert also acknowledges it.
    assert alert.acknowledged_by == world["director"]
    assert alert.acknowledged_at == alert.resolved_at


def test_resolve_after_acknowledge_keeps_the_acknowledgement(world, alert):
    case_services.alert_acknowledge(actor=world["worker"], alert=alert)
    case_services.alert_resolve(actor=world["director"], alert=alert, note="已处理")
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.resolved_by) == (world["worker"], world["director"])


def test_resolve_twice_is_refused(world, alert):
    case_services.alert_resolve(actor=world["worker"], alert=alert, note="已处理")
    messages = refusal(
        case_services.alert_resolve, actor=world["director"], alert=alert, note="再处理"
    )
    assert messages == ["The alert is resolved already."]
    alert.refresh_from_db()
    assert (alert.resolved_by, alert.resolution_note) == (world["worker"], "已处理")


@pytest.mark.parametrize("role", ["worker2", "district", "director_b", "agency"])
def test_others_cannot_handle_the_alert(world, alert, role):
    actor = world.people.get(role) or make_user(role, Role.SOCIAL_WORKER, station=world.station_a)
    with pytest.raises(PermissionDenied):
        case_services.alert_acknowledge(actor=actor, alert=alert)
    with pytest.raises(PermissionDenied):
        case_services.alert_resolve(actor=actor, alert=alert, note="不是我的")
    alert.refresh_from_db()
    assert alert.status == "open"


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
@pytest.mark.parametrize("form", [{}, {"note": "已处理"}], ids=["empty", "with a note"])
def test_the_superuser_reads_the_alert_but_its_pages_refuse_handling_it(
    world, alert, login, action, form
):
    """A superuser sees the station's alerts but is not station staff: the web
    page answers 403 whatever the form, as every refused write, not a redirect."""
    response = login(world["admin"]).post(f"/cases/alerts/{alert.pk}/{action}/", form)
    assert response.status_code == 403
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.resolved_by) == ("open", None, None)


def test_the_worker_resolving_without_a_note_is_sent_back_with_the_message(world, alert, login):
    """The control: staff who may resolve the alert are told what is missing."""
    response = login(world["worker"]).post(f"/cases/alerts/{alert.pk}/resolve/", {}, follow=True)
    assert response.redirect_chain == [("/cases/alerts/", 302)]
    # Django's own "This field is required." in the default language.
    assert [str(m) for m in response.context["messages"]] == ["该字段是必填项。"]
    alert.refresh_from_db()
    assert alert.status == "open"


# --- The `alerts` command -------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command("alerts", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_counts(world, high_risk):
    plan(world, high_risk, T, T)
    output = run_command("--date", day(14).isoformat())
    assert output == (
        "Raised 2 new alert(s).\n  high_risk_no_contact: 1\n  plan_review_overdue: 1\n"
    )
    assert Alert.objects.count() == 2


def test_command_run_again_raises_nothing(world, high_risk):
    run_command("--date", day(14).isoformat())
    assert run_command("--date", day(14).isoformat()) == "Raised 0 new alert(s).\n"


def test_command_before_the_threshold_raises_nothing(world, high_risk):
    assert run_command("--date", day(13).isoformat()) == "Raised 0 new alert(s).\n"
    assert Alert.objects.count() == 0


def test_command_for_one_station(world, high_risk):
    date = day(14).isoformat()
    assert run_command("--date", date, "--station", world.station_b.code) == (
        "Raised 0 new alert(s).\n"
    )
    assert run_command("--date", date, "--station", world.station_a.code) == (
        "Raised 1 new alert(s).\n  high_risk_no_contact: 1\n"
    )


def test_command_refuses_a_bad_date(world):
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        run_command("--date", "2026-02-30")


def test_command_refuses_an_unknown_station(world):
    with pytest.raises(CommandError, match="no station with code 'nowhere'"):
        run_command("--station", "nowhere")


# --- Who sees an alert ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("worker", True),  # assigned
        ("director", True),
        ("worker2", False),  # another worker of the station
        ("district", False),
        ("city", False),
        ("agency", False),
        ("director_b", False),
        ("worker_c", False),
    ],
)
def test_alert_visibility(world, alert, role, sees):
    user = world.people.get(role) or make_user(role, Role.SOCIAL_WORKER, station=world.station_a)
    assert Alert.objects.visible_to(user).filter(pk=alert.pk).exists() is sees


def test_worker_sees_alerts_of_cases_assigned_after_raising(world, high_risk):
    worker2 = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    [raised] = evaluate(high_risk, 14)
    case_services.case_assign(actor=world["director"], case=high_risk, workers=[worker2])
    raised.refresh_from_db()
    assert raised.assigned_to == worker2
    assert Alert.objects.visible_to(worker2).filter(pk=raised.pk).exists()
    assert not Alert.objects.visible_to(world["worker"]).filter(pk=raised.pk).exists()


def test_crisis_alert_without_case_is_seen_by_its_worker_and_the_director(world):
    worker2 = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    observe(world, resident(world), crisis=True)
    alert = Alert.objects.get()
    assert Alert.objects.visible_to(world["worker"]).filter(pk=alert.pk).exists()
    assert Alert.objects.visible_to(world["director"]).filter(pk=alert.pk).exists()
    assert not Alert.objects.visible_to(worker2).filter(pk=alert.pk).exists()


def test_alert_text_in_english(world, alert):
    with translation.override("en"):
        assert alert.text == f"High-risk case {alert.case.number}: no contact for 14 days."


def test_the_alert_list_offers_handling_to_the_station_staff_only(world, alert, login):
    for person, offered in (("admin", False), ("worker", True), ("director", True)):
        page = login(world[person]).get("/cases/alerts/")
        assert page.status_code == 200
        html = page.content.decode()
        assert (f"/cases/alerts/{alert.pk}/resolve/" in html) is offered, person


def resident(world, name="陈秀英", station=None, actor=None):
    """An elder of station A (born 1940), consent given 90 days ago."""
    return register_resident(
        world, name, station=station, actor=actor, born=datetime.date(1940, 5, 1), consented=90
    )


def open_case(world, person, opened, workers=None, actor=None) -> Case:
    """An elderly case found by outreach, opened `opened` days from today."""
    return _open_case(
        world,
        person,
        actor=actor,
        workers=workers,
        domain="elderly",
        source="outreach",
        opened_on=day(opened),
    )
