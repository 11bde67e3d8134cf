"""Writes of inspection visits and their rectification items: one keyword-only
function per action and one per state transition, each refusing what the rules
forbid with a message.

Rectification: open ─submit→ submitted ─accept→ closed
                                       └reject→ open
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE, VIEW, can, may
from shegong.evaluation.guards import bump, check_version, locked
from shegong.evaluation.models import (
    CheckItem,
    CheckResult,
    Inspection,
    InspectionCheck,
    Rectification,
    RectificationAlert,
    RectificationStatus,
)
from shegong.evaluation.uploads import check_upload
from shegong.org.models import Station


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    station: Station,
    visited_on: datetime.date,
    findings: str = "",
    checks: dict[str, tuple[str, str]] | None = None,
) -> Inspection:
    """An inspection visit with its checklist (item → (result, note)); items not
    given are recorded as not applicable."""
    require_at(
        actor,
        CREATE,
        Inspection,
        None,
        message=_("Inspections are recorded by district and city officers."),
    )
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    inspection = Inspection(
        station=station, visited_on=visited_on, inspector=actor, findings=findings
    )
    inspection.full_clean()
    inspection.save()
    ensure_visible(actor, inspection)
    checks = checks or {}
    unknown = set(checks) - set(CheckItem.values)
    if unknown:
        raise ValidationError(_("Unknown checklist item."))
    for item in CheckItem.values:
        result, note = checks.get(item, (CheckResult.NA, ""))
        check = InspectionCheck(inspection=inspection, item=item, result=result, note=note)
        check.full_clean()
        check.save()
    return inspection


@transaction.atomic
def rectification_add(
    *,
    actor: User,
    inspection: Inspection,
    description: str,
    owner: User,
    due_on: datetime.date,
) -> Rectification:
    """A rectification item, owned by the station's director or one of its staff."""
    require(actor, CHANGE, inspection)
    # The owner answers the item: one who may submit it, of the inspected station.
    if owner.station_id != inspection.station_id or not may(owner, "submit", Rectification):
        raise ValidationError({"owner": _("The owner must be the station's director or staff.")})
    if due_on < inspection.visited_on:
        raise ValidationError({"due_on": _("The due date is before the visit.")})
    item = Rectification(
        inspection=inspection,
        station_id=inspection.station_id,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    return item


def _transition(
    item: Rectification, version: int | None, allowed: str, message: str
) -> Rectification:
    item = locked(Rectification, item.pk)
    check_version(item, version)
    if item.status != allowed:
        raise ValidationError(message % {"status": item.get_status_display()})
    return item


def require_submitter(actor: User, rectification: Rectification) -> None:
    """Only the item's owner or the station's director submits it (views call this
    before reading the body, so that a reader is refused whatever they send)."""
    if not can(actor, "submit", rectification):
        if can(actor, VIEW, rectification):
            raise PermissionDenied(_("Only the owner or the station director submits this item."))
        raise PermissionDenied(_("No such record."))


@transaction.atomic
def rectification_submit(
    *,
    actor: User,
    rectification: Rectification,
    response: str,
    evidence: UploadedFile | None = None,
    version: int | None = None,
) -> Rectification:
    """open → submitted, by the owner or the station director, with what was done
    and optionally a file."""
    require_submitter(actor, rectification)
    item = _transition(
        rectification,
        version,
        RectificationStatus.OPEN,
        _("Only an open item can be submitted; this one is %(status)s."),
    )
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Describe what was done.")})
    if evidence is not None:
        checked = check_upload(evidence, field="evidence")
        item.evidence.save(checked.stored_name, evidence, save=False)
        item.evidence_name = checked.original_name
        item.evidence_type = checked.content_type
    item.response = response
    item.status = RectificationStatus.SUBMITTED
    item.submitted_at = timezone.now()
    bump(item)
    item.save()
    item.refresh_from_db()
    return item


def _require_officer(actor: User, item: Rectification) -> None:
    require_at(
        actor,
        "decide",
        Rectification,
        None,
        message=_("District and city officers accept or reject rectifications."),
    )
    require(actor, CHANGE, item)


@transaction.atomic
def rectification_accept(
    *, actor: User, rectification: Rectification, note: str = "", version: int | None = None
) -> Rectification:
    """submitted → closed; resolves the item's overdue alert, if any."""
    _require_officer(actor, rectification)
    item = _transition(
        rectification,
        version,
        RectificationStatus.SUBMITTED,
        _("Only a submitted item can be accepted; this one is %(status)s."),
    )
    now = timezone.now()
    item.status = RectificationStatus.CLOSED
    item.decision_note = note
    item.decided_by = actor
    item.closed_at = now
    bump(item)
    item.save()
    RectificationAlert.objects.filter(rectification=item, resolved_at__isnull=True).update(
        resolved_at=now
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def rectification_reject(
    *, actor: User, rectification: Rectification, note: str, version: int | None = None
) -> Rectification:
    """submitted → open again, with the reason."""
    _require_officer(actor, rectification)
    item = _transition(
        rectification,
        version,
        RectificationStatus.SUBMITTED,
        _("Only a submitted item can be rejected; this one is %(status)s."),
    )
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the item is sent back.")})
    item.status = RectificationStatus.OPEN
    item.decision_note = note.strip()
    item.decided_by = actor
    bump(item)
    item.save()
    item.refresh_from_db()
    return item


def overdue_alerts_raise(today: datetime.date | None = None) -> int:
    """One alert per overdue rectification (due date passed, not closed), for its
    owner; run daily by `shegong inspection_alerts`. Returns how many were raised."""
    today = today or timezone.localdate()
    overdue = (
        Rectification.objects.filter(due_on__lt=today, alert__isnull=True)
        .exclude(status=RectificationStatus.CLOSED)
        .values_list("pk", "station_id", "owner_id")
    )
    raised = 0
    for pk, station_id, owner_id in overdue:
        _alert, created = RectificationAlert.objects.get_or_create(
            rectification_id=pk,
            defaults={"station_id": station_id, "assigned_to_id": owner_id, "raised_on": today},
        )
        raised += created
    return raised
