"""Writes of community activities with sign-up and check-in (see
`community.volunteer_models`). Residents' sign-ups and volunteers' check-ins come
from the public pages (no user); the station's staff create, approve and close.
Closing records the service event with `delivery.services.service_event_record`,
so the sign-up list is counted as attendance by the one counting path."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community import timebank
from shegong.community.models import (
    CheckinStatus,
    CommunityActivity,
    ResidentSignup,
    ResidentSignupStatus,
    Volunteer,
    VolunteerCheckin,
    VolunteerSignup,
)
from shegong.community.volunteer_models import COUNTED_CHECKINS
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE
from shegong.delivery import services as delivery_services
from shegong.delivery.models import EventKind, ServiceEvent
from shegong.plans.models import PlanProject

PHONE = re.compile(r"^1\d{10}$")
# A volunteer may check in this long before the activity starts.
EARLY_CHECKIN = datetime.timedelta(minutes=30)


def checkins_per_day() -> int:
    """How many check-ins a volunteer may make in a day (national rules limit them)."""
    return int(getattr(settings, "VOLUNTEER_CHECKINS_PER_DAY", 3))


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def hours_between(
    activity: CommunityActivity, start: datetime.datetime, end: datetime.datetime
) -> Decimal:
    """The hours of [start, end] within the activity's time, in tenths, rounded down."""
    start, end = max(start, activity.starts_at), min(end, activity.ends_at)
    seconds = max((end - start).total_seconds(), 0)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _check_open(activity: CommunityActivity) -> None:
    if activity.event_id is not None:
        raise ValidationError(_("This activity is closed: its attendance has been recorded."))


@transaction.atomic
def activity_create(
    *,
    actor: User,
    project: PlanProject,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
) -> CommunityActivity:
    """An activity of the station's plan that residents sign up for (up to
    `capacity`, then a waiting list) and volunteers check in at."""
    station = project.plan.station
    require_at(actor, CREATE, CommunityActivity, station)
    if timezone.localtime(starts_at).year != project.plan.year:
        raise ValidationError(
            {
                "starts_at": _("The date is outside the plan year %(year)s.")
                % {"year": project.plan.year}
            }
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The activity must end after it starts.")})
    activity = CommunityActivity(
        station=station,
        project=project,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    ensure_visible(actor, activity)
    return activity


def _locked_activity(activity: CommunityActivity) -> CommunityActivity:
    return CommunityActivity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def resident_sign_up(*, activity: CommunityActivity, name: str, phone: str) -> ResidentSignup:
    """报名 from the public link: a place while there are places, else the waiting
    list. The activity's row is locked, so two last-minute sign-ups cannot both
    take the last place."""
    name, phone = (name or "").strip(), (phone or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter your name.")
    if not PHONE.match(phone):
        errors["phone"] = _("Enter an 11-digit mobile number.")
    if errors:
        raise ValidationError(errors)
    activity = _locked_activity(activity)
    _check_open(activity)
    if timezone.now() >= activity.ends_at:
        raise ValidationError(_("This activity is over."))
    live = activity.signups.exclude(status=ResidentSignupStatus.CANCELLED)
    if live.filter(phone=phone).exists():
        raise ValidationError({"phone": _("This mobile number has already signed up.")})
    confirmed = live.filter(status=ResidentSignupStatus.CONFIRMED).count()
    resident = (
        Resident.objects.filter(
            station_id=activity.station_id, phone=phone, merged_into__isnull=True
        )
        .order_by("pk")
        .first()
    )
    signup = ResidentSignup(
        activity=activity,
        name=name,
        phone=phone,
        resident=resident,
        status=(
            ResidentSignupStatus.CONFIRMED
            if confirmed < activity.capacity
            else ResidentSignupStatus.WAITING
        ),
    )
    signup.full_clean()
    signup.save()
    return signup


@transaction.atomic
def resident_signup_cancel(*, signup: ResidentSignup) -> ResidentSignup | None:
    """取消报名 (from the resident's own link, or by the station): the first on the
    waiting list takes the freed place. Returns the promoted sign-up, if any."""
    activity = _locked_activity(signup.activity)
    _check_open(activity)
    signup = ResidentSignup.objects.get(pk=signup.pk)
    if signup.status == ResidentSignupStatus.CANCELLED:
        raise ValidationError(_("This sign-up was already cancelled."))
    freed = signup.status == ResidentSignupStatus.CONFIRMED
    signup.status = ResidentSignupStatus.CANCELLED
    signup.save(update_fields=["status", "updated_at"])
    if not freed:
        return None
    waiting = activity.signups.filter(status=ResidentSignupStatus.WAITING).order_by(
        "created_at", "pk"
    )
    promoted = waiting.first()
    if promoted is not None:
        promoted.status = ResidentSignupStatus.CONFIRMED
        promoted.save(update_fields=["status", "updated_at"])
    return promoted


def _check_volunteer(activity: CommunityActivity, volunteer: Volunteer) -> None:
    if volunteer.station_id != activity.station_id or not volunteer.is_active:
        raise ValidationError(_("You are not an active volunteer of this station."))


def _check_not_checked_in(activity: CommunityActivity, volunteer: Volunteer) -> None:
    taken = activity.checkins.filter(volunteer=volunteer).exclude(status=CheckinStatus.REJECTED)
    if taken.exists():
        raise ValidationError(_("You have already checked in at this activity."))


@transaction.atomic
def volunteer_check_in(
    *, activity: CommunityActivity, volunteer: Volunteer, now: datetime.datetime | None = None
) -> VolunteerCheckin:
    """签到 by scanning the activity's QR code: from half an hour before it starts
    until it ends, once per activity, at most `checkins_per_day()` a day."""
    now = now or timezone.now()
    _check_volunteer(activity, volunteer)
    # The volunteer's row is the lock: two scans at once count against one limit.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    activity = CommunityActivity.objects.get(pk=activity.pk)
    _check_open(activity)
    if not activity.starts_at - EARLY_CHECKIN <= now <= activity.ends_at:
        raise ValidationError(
            _("Check-in is open from %(start)s to %(end)s.")
            % {
                "start": _when(activity.starts_at - EARLY_CHECKIN),
                "end": _when(activity.ends_at),
            }
        )
    _check_not_checked_in(activity, volunteer)
    day = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    today = VolunteerCheckin.objects.filter(
        volunteer=volunteer,
        started_at__gte=start,
        started_at__lt=start + datetime.timedelta(days=1),
        status__in=[CheckinStatus.OPEN, CheckinStatus.DONE],
    ).count()
    if today >= checkins_per_day():
        raise ValidationError(
            _("You have checked in %(count)s times today, the most allowed in a day.")
            % {"count": today}
        )
    checkin = VolunteerCheckin(
        activity=activity, volunteer=volunteer, started_at=now, status=CheckinStatus.OPEN
    )
    checkin.full_clean()
    checkin.save()
    return checkin


def _finish(checkin: VolunteerCheckin, ended_at: datetime.datetime, actor: User | None) -> None:
    checkin.ended_at = ended_at
    checkin.hours = hours_between(checkin.activity, checkin.started_at, ended_at)
    checkin.status = CheckinStatus.DONE
    checkin.decided_by = actor
    checkin.full_clean()
    checkin.save()
    timebank.time_bank_earn(checkin=checkin, actor=actor)


@transaction.atomic
def volunteer_check_out(
    *, activity: CommunityActivity, volunteer: Volunteer, now: datetime.datetime | None = None
) -> VolunteerCheckin:
    """签退: the hours are the time between check-in and check-out within the
    activity's time; they earn time-bank points at once."""
    now = now or timezone.now()
    _check_volunteer(activity, volunteer)
    checkin = (
        VolunteerCheckin.objects.select_for_update()
        .select_related("activity")
        .filter(activity=activity, volunteer=volunteer)
        .exclude(status=CheckinStatus.REJECTED)
        .first()
    )
    if checkin is None:
        raise ValidationError(_("You have not checked in at this activity."))
    if checkin.status != CheckinStatus.OPEN:
        raise ValidationError(_("You have already checked out of this activity."))
    _check_open(checkin.activity)
    _finish(checkin, now, None)
    return checkin


@transaction.atomic
def volunteer_late_entry(
    *,
    activity: CommunityActivity,
    volunteer: Volunteer,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    reason: str = "",
) -> VolunteerCheckin:
    """补录: a volunteer who could not check in reports their hours; they count
    (and earn points) once the station approves."""
    _check_volunteer(activity, volunteer)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    _check_open(activity)
    if not (activity.starts_at <= started_at < ended_at <= activity.ends_at):
        raise ValidationError(
            {
                "started_at": _("The hours must be within the activity's time (%(start)s–%(end)s).")
                % {"start": _when(activity.starts_at), "end": _when(activity.ends_at)}
            }
        )
    if ended_at > timezone.now():
        raise ValidationError({"ended_at": _("Hours still to come cannot be reported.")})
    _check_not_checked_in(activity, volunteer)
    checkin = VolunteerCheckin(
        activity=activity,
        volunteer=volunteer,
        started_at=started_at,
        ended_at=ended_at,
        hours=hours_between(activity, started_at, ended_at),
        status=CheckinStatus.REQUESTED,
        reason=(reason or "").strip()[:200],
    )
    checkin.full_clean()
    checkin.save()
    return checkin


@transaction.atomic
def checkin_decide(*, actor: User, checkin: VolunteerCheckin, approve: bool) -> VolunteerCheckin:
    """The station approves or rejects a late entry."""
    ensure_visible(actor, checkin)
    require(actor, CHANGE, checkin.activity)
    checkin = (
        VolunteerCheckin.objects.select_for_update().select_related("activity").get(pk=checkin.pk)
    )
    if checkin.status != CheckinStatus.REQUESTED:
        raise ValidationError(_("This entry has already been decided."))
    _check_open(checkin.activity)
    checkin.status = CheckinStatus.APPROVED if approve else CheckinStatus.REJECTED
    checkin.decided_by = actor
    checkin.save(update_fields=["status", "decided_by", "updated_at"])
    if approve:
        timebank.time_bank_earn(checkin=checkin, actor=actor)
    return checkin


@transaction.atomic
def activity_close(
    *, actor: User, activity: CommunityActivity, present: Iterable[int]
) -> ServiceEvent:
    """The sign-up list becomes the attendance sheet: the confirmed sign-ups ticked
    `present` are recorded as the event's attendance (named when matched to a
    resident of the station, by head-count otherwise) with the volunteers' hours,
    through `service_event_record`. Volunteers still checked in are checked out at
    the activity's end by the worker closing it."""
    ensure_visible(actor, activity)
    require(actor, CHANGE, activity)
    activity = _locked_activity(activity)
    _check_open(activity)
    if activity.checkins.filter(status=CheckinStatus.REQUESTED).exists():
        raise ValidationError(_("Decide the late entries awaiting approval first."))
    present = {int(pk) for pk in present}
    ticked = [
        s
        for s in activity.signups.filter(status=ResidentSignupStatus.CONFIRMED).select_related(
            "resident"
        )
        if s.pk in present
    ]
    residents = {s.resident.pk: s.resident for s in ticked if s.resident is not None}
    headcount = len(ticked) - sum(1 for s in ticked if s.resident is not None)
    # A resident signed up twice under two numbers is one person-time.
    headcount += sum(1 for s in ticked if s.resident is not None) - len(residents)
    for checkin in activity.checkins.filter(status=CheckinStatus.OPEN).select_related(
        "activity", "volunteer"
    ):
        _finish(checkin, min(activity.ends_at, timezone.now()), actor)
    hours = [
        (c.volunteer, c.hours)
        for c in activity.checkins.filter(status__in=COUNTED_CHECKINS, hours__gt=0)
        .select_related("volunteer")
        .order_by("volunteer_id")
    ]
    event = delivery_services.service_event_record(
        actor=actor,
        project=activity.project,
        kind=EventKind.ACTIVITY,
        held_on=timezone.localdate(activity.starts_at),
        title=activity.title,
        attendees=list(residents.values()),
        headcount=headcount,
        volunteers=hours,
        **_event_times(activity),
    )
    activity.event = event
    activity.save(update_fields=["event", "updated_at"])
    return event


def _event_times(activity: CommunityActivity) -> dict:
    """The activity's local start and end as the service event's times, where it
    ends on the day it starts (the workers' service hours)."""
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at)
    if end.date() != start.date() or end.time() <= start.time():
        return {}
    return {
        "starts_at": start.time().replace(microsecond=0),
        "ends_at": end.time().replace(microsecond=0),
    }


@transaction.atomic
def volunteer_self_sign_up(*, activity: CommunityActivity, volunteer: Volunteer) -> VolunteerSignup:
    """报名 from the volunteer's own page: the same sign-up the station records,
    marked served when the activity is closed with the volunteer's hours."""
    _check_volunteer(activity, volunteer)
    _check_open(activity)
    if timezone.now() >= activity.ends_at:
        raise ValidationError(_("This activity is over."))
    signup = VolunteerSignup(
        station_id=activity.station_id,
        volunteer=volunteer,
        project=activity.project,
        activity_on=timezone.localdate(activity.starts_at),
        activity_title=activity.title,
    )
    signup.full_clean()
    signup.save()
    return signup
