"""Services of a resident's personal data requests (privacy.models.SubjectRequest)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseStatus
from shegong.clients.models import Resident
from shegong.clients.services import log_sensitive_read
from shegong.core import audit
from shegong.core.access import require, require_at
from shegong.core.models import AccessLog
from shegong.core.scope import CREATE
from shegong.privacy.models import ANSWER, RequestKind, RequestStatus, SubjectRequest
from shegong.privacy.steps import anonymise
from shegong.rosters.models import RosterEntry

# PIPL leaves the time to the rules; Guangdong's practice, as for government
# information requests, is 15 working days.
WORKING_DAYS = 15


def due_date(received: datetime.date, working_days: int = WORKING_DAYS) -> datetime.date:
    """The day `working_days` working days (Monday to Friday) after `received`.
    Public holidays are not known to the platform: a director may answer earlier."""
    day, left = received, working_days
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@transaction.atomic
def subject_request_open(
    *,
    actor: User,
    resident: Resident,
    kind: str,
    requested_by: str,
    received_on: datetime.date,
    detail: str = "",
) -> SubjectRequest:
    require_at(actor, CREATE, SubjectRequest, resident.station)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    request = SubjectRequest(
        station=resident.station,
        resident=resident,
        kind=kind,
        requested_by=requested_by.strip(),
        received_on=received_on,
        due_on=due_date(received_on),
        detail=detail.strip(),
        created_by=actor,
    )
    request.full_clean()
    request.save()
    return request


def legal_holds(resident: Resident) -> list[str]:
    """Why the resident's data may not be deleted now (PIPL art. 47 lets the law
    require keeping it): an open case, a place on a statutory roster."""
    holds = []
    open_cases = Case._base_manager.filter(client=resident).exclude(status=CaseStatus.CLOSED)
    if open_cases.exists():
        holds.append(
            _(
                "The resident has an open case: close it first (the case file is kept "
                "while the case runs)."
            )
        )
    if RosterEntry.objects.filter(resident=resident, closed_on__isnull=True).exists():
        holds.append(
            _(
                "The resident is on a civil-affairs roster: kept under the statutory duty "
                "while listed."
            )
        )
    return holds


def _require_open(request: SubjectRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("This request has been answered already."))


@transaction.atomic
def subject_request_answer(
    *, actor: User, request: SubjectRequest, outcome: str, refuse: bool = False
) -> SubjectRequest:
    """Answer the request. A deletion request answered (not refused) anonymises the
    resident as the retention purge does — identity and free text cleared, every
    statistic kept — unless a legal hold stands in the way."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, ANSWER, request)
    _require_open(request)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the answer given to the resident.")})
    counts = {}
    if request.kind == RequestKind.DELETION and not refuse:
        if holds := legal_holds(request.resident):
            raise ValidationError(holds)
        counts = anonymise(
            Case._base_manager.filter(client=request.resident),
            Resident.objects.filter(pk=request.resident_id)
            | Resident.objects.filter(merged_into_id=request.resident_id),
            dry_run=False,
        )
    request.status = RequestStatus.REFUSED if refuse else RequestStatus.DONE
    request.outcome = outcome.strip()
    request.answered_on = timezone.localdate()
    request.answered_by = actor
    request.full_clean()
    request.save()
    if counts:
        audit.record(
            "bulk",
            object_type="privacy.deletion",
            object_id=request.pk,
            object_repr=f"deletion request {request.pk}",
            station_id=request.station_id,
            detail={"counts": counts},
        )
    return request


def subject_export_logged(*, actor: User, request: SubjectRequest, ip: str | None) -> None:
    """The export is a read of everything about a person: access-logged."""
    require(actor, ANSWER, request)
    log_sensitive_read(
        user=actor,
        action=AccessLog.Action.EXPORT_SUBJECT_DATA,
        station_id=request.station_id,
        obj=request.resident,
        label=request.resident.name,
        ip=ip,
    )
