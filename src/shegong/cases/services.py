"""The case state machine: one service per transition, each refusing illegal
moves with a clear message, each in one transaction with an optimistic-lock check
and a line in the case's history.

    intake ─assess→ assessed ─plan→ planned ─note→ in_service ─review→ reviewed
                                                       ↑   └──────note───────┘
    any open state after assessment ─refer→ the same state, a referral on file
        (with consent; the case stays open while the referral runs, see
        referrals.workflow) ─outcome recorded→ referred (closed)
    in_service / reviewed ─close→ closed   (any open state if the client withdrew,
    closed / referred ─reopen→ back to work                     moved or died)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.cases import alerts
from shegong.cases.models import (
    ASSIGN,
    GENERAL_SERVICE_TYPES,
    PRIORITY_SERVICE_TYPES,
    WORK,
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    CaseOutcome,
    CaseReview,
    CaseStatus,
    Observation,
    Referral,
    ServicePlan,
    keeps_own_caseload,
)
from shegong.clients.models import ClientCategory, ClientStatus, Resident
from shegong.clients.services import has_sharing_consent
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.errors import EditConflict
from shegong.core.models import Domain
from shegong.core.scope import CHANGE, CREATE, may
from shegong.delivery.services import casework_event_record
from shegong.org.models import Station

# The refusal of a case step to someone who reads the case but may not work on it.
WORK_REFUSED = gettext_lazy("Only the assigned workers and the station director can do this.")

# Closing straight from an early step is allowed only when the work cannot go on.
EARLY_CLOSE_OUTCOMES = frozenset(
    {CaseOutcome.CLIENT_WITHDREW, CaseOutcome.MOVED_AWAY, CaseOutcome.DECEASED}
)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_transition")


def _check_date(day: datetime.date, case: Case, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day < case.opened_on:
        raise ValidationError({field: _("The date cannot be before the case was opened.")})


def _lock(actor: User, case: Case, version: int | None) -> Case:
    """Re-read the case under a row lock; refuse if it changed since `version`
    was read, or if the actor may not work on it."""
    ensure_visible(actor, case)
    # The client and station are read by every step (dates, categories, the
    # casework event): in the same query; only the case's row is locked.
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("client", "station")
        .get(pk=case.pk)
    )
    if version is not None and locked.version != version:
        raise EditConflict()
    require(actor, WORK, locked, message=str(WORK_REFUSED))
    return locked


def _save(case: Case, actor: User, action: str, **detail) -> Case:
    case.version += 1
    case.full_clean()
    case.save()
    CaseEvent.objects.create(case=case, actor=actor, action=action, detail=detail)
    return case


def _next_number(station: Station, year: int) -> str:
    prefix = f"{year}-"
    last = (
        Case.objects.select_for_update()
        .filter(station=station, number__startswith=prefix)
        .aggregate(Max("number"))["number__max"]
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    client: Resident,
    domain: str,
    source: str,
    opened_on: datetime.date,
    workers: Iterable[User] | None = None,
) -> Case:
    """接案: open a case for a registered resident of the actor's station."""
    ensure_visible(actor, client)
    require_at(actor, CREATE, Case, client.station, message=_("Only station staff open cases."))
    workers = list(workers) if workers else [actor] if keeps_own_caseload(actor) else []
    case_open_check(client=client, domain=domain, opened_on=opened_on, workers=workers)
    case = Case(
        station=client.station,
        client=client,
        domain=domain,
        source=source,
        opened_on=opened_on,
        number=_next_number(client.station, opened_on.year),
        status=CaseStatus.INTAKE,
    )
    case.full_clean()
    case.save()
    case.workers.set(workers)
    CaseEvent.objects.create(
        case=case, actor=actor, action="opened", detail={"workers": [w.pk for w in workers]}
    )
    ensure_visible(actor, case)
    return case


def case_open_check(
    *, client: Resident, domain: str, opened_on: datetime.date, workers: list[User]
) -> None:
    """Opening's rules without the permission: a kept record, a date not in the
    future, a known domain, consent in force on the day, workers of the station.
    The import of the previous system's open cases (golive.records_import)
    shares them."""
    if client.is_merged:
        raise ValidationError(_("This record was merged; open the case on the kept record."))
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The date cannot be in the future.")})
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    if not any(c.covers_record and c.is_in_force(opened_on) for c in client.consents.all()):
        raise ValidationError(
            _("Record the client's consent (or the statutory basis) before opening a case.")
        )
    _check_workers(client.station, workers)


def _check_workers(station: Station, workers: list[User]) -> None:
    for worker in workers:
        # Whoever may work on the station's case files; a disabled account of
        # the station is named as such below.
        if worker.station_id != station.pk or (worker.is_active and not may(worker, WORK, Case)):
            raise ValidationError(
                {"workers": _("%(name)s is not a worker of this station.") % {"name": worker}}
            )
        if not worker.is_active:
            raise ValidationError(
                {"workers": _("%(name)s's account is disabled.") % {"name": worker}}
            )


@transaction.atomic
def case_assess(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    needs: str,
    risk_level: str,
    strengths: str = "",
    version: int | None = None,
) -> Assessment:
    """预估. The first one moves the case on from intake; later ones re-assess."""
    case = _lock(actor, case, version)
    if not case.is_open:
        raise _refuse(_("A closed case cannot be assessed; reopen it first."))
    _check_date(assessed_on, case, "assessed_on")
    assessment = Assessment(
        case=case,
        assessed_on=assessed_on,
        needs=needs,
        strengths=strengths,
        risk_level=risk_level,
        author=actor,
    )
    assessment.full_clean()
    assessment.save()
    case.risk_level = risk_level
    if case.status == CaseStatus.INTAKE:
        case.status = CaseStatus.ASSESSED
    _save(case, actor, "assessed", risk_level=risk_level)
    alerts.evaluate_case(case)
    return assessment


@transaction.atomic
def case_plan(
    *,
    actor: User,
    case: Case,
    planned_on: datetime.date,
    goals: str,
    review_due_on: datetime.date,
    version: int | None = None,
) -> ServicePlan:
    """服务计划. Needs an assessment first."""
    case = _lock(actor, case, version)
    if case.status == CaseStatus.INTAKE:
        raise _refuse(_("Assess the case before making a plan."))
    if not case.is_open:
        raise _refuse(_("A closed case cannot get a new plan; reopen it first."))
    _check_date(planned_on, case, "planned_on")
    plan = ServicePlan(
        case=case, planned_on=planned_on, goals=goals, review_due_on=review_due_on, author=actor
    )
    plan.full_clean()
    plan.save()
    case.review_due_on = review_due_on
    if case.status == CaseStatus.ASSESSED:
        case.status = CaseStatus.PLANNED
    _save(case, actor, "planned", review_due_on=review_due_on.isoformat())
    return plan


def client_category_on(case: Case, day: datetime.date) -> str | None:
    status = (
        ClientStatus.objects.filter(
            resident=case.client, station=case.station, domain=case.domain, started_on__lte=day
        )
        .exclude(ended_on__lt=day)
        .order_by("-started_on")
        .first()
    )
    return status.category if status else None


@transaction.atomic
def case_note_add(
    *,
    actor: User,
    case: Case,
    happened_on: datetime.date,
    service_type: str,
    method: str,
    text: str,
    version: int | None = None,
) -> CaseNote:
    """介入: a dated intervention note; needs a plan; counts one person-time."""
    case = _lock(actor, case, version)
    if not case.is_open:
        raise _refuse(_("A closed case takes no more notes; reopen it first."))
    if case.status in (CaseStatus.INTAKE, CaseStatus.ASSESSED):
        raise _refuse(_("Make a service plan before recording interventions."))
    _check_date(happened_on, case, "happened_on")
    category = client_category_on(case, happened_on)
    if category == ClientCategory.PRIORITY and service_type not in PRIORITY_SERVICE_TYPES:
        raise ValidationError(
            {
                "service_type": _(
                    "This service type is for general clients; the client is a priority client."
                )
            }
        )
    if category == ClientCategory.GENERAL and service_type not in GENERAL_SERVICE_TYPES:
        raise ValidationError(
            {
                "service_type": _(
                    "This service type is for priority clients; the client is a general client."
                )
            }
        )
    note = CaseNote(
        case=case,
        happened_on=happened_on,
        service_type=service_type,
        method=method,
        text=text,
        author=actor,
    )
    note.full_clean()
    note.save()
    # The contact is a service event: one person-time in the case's domain.
    casework_event_record(note)
    case.last_contact_on = max(filter(None, [case.last_contact_on, happened_on]))
    if case.status in (CaseStatus.PLANNED, CaseStatus.REVIEWED):
        case.status = CaseStatus.IN_SERVICE
    _save(case, actor, "note_added", note=note.pk)
    return note


@transaction.atomic
def case_review(
    *,
    actor: User,
    case: Case,
    reviewed_on: datetime.date,
    progress: str,
    next_review_on: datetime.date | None = None,
    version: int | None = None,
) -> CaseReview:
    """评估: review progress after intervention."""
    case = _lock(actor, case, version)
    if case.status != CaseStatus.IN_SERVICE:
        raise _refuse(_("A case is reviewed after intervention has started."))
    _check_date(reviewed_on, case, "reviewed_on")
    if next_review_on and next_review_on < reviewed_on:
        raise ValidationError({"next_review_on": _("The next review must come after this one.")})
    review = CaseReview(
        case=case,
        reviewed_on=reviewed_on,
        progress=progress,
        next_review_on=next_review_on,
        author=actor,
    )
    review.full_clean()
    review.save()
    case.review_due_on = next_review_on
    case.status = CaseStatus.REVIEWED
    _save(case, actor, "reviewed")
    return review


@transaction.atomic
def case_refer(
    *,
    actor: User,
    case: Case,
    referred_on: datetime.date,
    reason: str,
    to_station: Station | None = None,
    to_organisation: str = "",
    version: int | None = None,
) -> Referral:
    """转介: hand the case to another station or agency, with consent to share."""
    case = _lock(actor, case, version)
    if case.status in (CaseStatus.INTAKE,) or not case.is_open:
        raise _refuse(_("Only an assessed, open case can be referred."))
    _check_date(referred_on, case, "referred_on")
    if bool(to_station) == bool(to_organisation.strip()):
        raise ValidationError(_("Refer to either a station or an outside organisation."))
    if to_station is not None and to_station.pk == case.station_id:
        raise ValidationError({"to_station": _("A case cannot be referred to its own station.")})
    if not has_sharing_consent(case.client, referred_on):
        raise ValidationError(_("The client has not consented to sharing with referral partners."))
    referral = Referral(
        case=case,
        referred_on=referred_on,
        to_station=to_station,
        to_organisation=to_organisation.strip(),
        reason=reason,
        author=actor,
    )
    referral.full_clean()
    referral.save()
    # The case stays open: the referral is followed up until its outcome
    # (`case_referral_concluded`) or until the worker closes the case.
    _save(case, actor, "referred", to=str(to_station or to_organisation))
    return referral


def case_referral_concluded(
    *, actor: User, case: Case, on: datetime.date, outcome: str
) -> Case | None:
    """A referral of this case recorded its outcome: the case, if still open,
    closes as referred (转介结案) on that day. Called inside the referral
    workflow's transaction (referrals.workflow), which has checked the actor's
    right on the referral; the actor may be the receiving station's worker, who
    does not read this case."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not locked.is_open:
        return None
    locked.status = CaseStatus.REFERRED
    locked.closed_on = max(on, locked.opened_on)
    return _save(locked, actor, "closed", referral_outcome=outcome)


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    closed_on: datetime.date,
    outcome: str,
    summary: str = "",
    version: int | None = None,
) -> Case:
    """结案 with an outcome."""
    case = _lock(actor, case, version)
    if not case.is_open:
        raise _refuse(_("The case is already closed."))
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if (
        case.status not in (CaseStatus.IN_SERVICE, CaseStatus.REVIEWED)
        and outcome not in EARLY_CLOSE_OUTCOMES
    ):
        raise _refuse(
            _(
                "A case closes after intervention; before that only if the client withdrew, "
                "moved away or died."
            )
        )
    _check_date(closed_on, case, "closed_on")
    if case.last_contact_on and closed_on < case.last_contact_on:
        raise ValidationError(
            {
                "closed_on": _("A case cannot close before its last intervention (%(date)s).")
                % {"date": case.last_contact_on.isoformat()}
            }
        )
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.outcome = outcome
    return _save(case, actor, "closed", outcome=outcome, summary=summary)


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str, version: int | None = None) -> Case:
    case = _lock(actor, case, version)
    if case.is_open:
        raise _refuse(_("The case is open already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    if case.plans.exists():
        case.status = CaseStatus.IN_SERVICE
    elif case.assessments.exists():
        case.status = CaseStatus.ASSESSED
    else:
        case.status = CaseStatus.INTAKE
    case.closed_on = None
    case.outcome = ""
    return _save(case, actor, "reopened", reason=reason)


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, workers: Iterable[User], version: int | None = None
) -> Case:
    """The director assigns or transfers the case to workers of the station."""
    ensure_visible(actor, case)
    require(actor, ASSIGN, case, message=_("Only the station director assigns cases."))
    case = _lock(actor, case, version)
    workers = list(workers)
    if not workers:
        raise ValidationError({"workers": _("Assign at least one worker.")})
    _check_workers(case.station, workers)
    before = sorted(case.workers.values_list("pk", flat=True))
    case.workers.set(workers)
    case.alerts.filter(status__in=["open", "acknowledged"]).update(assigned_to=workers[0])
    return _save(case, actor, "assigned", before=before, after=[w.pk for w in workers])


@transaction.atomic
def observation_record(
    *,
    actor: User,
    resident: Resident,
    observed_on: datetime.date,
    source: str,
    text: str,
    crisis: bool = False,
) -> Observation:
    """观察记录 on any client of the station; a crisis flag raises an alert at once."""
    ensure_visible(actor, resident)
    require_at(
        actor,
        CREATE,
        Observation,
        resident.station,
        message=_("Only station staff record observations."),
    )
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("The date cannot be in the future.")})
    observation = Observation(
        station=resident.station,
        resident=resident,
        observed_on=observed_on,
        source=source,
        text=text,
        crisis=crisis,
        author=actor,
    )
    observation.full_clean()
    observation.save()
    if crisis:
        alerts.evaluate_observation(observation)
    return observation


def _lock_alert(actor: User, alert: Alert) -> Alert:
    ensure_visible(actor, alert)
    require(actor, CHANGE, alert, message=_("Only station staff handle alerts."))
    return Alert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """已知悉: someone is on it."""
    alert = _lock_alert(actor, alert)
    if alert.status != AlertStatus.OPEN:
        raise _refuse(_("Only an open alert can be acknowledged."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save()
    return alert


@transaction.atomic
def alert_resolve(*, actor: User, alert: Alert, note: str) -> Alert:
    """已处理, with a note of what was done: an alert is never silently dropped."""
    alert = _lock_alert(actor, alert)
    if alert.status == AlertStatus.RESOLVED:
        raise _refuse(_("The alert is resolved already."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was done about the alert.")})
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor, now
    alert.status = AlertStatus.RESOLVED
    alert.resolved_by = actor
    alert.resolved_at = now
    alert.resolution_note = note.strip()
    alert.save()
    return alert


@transaction.atomic
def alert_rule_set(
    *, actor: User, station: Station, kind: str, threshold_days: int, enabled: bool
) -> AlertRule:
    """The director sets one of the station's rules."""
    ensure_visible(actor, station)
    require_at(
        actor,
        CHANGE,
        AlertRule,
        station,
        message=_("Only the station director configures alert rules."),
    )
    if kind not in AlertKind.values:
        raise ValidationError({"kind": _("Unknown rule.")})
    rule, _created = AlertRule.objects.select_for_update().get_or_create(
        station=station, kind=kind, defaults={"threshold_days": threshold_days, "enabled": enabled}
    )
    rule.threshold_days = threshold_days
    rule.enabled = enabled
    rule.full_clean()
    rule.save()
    return rule
