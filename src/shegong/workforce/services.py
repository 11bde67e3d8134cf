"""Writes of the workforce records. The station director edits the station's
profiles, trainings and supervisions; the agency manager those of its stations.
Every write re-checks the change right on the saved row inside the transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import EditConflict
from shegong.core.scope import CHANGE, can, may, may_create
from shegong.workforce.models import (
    HOLD,
    PayRate,
    StaffProfile,
    SupervisionRecord,
    TrainingRecord,
)

PROFILE_FIELDS = (
    "post",
    "qualification",
    "certificate_number",
    "certified_on",
    "employed_since",
    "left_on",
    "pay_grade",
)


def _require_change(actor: User, obj: Any) -> None:
    """The saved row must be one the actor may change, or the write rolls back."""
    if not can(actor, CHANGE, obj):
        raise PermissionDenied(
            _("Only the station director or the agency manager can change staff records.")
        )


def _not_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_profile(profile: StaffProfile) -> None:
    if profile.qualification == "none":
        # Nothing to certify: stale certificate details would contradict the level.
        profile.certificate_number = ""
        profile.certified_on = None
    else:
        profile.certificate_number = (profile.certificate_number or "").strip()
        if not profile.certificate_number:
            raise ValidationError(
                {"certificate_number": _("Enter the certificate number of the qualification.")}
            )
        if profile.certified_on is None:
            raise ValidationError(
                {"certified_on": _("Enter the date the qualification was certified.")}
            )
    _not_future(profile.certified_on, "certified_on")
    _not_future(profile.employed_since, "employed_since")
    _not_future(profile.left_on, "left_on")


@transaction.atomic
def staff_profile_create(
    *,
    actor: User,
    user: User,
    post: str,
    qualification: str,
    employed_since: datetime.date,
    certificate_number: str = "",
    certified_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
    pay_grade: int = 1,
) -> StaffProfile:
    """A staff member's profile, at the station their account belongs to."""
    if not may_create(actor, StaffProfile):
        raise PermissionDenied(
            _("Only the station director or the agency manager can change staff records.")
        )
    if user.station_id is None or not may(user, HOLD, StaffProfile):
        raise ValidationError(
            {"user": _("Only station staff accounts (social workers, directors) have profiles.")}
        )
    if StaffProfile.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This staff member already has a profile.")})
    profile = StaffProfile(
        user=user,
        station_id=user.station_id,
        post=post,
        qualification=qualification,
        certificate_number=certificate_number,
        certified_on=certified_on,
        employed_since=employed_since,
        left_on=left_on,
        pay_grade=pay_grade,
    )
    _check_profile(profile)
    profile.full_clean()
    profile.save()
    _require_change(actor, profile)
    return profile


@transaction.atomic
def staff_profile_update(
    *, actor: User, profile: StaffProfile, version: int | None = None, **changes: Any
) -> StaffProfile:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field."))
    locked = StaffProfile.objects.select_for_update().get(pk=profile.pk)
    _require_change(actor, locked)
    if version is not None and locked.version != version:
        raise EditConflict()
    for field, value in changes.items():
        setattr(locked, field, value)
    _check_profile(locked)
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


def _check_hours(hours: Decimal | None) -> None:
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Hours must be more than 0.")})


@transaction.atomic
def training_record_add(
    *,
    actor: User,
    profile: StaffProfile,
    course: str,
    provider: str,
    held_on: datetime.date,
    hours: Decimal,
    evidence: str = "",
) -> TrainingRecord:
    """培训: a course the staff member attended."""
    _require_change(actor, profile)
    _check_hours(hours)
    _not_future(held_on, "held_on")
    record = TrainingRecord(
        profile=profile,
        course=course.strip(),
        provider=provider.strip(),
        held_on=held_on,
        hours=hours,
        evidence=evidence.strip(),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def supervision_record_add(
    *,
    actor: User,
    profile: StaffProfile,
    supervisor: str,
    held_on: datetime.date,
    hours: Decimal,
    kind: str,
    note: str = "",
) -> SupervisionRecord:
    """督导: a supervision session the staff member received."""
    _require_change(actor, profile)
    _check_hours(hours)
    _not_future(held_on, "held_on")
    record = SupervisionRecord(
        profile=profile,
        supervisor=supervisor.strip(),
        held_on=held_on,
        hours=hours,
        kind=kind,
        note=note.strip(),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def pay_rate_add(
    *,
    actor: User,
    post: str,
    qualification: str,
    grade: int,
    monthly_fen: int,
    valid_from: datetime.date,
    is_sample: bool = False,
) -> PayRate:
    """A line of the pay table from a date (the city officer's)."""
    if not may_create(actor, PayRate):
        raise PermissionDenied(_("The city's civil-affairs officers keep the pay table."))
    rate = PayRate(
        post=post,
        qualification=qualification,
        grade=grade,
        monthly_fen=monthly_fen,
        valid_from=valid_from,
        is_sample=is_sample,
    )
    rate.full_clean()
    rate.save()
    return rate
