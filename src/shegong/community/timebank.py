"""The volunteers' time bank (时间银行): 1 service hour earns
`TIMEBANK_POINTS_PER_HOUR` points (1 in Guangzhou); points are redeemed for
services once the balance reaches `TIMEBANK_REDEEM_THRESHOLD` (100); a balance
never exceeds `TIMEBANK_BALANCE_CAP` (1,500: hours beyond it earn nothing); points
may be donated to another volunteer of the station.

The ledger is append-only (`TimeBankEntry`): every write locks the volunteer's row
(`select_for_update`, a row lock on PostgreSQL; SQLite's IMMEDIATE transactions
serialise every writer), reads the last balance and appends one entry carrying the
new balance. So the balance always equals the sum of the entries and never goes
below zero, even when two redemptions of the same points race."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.community.models import (
    TimeBankEntry,
    TimeBankKind,
    Volunteer,
    VolunteerCheckin,
)
from shegong.core.access import ensure_visible, require
from shegong.core.scope import CHANGE

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


def _setting(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def points_per_hour() -> Decimal:
    return _setting("TIMEBANK_POINTS_PER_HOUR", "1")


def redeem_threshold() -> Decimal:
    return _setting("TIMEBANK_REDEEM_THRESHOLD", "100")


def balance_cap() -> Decimal:
    return _setting("TIMEBANK_BALANCE_CAP", "1500")


def balance(volunteer: Volunteer) -> Decimal:
    """The balance: the last entry's (equal to the sum of the entries)."""
    last = TimeBankEntry.objects.filter(volunteer=volunteer).order_by("-pk").first()
    return last.balance if last is not None else ZERO


def ledger_sum(volunteer: Volunteer) -> Decimal:
    total = TimeBankEntry.objects.filter(volunteer=volunteer).aggregate(s=Sum("points"))["s"]
    return total if total is not None else ZERO


def _locked(volunteers: list[Volunteer]) -> dict[int, Decimal]:
    """Lock the volunteers' rows in key order (two donations crossing each other
    cannot deadlock) and return their balances, read under the lock."""
    keys = sorted({v.pk for v in volunteers})
    list(Volunteer.objects.select_for_update().filter(pk__in=keys).order_by("pk"))
    return {pk: balance(Volunteer(pk=pk)) for pk in keys}


def _append(volunteer_id: int, kind: str, points: Decimal, before: Decimal, **fields):
    entry = TimeBankEntry(
        volunteer_id=volunteer_id, kind=kind, points=points, balance=before + points, **fields
    )
    entry.full_clean(exclude=["volunteer", "checkin", "counterpart", "created_by"])
    entry.save()
    return entry


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(TENTH, rounding=ROUND_DOWN)
    except ArithmeticError:
        raise ValidationError({"points": _("Enter a number of points.")}) from None
    if points <= 0:
        raise ValidationError({"points": _("Enter a number of points above zero.")})
    return points


@transaction.atomic
def time_bank_earn(*, checkin: VolunteerCheckin, actor: User | None = None) -> TimeBankEntry | None:
    """Credit a counted check-in's hours (called by the check-out and by the
    approval of a late entry). Up to the cap; nothing if the balance is at the cap
    or the check-in earned no time. Each check-in is credited once."""
    if TimeBankEntry.objects.filter(checkin=checkin).exists():
        return None
    before = _locked([checkin.volunteer])[checkin.volunteer_id]
    earned = (checkin.hours * points_per_hour()).quantize(TENTH, rounding=ROUND_DOWN)
    earned = min(earned, balance_cap() - before)
    if earned <= 0:
        return None
    return _append(
        checkin.volunteer_id,
        TimeBankKind.EARNED,
        earned,
        before,
        checkin=checkin,
        note=str(checkin.activity)[:200],
        created_by=actor,
    )


@transaction.atomic
def time_bank_redeem(*, actor: User, volunteer: Volunteer, points, service: str) -> TimeBankEntry:
    """兑换: the volunteer takes a service for points, recorded by the station."""
    ensure_visible(actor, volunteer)
    require(actor, CHANGE, volunteer, message=_("Only the station's own staff redeem points."))
    points = _points(points)
    service = (service or "").strip()
    if not service:
        raise ValidationError({"service": _("Name the service the points are redeemed for.")})
    before = _locked([volunteer])[volunteer.pk]
    if before < redeem_threshold():
        raise ValidationError(
            {
                "points": _(
                    "Points can be redeemed from a balance of %(threshold)s; "
                    "the balance is %(balance)s."
                )
                % {"threshold": redeem_threshold(), "balance": before}
            }
        )
    if points > before:
        raise ValidationError(
            {
                "points": _("Only %(balance)s points are left to redeem; %(points)s were asked.")
                % {"balance": before, "points": points}
            }
        )
    return _append(
        volunteer.pk, TimeBankKind.REDEEMED, -points, before, note=service[:200], created_by=actor
    )


@transaction.atomic
def time_bank_donate(
    *, actor: User, donor: Volunteer, recipient: Volunteer, points
) -> tuple[TimeBankEntry, TimeBankEntry]:
    """捐赠: move points from one volunteer of the station to another; two entries
    that sum to zero, so the station's total is unchanged."""
    ensure_visible(actor, donor)
    require(actor, CHANGE, donor, message=_("Only the station's own staff record donations."))
    points = _points(points)
    if recipient.pk == donor.pk:
        raise ValidationError({"recipient": _("Choose another volunteer to donate to.")})
    if recipient.station_id != donor.station_id or not recipient.is_active:
        raise ValidationError(
            {
                "recipient": _("%(name)s is not an active volunteer of this station.")
                % {"name": recipient.name}
            }
        )
    balances = _locked([donor, recipient])
    if points > balances[donor.pk]:
        raise ValidationError(
            {
                "points": _("Only %(balance)s points are left to donate; %(points)s were asked.")
                % {"balance": balances[donor.pk], "points": points}
            }
        )
    if balances[recipient.pk] + points > balance_cap():
        raise ValidationError(
            {
                "points": _("%(name)s can receive at most %(room)s points (the cap is %(cap)s).")
                % {
                    "name": recipient.name,
                    "room": balance_cap() - balances[recipient.pk],
                    "cap": balance_cap(),
                }
            }
        )
    out = _append(
        donor.pk,
        TimeBankKind.DONATED,
        -points,
        balances[donor.pk],
        counterpart=recipient,
        created_by=actor,
    )
    received = _append(
        recipient.pk,
        TimeBankKind.RECEIVED,
        points,
        balances[recipient.pk],
        counterpart=donor,
        created_by=actor,
    )
    return out, received
