"""The early-warning rule engine (苗头性问题预警).

Rules run on each relevant write (a crisis observation, an assessment, a meal roll
call) and from the periodic command `shegong alerts`, which a scheduler calls
daily. Each alert names the episode it is about in `subject` (the case and its
last contact, the observation, the absence streak); the database keeps one alert
per (kind, subject), so the same condition never raises duplicates and a resolved
alert is not raised again until a new episode starts.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from shegong.cases.models import (
    DEFAULT_THRESHOLDS,
    OPEN_STATUSES,
    Alert,
    AlertKind,
    AlertRule,
    Case,
    Observation,
    RiskLevel,
    keeps_own_caseload,
)
from shegong.org.models import Station

HIGH_RISK = (RiskLevel.HIGH, RiskLevel.CRISIS)
# How far back the periodic run looks for crisis observations that missed an alert.
CRISIS_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class RuleSetting:
    kind: str
    threshold_days: int
    enabled: bool


def rule_settings(station_id: int) -> dict[str, RuleSetting]:
    settings = {kind: RuleSetting(kind, days, True) for kind, days in DEFAULT_THRESHOLDS.items()}
    for rule in AlertRule.objects.filter(station_id=station_id):
        settings[rule.kind] = RuleSetting(rule.kind, rule.threshold_days, rule.enabled)
    return settings


def _raise(
    *,
    kind: str,
    subject: str,
    station_id: int,
    resident_id: int,
    detail: dict,
    case: Case | None = None,
    observation: Observation | None = None,
    assigned_to_id: int | None = None,
) -> Alert | None:
    """Create the alert unless this episode already has one. Safe against a
    concurrent run: the unique constraint decides, inside a savepoint."""
    if Alert.objects.filter(kind=kind, subject=subject).exists():
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(
                kind=kind,
                subject=subject,
                station_id=station_id,
                resident_id=resident_id,
                case=case,
                observation=observation,
                detail=detail,
                assigned_to_id=assigned_to_id,
            )
    except IntegrityError:
        return None


def _assignee(case: Case) -> int | None:
    return case.workers.order_by("pk").values_list("pk", flat=True).first()


def _check_high_risk(case: Case, setting: RuleSetting, today: datetime.date) -> Alert | None:
    if not setting.enabled or case.status not in OPEN_STATUSES or case.risk_level not in HIGH_RISK:
        return None
    since = case.last_contact_on or case.opened_on
    days = (today - since).days
    if days < setting.threshold_days:
        return None
    return _raise(
        kind=AlertKind.HIGH_RISK_NO_CONTACT,
        subject=f"case:{case.pk}:{since.isoformat()}",
        station_id=case.station_id,
        resident_id=case.client_id,
        case=case,
        detail={"case": case.number, "days": days, "since": since.isoformat()},
        assigned_to_id=_assignee(case),
    )


def _check_review(case: Case, setting: RuleSetting, today: datetime.date) -> Alert | None:
    if not setting.enabled or case.status not in OPEN_STATUSES or case.review_due_on is None:
        return None
    if (today - case.review_due_on).days <= setting.threshold_days:
        return None
    return _raise(
        kind=AlertKind.PLAN_REVIEW_OVERDUE,
        subject=f"review:{case.pk}:{case.review_due_on.isoformat()}",
        station_id=case.station_id,
        resident_id=case.client_id,
        case=case,
        detail={"case": case.number, "date": case.review_due_on.isoformat()},
        assigned_to_id=_assignee(case),
    )


def evaluate_case(case: Case, today: datetime.date | None = None) -> list[Alert]:
    """The case rules for one case, after a write that changed it."""
    today = today or timezone.localdate()
    settings = rule_settings(case.station_id)
    raised = [
        _check_high_risk(case, settings[AlertKind.HIGH_RISK_NO_CONTACT], today),
        _check_review(case, settings[AlertKind.PLAN_REVIEW_OVERDUE], today),
    ]
    return [a for a in raised if a]


def evaluate_observation(observation: Observation) -> Alert | None:
    setting = rule_settings(observation.station_id)[AlertKind.CRISIS_FLAG]
    if not observation.crisis or not setting.enabled:
        return None
    case = (
        Case.objects.filter(client_id=observation.resident_id, status__in=OPEN_STATUSES)
        .order_by("-opened_on")
        .first()
    )
    assignee = _assignee(case) if case else None
    # A worker keeps the alert of the crisis they flagged; the director's goes
    # to the station (unassigned), as do alerts of cases nobody works on.
    if assignee is None and keeps_own_caseload(observation.author):
        assignee = observation.author_id
    return _raise(
        kind=AlertKind.CRISIS_FLAG,
        subject=f"observation:{observation.pk}",
        station_id=observation.station_id,
        resident_id=observation.resident_id,
        case=case,
        observation=observation,
        detail={"date": observation.observed_on.isoformat()},
        assigned_to_id=assignee,
    )


def evaluate_meal_absence(station_id: int, today: datetime.date | None = None) -> list[Alert]:
    """Enrolled elders with no meal on each of the canteen's last N service days
    (days on which the canteen served anyone)."""
    from shegong.community.models import MealEnrolment, MealRecord

    today = today or timezone.localdate()
    setting = rule_settings(station_id)[AlertKind.MEAL_ABSENCE]
    if not setting.enabled or setting.threshold_days == 0:
        return []
    service_days = list(
        MealRecord.objects.filter(station_id=station_id, served_on__lte=today)
        .values_list("served_on", flat=True)
        .distinct()
        .order_by("-served_on")[: setting.threshold_days]
    )
    if len(service_days) < setting.threshold_days:
        return []
    window_start = min(service_days)
    present = set(
        MealRecord.objects.filter(station_id=station_id, served_on__in=service_days).values_list(
            "resident_id", flat=True
        )
    )
    absent = (
        MealEnrolment.objects.filter(station_id=station_id, started_on__lte=window_start)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .exclude(resident_id__in=present)
        .values_list("resident_id", flat=True)
    )
    last_seen = dict(
        MealRecord.objects.filter(
            station_id=station_id, resident_id__in=list(absent), served_on__lte=today
        )
        .values("resident_id")
        .annotate(last=Max("served_on"))
        .values_list("resident_id", "last")
    )
    raised = []
    for resident_id in absent:
        seen = last_seen.get(resident_id)
        case = (
            Case.objects.filter(client_id=resident_id, status__in=OPEN_STATUSES)
            .order_by("-opened_on")
            .first()
        )
        alert = _raise(
            kind=AlertKind.MEAL_ABSENCE,
            subject=f"meal:{resident_id}:{seen.isoformat() if seen else 'never'}",
            station_id=station_id,
            resident_id=resident_id,
            case=case,
            detail={
                "days": setting.threshold_days,
                "last_seen": seen.isoformat() if seen else None,
            },
            assigned_to_id=_assignee(case) if case else None,
        )
        if alert:
            raised.append(alert)
    return raised


# Rules of the apps above cases (the rosters' missed visits), each a function of
# (station id, today) returning the alerts it raised; registered at start-up.
_rules: list[Callable[[int, datetime.date], list[Alert]]] = []


def register_rule(rule: Callable[[int, datetime.date], list[Alert]]) -> None:
    if rule not in _rules:
        _rules.append(rule)


def raise_alert(**fields) -> Alert | None:
    """Raise an alert for a rule of another app: once per (kind, subject) episode."""
    return _raise(**fields)


def run_all(
    today: datetime.date | None = None,
    stations: Iterable[Station] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Counter:
    """Every rule over every (or the given) station: the periodic run.
    `progress(1)` after each station's per-station rules."""
    today = today or timezone.localdate()
    station_ids = (
        [s.pk for s in stations]
        if stations is not None
        else list(Station.objects.filter(is_active=True).values_list("pk", flat=True))
    )
    counts: Counter = Counter()
    cases = Case.objects.filter(station_id__in=station_ids, status__in=OPEN_STATUSES).filter(
        Q(risk_level__in=HIGH_RISK) | Q(review_due_on__lt=today)
    )
    for case in cases.iterator(chunk_size=500):
        for alert in evaluate_case(case, today):
            counts[alert.kind] += 1
    recent = Observation.objects.filter(
        station_id__in=station_ids,
        crisis=True,
        observed_on__gte=today - datetime.timedelta(days=CRISIS_LOOKBACK_DAYS),
    ).select_related("author")
    for observation in recent.iterator(chunk_size=500):
        if evaluate_observation(observation):
            counts[AlertKind.CRISIS_FLAG] += 1
    for station_id in station_ids:
        for alert in evaluate_meal_absence(station_id, today):
            counts[alert.kind] += 1
        for rule in _rules:
            for alert in rule(station_id, today):
                counts[alert.kind] += 1
        if progress is not None:
            progress(1)
    return counts
